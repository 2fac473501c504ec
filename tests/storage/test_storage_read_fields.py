"""``read_fields``: the values the entities would have, on every backend, without them."""

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
from mentorkit.model import ActionItem, Activity, Session
from mentorkit.storage import JsonStore, MemoryStore, SQLiteStore, read_fields
from mentorkit.testing import strategies


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entities=st.lists(strategies.entities(), min_size=1, max_size=6), data=st.data())
def test_read_fields_gives_what_the_entities_hold_on_each_backend(tmp_path_factory, entities,
                                                                  data):  # fmt: skip
    folder = tmp_path_factory.mktemp("rf")
    cls = type(entities[0])
    same = list({e.id: e for e in entities if type(e) is cls}.values())
    names = tuple(f.name for f in attrs.fields(cls))
    chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names) + 2))
    for store in (MemoryStore(), SQLiteStore(folder / "s.db"), JsonStore(folder / "s.json")):
        with store:
            store.put_many(same)
            assert_same(read_fields(store, cls, chosen), decoded_fields(store, cls, chosen))


def test_read_fields_on_postgres(postgres_schema_dsn):
    from mentorkit.storage import PostgresStore

    with PostgresStore(postgres_schema_dsn) as store:
        store.put_many(_sessions())
        names = ("id", "start", "activity", "activities", "participants", "on_call")
        assert_same(read_fields(store, Session, names), decoded_fields(store, Session, names))
        assert_same(read_fields(store, Session, names, mentorship_id="m-1"),
              decoded_fields(store, Session, names, mentorship_id="m-1"))  # fmt: skip


def _sessions():
    t = dt.datetime(2025, 3, 30, 9, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    return [
        Session(id=f"s-{i}", mentorship_id=f"m-{i % 2}", start=t + dt.timedelta(days=i),
                minutes=30 * i, activity=Activity.SHADOWING, on_call=i % 3 == 0,
                activities=(Activity.ROLE_PLAY,) if i % 2 else (),
                participants=("p-1", "p-2") if i % 2 else ())
        for i in range(6)
    ]  # fmt: skip


def test_filters_and_order_are_those_of_find():
    store = MemoryStore()
    store.put_many(_sessions())
    got = read_fields(store, Session, ("id", "minutes"), mentorship_id="m-1")
    assert got == [("s-1", 30), ("s-3", 90), ("s-5", 150)]


def test_repeated_values_are_shared_only_when_immutable():
    store = SQLiteStore(":memory:")
    store.put_many(_sessions())
    rows = read_fields(store, Session, ("start", "activities", "participants"))
    assert rows == decoded_fields(store, Session, ("start", "activities", "participants"))
    assert all(type(r[2]) is tuple for r in rows)


@pytest.mark.parametrize(
    ("fields", "what"),
    [(("id", "nope"), "nope"), ("id", "id"), ((1,), "1")],
)
def test_bad_field_names_raise_validation_error_naming_fields(fields, what):
    with pytest.raises(ValidationError, match=what) as info:
        read_fields(MemoryStore(), Session, fields)
    assert info.value.field == "fields"


def test_a_filter_on_a_field_that_is_not_indexed_is_refused():
    with pytest.raises(ValidationError):
        read_fields(MemoryStore(), Session, ("id",), minutes=3)


def test_a_corrupt_field_asked_for_raises_what_all_raises(tmp_path):
    path = tmp_path / "c.db"
    with SQLiteStore(path) as store:
        store.put(ActionItem(id="a-1", owner_id="p-1", text="x", due=dt.date(2025, 1, 2)))
    conn = sqlite3.connect(path)
    (doc,) = conn.execute("SELECT doc FROM mentorkit_entities").fetchone()
    bad = json.loads(doc)
    bad["text"] = 42  # not indexed: only the document holds it
    conn.execute("UPDATE mentorkit_entities SET doc = ?", (json.dumps(bad),))
    conn.commit()
    conn.close()
    with SQLiteStore(path) as store:
        with pytest.raises(StorageError, match="a-1") as from_all:
            store.all(ActionItem)
        with pytest.raises(StorageError, match="a-1") as from_fields:
            read_fields(store, ActionItem, ("id", "text"))
        # Only the fields asked for are read: the others are not checked.
        assert read_fields(store, ActionItem, ("id", "done")) == [("a-1", False)]
    assert str(from_all.value) == str(from_fields.value)


class _Wrapped:
    """A store of another kind (not a BaseStore): read_fields reads its entities."""

    def __init__(self, inner):
        self.inner = inner

    def find(self, cls, **filters):
        return self.inner.find(cls, **filters)

    def all(self, cls):
        return self.inner.all(cls)


def test_any_other_store_reads_the_entities():
    inner = MemoryStore()
    inner.put_many(_sessions())
    names = ("id", "start", "on_call")
    assert read_fields(_Wrapped(inner), Session, names) == read_fields(inner, Session, names)
