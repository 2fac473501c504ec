import contextlib
import datetime as dt
import json
import math
import typing
from typing import Any, ClassVar

import attrs
import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mentorkit as mk
from mentorkit import serialization
from mentorkit.storage import MemoryStore
from mentorkit.testing import strategies


@given(strategies.entities(), st.integers(0, 10_000))
def test_every_entity_round_trips_through_dicts_and_json(entity, version):
    entity = attrs.evolve(entity, version=version)
    assert mk.from_dict(mk.to_dict(entity)) == entity
    assert mk.from_json(mk.to_json(entity)) == entity
    assert mk.from_json(mk.to_json(entity), type(entity)) == entity


@given(strategies.entities())
def test_documents_are_plain_json_with_tag_and_schema_version(entity):
    doc = mk.to_dict(entity)
    assert json.loads(json.dumps(doc)) == doc  # nothing but JSON types
    assert doc["$type"] == type(entity).collection
    assert doc["$schema"] == serialization.SCHEMA_VERSION


@given(strategies.entities(), st.data())
def test_a_document_missing_any_field_without_default_is_rejected_naming_it(entity, data):
    doc = mk.to_dict(entity)
    required = [a.name for a in attrs.fields(type(entity)) if a.default is attrs.NOTHING]
    name = data.draw(st.sampled_from(required))
    del doc[name]
    with pytest.raises(mk.ValidationError) as info:
        mk.from_dict(doc)
    assert any(f"$.{name}" in line for line in info.value.errors)
    assert info.value.field == name
    assert info.value.paths == (name,)
    assert info.value.errors[0].message == "required field missing"  # type: ignore[attr-defined]


_NOT_JSON_OBJECTS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.lists(st.integers())
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@given(_NOT_JSON_OBJECTS)
def test_anything_but_an_object_is_a_validation_error(garbage):
    with pytest.raises(mk.ValidationError):
        mk.from_dict(garbage)


@given(strategies.entities(), st.data())
def test_garbage_in_any_field_raises_validation_error_never_a_bare_exception(entity, data):
    doc = mk.to_dict(entity)
    name = data.draw(st.sampled_from(sorted(k for k in doc if not k.startswith("$"))))
    doc[name] = data.draw(_JSON)
    try:
        result = mk.from_dict(doc)
    except mk.ValidationError as exc:
        errors = exc.errors
        assert errors
    else:  # the garbage happened to be a valid value for that field
        assert isinstance(result, type(entity))


@given(st.dictionaries(st.text(), _JSON, max_size=5))
def test_arbitrary_objects_raise_validation_error(doc):
    with pytest.raises(mk.ValidationError):
        mk.from_dict(doc)


def test_wrong_types_are_reported_with_their_paths():
    doc = {
        "$type": "session",
        "$schema": 1,
        "id": "s-1",
        "mentorship_id": 7,
        "start": "2024-09-01T15:00:00",
        "minutes": "sixty",
        "participants": "ab",
    }
    with pytest.raises(mk.ValidationError) as info:
        mk.from_dict(doc)
    text = "\n".join(info.value.errors)
    for path in ("$.mentorship_id", "$.start", "$.minutes", "$.participants"):
        assert path in text


def test_unknown_tags_and_schema_versions_are_rejected():
    with pytest.raises(mk.ValidationError, match="not a known document type"):
        mk.from_dict({"$type": "wizard", "$schema": 1})
    with pytest.raises(mk.ValidationError, match=r"\$schema.*got 99"):
        mk.from_dict({"$type": "person", "$schema": 99, "id": "p", "name": "x"})
    with pytest.raises(mk.ValidationError, match=r"\$type: is missing"):
        mk.from_dict({"id": "p"})


def test_extra_fields_are_rejected():
    doc = mk.to_dict(mk.Person(id="p-1", name="Ana")) | {"shoe_size": 39}
    with pytest.raises(mk.ValidationError, match="shoe_size"):
        mk.from_dict(doc)


def test_a_document_of_another_type_is_rejected_when_a_class_is_asked_for():
    doc = mk.to_dict(mk.Program(id="x", name="Fellows"))
    with pytest.raises(mk.ValidationError, match="not a Person"):
        mk.from_dict(doc, mk.Person)


def test_invalid_json_text_is_a_validation_error():
    with pytest.raises(mk.ValidationError, match="is not JSON"):
        mk.from_json("{not json")


def test_a_model_rule_broken_in_a_document_is_a_validation_error():
    doc = mk.to_dict(
        mk.Cohort(
            id="c", program_id="p", name="2024", start=dt.date(2024, 8, 1), end=dt.date(2025, 6, 30)
        )
    )
    doc["end"] = "2023-01-01"
    with pytest.raises(mk.ValidationError, match=r"must not be before start .* @ \$\.end") as info:
        mk.from_dict(doc)
    assert info.value.field == "end"


@serialization.register(tag="tests.StaffPerson")
@attrs.frozen(kw_only=True)
class StaffPerson(mk.Person):
    badge: str = ""
    languages: tuple[str, ...] = ()
    hired: dt.date | None = None


def test_a_registered_subclass_round_trips_as_its_own_class():
    person = StaffPerson(
        id="p-9", name="Lee", badge="B-12", languages=("es", "en"), hired=dt.date(2019, 8, 1)
    )
    doc = mk.to_dict(person)
    assert doc["$type"] == "tests.StaffPerson"
    back = mk.from_dict(doc)
    assert type(back) is StaffPerson
    assert back == person
    # Asking for the base class still gives the subclass back.
    assert type(mk.from_json(mk.to_json(person), mk.Person)) is StaffPerson


def test_a_subclass_that_is_not_registered_cannot_be_written():
    @attrs.frozen(kw_only=True)
    class Unregistered(mk.Person):
        extra: int = 0

    with pytest.raises(mk.ValidationError, match="not a registered document type"):
        mk.to_dict(Unregistered(id="p", name="x"))


def test_registration_refuses_taken_tags_and_non_attrs_classes():
    with pytest.raises(mk.ValidationError, match="already registered"):
        serialization.register(StaffPerson, tag="person")

    class Plain:
        pass

    with pytest.raises(mk.ValidationError, match="attrs class"):
        serialization.register(Plain, tag="plain")
    assert "plain" not in serialization.registered_types


def test_the_registry_is_read_only():
    with pytest.raises(TypeError):
        serialization.registered_types["x"] = mk.Person  # type: ignore[index]


def test_absurdly_deep_documents_are_a_validation_error():
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(mk.ValidationError):
        mk.from_json(deep)
    nested: dict = {}
    for _ in range(5000):
        nested = {"x": nested}
    with pytest.raises(mk.ValidationError):
        mk.from_dict({"$type": "person", "$schema": 1, "id": "p", "name": "x", "roles": [nested]})


@pytest.mark.parametrize(
    ("field", "value"), [("demographics", {"ethnicity": 42}), ("email", 1234567)]
)
def test_errors_in_personal_fields_of_a_document_leave_the_value_out(field, value):
    doc = mk.to_dict(mk.Person(id="p", name="x")) | {field: value}
    with pytest.raises(mk.ValidationError) as info:
        mk.from_dict(doc)
    assert f"$.{field}" in str(info.value)
    assert "42" not in str(info.value)
    assert "1234567" not in str(info.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda: mk.from_json(5),  # type: ignore[arg-type]
        lambda: mk.from_dict({"$type": "person", "$schema": 1, "id": "p", "name": "x", 5: 1}),
        lambda: mk.from_dict(mk.to_dict(mk.Person(id="p", name="x")), "Person"),
    ],  # type: ignore[call-overload]
)
def test_wrongly_typed_arguments_are_validation_errors(call):
    with pytest.raises(mk.ValidationError):
        call()


# -- review of issue 16: to_json writes what a store would, or refuses as a store does -------


@serialization.register(tag="tests.Gauge")
@attrs.frozen(kw_only=True)
class Gauge(mk.model.Entity):
    """A plugin entity whose fields no validator guards (so they may hold anything)."""

    collection: ClassVar[str] = "tests_gauge"
    reading: float = 0.0
    count: int = 0
    label: str = ""


#: Values that are wrong for most fields, or that JSON (in UTF-8) cannot hold.
_HOSTILE: list[Any] = [
    None, True, 1.5, math.nan, math.inf, -math.inf, 10**5000, "\ud800", "x", (), ("a", 1),
    [], {}, {"a": 1}, {1: "a"}, dt.date(2024, 1, 1), dt.datetime(2024, 1, 1),
    mk.Role.MENTOR, object(), frozenset({"a"}), mk.Person(id="p-1", name="Ana"),
]  # fmt: skip


def _set(entity: Any, name: str, value: Any) -> Any:
    """The entity with one field set, past its converters and validators."""
    copy = attrs.evolve(entity)
    object.__setattr__(copy, name, value)
    return copy


def _strict_json(text: str) -> Any:
    def refuse(name: str) -> None:
        raise ValueError(name)

    text.encode("utf-8")
    return json.loads(text, parse_constant=refuse)


@given(
    st.one_of(strategies.entities(), st.builds(Gauge, id=strategies.ids())),
    st.data(),
    st.integers(0, len(_HOSTILE) - 1),  # by position: a 5000-digit int has no repr
)
def test_to_dict_and_to_json_write_standard_json_or_refuse_naming_the_field(entity, data, pick):
    name = data.draw(st.sampled_from([f.name for f in attrs.fields(type(entity))]))
    bad = _set(entity, name, _HOSTILE[pick])
    for write in (mk.to_dict, mk.to_json):
        refused: mk.ValidationError | None = None
        try:
            written = write(bad)
        except mk.ValidationError as exc:
            refused = exc
        if refused is not None:
            assert refused.field in attrs.fields_dict(type(entity))  # names a field
        elif write is mk.to_json:
            _strict_json(written)


@pytest.mark.parametrize(
    ("field", "value"),
    [("reading", math.nan), ("reading", math.inf), ("count", 10**5000), ("label", "A\ud800")],
    ids=["nan", "inf", "huge-int", "lone-surrogate"],
)
def test_to_json_refuses_what_no_store_can_hold_as_a_store_does(field, value):
    gauge = Gauge(id="g-1", **{field: value})  # valid: no validator guards these fields
    with pytest.raises(mk.ValidationError) as info:
        mk.to_json(gauge)
    assert info.value.field == field
    with MemoryStore() as store, pytest.raises(mk.ValidationError):
        store.put(gauge)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_from_json_refuses_the_constants_json_has_not(constant):
    text = mk.to_json(Gauge(id="g-1")).replace('"reading": 0.0', f'"reading": {constant}')
    with pytest.raises(mk.ValidationError, match="is not JSON"):
        mk.from_json(text)


_BADGE_CELL = """
import attrs
import mentorkit as mk

@attrs.frozen(kw_only=True)
class BadgePerson(mk.Person):
    badge: str = ""
"""


def _define_badge_person(module: str = "__main__") -> type[mk.Person]:
    """The same class source run again, as a notebook cell run twice defines it."""
    namespace: dict[str, object] = {"__name__": module}
    exec(compile(_BADGE_CELL, "<cell>", "exec"), namespace)
    made = namespace["BadgePerson"]
    assert isinstance(made, type)
    assert issubclass(made, mk.Person)
    return made


def _make_badge_person() -> type[mk.Person]:
    """A factory: each call makes another class, never the same one defined again."""

    @attrs.frozen(kw_only=True)
    class BadgePerson(mk.Person):
        badge: str = ""

    return BadgePerson


def test_two_classes_made_by_one_factory_do_not_take_each_others_tag():
    first = serialization.register(_make_badge_person(), tag="tests.factory.BadgePerson")
    with pytest.raises(mk.ValidationError, match="already registered"):
        serialization.register(_make_badge_person(), tag="tests.factory.BadgePerson")
    assert serialization.registered_types["tests.factory.BadgePerson"] is first


def test_a_class_defined_again_takes_its_tag_over_and_round_trips_as_the_new_class():
    first = serialization.register(_define_badge_person(), tag="tests.rerun.BadgePerson")
    second = serialization.register(_define_badge_person(), tag="tests.rerun.BadgePerson")
    assert first is not second
    assert serialization.registered_types["tests.rerun.BadgePerson"] is second
    assert serialization.tag_of(second) == "tests.rerun.BadgePerson"
    with pytest.raises(mk.ValidationError, match="not a registered document type"):
        serialization.tag_of(first)  # the old definition no longer owns the tag
    back = mk.from_json(mk.to_json(second(id="p-1", name="Ana", badge="B7")))
    assert type(back) is second
    assert back.badge == "B7"
    with MemoryStore() as store:
        store.put(second(id="p-2", name="Bo", badge="C1"))
        assert type(store.get(mk.Person, "p-2")) is second


def test_another_class_under_a_taken_tag_is_still_refused():
    serialization.register(_define_badge_person(), tag="tests.rerun.Other")

    @attrs.frozen(kw_only=True)
    class BadgePerson(mk.Person):  # same name, another module path (a local class here)
        badge: str = ""

    with pytest.raises(mk.ValidationError, match="already registered"):
        serialization.register(BadgePerson, tag="tests.rerun.Other")


# -- a bad document names its bad fields (structured, not only in the text) -----------------


def _fields_of(cls: type[Any], doc: dict[str, Any], prefix: str = "") -> Any:
    """Every field of ``doc`` (a document of ``cls``), nested ones too: (path, holder, key).

    Paths are mentorkit's field paths: ``"start"``, ``"commitments[0].name"``.
    """
    attrs.resolve_types(cls)
    for f in attrs.fields(cls):
        if f.name not in doc:
            continue
        path = f"{prefix}.{f.name}" if prefix else f.name
        yield path, doc, f.name
        args = [a for a in typing.get_args(f.type) if a is not type(None) and a is not ...]
        inner = args[0] if len(args) == 1 else f.type
        value = doc[f.name]
        if attrs.has(inner) and isinstance(value, list):
            for i, item in enumerate(value):
                yield from _fields_of(inner, item, f"{path}[{i}]")
        elif attrs.has(inner) and isinstance(value, dict):
            yield from _fields_of(inner, value, path)


@given(strategies.entities(), st.data())
def test_breaking_any_field_of_a_document_names_exactly_that_field(entity, data):
    doc = mk.to_dict(entity)
    body = {k: v for k, v in doc.items() if not k.startswith("$")}
    path, holder, key = data.draw(st.sampled_from(list(_fields_of(type(entity), body))))
    # A value no field of that kind holds: a boolean, or a float where a boolean goes.
    holder[key] = 1.5 if isinstance(holder[key], bool) else True
    with pytest.raises(mk.ValidationError) as info:
        mk.from_dict({**doc, **body})
    err = info.value
    assert err.field == path
    assert err.paths == (path,)
    (line,) = err.errors
    assert isinstance(line, mk.errors.FieldError)
    assert line.path == path
    assert line.endswith(f" @ $.{path}")  # the readable text names it too
    assert str(err).startswith(f"not a valid {type(entity).__qualname__} document\n")


def _program_doc(**fields: Any) -> dict[str, Any]:
    return mk.to_dict(mk.Program(id="prog-1", name="Fellows")) | fields


def test_a_bad_field_of_a_list_item_is_named_with_its_index():
    commitment = {"name": 5, "per": "month", "minutes": 60}
    doc = _program_doc(commitments=[commitment])
    with pytest.raises(mk.ValidationError) as info:
        mk.from_dict(doc)
    err = info.value
    assert err.field == "commitments[0].name"
    assert "commitments[0].name" in err.paths
    line = err.errors[0]
    assert isinstance(line, mk.errors.FieldError)
    assert (line.path, line.message) == ("commitments[0].name", "expected a string (got 5)")
    assert "expected a string (got 5) @ $.commitments[0].name" in str(err)


def test_a_bad_item_of_a_list_of_strings_is_named_with_its_index():
    doc = mk.to_dict(StaffPerson(id="p-1", name="Lee", languages=("es", "en")))
    doc["languages"] = ["es", 7, "en", None]
    with pytest.raises(mk.ValidationError) as info:
        mk.from_dict(doc)
    assert info.value.field == "languages[1]"
    assert info.value.paths == ("languages[1]", "languages[3]")


def test_a_model_rule_broken_inside_a_list_item_names_the_items_field():
    doc = mk.to_dict(mk.Program(id="p", name="x"))
    good = mk.to_dict(
        mk.Program(
            id="p",
            name="x",
            commitments=(mk.Commitment(name="1:1", per=mk.Period.MONTH, minutes=60),),
        )
    )["commitments"][0]
    doc["commitments"] = [good, good]  # names must be unique: the second one is refused
    with pytest.raises(mk.ValidationError) as info:
        mk.from_dict(doc)
    assert info.value.field == "commitments[1].name"


def test_every_problem_is_listed_with_its_own_path_in_document_order():
    doc = {
        "$type": "session", "$schema": 1, "id": "s-1", "mentorship_id": 7,
        "start": "2024-09-01T15:00:00", "minutes": "sixty", "participants": "ab",
    }  # fmt: skip
    with pytest.raises(mk.ValidationError) as info:
        mk.from_dict(doc)
    err = info.value
    assert err.field == "mentorship_id"
    assert set(err.paths) >= {"mentorship_id", "start", "minutes", "participants"}
    assert [line.path for line in err.errors] == list(err.paths)  # type: ignore[attr-defined]


def test_unknown_extra_and_missing_tags_name_their_key():
    with pytest.raises(mk.ValidationError) as info:
        mk.from_dict({"$type": "wizard", "$schema": 1})
    assert info.value.field == "$type"
    assert info.value.paths == ("$type",)
    with pytest.raises(mk.ValidationError) as info:
        mk.from_dict({"id": "p"})
    assert info.value.field == "$type"
    with pytest.raises(mk.ValidationError) as info:
        mk.from_dict({"$type": "person", "$schema": 2, "id": "p", "name": "x"})
    assert info.value.field == "$schema"
    doc = mk.to_dict(mk.Person(id="p-1", name="Ana")) | {"shoe_size": 39, "hat": 1}
    with pytest.raises(mk.ValidationError) as info:
        mk.from_dict(doc)
    assert info.value.field == "hat"
    assert info.value.paths == ("hat", "shoe_size")
    assert "is not a field of Person @ $.shoe_size" in str(info.value)


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("email", 1234567, "email"),
        ("demographics", {"ethnicity": 42}, "demographics['ethnicity']"),
        ("demographics", 4242, "demographics"),
    ],
)
def test_a_bad_personal_field_is_named_but_its_value_never_shown(field, value, path):
    doc = mk.to_dict(mk.Person(id="p", name="x")) | {field: value}
    with pytest.raises(mk.ValidationError) as info:
        mk.from_dict(doc)
    err = info.value
    assert err.field == path
    shown = [str(err), *err.errors, *(line.message for line in err.errors)]  # type: ignore[attr-defined]
    assert not any("42" in text or "1234567" in text for text in shown)


def test_field_errors_survive_pickling_and_compare_as_their_text():
    import pickle

    line = mk.errors.FieldError("expected a string", "goals[0].text")
    assert line == "expected a string @ $.goals[0].text"
    back = pickle.loads(pickle.dumps(line))
    assert (back, back.path, back.message) == (line, line.path, line.message)
    assert mk.errors.FieldError("not an object") == "not an object @ $"


#: mentorkit's converter configuration without the hooks tests register for their plugins.
_FRESH = serialization.make_converter()


def _enum_classes() -> list[type]:
    import enum

    found = {
        tp
        for cls in serialization.registered_types.values()
        for f in attrs.fields(cls)
        for tp in (f.type, *typing.get_args(f.type))
        if isinstance(tp, type) and issubclass(tp, enum.Enum)
    }
    # mentorkit's own: plugins in other tests register enums with hooks of their own.
    found = {tp for tp in found if tp.__module__.startswith("mentorkit.")}
    return sorted(found, key=lambda tp: tp.__qualname__)


@given(st.data())
def test_an_enum_is_read_as_calling_the_enum_would_read_it(data):
    # The converter's enum hook looks a value up in the members' map first: the same
    # member, and the same error, as ``tp(value)`` (which looks there first too). A fresh
    # converter: plugins in other tests register hooks of their own for their enums.
    tp = data.draw(st.sampled_from(_enum_classes()))
    members = list(tp)
    value = data.draw(
        st.one_of(
            st.sampled_from(members),
            st.sampled_from([m.value for m in members]),
            st.sampled_from([m.name for m in members]),
            st.text(max_size=12),
            st.integers(-3, 3),
            st.floats(allow_nan=False),
            st.booleans(),
            st.none(),
            st.lists(st.text(max_size=3), max_size=2),  # unhashable
        )
    )
    try:
        expected = tp(value)
    except ValueError:
        expected = None
    if expected is None:
        with pytest.raises(mk.ValidationError) as info:
            _FRESH.structure(value, tp)
        assert str(info.value).startswith("expected one of ")
    else:
        assert _FRESH.structure(value, tp) is expected


_ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.dates().map(dt.date.isoformat),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=3),
)


@given(_ANYTHING)
def test_a_date_is_a_date_or_ten_characters_of_iso_8601(value):
    expected = None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        expected = value
    elif isinstance(value, str) and len(value) == 10:
        with contextlib.suppress(ValueError):
            expected = dt.date.fromisoformat(value)
    if expected is None:
        with pytest.raises(mk.ValidationError, match=r"^expected an ISO 8601 date"):
            _FRESH.structure(value, dt.date)
    else:
        assert _FRESH.structure(value, dt.date) == expected


@given(_ANYTHING)
def test_an_integer_is_an_int_never_a_bool_and_comes_back_as_it_was(value):
    if isinstance(value, int) and not isinstance(value, bool):
        assert _FRESH.structure(value, int) is value
    else:
        with pytest.raises(mk.ValidationError, match=r"^expected an integer"):
            _FRESH.structure(value, int)


@given(st.one_of(st.lists(st.text(max_size=3), max_size=3), _ANYTHING))
def test_a_tuple_of_strings_is_read_from_a_list_of_strings_only(value):
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        assert _FRESH.structure(value, tuple[str, ...]) == tuple(value)
    else:
        with pytest.raises((mk.ValidationError, cattrs.errors.BaseValidationError)):
            _FRESH.structure(value, tuple[str, ...])
