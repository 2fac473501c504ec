"""The examples run from a copy of examples/ anywhere: no path into the checkout."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "examples").rglob("*.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT / "examples")))
def test_an_example_reads_nothing_outside_its_folder(script):
    text = script.read_text(encoding="utf-8")
    assert not re.search(r"parents\[\d+\]|\.\./|['\"]tests['\"]|tests/data", text), script.name


def test_a_copy_of_the_examples_runs_its_data_reading_script(tmp_path):
    copy = tmp_path / "copied" / "examples"
    shutil.copytree(ROOT / "examples", copy)
    readers = [p for p in copy.glob("*.py") if '"data"' in p.read_text(encoding="utf-8")]
    assert readers, "an example that reads examples/data"
    work = tmp_path / "work"
    work.mkdir()
    for script in readers:
        result = subprocess.run(
            [sys.executable, str(script)],
            cwd=work,
            env={**os.environ, "MPLBACKEND": "Agg"},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
