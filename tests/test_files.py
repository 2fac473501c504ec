"""The one atomic file writer (``mentorkit._files``) under concurrent and failing writes."""

from __future__ import annotations

import os
import threading

import pytest

from mentorkit import _files


def test_two_threads_writing_one_file_both_succeed_and_the_file_is_one_of_them(
    tmp_path, monkeypatch
):
    # Thread A has written and synced its temporary file when thread B starts writing the
    # same path. Each write must stay whole and neither may fail because of the other (a
    # temporary file named by the pid alone was shared: B removed A's, then one of the two
    # renamed the other's file or found none).
    path = str(tmp_path / "report.csv")
    a_synced = threading.Event()
    b_synced = threading.Event()
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        real_fsync(fd)
        me = threading.current_thread().name
        if me == "A" and not a_synced.is_set():
            a_synced.set()
            b_synced.wait(10)
        elif me == "B" and not b_synced.is_set():
            b_synced.set()

    monkeypatch.setattr(os, "fsync", fsync)
    errors: list[BaseException] = []

    def write(text: str) -> None:
        try:
            _files.write_private(path, text)
        except BaseException as exc:  # reported by the test below
            errors.append(exc)

    a = threading.Thread(target=write, args=("A" * 100_000,), name="A")
    b = threading.Thread(target=write, args=("B" * 100_000,), name="B")
    a.start()
    assert a_synced.wait(10)
    b.start()
    a.join(10)
    b.join(10)
    assert errors == []
    with open(path) as f:
        assert f.read() in ("A" * 100_000, "B" * 100_000)
    assert [p for p in os.listdir(tmp_path) if p.endswith(".tmp")] == []


def test_a_write_that_fails_leaves_the_file_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "export.json"
    _files.write_private(str(path), "before")

    def fail(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="No space"):
        _files.write_private(str(path), "after")
    assert path.read_text() == "before"
    assert [p for p in os.listdir(tmp_path) if p.endswith(".tmp")] == []


def test_orphans_of_dead_writers_are_removed_in_either_naming(tmp_path):
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    path = tmp_path / "s.json"
    old = tmp_path / f".s.json.{child.pid}.tmp"
    new = tmp_path / f".s.json.{child.pid}-7.tmp"
    mine = tmp_path / f".s.json.{os.getpid()}-999999.tmp"  # a live writer's: kept
    for orphan in (old, new, mine):
        orphan.write_text("a full copy")
    assert _files.remove_orphans(str(path), running=False) == 2
    assert not old.exists()
    assert not new.exists()
    assert mine.exists()
