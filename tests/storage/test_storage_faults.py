"""Faults with real processes: concurrent writers, SIGKILL mid-stream."""

import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time

import pytest

from mentorkit import Enrollment, Person
from mentorkit.storage import open_store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="uses POSIX signals")

# Reads one person, says so, waits for "go", then updates it from the version it read.
RACER = textwrap.dedent(
    """
    import sys, attrs
    from mentorkit import ConflictError, Person
    from mentorkit.storage import open_store

    with open_store(sys.argv[1]) as store:
        ana = store.get(Person, "p-1")
        print("read", ana.version, flush=True)
        sys.stdin.readline()
        try:
            store.put(attrs.evolve(ana, title=sys.argv[2]))
            print("won", flush=True)
        except ConflictError:
            print("conflict", flush=True)
    """
)

# Commits transaction i (a person, an enrollment, and the counter at version i + 1) forever,
# printing i after each commit.
WRITER = textwrap.dedent(
    """
    import os, sys, time, attrs
    os.umask(0o022)  # the usual umask: files must be owner-only anyway
    if os.environ.get("PAUSE_BEFORE_RENAME"):
        # Stop between writing the temporary copy and renaming it, after the ballast.
        _replace, _calls = os.replace, []

        def _paused(src, dst):
            _calls.append(1)
            if len(_calls) > 3:
                print("renaming", flush=True)
                time.sleep(60)
            _replace(src, dst)

        os.replace = _paused
    from mentorkit import Enrollment, Person, Role
    from mentorkit.storage import open_store

    with open_store(sys.argv[1]) as store:
        counter = store.put(Person(id="counter", name="0"))
        # Ballast, so every commit has a lot to write and a kill often lands mid-write.
        store.put_many([Person(id=f"q{i:06d}", name="y" * 200) for i in range(2000)])
        print(-1, flush=True)
        i = 0
        while True:
            with store.transaction():
                store.put(Person(id=f"p{i:06d}", name="x" * 200))
                store.put(Enrollment(id=f"e{i:06d}", person_id=f"p{i:06d}",
                                     cohort_id="c", role=Role.MENTEE))
                counter = store.put(attrs.evolve(counter, name=str(i + 1)))
            print(i, flush=True)
            i += 1
    """
)


def _python(script, tmp_path, *args, **popen):
    path = tmp_path / "child.py"
    path.write_text(script)
    return subprocess.Popen(
        [sys.executable, str(path), *args],
        stdout=subprocess.PIPE,
        text=True,
        **popen,
    )


def _race(url, tmp_path):
    with open_store(url) as store:
        store.put(Person(id="p-1", name="Ana"))
    racers = [_python(RACER, tmp_path, url, f"racer {n}", stdin=subprocess.PIPE) for n in (1, 2)]
    try:
        for racer in racers:  # both read version 1 before either writes
            assert racer.stdout.readline().split() == ["read", "1"]
        for racer in racers:
            racer.stdin.write("go\n")
            racer.stdin.flush()
        results = [racer.communicate(timeout=60)[0].strip() for racer in racers]
    finally:
        for racer in racers:
            racer.kill()
    assert sorted(results) == ["conflict", "won"]
    winner = f"racer {results.index('won') + 1}"
    with open_store(url) as store:
        stored = store.get(Person, "p-1")
    assert (stored.title, stored.version) == (winner, 2)


def test_two_processes_updating_one_sqlite_entity_one_conflicts(tmp_path):
    _race(f"sqlite:///{tmp_path}/race.db", tmp_path)


@pytest.mark.postgres
def test_two_processes_updating_one_postgres_entity_one_conflicts(
    postgres_schema_dsn, tmp_path, monkeypatch
):
    from psycopg.conninfo import conninfo_to_dict

    # open_store wants a URL; the fresh schema rides along in PGOPTIONS.
    info = conninfo_to_dict(postgres_schema_dsn)
    monkeypatch.setenv("PGOPTIONS", info.pop("options"))
    url = "postgresql://{user}:{password}@{host}:{port}/{dbname}".format(**info)
    _race(url, tmp_path)


def _store_files(tmp_path):
    return sorted(p.name for p in tmp_path.iterdir() if "killed" in p.name)


def _orphans(tmp_path):
    return [name for name in _store_files(tmp_path) if name.endswith(".tmp")]


def _kill_mid_stream(url, tmp_path, after, delay, env=None):
    writer = _python(WRITER, tmp_path, url, env={**os.environ, **(env or {})})
    acknowledged = -1
    try:
        for line in writer.stdout:
            if line.strip() == "renaming":
                break
            acknowledged = int(line)
            if acknowledged >= after:
                break
        time.sleep(delay)  # vary where in the next transaction the kill lands
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=60)
    assert writer.returncode == -signal.SIGKILL
    left = {name: stat.S_IMODE(os.stat(tmp_path / name).st_mode) for name in _orphans(tmp_path)}
    with open_store(url) as store:
        people = [p.id for p in store.all(Person) if p.id.startswith("p")]
        enrolled = [e.id for e in store.all(Enrollment)]
        counter = store.get(Person, "counter")
    committed = len(people)
    # Exactly a prefix of the transactions: all of 0..n-1, nothing else, nothing half-done.
    assert people == [f"p{i:06d}" for i in range(committed)]
    assert enrolled == [f"e{i:06d}" for i in range(committed)]
    assert counter.name == str(committed)
    assert counter.version == committed + 1
    assert committed >= acknowledged + 1  # nothing acknowledged is lost
    # A temporary copy a kill left behind is gone once the store was opened again, and
    # every file holding the data is owner-only.
    assert _orphans(tmp_path) == []
    print(f"{url.split(':')[0]}: killed with {acknowledged + 1} acknowledged, {committed} "
          f"committed, {len(left)} temporary file(s) left and removed on reopen")  # fmt: skip
    for name in _store_files(tmp_path):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600, name
    return left


def _moment(round_, first, spread):
    """A random moment to kill at: after which acknowledged transaction, then how long."""
    rng = random.Random(round_)
    return {"after": first + rng.randrange(spread), "delay": rng.uniform(0, 0.02)}


KILLS = 10


@pytest.mark.parametrize("round_", range(KILLS))
def test_sigkill_during_sqlite_writes_leaves_a_prefix_of_transactions(tmp_path, round_):
    url = f"sqlite:///{tmp_path}/killed.db"
    _kill_mid_stream(url, tmp_path, **_moment(round_, 20, 60))


@pytest.mark.parametrize("round_", range(KILLS))
def test_sigkill_during_json_writes_leaves_a_prefix_of_transactions(tmp_path, round_):
    url = f"json:///{tmp_path}/killed.json"
    _kill_mid_stream(url, tmp_path, **_moment(round_, 3, 12))


@pytest.mark.postgres
@pytest.mark.parametrize("round_", range(KILLS))
def test_sigkill_during_postgres_writes_leaves_a_prefix_of_transactions(
    postgres_schema_dsn, tmp_path, monkeypatch, round_
):
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(postgres_schema_dsn)
    monkeypatch.setenv("PGOPTIONS", info.pop("options"))
    url = "postgresql://{user}:{password}@{host}:{port}/{dbname}".format(**info)
    _kill_mid_stream(url, tmp_path, **_moment(round_, 20, 60))


def test_a_json_writer_killed_before_its_rename_leaves_an_orphan_the_next_open_removes(
    tmp_path,
):
    url = f"json:///{tmp_path}/killed.json"
    left = _kill_mid_stream(url, tmp_path, after=10**9, delay=0, env={"PAUSE_BEFORE_RENAME": "1"})
    assert list(left.values()) == [0o600]  # the full copy was there, owner-only
