"""A backend written only against the Store protocol (no mentorkit base class) passes the
contract: the suite is usable by third parties, not only by our own backends."""

import pytest
from _hand_written import DelegatingStore  # tests/storage is on sys.path

from mentorkit.storage import MemoryStore, Recorder, SQLiteStore, Store
from mentorkit.testing import SharedStoreContract, StoreContract


def test_a_hand_written_store_satisfies_the_protocol():
    assert isinstance(DelegatingStore(MemoryStore()), Store)


class TestHandWrittenStoreOverMemory(StoreContract):
    machine_examples = 10

    @pytest.fixture
    def store(self):
        with DelegatingStore(MemoryStore()) as store:
            yield store


class TestHandWrittenStoreOverSQLite(SharedStoreContract):
    machine_examples = 5

    @pytest.fixture
    def store(self, fast_dir):
        with DelegatingStore(SQLiteStore(fast_dir / "s.db")) as store:
            yield store

    @pytest.fixture
    def reopen(self, fast_dir):
        return lambda: DelegatingStore(SQLiteStore(fast_dir / "s.db"))


class RecorderOverMemory(DelegatingStore):
    """A third-party store that also offers the documented Recorder seam."""

    def export_documents(self):
        return self.inner.export_documents()

    def restore(self, entities):
        self.inner.restore(entities)


class TestHandWrittenRecorderOverMemory(StoreContract):
    """The contract holds a store that implements Recorder to Recorder's promise (an
    import keeps versions), not to a plain store's (versions restart)."""

    machine_examples = 5

    @pytest.fixture
    def store(self):
        with RecorderOverMemory(MemoryStore()) as store:
            assert isinstance(store, Recorder)
            yield store
