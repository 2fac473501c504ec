"""Entities to stored rows and back: validation, JSON text, index keys, filters.

Every backend writes the same document text (``serialization.to_dict`` of the entity, with
its new version) and the same index keys, so they agree on what ``find`` returns and a store
moves between backends losslessly.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import types
from enum import Enum
from typing import TYPE_CHECKING, Any, NamedTuple, Union, get_args, get_origin

import attrs

from mentorkit.errors import StorageError, ValidationError
from mentorkit.model import Entity
from mentorkit.model._checks import MAX_VERSION
from mentorkit.serialization import (
    SCHEMA_KEY,
    SCHEMA_VERSION,
    TAG_KEY,
    converter,
    registered_types,
    structure,
    tag_of,
)
from mentorkit.storage._protocol import Range

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

#: How many indexed fields one collection may have (the key columns of the SQL tables).
MAX_KEYS = 6

_INDEXES: dict[str, tuple[str, ...]] = {
    "action_item": ("owner_id", "session_id"),
    "action_plan": ("person_id", "goal_id"),
    "assessment": ("person_id",),
    "cohort": ("program_id",),
    "enrollment": ("person_id", "cohort_id", "role", "status"),
    "goal": ("person_id",),
    "mentorship": ("mentor_id", "mentee_id", "cohort_id", "program_id", "start"),
    "org_unit": ("parent_id", "kind"),
    "outcome": ("person_id",),
    "person": ("org_unit_id", "supervisor_id"),
    "reflection": ("person_id", "mentorship_id", "session_id"),
    "session": ("mentorship_id", "start"),
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

    Args:
        collection: The collection name (an entity class's ``collection``).
        *fields: Up to six field names, most selective first.
        replace: Allow changing the fields of a collection that is already indexed.

    Raises:
        ValidationError: a malformed name, too many or repeated fields, a field whose type
            is not str, an enum, date or datetime (or optional of those) in a registered
            class of the collection, or a collection that is indexed differently already
            (without ``replace``).

    Example:
        >>> register_index("survey_response", "person_id", "survey_id")
        >>> INDEXES["survey_response"]
        ('person_id', 'survey_id')
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
    """Require an indexable field type: str, an enum, date or datetime (or optional).

    Raises:
        ValidationError: naming the field and its type.
    """
    for tp in _field_types(cls, name):
        if tp is type(None) or tp in (str, dt.date, dt.datetime):
            continue
        if isinstance(tp, type) and issubclass(tp, Enum):
            continue
        raise ValidationError(
            f"cannot be indexed: {cls.__qualname__}.{name} is of type "
            f"{getattr(tp, '__qualname__', tp)}; indexed fields must be str, an enum, date or "
            "datetime (or optional)",
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
    #: ``None`` key columns after this class's own.
    padding: tuple[None, ...]
    #: Shortcuts that agree with the converter round trip (``None``: always use it).
    restamp: Callable[[Any, int], Any] | None
    fast_unstructure: Callable[[Any], dict[str, Any]] | None
    fast_structure: Callable[[dict[str, Any]], Any] | None


_INFO: dict[type[Any], ClassInfo] = {}


def info(cls: type[Any]) -> ClassInfo:
    """The (cached) :class:`ClassInfo` of a registered entity class.

    Raises:
        ValidationError: ``cls`` is not a registered subclass of ``Entity``.
    """
    found = _INFO.get(cls)
    if found is not None:
        return found
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
    found = ClassInfo(
        cls=cls,
        tag=tag,
        collection=collection,
        keys=keys,
        unstructure=converter.get_unstructure_hook(cls),
        structure=converter.get_structure_hook(cls),
        prefix=f'{{"{TAG_KEY}":{json.dumps(tag)},"{SCHEMA_KEY}":{SCHEMA_VERSION},',
        padding=(None,) * (MAX_KEYS - len(keys)),
        restamp=_make_restamp(cls),
        fast_unstructure=_make_unstructure(cls),
        fast_structure=_make_structure(cls),
    )
    _INFO[cls] = found
    return found


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


def _check_text(value: str, field: str) -> None:
    # NUL cannot be stored in PostgreSQL text; refusing it everywhere keeps backends alike.
    if "\x00" in value:
        raise ValidationError("must not contain the NUL character", field=field, value=value)


def encode(entity: Any) -> Row:
    """Validate an entity as the converter round trip would and encode it for storage.

    Entities of classes with cattrs' own hooks take a shortcut that checks the same (see
    :func:`_make_restamp`); anything it cannot vouch for takes the full round trip.

    Raises:
        ValidationError: not a registered entity, or a field the converter cannot write or
            read back; the message names the entity and the field.
    """
    if not isinstance(entity, Entity):
        raise ValidationError("must be an entity", field="entity", value=type(entity).__qualname__)
    meta = _INFO.get(type(entity)) or info(type(entity))
    expected = entity.version
    if type(expected) is not int or not 0 <= expected < MAX_VERSION:
        raise ValidationError(
            f"must be an integer from 0 to {MAX_VERSION - 1} (the stored version is one more)",
            field="version",
            value=expected,
        )
    version = expected + 1
    stored: Any = None
    body: dict[str, Any] | None = None
    if meta.restamp is not None and not attrs.validators.get_disabled():
        # Field types checked exactly, containers round tripped, validators run: what the
        # whole converter round trip checks. Anything it cannot vouch for goes the long way.
        try:
            stored = meta.restamp(entity, version)
            if meta.fast_unstructure is not None:
                body = meta.fast_unstructure(entity)
        except Exception:  # the round trip below decides
            stored = None
    if body is None:
        try:
            body = meta.unstructure(entity)
        except Exception as exc:  # a field the converter cannot write
            where = f"{meta.collection}/{entity.id}"
            raise ValidationError(f"{where}: cannot be serialised: {exc}", field="entity") from exc
    body["version"] = version
    if stored is None:
        stored = _round_trip(meta, entity, body)
    id = entity.id
    if "\x00" in id:
        _check_text(id, "id")
    keys: list[str | None] = []
    for name in meta.keys:
        value = getattr(entity, name, None)
        if type(value) is not str:
            value = key(value)
        if value is not None and "\x00" in value:
            _check_text(value, name)
        keys.append(value)
    keys.extend(meta.padding)
    try:
        # The body's own "{" is replaced by the tag and schema, so they come first.
        text = meta.prefix + _ENCODE(body)[1:]
        if not text.isascii():  # lone surrogates cannot be stored in UTF-8 files or databases
            text.encode("utf-8")
    except UnicodeEncodeError as exc:
        where = f"{meta.collection}/{entity.id}"
        raise ValidationError(
            f"{where}: holds text that is not valid Unicode: {exc.reason}", field="entity"
        ) from None
    except (TypeError, ValueError) as exc:
        where = f"{meta.collection}/{entity.id}"
        raise ValidationError(f"{where}: is not JSON-serialisable: {exc}", field="entity") from exc
    return Row(meta.collection, id, meta.tag, expected, version, tuple(keys), text, stored)


def _round_trip(meta: ClassInfo, entity: Any, body: dict[str, Any]) -> Any:
    """The validation: what is stored must read back through the converter."""
    try:
        return meta.structure(body, meta.cls)
    except Exception:
        try:  # again through the public path, for a message naming every bad field
            structure(body, meta.cls)
        except ValidationError as exc:
            where = f"{meta.collection}/{entity.id}"
            raise ValidationError(
                f"{where}: {exc.message}", field=exc.field, errors=exc.errors
            ) from exc
        raise  # pragma: no cover - both paths use the same converter


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
    meta = _INFO.get(cls) or info(cls)
    try:
        doc = _DECODE(text) if isinstance(text, str) else json.loads(text)
        del doc[TAG_KEY]
        schema = doc.pop(SCHEMA_KEY)
    except (ValueError, TypeError, KeyError) as exc:
        where = _where(tag, text, collection or meta.collection, id)
        raise StorageError(f"the stored {tag!r} document {where} is corrupt: {exc}") from None
    if schema != SCHEMA_VERSION:
        where = _where(tag, text, collection or meta.collection, id)
        raise StorageError(
            f"the stored {tag!r} document {where} has schema version {schema!r}; this "
            f"mentorkit reads version {SCHEMA_VERSION}"
        )
    if meta.fast_structure is not None:
        try:
            return meta.fast_structure(doc)
        except Exception:  # noqa: S110 - the converter decides, below
            pass
    try:
        return meta.structure(doc, cls)
    except Exception:
        try:
            structure(doc, cls)
        except ValidationError as exc:
            where = f"{collection or meta.collection}/{id if id is not None else doc.get('id')}"
            raise StorageError(f"stored document {where} is not valid: {exc}") from exc
        raise  # pragma: no cover


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
        ValidationError: naming a filter field that is not indexed (or does not exist), or
            a value of the wrong type.
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
            if value.start is not None:
                out.append((column, ">=", _filter_value(cls, name, value.start)))
            if value.end is not None:
                out.append((column, "<", _filter_value(cls, name, value.end)))
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


# -- fast paths ---------------------------------------------------------------------------
#
# The reference semantics are the converter round trip: what is stored must structure back
# through ``converter``. For classes whose converter hooks are the ones cattrs generates
# (no overrides), two shortcuts give the same answers faster; whenever a shortcut is unsure
# it gives way to the reference path, which then accepts or raises its usual error.


class _UnsureError(Exception):
    """A shortcut cannot vouch for a value: use the reference path."""


def _plain_hooks(cls: type[Any]) -> bool:
    """Whether the converter handles ``cls`` with cattrs' own generated hooks, unmodified."""
    hooks = (converter.get_structure_hook(cls), converter.get_unstructure_hook(cls))
    names = (f"structure_{cls.__name__}", f"unstructure_{cls.__name__}")
    for hook, name in zip(hooks, names, strict=True):
        if getattr(hook, "__name__", None) != name or getattr(hook, "overrides", None) != {}:
            return False
    return all(f.init and f.alias == f.name for f in attrs.fields(cls))


def _optional(tp: Any) -> Any:
    """``X`` for ``X | None``, else ``None``."""
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(get_args(tp)) == 2:
            return args[0]
    return None


def _is_str_tuple(tp: Any) -> bool:
    return get_origin(tp) is tuple and get_args(tp) in ((str, ...),)


def _make_restamp(cls: type[Any]) -> Callable[[Any, int], Any] | None:
    """A function restamping an instance of ``cls`` with a new ``version``, or ``None``.

    The function gives what the converter round trip would give, or raises (anything, the
    caller then takes the round trip). It checks the type of every field exactly (what
    the round trip adds for fields without a validator), round trips through the converter
    only fields of other types (containers, nested classes: copying them, as the round trip
    does), builds the new instance without unstructuring and structuring it, and runs the
    class's validators and ``__attrs_post_init__`` on it, as ``__init__`` would.
    ``None``: no shortcut for ``cls`` (not plain cattrs hooks, not slotted, or a field
    converter it cannot apply).
    """
    if not _plain_hooks(cls):
        return None
    fields = attrs.fields(cls)
    slots = {s for k in cls.__mro__ for s in getattr(k, "__slots__", ())}
    if "__dict__" in dir(cls) or not slots <= {*(f.name for f in fields), "__weakref__"}:
        return None
    env: dict[str, Any] = {
        "_UnsureError": _UnsureError,
        "_cls": cls,
        "_new": object.__new__,
        "_set": object.__setattr__,
    }
    lines = ["def restamp(e, version):"]
    for i, f in enumerate(fields):
        if f.name == "version":
            continue
        tp = f.type
        v = f"v{i}"
        lines.append(f"    {v} = e.{f.name}")
        inner = _optional(tp)
        base, opt = (inner, True) if inner is not None else (tp, False)
        none = f"{v} is not None and " if opt else ""
        simple = base in (str, int, dt.date) or (isinstance(base, type) and issubclass(base, Enum))
        if simple:
            env[f"T{i}"] = base
            lines.append(f"    if {none}type({v}) is not T{i}: raise _UnsureError")
        elif not opt and _is_str_tuple(base):
            lines.append(
                f"    if type({v}) is not tuple or not all(type(x) is str for x in {v}): "
                "raise _UnsureError"
            )
        else:  # anything else: round trip this one field through the converter
            env[f"U{i}"] = converter.get_unstructure_hook(tp)
            env[f"S{i}"] = converter.get_structure_hook(tp)
            env[f"T{i}"] = tp
            # None and () read back as themselves (when the type allows them at all).
            skip = f"{v} is not None" if opt else "True"
            if get_origin(base) is tuple:
                skip += f" and not (type({v}) is tuple and not {v})"
            lines.append(f"    if {skip}:")
            lines.append(f"        try: {v} = S{i}(U{i}({v}), T{i})")
            lines.append("        except Exception: raise _UnsureError from None")
            if f.converter is not None:
                if not isinstance(f.converter, types.FunctionType):
                    return None
                env[f"C{i}"] = f.converter
                lines.append(f"    {v} = C{i}({v})")
    lines.append("    n = _new(_cls)")
    lines += [
        f"    _set(n, {f.name!r}, {'version' if f.name == 'version' else f'v{i}'})"
        for i, f in enumerate(fields)
    ]
    # Validate the new instance as ``__init__`` would: the entity may have been made with
    # validators disabled, or changed since.
    for i, f in enumerate(fields):
        if f.validator is not None:
            env[f"V{i}"], env[f"A{i}"] = f.validator, f
            lines.append(f"    V{i}(n, A{i}, n.{f.name})")
    if hasattr(cls, "__attrs_post_init__"):
        lines.append("    n.__attrs_post_init__()")
    lines.append("    return n")
    exec("\n".join(lines), env)  # noqa: S102 - code built above from field names
    restamp: Callable[[Any, int], Any] = env["restamp"]
    return restamp


def _make_structure(cls: type[Any]) -> Callable[[dict[str, Any]], Any] | None:
    """A structure function for complete documents of ``cls`` (every field present).

    It raises (anything) where the converter might answer differently; the caller then
    uses the converter. ``None``: no shortcut for ``cls``.
    """
    if not _plain_hooks(cls):
        return None
    fields = attrs.fields(cls)
    env: dict[str, Any] = {
        "_UnsureError": _UnsureError,
        "_cls": cls,
        "_keys": frozenset(f.name for f in fields),
        "_date": converter.get_structure_hook(dt.date),
    }
    lines = ["def structure(d):", "    if d.keys() != _keys: raise _UnsureError"]
    for i, f in enumerate(fields):
        tp = f.type
        v = f"v{i}"
        lines.append(f"    {v} = d[{f.name!r}]")
        inner = _optional(tp)
        base, opt = (inner, True) if inner is not None else (tp, False)
        guard = f"if {v} is not None: " if opt else ""
        none = f"{v} is not None and " if opt else ""
        if base in (str, int):
            env[f"T{i}"] = base
            lines.append(f"    if {none}type({v}) is not T{i}: raise _UnsureError")
        elif base is dt.date:
            lines.append(f"    {guard}{v} = _date({v}, None)")
        elif isinstance(base, type) and issubclass(base, Enum):
            env[f"T{i}"] = base
            lines.append(f"    {guard}{v} = T{i}({v})")
        elif not opt and _is_str_tuple(base):
            lines.append(
                f"    if type({v}) is not list or not all(type(x) is str for x in {v}): "
                "raise _UnsureError"
            )
            lines.append(f"    {v} = tuple({v})")
        else:  # what cattrs' generated code does for this field
            env[f"S{i}"] = converter.get_structure_hook(tp)
            env[f"T{i}"] = tp
            lines.append(f"    {v} = S{i}({v}, T{i})")
    args = ", ".join(f"{f.name}=v{i}" for i, f in enumerate(fields))
    lines.append(f"    return _cls({args})")
    exec("\n".join(lines), env)  # noqa: S102 - code built above from field names
    structure: Callable[[dict[str, Any]], Any] = env["structure"]
    return structure


def _make_unstructure(cls: type[Any]) -> Callable[[Any], dict[str, Any]] | None:
    """The converter's unstructure hook for ``cls``, for instances checked by restamp.

    Only for instances whose field types the :func:`_make_restamp` function has checked
    exactly. ``None``: no shortcut for ``cls``.
    """
    if not _plain_hooks(cls):
        return None
    env: dict[str, Any] = {}
    items = []
    for i, f in enumerate(attrs.fields(cls)):
        tp = f.type
        v = f"e.{f.name}"
        inner = _optional(tp)
        base, opt = (inner, True) if inner is not None else (tp, False)
        if base in (str, int):
            expr = v
        elif base is dt.date:
            expr = f"{v}.isoformat()"
        elif isinstance(base, type) and issubclass(base, Enum):
            expr = f"{v}.value"
        elif not opt and _is_str_tuple(base):
            expr = f"list({v})"
        else:
            env[f"U{i}"] = converter.get_unstructure_hook(tp)
            expr, opt = f"U{i}({v})", False
        if opt and expr != v:
            expr = f"None if {v} is None else {expr}"
        items.append(f"{f.name!r}: {expr}")
    source = "def unstructure(e):\n    return {" + ", ".join(items) + "}"
    exec(source, env)  # noqa: S102 - code built above from field names
    unstructure: Callable[[Any], dict[str, Any]] = env["unstructure"]
    return unstructure
