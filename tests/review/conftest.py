"""What the review tests share: a fresh PostgreSQL schema per test (skipped without a server)."""

from __future__ import annotations

import os
import uuid

import pytest

DSN = os.environ.get("MENTORKIT_TEST_POSTGRES_DSN", "")


@pytest.fixture
def postgres_schema():
    """A new schema on the test server, dropped afterwards: ``(dsn, schema name)``."""
    if not DSN:
        pytest.skip("needs MENTORKIT_TEST_POSTGRES_DSN")
    psycopg = pytest.importorskip("psycopg")
    schema = f"mk_review_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(DSN, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
    except psycopg.OperationalError as exc:
        pytest.skip(f"the PostgreSQL server is unreachable: {exc}")
    try:
        yield DSN, schema
    finally:
        with psycopg.connect(DSN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def schema_dsn(postgres_schema):
    """The schema as a libpq connection string (``PostgresStore(schema_dsn)``)."""
    from psycopg.conninfo import make_conninfo

    dsn, schema = postgres_schema
    return make_conninfo(dsn, options=f"-c search_path={schema}")


@pytest.fixture
def schema_url(postgres_schema):
    """The schema as a store URL (``mk.open_store(schema_url)``)."""
    dsn, schema = postgres_schema
    sep = "&" if "?" in dsn else "?"
    return f"{dsn}{sep}options=-csearch_path%3D{schema}"
