"""Faults with real processes: concurrent writers, SIGKILL mid-stream."""

import os
import signal
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
    import sys, attrs
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


def _kill_mid_stream(url, tmp_path, after, delay):
    writer = _python(WRITER, tmp_path, url)
    acknowledged = -1
    try:
        for line in writer.stdout:
            acknowledged = int(line)
            if acknowledged >= after:
                break
        time.sleep(delay)  # vary where in the next transaction the kill lands
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=60)
    assert writer.returncode == -signal.SIGKILL
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


@pytest.mark.parametrize("round_", range(4))
def test_sigkill_during_sqlite_writes_leaves_a_prefix_of_transactions(tmp_path, round_):
    url = f"sqlite:///{tmp_path}/killed.db"
    _kill_mid_stream(url, tmp_path, after=20 + 17 * round_, delay=0.003 * round_)


@pytest.mark.parametrize("round_", range(4))
def test_sigkill_during_json_writes_leaves_a_prefix_of_transactions(tmp_path, round_):
    url = f"json:///{tmp_path}/killed.json"
    _kill_mid_stream(url, tmp_path, after=5 + 3 * round_, delay=0.004 * round_)
