"""Import: the document parsed once, each entry validated once by the converter, the rows the
generated writer makes held to the reference write, all or nothing, with the collector paused."""

from __future__ import annotations

import datetime as dt
import gc
import json
from typing import ClassVar

import attrs
import pytest
from _hand_written import DelegatingStore  # tests/storage is on sys.path
from hypothesis import given
from hypothesis import strategies as st

from mentorkit import Mentorship, Person, Session
from mentorkit.errors import ConflictError, StorageError, ValidationError
from mentorkit.model import Entity
from mentorkit.serialization import converter, register, to_dict
from mentorkit.storage import (
    JsonStore,
    MemoryStore,
    SQLiteStore,
    _codec,
    _document,
    _transfer,
    export_store,
    import_store,
)
from mentorkit.testing import strategies

_BACKENDS = ["memory", "json", "sqlite", "postgres"]


@pytest.fixture(params=_BACKENDS)
def target(request, tmp_path):
    """An empty store of each backend (PostgreSQL when a server is configured)."""
    if request.param == "memory":
        store = MemoryStore()
    elif request.param == "json":
        store = JsonStore(tmp_path / "t.json")
    elif request.param == "sqlite":
        store = SQLiteStore(tmp_path / "t.db")
    else:
        from mentorkit.storage import PostgresStore

        store = PostgresStore(request.getfixturevalue("postgres_schema_dsn"))
    with store:
        yield store


def _reference_row(entity: Entity) -> _codec.Row:
    """What restoring ``entity`` writes through the converter round trip alone."""
    meta = _codec.info(type(entity))
    _codec._INFO[type(entity)] = meta._replace(fast_encode=None)
    try:
        return _codec.encode(attrs.evolve(entity, version=entity.version - 1))
    finally:
        _codec._INFO[type(entity)] = meta


def _document_of(*entries: dict[str, object], collection: str = "person") -> str:
    return json.dumps(
        {"$type": "mentorkit.store", "$schema": 1, "collections": {collection: list(entries)}}
    )


def _person(id: str, **fields: object) -> dict[str, object]:
    doc = to_dict(Person(id=id, name=f"Name {id}"))
    doc["version"] = 1
    doc.update(fields)
    return doc


_STORED = st.lists(strategies.entities(), max_size=6, unique_by=lambda e: (e.collection, e.id)).map(
    lambda entities: MemoryStore().put_many([attrs.evolve(e, version=0) for e in entities])
)


# -- the shortcut is the reference -------------------------------------------------------------


@given(_STORED)
def test_an_imported_export_is_stored_byte_for_byte_with_equal_entities(stored):
    source = MemoryStore()
    source.restore(stored)
    document = export_store(source, personal_data=True)
    checked = _transfer.check_document(document)
    assert sorted(checked, key=lambda e: (e.collection, e.id)) == sorted(
        stored, key=lambda e: (e.collection, e.id)
    )
    for entity, row in zip(checked.entities, checked.rows, strict=True):
        reference = _reference_row(entity)
        # Used, not only correct: the built-in classes always get the generated writer's row.
        assert row is not None
        assert row == reference
        assert type(row.entity) is type(reference.entity)
    target = MemoryStore()
    assert import_store(target, document) == len(stored)
    assert target.export_documents() == source.export_documents()
    assert export_store(target, personal_data=True) == document


@given(strategies.entities(), st.integers(1, 2**63 - 1))
def test_the_generated_encoder_keeping_the_version_gives_the_reference_row(entity, version):
    entity = attrs.evolve(entity, version=version)
    fast = _codec.info(type(entity)).fast_encode
    assert fast is not None
    row = fast(entity, True)  # type: ignore[call-arg]
    assert row == _reference_row(entity)
    assert row.version == version


@register(tag="tests.ImportBadge")
@attrs.frozen(kw_only=True)
class ImportBadge(Entity):
    collection: ClassVar[str] = "tests_import_badge"
    code: str = ""


def test_a_class_with_its_own_hooks_gets_no_writer_and_is_still_imported():
    converter.register_structure_hook(
        ImportBadge, lambda d, cls: cls(**{**d, "code": d["code"].upper()})
    )
    entry = {"$type": "tests.ImportBadge", "$schema": 1, "id": "b-1", "version": 2, "code": "x"}
    document = _document_of(entry, collection="tests_import_badge")
    checked = _transfer.check_document(document)
    assert checked.rows == (None,)  # restore takes the class's own hooks
    store = MemoryStore()
    assert import_store(store, document) == 1
    assert store.get(ImportBadge, "b-1") == ImportBadge(id="b-1", version=2, code="X")


# -- all or nothing, naming the entry ---------------------------------------------------------


def test_a_bad_entry_in_the_middle_of_the_file_imports_nothing_and_is_named(target):
    kept = target.put(Person(id="p-0", name="Already here"))
    document = _document_of(_person("p-1"), _person("p-2", name=5), _person("p-3"))
    with pytest.raises(StorageError) as info:
        import_store(target, document)
    message = str(info.value)
    assert "person/p-2" in message
    assert "$.name" in message
    assert "(got 5)" in message
    assert target.all(Person) == [kept]


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", ["ana@secret.example"]), ("demographics", {"gender": ["secret-value"]})],
)
def test_a_bad_personal_field_is_named_without_its_value(field, value):
    store = MemoryStore()
    with pytest.raises(StorageError) as info:
        import_store(store, _document_of(_person("p-1"), _person("p-2", **{field: value})))
    message = str(info.value)
    assert "person/p-2" in message
    assert field in message
    assert "secret" not in message
    assert store.all(Person) == []


def test_an_entry_a_validator_refuses_is_named_with_its_field():
    store = MemoryStore()
    doc = to_dict(Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2", start=dt.date(2024, 1, 1)))
    doc["version"] = 1
    doc["mentee_id"] = "p-1"  # now its own mentor
    with pytest.raises(StorageError, match="mentorship/m-1"):
        import_store(store, _document_of(doc, collection="mentorship"))
    assert store.all(Mentorship) == []


def test_an_id_twice_in_a_collection_is_named_and_nothing_is_imported(target):
    with pytest.raises(StorageError, match="holds the id 'p-2' twice"):
        import_store(target, _document_of(_person("p-1"), _person("p-2"), _person("p-2")))
    assert target.all(Person) == []


def test_restoring_an_id_twice_is_a_conflict_naming_it_and_writes_nothing(target):
    people = [Person(id="p-1", name="A", version=1), Person(id="p-1", name="B", version=3)]
    with pytest.raises(ConflictError, match="person/p-1 appears twice"):
        target.restore(people)
    assert target.all(Person) == []


def test_an_entry_of_another_collection_is_refused():
    store = MemoryStore()
    with pytest.raises(StorageError, match="belongs in 'person'"):
        import_store(store, _document_of(_person("p-1"), collection="session"))
    assert store.all(Session) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"$schema": 2}, "has schema version 2"),
        ({"$schema": True}, "has schema version True"),
        ({"$schema": None}, "has no schema version"),
        ({"$type": "no_such_type"}, "'no_such_type', which is not a registered entity type"),
    ],
)
def test_an_entry_of_another_schema_or_an_unknown_type_is_named(change, message):
    store = MemoryStore()
    with pytest.raises(StorageError, match=message) as info:
        import_store(store, _document_of(_person("p-1"), _person("p-2", **change)))
    assert "person/p-2" in str(info.value)
    assert store.all(Person) == []


def test_a_document_of_a_newer_store_schema_is_refused():
    document = json.dumps({"$type": "mentorkit.store", "$schema": 2, "collections": {}})
    with pytest.raises(StorageError, match="newer mentorkit"):
        import_store(MemoryStore(), document)


def test_with_validators_switched_off_the_import_still_validates_every_entity():
    store = MemoryStore()
    bad = _person("p-2")
    bad["id"] = " p-2"  # a validator refuses the space
    document = _document_of(_person("p-1"), bad)
    with attrs.validators.disabled(), pytest.raises(ValidationError, match="person/ p-2"):
        import_store(store, document)
    assert store.all(Person) == []
    with attrs.validators.disabled():
        checked = _transfer.check_document(_document_of(_person("p-1")))
    assert checked.rows == (None,)  # restore validates and encodes each one itself


@pytest.mark.parametrize("bad", [object(), Person(id="p-1", name="A", version=0)])
def test_restore_refuses_what_it_cannot_keep_with_a_validation_error(bad):
    store = MemoryStore()
    with pytest.raises(ValidationError):
        store.restore([Person(id="p-0", name="A", version=1), bad])
    assert store.all(Person) == []


def test_the_checked_entities_are_a_read_only_sequence_for_any_recorder():
    checked = _transfer.check_document(_document_of(_person("p-1"), _person("p-2")))
    assert len(checked) == 2
    assert [p.id for p in checked] == ["p-1", "p-2"]
    assert checked[-1].id == "p-2"
    assert [p.id for p in checked[:1]] == ["p-1"]
    assert isinstance(checked, _document.Checked)
    assert "2 checked entities" in repr(checked)
    store = DelegatingStore(MemoryStore())  # not a Recorder: plain puts
    assert _transfer.load_entities(store, checked) == 2
    assert [p.version for p in store.all(Person)] == [1, 1]


# -- the garbage collector ---------------------------------------------------------------------


class _GcWatchingStore(DelegatingStore):
    """A third-party Recorder that notes whether the collector ran during its restore."""

    def __init__(self, inner):
        super().__init__(inner)
        self.collector_on: list[bool] = []

    def export_documents(self):
        return self.inner.export_documents()

    def restore(self, entities):
        self.collector_on.append(gc.isenabled())
        self.inner.restore(entities)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_during_an_import_and_left_as_it_was(enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        store = _GcWatchingStore(MemoryStore())
        assert import_store(store, _document_of(_person("p-1"))) == 1
        assert store.collector_on == [False]
        assert gc.isenabled() is enabled
        for bad in (_document_of(_person("p-1"), _person("p-2", name=5)), "not json"):
            with pytest.raises(StorageError):
                import_store(store, bad)
            assert gc.isenabled() is enabled
        with pytest.raises(ConflictError):  # p-1 is there: the restore fails
            import_store(store, _document_of(_person("p-1")))
        assert gc.isenabled() is enabled
        with pytest.raises(ValidationError):
            store.inner.restore([Person(id="p-9", name="A", version=0)])
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_the_collector_stays_paused_from_the_check_to_the_write(monkeypatch):
    # Between the two steps it would walk every entity the check made.
    seen: list[bool] = []
    check = _transfer.check_document

    def watched(document):
        checked = check(document)
        seen.append(gc.isenabled())
        return checked

    monkeypatch.setattr(_transfer, "check_document", watched)
    was = gc.isenabled()
    try:
        gc.enable()
        assert import_store(MemoryStore(), _document_of(_person("p-1"))) == 1
        assert gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()
    assert seen == [False]


def test_rows_made_before_the_index_layout_changed_are_made_again():
    # A store opened after the document was checked may adopt another layout (one another
    # process registered): the keys of the rows must follow the layout at the write.
    from mentorkit.storage import register_index

    checked = _transfer.check_document(_document_of(_person("p-1", title="Principal")))
    before = _codec.INDEXES["person"]
    was_registered = "person" in _codec._REGISTERED
    register_index("person", *before, "title", replace=True)
    try:
        store = MemoryStore()
        store.restore(checked)
        assert [p.id for p in store.find(Person, title="Principal")] == ["p-1"]
    finally:
        register_index("person", *before, replace=True)
        if not was_registered:
            _codec._REGISTERED.discard("person")
