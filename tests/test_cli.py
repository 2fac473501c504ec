import subprocess
import sys

import pytest

from mentorkit.cli import main


def test_demo_prints_a_summary_of_the_synthetic_district(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--seed", "3", "--staff", "120", "--years", "2"]) == 0
    out = capsys.readouterr().out
    assert "Synthetic district (seed 3)" in out
    assert "people" in out
    assert "120" in out


def test_help_explains_every_command(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    assert "demo" in capsys.readouterr().out


def test_an_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["conjure"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_python_dash_m_runs_the_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mentorkit", "demo", "--staff", "50", "--years", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Synthetic district" in result.stdout


def test_an_interrupted_demo_overwrite_keeps_the_previous_district(tmp_path, monkeypatch, capsys):
    import mentorkit as mk
    from mentorkit.storage import open_store
    from mentorkit.storage.sqlite import SQLiteStore

    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--staff", "50", "--years", "1"]) == 0
    with open_store("sqlite:///mentorkit.db") as store:
        before = store.all(mk.Person)

    def interrupted(self, entities):
        raise KeyboardInterrupt  # Ctrl-C, a full disk, a killed process

    monkeypatch.setattr(SQLiteStore, "put_many", interrupted)
    # Ctrl-C is one line and the shell's interrupt code (128 + SIGINT), not a traceback.
    assert main(["demo", "--staff", "60", "--years", "1", "--overwrite"]) == 130
    assert capsys.readouterr().err == "mentorkit demo: interrupted\n"
    monkeypatch.undo()
    with open_store(f"sqlite:///{tmp_path}/mentorkit.db") as store:
        assert store.all(mk.Person) == before
