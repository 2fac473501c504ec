"""A smoke run of the matching benchmark at a tenth of its sizes (the figures are not tested)."""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_matching.py"


def test_the_benchmark_runs_and_both_solvers_agree(tmp_path):
    result = subprocess.run(
        [sys.executable, str(BENCH), "--small", "--skip-full-graph"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "same answer: True" in result.stdout
    assert "equal: True" in result.stdout
    assert "speed ratio" in result.stdout
