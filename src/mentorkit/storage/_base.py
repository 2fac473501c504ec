"""The behaviour every mentorkit backend shares, on top of a few storage primitives.

A backend subclasses `BaseStore` and implements the primitives (``_fetch``,
``_insert``, ``_update``, ``_remove``, ``_scan`` and the transaction steps); the public
methods, validation, version checks and error messages live here once. Third-party backends
may use it too, but need not: [`Store`][mentorkit.storage.Store] is the contract.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any, Self, TypeVar

from mentorkit._gc import paused
from mentorkit.errors import ConflictError, NotFoundError, StorageError, ValidationError
from mentorkit.model import Entity
from mentorkit.model._checks import MAX_VERSION
from mentorkit.storage import _codec, _document

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from types import TracebackType

    from mentorkit.storage._codec import Row, Term

E = TypeVar("E", bound=Entity)

#: A stored row as read back: (type tag, version, document text).
Found = tuple[str, int, str]


# Encoding and decoding make no reference cycles: pause the collector (a quarter of the time
# of reading 250,000 entities went to its full passes).
_bulk = paused


def check_timeout(value: object, field: str = "timeout") -> float:
    """A lock or connection wait in seconds: a finite number > 0.

    Raises:
        ValidationError: anything else (a string, ``bool``, zero, infinity, NaN).
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError("must be a number of seconds > 0", field=field, value=value)
    try:
        seconds = float(value)
    except OverflowError:
        seconds = float("inf")
    if not 0 < seconds < 10**9:  # NaN fails too
        raise ValidationError("must be a number of seconds > 0", field=field, value=value)
    return seconds


class BaseStore:
    """Shared implementation of [`Store`][mentorkit.storage.Store] (see the module docs)."""

    def __init__(self) -> None:
        self._state = threading.local()
        self._closed = False

    # -- primitives a backend implements ----------------------------------------------------

    def _begin(self, *, write: bool) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _rollback(self) -> None:
        raise NotImplementedError

    def _savepoint(self, name: str) -> None:
        raise NotImplementedError

    def _release(self, name: str) -> None:
        raise NotImplementedError

    def _rollback_to(self, name: str) -> None:
        raise NotImplementedError

    def _fetch(self, collection: str, id: str) -> Found | None:
        raise NotImplementedError

    def _insert(self, rows: Sequence[Row]) -> int:
        """Insert rows whose id is free; return how many were inserted."""
        raise NotImplementedError

    def _update(self, rows: Sequence[Row]) -> int:
        """Update rows stored at ``row.expected``; return how many were updated."""
        raise NotImplementedError

    def _remove(
        self, collection: str, id: str, version: int | None, tags: tuple[str, ...] | None
    ) -> int:
        """Delete one row (if at ``version`` and of one of ``tags``); return 1 or 0."""
        raise NotImplementedError

    def _scan(
        self, collection: str, tags: tuple[str, ...] | None, where: list[Term]
    ) -> Iterable[tuple[str, str]]:
        """``(type, text)`` of the matching rows, ordered by id."""
        raise NotImplementedError

    def _close(self) -> None:
        """Release resources (called once)."""

    def _translate(self, exc: Exception) -> Exception | None:
        """The mentorkit error for a driver exception, or ``None`` to let it through."""
        if isinstance(exc, OSError):
            return StorageError(f"{self!r}: {exc}")
        if isinstance(exc, OverflowError):  # a number too large for the backend
            return ValidationError(f"{self!r}: a number is out of range: {exc}")
        return None

    # -- transactions -----------------------------------------------------------------------

    @property
    def _depth(self) -> int:
        return getattr(self._state, "depth", 0)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Translate driver exceptions escaping the block."""
        try:
            yield
        except Exception as exc:
            mine = self._translate(exc)
            if mine is None:
                raise
            raise mine from exc

    @contextlib.contextmanager
    def _txn(self, *, write: bool) -> Iterator[None]:
        if self._closed:
            raise StorageError(f"{self!r} is closed")
        depth = self._depth
        name = f"mentorkit_{depth}"
        with self._errors():
            if depth == 0:
                self._begin(write=write)
            else:
                self._savepoint(name)
        self._state.depth = depth + 1
        try:
            yield
        except BaseException:
            self._state.depth = depth
            with contextlib.suppress(Exception):  # the original error matters more
                if depth == 0:
                    self._rollback()
                else:
                    self._rollback_to(name)
            raise
        self._state.depth = depth
        with self._errors():
            try:
                if depth == 0:
                    self._commit()
                else:
                    self._release(name)
            except BaseException:
                if depth == 0:
                    with contextlib.suppress(Exception):
                        self._rollback()
                raise

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Group writes: kept together when the block ends, all undone if it raises.

        Nested transactions are savepoints: an exception leaving an inner block undoes only
        that block's writes. A transaction belongs to the thread that opened it.

        Examples:
            >>> from mentorkit import Person
            >>> from mentorkit.storage import MemoryStore
            >>> store = MemoryStore()
            >>> try:
            ...     with store.transaction():
            ...         _ = store.put(Person(id="p-1", name="Ana"))
            ...         raise RuntimeError("changed my mind")
            ... except RuntimeError:
            ...     pass
            >>> store.all(Person)
            []
        """
        return self._txn(write=True)

    # -- the Store API ----------------------------------------------------------------------

    def put(self, entity: E) -> E:
        """Insert (``version == 0``) or update an entity; return it with its new version.

        Raises:
            ValidationError: the entity is not a valid, registered entity; nothing written.
            ConflictError: the id is taken (insert), or the stored version differs
                (update, including an entity deleted meanwhile).
            StorageError: the store cannot be written.

        Examples:
            >>> from mentorkit import Person
            >>> from mentorkit.storage import MemoryStore
            >>> store = MemoryStore()
            >>> ana = store.put(Person(id="p-1", name="Ana"))
            >>> ana.version
            1
            >>> store.put(Person(id="p-1", name="Another Ana"))
            Traceback (most recent call last):
            ...
            mentorkit.errors.ConflictError: person/p-1 already exists (version 1); read it and put that
        """  # noqa: E501
        result: E = self.put_many([entity])[0]
        return result

    def put_many(self, entities: Iterable[E]) -> list[E]:
        """Put several entities at once, all or nothing; return them as stored.

        Raises:
            ValidationError: an entity is invalid, or one id appears twice; nothing written.
            ConflictError: as for `put`; nothing is written.
            StorageError: the store cannot be written.
        """
        with _bulk():
            rows = _codec.encode_many(entities)
            if not rows:
                return []
            keys = {(row.collection, row.id) for row in rows}
            if len(keys) != len(rows):
                self._twice(rows)
            inserts = [r for r in rows if r.expected == 0]
            updates = [r for r in rows if r.expected != 0] if len(inserts) != len(rows) else []
            try:
                with self._txn(write=True):
                    for part, write in ((inserts, self._insert), (updates, self._update)):
                        if part:
                            with self._errors():
                                done = write(part)
                            if done != len(part):
                                raise _MismatchError(part)
            except _MismatchError as exc:
                # Diagnosed after the rollback, so the batch's own writes do not confuse it.
                raise self._conflict(exc.rows) from None
            return [r.entity for r in rows]

    @staticmethod
    def _twice(rows: Sequence[Row]) -> None:
        """Raise for the first id that appears twice among the rows."""
        seen: set[tuple[str, str]] = set()
        for row in rows:
            if (row.collection, row.id) in seen:
                raise ValidationError(
                    f"appears twice in one put_many ({row.collection})", field="id", value=row.id
                )
            seen.add((row.collection, row.id))

    def _conflict(self, rows: Sequence[Row]) -> ConflictError:
        with self._txn(write=False), self._errors():
            for row in rows:
                found = self._fetch(row.collection, row.id)
                stored = 0 if found is None else found[1]
                if stored == row.expected:
                    continue
                where = f"{row.collection}/{row.id}"
                if row.expected == 0:
                    return ConflictError(
                        f"{where} already exists (version {stored}); read it and put that"
                    )
                if found is None:
                    return ConflictError(
                        f"{where} was read at version {row.expected} but is no longer stored"
                    )
                return ConflictError(
                    f"{where} was read at version {row.expected} but version {stored} is "
                    "stored: somebody else changed it; read it again"
                )
        return ConflictError(f"{len(rows)} entities changed while being written; try again")

    def get(self, cls: type[E], id: str) -> E:
        """The entity of class ``cls`` (or a registered subclass of it) with this id.

        An entity of the same collection but another class (a plain ``Person`` asked for as
        a ``StaffPerson``) is not found.

        Raises:
            NotFoundError: no such entity, or the entity is of another class.
            StorageError: the store cannot be read, or holds an unreadable document.
        """
        collection = _codec.info(cls).collection
        if not isinstance(id, str):
            raise ValidationError("must be a string", field="id", value=id)
        found = None
        if _codec.storable_key(id):  # no store holds any other id: not found, in every store
            with self._txn(write=False), self._errors():
                found = self._fetch(collection, id)
        if found is not None:
            entity = _codec.decode(found[0], found[2], collection, id)
            if isinstance(entity, cls):
                return entity
        raise NotFoundError(f"no {cls.__qualname__} with id {id!r} in {collection}")

    def find(self, cls: type[E], **filters: Any) -> list[E]:
        """The entities of ``cls`` whose indexed fields match the filters, ordered by id.

        A filter value is a value of the field's type (``None`` matches a missing value) or a
        [`Range`][mentorkit.storage.Range] (``start <= value < end``). The indexed fields of
        each collection are listed in [`mentorkit.storage.INDEXES`][mentorkit.storage.INDEXES].

        Raises:
            ValidationError: a filter names a field that is not indexed, or has a value of
                the wrong type.
            StorageError: the store cannot be read, or holds an unreadable document.

        Examples:
            >>> from mentorkit import Enrollment, Role
            >>> from mentorkit.storage import MemoryStore
            >>> store = MemoryStore()
            >>> _ = store.put(Enrollment(id="e-1", person_id="p-1", cohort_id="c-24",
            ...                          role=Role.MENTOR))
            >>> store.find(Enrollment, cohort_id="c-24", role=Role.MENTOR)[0].id
            'e-1'
        """
        where = _codec.terms(cls, filters)
        if _codec.matches_nothing(where):
            return []  # a value no store can hold matches nothing, in every store
        return self._select(cls, where)

    def all(self, cls: type[E]) -> list[E]:
        """Every entity of ``cls`` (and its registered subclasses), ordered by id.

        Raises:
            StorageError: the store cannot be read, or holds an unreadable document.
        """
        return self._select(cls, [])

    def _select(self, cls: type[E], where: list[Term]) -> list[E]:
        collection = _codec.info(cls).collection
        tags = _codec.tags_for(cls)
        with _bulk():
            with self._txn(write=False), self._errors():
                found = list(self._scan(collection, tags, where))
            return _codec.decode_many(found, collection)

    def _select_fields(
        self, cls: type[E], names: tuple[str, ...], where: list[Term]
    ) -> list[tuple[Any, ...]]:
        """:meth:`_select` narrowed to some fields: tuples, no entities (see read_fields).

        The fields the rows' columns hold exactly (ids, versions, most indexed fields) are
        read from them, and the documents only for the others (see `_codec.key_plan`).
        """
        collection = _codec.info(cls).collection
        tags = _codec.tags_for(cls)
        plan = _codec.key_plan(cls, names, tags)
        with _bulk():
            if plan is not None:
                with self._txn(write=False), self._errors():
                    rows = self._scan_columns(collection, tags, where, plan.columns)
                    rows = None if rows is None else list(rows)
                if rows is not None:
                    got = _codec.decode_keyed(rows, plan, collection)
                    if got is not None:
                        return got
            with self._txn(write=False), self._errors():
                found = list(self._scan(collection, tags, where))
            return _codec.decode_fields(found, collection, names)

    def _scan_columns(
        self,
        collection: str,
        tags: tuple[str, ...] | None,
        where: list[Term],
        columns: tuple[int | str, ...],
    ) -> Iterable[tuple[Any, ...]] | None:
        """The rows `_scan` selects, as ``(type, *columns)``, or ``None``.

        ``columns`` names ``"id"``, ``"version"``, key columns by position (0 is the first
        indexed field's) and ``"doc"`` (the document text). ``None``: the backend cannot
        vouch that its key columns follow the current index layout (or keeps none): the
        caller decodes the documents instead. Optional for a backend.
        """
        return None

    def delete(self, target: Entity | tuple[type[Entity], str]) -> None:
        """Delete an entity (checking its version) or a ``(cls, id)`` pair (any version).

        Raises:
            NotFoundError: nothing to delete (or it is of another class than ``cls``).
            ConflictError: the stored version differs from the entity's.
            StorageError: the store cannot be written.
        """
        version: int | None
        if isinstance(target, Entity):
            cls: type[Entity] = type(target)
            id, version, tags = target.id, target.version, None
            if type(version) is not int or not 0 <= version <= MAX_VERSION:
                raise ValidationError(
                    f"must be an integer from 0 to {MAX_VERSION}", field="version", value=version
                )
        elif isinstance(target, tuple) and len(target) == 2 and isinstance(target[1], str):
            cls, id = target
            version, tags = None, _codec.tags_for(cls)
        else:
            raise ValidationError(
                "must be an entity or a (class, id) pair", field="target", value=target
            )
        collection = _codec.info(cls).collection
        if not _codec.storable_key(id):  # no store holds it: not found, in every store
            raise NotFoundError(f"no {cls.__qualname__} with id {id!r} in {collection}")
        with self._txn(write=True):
            with self._errors():
                done = self._remove(collection, id, version, tags)
                found = None if done else self._fetch(collection, id)
            if done:
                return
            if found is None or (tags is not None and found[0] not in tags):
                raise NotFoundError(f"no {cls.__qualname__} with id {id!r} in {collection}")
            raise ConflictError(
                f"{collection}/{id} was read at version {version} but version {found[1]} is "
                "stored: somebody else changed it; read it again"
            )

    # -- life cycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Release connections and files. Closing twice is harmless."""
        if not self._closed:
            self._closed = True
            with self._errors():
                self._close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- whole-store transfer: the Recorder protocol (see _protocol and _transfer) -------------

    def _collections(self) -> list[str]:
        """The names of the collections that hold anything."""
        raise NotImplementedError

    def export_documents(self) -> dict[str, list[str]]:
        """Every stored document's text, by collection, ordered by id.

        See [Recorder][mentorkit.storage.Recorder].

        Raises:
            StorageError: the store cannot be read.
        """
        with self._txn(write=False), self._errors():
            return {
                name: [text for _, text in self._scan(name, None, [])]
                for name in self._collections()
            }

    def _clear(self) -> None:
        """Delete every stored entity (inside a write transaction)."""
        raise NotImplementedError

    def _empty(self) -> None:
        """Delete everything in the store, in one transaction."""
        with self._txn(write=True), self._errors():
            self._clear()

    def _is_empty(self) -> bool:
        """Whether the store holds no entity at all."""
        with self._txn(write=False), self._errors():
            return not self._collections()

    def restore(self, entities: Sequence[Entity]) -> None:
        """Insert entities keeping their versions (``>= 1``), all or nothing.

        See [Recorder][mentorkit.storage.Recorder]. Each entity is validated and encoded
        once, as a write does, with the collector paused (its previous state is restored,
        whatever happens).

        Raises:
            ValidationError: an entity is not valid (nothing is written); the message names
                its collection and id.
            ConflictError: an id exists in the store already, or appears twice (the
                message names it).
            StorageError: the store cannot be written.
        """
        with _bulk():
            if isinstance(entities, _document.Checked) and entities.layout == _codec.index_layout():
                # Made by the converter from an exported document, and written by the
                # generated writer (see _transfer.check_document): validated once already,
                # with the index keys of the layout this store uses.
                rows = [
                    _restored(e) if r is None else r
                    for e, r in zip(entities.entities, entities.rows, strict=True)
                ]
            else:
                _codec.fresh({type(e) for e in entities})  # hooks registered since: honoured
                rows = [_restored(e) for e in entities]
            if not rows:
                return
            try:
                with self._txn(write=True):
                    with self._errors():
                        done = self._insert(rows)
                    if done != len(rows):
                        raise _MismatchError(rows)
            except _MismatchError:
                raise self._restore_conflict(rows) from None

    def _restore_conflict(self, rows: Sequence[Row]) -> ConflictError:
        """Why a restore wrote fewer rows than asked (diagnosed after its rollback)."""
        with self._txn(write=False), self._errors():
            for row in rows:
                if self._fetch(row.collection, row.id) is not None:
                    return ConflictError(
                        f"{row.collection}/{row.id} already exists in {self!r}; "
                        "import into an empty store"
                    )
        seen: set[tuple[str, str]] = set()
        for row in rows:
            if (row.collection, row.id) in seen:
                return ConflictError(f"{row.collection}/{row.id} appears twice in one restore")
            seen.add((row.collection, row.id))
        return ConflictError(f"{len(rows)} entities changed while being restored; try again")


_restored = _codec.restored


class _MismatchError(Exception):
    """Fewer rows written than asked: a version conflict, diagnosed after the rollback."""

    def __init__(self, rows: Sequence[Row]) -> None:
        super().__init__()
        self.rows = rows
