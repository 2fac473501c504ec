"""Every backend passes mentorkit.testing.StoreContract."""

import pytest

from mentorkit.storage import JsonStore, MemoryStore, SQLiteStore
from mentorkit.testing import StoreContract


class TestMemoryStore(StoreContract):
    @pytest.fixture
    def store(self):
        with MemoryStore() as store:
            yield store


class TestJsonStore(StoreContract):
    machine_examples = 15

    @pytest.fixture
    def store(self, tmp_path):
        with JsonStore(tmp_path / "store.json") as store:
            yield store

    @pytest.fixture
    def reopen(self, tmp_path):
        return lambda: JsonStore(tmp_path / "store.json")


class TestSQLiteStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path):
        with SQLiteStore(tmp_path / "store.db") as store:
            yield store

    @pytest.fixture
    def reopen(self, tmp_path):
        return lambda: SQLiteStore(tmp_path / "store.db")


class TestSQLiteInMemory(StoreContract):
    machine_examples = 10

    @pytest.fixture
    def store(self):
        with SQLiteStore(":memory:") as store:
            yield store


@pytest.mark.postgres
class TestPostgresStore(StoreContract):
    machine_examples = 15

    @pytest.fixture
    def store(self, postgres_schema_dsn):
        from mentorkit.storage import PostgresStore

        with PostgresStore(postgres_schema_dsn, max_size=4) as store:
            yield store

    @pytest.fixture
    def reopen(self, postgres_schema_dsn):
        from mentorkit.storage import PostgresStore

        return lambda: PostgresStore(postgres_schema_dsn, max_size=2)
