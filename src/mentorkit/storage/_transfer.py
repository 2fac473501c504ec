"""Export a whole store to one versioned JSON document, and import it into another."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import attrs

from mentorkit.errors import StorageError, ValidationError
from mentorkit.model import Entity
from mentorkit.serialization import registered_types, to_dict
from mentorkit.storage import _codec, _document
from mentorkit.storage._protocol import Recorder

if TYPE_CHECKING:
    from collections.abc import Callable

    from mentorkit.storage._protocol import Store


def _roots() -> dict[str, list[type[Entity]]]:
    """The registered entity classes with no registered base in their collection."""
    classes = [
        k for k in set(registered_types.values()) if isinstance(k, type) and issubclass(k, Entity)
    ]
    out: dict[str, list[type[Entity]]] = {}
    for k in classes:
        if not any(
            o is not k and o.collection == k.collection and issubclass(k, o) for o in classes
        ):
            out.setdefault(k.collection, []).append(k)
    return out


#: The personal fields an export leaves out (writes as ``null``) unless asked for.
PERSONAL_FIELDS = ("email", "demographics")


def _without_personal_data(text: str) -> str:
    if not any(f'"{name}":' in text for name in PERSONAL_FIELDS):
        return text
    doc = json.loads(text)
    for name in PERSONAL_FIELDS:
        if doc.get(name) is not None:
            doc[name] = None
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def export_store(store: Store, *, personal_data: bool = False) -> str:
    """The whole store as one versioned JSON document (the format ``JsonStore`` keeps).

    Every entity is written with its type tag, schema version and ``version``, collections
    sorted by name and entities by id, one per line.
    [`import_store`][mentorkit.storage.import_store] reads it back into
    any backend. People's e-mail addresses and demographic fields are personal data: they
    are left out (written as ``null``) unless asked for; with ``personal_data=True`` the
    export is lossless.

    Args:
        store: Any store. A [Recorder][mentorkit.storage.Recorder] (every built-in
            backend) exports every stored document, types not registered in this process
            included; other stores export the registered types.
        personal_data: Keep people's ``email`` and ``demographics`` (needed to move a
            store losslessly to another backend).

    Raises:
        StorageError: the store cannot be read.

    Examples:
        >>> from mentorkit import Person
        >>> from mentorkit.storage import MemoryStore
        >>> source = MemoryStore()
        >>> _ = source.put(Person(id="p-1", name="Ana"))
        >>> target = MemoryStore()
        >>> import_store(target, export_store(source, personal_data=True))
        1
        >>> target.get(Person, "p-1").version
        1
    """
    keep: Callable[[str], str] = (lambda t: t) if personal_data else _without_personal_data
    if isinstance(store, Recorder):
        groups = store.export_documents()
        return _document.dump(
            (name, [keep(t) for t in texts]) for name, texts in sorted(groups.items())
        )
    groups_: dict[str, list[tuple[str, str]]] = {}
    for collection, roots in _roots().items():
        seen = groups_.setdefault(collection, [])
        for root in roots:
            seen.extend((e.id, keep(_codec._ENCODE(to_dict(e)))) for e in store.all(root))
    return _document.dump(
        (name, (text for _, text in sorted(docs))) for name, docs in sorted(groups_.items())
    )


def import_store(store: Store, document: str | bytes) -> int:
    """Load a document written by `export_store` into a store, all or nothing.

    Every document is validated through the converter first. A
    [Recorder][mentorkit.storage.Recorder] (every built-in backend) keeps each entity's
    ``version``; other stores receive plain puts (versions restart at 1).

    Args:
        store: The target store; the imported ids must not exist in it yet.
        document: The exported text.

    Returns:
        How many entities were imported.

    Raises:
        StorageError: the document is not a mentorkit store document (or a newer one), or
            holds a document that is not valid or whose type is not registered.
        ConflictError: an imported id already exists in the store; nothing is imported.
    """
    if not callable(getattr(store, "put_many", None)):
        raise ValidationError("must be a store", field="store", value=store)
    return load_entities(store, check_document(document))


def load_entities(store: Store, entities: list[Any]) -> int:
    """Put the entities `check_document` returned into a store, all or nothing."""
    if isinstance(store, Recorder):
        store.restore(entities)
    else:
        store.put_many([attrs.evolve(e, version=0) for e in entities])
    return len(entities)


def check_document(document: str | bytes) -> list[Any]:
    """The entities of an exported document, every one validated.

    See [`import_store`][mentorkit.storage.import_store].

    Raises:
        StorageError: as [`import_store`][mentorkit.storage.import_store] does for a bad document.
    """
    if not isinstance(document, str | bytes):
        raise StorageError(f"the imported document must be text, not a {type(document).__name__}")
    found = _document.load(document, "the imported document")
    entities: list[Any] = []
    for collection, docs in sorted(found.items()):
        for doc in docs:
            entity = _codec.decode(doc.type, doc.text, collection, doc.id)
            if entity.collection != collection:
                raise StorageError(
                    f"the imported document lists {doc.type} {doc.id!r} under {collection!r}, "
                    f"but it belongs in {entity.collection!r}"
                )
            entities.append(entity)
    return entities
