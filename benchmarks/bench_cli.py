"""CLI start-up: `mentorkit --help` against the interpreter's own start-up, side by side.

    python benchmarks/bench_cli.py [--runs 15]

Prints the median wall time of each command over the runs (interleaved, so load from other
processes hits all alike) and the ratio to `python -c pass`. The goal is `--help` under 0.3 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "python -c 'import networkx'": [sys.executable, "-c", "import networkx"],
    "python -c 'import mentorkit'": [sys.executable, "-c", "import mentorkit"],
    "mentorkit --help": [sys.executable, "-m", "mentorkit", "--help"],
    "mentorkit --version": [sys.executable, "-m", "mentorkit", "--version"],
    "mentorkit graph --help": [sys.executable, "-m", "mentorkit", "graph", "--help"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, argv in COMMANDS.items():
            start = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=True)
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["python -c pass (baseline)"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:32} {median * 1000:7.1f} ms  x{median / base:5.1f} of the baseline")


if __name__ == "__main__":
    main()
