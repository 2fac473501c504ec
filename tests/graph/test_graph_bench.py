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
    assert re.search(r"the store's reads\s+:\s+\d+\.\d\d s cpu", out)
    assert re.search(r"the build from the rows\s+:\s+\d+\.\d\d s cpu", out)
    split = r"split / baseline\s+:\s+reads \d+\.\dx, build \d+\.\dx, metrics \d+\.\dx"
    assert re.search(split, out)
    assert re.search(r"ratio metrics / baseline\s+:\s+\d+\.\dx", out)
    assert db.exists()  # built once, reused by the next run
    again = subprocess.run([*args, "--runs", "2"], capture_output=True, text=True, check=False,
                           cwd=tmp_path)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "(best of 2 runs)" in again.stdout


GENEALOGY = BENCH.with_name("bench_genealogy.py")


def test_the_genealogy_benchmark_runs_tiny_and_agrees_with_its_baseline(tmp_path):
    missing = tmp_path / "no-such-genealogy.csv"
    args = [sys.executable, str(GENEALOGY), "--people", "300", "--edges", "240", "--repeat", "1",
            "--real", str(missing)]  # fmt: skip
    result = subprocess.run(args, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "not found: generating a graph of the same shape" in out
    assert re.search(r"generated genealogy: 300 people, 240 advisor-student edges", out)
    assert re.search(r"ratio baseline / mentorkit\s+:\s+\d+\.\d\dx", out)
    assert "values identical to the baseline: yes (300 of 300 people)" in out


def test_the_genealogy_benchmark_reads_a_real_advisor_student_file(tmp_path):
    real = tmp_path / "edges.csv"
    real.write_text("advisor,student\na,b\na,c\nb,d\nc,d\nd,e\nx,e\n")
    args = [sys.executable, str(GENEALOGY), "--real", str(real), "--repeat", "1"]
    result = subprocess.run(args, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "real genealogy edges.csv: 6 people, 6 advisor-student edges" in result.stdout
    assert "values identical to the baseline: yes (6 of 6 people)" in result.stdout


FLOOR = BENCH.with_name("bench_graph_floor.py")


def test_the_floor_benchmark_agrees_with_the_metrics_and_prints_the_floor(tmp_path):
    db = tmp_path / "district.db"
    args = [sys.executable, str(FLOOR), "--staff", "300", "--share", "0.3", "--db", str(db)]
    result = subprocess.run(args, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "the definitions' counts equal graph.metrics() for 300 of 300 people" in out
    assert re.search(r"floor, every set insertion\s+:\s+\d+\.\d{3} s cpu\s+\d+\.\dx", out)
    assert re.search(r"graph\.metrics\(\)\s+:\s+\d+\.\d{3} s cpu\s+\d+\.\dx", out)
