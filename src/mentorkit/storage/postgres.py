"""``PostgresStore``: one PostgreSQL database shared by processes and machines.

Needs the ``postgres`` extra (psycopg 3 and psycopg_pool): ``pip install "mentorkit[postgres]"``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from mentorkit._optional import require
from mentorkit.errors import ConflictError, StorageError, ValidationError
from mentorkit.storage import _sql
from mentorkit.storage._base import check_timeout
from mentorkit.storage._sqlstore import SQLStore
from mentorkit.storage._url import redact, scrub

if TYPE_CHECKING:
    from collections.abc import Sequence


__all__ = ["PostgresStore"]

_P = "%s"
# Serialises schema set-up between processes opening the same database at once.
_SETUP_LOCK = 0x6D656E746F72  # "mentor"
_redact = redact


class PostgresStore(SQLStore):
    """A store in a PostgreSQL database, safe to share between processes and machines.

    Entities live in one table of JSON documents with indexed key columns (the same layout
    as [`SQLiteStore`][mentorkit.storage.SQLiteStore]), created on first use and versioned like it.
    Connections come from a pool (psycopg_pool); each thread's transaction holds one
    connection. Updates are ``UPDATE ... WHERE version = read version``, so two workers
    writing one entity from the same version cannot both succeed: the second gets
    [`ConflictError`][mentorkit.errors.ConflictError]. The password never appears in ``repr`` or
    error messages.

    Args:
        dsn: A libpq connection string or URL (``postgresql://user:password@host/db``).
        min_size: Connections the pool keeps open.
        max_size: Connections the pool opens at most (threads waiting beyond that queue).
        timeout: Seconds to wait for a connection (the first one included).

    Raises:
        StorageError: psycopg is not installed, the server cannot be reached, or the
            database holds a newer or broken mentorkit schema.
    """

    _placeholder = _P

    def __init__(
        self, dsn: str, *, min_size: int = 1, max_size: int = 10, timeout: float = 30.0
    ) -> None:
        super().__init__()
        if not isinstance(dsn, str):
            raise ValidationError("must be a connection string or URL", field="dsn",
                                  value=redact(dsn))  # fmt: skip
        for name, size, least in (("min_size", min_size, 0), ("max_size", max_size, 1)):
            if type(size) is not int or not least <= size <= 10_000:
                raise ValidationError(f"must be an integer from {least} to 10000", field=name,
                                      value=size)  # fmt: skip
        if max_size < min_size:
            raise ValidationError(f"must be at least min_size ({min_size})", field="max_size",
                                  value=max_size)  # fmt: skip
        timeout = check_timeout(timeout)
        try:
            psycopg = require("psycopg", purpose="PostgresStore")
            psycopg_pool = require("psycopg_pool", purpose="PostgresStore")
        except ModuleNotFoundError as exc:
            raise StorageError(str(exc)) from None
        self.dsn = dsn
        self._timeout = timeout
        # One direct connection first: a wrong password, a missing database or a refused
        # port is reported at once and with the server's reason, where the pool would
        # retry (logging warnings) until its timeout and then only say it timed out.
        try:
            psycopg.connect(dsn, connect_timeout=max(2, math.ceil(timeout))).close()
        except psycopg.Error as exc:
            raise StorageError(
                f"cannot connect to {redact(dsn)}: {scrub(_flat(exc), dsn)}"
            ) from None
        wait_ms = f"{max(1, round(timeout * 1000))}ms"

        def configure(conn: Any) -> None:
            # Row and table lock waits end after the store's timeout too (LockNotAvailable).
            conn.execute("SELECT set_config('lock_timeout', %s, false)", (wait_ms,))

        self._pool: Any = psycopg_pool.ConnectionPool(
            dsn,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout,
            open=False,
            kwargs={"autocommit": True},
            configure=configure,
            name="mentorkit",
        )
        with self._errors():
            try:
                self._pool.open(wait=True, timeout=timeout)
            except psycopg_pool.PoolTimeout:
                self._pool.close()
                raise StorageError(
                    f"cannot connect to {redact(dsn)} within {timeout:g} s"
                ) from None
        try:
            with self._errors():
                self._setup()
        except BaseException:
            self._pool.close()
            raise

    def __repr__(self) -> str:
        return f"{type(self).__name__}({_redact(self.dsn)!r})"

    def _setup(self) -> None:
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SETUP_LOCK,))
            have = conn.execute(
                "SELECT to_regclass(%s) IS NOT NULL, to_regclass(%s) IS NOT NULL",
                (_sql.META, _sql.TABLE),
            ).fetchone()
            if not have[0]:
                if have[1]:
                    raise StorageError(
                        f"{self!r} has a {_sql.TABLE} table but no {_sql.META}: "
                        "not a mentorkit store"
                    )
                schema = 0
            else:
                meta = dict(conn.execute(f"SELECT key, value FROM {_sql.META}").fetchall())
                if meta.get("format") != _sql.FORMAT or not str(meta.get("schema", "")).isdigit():
                    raise StorageError(f"{self!r} is not a mentorkit store (bad metadata)")
                schema = int(meta["schema"])
                if schema > _sql.SCHEMA:
                    raise StorageError(
                        f"{self!r} was written by a newer mentorkit (store schema {schema}); "
                        f"this one reads schema {_sql.SCHEMA} and older: upgrade mentorkit"
                    )
            if schema < 1:
                for statement in _sql.create_statements('TEXT COLLATE "C"', integer="BIGINT"):
                    conn.execute(statement)
                conn.execute(
                    f"INSERT INTO {_sql.META} (key, value) VALUES ('format', %s), ('schema', %s)",
                    (_sql.FORMAT, str(_sql.SCHEMA)),
                )
            # Stores created before versions were 64-bit on PostgreSQL too (SQLite's INTEGER
            # always was): widen, so that any version the model allows can be stored.
            kind = conn.execute(
                "SELECT data_type FROM information_schema.columns WHERE table_schema = "
                "current_schema() AND table_name = %s AND column_name = 'version'",
                (_sql.TABLE,),
            ).fetchone()
            if kind is not None and kind[0] != "bigint":
                conn.execute(f"ALTER TABLE {_sql.TABLE} ALTER COLUMN version TYPE BIGINT")
            self._rekey(conn)

    def _translate(self, exc: Exception) -> Exception | None:
        import psycopg
        import psycopg_pool

        if isinstance(
            exc,
            psycopg.errors.UniqueViolation
            | psycopg.errors.SerializationFailure
            | psycopg.errors.DeadlockDetected,
        ):
            return ConflictError(f"{self!r}: a concurrent write won ({exc.sqlstate}); try again")
        if isinstance(exc, psycopg.errors.LockNotAvailable):
            return StorageError(
                f"{self!r}: locked by another writer for longer than the timeout "
                f"({self._timeout:g} s)"
            )
        if isinstance(exc, psycopg_pool.PoolTimeout):
            return StorageError(f"{self!r}: no connection free within {self._timeout:g} s")
        if isinstance(exc, psycopg.OperationalError) and (
            exc.sqlstate is None or exc.sqlstate.startswith(("08", "57P"))
        ):  # no connection, or the server went away (not a statement the server refused)
            why = scrub(_flat(exc), self.dsn)
            return StorageError(f"{self!r}: the server cannot be reached: {why}")
        if isinstance(exc, psycopg.Error):
            return StorageError(f"{self!r}: {type(exc).__name__}: {scrub(_flat(exc), self.dsn)}")
        return super()._translate(exc)

    # -- transactions: a pooled connection per thread ----------------------------------------

    @property
    def _conn(self) -> Any:
        return self._state.conn

    def _begin(self, *, write: bool) -> None:
        conn = self._pool.getconn()
        self._state.conn = conn
        # A read on its own needs no transaction: one autocommit statement sees one state.
        self._state.in_tx = write
        if write:
            try:
                conn.execute("BEGIN")
            except BaseException:
                self._state.conn = None
                self._pool.putconn(conn)
                raise

    def _commit(self) -> None:
        if self._state.in_tx:
            self._conn.execute("COMMIT")
        self._put_back()

    def _rollback(self) -> None:
        try:
            if self._state.in_tx:
                self._conn.execute("ROLLBACK")
        finally:
            self._put_back()

    def _put_back(self) -> None:
        conn, self._state.conn = self._state.conn, None
        if conn is not None:
            self._pool.putconn(conn)

    def _savepoint(self, name: str) -> None:
        if not self._state.in_tx:  # a write inside a read (export, then import): upgrade
            self._conn.execute("BEGIN")
            self._state.in_tx = True
        self._conn.execute(f"SAVEPOINT {name}")

    def _execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        return self._conn.execute(sql, params)

    # -- primitives ---------------------------------------------------------------------------

    def _executemany(self, sql: str, params: Sequence[Sequence[object]]) -> int:
        cur = self._conn.cursor()
        cur.executemany(sql, params)
        return int(cur.rowcount)

    def export_documents(self) -> dict[str, list[str]]:
        """Every stored document's text, by collection, ordered by id, from one snapshot.

        Raises:
            StorageError: the database cannot be read.
        """
        # One snapshot for the whole export: READ COMMITTED would let each collection's
        # query see a different moment while other workers write.
        if self._depth:
            return super().export_documents()
        with self._txn(write=False), self._errors():
            self._conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            self._state.in_tx = True
            return super().export_documents()

    def _close(self) -> None:
        self._pool.close()

    def drop(self) -> None:
        """Delete mentorkit's tables and everything in them (for tests and resets).

        Raises:
            StorageError: the database cannot be written.
        """
        with self._errors(), self._pool.connection() as conn, conn.transaction():
            conn.execute(f"DROP TABLE IF EXISTS {_sql.TABLE}, {_sql.META}")


def _flat(exc: BaseException) -> str:
    """A driver's message on one line (libpq continues its messages on indented lines)."""
    return " ".join(str(exc).split())
