"""``read_fields`` answers ids, versions and indexed fields from the stores' columns.

The columns hold key texts written from the entity the converter read back, so mapping them
back must give exactly what decoding the document gives: these tests hold every backend to
the decoded entities, for every indexed collection, and check that the documents are really
not read (a corrupt document goes unnoticed when no field asked for lives in it).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import attrs
import pytest
from _fields_check import assert_same, decoded_fields  # tests/storage is on sys.path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit.errors import StorageError, ValidationError
from mentorkit.model import (
    ActionItem,
    Enrollment,
    Entity,
    Mentorship,
    Outcome,
    OutcomeKind,
    Reflection,
    Role,
    Session,
)
from mentorkit.serialization import registered_types
from mentorkit.storage import (
    INDEXES,
    JsonStore,
    MemoryStore,
    Range,
    SQLiteStore,
    _codec,
    read_fields,
    register_index,
)
from mentorkit.testing import strategies
from mentorkit.testing._framework_strategies import ENTITY_STRATEGIES

#: Every built-in entity class of an indexed collection.
INDEXED = sorted(
    (cls for cls in ENTITY_STRATEGIES if INDEXES.get(cls.collection)), key=lambda c: c.__name__
)


def test_every_indexed_collection_has_a_class_under_test():
    builtin = {
        cls.collection
        for cls in registered_types.values()
        if issubclass(cls, Entity) and cls.__module__.startswith("mentorkit.")
    }
    indexed = {c for c, names in INDEXES.items() if names and c in builtin}
    assert {cls.collection for cls in INDEXED} == indexed


@pytest.fixture(scope="module")
def store_kinds(tmp_path_factory, request):
    """One store of each kind, PostgreSQL too when it is reachable (emptied per example)."""
    folder = tmp_path_factory.mktemp("keys")
    made = [MemoryStore(), SQLiteStore(folder / "k.db"), JsonStore(folder / "k.json")]
    try:
        dsn = request.getfixturevalue("postgres_module_dsn")
    except pytest.skip.Exception:
        dsn = None
    if dsn is not None:
        from mentorkit.storage import PostgresStore

        made.append(PostgresStore(dsn))
    yield made
    for store in made:
        store.close()


def test_postgres_is_among_the_store_kinds_when_configured(store_kinds, postgres_dsn):
    assert any(type(s).__name__ == "PostgresStore" for s in store_kinds)


def test_every_backend_reads_its_key_columns(store_kinds):
    # Not only the same answers: the columns are really used (None would mean "decode").
    for store in store_kinds:
        store._empty()
        store.put_many(_mentorships()[:2])
        with store._txn(write=False):
            rows = store._scan_columns("mentorship", None, [], ("id", 0, "version"))
        assert rows is not None
        assert [tuple(r) for r in rows] == [
            ("mentorship", "m-0", "p-0", 1),
            ("mentorship", "m-1", "p-1", 1),
        ]


@pytest.mark.parametrize("cls", INDEXED, ids=lambda c: c.__name__)
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=st.data())
def test_key_columns_give_the_fields_of_the_decoded_entities(store_kinds, cls, data):
    entities = data.draw(st.lists(strategies.entities_of(cls), min_size=1, max_size=5))
    entities = list({e.id: e for e in entities}.values())
    keys = INDEXES[cls.collection]
    # Mostly columns (id, version, the indexed fields), sometimes a field of the document.
    columns = ["id", "version", *keys]
    others = [f.name for f in attrs.fields(cls) if f.name not in columns]
    pool = st.sampled_from(columns) | st.sampled_from(others) if others else st.sampled_from(
        columns)  # fmt: skip
    names = tuple(data.draw(st.lists(pool, min_size=1, max_size=len(columns) + 2)))
    # A filter on an indexed field, at the value one of the entities holds.
    target = data.draw(st.sampled_from(entities))
    field = data.draw(st.sampled_from(keys))
    filters = {field: getattr(target, field)}
    for store in store_kinds:
        store._empty()
        store.put_many(entities)
        assert_same(read_fields(store, cls, names), decoded_fields(store, cls, names))
        assert_same(
            read_fields(store, cls, names, **filters),
            decoded_fields(store, cls, names, **filters),
        )


@pytest.mark.parametrize("cls", INDEXED, ids=lambda c: c.__name__)
def test_ids_versions_and_plain_indexed_fields_need_no_document(cls):
    keys = INDEXES[cls.collection]
    plan = _codec.key_plan(cls, ("id", "version", *keys), _codec.tags_for(cls))
    assert plan is not None
    datetimes = {n for n in keys if dt.datetime in _codec._field_types(cls, n)}
    # Only a datetime (its key keeps the instant, not the time zone) is read from the text.
    assert set(plan.doc) == datetimes


def _corrupt(path, collection):
    """Replace every document of a collection in a SQLite store with text that is not JSON."""
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE mentorkit_entities SET doc = '{oops' WHERE collection = ?",
                     (collection,))  # fmt: skip
    conn.close()


def _mentorships():
    return [
        Mentorship(id=f"m-{i}", mentor_id=f"p-{i % 3}", mentee_id=f"p-{i + 10}",
                   start=dt.date(2024, 9, 1 + i), cohort_id="c-1" if i % 2 else None)
        for i in range(6)
    ]  # fmt: skip


def test_fields_in_the_columns_are_read_without_the_documents(tmp_path):
    path = tmp_path / "k.db"
    with SQLiteStore(path) as store:
        store.put_many(_mentorships())
        names = ("id", "mentor_id", "start", "cohort_id", "version")
        want = read_fields(store, Mentorship, names)
    _corrupt(path, "mentorship")
    with SQLiteStore(path) as store:
        assert read_fields(store, Mentorship, names) == want
        assert read_fields(store, Mentorship, ("id",), cohort_id="c-1") == [
            ("m-1",),
            ("m-3",),
            ("m-5",),
        ]
        # A field of the document is read from it, and the corrupt text is reported as
        # find reports it.
        with pytest.raises(StorageError, match="corrupt") as from_fields:
            read_fields(store, Mentorship, ("id", "kind"))
        with pytest.raises(StorageError, match="corrupt") as from_all:
            store.all(Mentorship)
        assert str(from_fields.value) == str(from_all.value)


def test_enums_come_back_as_members_and_dates_as_dates(tmp_path):
    with SQLiteStore(tmp_path / "k.db") as store:
        store.put(Enrollment(id="e-1", person_id="p-1", cohort_id="c-1", role=Role.MENTOR))
        store.put(Outcome(id="o-1", person_id="p-1", kind=OutcomeKind.STUDENTS_REACHED,
                          date=dt.date(2025, 1, 2), value=3.0))  # fmt: skip
        ((role, status),) = read_fields(store, Enrollment, ("role", "status"))
        assert role is Role.MENTOR
        assert status is store.get(Enrollment, "e-1").status
        ((kind, day),) = read_fields(store, Outcome, ("kind", "date"))
        assert kind is OutcomeKind.STUDENTS_REACHED
        assert type(day) is dt.date
        assert day == dt.date(2025, 1, 2)


def test_a_datetime_keeps_its_time_zone():
    # The key column holds the instant only: the field is read from the document.
    start = dt.datetime(2025, 3, 30, 9, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    store = MemoryStore()
    store.put(Session(id="s-1", mentorship_id="m-1", start=start, minutes=30))
    ((got,),) = read_fields(store, Session, ("start",), start=Range(start=start))
    assert got == start
    assert got.utcoffset() == dt.timedelta(hours=-5)


def test_a_key_that_does_not_convert_back_falls_back_to_the_document(tmp_path):
    path = tmp_path / "k.db"
    with SQLiteStore(path) as store:
        store.put_many(_mentorships())
        want = decoded_fields(store, Mentorship, ("id", "start"))
    with sqlite3.connect(path) as conn:  # k5 is the start day
        conn.execute("UPDATE mentorkit_entities SET k5 = 'someday' WHERE id = 'm-2'")
    conn.close()
    with SQLiteStore(path) as store:
        assert read_fields(store, Mentorship, ("id", "start")) == want


def test_rows_keyed_under_another_layout_are_decoded(clean_indexes, tmp_path):
    # Registering an index after a store opened (the docs say: before) must not make
    # read_fields answer from columns that hold other fields.
    ms = _mentorships()
    stores = [MemoryStore(), SQLiteStore(tmp_path / "k.db")]
    for store in stores:
        store.put_many(ms)
    register_index("mentorship", "mentee_id", "mentor_id", replace=True)
    for store in stores:
        assert read_fields(store, Mentorship, ("id", "mentor_id", "mentee_id")) == [
            (m.id, m.mentor_id, m.mentee_id) for m in ms
        ]
    # Opened under the new layout, the SQLite store re-keys its rows and reads columns again.
    stores[1].close()
    with SQLiteStore(tmp_path / "k.db") as store:
        assert _codec.key_plan(Mentorship, ("mentor_id",), None) is not None
        assert read_fields(store, Mentorship, ("mentor_id",)) == [(m.mentor_id,) for m in ms]


@pytest.mark.parametrize(
    ("fields", "what"),
    [(("id", "mentor"), "mentor"), (("start", "k1"), "k1"), (("mentor_id", ""), "''")],
)
def test_a_bad_field_name_is_named(fields, what):
    with pytest.raises(ValidationError, match=what) as info:
        read_fields(MemoryStore(), Mentorship, fields)
    assert info.value.field == "fields"
    assert info.value.value == fields[1]


def test_a_filter_on_an_unknown_field_is_named():
    with pytest.raises(ValidationError) as info:
        read_fields(MemoryStore(), Mentorship, ("id",), mentor="p-1")
    assert info.value.field == "mentor"


def test_documents_of_an_unregistered_type_are_reported(tmp_path):
    path = tmp_path / "k.db"
    with SQLiteStore(path) as store:
        store.put_many(_mentorships())
    with sqlite3.connect(path) as conn:
        doc = json.dumps({"id": "m-9"})
        conn.execute(
            "INSERT INTO mentorkit_entities (collection, id, type, version, k1, doc) "
            "VALUES ('mentorship', 'm-9', 'plugin.Mentorship', 1, 'p-1', ?)",
            (doc,),
        )
    conn.close()
    with SQLiteStore(path) as store, pytest.raises(StorageError, match="not registered"):
        read_fields(store, Mentorship, ("id", "mentor_id"))


# -- the indexes adherence reads: ActionItem.due and .done, Reflection.written --------------


def _items():
    return [
        ActionItem(id=f"a-{i}", owner_id=f"p-{i % 2}", text="next step", done=i % 3 == 0,
                   due=dt.date(2025, 1, 1 + i) if i % 4 else None,
                   session_id=f"s-{i}" if i % 5 else None)
        for i in range(12)
    ]  # fmt: skip


def test_open_action_items_are_found_by_done():
    store = MemoryStore()
    store.put_many(_items())
    assert [a.id for a in store.find(ActionItem, done=False)] == sorted(
        a.id for a in _items() if not a.done
    )
    got = read_fields(store, ActionItem, ("id", "done", "due"), done=True)
    assert got == [(a.id, True, a.due) for a in sorted(_items(), key=lambda a: a.id) if a.done]


@pytest.mark.parametrize("value", ["false", 0, None, 1])
def test_a_flag_filter_must_be_true_or_false(value):
    with pytest.raises(ValidationError) as info:
        MemoryStore().find(ActionItem, done=value)
    assert info.value.field == "done"


def _make_old(conn, placeholder):
    """Turn a store into one an older mentorkit wrote: the older built-in definitions, and
    nothing in the key columns they did not have."""
    p = placeholder
    (text,) = conn.execute("SELECT value FROM mentorkit_meta WHERE key = 'index_layout'").fetchone()
    layout = json.loads(text)
    assert layout["action_item"] == ["owner_id", "session_id", "due", "done"]
    assert layout["reflection"] == ["person_id", "mentorship_id", "session_id", "written"]
    layout["action_item"] = ["owner_id", "session_id"]
    layout["reflection"] = ["person_id", "mentorship_id", "session_id"]
    conn.execute(
        f"UPDATE mentorkit_meta SET value = {p} WHERE key = 'index_layout'",
        (json.dumps(layout, separators=(",", ":")),),
    )
    conn.execute("UPDATE mentorkit_entities SET k3 = NULL, k4 = NULL")


def _reflections():
    return [
        Reflection(id=f"r-{i}", person_id="p-1", written=dt.date(2025, 1 + i, 28), text="ok",
                   mentorship_id="m-1" if i % 2 else None)
        for i in range(5)
    ]  # fmt: skip


def _check_rekeyed(store):
    assert [a.id for a in store.find(ActionItem, done=False)] == sorted(
        a.id for a in _items() if not a.done
    )
    assert read_fields(store, ActionItem, ("id", "due", "done")) == [
        (a.id, a.due, a.done) for a in store.all(ActionItem)
    ]
    may = Range(dt.date(2025, 5, 1), dt.date(2025, 6, 1))
    assert [r.id for r in store.find(Reflection, written=may)] == ["r-4"]


def test_a_sqlite_store_keyed_before_these_indexes_is_rekeyed_when_opened(tmp_path):
    path = tmp_path / "old.db"
    with SQLiteStore(path) as store:
        store.put_many([*_items(), *_reflections()])
    with sqlite3.connect(path) as conn:
        _make_old(conn, "?")
    conn.close()
    with SQLiteStore(path) as store:
        _check_rekeyed(store)


def test_a_postgres_store_keyed_before_these_indexes_is_rekeyed_when_opened(
    postgres_schema_dsn,
):
    import psycopg

    from mentorkit.storage import PostgresStore

    with PostgresStore(postgres_schema_dsn) as store:
        store.put_many([*_items(), *_reflections()])
    with psycopg.connect(postgres_schema_dsn, autocommit=True) as conn:
        _make_old(conn, "%s")
    with PostgresStore(postgres_schema_dsn) as store:
        _check_rekeyed(store)
