"""The codec is the converter round trip: what it writes and reads is what the converter
writes and reads. Two shortcuts remain, held to it here: the generated write
(``storage._fastpath``), which gives the round trip's row or declines, and
``read_fields``'s per-field projection, which gives the entity's fields or gives way to a
whole decode."""

from __future__ import annotations

import datetime as dt
import json
from typing import ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorkit import Enrollment, Mentorship, Person, Role
from mentorkit.errors import StorageError, ValidationError
from mentorkit.model import Entity, RoleSpell
from mentorkit.serialization import converter, register, structure, tag_of
from mentorkit.storage import SQLiteStore, _codec
from mentorkit.testing import strategies


def _reference(entity: object) -> object:
    """What the full converter round trip stores for an entity (its new version)."""
    body = converter.unstructure(entity, type(entity))
    body["version"] = entity.version + 1  # type: ignore[attr-defined]
    return structure(body, type(entity))


def test_the_built_in_entities_have_the_write_shortcut():
    for cls in (Person, Enrollment, Mentorship):
        assert _codec.info(cls).fast_encode is not None


@given(strategies.entities())
def test_the_write_stores_what_the_round_trip_would(entity):
    row = _codec.encode(entity)
    expected = _reference(entity)
    assert row.entity == expected
    assert type(row.entity) is type(expected)
    assert row.entity.version == entity.version + 1


@given(strategies.entities())
def test_the_written_document_is_what_the_converter_unstructures(entity):
    row = _codec.encode(entity)
    doc = json.loads(row.text)
    assert doc.pop("$type") == tag_of(type(entity))
    assert doc.pop("$schema") == 1
    expected = json.loads(json.dumps(converter.unstructure(entity, type(entity))))
    expected["version"] = entity.version + 1
    assert list(doc) == list(expected)
    assert doc == expected


@given(strategies.entities())
def test_the_read_reads_what_the_converter_would(entity):
    row = _codec.encode(entity)
    doc = json.loads(row.text)
    del doc["$type"], doc["$schema"]
    assert _codec.decode(row.type, row.text) == structure(doc, type(entity)) == row.entity


def test_stored_containers_are_copies_not_the_callers():
    ana = Person(id="p-1", name="Ana", demographics={"gender": "f"})
    stored = _codec.encode(ana).entity
    assert stored.demographics == {"gender": "f"}
    assert stored.demographics is not ana.demographics


@register(tag="tests.Tally")
@attrs.frozen(kw_only=True)
class Tally(Entity):
    """A plugin entity with fields no validator guards."""

    collection: ClassVar[str] = "tests_tally"
    count: int = 0
    labels: tuple[str, ...] = ()


def _unvalidated(**fields: object) -> Person:
    with attrs.validators.disabled():
        return Person(id="p-1", name="Ana", **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "where"),
    [
        # a field without a validator, holding a value of the wrong type
        (lambda: Tally(id="t-1", count="3"), "tests_tally/t-1"),
        (lambda: Tally(id="t-1", labels=("a", 2)), "tests_tally/t-1"),
        # a container changed after the entity was made
        (lambda: _mutated(Person(id="p-1", name="Ana", demographics={"g": "f"})), "person/p-1"),
        # made while validators were switched off
        (lambda: _unvalidated(demographics={"gender": 3}), "person/p-1"),
        (lambda: _unvalidated(roles=("teacher",)), "person/p-1"),
    ],
)
def test_a_bad_field_the_validators_miss_is_still_refused_and_nothing_written(make, where):
    entity = make()
    with SQLiteStore(":memory:") as store:
        with pytest.raises(ValidationError, match=where):
            store.put_many([Person(id="p-0", name="Bo"), entity])
        assert store.all(Person) == []
        assert store.all(type(entity)) == []


def test_a_valid_plugin_entity_with_unguarded_fields_is_stored():
    stored = _codec.encode(Tally(id="t-1", count=3, labels=("a",))).entity
    assert stored == Tally(id="t-1", version=1, count=3, labels=("a",))


def _mutated(person: Person) -> Person:
    person.demographics["g"] = 3  # type: ignore[index]
    return person


def test_with_validators_disabled_the_full_round_trip_still_validates():
    with attrs.validators.disabled():
        bad = Mentorship(id="m-1", mentor_id=" p-1", mentee_id="p-2", start=dt.date(2024, 1, 1))
    with SQLiteStore(":memory:") as store:
        with pytest.raises(ValidationError, match="mentor_id"):
            store.put(bad)
        assert store.all(Mentorship) == []


def test_a_value_of_a_subclass_of_the_field_type_is_stored_as_the_round_trip_makes_it():
    class Name(str):
        pass

    ana = Person(id="p-1", name=Name("Ana"))
    stored = _codec.encode(ana).entity
    reference = _reference(ana)
    assert stored == reference
    assert type(stored.name) is type(reference.name)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d.update(role="boss"), "role"),
        (lambda d: d.update(person_id=7), "person_id"),
        (lambda d: d.update(extra=1), "extra"),
        (lambda d: d.pop("person_id"), "person_id"),
        (lambda d: d.update(focus_competencies="abc"), "focus_competencies"),
        (lambda d: d.update(version=True), "version"),
    ],
)
def test_a_bad_stored_document_is_refused_naming_the_field(change, match):
    row = _codec.encode(Enrollment(id="e-1", person_id="p-1", cohort_id="c", role=Role.MENTOR))
    doc = json.loads(row.text)
    change(doc)
    with pytest.raises(StorageError, match=match):
        _codec.decode(row.type, json.dumps(doc))


def test_a_stored_document_missing_a_defaulted_field_reads_with_the_default():
    row = _codec.encode(Enrollment(id="e-1", person_id="p-1", cohort_id="c", role=Role.MENTOR))
    doc = json.loads(row.text)
    del doc["focus_competencies"]
    assert _codec.decode(row.type, json.dumps(doc)).focus_competencies == ()


@register(tag="tests.Badge")
@attrs.frozen(kw_only=True)
class Badge(Entity):
    collection: ClassVar[str] = "tests_badge"
    code: str = ""


def test_a_class_with_its_own_converter_hooks_is_read_and_written_by_them():
    converter.register_structure_hook(Badge, lambda d, cls: cls(**{**d, "code": d["code"].upper()}))
    assert _codec.info(Badge).fast_encode is None
    assert _codec._plan(Badge, ("code",)) is None  # read_fields decodes it whole
    row = _codec.encode(Badge(id="b-1", code="b7"))
    assert row.entity.code == "B7"  # the class's own hook made what is stored
    assert _codec.decode(tag_of(Badge), row.text).code == "B7"


@given(st.lists(strategies.role_spells(), max_size=3))
def test_nested_values_are_round_tripped_like_the_converter_does(roles):
    ana = Person(id="p-1", name="Ana", roles=tuple(roles))
    stored = _codec.encode(ana).entity
    assert stored == _reference(ana)
    assert all(type(r) is RoleSpell for r in stored.roles)


@given(strategies.entities())
def test_the_written_text_is_byte_for_byte_what_the_reference_encoder_writes(entity):
    meta = _codec.info(type(entity))
    body = converter.unstructure(entity, type(entity))
    body["version"] = entity.version + 1
    assert _codec.encode(entity).text == meta.prefix + _codec._ENCODE(body)[1:]


def _reference_row(entity: Entity) -> _codec.Row:
    """What ``encode`` returns with the write shortcut switched off."""
    meta = _codec.info(type(entity))
    _codec._INFO[type(entity)] = meta._replace(fast_encode=None)
    try:
        return _codec.encode(entity)
    finally:
        _codec._INFO[type(entity)] = meta


@given(strategies.entities())
def test_the_write_shortcut_vouches_for_every_valid_entity_and_gives_the_reference_row(entity):
    # Not only correct when used, but used: a valid entity of a class with the shortcut
    # never falls back to the slower reference path.
    meta = _codec.info(type(entity))
    if meta.fast_encode is None:
        return
    fast = meta.fast_encode(entity)  # raises if it cannot vouch: valid entities never do
    slow = _reference_row(entity)
    assert fast == slow
    assert type(fast.entity) is type(slow.entity)


def test_most_built_in_entity_classes_have_the_write_shortcut():
    from mentorkit.testing._framework_strategies import ENTITY_STRATEGIES

    missing = [c.__name__ for c in ENTITY_STRATEGIES if _codec.info(c).fast_encode is None]
    assert set(missing) <= {"Assessment", "CoachingCycle"}, missing


@pytest.mark.parametrize("field", ["mentor_id", "cohort_id"])
def test_an_index_key_with_a_nul_character_is_refused_naming_the_field(field):
    fields = {"mentor_id": "p-1", "mentee_id": "p-2", "cohort_id": "c-1", field: "p\x00"}
    bad = Mentorship(id="m-1", start=dt.date(2024, 1, 1), **fields)
    with SQLiteStore(":memory:") as store:
        with pytest.raises(ValidationError) as info:
            store.put_many([Person(id="p-0", name="Bo"), bad])
        assert info.value.field == field
        assert store.all(Person) == []


@pytest.mark.parametrize(
    "make",
    [
        lambda: _unvalidated(demographics={"gender": 3}),
        lambda: _unvalidated(roles=("teacher",)),
        lambda: _unvalidated(supervisor_id=" p-2"),
        lambda: Person(id="p-1", name="Ana\ud800"),  # a lone surrogate
        lambda: attrs.evolve(Person(id="p-1", name="Ana"), org_unit_id="ou\x00"),
    ],
)
def test_the_write_refuses_what_cannot_be_stored_with_a_validation_error(make):
    entity = make()
    with pytest.raises(Exception):  # noqa: B017, PT011 - any error hands over to the reference
        _codec.info(Person).fast_encode(entity)
    with pytest.raises(ValidationError):
        _codec.encode(entity)


@given(st.lists(strategies.entities_of(Person), max_size=5))
def test_decoding_many_rows_gives_what_decoding_each_gives(people):
    rows = [(r.type, r.text) for r in map(_codec.encode, people)]
    assert _codec.decode_many(rows, "person") == [_codec.decode(t, x, "person") for t, x in rows]


@pytest.mark.parametrize("text", ['{"$type":"person","$schema":2,"id":"p-1"}', "[1]", "{"])
def test_decoding_many_rows_raises_what_decoding_the_bad_one_raises(text):
    good = _codec.encode(Person(id="p-0", name="Bo"))
    with pytest.raises(StorageError) as one:
        _codec.decode("person", text, "person")
    with pytest.raises(StorageError) as many:
        _codec.decode_many([(good.type, good.text), ("person", text)], "person")
    assert str(many.value) == str(one.value)
