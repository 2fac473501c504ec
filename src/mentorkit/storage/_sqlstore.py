"""What the SQL backends share: one table of documents, reached by DB-API statements."""

from __future__ import annotations

import json
import types
from typing import TYPE_CHECKING, Any, ClassVar

from mentorkit.storage import _codec, _sql
from mentorkit.storage._base import BaseStore, Found

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from mentorkit.storage._codec import Row, Term


class SQLStore(BaseStore):
    """The statements SQLite and PostgreSQL run alike; each backend supplies ``_execute``."""

    #: The driver's parameter placeholder (``?`` for sqlite3, ``%s`` for psycopg).
    _placeholder: ClassVar[str]
    #: How to order the rows of a filtered scan by id (see `_sql.scan_sql`).
    _filtered_order: ClassVar[str] = "id"
    _fetch_sql: ClassVar[str]
    #: The index layout the rows' key columns follow (recorded when the store opened).
    _keyed: Mapping[str, tuple[str, ...]] = types.MappingProxyType({})
    _update_sql: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._fetch_sql = _sql.fetch_sql(cls._placeholder)
        cls._update_sql = _sql.update_sql(cls._placeholder)

    def _execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        """Run one statement on the connection in use and return its cursor."""
        raise NotImplementedError

    def _executemany(self, sql: str, params: Sequence[Sequence[object]]) -> int:
        """Run one statement for each parameter tuple; return the rows changed."""
        raise NotImplementedError

    def _insert(self, rows: Sequence[Row]) -> int:
        return sum(
            self._executemany(sql, ps) for sql, ps in _sql.insert_batches(self._placeholder, rows)
        )

    def _update(self, rows: Sequence[Row]) -> int:
        return self._executemany(self._update_sql, list(_sql.update_params(rows)))

    # -- the recorded index layout (on the connection opening the store) -------------------

    def _layout(self, conn: Any) -> tuple[_codec.Layout, bool]:
        """Merge the recorded index layout with this process's and take over what it adopts.

        Returns the merged layout and whether the recorded one differs from it. The merged
        layout is the one the key columns follow once the store is open (collections whose
        definition changed are re-keyed by `_rekey`): key-column reads check it.
        """
        found = dict(
            conn.execute(
                f"SELECT key, value FROM {_sql.META} "
                "WHERE key IN ('index_layout', 'index_registered')"
            ).fetchall()
        )
        stored, chosen = found.get("index_layout"), found.get("index_registered")
        layout = _codec.merge_layout(stored, chosen)
        _codec.adopt(layout)
        stale = layout.text != stored or layout.registered != (chosen or "[]")
        merged = json.loads(layout.text)
        self._keyed = {str(name): tuple(fields) for name, fields in merged.items()}
        return layout, stale

    def _rekey(self, conn: Any) -> None:
        """Merge the index layouts; recompute key columns of the collections that changed."""
        layout, stale = self._layout(conn)
        p = self._placeholder
        sets = ", ".join(f"{k} = {p}" for k in _sql.KEY_COLUMNS)
        for collection in layout.rekey:
            found = conn.execute(
                f"SELECT id, type, doc FROM {_sql.TABLE} WHERE collection = {p}", (collection,)
            ).fetchall()
            if found:
                conn.cursor().executemany(
                    f"UPDATE {_sql.TABLE} SET {sets} WHERE collection = {p} AND id = {p}",
                    [
                        (*_codec.rekey(collection, tag, doc, id), collection, id)
                        for id, tag, doc in found
                    ],
                )
        if not stale:
            return
        conn.execute(
            f"INSERT INTO {_sql.META} (key, value) VALUES ('index_layout', {p}), "
            f"('index_registered', {p}) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (layout.text, layout.registered),
        )

    def _release(self, name: str) -> None:
        self._execute(f"RELEASE SAVEPOINT {name}")

    def _rollback_to(self, name: str) -> None:
        self._execute(f"ROLLBACK TO SAVEPOINT {name}")
        self._execute(f"RELEASE SAVEPOINT {name}")

    def _fetch(self, collection: str, id: str) -> Found | None:
        row = self._execute(self._fetch_sql, (collection, id)).fetchone()
        return None if row is None else (row[0], row[1], row[2])

    def _remove(
        self, collection: str, id: str, version: int | None, tags: tuple[str, ...] | None
    ) -> int:
        sql, params = _sql.delete_sql(self._placeholder, version=version, tags=tags)
        return int(self._execute(sql, [collection, id, *params]).rowcount)

    def _scan(
        self, collection: str, tags: tuple[str, ...] | None, where: list[Term]
    ) -> Iterable[tuple[str, str]]:
        sql, params = _sql.scan_sql(
            self._placeholder, collection, tags, where, filtered_order=self._filtered_order
        )
        rows: list[tuple[str, str]] = self._execute(sql, params).fetchall()
        return rows

    def _scan_columns(
        self,
        collection: str,
        tags: tuple[str, ...] | None,
        where: list[Term],
        columns: tuple[int | str, ...],
    ) -> Iterable[tuple[Any, ...]] | None:
        if self._keyed.get(collection, ()) != _codec.INDEXES.get(collection, ()):
            return None  # the layout changed since the store opened: its keys may be stale
        sql, params = _sql.scan_sql(
            self._placeholder,
            collection,
            tags,
            where,
            filtered_order=self._filtered_order,
            columns=_sql.key_columns_sql(columns),
        )
        rows: list[tuple[Any, ...]] = self._execute(sql, params).fetchall()
        return rows

    def _clear(self) -> None:
        self._execute(f"DELETE FROM {_sql.TABLE}")

    def _collections(self) -> list[str]:
        found = self._execute(f"SELECT DISTINCT collection FROM {_sql.TABLE}").fetchall()
        return sorted(name for (name,) in found)
