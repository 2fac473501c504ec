"""The `Store` protocol every backend implements, and the `Range` filter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar, runtime_checkable

import attrs

from mentorkit.errors import ValidationError
from mentorkit.model import Entity

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from contextlib import AbstractContextManager
    from types import TracebackType


E = TypeVar("E", bound=Entity)


@attrs.frozen
class Range:
    """A half-open range filter for `Store.find`: ``start <= value < end``.

    Either end may be ``None`` (unbounded). The ends have the field's type: aware
    datetimes for ``Session.start``, dates for date fields, strings for ids. An enum field
    is filtered on one member at a time: a ``Range`` over it is a ``ValidationError``.

    Examples:
        >>> import datetime as dt
        >>> september = Range(dt.datetime(2024, 9, 1, tzinfo=dt.UTC),
        ...                   dt.datetime(2024, 10, 1, tzinfo=dt.UTC))
        >>> september.end.month
        10
    """

    start: Any = None
    end: Any = None

    def __attrs_post_init__(self) -> None:
        if self.start is None and self.end is None:
            raise ValidationError("needs a start, an end, or both", field="range")
        if self.start is not None and self.end is not None:
            try:
                backwards = bool(self.end < self.start)
            except TypeError:
                raise ValidationError(
                    "start and end must be of the same type", field="range", value=self
                ) from None
            if backwards:
                raise ValidationError("end must not be before start", field="range", value=self)


@runtime_checkable
class Store(Protocol):
    """Protocol: where mentorkit entities are kept, with optimistic concurrency.

    Every backend ([`MemoryStore`][mentorkit.storage.MemoryStore],
    [`JsonStore`][mentorkit.storage.JsonStore], [`SQLiteStore`][mentorkit.storage.SQLiteStore],
    [`PostgresStore`][mentorkit.storage.PostgresStore], or your own) behaves the same way, which
    [`mentorkit.testing.StoreContract`][mentorkit.testing.StoreContract] checks:

    * Entities live in collections named by their class's ``collection`` (a registered
      subclass such as ``StaffPerson(Person)`` lives with its base, and comes back as its own
      class).
    * ``version`` is the version an entity was read at; ``0`` means "new".
      [`put`][mentorkit.storage.Store.put]
      returns the stored entity with ``version + 1``; a put or delete based on another
      version than the stored one raises [`ConflictError`][mentorkit.errors.ConflictError].
    * Every write validates the whole entity before storage is touched: a bad entity raises
      [`ValidationError`][mentorkit.errors.ValidationError] and leaves the store unchanged.
    * Driver failures surface as [`StorageError`][mentorkit.errors.StorageError].
    """

    def put(self, entity: E) -> E:
        """Insert (``version == 0``) or update an entity; return it with its new version.

        Raises:
            ValidationError: the entity is not a valid, registered entity.
            ConflictError: the id is taken (insert), or the stored version differs
                (update, including an entity deleted meanwhile).
        """
        ...

    def put_many(self, entities: Iterable[E]) -> list[E]:
        """Put several entities at once, all or nothing; return them as stored.

        Raises:
            ValidationError: an entity is invalid, or one id appears twice.
            ConflictError: as for [`put`][mentorkit.storage.Store.put]; nothing is written.
        """
        ...

    def get(self, cls: type[E], id: str) -> E:
        """The entity of class ``cls`` (or a subclass of it) with this id.

        Raises:
            NotFoundError: no such entity, or the entity is of another class.
        """
        ...

    def find(self, cls: type[E], **filters: Any) -> list[E]:
        """The entities of ``cls`` whose indexed fields equal the filters, ordered by id.

        A filter value is a value of the field's type (``None`` matches a missing value) or
        a [`Range`][mentorkit.storage.Range].

        Raises:
            ValidationError: a filter names a field that is not indexed, or has a value of
                the wrong type.
        """
        ...

    def all(self, cls: type[E]) -> list[E]:
        """Every entity of ``cls`` (and its subclasses), ordered by id."""
        ...

    def delete(self, target: Entity | tuple[type[Entity], str]) -> None:
        """Delete an entity (checking its version) or a ``(cls, id)`` pair (any version).

        Raises:
            NotFoundError: nothing to delete.
            ConflictError: the stored version differs from the entity's.
        """
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """Group writes: all of them are kept when the block ends, none if it raises.

        Nested transactions are savepoints: an exception leaving the inner block undoes
        only the inner block's writes.
        """
        ...

    def close(self) -> None:
        """Release connections and files. Closing twice is harmless."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


@runtime_checkable
class Recorder(Protocol):
    """Protocol: a store that hands over its stored documents and takes entities back as stored.

    The seam whole-store transfer goes through
    ([`export_store`][mentorkit.storage.export_store] and
    [`import_store`][mentorkit.storage.import_store]), in the spirit of eventsourcing's
    recorders: nothing outside a backend needs its private methods. Every built-in store is a
    recorder; a store that is not one is exported through ``all`` and imported through plain
    ``put_many`` (its versions restart at 1).

    Examples:
        >>> from mentorkit import Person
        >>> from mentorkit.storage import MemoryStore, Recorder
        >>> store = MemoryStore()
        >>> _ = store.put(Person(id="p-1", name="Ana"))
        >>> isinstance(store, Recorder)
        True
        >>> store.export_documents()["person"][0][:40]
        '{"$type":"person","$schema":1,"id":"p-1"'
        >>> copy = MemoryStore()
        >>> copy.restore([store.get(Person, "p-1")])
        >>> copy.get(Person, "p-1").version
        1
    """

    def export_documents(self) -> Mapping[str, Sequence[str]]:
        """Every stored document's text (tagged, versioned JSON), by collection, ordered by id.

        One consistent snapshot, documents of types not registered in this process included.

        Raises:
            StorageError: the store cannot be read.
        """
        ...

    def restore(self, entities: Sequence[Entity]) -> None:
        """Insert entities keeping their versions (each ``>= 1``), all or nothing.

        Every entity is validated as a write validates it.

        Raises:
            ValidationError: an entity is not valid (nothing is written).
            ConflictError: an id exists in the store already, or appears twice.
            StorageError: the store cannot be written.
        """
        ...
