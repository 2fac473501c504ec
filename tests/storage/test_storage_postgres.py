"""PostgresStore against a real server (MENTORKIT_TEST_POSTGRES_DSN), plus what needs none."""

import sys
import threading

import attrs
import pytest

from mentorkit import ConflictError, Person, StorageError
from mentorkit.storage import open_store


def test_an_unreachable_server_is_a_storage_error_without_the_password():
    from mentorkit.storage import PostgresStore

    dsn = "postgresql://someone:s3cret@127.0.0.1:1/nothing"
    with pytest.raises(StorageError) as info:
        PostgresStore(dsn, timeout=1)
    assert "s3cret" not in str(info.value)
    assert "127.0.0.1:1" in str(info.value)


def test_without_psycopg_the_error_names_the_extra(monkeypatch):
    from mentorkit.storage import PostgresStore

    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg -> ImportError
    with pytest.raises(StorageError, match=r'pip install "mentorkit\[postgres\]"'):
        PostgresStore("postgresql://localhost/x")


def test_the_repr_hides_the_password_in_both_dsn_forms():
    from mentorkit.storage.postgres import _redact

    assert _redact("postgresql://u:pw@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert _redact("host=h user=u password=pw dbname=db") == "host=h user=u password=*** dbname=db"
    assert _redact("password='p w' host=h") == "password=*** host=h"


pytestmark_pg = pytest.mark.postgres


@pytest.fixture
def pg(postgres_schema_dsn):
    from mentorkit.storage import PostgresStore

    with PostgresStore(postgres_schema_dsn, max_size=4) as store:
        yield store


@pytestmark_pg
def test_open_store_opens_postgresql_urls(postgres_dsn):
    import uuid

    import psycopg

    from mentorkit.storage import PostgresStore

    # A schema of its own (named in the URL): the database's public schema is shared by every
    # test run against this server, and an index layout recorded there by another run (other
    # collections, other fields) would be merged into this process's registry.
    schema = f"mk_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        with open_store(f"{postgres_dsn}?options=-csearch_path%3D{schema}") as store:
            assert isinstance(store, PostgresStore)
            assert "mentorkit:***@" in repr(store) or ":***@" in repr(store)
    finally:
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytestmark_pg
def test_a_newer_schema_in_the_database_is_refused(pg, postgres_schema_dsn):
    import psycopg

    from mentorkit.storage import PostgresStore

    with psycopg.connect(postgres_schema_dsn, autocommit=True) as conn:
        conn.execute("UPDATE mentorkit_meta SET value = '42' WHERE key = 'schema'")
    with pytest.raises(StorageError, match=r"newer mentorkit \(store schema 42\)"):
        PostgresStore(postgres_schema_dsn)


@pytestmark_pg
def test_a_foreign_table_of_our_name_is_refused(postgres_schema_dsn):
    import psycopg

    from mentorkit.storage import PostgresStore

    with psycopg.connect(postgres_schema_dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE mentorkit_entities (x int)")
    with pytest.raises(StorageError, match="not a mentorkit store"):
        PostgresStore(postgres_schema_dsn)


@pytestmark_pg
def test_server_errors_become_storage_errors(pg, postgres_schema_dsn):
    import psycopg

    pg.put(Person(id="p-1", name="Ana"))
    with psycopg.connect(postgres_schema_dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE mentorkit_entities")
    with pytest.raises(StorageError, match="UndefinedTable"):
        pg.all(Person)


@pytestmark_pg
def test_unique_violations_translate_to_conflicts(pg, postgres_schema_dsn):
    import psycopg

    with psycopg.connect(postgres_schema_dsn, autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE t (id int PRIMARY KEY)")
        conn.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(psycopg.errors.UniqueViolation) as info:
            conn.execute("INSERT INTO t VALUES (1)")
    assert isinstance(pg._translate(info.value), ConflictError)


@pytestmark_pg
def test_the_schema_is_created_once_by_concurrent_openers(postgres_schema_dsn):
    from mentorkit.storage import PostgresStore

    errors = []

    def open_and_close():
        try:
            PostgresStore(postgres_schema_dsn, max_size=1).close()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_and_close) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@pytestmark_pg
def test_threads_sharing_a_store_lose_no_update(pg):
    """Each thread increments a counter with read-modify-write, retrying on conflict."""
    pg.put(Person(id="counter", name="0"))
    conflicts = []

    def bump(times):
        for _ in range(times):
            while True:
                current = pg.get(Person, "counter")
                try:
                    pg.put(attrs.evolve(current, name=str(int(current.name) + 1)))
                    break
                except ConflictError:
                    conflicts.append(1)

    threads = [threading.Thread(target=bump, args=(10,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = pg.get(Person, "counter")
    assert final.name == "40"
    assert final.version == 41


@pytestmark_pg
def test_an_export_is_one_snapshot_while_others_write(pg, postgres_schema_dsn):
    from mentorkit import Enrollment, Role
    from mentorkit.storage import PostgresStore, export_store

    pg.put(Enrollment(id="e-1", person_id="p-1", cohort_id="c", role=Role.MENTEE))
    pg.put(Person(id="p-1", name="Ana"))
    scan = pg._scan
    with PostgresStore(postgres_schema_dsn, max_size=1) as other:

        def scan_then_someone_writes(collection, tags, where):
            rows = scan(collection, tags, where)
            if collection == "enrollment":  # exported first; "person" comes after
                other.put(Person(id="p-late", name="Written during the export"))
            return rows

        pg._scan = scan_then_someone_writes
        text = export_store(pg)
        pg._scan = scan
    assert '"e-1"' in text
    assert '"p-1"' in text
    assert "p-late" not in text
    assert [p.id for p in pg.all(Person)] == ["p-1", "p-late"]


def test_a_process_without_an_index_keeps_the_keys_of_another(postgres_schema_dsn):
    from mentorkit.storage import PostgresStore, _codec

    saved, registered = dict(_codec._INDEXES), set(_codec._REGISTERED)
    builtin = _codec.INDEXES["person"]
    try:
        _codec.register_index("person", *builtin, "title", replace=True)
        with PostgresStore(postgres_schema_dsn) as store:
            store.put(Person(id="p-1", name="Ana", title="Principal"))
        # Another process: the built-in person index only.
        _codec._INDEXES["person"] = builtin
        _codec._REGISTERED.discard("person")
        _codec._INFO.clear()
        with PostgresStore(postgres_schema_dsn) as store:
            assert [p.id for p in store.find(Person, title="Principal")] == ["p-1"]
    finally:
        _codec._INDEXES.clear()
        _codec._INDEXES.update(saved)
        _codec._REGISTERED.clear()
        _codec._REGISTERED.update(registered)
        _codec._INFO.clear()
