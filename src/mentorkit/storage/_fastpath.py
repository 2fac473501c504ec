"""The codec's one shortcut: a generated write (restamp, document text, keys) per class.

The reference semantics are the converter round trip: what is stored is
``_ENCODE(converter.unstructure(entity))`` and must structure back through ``converter``
(``storage._codec.encode``). Reads take that converter alone, and so does everything for a
class whose hooks are not the ones cattrs generates. This shortcut stays because the figures
justify it (``benchmarks/bench_codec.py``, ``bench_storage.py``): the round trip alone
writes at about 2.3x the plain-sqlite "entities" baseline, over the 1.5x goal; with it,
writes are back within the goal. Whenever it is unsure it raises (anything), and the caller
takes the reference path, which then accepts or raises its usual error. Property tests hold
it to the reference (``tests/storage/test_storage_codec*.py``).

The function is generated once per class from its attrs fields, as attrs and cattrs do.
"""

from __future__ import annotations

import datetime as dt
import json
import types
from enum import Enum
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

import attrs

from mentorkit.model import _checks as c
from mentorkit.serialization import converter, make_converter

if TYPE_CHECKING:
    from collections.abc import Callable


class UnsureError(Exception):
    """A shortcut cannot vouch for a value: use the reference path."""


#: Conditions under which a validator passes, checked inline (a call costs several times
#: more). When the condition is false the validator itself is called, to decide and to raise
#: its usual error, so the condition need only be sufficient.
_INLINE: dict[Any, str] = {
    c.identifier: "type({v}) is str and {v} and {v}.strip() == {v}",
    c.optional_identifier: "{v} is None or type({v}) is str and {v} and {v}.strip() == {v}",
    c.version_number: f"type({{v}}) is int and 0 <= {{v}} <= {c.MAX_VERSION}",
    c.text: "type({v}) is str",
    c.optional_text: "{v} is None or type({v}) is str",
    c.is_date: "type({v}) is _date_t",
    c.optional_date: "{v} is None or type({v}) is _date_t",
}


def _inline(validator: Any, v: str, env: dict[str, Any], i: int) -> str | None:
    """An inline condition under which ``validator`` passes for the value in local ``v``."""
    template = _INLINE.get(validator)
    if template is not None:
        env["_date_t"] = dt.date
        return template.format(v=v)
    enum = getattr(validator, "enum", None)  # see mentorkit.model._checks.member_of
    if isinstance(enum, type) and issubclass(enum, Enum):
        env[f"E{i}"] = enum
        return f"type({v}) is E{i}"
    return None


#: JSON text of a string, exactly as ``json.JSONEncoder(ensure_ascii=False)`` writes it.
_QUOTE: Callable[[str], str] = json.encoder.encode_basestring


def _code_key(code: types.CodeType) -> tuple[Any, ...]:
    """What two compilations of the same generated source share (not names of files)."""
    consts = tuple(_code_key(k) if isinstance(k, types.CodeType) else k for k in code.co_consts)
    return (code.co_code, code.co_names, code.co_varnames, consts)


def _same_hook(a: Any, b: Any) -> bool:
    """Whether two hooks are the same function (or made from the same source)."""
    a, b = getattr(a, "__func__", a), getattr(b, "__func__", b)
    if a is b:
        return True
    code_a, code_b = getattr(a, "__code__", None), getattr(b, "__code__", None)
    return code_a is not None and code_b is not None and _code_key(code_a) == _code_key(code_b)


#: mentorkit's own converter configuration, untouched by plugins: the hooks the shortcuts
#: stand for.
_DEFAULTS = make_converter()


def plain_hooks(cls: type[Any]) -> bool:
    """Whether ``cls`` is read and written exactly as the shortcuts assume.

    That is: by the hooks cattrs generates for it with the converter's own settings (no
    overrides, no options such as omitting defaults), through the ``__init__`` attrs
    generates (no ``__attrs_pre_init__``), with typed fields whose types str, int, date,
    enums and tuples of strings keep mentorkit's default hooks (a plugin may store an enum
    by name, or a tuple of tags sorted, say).
    """
    hooks = (converter.get_structure_hook(cls), converter.get_unstructure_hook(cls))
    fresh = (converter.gen_structure_attrs_fromdict(cls),
             converter.gen_unstructure_attrs_fromdict(cls))  # fmt: skip
    names = (f"structure_{cls.__name__}", f"unstructure_{cls.__name__}")
    for hook, made, name in zip(hooks, fresh, names, strict=True):
        if getattr(hook, "__name__", None) != name or getattr(hook, "overrides", None) != {}:
            return False
        if not _same_hook(hook, made):
            return False
    if not plain_init(cls):
        return False
    for f in attrs.fields(cls):
        if not f.init or f.alias != f.name or f.type is None or isinstance(f.type, str):
            return False
        base = _split(f.type)[0]
        # The types the shortcut writes and checks inline, not through their hooks.
        if (_simple(base) or _is_str_tuple(base)) and not _default_hooks(base):
            return False
    return True


def plain_init(cls: type[Any]) -> bool:
    """Whether ``cls`` is built by the ``__init__`` attrs generates (no ``__attrs_pre_init__``).

    Then a field's value is its hook's answer through its attrs converter and validator,
    and no code of the class's own sees or changes it before ``__attrs_post_init__``.
    """
    init = getattr(cls.__init__, "__code__", None)
    if init is None or not init.co_filename.startswith("<attrs generated"):
        return False
    return not hasattr(cls, "__attrs_pre_init__")


def _default_hooks(tp: Any) -> bool:
    """Whether ``tp`` is (un)structured by the hooks mentorkit's converter starts with."""
    return _same_hook(
        converter.get_structure_hook(tp), _DEFAULTS.get_structure_hook(tp)
    ) and _same_hook(converter.get_unstructure_hook(tp), _DEFAULTS.get_unstructure_hook(tp))


def _slotted(cls: type[Any]) -> bool:
    """Whether instances hold exactly the attrs fields, in slots (no ``__dict__``)."""
    fields = attrs.fields(cls)
    slots = {s for k in cls.__mro__ for s in getattr(k, "__slots__", ())}
    return "__dict__" not in dir(cls) and slots <= {*(f.name for f in fields), "__weakref__"}


def _optional(tp: Any) -> Any:
    """``X`` for ``X | None``, else ``None``."""
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(get_args(tp)) == 2:
            return args[0]
    return None


def _split(tp: Any) -> tuple[Any, bool]:
    """``(base type, optional)`` of a field type."""
    inner = _optional(tp)
    return (inner, True) if inner is not None else (tp, False)


def _is_str_tuple(tp: Any) -> bool:
    return get_origin(tp) is tuple and get_args(tp) in ((str, ...),)


def _simple(tp: Any) -> bool:
    """Types checked exactly with ``type(v) is T``: their values need no copying."""
    return tp in (str, int, dt.date) or (isinstance(tp, type) and issubclass(tp, Enum))


def _str_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Enum) and all(type(m.value) is str for m in tp)


def _compile(lines: list[str], env: dict[str, Any], name: str) -> Any:
    exec("\n".join(lines), env)  # noqa: S102 - code built from attrs field names
    return env[name]


def _construct(cls: type[Any], env: dict[str, Any], lines: list[str]) -> None:
    """Lines making an instance ``n`` of ``cls`` from locals ``v<i>``, as ``__init__`` would.

    Converters are applied, then every validator runs (skipped where an inline condition
    shows it would pass), then ``__attrs_post_init__``.
    """
    fields = attrs.fields(cls)
    env["_new"], env["_set"], env["_cls"] = object.__new__, object.__setattr__, cls
    for i, f in enumerate(fields):
        if f.converter is not None:
            env[f"C{i}"] = f.converter
            lines.append(f"    v{i} = C{i}(v{i})")
    lines.append("    n = _new(_cls)")
    lines += [f"    _set(n, {f.name!r}, v{i})" for i, f in enumerate(fields)]
    for i, f in enumerate(fields):
        if f.validator is None:
            continue
        env[f"V{i}"], env[f"A{i}"] = f.validator, f
        call = f"V{i}(n, A{i}, v{i})"
        condition = _inline(f.validator, f"v{i}", env, i)
        lines.append(f"    if not ({condition}): {call}" if condition else f"    {call}")
    if hasattr(cls, "__attrs_post_init__"):
        lines.append("    n.__attrs_post_init__()")


def _restamp_body(cls: type[Any], env: dict[str, Any]) -> list[str] | None:
    """Lines restamping ``e`` with ``version`` into a new instance ``n``, or ``None``.

    They give what the converter round trip would give, or raise: they check the type of
    every field exactly (what the round trip adds for fields without a validator), round
    trip through the converter only fields of other types (containers, nested classes:
    copying them, as the round trip does), and build the new instance as ``__init__``
    would, validators included: the entity may have been made with validators disabled, or
    changed since.
    """
    if not plain_hooks(cls) or not _slotted(cls):
        return None
    for f in attrs.fields(cls):
        if f.converter is not None and not isinstance(f.converter, types.FunctionType):
            return None
    env["_UnsureError"] = UnsureError
    lines: list[str] = []
    for i, f in enumerate(attrs.fields(cls)):
        v = f"v{i}"
        if f.name == "version":
            lines.append(f"    {v} = version")
            continue
        lines.append(f"    {v} = e.{f.name}")
        base, opt = _split(f.type)
        none = f"{v} is not None and " if opt else ""
        if _simple(base):
            env[f"T{i}"] = base
            lines.append(f"    if {none}type({v}) is not T{i}: raise _UnsureError")
        elif not opt and _is_str_tuple(base):
            lines.append(
                f"    if type({v}) is not tuple or not all(type(x) is str for x in {v}): "
                "raise _UnsureError"
            )
        else:  # anything else: round trip this one field through the converter
            env[f"U{i}"] = converter.get_unstructure_hook(f.type)
            env[f"S{i}"] = converter.get_structure_hook(f.type)
            env[f"T{i}"] = f.type
            # None and () read back as themselves (when the type allows them at all).
            keep = f"{v} is not None" if opt else "True"
            if get_origin(base) is tuple:
                keep += f" and not (type({v}) is tuple and not {v})"
            lines.append(f"    if {keep}:")
            lines.append(f"        try: {v} = S{i}(U{i}({v}), T{i})")
            lines.append("        except Exception: raise _UnsureError from None")
    _construct(cls, env, lines)
    return lines


def _text_expr(cls: type[Any], prefix: str, env: dict[str, Any], local: bool = False) -> str | None:
    """The document text of ``e`` with ``version``, as one f-string expression.

    It equals ``prefix + _ENCODE(body)[1:]`` where ``body`` is the converter's unstructured
    entity with ``version``, written without building ``body``; only for instances whose
    field types the restamp lines have checked exactly.

    With ``local``, fields of simple types are read from the locals ``v<i>`` of the
    restamp lines (the very objects, checked to be of exactly their field's type).
    """
    if not plain_hooks(cls):
        return None
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
    env.update(_P=prefix, _q=_QUOTE, _encode=encode, _json_list=_json_list)
    # One f-string (a single allocation); its expressions use only double quotes.
    parts: list[str] = []
    for i, f in enumerate(attrs.fields(cls)):
        base, opt = _split(f.type)
        # The locals hold the converted value: the same object only without a converter,
        # and the reference writes the entity's own value.
        unchanged = f.converter is None
        v = f"v{i}" if local and _simple(base) and unchanged else f"e.{f.name}"
        if f.name == "version":
            expr = "version!r"
        elif base is str:
            expr = f"_q({v})"
        elif base is int:
            expr = f"int.__repr__({v})"
        elif base is dt.date:  # digits and dashes: quoting is all JSON adds
            expr = f"_q({v}.isoformat())"
        elif _str_enum(base):
            expr = f"_q({v}.value)"
        elif not opt and _is_str_tuple(base):
            expr = f"_json_list({v})"
        else:
            env[f"W{i}"] = converter.get_unstructure_hook(f.type)
            expr = f"_encode(W{i}({v}))"
            if get_origin(base) is tuple:  # an empty tuple is written as an empty list
                expr = f'"[]" if type({v}) is tuple and not {v} else {expr}'
        if opt:
            expr = f'"null" if {v} is None else {expr}'
        parts.append(f"{json.dumps(f.name)}:{{{expr}}}")
    return "f'{_P}" + ",".join(parts) + "}}'"


def _json_list(items: tuple[str, ...]) -> str:
    return "[" + ",".join(map(_QUOTE, items)) + "]"


def _keys_body(
    cls: type[Any],
    names: tuple[str, ...],
    width: int,
    key: Callable[[object], str | None],
    env: dict[str, Any],
    target: str,
) -> tuple[list[str], str]:
    """Lines computing the keys of the entity in local ``target``, and the tuple of them."""
    env.update(_key=key, _UnsureError=UnsureError)
    types_ = {f.name: _split(f.type)[0] for f in attrs.fields(cls)}
    lines: list[str] = []
    for i, name in enumerate(names):
        k, base = f"k{i}", types_.get(name)
        lines.append(f"    {k} = {target}.{name}")
        lines.append(f"    if type({k}) is not str:")
        if base is dt.date or _str_enum(base):
            env[f"KT{i}"] = base
            fast = f"{k}.isoformat()" if base is dt.date else f"{k}.value"
            lines.append(f"        {k} = {fast} if type({k}) is KT{i} else _key({k})")
        else:
            lines.append(f"        {k} = _key({k})")
        lines.append(
            f"    if {k} is not None and ('\\x00' in {k} or len({k}) > {c.MAX_KEY_LENGTH}): "
            f"raise _UnsureError({name!r})"
        )
    items = [f"k{i}" for i in range(len(names))] + ["None"] * (width - len(names))
    return lines, f"({', '.join(items)},)"


def _row_lines(
    cls: type[Any],
    names: tuple[str, ...],
    width: int,
    key: Callable[[object], str | None],
    row: Callable[..., Any],
    head: tuple[str, str],
    env: dict[str, Any],
    text: str,
    entity: str,
    expected: str,
) -> list[str]:
    """The end both generated writes share: the text, the id, the keys and the row.

    ``entity`` names the local holding the entity stored; ``expected`` is the expression of
    the version the row is read at (``version`` is the one it is written at).
    """
    keys, result = _keys_body(cls, names, width, key, env, entity)
    # ``row`` is a NamedTuple: tuple.__new__ makes one without its Python-level __new__.
    env.update(_row=row, _tnew=tuple.__new__, _C=head[0], _T=head[1])
    return [
        f"    text = {text}",
        "    if not text.isascii(): text.encode('utf-8')  # lone surrogates raise",
        f"    i = {entity}.id",
        f"    if '\\x00' in i or len(i) > {c.MAX_KEY_LENGTH}: raise _UnsureError",
        *keys,
        f"    return _tnew(_row, (_C, i, _T, {expected}, version, {result}, text, {entity}))",
    ]


def make_encoder(
    cls: type[Any],
    *,
    prefix: str,
    names: tuple[str, ...],
    width: int,
    key: Callable[[object], str | None],
    row: Callable[..., Any],
    head: tuple[str, str],
) -> Callable[[Any], Any] | None:
    """The whole write shortcut in one function: version check, restamp, text and keys.

    ``encode(entity)`` returns ``row(collection, id, tag, expected, version, keys, text,
    stored)`` (``head`` is ``(collection, tag)``), exactly what the reference path would, or
    raises (anything): the caller then takes the reference path, which raises its usual,
    precise errors. ``None``: no shortcut for ``cls``.

    ``encode(entity, True)`` keeps the entity's version (a restore, ``version >= 1``): the
    row of ``entity`` read at ``version - 1``, without first making that entity.
    """
    env: dict[str, Any] = {}
    restamp = _restamp_body(cls, env)
    text = _text_expr(cls, prefix, env, local=True)
    if restamp is None or text is None:
        return None
    lines = [
        "def encode(e, keep=False):",
        "    expected = e.version - 1 if keep else e.version",
        f"    if type(expected) is not int or not 0 <= expected < {c.MAX_VERSION}:",
        "        raise _UnsureError",
        "    version = expected + 1",
        *restamp,
        *_row_lines(cls, names, width, key, row, head, env, text, "n", "expected"),
    ]
    encode: Callable[[Any], Any] = _compile(lines, env, "encode")
    return encode


def make_writer(
    cls: type[Any],
    *,
    prefix: str,
    names: tuple[str, ...],
    width: int,
    key: Callable[[object], str | None],
    row: Callable[..., Any],
    head: tuple[str, str],
) -> Callable[[Any], Any] | None:
    """The write of an entity the converter has just made, at its own version (an import).

    ``write(entity)`` returns the row ``make_encoder(...)(entity, True)`` returns, with the
    entity itself as the stored one, or raises (anything): the caller then takes that
    encoder or the reference path. It skips the restamp: an entity the converter's
    structure hook has just made went through ``__init__`` (converters, validators,
    ``__attrs_post_init__``) once already. The restamp would run each attrs converter again
    on the entity's value: the writer does too, and declines unless the answer is that
    value (the same object, or an equal one of the same type). It checks the exact type of
    every simple field, which the document text below needs.
    """
    if not plain_hooks(cls) or not _slotted(cls):
        return None
    for f in attrs.fields(cls):
        if f.converter is not None and not isinstance(f.converter, types.FunctionType):
            return None
    env: dict[str, Any] = {}
    text = _text_expr(cls, prefix, env)
    if text is None:
        return None
    lines = [
        "def write(e):",
        "    version = e.version",
        f"    if type(version) is not int or not 1 <= version <= {c.MAX_VERSION}:",
        "        raise _UnsureError",
    ]
    env["_UnsureError"] = UnsureError
    for i, f in enumerate(attrs.fields(cls)):
        base, opt = _split(f.type)
        v = f"e.{f.name}"
        if f.converter is not None:
            env[f"C{i}"] = f.converter
            lines.append(f"    w = C{i}({v})")
            lines.append(
                f"    if w is not {v} and (type(w) is not type({v}) or w != {v}): "
                "raise _UnsureError"
            )
        none = f"{v} is not None and " if opt else ""
        if _simple(base):
            env[f"T{i}"] = base
            lines.append(f"    if {none}type({v}) is not T{i}: raise _UnsureError")
        elif not opt and _is_str_tuple(base):
            lines.append(
                f"    if type({v}) is not tuple or not all(type(x) is str for x in {v}): "
                "raise _UnsureError"
            )
    lines += _row_lines(cls, names, width, key, row, head, env, text, "e", "version - 1")
    write: Callable[[Any], Any] = _compile(lines, env, "write")
    return write
