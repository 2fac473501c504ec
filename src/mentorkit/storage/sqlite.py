"""``SQLiteStore``: the embedded default, one file, stdlib `sqlite3` in WAL mode."""

from __future__ import annotations

import os
import sqlite3
import threading
from typing import TYPE_CHECKING, Any

from mentorkit import _files
from mentorkit.errors import ConflictError, StorageError, ValidationError
from mentorkit.storage import _sql
from mentorkit.storage._base import check_timeout
from mentorkit.storage._sqlstore import SQLStore

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


__all__ = ["SQLiteStore"]

_P = "?"


def _create(conn: sqlite3.Connection) -> None:
    for statement in _sql.create_statements():
        conn.execute(statement)


#: ``_MIGRATIONS[v]`` brings a store from schema ``v`` to ``v + 1`` (0 is an empty file).
_MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_create,)
assert len(_MIGRATIONS) == _sql.SCHEMA


class SQLiteStore(SQLStore):
    """A store in one SQLite file: the embedded default.

    A new file is readable by its owner only (``0600``, its WAL files too). The file holds
    one table of JSON documents with indexed key columns, in WAL mode with
    full synchronous commits (a committed write survives a crash). Several processes may use
    one file: writes are serialised by SQLite's lock (waiting up to ``timeout`` seconds) and
    version checks turn lost updates into [`ConflictError`][mentorkit.errors.ConflictError]. One
    store object may be shared by threads (they take turns on its connection); open one per
    thread for parallel reads. The
    layout carries a schema version: an older file is migrated forward when opened, a newer
    one is refused.

    Args:
        path: The database file (created if missing), or ``":memory:"``.
        timeout: Seconds to wait for another process's write lock (or another thread's
            turn on this store).

    Raises:
        StorageError: the file is not a mentorkit store, was written by a newer mentorkit,
            or cannot be opened.

    Examples:
        >>> from mentorkit import Person
        >>> with SQLiteStore(":memory:") as store:
        ...     store.put(Person(id="p-1", name="Ana")).version
        1
    """

    _placeholder = _P
    # Without statistics SQLite would rather walk a collection in primary-key order than
    # use a key index and sort the few rows found: a 100x slower find().
    _filtered_order = "+id"

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        super().__init__()
        self._timeout = check_timeout(timeout)
        try:
            self.path = os.fspath(path)
        except TypeError:
            raise ValidationError("must be a path", field="path", value=path) from None
        if not isinstance(self.path, str):
            raise ValidationError("must be a path", field="path", value=path)
        self._lock = threading.RLock()
        try:
            if self.path != ":memory:":
                _files.refuse_special(self.path)
                # Owner-only from the start: SQLite gives its -wal and -shm files the
                # database file's mode, and keeps the mode of a file that exists.
                _files.create_private(self.path)
            self._conn = sqlite3.connect(
                self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False
            )
        except (sqlite3.Error, OSError, ValueError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise StorageError(f"cannot open SQLite store {self.path!r}: {why}") from None
        try:
            self._setup()
        except BaseException:
            self._conn.close()
            raise

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.path!r})"

    def _setup(self) -> None:
        conn = self._conn
        with self._errors():
            # A read first: opening a current store must not wait for another writer.
            conn.execute("BEGIN")
            try:
                current = self._check(conn)
            finally:
                conn.execute("ROLLBACK")
            if not current:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    if not self._check(conn):  # somebody else may have done it meanwhile
                        self._migrate(conn)
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            # A page cache big enough for bulk writes to keep the key indexes in memory
            # (SQLite's default is 2 MiB); pages are allocated only as they are used.
            conn.execute("PRAGMA cache_size=-65536")

    def _schema(self, conn: sqlite3.Connection) -> int:
        """The store's schema version (0: an empty database).

        Raises:
            StorageError: a foreign database, or a newer schema.
        """
        tables = {
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if _sql.META not in tables:
            if tables:
                raise StorageError(
                    f"{self.path!r} is a SQLite database but not a mentorkit store "
                    f"(it has tables {', '.join(sorted(tables))})"
                )
            return 0
        meta = dict(conn.execute(f"SELECT key, value FROM {_sql.META}").fetchall())
        if meta.get("format") != _sql.FORMAT or not str(meta.get("schema", "")).isdigit():
            raise StorageError(f"{self.path!r} is not a mentorkit store (bad metadata)")
        schema = int(meta["schema"])
        if schema > _sql.SCHEMA:
            raise StorageError(
                f"{self.path!r} was written by a newer mentorkit (store schema {schema}); "
                f"this one reads schema {_sql.SCHEMA} and older: upgrade mentorkit"
            )
        return schema

    def _check(self, conn: sqlite3.Connection) -> bool:
        """Whether the store is at the current schema and its index layout needs no write.

        Takes over the recorded index definitions this process does not choose itself
        (see `mentorkit.storage._codec.merge_layout`).
        """
        if self._schema(conn) < _sql.SCHEMA:
            return False
        layout, stale = self._layout(conn)
        return not layout.rekey and not stale

    def _migrate(self, conn: sqlite3.Connection) -> None:
        schema = self._schema(conn)
        for step in _MIGRATIONS[schema:]:
            step(conn)
        if schema < _sql.SCHEMA:
            conn.executemany(
                f"INSERT OR REPLACE INTO {_sql.META} (key, value) VALUES (?, ?)",
                [("format", _sql.FORMAT), ("schema", str(_sql.SCHEMA))],
            )
        self._rekey(conn)

    def _translate(self, exc: Exception) -> Exception | None:
        if isinstance(exc, sqlite3.IntegrityError):
            return ConflictError(f"{self!r}: {exc}")
        if isinstance(exc, UnicodeEncodeError):
            return ValidationError(f"text that is not valid Unicode cannot be stored: {exc}")
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            return StorageError(
                f"{self!r} is locked by another process for longer than the timeout: {exc}"
            )
        if isinstance(exc, sqlite3.DatabaseError) and "not a database" in str(exc):
            return StorageError(f"{self.path!r} is not a mentorkit store (not a SQLite file)")
        if isinstance(exc, sqlite3.Error):
            return StorageError(f"{self!r}: {exc}")
        return super()._translate(exc)

    # -- transactions: one connection, guarded by a lock held from begin to end -------------

    def _begin(self, *, write: bool) -> None:
        if not self._lock.acquire(timeout=self._timeout):
            raise StorageError(
                f"{self!r} is used by another thread for longer than the timeout "
                f"({self._timeout:g} s)"
            )
        try:
            self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except BaseException:
            self._lock.release()
            raise

    def _commit(self) -> None:
        self._conn.execute("COMMIT")
        self._lock.release()  # on failure the base class calls _rollback, which releases

    def _rollback(self) -> None:
        try:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
        finally:
            self._lock.release()

    def _savepoint(self, name: str) -> None:
        self._conn.execute(f"SAVEPOINT {name}")

    def _execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        return self._conn.execute(sql, params)

    # -- primitives ---------------------------------------------------------------------------

    def _executemany(self, sql: str, params: Sequence[Sequence[object]]) -> int:
        return self._conn.executemany(sql, params).rowcount

    def _close(self) -> None:
        with self._lock:
            self._conn.close()
