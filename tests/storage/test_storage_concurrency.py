"""Concurrency with real processes: 8 writers increment one counter, retrying on conflicts.

Every backend must count every increment (no lost update), the JSON store included on a
filesystem whose timestamps have one-second resolution (where size, inode and mtime of a
rewritten file repeat). That filesystem is a loop-mounted ext4 image with 128-byte inodes
when this process may mount one (root, with loop devices: CI's container), else a
documented simulation: the writers' ``os.stat``/``os.fstat`` report whole-second mtimes and
one inode number for every file, which is what such a filesystem shows at its worst.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from mentorkit import Person
from mentorkit.storage import open_store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="uses POSIX processes and flock")

WRITERS = 8
INCREMENTS = 25

# Increments the counter INCREMENTS times, retrying on a conflict or a lock wait, and prints
# how many retries it needed.
COUNTER = textwrap.dedent(
    """
    import os, sys, attrs
    if os.environ.get("COARSE_STAT_SIMULATION"):
        # One-second timestamps and reused inodes, as ext4 with 128-byte inodes shows them.
        _stat, _fstat = os.stat, os.fstat

        def _coarse(st):
            fields = list(st)
            fields[1] = 1  # st_ino
            fields[8] = int(st.st_mtime)  # st_mtime
            extra = {"st_mtime_ns": int(st.st_mtime) * 10**9}
            return os.stat_result(fields, extra)

        os.stat = lambda *a, **k: _coarse(_stat(*a, **k))
        os.fstat = lambda *a, **k: _coarse(_fstat(*a, **k))

    from mentorkit import ConflictError, Person, StorageError
    from mentorkit.storage import open_store

    retries = 0
    with open_store(sys.argv[1], timeout=60) as store:
        for _ in range(int(sys.argv[2])):
            while True:
                try:
                    c = store.get(Person, "counter")
                    store.put(attrs.evolve(c, name=str(int(c.name) + 1)))
                    break
                except (ConflictError, StorageError):
                    retries += 1
    print(retries, flush=True)
    """
)


def _count(url, tmp_path, env=None):
    """Run the writers; return (final count, retries)."""
    with open_store(url) as store:
        store.put(Person(id="counter", name="0"))
    script = tmp_path / "counter.py"
    script.write_text(COUNTER)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), url, str(INCREMENTS)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )
        for _ in range(WRITERS)
    ]
    retries = 0
    try:
        for p in procs:
            out, _ = p.communicate(timeout=300)
            assert p.returncode == 0
            retries += int(out)
    finally:
        for p in procs:
            p.kill()
    with open_store(url) as store:
        counter = store.get(Person, "counter")
    return int(counter.name), counter.version, retries


def _check(url, tmp_path, env=None):
    count, version, retries = _count(url, tmp_path, env)
    expected = WRITERS * INCREMENTS
    print(f"{url.split(':')[0]}: {count} of {expected} increments kept, {retries} retries")
    assert count == expected  # no lost update
    assert version == expected + 1


def test_eight_processes_lose_no_increment_on_sqlite(tmp_path):
    _check(f"sqlite:///{tmp_path}/c.db", tmp_path)


def test_eight_processes_lose_no_increment_on_json(tmp_path):
    _check(f"json:///{tmp_path}/c.json", tmp_path)


@pytest.mark.postgres
def test_eight_processes_lose_no_increment_on_postgres(postgres_schema_dsn, tmp_path, monkeypatch):
    from psycopg.conninfo import conninfo_to_dict

    # open_store wants a URL; the fresh schema rides along in PGOPTIONS (writers inherit it).
    info = conninfo_to_dict(postgres_schema_dsn)
    monkeypatch.setenv("PGOPTIONS", info.pop("options"))
    _check("postgresql://{user}:{password}@{host}:{port}/{dbname}".format(**info), tmp_path)


@contextlib.contextmanager
def _coarse_mount():
    """A loop-mounted ext4 with one-second timestamps, or ``None`` if none can be mounted."""
    if os.geteuid() != 0 or not shutil.which("mkfs.ext4") or not shutil.which("mount"):
        yield None
        return
    work = Path(tempfile.mkdtemp(prefix="mentorkit-coarse-"))
    image, mnt = work / "fs.img", work / "mnt"
    mnt.mkdir()
    mounted = False
    try:
        with open(image, "wb") as f:
            f.truncate(32 * 1024 * 1024)
        made = subprocess.run(["mkfs.ext4", "-q", "-F", "-I", "128", str(image)],
                              capture_output=True, check=False)  # fmt: skip
        if made.returncode == 0:
            mounted = subprocess.run(["mount", "-o", "loop", str(image), str(mnt)],
                                     capture_output=True, check=False).returncode == 0  # fmt: skip
        yield mnt if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", str(mnt)], capture_output=True, check=False)
        shutil.rmtree(work, ignore_errors=True)


def test_eight_processes_lose_no_increment_on_json_with_one_second_timestamps(tmp_path):
    with _coarse_mount() as mnt:
        if mnt is not None:
            probe = mnt / "probe"
            probe.write_text("x")
            assert os.stat(probe).st_mtime_ns % 10**9 == 0  # really one-second timestamps
            _check(f"json:///{mnt}/c.json", tmp_path)
        else:  # no mount here: the documented simulation (see the module's docstring)
            _check(f"json:///{tmp_path}/c.json", tmp_path, {"COARSE_STAT_SIMULATION": "1"})


def test_eight_processes_lose_no_increment_on_json_with_simulated_coarse_metadata(tmp_path):
    _check(f"json:///{tmp_path}/c.json", tmp_path, {"COARSE_STAT_SIMULATION": "1"})
