"""Export a whole store to one versioned JSON document, and import it into another."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from mentorkit._gc import paused
from mentorkit.errors import StorageError, ValidationError
from mentorkit.model import Entity
from mentorkit.serialization import (
    SCHEMA_KEY,
    SCHEMA_VERSION,
    TAG_KEY,
    registered_types,
    structure,
    to_dict,
)
from mentorkit.storage import _codec, _document, _fastpath
from mentorkit.storage._protocol import Recorder

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

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

    The document is parsed once and every entry is validated once, through the converter;
    a [Recorder][mentorkit.storage.Recorder] (every built-in backend) then restores the
    entities keeping each one's ``version``; other stores receive plain puts (versions
    restart at 1). The cyclic garbage collector is paused meanwhile (and left as it was).

    Args:
        store: The target store; the imported ids must not exist in it yet.
        document: The exported text.

    Returns:
        How many entities were imported.

    Raises:
        StorageError: the document is not a mentorkit store document (or a newer one), or
            holds an entry that is not valid or whose type is not registered; the message
            names the entry (collection and id) and the bad field, never a personal value.
            Nothing is imported.
        ConflictError: an imported id already exists in the store; nothing is imported.

    Examples:
        >>> from mentorkit import Person
        >>> from mentorkit.storage import MemoryStore
        >>> source = MemoryStore()
        >>> _ = source.put_many([Person(id="p-1", name="Ana"), Person(id="p-2", name="Bo")])
        >>> target = MemoryStore()
        >>> import_store(target, export_store(source))
        2
        >>> import_store(target, export_store(source))
        Traceback (most recent call last):
        ...
        mentorkit.errors.ConflictError: person/p-1 already exists in MemoryStore(); import into an empty store
    """  # noqa: E501
    if not callable(getattr(store, "put_many", None)):
        raise ValidationError("must be a store", field="store", value=store)
    with paused():  # one pause: between the two steps it would walk every entity made
        return load_entities(store, check_document(document))


def load_entities(store: Store, entities: Sequence[Any]) -> int:
    """Put the entities `check_document` returned into a store, all or nothing.

    Raises:
        StorageError: an entity the converter made is one no store can write (a NUL in an
            id or index key, text that is not valid Unicode): the document is not valid.
            The message names the entry (collection and id) and the field, not its value.
    """
    with paused():
        try:
            if isinstance(store, Recorder):
                store.restore(entities)
            else:
                store.put_many([attrs.evolve(e, version=0) for e in entities])
        except ValidationError as exc:  # only a write checks these: name the entry
            raise _unwritable(entities, exc) from None
    return len(entities)


def _unwritable(entities: Sequence[Any], exc: ValidationError) -> Exception:
    """The error for a document holding an entry the write refused (found again here).

    ``exc`` itself when a validator refuses the entry (imported with attrs validators
    switched off, the converter ran none), or no entry is refused (the store refused
    something else).
    """
    for entity in entities:
        try:
            _codec.restored(entity)
        except ValidationError as found:
            try:
                _codec._validate_tree(entity)
            except ValidationError:
                return exc
            return _unstorable(entity.collection, entity.id, found)
    return exc


def check_document(document: str | bytes) -> _document.Checked:
    """The entities of an exported document, every one validated once, by the converter.

    The document is parsed once; each entry is structured by the converter's hook for its
    type (``__init__``: converters, validators), and written at its own version by the
    generated writer (``_fastpath.make_writer``), so a built-in store's ``restore`` stores
    those rows as they are. With attrs validators switched off no row is made: ``restore``
    then validates every entity itself.

    See [`import_store`][mentorkit.storage.import_store].

    Raises:
        StorageError: as [`import_store`][mentorkit.storage.import_store] does for a bad document.
    """
    if not isinstance(document, str | bytes):
        raise StorageError(f"the imported document must be text, not a {type(document).__name__}")
    with paused():
        # Each entry is dropped once read (set to None), so the entities made after it
        # reuse its memory, still in the cache, rather than fresh pages.
        found: dict[str, list[Any]] = _document.parse(document, "the imported document")
        trusted = not attrs.validators.get_disabled()
        layout = _codec.index_layout()
        entities: list[Any] = []
        rows: list[_codec.Row | None] = []
        hooks: dict[str, _Hook] = {}
        for collection, entries in sorted(found.items()):
            # Runs of entries of one type (mostly a whole collection) are structured
            # together; each run's entries are dropped once read (set to None), so the
            # entities made after them reuse their memory, still in the cache.
            start = 0
            while start < len(entries):
                tag = entries[start].get(TAG_KEY)
                hook = hooks.get(tag) or _hook(tag, collection, entries[start].get("id"))
                hooks[tag] = hook
                if hook.collection != collection:
                    raise StorageError(
                        f"the imported document lists {tag} {entries[start]['id']!r} under "
                        f"{collection!r}, but it belongs in {hook.collection!r}"
                    )
                end = start
                docs: list[dict[str, Any]] = []
                while end < len(entries) and entries[end].get(TAG_KEY) == tag:
                    entry = entries[end]
                    entries[end] = None
                    del entry[TAG_KEY]
                    schema = entry.pop(SCHEMA_KEY, None)
                    if type(schema) is not int or schema != SCHEMA_VERSION:  # true == 1
                        raise _wrong_schema(tag, collection, entry["id"], schema)
                    docs.append(entry)
                    end += 1
                start = end
                entities.extend(_structure(docs, hook, collection))
                write = hook.write if trusted else None
                for entity in entities[len(rows) :]:
                    row = None
                    if write is not None and type(entity) is hook.cls:
                        try:  # noqa: SIM105 - cheaper per entity than contextlib.suppress
                            row = write(entity)
                        except Exception:  # noqa: S110 - restore validates and encodes it
                            pass
                    rows.append(row)
    return _document.Checked(tuple(entities), tuple(rows), layout)


def _structure(docs: list[dict[str, Any]], hook: _Hook, collection: str) -> list[Any]:
    """The entities of a run of entries of one type: the batch, or the hook entry by entry.

    ``_codec.structure_batch`` gives what the converter's hook gives, or declines; then
    each entry goes through the hook, and the first it refuses is named (collection, id,
    field and value).
    """
    made = _codec.structure_batch(docs, hook.cls)
    if made is not None:
        return made
    out = []
    for entry in docs:
        try:
            out.append(hook.structure(entry, hook.cls))
        except Exception as exc:  # the public path below names the bad field
            raise _invalid(collection, entry, hook.cls, exc) from None
    return out


class _Hook(NamedTuple):
    """How to read and write the entries of one type tag."""

    cls: type[Entity]
    collection: str
    structure: Callable[[Any, Any], Any]
    write: Callable[[Any], _codec.Row] | None


#: The generated writer of each class, with the codec's class information it was made for
#: (a new index layout makes new information, and so a new writer).
_WRITERS: dict[type[Any], tuple[_codec.ClassInfo, Callable[[Any], _codec.Row] | None]] = {}


def _hook(tag: str, collection: str, id: str) -> _Hook:
    """The converter's structure hook and the generated writer for a type tag's class."""
    cls = registered_types.get(tag)
    if not (isinstance(cls, type) and issubclass(cls, Entity)) or cls is Entity:
        raise StorageError(
            f"the imported entry {collection}/{id} is of type {tag!r}, which is not a "
            "registered entity type in this process: import the module that registers it "
            "(mentorkit.serialization.register)"
        )
    try:
        meta = _codec.info(cls)
    except ValidationError as exc:
        raise StorageError(f"the imported entry {collection}/{id}: {exc}") from None
    made = _WRITERS.get(cls)
    if made is None or made[0] is not meta:
        write = _fastpath.make_writer(
            cls,
            prefix=meta.prefix,
            names=meta.keys,
            width=_codec.MAX_KEYS,
            key=_codec.key,
            row=_codec.Row,
            head=(meta.collection, meta.tag),
        )
        made = _WRITERS[cls] = (meta, write)
    return _Hook(meta.cls, meta.collection, meta.structure, made[1])


def _unstorable(collection: str, id: str, exc: ValidationError) -> StorageError:
    """The error for an entry a store cannot write (the field named, its value not shown)."""
    field = f" ({exc.field})" if exc.field else ""
    return StorageError(
        f"the imported entry {collection}/{id!r} cannot be stored{field}: {exc.message}"
    )


def _wrong_schema(tag: str, collection: str, id: str, schema: object) -> StorageError:
    has = "no schema version" if schema is None else f"schema version {schema!r}"
    return StorageError(
        f"the imported {tag!r} entry {collection}/{id} has {has}; this mentorkit reads "
        f"version {SCHEMA_VERSION}"
    )


def _invalid(collection: str, entry: dict[str, Any], cls: type[Any], exc: Exception) -> Exception:
    """The error for an entry the converter refused, naming each bad field (no personal value)."""
    where = f"the imported entry {collection}/{entry['id']}"
    try:
        structure(entry, cls)
    except ValidationError as detailed:
        return StorageError(f"{where} is not valid: {detailed}")
    return StorageError(f"{where} is not valid ({type(exc).__name__})")  # no value echoed
