"""Adversarial review of issue 16 ("one codec path"): values and plugin shapes for which a
store's write or read could disagree with the one converter.

Each test is a defect found in review; each failed before its fix.
"""

from __future__ import annotations

import enum
import json
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorkit import Person
from mentorkit.errors import StorageError, ValidationError
from mentorkit.model import Entity
from mentorkit.serialization import converter, from_json, register, tag_of, to_dict
from mentorkit.storage import (
    MemoryStore,
    Range,
    SQLiteStore,
    _codec,
    _fastpath,
    export_store,
    import_store,
    read_fields,
    register_index,
)


def _stored_doc(store: Any, cls: type[Any], id: str) -> dict[str, Any]:
    """The document a store holds for an entity, as exported."""
    (text,) = [t for t in store.export_documents()[cls.collection] if f'"id":"{id}"' in t]
    return json.loads(text)


# -- a plugin hook for tuple[str, ...] (the write shortcut wrote tuples of strings inline) --


def _is_tags(tp: Any) -> bool:
    return tp == tuple[str, ...]


@register(tag="tests.breaker.Tagged")
@attrs.frozen(kw_only=True)
class Tagged(Entity):
    collection: ClassVar[str] = "tests_breaker_tagged"
    tags: tuple[str, ...] = ()


@given(st.lists(st.sampled_from(["b", "a", "c"]), max_size=4))
def test_a_plugin_hook_for_a_tuple_of_strings_is_written_as_the_converter_writes_it(tags):
    converter.register_unstructure_hook_func(_is_tags, lambda t: sorted(set(t)))
    _codec._INFO.pop(Tagged, None)
    try:
        entity = Tagged(id="t-1", tags=tuple(tags))
        expected = {**to_dict(entity), "version": 1}
        with MemoryStore() as store:
            store.put(entity)
            assert _stored_doc(store, Tagged, "t-1") == expected  # was the caller's order
    finally:
        # Hooks cannot be unregistered: ``list`` is the very hook cattrs makes for a tuple
        # of strings here (the items need no unstructuring), so the default is back.
        converter.register_unstructure_hook_func(_is_tags, list)
        _codec._INFO.pop(Tagged, None)
    assert _fastpath._default_hooks(tuple[str, ...])  # other tests keep their shortcut


# -- a hook registered after a class was first stored ---------------------------------------


class Hue(enum.Enum):
    WARM = "warm"
    COOL = "cool"


@register(tag="tests.breaker.Swatch")
@attrs.frozen(kw_only=True)
class Swatch(Entity):
    collection: ClassVar[str] = "tests_breaker_swatch"
    hue: Hue = Hue.WARM


def test_a_hook_registered_after_a_class_was_first_stored_is_what_stores_write_and_read():
    with MemoryStore() as store:
        store.put(Swatch(id="s-0"))  # the class is now known to the codec
        # A plugin imported afterwards stores this enum by member name.
        converter.register_unstructure_hook(Hue, lambda member: member.name)
        converter.register_structure_hook(Hue, lambda name, _: Hue[name])
        swatch = Swatch(id="s-1", hue=Hue.COOL)
        assert to_dict(swatch)["hue"] == "COOL"
        store.put(swatch)
        assert _stored_doc(store, Swatch, "s-1")["hue"] == "COOL"  # the store wrote "cool"


class Shade(enum.Enum):
    DARK = "dark"
    LIGHT = "light"


@register(tag="tests.breaker.Paint")
@attrs.frozen(kw_only=True)
class Paint(Entity):
    collection: ClassVar[str] = "tests_breaker_paint"
    shade: Shade = Shade.DARK
    note: str = ""


@pytest.mark.parametrize("make", [MemoryStore, lambda: SQLiteStore(":memory:")])
def test_a_hook_registered_after_a_class_was_read_is_what_every_read_and_write_uses(make):
    with make() as before:
        before.put_many([Paint(id="a", shade=Shade.DARK), Paint(id="b", shade=Shade.LIGHT)])
        # every cache is warm: class information, field plans, key plans
        assert read_fields(before, Paint, ["shade"]) == [(Shade.DARK,), (Shade.LIGHT,)]
        assert read_fields(before, Paint, ["id", "note"]) == [("a", ""), ("b", "")]
        assert [p.shade for p in before.all(Paint)] == [Shade.DARK, Shade.LIGHT]
    # A plugin imported afterwards stores this enum by member name.
    converter.register_unstructure_hook(Shade, lambda member: member.name)
    converter.register_structure_hook(Shade, lambda name, _: Shade[name])
    try:
        paints = [Paint(id="c", shade=Shade.LIGHT, note="n"), Paint(id="d", shade=Shade.DARK)]
        with make() as after:
            after.put_many(paints)
            assert [_stored_doc(after, Paint, p.id)["shade"] for p in paints] == ["LIGHT", "DARK"]
            assert [_stored_doc(after, Paint, p.id) for p in paints] == [
                {**to_dict(p), "version": 1} for p in paints
            ]
            assert after.get(Paint, "c").shade is Shade.LIGHT
            assert [p.shade for p in after.all(Paint)] == [Shade.LIGHT, Shade.DARK]
            assert read_fields(after, Paint, ["shade"]) == [(Shade.LIGHT,), (Shade.DARK,)]
            assert read_fields(after, Paint, ["note", "shade"]) == [
                ("n", Shade.LIGHT),
                ("", Shade.DARK),
            ]
            copy = export_store(after)
        with make() as restored:
            import_store(restored, copy)
            assert export_store(restored) == copy
    finally:
        # Back to the default answers (a hook cannot be unregistered).
        converter.register_unstructure_hook(Shade, lambda member: member.value)
        converter.register_structure_hook(Shade, lambda value, _: Shade(value))


# -- read_fields must give the entity's fields, or raise as find does -----------------------


@register(tag="tests.breaker.Lower")
@attrs.frozen(kw_only=True, init=False)
class Lower(Entity):
    """A plugin whose own ``__init__`` normalises a field (the converter calls it)."""

    collection: ClassVar[str] = "tests_breaker_lower"
    name: str = ""

    def __init__(self, **fields: Any) -> None:
        fields["name"] = str(fields.get("name", "")).lower()
        self.__attrs_init__(**fields)


@register(tag="tests.breaker.Bounded")
@attrs.frozen(kw_only=True)
class Bounded(Entity):
    """A plugin whose ``__attrs_pre_init__`` refuses a value (the converter calls it)."""

    collection: ClassVar[str] = "tests_breaker_bounded"
    limit: int = 0

    def __attrs_pre_init__(self, **fields: Any) -> None:
        if fields.get("limit", 0) < 0:
            raise ValueError("limit must be >= 0")


def _with_raw_document(cls: type[Any], entity: Any, **changes: Any) -> SQLiteStore:
    """A SQLite store holding ``entity`` with its stored document edited (as an older
    mentorkit, an import or a hand edit may have left it)."""
    store = SQLiteStore(":memory:")
    store.put(entity)
    doc = {**_stored_doc(store, cls, entity.id), **changes}
    store._conn.execute(  # a document no put would write
        "UPDATE mentorkit_entities SET doc = ? WHERE id = ?", (json.dumps(doc), entity.id)
    )
    return store


@pytest.mark.parametrize(
    ("cls", "entity", "change"),
    [
        (Lower, Lower(id="l-1", name="ada"), {"name": "ADA"}),
        (Bounded, Bounded(id="b-1", limit=1), {"limit": -5}),
    ],
)
def test_read_fields_answers_what_the_whole_entity_holds_or_raises_as_get_does(cls, entity, change):
    name = next(iter(change))
    with _with_raw_document(cls, entity, **change) as store:
        try:
            whole = getattr(store.get(cls, entity.id), name)
        except StorageError:
            with pytest.raises(StorageError):
                read_fields(store, cls, [name])
            return
        assert read_fields(store, cls, [name]) == [(whole,)]


# -- index keys of enums whose values are not strings ------------------------------------


class Rank(enum.IntEnum):
    TWO = 2
    TEN = 10


@register(tag="tests.breaker.Ranked")
@attrs.frozen(kw_only=True)
class Ranked(Entity):
    collection: ClassVar[str] = "tests_breaker_ranked"
    rank: Rank = Rank.TWO


register_index(Ranked.collection, "rank")


# An enum key is the member's value as text ('10' < '2'): a Range over it used to miss rows
# in every store. Decided: a Range over an enum field is refused, naming the field (members
# have no order of their own); equality finds each member.


@pytest.mark.parametrize("make", [MemoryStore, lambda: SQLiteStore(":memory:")])
@pytest.mark.parametrize(
    "within", [Range(Rank.TWO, None), Range(None, Rank.TEN), Range(Rank.TWO, Rank.TEN)]
)
def test_a_range_over_an_int_enum_key_is_refused_naming_the_field(make, within):
    with make() as store:
        store.put_many([Ranked(id="a", rank=Rank.TWO), Ranked(id="b", rank=Rank.TEN)])
        with pytest.raises(ValidationError) as caught:
            store.find(Ranked, rank=within)
        assert caught.value.field == "rank"
        with pytest.raises(ValidationError) as caught:
            read_fields(store, Ranked, ["id"], rank=within)
        assert caught.value.field == "rank"
        found = {m: [r.id for r in store.find(Ranked, rank=m)] for m in Rank}
        assert found == {Rank.TWO: ["a"], Rank.TEN: ["b"]}


@pytest.mark.parametrize("make", [MemoryStore, lambda: SQLiteStore(":memory:")])
def test_a_range_over_a_built_in_enum_key_is_refused_too(make):
    from mentorkit import Enrollment, EnrollmentStatus

    with make() as store, pytest.raises(ValidationError) as caught:
        store.find(Enrollment, status=Range(EnrollmentStatus.ACTIVE, None))
    assert caught.value.field == "status"


# -- a document the converter refuses must not be read by a store either -----------------


@pytest.mark.parametrize("schema", [True, 1.0])
def test_a_document_whose_schema_from_json_refuses_is_refused_by_import_store(schema):
    source = MemoryStore()
    source.put(Person(id="p-1", name="Ana"))
    document = json.loads(export_store(source))
    entry = document["collections"]["person"][0]
    entry["$schema"] = schema
    with pytest.raises(ValidationError):
        from_json(json.dumps(entry))
    with MemoryStore() as target, pytest.raises(StorageError):
        import_store(target, json.dumps(document))


@pytest.mark.parametrize("schema", [True, 1.0, "1", None])
def test_a_stored_document_whose_schema_from_json_refuses_is_refused_on_read(schema):
    person = Person(id="p-1", name="Ana", title="teacher")
    with _with_raw_document(Person, person, **{"$schema": schema}) as store:
        edited = store._conn.execute("SELECT doc FROM mentorkit_entities").fetchone()[0]
        with pytest.raises(ValidationError):
            from_json(edited)
        with pytest.raises(StorageError, match="person/p-1"):
            store.get(Person, "p-1")
        with pytest.raises(StorageError, match="person/p-1"):
            store.all(Person)
        with pytest.raises(StorageError, match="person/p-1"):
            read_fields(store, Person, ["name", "title"])
        with pytest.raises(StorageError, match="person/p-1"):
            _codec.decode_many([(tag_of(Person), edited)], "person")
