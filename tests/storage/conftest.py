"""Fixtures of the storage tests: a real PostgreSQL server when one is configured."""

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

DSN_VAR = "MENTORKIT_TEST_POSTGRES_DSN"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def postgres_dsn():
    """The DSN of a reachable PostgreSQL server; in CI its absence is a failure, not a skip."""
    dsn = os.environ.get(DSN_VAR)
    if not dsn:
        why = f"no PostgreSQL server: set {DSN_VAR} (scripts/ci-postgres.sh starts one)"
        if _in_ci():
            pytest.fail(f"CI=true but {why}", pytrace=False)
        pytest.skip(why)
    import psycopg

    try:
        psycopg.connect(dsn, connect_timeout=10).close()
    except psycopg.Error as exc:
        why = f"the PostgreSQL server in {DSN_VAR} is unreachable: {exc}"
        if _in_ci():
            pytest.fail(why, pytrace=False)
        pytest.skip(why)
    return dsn


@pytest.fixture
def postgres_schema_dsn(postgres_dsn):
    """A DSN whose tables live in a fresh schema of their own, dropped afterwards."""
    yield from _schema(postgres_dsn)


@pytest.fixture(scope="module")
def postgres_module_dsn(postgres_dsn):
    """Like ``postgres_schema_dsn``, shared by a module's tests (which empty it themselves)."""
    yield from _schema(postgres_dsn)


@pytest.fixture
def fast_dir(tmp_path_factory):
    """A folder in memory (tmpfs) when there is one: contract tests check behaviour, and
    thousands of fsyncs on a busy disk only make them slow. Durability is tested on disk,
    with real processes, in test_storage_faults.py."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        path = Path(tempfile.mkdtemp(prefix="mentorkit-test-", dir=shm))
        yield path
        shutil.rmtree(path, ignore_errors=True)
    else:
        yield tmp_path_factory.mktemp("store")


def _schema(postgres_dsn):
    import psycopg
    from psycopg.conninfo import make_conninfo

    schema = f"mk_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield make_conninfo(postgres_dsn, options=f"-c search_path={schema}")
    finally:
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def clean_indexes():
    """Put the index registry back as it was after a test that registers indexes."""
    from mentorkit.storage import _codec

    saved = dict(_codec._INDEXES)
    registered = set(_codec._REGISTERED)
    yield
    _codec._INDEXES.clear()
    _codec._INDEXES.update(saved)
    _codec._REGISTERED.clear()
    _codec._REGISTERED.update(registered)
    _codec._INFO.clear()
