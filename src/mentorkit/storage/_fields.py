"""``read_fields``: a few fields of many entities, without building the entities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from mentorkit.errors import ValidationError
from mentorkit.model import Entity
from mentorkit.storage import _codec
from mentorkit.storage._base import BaseStore

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mentorkit.storage._protocol import Store


def read_fields(
    store: Store, cls: type[Entity], fields: Sequence[str], **filters: Any
) -> list[tuple[Any, ...]]:
    """The values of some fields of the entities ``store.find(cls, **filters)`` returns.

    One tuple per entity, ordered by id as ``find`` (or ``all``, without filters) orders
    them, holding ``getattr(entity, name)`` for each name in ``fields``: exactly the values
    the entities would have. The built-in stores read them without building the entities,
    several times faster for reports that need a few fields of a million entities: ids,
    versions and indexed fields of types whose key converts back exactly (strings, flags,
    enums, dates; not datetimes) come from the rows' key columns, without reading the
    documents; the other fields are structured from each document field by field as the
    converter does (the document decoded whole when that shortcut cannot vouch for it).
    Any other [Store][mentorkit.storage.Store] reads the entities. A stored document whose
    asked-for fields cannot be read raises as ``find`` does; the fields not asked for, and
    those the key columns answer, are not read from it, so not checked either.

    Args:
        store: Any store.
        cls: The entity class (its registered subclasses are included, as in ``find``).
        fields: Names of fields of ``cls``.
        **filters: Indexed fields to match, as in [Store.find][mentorkit.storage.Store.find].

    Returns:
        The tuples, in id order.

    Raises:
        ValidationError: ``fields`` names no field of ``cls``, or a filter is not
            indexed or has a value of the wrong type.
        StorageError: the store cannot be read, or holds an unreadable document.

    Examples:
        >>> import datetime as dt
        >>> from mentorkit.model import Session
        >>> from mentorkit.storage import MemoryStore, read_fields
        >>> store = MemoryStore()
        >>> _ = store.put(Session(id="s-1", mentorship_id="m-1", minutes=60,
        ...                       start=dt.datetime(2025, 6, 5, 16, tzinfo=dt.UTC)))
        >>> read_fields(store, Session, ("id", "minutes"), mentorship_id="m-1")
        [('s-1', 60)]
    """
    if not (isinstance(cls, type) and issubclass(cls, Entity)):
        raise ValidationError("must be an entity class", field="cls", value=cls)
    if isinstance(fields, str) or not all(isinstance(name, str) for name in fields):
        raise ValidationError("must be a sequence of field names", field="fields", value=fields)
    names = tuple(fields)
    known = attrs.fields_dict(cls)
    for name in names:
        if name not in known:
            raise ValidationError(
                f"is not a field of {cls.__qualname__}", field="fields", value=name
            )
    if isinstance(store, BaseStore):
        where = _codec.terms(cls, filters)
        if _codec.matches_nothing(where):
            return []  # as find: a value no store can hold, in every store
        return store._select_fields(cls, names, where)
    entities = store.find(cls, **filters) if filters else store.all(cls)
    return [tuple([getattr(e, name) for name in names]) for e in entities]
