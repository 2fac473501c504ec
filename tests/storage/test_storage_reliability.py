"""Regression tests of issue 12's findings: one test (or a few) per numbered finding.

Faults with real processes (kills, concurrent writers) live in
tests/storage/test_storage_faults.py; hostile values thrown at every boundary in
tests/test_hostile_inputs.py.
"""

import datetime as dt
import os
import re
import stat
import threading
import time
from collections import Counter

import attrs
import pytest

from mentorkit import (
    ActionItem,
    ConflictError,
    Goal,
    MentorkitError,
    Person,
    Session,
    StorageError,
    ValidationError,
)
from mentorkit.cli import main
from mentorkit.graph import MentorshipGraph
from mentorkit.matching import MatchingProblem, match
from mentorkit.serialization import from_dict, from_json, to_dict
from mentorkit.storage import JsonStore, SQLiteStore, export_store, open_store

UTC = dt.UTC


def _within(seconds, fn):
    """Run ``fn`` in a thread; what it raised, or a failure if it still waits after ``seconds``
    (the thread is left behind, to end once the lock it waits on is released)."""
    raised = []

    def run():
        try:
            fn()
        except BaseException as exc:
            raised.append(exc)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    if t.is_alive():
        pytest.fail(f"still waiting after {seconds} s")
    return raised[0] if raised else None


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


# -- 1: no lost update when file metadata repeats ----------------------------------------------


def test_a_json_store_sees_a_change_its_files_size_inode_and_mtime_hide(tmp_path):
    path = tmp_path / "s.json"
    a, b = JsonStore(path), JsonStore(path)
    ana = a.put(Person(id="p-1", name="Ana"))
    assert b.get(Person, "p-1") == ana  # b is now current
    a.put(attrs.evolve(ana, name="Bea"))  # same size as "Ana"
    # What a filesystem with one-second timestamps shows when the rewrite reused the inode:
    # the same (inode, mtime, size) as the file b last read.
    st = os.stat(path)
    b._stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
    with pytest.raises(ConflictError):
        b.put(attrs.evolve(ana, name="Cy"))  # from the version b read: stale
    assert JsonStore(path).get(Person, "p-1").name == "Bea"


def test_a_counter_restarted_by_a_replaced_file_does_not_repeat_an_old_one(tmp_path):
    path = tmp_path / "s.json"
    a, b = JsonStore(path), JsonStore(path)
    ana = a.put(Person(id="p-1", name="Ana"))
    assert b.get(Person, "p-1") == ana  # b is current: it holds the file's counter
    # Another tool puts an export (no counter) in the file's place, say a backup restored;
    # a then commits as often as it had before. On a filesystem with one-second timestamps
    # that reuses inodes, size, inode and mtime can all repeat what b last saw.
    path.write_text(export_store(a, personal_data=True))
    restored = a.get(Person, "p-1")
    for name in ("Bea", "Cyd"):
        restored = a.put(attrs.evolve(restored, name=name))
    st = os.stat(path)
    b._stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
    with pytest.raises(ConflictError):
        b.put(attrs.evolve(ana, name="Dee"))  # from the version b read: stale
    assert JsonStore(path).get(Person, "p-1").name == "Cyd"


def test_the_change_counter_moves_on_every_commit(tmp_path):
    path = tmp_path / "s.json"
    store = JsonStore(path)
    heads = []
    for i in range(3):
        store.put(Person(id=f"p-{i}", name="x"))
        heads.append(path.read_text().splitlines()[0])
    assert len(set(heads)) == 3
    assert all('"$generation":' in h for h in heads)
    assert '"$generation"' not in export_store(store).splitlines()[0]


# -- 2: files holding personal data are owner-only and keep their mode -------------------------


def test_new_store_and_export_files_are_owner_only(tmp_path, umask_022):
    js = JsonStore(tmp_path / "s.json")
    js.put(Person(id="p-1", name="Ana", email="ana@example.org"))
    with SQLiteStore(tmp_path / "s.db") as db:
        db.put(Person(id="p-1", name="Ana"))
        assert _mode(tmp_path / "s.db-wal") == 0o600
    assert _mode(tmp_path / "s.json") == 0o600
    assert _mode(tmp_path / "s.db") == 0o600
    out = tmp_path / "export.json"
    assert main(["export", "--store", f"json:///{tmp_path}/s.json", "-o", str(out)]) == 0
    assert _mode(out) == 0o600


def test_a_rewritten_file_keeps_its_mode(tmp_path, umask_022):
    path = tmp_path / "s.json"
    store = JsonStore(path)
    store.put(Person(id="p-1", name="Ana"))
    assert _mode(path) == 0o600
    os.chmod(path, 0o640)  # opened up on purpose: stays so
    store.put(Person(id="p-2", name="Ben"))
    assert _mode(path) == 0o640


def test_temp_files_are_owner_only_and_orphans_are_removed_on_open(
    tmp_path, umask_022, monkeypatch
):
    path = tmp_path / "s.json"
    store = JsonStore(path)
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append(_mode(src))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    store.put(Person(id="p-1", name="Ana", email="ana@example.org"))
    monkeypatch.undo()
    assert seen == [0o600]
    orphan = tmp_path / ".s.json.4242.tmp"  # what a writer killed mid-write leaves
    orphan.write_text("a full copy, e-mails included")
    other = tmp_path / ".other.json.4242.tmp"
    other.write_text("not this store's")
    JsonStore(path)
    assert not orphan.exists()
    assert other.exists()


def test_graph_exports_are_owner_only(tmp_path, umask_022):
    g = MentorshipGraph.from_mentorships([])
    g.write_graphml(tmp_path / "g.graphml")
    g.write_gexf(tmp_path / "g.gexf")
    assert _mode(tmp_path / "g.graphml") == _mode(tmp_path / "g.gexf") == 0o600


def _dead_pid():
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize("write", ["write_graphml", "write_gexf", "cli graph --out"])
def test_an_export_a_killed_writer_left_behind_is_removed_by_the_next_export(write, tmp_path):
    name = "g.gexf" if write == "write_gexf" else "g.graphml"  # writers refuse another ending
    out = tmp_path / name
    orphan = tmp_path / f".{name}.{_dead_pid()}.tmp"  # a full copy, names included
    orphan.write_text("<graphml>Ana Garcia</graphml>")
    if write == "cli graph --out":
        url = f"sqlite:///{tmp_path}/d.db"
        assert main(["demo", "--staff", "60", "--years", "2", "--store", url]) == 0
        assert main(["graph", "--store", url, "--out", str(out)]) == 0
    else:
        getattr(MentorshipGraph.from_mentorships([]), write)(out)
    assert out.exists()
    assert not orphan.exists()


# -- 3: pseudonymised graphs drop what re-identifies ------------------------------------------


def test_a_pseudonymised_graph_keeps_no_title_or_org_unit():
    from mentorkit.synthetic import district

    d = district(seed=3, staff=400)
    g = MentorshipGraph.from_mentorships(d.mentorships, people=d.people)
    before = Counter((p.title, p.org_unit_id) for p in g.people.values())
    assert any(n == 1 for n in before.values())  # the finding: unique pairs exist
    p = g.pseudonymise(key="a long and secret key")
    assert {(q.title, q.org_unit_id) for q in p.people.values()} == {("", None)}


def test_a_pseudonymised_graph_keeps_no_reporting_line():
    # The one person without a supervisor is the superintendent, and a count of direct
    # reports singles out others: 8 of 400 people were unique by depth and reports.
    from mentorkit.synthetic import district

    d = district(seed=3, staff=400)
    g = MentorshipGraph.from_mentorships(d.mentorships, people=d.people)
    assert sum(p.supervisor_id is None for p in g.people.values()) < len(g.people)
    p = g.pseudonymise(key="a long and secret key")
    assert {q.supervisor_id for q in p.people.values()} == {None}


def test_a_pseudonymised_graph_keeps_no_name_in_its_mentorships(tmp_path):
    from mentorkit.model import LifecycleChange, Mentorship, MentorshipStatus

    at = dt.datetime(2025, 1, 6, tzinfo=UTC)
    m = Mentorship(
        id="m-ana-garcia-kim-lee", mentor_id="kim-lee", mentee_id="ana-garcia",
        start=dt.date(2024, 9, 1), status=MentorshipStatus.ENDED_EARLY,
        end_reason="Ana Garcia moved to Lincoln", history=(
            LifecycleChange(source=MentorshipStatus.ACTIVE, target=MentorshipStatus.ENDED_EARLY,
                            at=at, by="bo-chen", reason="Ana Garcia moved to Lincoln"),
        ),
    )  # fmt: skip
    p = MentorshipGraph.from_mentorships([m]).pseudonymise(key="a long and secret key")
    text = repr(p.mentorships) + repr([attrs.asdict(x) for x in p.mentorships])
    p.write_graphml(tmp_path / "g.graphml")
    text += (tmp_path / "g.graphml").read_text()
    for name in ("ana", "garcia", "kim", "lee", "bo-chen", "lincoln"):
        assert name not in text.lower()
    assert p.mentorships[0].status is MentorshipStatus.ENDED_EARLY


# -- 4: secrets in store URLs are never echoed -------------------------------------------------


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        ("postgresql://app:s3cr@t@127.0.0.1:1/db", "s3cr@t"),
        ("postgresql://app:pa:ss/w@127.0.0.1:1/db", "pa:ss/w"),
        ("postgresql://app@127.0.0.1:1/db?password=hunter22&sslmode=disable", "hunter22"),
        ("postgresql://app:p%40ss@127.0.0.1:1/db", "p@ss"),
    ],
)
def test_open_store_never_echoes_a_password(url, secret, capsys):
    pytest.importorskip("psycopg")
    with pytest.raises(StorageError) as info:
        open_store(url, timeout=2)
    # Not even a tail of it: everything from the user name's ":" to the host is hidden.
    tail = secret[-2:] + "@127"
    assert secret not in str(info.value)
    assert tail not in str(info.value)
    assert main(["export", "--store", url]) == 1
    err = capsys.readouterr().err
    assert "error" in err
    assert secret not in err
    assert tail not in err


def test_a_key_value_dsn_is_redacted_whole():
    pytest.importorskip("psycopg")
    from mentorkit.storage import PostgresStore

    dsn = "host=127.0.0.1 port=1 user=app password='se cret!' dbname=x"
    with pytest.raises(ValidationError) as info:  # not a URL: refused, never echoed
        open_store(dsn)
    assert "se cret" not in str(info.value)
    with pytest.raises(StorageError) as info:
        PostgresStore(dsn, timeout=2)
    assert "se cret" not in str(info.value)
    assert "cret!" not in str(info.value)
    with pytest.raises(ValidationError) as info:
        open_store("postgresql://app:topsecret@db/x", colour="red")
    assert "topsecret" not in str(info.value)


def test_one_redaction_serves_urls_dsns_and_driver_messages():
    from mentorkit.storage._url import redact, scrub

    assert redact("postgresql://a:b@c@h/d") == "postgresql://a:***@h/d"
    assert redact("password=x y=z") == "password=*** y=z"
    msg = 'missing "=" after "s3cret" in connection info string'
    assert "s3cret" not in scrub(msg, "host=h password=s3cret")


@pytest.mark.parametrize(
    ("dsn", "secret"),
    [
        # libpq's rules: a backslash escapes white space in an unquoted value, "&" is part of
        # it, and a quoted value may run on to the end when its quote is never closed.
        (r"host=127.0.0.1 port=1 password=se\ cretTail dbname=x", "cretTail"),
        ("host=127.0.0.1 port=1 password=se&cretTail dbname=x", "cretTail"),
        ("host=127.0.0.1 port=1 password='se cretTail", "cretTail"),
        ("postgresql://app@127.0.0.1:1/db?password=se cretTail&sslmode=disable", "cretTail"),
    ],
)
def test_a_password_is_hidden_whole_as_libpq_reads_it(dsn, secret):
    pytest.importorskip("psycopg")
    from mentorkit.storage import PostgresStore
    from mentorkit.storage._url import redact

    assert secret not in redact(dsn)
    with pytest.raises(MentorkitError) as info:
        PostgresStore(dsn, timeout=2)
    assert secret not in str(info.value)


# -- 5: no hang ------------------------------------------------------------------------------


def test_a_second_json_handle_waits_at_most_the_timeout(tmp_path):
    a = JsonStore(tmp_path / "s.json", timeout=0.2)
    b = JsonStore(tmp_path / "s.json", timeout=0.2)
    with a.transaction():
        a.put(Person(id="p-1", name="Ana"))
        err = _within(5, lambda: b.put(Person(id="p-2", name="Ben")))
        assert isinstance(err, StorageError)
        assert "timeout" in str(err)
    b.put(Person(id="p-2", name="Ben"))  # free again
    assert {p.id for p in a.all(Person)} == {"p-1", "p-2"}


def test_another_thread_waits_at_most_the_timeout(tmp_path):
    store = SQLiteStore(tmp_path / "s.db", timeout=0.2)
    errors = []

    def other():
        try:
            store.put(Person(id="p-2", name="Ben"))
        except MentorkitError as exc:
            errors.append(exc)

    with store.transaction():
        t = threading.Thread(target=other)
        t.start()
        t.join(10)
    assert not t.is_alive()
    assert isinstance(errors[0], StorageError)


@pytest.mark.parametrize("cls", [JsonStore, SQLiteStore])
def test_a_fifo_is_refused_not_waited_on(tmp_path, cls):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    raised = []

    def open_it():
        try:
            cls(fifo)
        except BaseException as exc:
            raised.append(exc)

    t = threading.Thread(target=open_it, daemon=True)
    t.start()
    t.join(10)
    if t.is_alive():  # blocked opening the FIFO: release it before failing
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        t.join(10)
        pytest.fail(f"{cls.__name__} waited on a FIFO")
    assert isinstance(raised[0], StorageError)
    assert "not a regular file" in str(raised[0])


@pytest.mark.postgres
def test_a_postgres_row_lock_wait_ends_after_the_timeout(postgres_schema_dsn):
    from mentorkit.storage import PostgresStore

    with (
        PostgresStore(postgres_schema_dsn, timeout=1) as a,
        PostgresStore(postgres_schema_dsn, timeout=1) as b,
    ):
        ana = a.put(Person(id="p-1", name="Ana"))
        with a.transaction():
            a.put(attrs.evolve(ana, name="Ann"))  # holds the row lock
            err = _within(10, lambda: b.put(attrs.evolve(ana, name="Bo")))
            assert isinstance(err, StorageError)
            assert "timeout" in str(err)


# -- 6 and 7: raw exceptions and silent acceptance ---------------------------------------------

_START = dt.datetime(2024, 9, 1, tzinfo=UTC)
_HOSTILE = {
    "goal baseline beyond floats": lambda: Goal(
        id="g", person_id="p", statement="s", baseline=10**400
    ),
    "session minutes of 5000 digits": lambda: Session(
        id="s", mentorship_id="m", start=_START, minutes=10**5000
    ),
    "session ending after 9999": lambda: Session(
        id="s", mentorship_id="m", start=dt.datetime(9999, 12, 31, 23, tzinfo=UTC), minutes=120
    ),
    "a 5000-digit number in a document": lambda: from_json(
        '{"$type": "goal", "$schema": 1, "id": "g", "person_id": "p", "statement": "s", '
        '"baseline": ' + "9" * 5000 + "}"
    ),
    "deeply nested JSON": lambda: from_json("[" * 100_000 + "]" * 100_000),
    "open_store with %00": lambda: open_store("json:///a%00b.json"),
    "open_store with a lone surrogate": lambda: open_store("json:///a\ud800.json"),
    "timeout='x'": lambda: open_store("sqlite:///:memory:", timeout="x"),
    "postgres max_size=0": lambda: open_store("postgresql://u@127.0.0.1:1/db", max_size=0),
    "match(None)": lambda: match(None),
    "optimal, scores near 1e-300": lambda: match(
        MatchingProblem.from_matrix(
            ["a", "b"], ["x", "y"], [[1e-300, 2e-300], [3e-300, 1e-300]], 1
        ),
        strategy="optimal",
    ),
    "capacity 10**20": lambda: MatchingProblem.from_matrix(["a"], ["x"], [[1.0]], 10**20),
    "import_package of a folder": lambda: _import_package(os.path.dirname(__file__)),
    "import_package with an int id": lambda: _import_package({"CFDocument": {}}, id=5),
    "pseudonymise with a surrogate key": lambda: MentorshipGraph.from_mentorships([]).pseudonymise(
        key="\ud800" * 20
    ),
    "ActionItem(done='yes')": lambda: ActionItem(id="a", owner_id="p", text="t", done="yes"),
    '"$schema": true': lambda: from_json(
        '{"$type": "person", "$schema": true, "id": "p", "name": "n"}'
    ),
    "a matrix row given as a dict": lambda: MatchingProblem.from_matrix(
        ["a"], ["x"], [{0: 1.0}], 1
    ),
    "a capacity given as a set": lambda: MatchingProblem.from_matrix(
        ["a", "b"], ["x", "y"], [[1.0, 1.0], [1.0, 1.0]], {1, 2}
    ),
}


def _import_package(package, **kw):
    from pathlib import Path

    from mentorkit.frameworks.case import import_package

    return import_package(Path(package) if isinstance(package, str) else package, **kw)


@pytest.mark.parametrize("case", sorted(_HOSTILE))
def test_a_hostile_value_is_a_mentorkit_error(case):
    if case == "optimal, scores near 1e-300":
        pytest.importorskip("ortools")
        result = _HOSTILE[case]()  # solvable: tiny scores are still scores
        assert {(p.mentee_id, p.mentor_id) for p in result.pairs} == {("a", "y"), ("b", "x")}
        return
    with pytest.raises(MentorkitError):
        _HOSTILE[case]()


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--staff", "5", "--store", "sqlite:///x.db"],
        ["demo", "--years", "0", "--store", "sqlite:///x.db"],
        ["match", "--capacity", "100000000000000000000", "--scores", "x.csv"],
    ],
)
def test_the_cli_reports_bad_numbers_in_one_line(argv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.csv").write_text("mentee,kim\nana,1\n")
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_graph_within_ten_thousand_years_counts_to_the_end_of_the_calendar(tmp_path, capsys):
    url = f"sqlite:///{tmp_path}/d.db"
    assert main(["demo", "--staff", "60", "--years", "2", "--store", url]) == 0
    assert main(["graph", "--within-years", "10000", "--store", url]) == 0
    assert "by the end of school year +10000" in capsys.readouterr().out


# -- 8: PostgreSQL versions are 64-bit --------------------------------------------------------


@pytest.mark.postgres
def test_a_high_version_moves_from_sqlite_to_postgres(postgres_schema_dsn, tmp_path):
    from mentorkit.storage import PostgresStore, import_store

    high = 2**63 - 2
    with SQLiteStore(tmp_path / "s.db") as db:
        import_store(db, _export_with_version(high))
        text = export_store(db, personal_data=True)
    with PostgresStore(postgres_schema_dsn) as pg:
        import_store(pg, text)
        ana = pg.get(Person, "p-1")
        assert ana.version == high
        assert pg.put(attrs.evolve(ana, name="Ann")).version == high + 1


def _export_with_version(version):
    doc = to_dict(Person(id="p-1", name="Ana"))
    doc["version"] = version
    import json

    return json.dumps({"$type": "mentorkit.store", "$schema": 1, "collections": {"person": [doc]}})


# -- 9: a failed import leaves nothing behind --------------------------------------------------


@pytest.mark.parametrize("scheme", ["sqlite", "json"])
def test_a_failed_cli_import_creates_no_store(scheme, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"$type": "mentorkit.store", "$schema": 1, "collections": '
        '{"person": [{"$type": "person", "$schema": 1, "id": "p", "version": 1}]}}'
    )
    target = tmp_path / f"new.{scheme}"
    assert main(["import", str(bad), "--store", f"{scheme}:///{target}"]) == 1
    assert sorted(os.listdir(tmp_path)) == ["bad.json"]


def test_a_cli_import_that_conflicts_keeps_the_existing_store(tmp_path, capsys):
    url = f"json:///{tmp_path}/s.json"
    with open_store(url) as store:
        store.put(Person(id="p-1", name="Ana"))
        text = export_store(store, personal_data=True)
    (tmp_path / "doc.json").write_text(text)
    assert main(["import", str(tmp_path / "doc.json"), "--store", url]) == 1
    assert open_store(url).get(Person, "p-1").name == "Ana"


# -- 10: PostgreSQL connection failures say why, at once --------------------------------------


@pytest.mark.postgres
def test_a_wrong_password_is_reported_at_once_with_the_reason(postgres_dsn, capfd):
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    from mentorkit.storage import PostgresStore

    info = conninfo_to_dict(postgres_dsn)
    info["password"] = "definitely-wrong-pw"
    started = time.monotonic()
    with pytest.raises(StorageError, match="password authentication failed") as err:
        PostgresStore(make_conninfo(**info), timeout=20)
    assert time.monotonic() - started < 10
    assert "definitely-wrong-pw" not in str(err.value)
    _, errout = capfd.readouterr()
    assert "pool" not in errout.lower()


def test_a_refused_port_is_reported_with_the_reason():
    pytest.importorskip("psycopg")
    from mentorkit.storage import PostgresStore

    with pytest.raises(StorageError, match=r"(?i)refused|connect") as err:
        PostgresStore("postgresql://app:pw@127.0.0.1:1/db", timeout=5)
    assert "within" not in str(err.value)  # the reason, not just "timed out"


@pytest.mark.parametrize(
    ("password", "port"),
    [("e", 1), ("1", 1), ("5432", 5432), ("app", 1), ("Sek@r1t:x/y", 1)],
)
def test_a_driver_message_never_shows_where_the_password_stands(password, port):
    # Masking each occurrence of a short password, or one equal to the user name or port,
    # showed where its letters stood ("conn***ct"); an unencoded "@" let the driver quote
    # a piece of it as a host name ("failed to resolve host 'r1t'").
    pytest.importorskip("psycopg")
    from mentorkit.storage import PostgresStore

    url = f"postgresql://app:{password}@127.0.0.1:{port}/db"
    with pytest.raises(StorageError) as err:
        PostgresStore(url, timeout=5)
    message = str(err.value)
    assert message.startswith("cannot connect to postgresql://app:***@")
    tail = message.split("@", 1)[1]
    pieces = [password, *(p for p in re.split(r"[@:/?#]", password) if len(p) >= 3)]
    assert "***" not in tail
    assert not any(piece in tail.split(": ", 1)[1] for piece in pieces if len(piece) >= 3)
    assert "conn***ct" not in message


def test_scrub_withholds_a_message_that_would_show_the_password():
    from mentorkit.storage._url import WITHHELD, scrub

    url = "postgresql://app:e@h/db"
    assert scrub("could not connect to server", url) == WITHHELD
    assert scrub("no path to host", url) == "no path to host"
    long = "postgresql://app:hunter22@h/db"
    assert scrub(f"bad {long} given", long) == "bad postgresql://app:***@h/db given"
    assert scrub("password=e rest", "host=h password=e") == WITHHELD  # 'e' in "rest"
    assert scrub("x password=hunter22 y", "host=h password=hunter22") == "x password=*** y"


# -- 11: an e-mail of the wrong type is not echoed ---------------------------------------------


def test_an_email_of_the_wrong_type_is_not_echoed():
    with pytest.raises(ValidationError) as info:
        Person(id="p", name="n", email=b"ana@x.org")
    assert "ana@x.org" not in str(info.value)
    assert info.value.field == "email"
    doc = to_dict(Person(id="p", name="n"))
    doc["email"] = ["ana@x.org"]
    with pytest.raises(ValidationError) as info:
        from_dict(doc)
    assert "ana@x.org" not in str(info.value)
