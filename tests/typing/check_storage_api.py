"""Type pins of the storage API: mypy checks this file, nothing runs it."""

from collections.abc import Mapping, Sequence
from typing import Any, assert_type

from mentorkit import Enrollment, Person
from mentorkit.storage import (
    JsonStore,
    MemoryStore,
    PostgresStore,
    Range,
    Recorder,
    SQLiteStore,
    Store,
    export_store,
    import_store,
    open_store,
    read_fields,
)


def pins(store: Store, person: Person) -> None:
    assert_type(open_store("memory://"), Store)
    assert_type(store.put(person), Person)
    assert_type(store.put_many([person]), list[Person])
    assert_type(store.get(Person, "p-1"), Person)
    assert_type(store.find(Enrollment, cohort_id="c", start=Range("a", "b")), list[Enrollment])
    assert_type(store.all(Person), list[Person])
    assert_type(store.delete(person), None)
    assert_type(store.delete((Person, "p-1")), None)
    assert_type(export_store(store), str)
    assert_type(import_store(store, "{}"), int)
    with store.transaction():
        pass
    with SQLiteStore(":memory:") as sqlite_store:
        assert_type(sqlite_store, SQLiteStore)
        assert_type(sqlite_store.put(person), Person)
    with JsonStore("x.json") as json_store:
        assert_type(json_store.all(Person), list[Person])
    with MemoryStore() as memory:
        assert_type(memory.get(Person, "p-1"), Person)
    with PostgresStore("postgresql://localhost/x") as pg:
        assert_type(pg.find(Person, org_unit_id="u"), list[Person])
    assert_type(read_fields(memory, Person, ("id", "name")), list[tuple[Any, ...]])


def recorder_pins(recorder: Recorder, person: Person) -> None:
    assert_type(recorder.export_documents(), Mapping[str, Sequence[str]])
    assert_type(recorder.restore([person]), None)
    assert_type(MemoryStore().export_documents(), dict[str, list[str]])
