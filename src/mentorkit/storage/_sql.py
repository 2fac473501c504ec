"""The table layout and SQL text shared by the SQLite and PostgreSQL backends."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from mentorkit.storage._codec import INDEXES, MAX_KEYS

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from mentorkit.storage._codec import Row, Term

#: The storage layout version these backends write; older stores are migrated on open,
#: newer ones refused.
SCHEMA = 1
FORMAT = "mentorkit"

META = "mentorkit_meta"
TABLE = "mentorkit_entities"
KEY_COLUMNS = tuple(f"k{i + 1}" for i in range(MAX_KEYS))
#: How many key columns (a collection's first indexed fields) have a B-tree index each. The
#: others are filtered among the rows those indexes (or the primary key) select: each index
#: entry costs every write about a microsecond, and the later fields of the built-in
#: definitions (an enrollment's status, a mentorship's program and start) pick out too large a
#: share of a collection for an index of their own to pay. Stores created before this kept
#: all six, which is harmless.
INDEXED_KEYS = 3
_COLUMNS = ("collection", "id", "type", "version", *KEY_COLUMNS, "doc")


def create_statements(text: str = "TEXT", *, integer: str = "INTEGER") -> list[str]:
    """The DDL of schema version 1 (portable between SQLite and PostgreSQL).

    Args:
        text: The type of id and key columns; it must order strings by code point, as
            Python does (SQLite's ``TEXT``, PostgreSQL's ``TEXT COLLATE "C"``).
        integer: The type of the version column: it must hold 64-bit integers (SQLite's
            ``INTEGER``, PostgreSQL's ``BIGINT``).
    """
    keys = ", ".join(f"{k} {text}" for k in KEY_COLUMNS)
    out = [
        f"CREATE TABLE {META} (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        f"CREATE TABLE {TABLE} (collection {text} NOT NULL, id {text} NOT NULL, "
        f"type TEXT NOT NULL, version {integer} NOT NULL, {keys}, doc TEXT NOT NULL, "
        "PRIMARY KEY (collection, id))",
    ]
    out += [
        f"CREATE INDEX {TABLE}_{k} ON {TABLE} (collection, {k}) WHERE {k} IS NOT NULL"
        for k in KEY_COLUMNS[:INDEXED_KEYS]
    ]
    return out


@functools.cache
def insert_sql(p: str, width: int = MAX_KEYS) -> str:
    """Insert a row unless its id is taken (``p`` is the driver's placeholder).

    Only the first ``width`` key columns are written (the others stay ``NULL``).
    """
    columns = ("collection", "id", "type", "version", *KEY_COLUMNS[:width], "doc")
    marks = ", ".join([p] * len(columns))
    return (
        f"INSERT INTO {TABLE} ({', '.join(columns)}) VALUES ({marks}) "
        "ON CONFLICT (collection, id) DO NOTHING"
    )


def insert_batches(p: str, rows: Sequence[Row]) -> Iterator[tuple[str, list[tuple[object, ...]]]]:
    """`insert_sql` statements and their parameters, one batch per collection.

    Each collection binds only the key columns it uses: fewer parameters per row.
    """
    by_collection: dict[str, list[Row]] = {}
    for r in rows:
        by_collection.setdefault(r.collection, []).append(r)
    for collection, batch in by_collection.items():
        width = len(INDEXES.get(collection, ()))
        params: list[tuple[object, ...]] = [
            (r.collection, r.id, r.type, r.version, *r.keys[:width], r.text) for r in batch
        ]
        yield insert_sql(p, width), params


def update_sql(p: str) -> str:
    """Update a row only if it is stored at the expected version."""
    sets = ", ".join(f"{c} = {p}" for c in ("type", "version", *KEY_COLUMNS, "doc"))
    return f"UPDATE {TABLE} SET {sets} WHERE collection = {p} AND id = {p} AND version = {p}"


def update_params(rows: Sequence[Row]) -> Iterator[tuple[object, ...]]:
    """Parameters of `update_sql`, one tuple per row."""
    for r in rows:
        yield (r.type, r.version, *r.keys, r.text, r.collection, r.id, r.expected)


def fetch_sql(p: str) -> str:
    """One row by collection and id."""
    return f"SELECT type, version, doc FROM {TABLE} WHERE collection = {p} AND id = {p}"


def delete_sql(
    p: str, *, version: int | None, tags: tuple[str, ...] | None
) -> tuple[str, list[object]]:
    """Delete one row, optionally only at a version and of some types."""
    sql = f"DELETE FROM {TABLE} WHERE collection = {p} AND id = {p}"
    params: list[object] = []
    if version is not None:
        sql += f" AND version = {p}"
        params.append(version)
    if tags is not None:
        sql += f" AND type IN ({', '.join([p] * len(tags))})" if tags else " AND FALSE"
        params.extend(tags)
    return sql, params


def scan_sql(
    p: str,
    collection: str,
    tags: tuple[str, ...] | None,
    where: list[Term],
    *,
    filtered_order: str = "id",
    columns: str = "type, doc",
) -> tuple[str, list[object]]:
    """Select ``(type, doc)`` of the rows of a collection matching the terms, by id.

    ``filtered_order`` is the ORDER BY expression used when there are terms: SQLite's
    ``+id`` keeps its planner from walking the whole collection in primary-key order (to
    save a sort) instead of using the key index of a term. ``columns`` selects other
    columns instead (see `key_columns_sql`).
    """
    sql = f"SELECT {columns} FROM {TABLE} WHERE collection = {p}"
    params: list[object] = [collection]
    if tags is not None:
        sql += f" AND type IN ({', '.join([p] * len(tags))})" if tags else " AND FALSE"
        params.extend(tags)
    for column, op, value in where:
        name = KEY_COLUMNS[column]
        if value is None:
            sql += f" AND {name} IS NULL" if op == "=" else " AND FALSE"
        else:
            sql += f" AND {name} {op} {p}"
            params.append(value)
    return sql + f" ORDER BY {filtered_order if where else 'id'}", params


def key_columns_sql(columns: Sequence[int | str]) -> str:
    """The select list of a key-column read: the type, then ``columns``.

    Args:
        columns: ``"id"``, ``"version"``, ``"doc"``, or a key column's position (0 is ``k1``).
    """
    names = [KEY_COLUMNS[c] if isinstance(c, int) else c for c in columns]
    if not set(names) <= {"id", "version", "doc", *KEY_COLUMNS}:
        raise ValueError(f"not a column: {names}")
    return ", ".join(["type", *names])
