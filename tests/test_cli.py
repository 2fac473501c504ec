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
