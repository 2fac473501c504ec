"""The graph benchmark runs end to end at a small size and prints its figures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_graph.py"


def test_the_graph_benchmark_runs_and_prints_its_goal_lines(tmp_path):
    db = tmp_path / "district.db"
    args = [sys.executable, str(BENCH), "--staff", "300", "--share", "0.3", "--db", str(db)]
    result = subprocess.run(args, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(r"district: 300 people, [\d,]+ mentorships", out)
    assert re.search(r"total\s+:\s+\d+\.\d\d s cpu", out)
    assert re.search(r"ratio metrics / baseline\s+:\s+\d+\.\dx", out)
    assert db.exists()  # built once, reused by the next run
