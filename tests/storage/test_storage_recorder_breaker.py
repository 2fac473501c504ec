"""Adversarial review of issue 16: the Recorder seam (``export_documents``, ``restore``) and
``export_store``/``import_store`` across every store kind, bad entries, a killed import."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit import Person
from mentorkit.errors import MentorkitError, StorageError, ValidationError
from mentorkit.serialization import registered_types
from mentorkit.storage import MemoryStore, export_store, import_store, open_store
from mentorkit.testing import strategies


def _postgres_url(dsn: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A ``postgresql://`` URL for a DSN whose schema rides along in PGOPTIONS."""
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(dsn)
    monkeypatch.setenv("PGOPTIONS", info.pop("options"))
    return "postgresql://{user}:{password}@{host}:{port}/{dbname}".format(**info)


@pytest.fixture(params=["memory", "json", "sqlite", "postgres"])
def url(request, tmp_path, monkeypatch):
    """A URL of an empty store of each kind (PostgreSQL when a server is configured)."""
    kind = request.param
    if kind == "memory":
        return "memory://"
    if kind == "json":
        return f"json:///{tmp_path}/s.json"
    if kind == "sqlite":
        return f"sqlite:///{tmp_path}/s.db"
    dsn = request.getfixturevalue("postgres_schema_dsn")
    return _postgres_url(dsn, monkeypatch)


_PEOPLE = st.lists(strategies.entities_of(Person), min_size=1, max_size=4, unique_by=lambda p: p.id)


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_PEOPLE, st.lists(strategies.entities(), max_size=6))
def test_export_then_import_into_any_store_kind_gives_the_same_export(url, people, others):
    source = MemoryStore()
    source.put_many([attrs.evolve(p, version=0) for p in people])
    for entity in others:  # ids may repeat across or within types: keep the first of each
        with contextlib.suppress(MentorkitError):
            source.put(attrs.evolve(entity, version=0))
    document = export_store(source, personal_data=True)
    with open_store(url) as target:
        for name, texts in target.export_documents().items():  # a store from an earlier example
            assert texts == [], name
        import_store(target, document)
        assert export_store(target, personal_data=True) == document
        target.restore([])  # nothing to restore is no error
        _empty(target)


def _empty(store) -> None:
    """Delete everything (the URL's store is reused by each hypothesis example)."""
    for name, texts in store.export_documents().items():
        for text in texts:
            doc = json.loads(text)
            store.delete((registered_types[doc["$type"]], doc["id"]))
        assert store.export_documents().get(name, []) == []


@pytest.mark.parametrize("bad", [{"id": "p-1"}, None], ids=["a-dict", "None"])
def test_restore_refuses_what_is_not_an_entity_with_a_mentorkit_error(url, bad):
    with open_store(url) as store:
        good = Person(id="p-0", name="Ana", version=1)
        with pytest.raises(ValidationError):
            store.restore([good, bad])
        assert store.all(Person) == []


def test_an_imported_document_with_an_unstorable_id_is_a_storage_error():
    source = MemoryStore()
    source.put(Person(id="p-1", name="Ana"))
    document = json.loads(export_store(source))
    document["collections"]["person"][0]["id"] = "p\x00"
    with MemoryStore() as target:
        with pytest.raises(StorageError, match=r"person/'p\\x00'.*\(id\)"):
            import_store(target, json.dumps(document))
        assert target.all(Person) == []


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_an_imported_entry_with_an_unstorable_key_is_a_storage_error_naming_it(kind, tmp_path):
    from mentorkit import Mentorship

    source = MemoryStore()
    source.put(Person(id="p-1", name="Ana Secret", email="ana@example.org"))
    source.put(Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2", start=dt.date(2025, 9, 1)))
    document = json.loads(export_store(source, personal_data=True))
    document["collections"]["mentorship"][0]["mentor_id"] = "p\x00"
    url = "memory://" if kind == "memory" else f"sqlite:///{tmp_path}/s.db"
    with open_store(url) as target:
        with pytest.raises(StorageError) as caught:
            import_store(target, json.dumps(document))
        message = str(caught.value)
        assert "mentorship/'m-1'" in message
        assert "mentor_id" in message
        assert "Secret" not in message
        assert "example.org" not in message
        assert target.all(Person) == []  # nothing imported


# -- a killed import leaves the store as it was ------------------------------------------

IMPORTER = textwrap.dedent(
    """
    import sys
    from mentorkit.storage import import_store, open_store

    with open(sys.argv[2], encoding="utf-8") as f:
        document = f.read()
    with open_store(sys.argv[1]) as store:
        print("importing", flush=True)
        import_store(store, document)
        print("done", flush=True)
    """
)


def _document(count: int) -> str:
    source = MemoryStore()
    source.put_many(
        [Person(id=f"p-{i:05d}", name=f"Person {i}", title="teacher") for i in range(count)]
    )
    return export_store(source, personal_data=True)


@pytest.mark.skipif(os.name != "posix", reason="uses POSIX signals")
@pytest.mark.parametrize("kind", ["json", "sqlite", "postgres"])
@pytest.mark.parametrize("fraction", [0.2, 0.7])
def test_an_import_killed_at_any_moment_leaves_nothing_or_everything(
    kind, fraction, tmp_path, monkeypatch, request
):
    if kind == "postgres":
        url = _postgres_url(request.getfixturevalue("postgres_schema_dsn"), monkeypatch)
    else:
        url = f"{kind}:///{tmp_path}/killed.{'db' if kind == 'sqlite' else 'json'}"
    with open_store(url) as store:
        store.put(Person(id="a-0", name="Already there"))
        before = export_store(store, personal_data=True)
    count = 3000
    path = tmp_path / "export.json"
    path.write_text(_document(count), encoding="utf-8")
    script = tmp_path / "importer.py"
    script.write_text(IMPORTER)
    # How long a whole import takes into a store of the same kind (SQLite for PostgreSQL,
    # whose schema is this test's), then one killed part way through it.
    other = "sqlite" if kind == "postgres" else kind
    seconds = _timed_import(script, f"{other}:///{tmp_path}/timing.{other}", path)
    child = _start(script, url, path)
    time.sleep(fraction * seconds)
    child.send_signal(signal.SIGKILL)
    child.wait(60)
    if child.stdout is not None:
        child.stdout.close()
    with open_store(url) as store:
        people = {p.id for p in store.all(Person)}
        assert people in ({"a-0"}, {"a-0", *(f"p-{i:05d}" for i in range(count))}), len(people)
        if people == {"a-0"}:
            assert export_store(store, personal_data=True) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def _start(script, url: str, path) -> subprocess.Popen[str]:
    """An importer child that has read the document and begun the import."""
    child = subprocess.Popen(
        [sys.executable, str(script), url, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "importing"
    return child


def _timed_import(script, url: str, path) -> float:
    """The seconds a whole import takes (from "importing" to "done")."""
    child = _start(script, url, path)
    assert child.stdout is not None
    start = time.monotonic()
    assert child.stdout.readline().strip() == "done"
    seconds = time.monotonic() - start
    assert child.wait(60) == 0
    child.stdout.close()
    return seconds


def test_an_import_of_a_document_that_is_not_a_store_document_never_touches_the_store(url):
    huge = (
        '{"$type": "mentorkit.store", "$schema": 1, "collections": {"person": ['
        + (",".join(['{"$type":"person","$schema":1,"id":"p","version":1,"name":"x"}'] * 2))
        + "]}}"
    )
    with open_store(url) as store:
        store.put(Person(id="a-0", name="Ana"))
        before = export_store(store, personal_data=True)
        for document in (huge, "[" * 200_000, '{"$type": "mentorkit.store", "$schema": 2}'):
            with pytest.raises(StorageError):
                import_store(store, document)
        with pytest.raises(ValidationError):
            store.restore([Person(id="p-1", name="Ana", version=0)])
        assert export_store(store, personal_data=True) == before
