"""The Recorder seam: whole-store transfer goes through ``export_documents``/``restore``,
which every built-in store offers and a third-party store may offer too."""

import datetime as dt

import attrs
import pytest
from _hand_written import DelegatingStore  # tests/storage is on sys.path
from hypothesis import given
from hypothesis import strategies as st

from mentorkit import Mentorship, Person
from mentorkit.errors import ConflictError, ValidationError
from mentorkit.storage import (
    JsonStore,
    MemoryStore,
    Recorder,
    SQLiteStore,
    export_store,
    import_store,
)
from mentorkit.testing import strategies


class RecordingStore(DelegatingStore):
    """A third-party store that also implements the Recorder protocol, by delegation."""

    def __init__(self, inner):
        super().__init__(inner)
        self.restored = 0

    def export_documents(self):
        return self.inner.export_documents()

    def restore(self, entities):
        self.restored += len(entities)
        self.inner.restore(entities)


def test_every_built_in_store_is_a_recorder_and_a_plain_store_is_not(tmp_path):
    stores = [MemoryStore(), SQLiteStore(tmp_path / "s.db"), JsonStore(tmp_path / "s.json")]
    for store in stores:
        with store:
            assert isinstance(store, Recorder)
    assert not isinstance(DelegatingStore(MemoryStore()), Recorder)
    assert isinstance(RecordingStore(MemoryStore()), Recorder)


@given(st.lists(strategies.entities_of(Person), max_size=4, unique_by=lambda p: p.id))
def test_a_third_party_recorder_moves_a_store_keeping_every_version(people):
    source = MemoryStore()
    stored = source.put_many([attrs.evolve(p, version=0) for p in people])
    if stored:
        stored[0] = source.put(stored[0])  # one entity at version 2
    target = RecordingStore(MemoryStore())
    document = export_store(source, personal_data=True)
    assert import_store(target, document) == len(stored)
    assert target.restored == len(stored)
    assert target.writes == 0  # restored, not put: versions kept
    assert sorted(target.all(Person), key=lambda p: p.id) == sorted(stored, key=lambda p: p.id)
    assert export_store(target, personal_data=True) == document


def test_a_store_that_is_not_a_recorder_gets_plain_puts_and_versions_restart():
    source = MemoryStore()
    ana = source.put(source.put(Person(id="p-1", name="Ana")))
    assert ana.version == 2
    target = DelegatingStore(MemoryStore())
    import_store(target, export_store(source))
    assert target.writes == 1
    assert target.get(Person, "p-1").version == 1


def test_restore_is_all_or_nothing_and_validates():
    store = MemoryStore()
    store.put(Person(id="p-1", name="Ana"))
    with pytest.raises(ConflictError):
        store.restore(
            [Person(id="p-2", name="Bo", version=1), Person(id="p-1", name="A", version=1)]
        )
    assert [p.id for p in store.all(Person)] == ["p-1"]
    bad = Mentorship(
        id="m-1", mentor_id="p-1", mentee_id="p-2", start=dt.date(2024, 1, 1), version=1
    )
    object.__setattr__(bad, "mentee_id", "p-1")  # now its own mentor
    with pytest.raises(ValidationError):
        store.restore([bad])
    assert store.all(Mentorship) == []


def test_export_documents_are_ordered_by_id_per_collection():
    store = MemoryStore()
    store.put_many([Person(id="p-2", name="Bo"), Person(id="p-1", name="Ana")])
    docs = store.export_documents()
    assert list(docs) == ["person"]
    assert ['"id":"p-1"' in docs["person"][0], '"id":"p-2"' in docs["person"][1]] == [True, True]
