"""A backend written only against the Store protocol (no mentorkit base class) passes the
contract: the suite is usable by third parties, not only by our own backends."""

import pytest

from mentorkit.storage import MemoryStore, SQLiteStore, Store
from mentorkit.testing import SharedStoreContract, StoreContract


class DelegatingStore:
    """What a third party writes: every Store method, by hand, over some other store."""

    def __init__(self, inner):
        self.inner = inner
        self.writes = 0

    def put(self, entity):
        self.writes += 1
        return self.inner.put(entity)

    def put_many(self, entities):
        self.writes += 1
        return self.inner.put_many(entities)

    def get(self, cls, id):
        return self.inner.get(cls, id)

    def find(self, cls, **filters):
        return self.inner.find(cls, **filters)

    def all(self, cls):
        return self.inner.all(cls)

    def delete(self, target):
        self.inner.delete(target)

    def transaction(self):
        return self.inner.transaction()

    def close(self):
        self.inner.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


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
