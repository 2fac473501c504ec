"""Entities to stored rows and back: validation, JSON text, index keys, filters.

Every backend writes the same document text (``serialization.to_dict`` of the entity, with
its new version) and the same index keys, so they agree on what ``find`` returns and a store
moves between backends losslessly.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import operator
import re
import types
from collections import deque
from enum import Enum
from typing import TYPE_CHECKING, Any, NamedTuple, Union, cast, get_args, get_origin

import attrs

from mentorkit.errors import StorageError, ValidationError
from mentorkit.model import Entity
from mentorkit.model._checks import MAX_KEY_LENGTH, MAX_VERSION
from mentorkit.serialization import (
    SCHEMA_KEY,
    SCHEMA_VERSION,
    TAG_KEY,
    converter,
    registered_types,
    structure,
    tag_of,
)
from mentorkit.storage import _fastpath
from mentorkit.storage._protocol import Range

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

#: How many indexed fields one collection may have (the key columns of the SQL tables).
MAX_KEYS = 6

_INDEXES: dict[str, tuple[str, ...]] = {
    "action_item": ("owner_id", "session_id", "due", "done"),
    "action_plan": ("person_id", "goal_id"),
    "assessment": ("person_id",),
    "coaching_cycle": ("person_id", "coach_id", "program_id", "mentorship_id"),
    "attendance": ("event_id", "person_id", "cohort_id"),
    "award": ("cohort_id", "person_id", "event_id"),
    "cohort": ("program_id",),
    "engagement": ("cohort_id", "coach_id", "org_unit_id", "program_id"),
    "enrollment": ("person_id", "cohort_id", "role", "status"),
    "event": ("cohort_id", "kind", "date"),
    "goal": ("person_id",),
    "mentorship": ("mentor_id", "mentee_id", "cohort_id", "program_id", "start"),
    "org_unit": ("parent_id", "kind"),
    "outcome": ("person_id", "kind"),
    "person": ("org_unit_id", "supervisor_id"),
    "reflection": ("person_id", "mentorship_id", "session_id", "written"),
    "session": ("mentorship_id", "start", "engagement_id", "protocol"),
    "survey_result": ("survey_id", "org_unit_id", "cycle", "condition"),
    "survey_response": ("survey_id", "org_unit_id", "cycle"),
    "survey_administration": ("survey_id", "cycle"),
    "inquiry": ("org_unit_id", "survey_id", "condition"),
    "target": ("program_id",),
}
#: The indexed fields of each collection, usable in ``Store.find`` (read-only). Adding a line
#: above, or calling :func:`register_index`, is all it takes to index a collection: SQL stores
#: re-key their existing rows when they open with a new layout.
INDEXES: Mapping[str, tuple[str, ...]] = types.MappingProxyType(_INDEXES)
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def register_index(collection: str, *fields: str, replace: bool = False) -> None:
    """Index fields of a collection (yours, or a built-in one) for ``Store.find``.

    Register at import time, before opening stores: a SQL store fills in the new keys of its
    existing rows when it opens. Each field must be a field of every class stored in the
    collection (checked when the class is first stored or queried).

    A ``Range`` filter works on str, date and datetime fields (and bool: ``False < True``),
    in the order of their values. An enum field is filtered on one member at a time:
    ``find`` refuses a ``Range`` over it (its keys are the members' values as text, whose
    order is not the values' order for an enum of integers, and members have none).

    Args:
        collection: The collection name (an entity class's ``collection``).
        *fields: Up to six field names, most selective first: SQL stores give the first
            three an index each and filter on the others.
        replace: Allow changing the fields of a collection that is already indexed.

    Raises:
        ValidationError: a malformed name, too many or repeated fields, a field whose type
            is not str, bool, an enum, date or datetime (or optional of those) in a registered
            class of the collection, or a collection that is indexed differently already
            (without ``replace``).

    Example:
        >>> register_index("site_visit", "person_id", "school_id")
        >>> INDEXES["site_visit"]
        ('person_id', 'school_id')
    """
    if not isinstance(collection, str) or not _NAME.match(collection):
        raise ValidationError(
            "must be a lower-case name (letters, digits, _)", field="collection", value=collection
        )
    if not fields or len(fields) > MAX_KEYS:
        raise ValidationError(f"must be 1 to {MAX_KEYS} field names", field="fields", value=fields)
    for name in fields:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValidationError("must be a field name", field="fields", value=name)
    if len(set(fields)) != len(fields):
        raise ValidationError("must not repeat a field", field="fields", value=fields)
    if _INDEXES.get(collection, fields) != fields and not replace:
        raise ValidationError(
            f"is indexed on {_INDEXES[collection]} already (pass replace=True to change it)",
            field="collection",
            value=collection,
        )
    for klass in registered_types.values():
        is_entity = isinstance(klass, type) and issubclass(klass, Entity)
        if is_entity and klass.collection == collection:
            known = attrs.fields_dict(klass)
            for name in fields:
                if name in known:
                    _check_key_type(klass, name)
    _set_index(collection, tuple(fields))
    _REGISTERED.add(collection)


def _check_key_type(cls: type[Any], name: str) -> None:
    """Require an indexable field type: str, bool, an enum, date or datetime (or optional).

    Raises:
        ValidationError: naming the field and its type.
    """
    for tp in _field_types(cls, name):
        if tp is type(None) or tp in (str, bool, dt.date, dt.datetime):
            continue
        if isinstance(tp, type) and issubclass(tp, Enum):
            continue
        raise ValidationError(
            f"cannot be indexed: {cls.__qualname__}.{name} is of type "
            f"{getattr(tp, '__qualname__', tp)}; indexed fields must be str, bool, an enum, date "
            "or datetime (or optional)",
            field=name,
            value=getattr(tp, "__qualname__", repr(tp)),
        )


def _set_index(collection: str, fields: tuple[str, ...]) -> None:
    _INDEXES[collection] = fields
    for cls in [c for c, meta in _INFO.items() if meta.collection == collection]:
        del _INFO[cls]


#: Collections whose index this process chose with :func:`register_index` (the others carry
#: the built-in definition, or none): only these override a store's recorded layout.
_REGISTERED: set[str] = set()


# Keys for aware datetimes: microseconds since 0001-01-01 UTC, shifted so the earliest
# instant representable with any offset is positive, zero-padded so text order is time order.
_EPOCH = dt.datetime(1, 1, 1)
_DAY_US = 86_400_000_000


def index_layout() -> str:
    """The index layout as text; a SQL store re-keys its rows when this changes."""
    return json.dumps(dict(sorted(INDEXES.items())), separators=(",", ":"))


def key(value: object) -> str | None:
    """The text an indexed value is stored and compared as (order-preserving per type)."""
    if value is None:
        return None
    if value is True or value is False:
        return "true" if value else "false"  # what json.dumps writes, sooner
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.datetime):
        offset = value.utcoffset()
        if offset is None:
            raise ValidationError("must be a timezone-aware datetime", value=value)
        micros = (value.replace(tzinfo=None) - _EPOCH) // dt.timedelta(microseconds=1)
        micros -= offset // dt.timedelta(microseconds=1)
        return f"{micros + _DAY_US:020d}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    return json.dumps(value)


class ClassInfo(NamedTuple):
    """What the codec needs to know about one entity class, computed once."""

    cls: type[Entity]
    tag: str
    collection: str
    keys: tuple[str, ...]
    unstructure: Callable[[Any], dict[str, Any]]
    structure: Callable[[Any, Any], Any]
    #: The start of every document of this class: its tag and schema version.
    prefix: str
    #: The index key columns of an entity (its own keys, then ``None``).
    index_keys: Callable[[Any], tuple[str | None, ...]]
    #: The write shortcut (version, validation, text and keys, returning the :class:`Row`)
    #: that agrees with the converter round trip, or ``None``: always the round trip.
    fast_encode: Callable[[Any], Row] | None


_INFO: dict[type[Any], ClassInfo] = {}


def info(cls: type[Any]) -> ClassInfo:
    """The (cached) :class:`ClassInfo` of a registered entity class.

    Raises:
        ValidationError: ``cls`` is not a registered subclass of ``Entity``.
    """
    found = _INFO.get(cls)
    if found is not None:
        # Registering any hook clears the converter's cache of hooks, so a class's hook is
        # a new function the next time it is asked for: the cached information (its hooks,
        # the write shortcut, read plans) was made for an earlier converter. Two cached
        # look-ups; callers ask once per batch, not per entity.
        if (
            converter.get_unstructure_hook(cls) is found.unstructure
            and converter.get_structure_hook(cls) is found.structure
        ):
            return found
        _forget()
    if not (isinstance(cls, type) and issubclass(cls, Entity)) or cls is Entity:
        raise ValidationError(
            "must be an entity class (a subclass of mentorkit.model.Entity)",
            field="cls",
            value=getattr(cls, "__qualname__", cls),
        )
    tag = tag_of(cls)
    collection = cls.collection
    keys = INDEXES.get(collection, ())
    known = attrs.fields_dict(cls)
    for name in keys:
        if name not in known:
            raise ValidationError(
                f"is indexed for collection {collection!r} but is not a field of "
                f"{cls.__qualname__}",
                field=name,
            )
        _check_key_type(cls, name)
    prefix = f'{{"{TAG_KEY}":{json.dumps(tag)},"{SCHEMA_KEY}":{SCHEMA_VERSION},'
    try:
        found = _class_info(cls, tag, collection, keys, prefix)
    except ValidationError:
        raise
    except Exception as exc:  # the converter cannot handle one of its field types
        raise ValidationError(
            f"cannot be stored: the converter cannot read or write it ({exc})",
            field="cls",
            value=cls.__qualname__,
        ) from exc
    _INFO[cls] = found
    return found


def _forget() -> None:
    """Drop everything made from the converter's hooks (it has changed: see :func:`info`)."""
    _INFO.clear()
    _PLANS.clear()
    _KEY_PLANS.clear()


def fresh(classes: Iterable[type[Any]]) -> None:
    """Bring the cached information of each entity class up to date (once per batch).

    Per-entity paths (:func:`encode`, :func:`restored`) read the cache as it is; a batch
    calls this first so hooks registered since the classes were last stored are honoured.
    Classes that are not entity classes are left to those paths to refuse.
    """
    for cls in classes:
        if isinstance(cls, type) and issubclass(cls, Entity) and cls is not Entity:
            info(cls)


def encode_many(entities: Iterable[Any]) -> list[Row]:
    """:func:`encode` of each entity, the class information checked once per class."""
    seen: set[type[Any]] = set()
    out: list[Row] = []
    for entity in entities:
        kind = type(entity)
        if kind not in seen:
            seen.add(kind)
            fresh((kind,))
        out.append(encode(entity))
    return out


def restored(entity: Any) -> Row:
    """The row of an entity restored at its own version (validated as a write validates).

    Raises:
        ValidationError: not an entity, a version below 1, or an entity a write refuses;
            the message names its collection and id.
    """
    if not isinstance(entity, Entity):
        raise ValidationError("must be an entity", field="entity", value=type(entity).__qualname__)
    version = entity.version
    if type(version) is not int or not 1 <= version <= MAX_VERSION:
        raise ValidationError(
            f"must be an integer from 1 to {MAX_VERSION} (a restored entity keeps its version)",
            field="version",
            value=version,
        )
    meta = _INFO.get(type(entity)) or info(type(entity))
    if meta.fast_encode is not None:
        # The generated write with the version kept: the same row as the reference below,
        # without first making the entity at ``version - 1`` (property-tested).
        try:
            return cast("Callable[[Any, bool], Row]", meta.fast_encode)(entity, True)
        except Exception:  # noqa: S110 - the reference path below decides and explains
            pass
    try:
        earlier = attrs.evolve(entity, version=version - 1)
    except ValidationError as exc:  # a validator refused a field: say which entity
        raise ValidationError(
            f"{meta.collection}/{entity.id}: {exc.message}", field=exc.field, errors=exc.errors
        ) from exc
    return encode(earlier)


def _class_info(
    cls: type[Any], tag: str, collection: str, keys: tuple[str, ...], prefix: str
) -> ClassInfo:
    return ClassInfo(
        cls=cls,
        tag=tag,
        collection=collection,
        keys=keys,
        unstructure=converter.get_unstructure_hook(cls),
        structure=converter.get_structure_hook(cls),
        prefix=prefix,
        index_keys=_keys_of(keys),
        fast_encode=_fastpath.make_encoder(
            cls,
            prefix=prefix,
            names=keys,
            width=MAX_KEYS,
            key=key,
            row=Row,
            head=(collection, tag),
        ),
    )


def tags_for(cls: type[Entity]) -> tuple[str, ...] | None:
    """The type tags a query for ``cls`` accepts, or ``None`` for "the whole collection".

    ``None`` when every registered type of the collection is ``cls`` or a subclass of it, so
    stores can skip the type filter; unknown tags found in storage are then reported.
    """
    collection = info(cls).collection
    mine: list[str] = []
    others = False
    for tag, klass in registered_types.items():
        if not (isinstance(klass, type) and issubclass(klass, Entity)):
            continue
        if klass.collection != collection:
            continue
        if issubclass(klass, cls):
            mine.append(tag)
        else:
            others = True
    return tuple(sorted(mine)) if others else None


class Row(NamedTuple):
    """An entity encoded for writing."""

    collection: str
    id: str
    type: str
    #: The version the entity was read at (0: new); the write succeeds only if it is stored.
    expected: int
    #: The version it is stored with (``expected + 1``).
    version: int
    keys: tuple[str | None, ...]
    text: str
    #: The entity as stored (validated through the converter, with its new version).
    entity: Any


# One encoder, built once: json.dumps would build it again for every document.
_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
_DECODE = json.JSONDecoder().decode
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def storable_key(value: str) -> bool:
    """Whether any store can hold ``value`` as an id or key: no NUL, and valid Unicode.

    What a lookup checks first: a value that no store ever wrote is in none of them
    (rather than one store's driver refusing the query, another answering nothing). Length
    is not checked: a store may hold longer ids written before they were limited.
    """
    if "\x00" in value:
        return False
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
    return True


def matches_nothing(where: Sequence[Term]) -> bool:
    """Whether an equality term asks for a value no store can hold (see `storable_key`)."""
    return any(op == "=" and k is not None and not storable_key(k) for _, op, k in where)


def _check_text(value: str, field: str) -> None:
    # NUL cannot be stored in PostgreSQL text, nor a long value in its index; refusing them
    # everywhere keeps backends alike (a SQLite export always imports into PostgreSQL).
    if "\x00" in value:
        raise ValidationError("must not contain the NUL character", field=field, value=value)
    if len(value) > MAX_KEY_LENGTH:
        raise ValidationError(
            f"must be at most {MAX_KEY_LENGTH} characters to be stored (it is indexed; got "
            f"{len(value):,})",
            field=field,
        )


def encode(entity: Any) -> Row:
    """Validate an entity as the converter round trip would and encode it for storage.

    The converter round trip is the validation: the entity is unstructured, its new
    version set, and the document structured back (``__init__`` runs every converter and
    validator once); the document text is what was structured, so a store only ever holds
    what it can read back. Entities of classes with cattrs' own hooks take a generated
    shortcut that answers the same or declines (see
    :func:`mentorkit.storage._fastpath.make_encoder`; it buys the write goal of
    ``benchmarks/bench_storage.py``).

    Raises:
        ValidationError: not a registered entity, or a field the converter cannot write or
            read back; the message names the entity and the field.
    """
    if not isinstance(entity, Entity):
        raise ValidationError("must be an entity", field="entity", value=type(entity).__qualname__)
    meta = _INFO.get(type(entity)) or info(type(entity))
    if meta.fast_encode is not None:
        # Field types checked exactly, containers copied, validators run (even inside
        # attrs.validators.disabled(): a store never holds what it could not read back).
        # Anything it cannot vouch for goes the long way.
        try:
            return meta.fast_encode(entity)
        except Exception:  # noqa: S110 - the reference path below decides and explains
            pass
    expected = entity.version
    if type(expected) is not int or not 0 <= expected < MAX_VERSION:
        raise ValidationError(
            f"must be an integer from 0 to {MAX_VERSION - 1} (the stored version is one more)",
            field="version",
            value=expected,
        )
    if not isinstance(entity.id, str):  # checked first: messages below name the id
        raise ValidationError("must be a string", field="id", value=entity.id)
    version = expected + 1
    try:
        body = meta.unstructure(entity)
    except Exception as exc:  # a field the converter cannot write
        where = f"{meta.collection}/{entity.id}"
        raise ValidationError(f"{where}: cannot be serialised: {exc}", field="entity") from exc
    body["version"] = version
    try:
        stored = meta.structure(body, meta.cls)
    except Exception:
        _explain(meta, entity, body)
        raise
    if attrs.validators.get_disabled():  # the round trip ran no validator: run them all
        try:
            _validate_tree(stored)
        except ValidationError as exc:
            where = f"{meta.collection}/{entity.id}"
            raise ValidationError(
                f"{where}: {exc.message}", field=exc.field, errors=exc.errors
            ) from exc
    try:
        # The body's own "{" is replaced by the tag and schema, so they come first.
        text: str = meta.prefix + _ENCODE(body)[1:]
    except (TypeError, ValueError) as exc:
        where = f"{meta.collection}/{entity.id}"
        raise ValidationError(f"{where}: is not JSON-serialisable: {exc}", field="entity") from exc
    if not text.isascii():  # lone surrogates cannot be stored in UTF-8 files or databases
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            where = f"{meta.collection}/{entity.id}"
            raise ValidationError(
                f"{where}: holds text that is not valid Unicode: {exc.reason}", field="entity"
            ) from None
    id = stored.id
    if "\x00" in id or len(id) > MAX_KEY_LENGTH:
        _check_text(id, "id")
    keys = meta.index_keys(stored)
    if any(k is not None and ("\x00" in k or len(k) > MAX_KEY_LENGTH) for k in keys):
        for name, k in zip(meta.keys, keys, strict=False):
            _check_text(k or "", name)
    return _tnew(Row, (meta.collection, id, meta.tag, expected, version, keys, text, stored))


_tnew = tuple.__new__  # a Row without NamedTuple's Python-level __new__


def _keys_of(names: tuple[str, ...]) -> Callable[[Any], tuple[str | None, ...]]:
    """The index key columns of an entity: its ``names`` fields as :func:`key` texts, padded."""
    pad = (None,) * (MAX_KEYS - len(names))
    if not names:
        return lambda _: pad
    get: Callable[[Any], Any] = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda e: (k if type(k := get(e)) is str else key(k), *pad)
    return lambda e: (*[k if type(k) is str else key(k) for k in get(e)], *pad)


def _validate_tree(obj: object) -> None:
    """Run the validators of an attrs instance and of those nested in it, switched off or not.

    Raises:
        ValidationError: from the first validator that fails.
    """
    kind: Any = type(obj)
    if attrs.has(kind):
        for f in attrs.fields(kind):
            value = getattr(obj, f.name)
            if f.validator is not None:
                f.validator(obj, f, value)
            _validate_tree(value)
    elif isinstance(obj, list | tuple | set | frozenset):
        for item in obj:
            _validate_tree(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            _validate_tree(item)


def _explain(meta: ClassInfo, entity: Any, body: dict[str, Any]) -> None:
    """Raise a ValidationError naming every bad field of a document the round trip refused.

    Raises:
        ValidationError: from the public path, prefixed with ``collection/id``.
    """
    try:
        structure(body, meta.cls)
    except ValidationError as exc:
        where = f"{meta.collection}/{entity.id}"
        message = f"{where}: {exc.message}"
        raise ValidationError(message, field=exc.field, errors=exc.errors) from exc


_ID = re.compile(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"')


def _where(tag: str, text: str | bytes, collection: str | None, id: str | None) -> str:
    """``collection/id`` of a stored document, for messages (the id read from it if need be)."""
    if id is None:
        raw = text if isinstance(text, str) else text.decode("utf-8", "replace")
        found = _ID.search(raw)
        id = found.group(1) if found else "?"
    return f"{collection or tag}/{id}"


def decode(
    tag: str, text: str | bytes, collection: str | None = None, id: str | None = None
) -> Any:
    """Turn a stored document back into its entity.

    ``collection`` and ``id`` (where the store found the document) name it in messages.

    Raises:
        StorageError: the document's type is not registered in this process, or the
            document cannot be read (corrupt, or written by an incompatible mentorkit).
    """
    cls = registered_types.get(tag)
    if cls is None:
        raise StorageError(
            f"the store holds documents of type {tag!r}, which is not registered in this "
            "process: import the module that registers it (mentorkit.serialization.register)"
        )
    meta = info(cls)
    try:
        doc = _DECODE(text) if isinstance(text, str) else json.loads(text)
        del doc[TAG_KEY]
        schema = doc.pop(SCHEMA_KEY)
    except (ValueError, TypeError, KeyError) as exc:
        where = _where(tag, text, collection or meta.collection, id)
        raise StorageError(f"the stored {tag!r} document {where} is corrupt: {exc}") from None
    if type(schema) is not int or schema != SCHEMA_VERSION:  # true == 1.0 == 1 in Python
        where = _where(tag, text, collection or meta.collection, id)
        raise StorageError(
            f"the stored {tag!r} document {where} has schema version {schema!r}; this "
            f"mentorkit reads version {SCHEMA_VERSION}"
        )
    try:
        return meta.structure(doc, cls)
    except Exception:
        try:
            structure(doc, cls)
        except ValidationError as exc:
            where = f"{collection or meta.collection}/{id if id is not None else doc.get('id')}"
            raise StorageError(f"stored document {where} is not valid: {exc}") from exc
        raise  # pragma: no cover


def decode_many(found: Iterable[tuple[str, str | bytes]], collection: str) -> list[Any]:
    """:func:`decode` of many stored ``(type, text)`` rows of one collection, in order.

    The same answers and errors as :func:`decode` row by row, with the per-row lookups
    done once per type.
    """
    out: list[Any] = []
    append = out.append
    hooks: dict[str, tuple[Callable[[Any, Any], Any], type[Any]] | None] = {}
    for tag, text in found:
        try:
            hook = hooks[tag]
        except KeyError:
            cls = registered_types.get(tag)
            meta = None if cls is None else info(cls)
            hook = hooks[tag] = None if meta is None else (meta.structure, meta.cls)
        if hook is not None and type(text) is str:
            try:
                doc = _DECODE(text)
                del doc[TAG_KEY]
                schema = doc.pop(SCHEMA_KEY)
                if schema == SCHEMA_VERSION and type(schema) is int:
                    append(hook[0](doc, hook[1]))
                    continue
            except Exception:  # noqa: S110 - decode() below decides and explains
                pass
        append(decode(tag, text, collection))
    return out


#: How :func:`decode_fields` reads one field: name, structure hook, type, attrs converter,
#: validator, attribute, and either the plain type (str, int, bool) a JSON value of exactly
#: that type (or null, if optional) is its own answer for, or ``None``: remember answers.
_Step = tuple[str, Any, Any, Any, Any, Any, "tuple[type, bool] | None"]
_PLANS: dict[tuple[type[Any], tuple[str, ...]], tuple[_Step, ...] | None] = {}
_PLAIN = (str, int, bool)


def _plan(cls: type[Any], names: tuple[str, ...]) -> tuple[_Step, ...] | None:
    """The per-field structure hooks of ``names`` in ``cls``, or ``None``: decode whole.

    Only for a class the converter reads with the hook cattrs generates (no overrides):
    that hook structures each field with ``converter.get_structure_hook(field.type)``,
    so the field's value is that hook's answer passed through the attrs converter.
    """
    hook = converter.get_structure_hook(cls)
    code = getattr(hook, "__code__", None)
    generated = code is not None and code.co_filename.startswith("<cattrs generated structure")
    if not generated or getattr(hook, "overrides", None) != {}:
        return None
    if not _fastpath.plain_init(cls):  # the hook builds it through code of the class's own
        return None
    fields = attrs.fields_dict(cls)
    steps = []
    for name in names:
        f = fields[name]
        base = _optional_of(f.type)
        plain = (f.type, False) if f.type in _PLAIN else (base, True) if base in _PLAIN else None
        if plain is not None and not _fastpath._default_hooks(plain[0]):
            plain = None  # a plugin reads this type its own way: ask its hook
        steps.append((name, converter.get_structure_hook(f.type), f.type, f.converter,
                      f.validator, f, plain))  # fmt: skip
    return tuple(steps)


def _optional_of(tp: Any) -> Any:
    """``X`` for ``X | None``, else ``None``."""
    args = get_args(tp) if get_origin(tp) in (Union, types.UnionType) else ()
    if len(args) == 2 and type(None) in args:
        return args[0] if args[1] is type(None) else args[1]
    return None


_NO = object()
_ATOMS = (str, int, bool, float, dt.date, dt.datetime, dt.time, dt.timedelta, type(None), Enum)


def _immutable(value: object) -> bool:
    """Whether ``value`` may be shared by several answers: a scalar, enum, or tuple of them."""
    if type(value) is tuple:
        return all(isinstance(x, _ATOMS) for x in value)
    return isinstance(value, _ATOMS)


def _project(doc: dict[str, Any], plan: tuple[_Step, ...], memo: list[dict[Any, Any]]) -> Any:
    """The planned fields of one document, as a tuple (see :func:`decode_fields`)."""
    values = []
    for i, (name, hook, tp, convert, validate, field, plain) in enumerate(plan):
        raw = doc[name]
        k: Any = _NO
        if plain is not None and (type(raw) is plain[0] or (raw is None and plain[1])):
            value = raw  # what the default str/int/bool hooks answer
        else:
            if plain is None:
                t = type(raw)
                if t is str or t is int or t is bool or raw is None:
                    k = (t, raw)
                elif t is list and all(type(x) is str for x in raw):
                    k = (t, tuple(raw))  # ids, activities: a team's repeat (str: exact ==)
                if k is not _NO and (value := memo[i].get(k, _NO)) is not _NO:
                    values.append(value)
                    continue
            value = hook(raw, tp)
        if convert is not None:
            value = convert(value)
        if validate is not None:
            validate(None, field, value)
        if k is not _NO and _immutable(value):
            memo[i][k] = value
        values.append(value)
    return tuple(values)


def decode_fields(
    found: Iterable[tuple[str, str | bytes]], collection: str, names: tuple[str, ...]
) -> list[tuple[Any, ...]]:
    """The ``names`` fields of many stored ``(type, text)`` rows, as tuples, in order.

    The values :func:`decode_many` would give the entities (``getattr`` of each name),
    without building the entities: each field is structured by the converter's hook for
    its type, then its attrs converter and validator run (``__attrs_post_init__`` does not:
    it ran when the entity was stored). A row that fails any of this (or of a class read by
    a hook of its own) is decoded whole, with :func:`decode`'s answer or error.

    Dates, times, enums and flags repeat across a batch, and so do lists of ids (a team's
    participants) and of enum values: for fields of other types than str and int, the
    answer for a JSON scalar (or a list of strings) is remembered for the batch when it is
    immutable, so sharing it is safe.
    """
    out: list[tuple[Any, ...]] = []
    append = out.append
    plans: dict[str, tuple[_Step, ...] | None] = {}
    memos: dict[str, list[dict[Any, Any]]] = {}
    scan = _SCAN
    for tag, text in found:
        try:
            plan = plans[tag]
        except KeyError:
            cls = registered_types.get(tag)
            plan = None
            if cls is not None:
                meta = info(cls)
                key_ = (meta.cls, names)
                plan = _PLANS[key_] if key_ in _PLANS else _PLANS.setdefault(key_, _plan(*key_))
            plans[tag] = plan
            memos[tag] = [{} for _ in names]
        if plan is not None and type(text) is str:
            try:
                # The decoder's scanner: what _DECODE does, less its checks for white space
                # around the document (a document that does not end where the text does
                # is decoded whole below).
                doc, end = scan(text, 0)
                schema = doc.get(SCHEMA_KEY)
                if end == len(text) and schema == SCHEMA_VERSION and type(schema) is int:
                    append(_project(doc, plan, memos[tag]))
                    continue
            except Exception:  # noqa: S110 - decode() below decides and explains
                pass
        entity = decode(tag, text, collection)
        append(tuple([getattr(entity, name) for name in names]))
    return out


def structure_batch(docs: Sequence[dict[str, Any]], cls: type[Any]) -> list[Any] | None:
    """The entities of many parsed documents of one class (type tag and schema removed).

    What the converter's hook gives for each, for a class it reads with the hook cattrs
    generates: every field structured as :func:`decode_fields` does (the field type's hook,
    the attrs converter and validator, an immutable answer remembered for a repeated
    value), then the entities filled a field at a time and ``__attrs_post_init__`` run on
    each: ``__init__``'s work without a call per entity and field. ``None`` when this cannot
    vouch for the answer (another kind of class, a document without exactly the class's
    fields, a value any step refuses): the caller then uses the hook, which answers or
    names what is wrong. An import of a large district is the caller (issue 17).
    """
    fields = attrs.fields(cls)
    if not all(a.init for a in fields) or any("_attrs_cached_hash" in vars(k) for k in cls.__mro__):
        return None  # a field __init__ never takes, or a hash __init__ caches: the hook
    names = tuple(a.name for a in fields)
    key_ = (cls, names)
    plan = _PLANS[key_] if key_ in _PLANS else _PLANS.setdefault(key_, _plan(*key_))
    slots = [getattr(cls, name, None) for name in names]
    if plan is None or not all(isinstance(s, types.MemberDescriptorType) for s in slots):
        return None
    width = len(names)
    memo: list[dict[Any, Any]] = [{} for _ in names]
    try:
        rows = []
        for doc in docs:
            if len(doc) != width:  # a missing field (its default) or an extra one
                return None
            rows.append(_project(doc, plan, memo))
        made: list[Any] = list(map(object.__new__, itertools.repeat(cls, len(rows))))
        for k, slot in enumerate(cast("list[types.MemberDescriptorType]", slots)):
            deque(map(slot.__set__, made, map(operator.itemgetter(k), rows)), maxlen=0)
        check = getattr(cls, "__attrs_post_init__", None)
        if check is not None:
            deque(map(check, made), maxlen=0)
    except Exception:  # the hook decides and explains
        return None
    return made


class KeyPlan(NamedTuple):
    """How :func:`decode_keyed` answers ``read_fields`` from a row's columns."""

    #: The columns to select after the type tag: ``"id"``, ``"version"``, key column
    #: positions (0 is ``k1``), and last ``"doc"`` when some field is read from the document.
    columns: tuple[int | str, ...]
    #: The fields read from the document (empty: the document is not selected).
    doc: tuple[str, ...]
    #: The type tags the plan holds for (rows of any other type are decoded the long way).
    tags: frozenset[str]
    #: ``read(rows, docs, days)``: the tuples, from the rows, the documents' fields (a
    #: tuple per row, or an empty list) and a memo of dates by ISO text.
    read: Callable[[Sequence[tuple[Any, ...]], Sequence[tuple[Any, ...]], Any], list[Any]]


#: A key column holding a date's ISO text.
_DAY = object()
_KEY_PLANS: dict[tuple[Any, ...], KeyPlan | None] = {}


def key_plan(
    cls: type[Any], names: tuple[str, ...], tags: tuple[str, ...] | None
) -> KeyPlan | None:
    """Which of ``names`` a store's columns answer exactly, or ``None``: decode documents.

    A field is answered from its column when the column holds exactly what decoding the
    document gives: ``id`` and ``version`` always, an indexed field when its key text
    converts back to its value without loss (a string, a date, an enum whose members' key
    texts differ; not a datetime, whose key keeps the instant but not the time zone) and
    the converter reads it with mentorkit's default hooks and no attrs converter of its own
    (one whose validator proves the value a member of the field's enum excepted). The key
    column was computed from the entity the converter read back when it was written, so
    mapping it back gives the value decoding gives. ``None`` when no field is answered from
    a column, or when the classes of the collection a query may return would answer
    differently.
    """
    meta = info(cls)
    stamp = (cls, names, tags, meta.keys, len(registered_types))
    try:
        return _KEY_PLANS[stamp]
    except KeyError:
        pass
    classes = {
        tag: klass
        for tag, klass in registered_types.items()
        if isinstance(klass, type) and issubclass(klass, cls) and (tags is None or tag in tags)
    }
    found = [_sources(klass, names, meta.keys) for klass in classes.values()]
    sources = found[0] if found and all(f == found[0] for f in found) else None
    plan = None
    if sources is not None and any(s[0] != "doc" for s in sources):
        doc = tuple(dict.fromkeys(n for n, s in zip(names, sources, strict=True) if s[0] == "doc"))
        columns = tuple(dict.fromkeys(s[1] for s in sources if s[0] == "column"))
        if doc:
            columns += ("doc",)
        parts = []
        for name, source in zip(names, sources, strict=True):
            if source[0] == "doc":
                parts.append((-1 - doc.index(name), None))
            else:
                parts.append((1 + columns.index(source[1]), source[2]))
        plan = KeyPlan(columns, doc, frozenset(classes), _reader(parts))
    if len(_KEY_PLANS) > 4096:  # queries are few; this only guards against a leak
        _KEY_PLANS.clear()
    _KEY_PLANS[stamp] = plan
    return plan


def _sources(
    cls: type[Any], names: tuple[str, ...], keys: tuple[str, ...]
) -> tuple[tuple[Any, ...], ...] | None:
    """Where each of ``names`` of ``cls`` is read from; ``None``: from the document only.

    ``("column", column, conversion)`` (see :class:`KeyPlan`) or ``("doc",)`` per name;
    ``None`` for a class the converter reads with a hook of its own.
    """
    hook = converter.get_structure_hook(cls)
    code = getattr(hook, "__code__", None)
    if code is None or not code.co_filename.startswith("<cattrs generated structure"):
        return None
    if getattr(hook, "overrides", None) != {} or not _fastpath.plain_init(cls):
        return None
    fields = attrs.fields_dict(cls)
    out: list[tuple[Any, ...]] = []
    for name in names:
        f = fields[name]
        kinds = [tp for tp in _field_types(cls, name) if tp is not type(None)]
        base = kinds[0] if len(kinds) == 1 else None
        source: tuple[Any, ...] = ("doc",)
        if base is None or not _fastpath._default_hooks(base):
            pass
        elif name in ("id", "version"):
            if f.converter is None and (name, base) in (("id", str), ("version", int)):
                source = ("column", name, None)
        elif name in keys:
            source = _key_source(f, base, keys.index(name))
        out.append(source)
    return tuple(out)


def _key_source(f: attrs.Attribute[Any], base: Any, position: int) -> tuple[Any, ...]:
    """``("column", position, conversion)`` for an indexed field, or ``("doc",)``."""
    if isinstance(base, type) and issubclass(base, Enum):
        # A converter is fine when the validator proves the value a member of the enum.
        if f.converter is not None and getattr(f.validator, "enum", None) is not base:
            return ("doc",)
        members: dict[str | None, Any] = {key(m): m for m in base}
        if len(members) != len(base):  # two members with one key text
            return ("doc",)
        members[None] = None
        return ("column", position, members)
    if f.converter is not None:
        return ("doc",)
    if base is str:
        return ("column", position, None)
    if base is dt.date:
        return ("column", position, _DAY)
    if base is bool:
        return ("column", position, {key(True): True, key(False): False, None: None})
    return ("doc",)


class _Days(dict[str | None, "dt.date | None"]):
    """Dates by ISO text, each made once (a batch repeats few days)."""

    def __missing__(self, text: str | None) -> dt.date | None:
        day = self[text] = None if text is None else dt.date.fromisoformat(text)
        return day


def _reader(sources: list[tuple[int, Any]]) -> Any:
    """The ``KeyPlan.read`` of ``sources``: one generated comprehension (as cattrs does)."""
    env: dict[str, Any] = {"zip": zip}
    parts = []
    for i, (where, convert) in enumerate(sources):
        if where < 0:
            parts.append(f"d[{-1 - where}]")
        elif convert is None:
            parts.append(f"r[{where}]")
        elif convert is _DAY:
            parts.append(f"days[r[{where}]]")
        else:
            env[f"M{i}"] = convert
            parts.append(f"M{i}[r[{where}]]")
    row = f"({', '.join(parts)},)"
    loop = "r, d in zip(rows, docs, strict=True)" if any(w < 0 for w, _ in sources) else "r in rows"
    lines = ["def read(rows, docs, days):", f"    return [{row} for {loop}]"]
    exec("\n".join(lines), env)  # noqa: S102 - code built from column positions only
    return env["read"]


def decode_keyed(
    rows: Sequence[tuple[Any, ...]], plan: KeyPlan, collection: str
) -> list[tuple[Any, ...]] | None:
    """:func:`decode_fields` of rows read as ``plan`` says: the same tuples, or ``None``.

    ``None`` when a row is of a type the plan does not hold for, or a key column does not
    convert back (a store edited by hand): the caller decodes the documents instead.

    Raises:
        StorageError: a document read for a field not answered from the columns is
            unreadable (as :func:`decode_fields`).
    """
    if not rows:
        return []
    if not plan.tags.issuperset(map(operator.itemgetter(0), rows)):
        return None
    docs: list[tuple[Any, ...]] = []
    if plan.doc:
        tags, texts = map(operator.itemgetter(0), rows), map(operator.itemgetter(-1), rows)
        found = zip(tags, texts, strict=True)
        docs = decode_fields(found, collection, plan.doc)
    try:
        got: list[tuple[Any, ...]] = plan.read(rows, docs, _Days())
    except (KeyError, ValueError, TypeError):
        return None
    return got


def rekey(
    collection: str, tag: str, text: str | bytes, id: str | None = None
) -> tuple[str | None, ...]:
    """The index keys of a stored document under the current :data:`INDEXES`.

    A collection without indexes needs no decoding (its type may not even be registered).
    """
    if not INDEXES.get(collection):
        return (None,) * MAX_KEYS
    entity = decode(tag, text, collection, id)
    names = info(type(entity)).keys
    keys = [key(getattr(entity, name, None)) for name in names]
    return (*keys, *[None] * (MAX_KEYS - len(keys)))


class Layout(NamedTuple):
    """What opening a store does about its recorded index layout (see :func:`merge_layout`)."""

    #: The layout to record: the stored one, with this process's definitions merged in.
    text: str
    #: The collections whose recorded definition came from :func:`register_index` (JSON).
    registered: str
    #: The collections whose rows must be re-keyed (under this process's :data:`INDEXES`).
    rekey: tuple[str, ...]
    #: Stored definitions this process takes over: ``(collection, fields)``.
    adopt: tuple[tuple[str, tuple[str, ...]], ...]


def merge_layout(stored: str | None, stored_registered: str | None = None) -> Layout:
    """Merge a store's recorded index layout with this process's :data:`INDEXES`.

    The recorded layout is the authority shared by every process using the store:

    * a collection this process does not index keeps its recorded entry (another process,
      say with a plugin, indexes it) and its rows keep their keys;
    * a collection the store records no entry for gets this process's definition, and its
      rows are re-keyed;
    * a collection this process indexed with :func:`register_index` (its own choice, e.g. a
      widened index with ``replace=True``) overrides a different recorded entry, and its
      rows are re-keyed: the last process to *register* a different definition wins;
    * a collection this process knows only by its built-in definition never overrides an
      entry another process recorded with :func:`register_index`: it adopts that
      definition (its :data:`INDEXES` changes), so it reads and writes the same keys;
    * a built-in definition differing from a recorded built-in one (another mentorkit
      version) overrides it, and the rows are re-keyed.

    Raises:
        StorageError: the recorded layout is not readable.
    """
    try:
        recorded = json.loads(stored) if stored else {}
        merged = {str(name): tuple(fields) for name, fields in recorded.items()}
        if not all(type(f) is str for fields in merged.values() for f in fields):
            raise TypeError("field names must be strings")
        chosen = set(json.loads(stored_registered)) if stored_registered else set()
    except (ValueError, TypeError, AttributeError) as exc:
        raise StorageError(f"the store's recorded index layout is corrupt: {exc}") from None
    rekey: list[str] = []
    for name, fields in INDEXES.items():
        old = merged.get(name)
        mine = name in _REGISTERED
        if old is None or (old != fields and (mine or name not in chosen)):
            merged[name] = fields
            if old != fields:
                rekey.append(name)
            if old != fields or mine:
                chosen.discard(name)
        if mine:
            chosen.add(name)
    adopt = tuple(
        (name, fields)
        for name, fields in sorted(merged.items())
        if INDEXES.get(name) != fields and fields
    )
    text = json.dumps(dict(sorted(merged.items())), separators=(",", ":"))
    return Layout(text, json.dumps(sorted(chosen)), tuple(sorted(rekey)), adopt)


def adopt(layout: Layout) -> None:
    """Take over the recorded definitions :func:`merge_layout` found (this process-wide)."""
    for name, fields in layout.adopt:
        if 0 < len(fields) <= MAX_KEYS:
            _set_index(name, fields)


#: A filter on one key column: (column position, operator, key text).
Term = tuple[int, str, str | None]


def _field_types(cls: type[Any], name: str) -> tuple[Any, ...]:
    field = attrs.fields_dict(cls)[name]
    tp = field.type
    if isinstance(tp, str):
        attrs.resolve_types(cls)
        tp = attrs.fields_dict(cls)[name].type
    if get_origin(tp) in (Union, types.UnionType):
        return get_args(tp)
    return (tp,)


def _filter_value(cls: type[Any], name: str, value: object) -> str | None:
    allowed = _field_types(cls, name)
    if value is None:
        if type(None) in allowed:
            return None
        raise ValidationError("cannot be None: the field is required", field=name, value=value)
    if dt.datetime in allowed:
        if isinstance(value, dt.datetime) and value.utcoffset() is not None:
            return key(value)
        raise ValidationError("must be a timezone-aware datetime", field=name, value=value)
    if dt.date in allowed:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return key(value)
        raise ValidationError("must be a date", field=name, value=value)
    if bool in allowed:
        if value is True or value is False:
            return key(value)
        raise ValidationError("must be True or False", field=name, value=value)
    for tp in allowed:
        if isinstance(tp, type) and issubclass(tp, Enum):
            try:
                return key(tp(value))
            except ValueError:
                choices = ", ".join(repr(m.value) for m in tp)
                raise ValidationError(
                    f"must be one of {choices}", field=name, value=value
                ) from None
    if isinstance(value, str):
        return key(value)
    raise ValidationError("must be a string", field=name, value=value)


def terms(cls: type[Any], filters: Mapping[str, object]) -> list[Term]:
    """Translate ``find`` keyword filters into key-column terms.

    Raises:
        ValidationError: naming a filter field that is not indexed (or does not exist), a
            value of the wrong type, or a ``Range`` over an enum field.
    """
    meta = info(cls)
    out: list[Term] = []
    for name, value in filters.items():
        if name not in meta.keys:
            indexed = ", ".join(meta.keys) or "none"
            known = name in attrs.fields_dict(cls)
            why = "is not an indexed field" if known else "is not a field"
            raise ValidationError(
                f"{why} of {cls.__qualname__} (indexed fields: {indexed})",
                field=name,
                value=value,
            )
        column = meta.keys.index(name)
        if isinstance(value, Range):
            if any(isinstance(t, type) and issubclass(t, Enum) for t in _field_types(cls, name)):
                # A key is the member's value as text: '10' < '2', and members have no
                # order of their own to keep (an enum of strings sorts by spelling).
                raise ValidationError(
                    "is an enum field: filter it on one member at a time, not by a Range",
                    field=name,
                    value=value,
                )
            for op, bound in ((">=", value.start), ("<", value.end)):
                if bound is None:
                    continue
                text = _filter_value(cls, name, bound)
                if text is not None and not storable_key(text):
                    # Stores compare text differently past what they can hold: one answer.
                    raise ValidationError(
                        "is a Range bound no store can hold (a NUL or invalid Unicode)",
                        field=name,
                    )
                out.append((column, op, text))
        else:
            out.append((column, "=", _filter_value(cls, name, value)))
    return out


def matches(keys: tuple[str | None, ...], where: list[Term]) -> bool:
    """Whether a row's keys satisfy every term (for the in-memory stores)."""
    for column, op, wanted in where:
        have = keys[column]
        if op == "=":
            if have != wanted:
                return False
        elif have is None or wanted is None:
            return False
        elif op == ">=":
            if have < wanted:
                return False
        elif have >= wanted:  # "<"
            return False
    return True
