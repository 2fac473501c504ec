"""The one cattrs converter, the type-tag registry, and tagged, versioned documents."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Mapping
from enum import Enum, IntEnum, StrEnum
from types import MappingProxyType, UnionType
from typing import Any, TypeVar, Union, get_args, get_origin, overload

import attrs
import cattrs
from cattrs.errors import (
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from mentorkit import _catalogue, _plugins, cycles, frameworks, model
from mentorkit.errors import FieldError, ValidationError, _shown

T = TypeVar("T")

#: The key of a document that names its type.
TAG_KEY = "$type"
#: The key of a document that names the schema version it was written with.
SCHEMA_KEY = "$schema"
#: The schema version this mentorkit writes and reads.
SCHEMA_VERSION = 1


def _fail(expected: str, value: object) -> ValidationError:
    return ValidationError(f"expected {expected}", value=value)


def _str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise _fail("a string", value)
    return value


def _int(value: object, _: type) -> int:
    if type(value) is int:  # the common case, with one test
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail("an integer", value)
    return value


def _float(value: object, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail("a number", value)
    return float(value)


def _bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise _fail("true or false", value)
    return value


def _date(value: object, _: type) -> dt.date:
    if isinstance(value, str):  # the common case first
        if len(value) == 10:  # YYYY-MM-DD
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise _fail("an ISO 8601 date (YYYY-MM-DD)", value)


def _datetime(value: object, _: type) -> dt.datetime:
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise _fail("an ISO 8601 date-time with a UTC offset", value) from None
    else:
        raise _fail("an ISO 8601 date-time with a UTC offset", value)
    if parsed.utcoffset() is None:
        raise _fail("an ISO 8601 date-time with a UTC offset", value)
    return parsed


def _enum(value: object, tp: type[Enum]) -> Enum:
    try:  # what ``tp(value)`` looks up first, without its two Python-level calls
        return tp._value2member_map_[value]
    except (KeyError, TypeError):  # TypeError: unhashable
        pass
    try:
        return tp(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in tp)
        raise _fail(f"one of {allowed}", value) from None


def _enum_value(member: Enum) -> Any:
    return member.value


def _is_tuple(tp: Any) -> bool:
    return get_origin(tp) is tuple


def _tuple_hook_factory(tp: Any, conv: cattrs.Converter) -> Callable[[Any, Any], tuple[Any, ...]]:
    args = get_args(tp)
    item = args[0] if args else Any
    # The item's hook, looked up once on first use (not at once: a class holding a tuple
    # of itself is still being hooked), not dispatched again for every item.
    hook: Callable[[Any, Any], Any] | None = None

    def structure(value: object, _: Any) -> tuple[Any, ...]:
        nonlocal hook
        # cattrs would happily turn the string "abc" into ("a", "b", "c").
        if not isinstance(value, list | tuple):
            raise _fail("a list", value)
        if not value:
            return ()
        if hook is None:
            hook = conv.get_structure_hook(item)
        try:
            return tuple([hook(v, item) for v in value])
        except Exception:  # noqa: S110 - again, item by item, to name each bad index
            pass
        errors: list[Exception] = []
        for index, v in enumerate(value):
            try:
                hook(v, item)
            except Exception as exc:
                # The index note lets error messages name the path ($.steps[2].text).
                note = IterableValidationNote(f"Structuring {tp} @ index {index}", index, item)
                exc.__notes__ = [*getattr(exc, "__notes__", []), note]
                errors.append(exc)
        raise IterableValidationError(f"While structuring {tp!r}", errors, tp)

    return structure


def _is_optional(tp: Any) -> bool:
    if get_origin(tp) not in (Union, UnionType):
        return False
    args = get_args(tp)
    return len(args) == 2 and type(None) in args


def _optional_hook_factory(tp: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    (inner,) = (a for a in get_args(tp) if a is not type(None))
    # cattrs' own hook for ``X | None`` dispatches on ``X`` for every value; this one
    # looks ``X``'s hook up once, on first use (``X`` may hold an optional of itself).
    hook: Callable[[Any, Any], Any] | None = None

    def structure(value: object, _: Any) -> Any:
        nonlocal hook
        if value is None:
            return None
        if hook is None:
            hook = conv.get_structure_hook(inner)
        return hook(value, inner)

    return structure


def make_converter() -> cattrs.Converter:
    """Build a converter configured the mentorkit way.

    Strict about primitive types (no silent ``str(1)``), ISO 8601 dates and aware
    date-times, extra keys rejected, tuples written as JSON lists. Most code should use the
    shared `converter` instead of making its own.
    """
    conv = cattrs.Converter(
        forbid_extra_keys=True,
        detailed_validation=True,
        unstruct_collection_overrides={tuple: list},
    )
    configure_converter(conv)
    return conv


def configure_converter(conv: cattrs.Converter) -> None:
    """Install mentorkit's hooks on an existing converter."""
    for exact, hook in ((str, _str), (int, _int), (float, _float), (bool, _bool)):
        conv.register_structure_hook(exact, hook)
    # The mixed-in enums first: their MRO puts ``str``/``int`` before ``Enum``.
    for base in (StrEnum, IntEnum, Enum):
        conv.register_structure_hook(base, _enum)
        conv.register_unstructure_hook(base, _enum_value)
    conv.register_structure_hook(dt.date, _date)
    conv.register_structure_hook(dt.datetime, _datetime)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook(dt.datetime, dt.datetime.isoformat)
    conv.register_structure_hook_factory(_is_tuple, _tuple_hook_factory)
    conv.register_structure_hook_factory(_is_optional, _optional_hook_factory)


#: The converter every part of mentorkit (and every store) goes through.
converter: cattrs.Converter = make_converter()

_TYPES: dict[str, type[Any]] = {}
_TAGS: dict[type[Any], str] = {}
#: A read-only view of the registered document types, by tag.
registered_types: Mapping[str, type[Any]] = MappingProxyType(_TYPES)


@overload
def register(cls: type[T], *, tag: str | None = None) -> type[T]: ...
@overload
def register(*, tag: str | None = None) -> Callable[[type[T]], type[T]]: ...
def register(
    cls: type[T] | None = None, *, tag: str | None = None
) -> type[T] | Callable[[type[T]], type[T]]:
    """Register an attrs class as a document type, so it round-trips as its own type.

    Use it once for each subclass of a model class that adds fields of its own; stores and
    the converter then save and load it as that subclass. Usable as a decorator.

    Args:
        cls: An attrs class (usually a frozen, keyword-only subclass of a model entity).
        tag: The document tag; defaults to ``"module.QualName"``. Tags are forever: they are
            written into every stored document.

    Returns:
        ``cls`` itself.

    Raises:
        ValidationError: ``cls`` is not an attrs class, or the tag or class is taken. A
            class defined again at module level under the same module and qualified name
            (a notebook cell run twice, a reloaded module) is not refused: it takes its tag
            over. A class made inside a function never is the same one again.

    Examples:
        >>> import attrs
        >>> from mentorkit import Person
        >>> @register(tag="example.StaffPerson")
        ... @attrs.frozen(kw_only=True)
        ... class StaffPerson(Person):
        ...     badge: str = ""
        >>> from_dict(to_dict(StaffPerson(id="p-1", name="Ana", badge="B7"))).badge
        'B7'
    """

    def apply(klass: type[T]) -> type[T]:
        if not (isinstance(klass, type) and attrs.has(klass)):
            raise ValidationError("must be an attrs class", field="cls", value=klass)
        name = tag if tag is not None else f"{klass.__module__}.{klass.__qualname__}"
        if not name or name.strip() != name:
            raise ValidationError("must be a non-empty tag", field="tag", value=name)
        taken = _TYPES.get(name, klass)
        if taken is not klass and _plugins.redefined(taken, klass):
            # The same class defined again (a notebook cell or a module reloaded): the new
            # definition takes the tag over, as it would have if it had come first.
            del _TAGS[taken]
            taken = klass
        if taken is not klass:
            raise ValidationError(
                f"is already registered for {_TYPES[name].__qualname__}", field="tag", value=name
            )
        if _TAGS.get(klass, name) != name:
            raise ValidationError(
                f"is already registered under tag {_TAGS[klass]!r}", field="cls", value=klass
            )
        attrs.resolve_types(klass)
        _TYPES[name] = klass
        _TAGS[klass] = name
        return klass

    return apply if cls is None else apply(cls)


def tag_of(cls: type[Any]) -> str:
    """The document tag of a registered class.

    Raises:
        ValidationError: the class was never registered.
    """
    try:
        return _TAGS[cls]
    except KeyError:
        raise ValidationError(
            "is not a registered document type (see mentorkit.serialization.register)",
            field="$type",
            value=getattr(cls, "__qualname__", cls),
        ) from None


def type_of(tag: str) -> type[Any]:
    """The class registered under ``tag``.

    Raises:
        ValidationError: no class is registered under that tag.
    """
    try:
        return _TYPES[tag]
    except (KeyError, TypeError):
        raise ValidationError("is not a known document type", field=TAG_KEY, value=tag) from None


def to_dict(obj: Any) -> dict[str, Any]:
    """Unstructure a registered object into a JSON-ready, tagged and versioned ``dict``.

    Raises:
        ValidationError: ``obj`` is not of a registered type, or holds a value its field's
            type cannot be written as (made with validators off, or changed since): the
            error names the field, never the value.

    Examples:
        >>> from mentorkit import Program
        >>> to_dict(Program(id="prog-1", name="Aspiring Leaders"))
        {'$type': 'program', '$schema': 1, 'id': 'prog-1', 'version': 0, 'name': 'Aspiring Leaders', 'description': '', 'framework_id': None, 'cycle_id': None, 'commitments': [], 'milestones': []}
    """  # noqa: E501
    cls = type(obj)
    tag = tag_of(cls)
    try:
        body: dict[str, Any] = converter.unstructure(obj, cls)
    except Exception as exc:  # a value its field's hook cannot write
        write = lambda f: converter.unstructure(getattr(obj, f.name), f.type)  # noqa: E731
        raise _unwritable(obj, exc, write) from exc
    return {TAG_KEY: tag, SCHEMA_KEY: SCHEMA_VERSION, **body}


def _unwritable(obj: Any, exc: Exception, write: Callable[[Any], object]) -> ValidationError:
    """A ValidationError naming the first field of ``obj`` that ``write`` fails on.

    The message gives the type of the value and what went wrong, not the value (it may be
    personal data).
    """
    for field in attrs.fields(type(obj)):
        try:
            write(field)
        except Exception as why:  # any failure names this field
            kind = type(getattr(obj, field.name)).__qualname__
            return ValidationError(
                f"cannot be written as JSON: a value of type {kind} ({type(why).__name__})",
                field=field.name,
            )
    return ValidationError(f"cannot be written as JSON ({type(exc).__name__})")


@overload
def from_dict(doc: Mapping[str, Any], cls: type[T]) -> T: ...
@overload
def from_dict(doc: Mapping[str, Any], cls: None = None) -> Any: ...
def from_dict(doc: Mapping[str, Any], cls: type[T] | None = None) -> T | Any:
    """Structure a tagged document back into its object.

    Args:
        doc: A document as written by [`to_dict`][mentorkit.serialization.to_dict].
        cls: The type expected; the document's own tag may name this type or a registered
            subclass of it, which is what comes back. ``None`` trusts the document's tag.

    Raises:
        ValidationError: the document is malformed: not a mapping, an unknown tag, a tag
            that is not ``cls``, a schema version this mentorkit cannot read, a missing,
            extra or mistyped field, or a value that cannot be true. ``field`` is the path
            of the first bad field (``"start"``, ``"commitments[0].name"``, ``"$type"``),
            ``paths`` lists all of them, and each line of ``errors`` is a
            [`FieldError`][mentorkit.errors.FieldError] carrying its ``path`` and
            ``message`` (the text reads ``"expected an integer @ $.minutes"``). The value of
            a personal field (email, demographics) is never shown.

    Examples:
        >>> doc = {"$type": "program", "$schema": 1, "id": "p-1", "name": "Fellows",
        ...        "commitments": [{"name": 5, "per": "month", "minutes": 60}]}
        >>> try:
        ...     from_dict(doc)
        ... except ValidationError as err:
        ...     print(err.field, [(line.path, line.message) for line in err.errors])
        commitments[0].name [('commitments[0].name', 'expected a string (got 5)')]
    """
    # The wrong thing is named by its type only: a document passed as ``cls`` (the
    # arguments swapped) holds personal data that must not reach a message or a log.
    if cls is not None and not isinstance(cls, type):
        raise ValidationError("must be a class", field="cls", value=type(cls).__name__)
    if not isinstance(doc, Mapping):
        raise ValidationError(
            "a document must be a JSON object", field="$", value=type(doc).__name__
        )
    if not all(isinstance(key, str) for key in doc):
        raise ValidationError("a document's keys must be strings", field="$")
    body = dict(doc)
    tag = body.pop(TAG_KEY, None)
    version = body.pop(SCHEMA_KEY, None)
    if tag is None:
        raise ValidationError("is missing", field=TAG_KEY)
    klass = type_of(tag)
    if cls is not None and not issubclass(klass, cls):
        raise ValidationError(
            f"names {klass.__qualname__}, not a {cls.__qualname__}",
            field=TAG_KEY,
            value=tag,
        )
    if type(version) is not int or version != SCHEMA_VERSION:  # true == 1: not a version
        raise ValidationError(
            f"this mentorkit reads schema version {SCHEMA_VERSION}",
            field=SCHEMA_KEY,
            value=version,
        )
    return structure(body, klass)


def structure(data: Any, cls: type[T]) -> T:
    """Structure untagged ``data`` as ``cls`` with the shared converter.

    Raises:
        ValidationError: naming the path of each bad field: ``field`` is the first one's
            (``"start"``, ``"goals[0].text"``), ``paths`` all of them, and each line of
            ``errors`` is a [`FieldError`][mentorkit.errors.FieldError] with its ``path``
            and ``message``. A personal value (email, demographics) is never shown.
    """
    try:
        return converter.structure(data, cls)
    except (BaseValidationError, ValidationError) as exc:
        # A ValidationError alone: a model validator, once every field had the right type.
        problems = list(_problems(exc, ""))
        raise ValidationError(
            f"not a valid {cls.__qualname__} document",
            field=next((p.path for p in problems if p.path), None),
            errors=problems,
        ) from exc
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise ValidationError(f"not a valid {cls.__qualname__} document: {exc}") from exc


#: A path into a personal field: its value is left out, since error messages reach logs.
_PERSONAL = re.compile(r"(?:^|\.)(?:demographics|email)(?:$|[.\[])")


def _join(path: str, step: str) -> str:
    if not path or step.startswith("["):
        return path + step
    return f"{path}.{step}"


def _problems(exc: BaseException, path: str, type_: Any = None) -> Iterator[FieldError]:
    """Every problem in a cattrs error tree, with its path, read from the cattrs notes.

    The walk is cattrs' own ``transform_error``'s (``AttributeValidationNote`` names a
    field, ``IterableValidationNote`` an index or key), kept structured instead of joined
    into strings.
    """
    if isinstance(exc, ClassValidationError | IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            step = f"[{note.index!r}]" if isinstance(note, IterableValidationNote) else note.name
            yield from _problems(sub, _join(path, step), note.type)
        for sub in without:
            yield from _problems(sub, path)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for name in sorted(exc.extra_fields):
            yield FieldError(f"is not a field of {exc.cl.__qualname__}", _join(path, name))
    elif isinstance(exc, ValidationError):
        nested = [e for e in exc.errors if isinstance(e, FieldError)]
        if nested:  # a document read inside a document: its paths go under this one
            for e in nested:
                yield FieldError(e.message, _join(path, e.path) if e.path else path or None)
            return
        where = _join(path, exc.field) if exc.field else path
        message = exc.message
        if exc.has_value and not _PERSONAL.search(where):
            message = f"{message} (got {_shown(exc.value)})"
        yield FieldError(message, where or None)
    elif isinstance(exc, KeyError):
        yield FieldError("required field missing", path or None)
    elif _PERSONAL.search(path):
        yield FieldError(f"invalid value ({type(exc).__name__})", path)
    else:
        yield FieldError(cattrs.v.format_exception(exc, type_), path or None)


def to_json(obj: Any, *, indent: int | None = None) -> str:
    """Serialise a registered object to a JSON document (see `to_dict`).

    The text is standard JSON that any UTF-8 file or database holds, as a store writes
    it: a value JSON has no number for (NaN, an infinity, an integer of more digits than
    Python writes) or text with a lone surrogate is refused, not written.

    Raises:
        ValidationError: as `to_dict` does, or for such a value (naming its field).
    """
    doc = to_dict(obj)
    try:
        text = json.dumps(doc, indent=indent, ensure_ascii=False, allow_nan=False)
        if not text.isascii():
            text.encode("utf-8")  # lone surrogates raise
    except (ValueError, TypeError) as exc:  # UnicodeEncodeError is a ValueError
        raise _unwritable(obj, exc, lambda f: _strict_json(doc.get(f.name))) from None
    return text


def _strict_json(value: object) -> None:
    """Raise if ``value`` is not standard JSON that UTF-8 can hold."""
    json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


@overload
def from_json(text: str | bytes, cls: type[T]) -> T: ...
@overload
def from_json(text: str | bytes, cls: None = None) -> Any: ...
def from_json(text: str | bytes, cls: type[T] | None = None) -> T | Any:
    """Parse a JSON document written by `to_json` (see `from_dict`).

    Raises:
        ValidationError: the text is not JSON, or the document is malformed.

    Examples:
        >>> from mentorkit import Person
        >>> from_json(to_json(Person(id="p-1", name="Ana")), Person)
        Person(id='p-1', name='Ana', title='', org_unit_id=None, supervisor_id=None)
    """
    try:
        doc = json.loads(text, parse_constant=_no_constant)  # NaN and Infinity are not JSON
    except (ValueError, RecursionError, TypeError) as exc:
        # ValueError: not JSON, not UTF-8, or an integer of more digits than Python reads.
        raise ValidationError(f"is not JSON: {exc}", field="$") from None
    return from_dict(doc, cls)


_BUILTIN = (
    model.OrgUnit,
    model.Person,
    model.Program,
    model.Cohort,
    model.Enrollment,
    model.Mentorship,
    model.Session,
    model.ActionItem,
    model.Reflection,
    model.Goal,
    model.ActionPlan,
    model.Outcome,
    frameworks.Assessment,
    cycles.CoachingCycle,
    model.Engagement,
    model.Event,
    model.Attendance,
    model.Award,
)
for _cls in _BUILTIN:
    register(_cls, tag=_cls.collection)
register(frameworks.CompetencyFramework, tag="competency_framework")
register(cycles.CycleDefinition, tag="cycle_definition")


def _read_catalogue_data(data: Mapping[str, Any], cls: type[T]) -> T:
    """A framework or cycle from a data file: a tagged document, or its plain fields."""
    if TAG_KEY in data:
        return from_dict(data, cls)
    return structure(dict(data), cls)


_catalogue.install_reader(_read_catalogue_data)

#: The entry point group third-party packages list their entity subclasses in: the entry
#: point's name is the document tag, its value the class (``acme.StaffPerson =
#: acme_mentoring.model:StaffPerson``).
ENTITY_ENTRY_POINT_GROUP = "mentorkit.entities"


def entity_plugins() -> dict[str, str]:
    """The installed entity plugins, tag -> ``"module:Class"``, without importing them.

    Examples:
        >>> entity_plugins()  # nothing installed here
        {}
    """
    return {name: ep.value for name, ep in _plugins.installed(ENTITY_ENTRY_POINT_GROUP).items()}


def _check_entity(tag: str, obj: Any) -> type[Any]:
    from mentorkit.model import Entity

    if not (isinstance(obj, type) and issubclass(obj, Entity) and attrs.has(obj)):
        raise ValidationError(
            "must name an attrs subclass of a mentorkit entity",
            field="entry_point",
            value=getattr(obj, "__qualname__", type(obj).__qualname__),
        )
    return register(obj, tag=tag)


def load_entity_plugins() -> dict[str, type[Any]]:
    """Import and register every installed entity plugin (group ``mentorkit.entities``).

    Stores then read and write those subclasses as their own types. A broken plugin (an
    import error, not an attrs entity subclass, a tag already taken by another class) is
    skipped with a [PluginWarning][mentorkit.errors.PluginWarning] naming it; the others
    still load. The ``mentorkit`` command calls this before it opens a store. Calling it
    again is cheap and registers nothing twice.

    Returns:
        The classes loaded, by tag.

    Examples:
        >>> load_entity_plugins()  # nothing installed here
        {}
    """
    return _plugins.load_each(ENTITY_ENTRY_POINT_GROUP, _check_entity)
