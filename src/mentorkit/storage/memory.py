"""``MemoryStore``: entities in a dict, for tests, notebooks and as the reference backend."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, NamedTuple

from mentorkit.errors import StorageError
from mentorkit.storage import _codec
from mentorkit.storage._base import BaseStore, Found

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from mentorkit.storage._codec import Row, Term

__all__ = ["MemoryStore"]


class _Record(NamedTuple):
    type: str
    version: int
    #: ``None`` when unknown (a type not registered in this process): every scan returns the
    #: record, so reading it reports the missing type instead of silently skipping it.
    keys: tuple[str | None, ...] | None
    text: str
    #: The indexed fields ``keys`` hold (the collection's definition when it was written):
    #: key-column reads use records whose definition is still the current one.
    names: tuple[str, ...] = ()


#: An undo entry: (collection, id, the record before the change or None).
_Undo = tuple[str, str, "_Record | None"]


class MemoryStore(BaseStore):
    """A store that keeps entities in memory, gone when the process ends.

    It stores the same JSON documents as the other backends (so it validates and
    round-trips exactly like them), is safe to share between threads (one writer at a time),
    and is the reference the other backends are tested against.

    Examples:
        >>> from mentorkit import Person
        >>> store = MemoryStore()
        >>> ana = store.put(Person(id="p-1", name="Ana"))
        >>> store.get(Person, "p-1") == ana
        True
    """

    #: Seconds a transaction waits for another thread's (``-1``: as long as it takes, since
    #: nothing outside this process can hold a memory store).
    _lock_timeout: float = -1

    def __init__(self) -> None:
        super().__init__()
        self._data: dict[str, dict[str, _Record]] = {}
        self._lock = threading.RLock()
        # One undo journal per open transaction level (the store lock is held meanwhile).
        self._journals: list[list[_Undo]] = []
        self._writing = False

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    # -- transactions: the lock is held from begin to commit/rollback ------------------------

    def _begin(self, *, write: bool) -> None:
        if not self._lock.acquire(timeout=self._lock_timeout):
            raise StorageError(
                f"{self!r} is used by another thread for longer than the timeout "
                f"({self._lock_timeout:g} s)"
            )
        try:
            self._journals = [[]]
            self._writing = write
            self._opened(write=write)
        except BaseException:
            self._lock.release()
            raise

    def _commit(self) -> None:
        # On failure the base class calls _rollback, which undoes and releases the lock.
        if self._writing and any(self._journals):
            self._persist()
        self._journals = []
        self._ended()
        self._lock.release()

    def _rollback(self) -> None:
        try:
            while self._journals:
                self._undo(self._journals.pop())
        finally:
            try:
                self._ended()
            finally:
                self._lock.release()

    def _savepoint(self, name: str) -> None:
        self._journals.append([])

    def _release(self, name: str) -> None:
        inner = self._journals.pop()
        self._journals[-1].extend(inner)

    def _rollback_to(self, name: str) -> None:
        self._undo(self._journals.pop())

    def _undo(self, journal: list[_Undo]) -> None:
        for collection, id, before in reversed(journal):
            rows = self._data.setdefault(collection, {})
            if before is None:
                rows.pop(id, None)
            else:
                rows[id] = before

    # Hooks for JsonStore, called with the store lock held.
    def _opened(self, *, write: bool) -> None:
        """A transaction begins."""

    def _persist(self) -> None:
        """A transaction that changed something commits: make it durable."""

    def _ended(self) -> None:
        """A transaction ends (after ``_persist``, or after undoing its changes)."""

    def _set(self, collection: str, id: str, record: _Record | None) -> None:
        rows = self._data.setdefault(collection, {})
        self._journals[-1].append((collection, id, rows.get(id)))
        if record is None:
            del rows[id]
        else:
            rows[id] = record

    # -- primitives ---------------------------------------------------------------------------

    def _fetch(self, collection: str, id: str) -> Found | None:
        record = self._data.get(collection, {}).get(id)
        return None if record is None else (record.type, record.version, record.text)

    def _insert(self, rows: Sequence[Row]) -> int:
        done = 0
        for row in rows:
            if row.id not in self._data.get(row.collection, {}):
                self._set(row.collection, row.id, _record(row))
                done += 1
        return done

    def _update(self, rows: Sequence[Row]) -> int:
        done = 0
        for row in rows:
            record = self._data.get(row.collection, {}).get(row.id)
            if record is not None and record.version == row.expected:
                self._set(row.collection, row.id, _record(row))
                done += 1
        return done

    def _remove(
        self, collection: str, id: str, version: int | None, tags: tuple[str, ...] | None
    ) -> int:
        record = self._data.get(collection, {}).get(id)
        if record is None:
            return 0
        if version is not None and record.version != version:
            return 0
        if tags is not None and record.type not in tags:
            return 0
        self._set(collection, id, None)
        return 1

    def _scan(
        self, collection: str, tags: tuple[str, ...] | None, where: list[Term]
    ) -> Iterable[tuple[str, str]]:
        rows = self._data.get(collection, {})
        matches = _codec.matches
        return [
            (record.type, record.text)
            for _, record in sorted(rows.items())
            if (tags is None or record.type in tags)
            and (record.keys is None or matches(record.keys, where))
        ]

    def _scan_columns(
        self,
        collection: str,
        tags: tuple[str, ...] | None,
        where: list[Term],
        columns: tuple[int | str, ...],
    ) -> Iterable[tuple[Any, ...]] | None:
        names = _codec.INDEXES.get(collection, ())
        matches = _codec.matches
        out: list[tuple[Any, ...]] = []
        for id, record in sorted(self._data.get(collection, {}).items()):
            if tags is not None and record.type not in tags:
                continue
            keys = record.keys
            if keys is None or record.names != names:
                return None  # unreadable, or keyed under another definition: decode
            if matches(keys, where):
                values = {"id": id, "version": record.version, "doc": record.text}
                out.append((record.type, *[
                    keys[c] if isinstance(c, int) else values[c] for c in columns
                ]))  # fmt: skip
        return out

    def _clear(self) -> None:
        for collection, rows in list(self._data.items()):
            for id in list(rows):
                self._set(collection, id, None)

    def _collections(self) -> list[str]:
        return sorted(name for name, rows in self._data.items() if rows)


def _record(row: Row) -> _Record:
    names = _codec.INDEXES.get(row.collection, ())
    return _Record(row.type, row.version, row.keys, row.text, names)
