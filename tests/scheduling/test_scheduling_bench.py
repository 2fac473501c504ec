"""The scheduling benchmark runs end to end at a small size and prints its figures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_scheduling.py"


def test_the_scheduling_benchmark_runs_and_prints_its_ratios(tmp_path):
    db = tmp_path / "district.db"
    args = [sys.executable, str(BENCH), "--staff", "300", "--years", "2", "--share", "0.3",
            "--repeat", "1", "--db", str(db)]  # fmt: skip
    result = subprocess.run(args, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(r"district: 300 people, 4 cohorts, [\d,]+ pairs, [\d,]+ teams, "
                     r"[\d,]+ sessions", out)  # fmt: skip
    assert re.search(r"ratio adherence / reading sessions:\s+\d+\.\d\dx cpu", out)
    assert re.search(r"ratio adherence without action items / reading sessions:\s+\d+\.\d\dx", out)
    assert db.exists()  # built once, reused by the next run
