"""Every backend passes mentorkit.testing.StoreContract."""

import pytest

from mentorkit.storage import JsonStore, MemoryStore, SQLiteStore
from mentorkit.testing import SharedStoreContract, StoreContract


class TestMemoryStore(StoreContract):
    @pytest.fixture
    def store(self):
        with MemoryStore() as store:
            yield store


class TestJsonStore(SharedStoreContract):
    machine_examples = 10

    @pytest.fixture
    def store(self, fast_dir):
        with JsonStore(fast_dir / "store.json") as store:
            yield store

    @pytest.fixture
    def reopen(self, fast_dir):
        return lambda: JsonStore(fast_dir / "store.json")


class TestSQLiteStore(SharedStoreContract):
    machine_examples = 10

    @pytest.fixture
    def store(self, fast_dir):
        with SQLiteStore(fast_dir / "store.db") as store:
            yield store

    @pytest.fixture
    def reopen(self, fast_dir):
        return lambda: SQLiteStore(fast_dir / "store.db")


class TestSQLiteInMemory(StoreContract):
    machine_examples = 10

    @pytest.fixture
    def store(self):
        with SQLiteStore(":memory:") as store:
            yield store


@pytest.mark.postgres
class TestPostgresStore(SharedStoreContract):
    machine_examples = 10

    @pytest.fixture
    def store(self, postgres_module_dsn):
        from mentorkit.storage import PostgresStore

        with PostgresStore(postgres_module_dsn, max_size=4) as store:
            store._empty()  # the schema is shared by the module's tests
            yield store

    @pytest.fixture
    def reopen(self, postgres_module_dsn):
        from mentorkit.storage import PostgresStore

        return lambda: PostgresStore(postgres_module_dsn, max_size=2)
