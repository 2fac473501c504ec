"""Backend specifics: URLs and the registry, opening foreign or newer stores, error translation,
schema migration, and what each backend writes."""

import datetime as dt
import json
import sqlite3
from importlib.metadata import EntryPoint
from typing import ClassVar

import attrs
import pytest

from mentorkit import (
    ConflictError,
    Enrollment,
    Mentorship,
    NotFoundError,
    Person,
    Role,
    Session,
    StorageError,
    ValidationError,
)
from mentorkit.model import Entity
from mentorkit.serialization import register
from mentorkit.storage import (
    JsonStore,
    MemoryStore,
    Range,
    SQLiteStore,
    Store,
    _codec,
    _url,
    export_store,
    import_store,
    open_store,
    register_index,
    register_store,
    registered_stores,
)

# -- open_store and the URL rule ------------------------------------------------------------


def test_memory_url_opens_a_memory_store():
    with open_store("memory://") as store:
        assert isinstance(store, MemoryStore)
        assert isinstance(store, Store)


def test_a_relative_sqlite_url_creates_the_file_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///m.db") as store:
        assert isinstance(store, SQLiteStore)
        store.put(Person(id="p-1", name="Ana"))
    assert (tmp_path / "m.db").exists()


def test_four_slashes_is_an_absolute_path(tmp_path):
    url = f"sqlite:///{tmp_path}/abs.db"  # tmp_path starts with "/": four slashes
    assert url.startswith("sqlite:////")
    with open_store(url) as store:
        store.put(Person(id="p-1", name="Ana"))
    assert (tmp_path / "abs.db").exists()
    with open_store(f"json:///{tmp_path}/abs.json") as store:
        assert isinstance(store, JsonStore)
    assert (tmp_path / "abs.json").exists()


def test_percent_escapes_in_a_file_url_are_decoded(tmp_path):
    with open_store(f"sqlite:///{tmp_path}/with%20space.db"):
        pass
    assert (tmp_path / "with space.db").exists()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_sqlite_without_a_path_is_an_in_memory_database(url):
    with open_store(url) as store:
        assert store.put(Person(id="p-1", name="Ana")).version == 1


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("sqlite://server/m.db", "no host"),
        ("json://server/m.json", "no host"),
        ("sqlite:///", "needs a path"),
        ("json:///", "needs a path"),
        ("sqlite:///m.db?mode=ro", "no query"),
        ("memory://somewhere", "memory://"),
        ("m.db", "store URL"),
    ],
)
def test_a_malformed_url_is_a_validation_error_naming_it(url, why):
    with pytest.raises(ValidationError, match=why) as info:
        open_store(url)
    assert info.value.field == "url"
    assert info.value.value == url


def test_an_unknown_scheme_lists_the_known_ones():
    with pytest.raises(NotFoundError, match=r"redis://.*sqlite://"):
        open_store("redis://localhost/0")


# -- the registry ---------------------------------------------------------------------------


@pytest.fixture
def clean_registry(monkeypatch):
    saved = dict(_url._OPENERS)
    monkeypatch.setattr(_url, "_entry_points_loaded", False)
    yield _url._OPENERS
    _url._OPENERS.clear()
    _url._OPENERS.update(saved)


def test_a_registered_scheme_opens_with_the_url_and_options(clean_registry):
    calls = []

    def opener(url, **options):
        calls.append((url, options))
        return MemoryStore()

    register_store("scratchpad", opener)
    assert isinstance(open_store("scratchpad://x", colour="red"), MemoryStore)
    assert calls == [("scratchpad://x", {"colour": "red"})]


def test_the_registry_view_is_read_only():
    assert "sqlite" in registered_stores
    with pytest.raises(TypeError):
        registered_stores["x"] = MemoryStore  # type: ignore[index]


@pytest.mark.parametrize(
    ("scheme", "opener", "field"),
    [
        ("Bad Scheme", lambda url: MemoryStore(), "scheme"),
        ("9lives", lambda url: MemoryStore(), "scheme"),
        ("fine", 42, "opener"),
        ("fine", lambda: MemoryStore(), "opener"),
        ("fine", lambda url, other: MemoryStore(), "opener"),
        ("fine", "not a dotted path", "opener"),
    ],
)
def test_a_wrong_registration_fails_at_once_naming_the_problem(
    clean_registry, scheme, opener, field
):
    with pytest.raises(ValidationError) as info:
        register_store(scheme, opener)
    assert info.value.field == field
    assert "fine" not in clean_registry


def test_a_taken_scheme_needs_replace(clean_registry):
    with pytest.raises(ValidationError, match="already registered"):
        register_store("sqlite", lambda url: MemoryStore())
    register_store("sqlite", lambda url: MemoryStore(), replace=True)
    assert isinstance(open_store("sqlite:///x.db"), MemoryStore)


_OPENER_CELL = """
from mentorkit.storage import MemoryStore

def open_scratch(url, **options):
    return MemoryStore()
"""


def _define_opener(module="__main__"):
    """The same function source run again, as a notebook cell run twice defines it."""
    namespace = {"__name__": module}
    exec(compile(_OPENER_CELL, "<cell>", "exec"), namespace)
    return namespace["open_scratch"]


def _make_opener(label):
    """A factory: each call makes another opener (a closure), never the same one again."""

    def open_scratch(url, **options):
        return MemoryStore()

    open_scratch.label = label
    return open_scratch


def test_an_opener_defined_again_replaces_itself_but_not_another(clean_registry):
    first, second = _define_opener(), _define_opener()
    register_store("rerun", first)
    register_store("rerun", second)  # no replace=True needed for the same function again
    assert clean_registry["rerun"] is second

    def open_scratch(url, **options):  # same name, another qualified name
        return MemoryStore()

    with pytest.raises(ValidationError, match="already registered"):
        register_store("rerun", open_scratch)
    with pytest.raises(ValidationError, match="already registered"):
        register_store("rerun", _define_opener(module="another_notebook"))
    register_store("anon", lambda url: MemoryStore())
    with pytest.raises(ValidationError, match="already registered"):
        register_store("anon", lambda url: MemoryStore())  # two lambdas are never "the same"


def test_two_openers_made_by_one_factory_are_two_openers(clean_registry):
    register_store("made", _make_opener("a"))
    with pytest.raises(ValidationError, match="already registered"):
        register_store("made", _make_opener("b"))
    assert clean_registry["made"].label == "a"


def test_a_dotted_opener_is_imported_on_first_use(clean_registry):
    register_store("lazy", "mentorkit.storage.memory:MemoryStore")
    assert registered_stores["lazy"] == "mentorkit.storage.memory:MemoryStore"
    with pytest.raises(ValidationError, match="positional argument"):  # checked when loaded
        open_store("lazy://")
    register_store("missing", "mentorkit.nowhere:open")
    with pytest.raises(NotFoundError, match=r"mentorkit\.nowhere"):
        open_store("missing://")


def test_entry_points_register_schemes(clean_registry, monkeypatch):
    ep = EntryPoint(
        name="plugged", value="mentorkit.storage._url:_open_memory", group="mentorkit.stores"
    )
    seen = []

    def entry_points(*, group):
        seen.append(group)
        return [ep]

    monkeypatch.setattr("importlib.metadata.entry_points", entry_points)
    with pytest.raises(ValidationError):  # the memory opener wants memory:// exactly
        open_store("plugged://")
    assert seen == ["mentorkit.stores"]
    assert "plugged" in registered_stores


# -- SQLite: foreign files, newer schemas, migration ----------------------------------------


def test_a_file_that_is_not_sqlite_is_not_a_store(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StorageError, match="not a mentorkit store"):
        SQLiteStore(path)
    assert path.read_text().startswith("these are my notes")


def test_a_foreign_sqlite_database_is_not_a_store_and_is_left_alone(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StorageError, match="invoices"):
        SQLiteStore(path)
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
    assert tables == ["invoices"]


def _set_meta(path, key, value):
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE mentorkit_meta SET value = ? WHERE key = ?", (value, key))


def test_a_store_of_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "m.db"
    SQLiteStore(path).close()
    _set_meta(path, "schema", "99")
    with pytest.raises(StorageError, match=r"newer mentorkit \(store schema 99\)"):
        SQLiteStore(path)


def test_a_store_with_broken_metadata_is_refused(tmp_path):
    path = tmp_path / "m.db"
    SQLiteStore(path).close()
    _set_meta(path, "format", "something-else")
    with pytest.raises(StorageError, match="not a mentorkit store"):
        SQLiteStore(path)


def test_the_file_records_its_schema_and_uses_wal(tmp_path):
    path = tmp_path / "m.db"
    SQLiteStore(path).close()
    with sqlite3.connect(path) as conn:
        meta = dict(conn.execute("SELECT key, value FROM mentorkit_meta"))
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert meta["format"] == "mentorkit"
    assert meta["schema"] == "1"
    assert json.loads(meta["index_layout"])["enrollment"] == list(_codec.INDEXES["enrollment"])
    assert mode == "wal"


def test_a_new_index_is_filled_in_for_existing_rows_on_open(tmp_path, monkeypatch):
    path = tmp_path / "m.db"
    with SQLiteStore(path) as store:
        store.put_many(
            [Person(id="p-1", name="Ana", title="Principal"), Person(id="p-2", name="Bo")]
        )
        with pytest.raises(ValidationError, match="not an indexed field"):
            store.find(Person, title="Principal")
    grown = {**_codec.INDEXES, "person": (*_codec.INDEXES["person"], "title")}
    monkeypatch.setattr(_codec, "INDEXES", grown)
    monkeypatch.setattr(_codec, "_INFO", {})
    with SQLiteStore(path) as store:
        assert [p.id for p in store.find(Person, title="Principal")] == ["p-1"]
    with sqlite3.connect(path) as conn:
        layout = conn.execute("SELECT value FROM mentorkit_meta WHERE key = 'index_layout'")
        assert "title" in layout.fetchone()[0]


# -- SQLite: driver errors become mentorkit errors ------------------------------------------


def test_a_missing_folder_is_a_storage_error(tmp_path):
    with pytest.raises(StorageError, match=r"cannot open|unable to open"):
        SQLiteStore(tmp_path / "no" / "such" / "folder" / "m.db")


def test_a_write_lock_held_too_long_is_a_storage_error(tmp_path):
    path = tmp_path / "m.db"
    SQLiteStore(path).close()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with SQLiteStore(path, timeout=0.05) as store, pytest.raises(StorageError, match="locked"):
            store.put(Person(id="p-1", name="Ana"))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_a_corrupt_stored_document_is_a_storage_error_naming_it(tmp_path):
    path = tmp_path / "m.db"
    with SQLiteStore(path) as store:
        store.put(Person(id="p-1", name="Ana"))
    with sqlite3.connect(path) as conn:
        conn.execute('UPDATE mentorkit_entities SET doc = \'{"$type": "person", \' ')
    with SQLiteStore(path) as store, pytest.raises(StorageError, match="corrupt"):
        store.get(Person, "p-1")


def test_an_invalid_stored_document_is_a_storage_error_naming_the_field(tmp_path):
    path = tmp_path / "m.db"
    with SQLiteStore(path) as store:
        store.put(Person(id="p-1", name="Ana"))
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE mentorkit_entities SET doc = replace(doc, '\"Ana\"', '42')")
    with SQLiteStore(path) as store, pytest.raises(StorageError, match=r"(?s)person/p-1.*name"):
        store.all(Person)


def test_a_stored_type_nobody_registered_says_what_to_import(tmp_path):
    path = tmp_path / "m.db"
    with SQLiteStore(path) as store:
        store.put(Person(id="p-1", name="Ana"))
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE mentorkit_entities SET type = 'acme.NeverRegistered'")
    with (
        SQLiteStore(path) as store,
        pytest.raises(StorageError, match=r"acme\.NeverRegistered.*register"),
    ):
        store.get(Person, "p-1")


def test_sqlite_integrity_errors_translate_to_conflicts(tmp_path):
    with SQLiteStore(tmp_path / "m.db") as store:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE TABLE t (id PRIMARY KEY)")
        conn.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.IntegrityError) as info:
            conn.execute("INSERT INTO t VALUES (1)")
        assert isinstance(store._translate(info.value), ConflictError)
        assert isinstance(
            store._translate(sqlite3.OperationalError("disk I/O error")), StorageError
        )
        assert isinstance(store._translate(OSError(28, "No space left")), StorageError)
        assert store._translate(KeyError("a bug")) is None


def test_text_that_is_not_unicode_is_refused_before_writing(tmp_path):
    for store in (MemoryStore(), SQLiteStore(tmp_path / "m.db"), JsonStore(tmp_path / "m.json")):
        with pytest.raises(ValidationError, match="not valid Unicode"):
            store.put(Person(id="p-1", name="broken \ud800 surrogate"))
        assert store.all(Person) == []
        store.close()


# -- JSON ------------------------------------------------------------------------------------


def test_the_json_file_is_readable_and_sorted(tmp_path):
    path = tmp_path / "m.json"
    with JsonStore(path) as store:
        store.put_many(
            [
                Person(id="p-2", name="Bo"),
                Person(id="p-1", name="Ana", email="ana@example.org"),
                Enrollment(id="e-1", person_id="p-1", cohort_id="c", role=Role.MENTEE),
            ]
        )
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["$type"] == "mentorkit.store"
    assert doc["$schema"] == 1
    assert list(doc["collections"]) == ["enrollment", "person"]
    assert [p["id"] for p in doc["collections"]["person"]] == ["p-1", "p-2"]
    assert text.count("\n") >= 6  # one document per line


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("{not json", "not JSON"),
        ('{"people": []}', r'"\$type" is not "mentorkit.store"'),
        ('{"$type": "mentorkit.store", "$schema": 1, "collections": []}', "must be an object"),
        (
            '{"$type": "mentorkit.store", "$schema": 1, "collections": {"person": [{"id": 1}]}}',
            r"collections.person\[0\]",
        ),
        ('{"$type": "mentorkit.store", "$schema": 7, "collections": {}}', "newer mentorkit"),
    ],
)
def test_a_json_file_that_is_not_a_store_is_refused_and_left_alone(tmp_path, content, match):
    path = tmp_path / "m.json"
    path.write_text(content)
    with pytest.raises(StorageError, match=match):
        JsonStore(path)
    assert path.read_text() == content


def test_a_json_store_in_a_path_that_cannot_exist_is_a_storage_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StorageError, match="JSON store"):
        JsonStore(tmp_path / "file" / "m.json")


def test_a_failed_json_write_keeps_the_last_committed_state(tmp_path, monkeypatch):
    path = tmp_path / "m.json"
    with JsonStore(path) as store:
        ana = store.put(Person(id="p-1", name="Ana"))
        before = path.read_bytes()

        def full_disk(*args):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr("os.replace", full_disk)
        with pytest.raises(StorageError, match="No space left"):
            store.put(Person(id="p-2", name="Bo"))
        monkeypatch.undo()
        assert store.all(Person) == [ana]
        assert path.read_bytes() == before
        assert not list(tmp_path.glob(".*.tmp"))


def test_json_stores_sharing_a_file_see_each_other(tmp_path):
    path = tmp_path / "m.json"
    with JsonStore(path) as a, JsonStore(path) as b:
        ana = a.put(Person(id="p-1", name="Ana"))
        assert b.get(Person, "p-1") == ana
        b.put(attrs.evolve(ana, title="Principal"))
        with pytest.raises(ConflictError):
            a.put(attrs.evolve(ana, title="stale"))


# -- Range ----------------------------------------------------------------------------------


def test_a_range_needs_an_end_and_the_right_order():
    from mentorkit.storage import Range

    with pytest.raises(ValidationError):
        Range()
    with pytest.raises(ValidationError, match="before start"):
        Range(dt.date(2024, 2, 1), dt.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="same type"):
        Range(dt.date(2024, 2, 1), "2024-03-01")


def test_find_range_on_ids_and_dates():
    from mentorkit import Mentorship
    from mentorkit.storage import Range

    store = MemoryStore()
    days = [dt.date(2023, 8, 1), dt.date(2024, 8, 1), dt.date(2025, 8, 1)]
    stored = store.put_many(
        [
            Mentorship(id=f"m-{i}", mentor_id="p-1", mentee_id=f"p-{i + 2}", start=day)
            for i, day in enumerate(days)
        ]
    )
    assert store.find(Mentorship, start=Range(dt.date(2024, 1, 1), dt.date(2025, 1, 1))) == [
        stored[1]
    ]
    assert store.find(Mentorship, mentee_id=Range("p-3", "p-4")) == [stored[1]]
    with pytest.raises(ValidationError):
        store.find(Session, mentorship_id=Range(1, 2))


@pytest.mark.parametrize("backend", ["memory", "sqlite", "json"])
def test_find_assessments_by_person(backend, tmp_path):
    from mentorkit.frameworks import Assessment, Rater

    url = {"memory": "memory://", "sqlite": f"sqlite:///{tmp_path}/a.db",
           "json": f"json:///{tmp_path}/a.json"}[backend]  # fmt: skip
    day = dt.date(2024, 9, 15)
    with open_store(url) as store:
        a1, a2, a3 = store.put_many(
            [
                Assessment(id=f"a-{i}", person_id=person, framework_id="manager-of-self",
                           competency="communication", level="developing", date=day,
                           rater=Rater.SELF)
                for i, person in enumerate(["p-1", "p-2", "p-1"])
            ]
        )  # fmt: skip
        assert store.find(Assessment, person_id="p-1") == [a1, a3]
        assert store.find(Assessment, person_id="p-2") == [a2]


# -- register_index ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("collection", "fields", "field"),
    [
        ("Bad Name", ("x",), "collection"),
        ("survey", (), "fields"),
        ("survey", tuple(f"f{i}" for i in range(7)), "fields"),
        ("survey", ("a", "a"), "fields"),
        ("survey", ("not a name",), "fields"),
        ("person", ("title",), "collection"),  # indexed differently already
    ],
)
def test_a_wrong_index_registration_fails_at_once(clean_indexes, collection, fields, field):
    with pytest.raises(ValidationError) as info:
        register_index(collection, *fields)
    assert info.value.field == field


def test_a_registered_index_serves_find_and_is_filled_in_on_open(clean_indexes, tmp_path):
    path = tmp_path / "m.db"
    with SQLiteStore(path) as store:
        store.put_many(
            [Person(id="p-1", name="Ana", title="Principal"), Person(id="p-2", name="Bo")]
        )
    register_index("person", "org_unit_id", "supervisor_id", "title", replace=True)
    with SQLiteStore(path) as store:
        assert [p.id for p in store.find(Person, title="Principal")] == ["p-1"]
    with JsonStore(tmp_path / "m.json") as store:
        store.put(Person(id="p-3", name="Cy", title="Principal"))
        assert [p.id for p in store.find(Person, title="Principal")] == ["p-3"]


def test_an_indexed_field_the_class_lacks_is_named(clean_indexes):
    register_index("person", "org_unit_id", "badge", replace=True)
    with pytest.raises(ValidationError, match="not a field of Person") as info:
        MemoryStore().put(Person(id="p-1", name="Ana"))
    assert info.value.field == "badge"


def test_a_store_opens_without_the_types_of_unindexed_collections(tmp_path, clean_indexes):
    path = tmp_path / "m.db"
    with SQLiteStore(path) as store:
        store.put(Person(id="p-1", name="Ana"))
    with sqlite3.connect(path) as conn:  # a plugin's collection, its type unknown here
        conn.execute(
            "INSERT INTO mentorkit_entities (collection, id, type, version, k1, doc) "
            "VALUES ('survey', 's-1', 'acme.Survey', 1, 'x', '{}')"
        )
        conn.execute(
            "UPDATE mentorkit_meta SET value = "
            "'{\"survey\":[\"person_id\"]}' WHERE key = 'index_layout'"
        )
    with SQLiteStore(path) as store:  # keeps "survey" and its keys, without decoding it
        assert store.get(Person, "p-1").name == "Ana"
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT k1 FROM mentorkit_entities WHERE id = 's-1'").fetchone() == (
            "x",
        )
        (text,) = conn.execute("SELECT value FROM mentorkit_meta WHERE key = 'index_layout'")
    assert json.loads(text[0])["survey"] == ["person_id"]


def _unregister_survey_index() -> None:
    _codec._INDEXES.pop("survey", None)
    _codec._REGISTERED.discard("survey")
    _codec._INFO.clear()


@attrs.frozen(kw_only=True)
class _Survey(Entity):
    collection: ClassVar[str] = "survey"
    person_id: str


def test_a_process_without_a_plugin_index_keeps_its_keys(tmp_path, clean_indexes):
    # Process A (a plugin) indexes "survey"; process B (a plain `mentorkit export`) does not.
    register(_Survey, tag="test.LayoutSurvey")
    path = tmp_path / "m.db"
    register_index("survey", "person_id")
    store_a = SQLiteStore(path)
    store_a.put(_Survey(id="s-1", person_id="p-1"))
    _unregister_survey_index()  # B knows nothing of it
    with SQLiteStore(path) as store_b:
        store_b.put(Person(id="p-1", name="Ana"))
    register_index("survey", "person_id")  # A again, same handle
    assert [s.id for s in store_a.find(_Survey, person_id="p-1")] == ["s-1"]
    store_a.close()
    with SQLiteStore(path) as store:
        assert [s.id for s in store.find(_Survey, person_id="p-1")] == ["s-1"]


def test_a_widened_index_is_not_narrowed_by_a_process_that_does_not_know_it(
    tmp_path, clean_indexes
):
    path = tmp_path / "m.db"
    builtin = _codec.INDEXES["person"]
    register_index("person", *builtin, "title", replace=True)
    with SQLiteStore(path) as store:
        store.put(Person(id="p-1", name="Ana", title="Principal"))
    # Another process: the built-in definition only.
    _codec._INDEXES["person"] = builtin
    _codec._REGISTERED.discard("person")
    _codec._INFO.clear()
    with SQLiteStore(path) as store:
        store.put(Person(id="p-2", name="Bo", title="Principal"))  # adopts the stored index
        assert [p.id for p in store.find(Person, title="Principal")] == ["p-1", "p-2"]
    with sqlite3.connect(path) as conn:
        (text,) = conn.execute("SELECT value FROM mentorkit_meta WHERE key = 'index_layout'")
    assert json.loads(text[0])["person"] == [*builtin, "title"]


def test_an_entity_version_beyond_64_bits_is_refused_naming_version():
    with pytest.raises(ValidationError) as info:
        Person(id="p-1", name="Ana", version=2**63)
    assert info.value.field == "version"
    assert Person(id="p-1", name="Ana", version=2**63 - 1).version == 2**63 - 1


@pytest.mark.parametrize("kind", ["memory", "json", "sqlite"])
@pytest.mark.parametrize("version", [2**63 - 1, 2**63, 2**70])
def test_a_version_out_of_range_is_a_validation_error_in_every_backend(tmp_path, kind, version):
    make = {
        "memory": MemoryStore,
        "json": lambda: JsonStore(tmp_path / "m.json"),
        "sqlite": lambda: SQLiteStore(tmp_path / "m.db"),
    }[kind]
    with make() as store:
        stored = store.put(Person(id="p-1", name="Ana"))
        with attrs.validators.disabled():
            huge = attrs.evolve(stored, version=version)
        with pytest.raises(ValidationError) as info:
            store.put(huge)
        assert info.value.field == "version"
        if version > 2**63 - 1:
            with pytest.raises(ValidationError) as info:
                store.delete(huge)
            assert info.value.field == "version"
        assert store.get(Person, "p-1") == stored


def test_an_imported_version_out_of_range_is_refused():
    source = MemoryStore()
    source.put(Person(id="p-1", name="Ana"))
    document = json.loads(export_store(source, personal_data=True))
    document["collections"]["person"][0]["version"] = 2**63
    target = SQLiteStore(":memory:")
    with pytest.raises(StorageError, match="version"):
        import_store(target, json.dumps(document))
    assert target.all(Person) == []


def test_an_overflow_from_a_driver_is_a_validation_error():
    with SQLiteStore(":memory:") as store:
        assert isinstance(store._translate(OverflowError("too big")), ValidationError)


@pytest.mark.parametrize(
    ("url", "option"),
    [
        ("memory://", "timeout"),
        ("sqlite:///:memory:", "foo"),
        ("sqlite:///{tmp}/m.db", "max_size"),
        ("json:///{tmp}/m.json", "max_size"),
        ("postgresql://u:pw@127.0.0.1:1/db", "colour"),
    ],
)
def test_an_option_the_backend_does_not_take_is_named(tmp_path, url, option):
    with pytest.raises(ValidationError, match="is not an option") as info:
        open_store(url.format(tmp=tmp_path), **{option: 3})
    assert info.value.field == option
    assert info.value.value == 3
    assert not (tmp_path / "m.db").exists()


def test_an_opener_with_fixed_parameters_gets_its_options_checked(clean_registry):
    register_store("fixed", lambda url, size=1: MemoryStore())
    assert isinstance(open_store("fixed://", size=2), MemoryStore)
    with pytest.raises(ValidationError) as info:
        open_store("fixed://", colour="red")
    assert info.value.field == "colour"


@attrs.frozen(kw_only=True)
class _Score(Entity):
    collection: ClassVar[str] = "score"
    person_id: str
    year: int
    points: float | None = None
    when: dt.date | None = None


@pytest.mark.parametrize(("field", "type_name"), [("year", "int"), ("points", "float")])
def test_indexing_a_field_that_is_not_text_enum_or_date_is_refused(clean_indexes, field, type_name):
    register(_Score, tag="test.Score")
    with pytest.raises(ValidationError, match=type_name) as info:
        register_index("score", "person_id", field)
    assert info.value.field == field
    assert "score" not in _codec.INDEXES
    register_index("score", "person_id", "when")  # text and dates are fine
    assert _codec.INDEXES["score"] == ("person_id", "when")


def test_a_class_stored_after_a_bad_index_is_refused_naming_the_field(clean_indexes):
    @attrs.frozen(kw_only=True)
    class Tally(Entity):
        collection: ClassVar[str] = "tally"
        count: int

    register_index("tally", "count")  # no class of the collection known yet
    register(Tally, tag="test.Tally")
    with pytest.raises(ValidationError, match="int") as info:
        MemoryStore().put(Tally(id="t-1", count=3))
    assert info.value.field == "count"


@pytest.mark.parametrize(
    "doc",
    [
        '{"$type":"person","$schema":1,"id":"p-1","version":1',  # cut short: not JSON
        '{"$type":"person","$schema":7,"id":"p-1","version":1}',  # another schema version
    ],
)
def test_a_corrupt_stored_document_is_named_by_collection_and_id(tmp_path, doc):
    path = tmp_path / "m.db"
    with SQLiteStore(path) as store:
        store.put(Person(id="p-1", name="Ana"))
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE mentorkit_entities SET doc = ? WHERE id = 'p-1'", (doc,))
    with SQLiteStore(path) as store:
        for read in (lambda: store.get(Person, "p-1"), lambda: store.all(Person)):
            with pytest.raises(StorageError, match="person/p-1"):
                read()


def test_a_corrupt_document_without_a_readable_id_still_names_its_collection(tmp_path):
    path = tmp_path / "m.db"
    with SQLiteStore(path) as store:
        store.put(Person(id="p-1", name="Ana"))
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE mentorkit_entities SET doc = '[' WHERE id = 'p-1'")
    with SQLiteStore(path) as store:
        with pytest.raises(StorageError, match="person/p-1"):
            store.get(Person, "p-1")
        with pytest.raises(StorageError, match=r"'person' document person/\?"):
            store.all(Person)


def test_another_process_without_the_indexes_loses_no_keys(tmp_path, clean_indexes):
    import subprocess
    import sys

    register(_Survey, tag="test.LayoutSurvey")
    register_index("survey", "person_id")
    builtin = _codec.INDEXES["person"]
    register_index("person", *builtin, "title", replace=True)
    path = tmp_path / "m.db"
    with SQLiteStore(path) as store:
        store.put(_Survey(id="s-1", person_id="p-1"))
        store.put(Person(id="p-1", name="Ana", title="Principal"))
    # A plain process: neither the survey index nor the widened person index.
    script = (
        "import sys\n"
        "from mentorkit import Person\n"
        "from mentorkit.storage import SQLiteStore\n"
        "with SQLiteStore(sys.argv[1]) as s:\n"
        "    s.put(Person(id='p-2', name='Bo', title='Principal'))\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, timeout=60)
    with SQLiteStore(path) as store:
        assert [s.id for s in store.find(_Survey, person_id="p-1")] == ["s-1"]
        assert [p.id for p in store.find(Person, title="Principal")] == ["p-1", "p-2"]


@pytest.mark.parametrize("enabled", [True, False])
def test_bulk_reads_and_writes_leave_the_garbage_collector_as_they_found_it(enabled):
    import gc

    (gc.enable if enabled else gc.disable)()
    try:
        with SQLiteStore(":memory:") as store:
            store.put_many([Person(id=f"p-{i}", name="Ana") for i in range(3)])
            assert len(store.all(Person)) == 3
            with pytest.raises(ValidationError):
                store.put_many([Person(id="p-9", name="Bo"), Person(id="p-9", name="Bo")])
            store.close()
            with pytest.raises(StorageError):  # raised inside the paused block
                store.all(Person)
            assert gc.isenabled() is enabled
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("cls", "filters", "index"),
    [
        ("Mentorship", {"mentor_id": "p-1"}, "k1"),
        ("Person", {"supervisor_id": "p-1"}, "k2"),
        ("Mentorship", {"cohort_id": "c-3"}, "k3"),
        ("Mentorship", {"mentee_id": Range("p-10", "p-12")}, "k2"),
    ],
)
def test_sqlite_find_searches_a_key_index_not_the_whole_collection(tmp_path, cls, filters, index):
    from mentorkit.storage import _sql

    klass = {"Mentorship": Mentorship, "Person": Person}[cls]
    with SQLiteStore(tmp_path / "m.db") as store:
        store.put_many(
            [Person(id=f"p-{i}", name="Ana", supervisor_id=f"p-{i + 1}") for i in range(300)]
            + [Mentorship(id=f"m-{i}", mentor_id=f"p-{i}", mentee_id=f"p-{i + 1}",
                          cohort_id=f"c-{i % 10}", start=dt.date(2024, 1, 1)) for i in range(300)]
        )  # fmt: skip
        sql, params = _sql.scan_sql(
            "?", klass.collection, None, _codec.terms(klass, filters),
            filtered_order=SQLiteStore._filtered_order,
        )  # fmt: skip
        plan = " ".join(row[3] for row in store._conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert f"USING INDEX mentorkit_entities_{index} " in plan, plan
        found = store.find(klass, **filters)
        assert found
        assert all(
            getattr(e, k) == v or (isinstance(v, Range) and v.start <= getattr(e, k) < v.end)
            for e in found for k, v in filters.items()
        )  # fmt: skip
        assert [e.id for e in found] == sorted(e.id for e in found)
