"""Matching benchmark: `stable` against the `matching` package, and our figures at district scale.

Run (needs the extras `numpy`, `ortools` and `bench`):

    python benchmarks/bench_matching.py            # the full run (about a minute)
    python benchmarks/bench_matching.py --small    # a quick smoke run at 1/10 of the sizes

Instances are dense: every pair allowed, mentee-side and mentor-side scores drawn
independently (so they differ), capacity 10 for every mentor.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from mentorkit.matching import MatchingProblem, match


def instance(n: int, m: int, seed: int) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    mentees = [f"e{i}" for i in range(n)]
    mentors = [f"m{j}" for j in range(m)]
    return mentees, mentors, rng.random((n, m)), rng.random((n, m))


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def ours_stable(
    mentees: list[str], mentors: list[str], s: np.ndarray, ms: np.ndarray, cap: int
) -> Any:
    problem = MatchingProblem.from_matrix(mentees, mentors, s, cap, mentor_scores=ms)
    return match(problem, strategy="stable", seed=0)


def baseline_stable(
    mentees: list[str], mentors: list[str], s: np.ndarray, ms: np.ndarray, cap: int
) -> Callable[[], dict[str, str]]:
    """The `matching` package's HospitalResident, resident (mentee) optimal."""
    from matching.games import HospitalResident

    resident_prefs = {
        mentees[i]: [mentors[j] for j in np.argsort(-s[i])] for i in range(len(mentees))
    }
    hospital_prefs = {
        mentors[j]: [mentees[i] for i in np.argsort(-ms[:, j])] for j in range(len(mentors))
    }
    capacities = dict.fromkeys(mentors, cap)

    def solve() -> dict[str, str]:
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        solution = game.solve(optimal="resident")
        return {r.name: h.name for h, rs in solution.items() for r in rs}

    def run() -> dict[str, str]:
        # Its deepcopy of the player graph recurses past Python's default limit beyond
        # ~1,000 residents (the package's issues #26, #139): give it room in a thread with
        # a large stack, so that it can finish at all.
        out: dict[str, dict[str, str]] = {}
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(1_000_000)
        threading.stack_size(1 << 30)
        try:
            worker = threading.Thread(target=lambda: out.update(answer=solve()))
            worker.start()
            worker.join()
        finally:
            sys.setrecursionlimit(limit)
            threading.stack_size(0)
        return out["answer"]

    return run


def rss_probe(n: int, m: int, cap: int) -> int:
    """Peak resident memory added by one run, in KiB, measured in a fresh process.

    Reads VmHWM (this process's own high-water mark) rather than ru_maxrss, which a child
    inherits from its parent on Linux.
    """
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import bench_matching as b; "
        "e, r, s, ms = b.instance(int(sys.argv[2]), int(sys.argv[3]), 2); "
        "before = b.high_water(); b.ours_stable(e, r, s, ms, int(sys.argv[4])); "
        "print(b.high_water() - before)"
    )
    here = str(Path(__file__).resolve().parent)
    out = subprocess.run(
        [sys.executable, "-c", code, here, str(n), str(m), str(cap)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip())


def high_water() -> int:
    """This process's peak resident memory so far, in KiB (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def full_graph_optimum(s: np.ndarray, cap: int) -> int:
    """Independent check: OR-Tools on the complete dense network, integer scores 1e6 x s."""
    from ortools.graph.python import min_cost_flow

    n, m = s.shape
    c = np.rint(s * 1e6).astype(np.int64)
    f = min_cost_flow.SimpleMinCostFlow()
    src, snk = n + m, n + m + 1
    f.add_arcs_with_capacity_and_unit_cost(
        np.full(n, src), np.arange(n), np.ones(n, np.int64), np.zeros(n, np.int64)
    )
    f.add_arcs_with_capacity_and_unit_cost(
        np.repeat(np.arange(n), m),
        n + np.tile(np.arange(m), n),
        np.ones(n * m, np.int64),
        -c.ravel(),
    )
    f.add_arcs_with_capacity_and_unit_cost(
        np.arange(n), np.full(n, snk), np.ones(n, np.int64), np.zeros(n, np.int64)
    )
    f.add_arcs_with_capacity_and_unit_cost(
        n + np.arange(m), np.full(m, snk), np.full(m, cap, np.int64), np.zeros(m, np.int64)
    )
    f.set_node_supply(src, n)
    f.set_node_supply(snk, -n)
    assert f.solve() == f.OPTIMAL
    return -f.optimal_cost()


def scipy_optimum(s: np.ndarray, cap: int) -> float:
    """Independent check: SciPy's linear_sum_assignment on the capacity-expanded matrix."""
    from scipy.optimize import linear_sum_assignment

    expanded = np.repeat(s, cap, axis=1)
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    return float(expanded[rows, cols].sum())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="1/10 of the sizes (smoke run)")
    parser.add_argument(
        "--skip-full-graph", action="store_true", help="skip the 10 s independent check"
    )
    args = parser.parse_args()
    div = 10 if args.small else 1
    cap = 10
    n1, m1 = 2000 // div, 200 // div
    n2, m2 = 10000 // div, 1000 // div
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}")

    # -- 1. stable vs the matching package, same instance ------------------------------------
    mentees, mentors, s, ms = instance(n1, m1, 1)
    t_ours, ours = timed(lambda: ours_stable(mentees, mentors, s, ms, cap), repeat=5)
    run = baseline_stable(mentees, mentors, s, ms, cap)
    t_base, theirs = timed(run)
    same = dict(ours.assignment) == theirs
    print(f"\n[stable] {n1} x {m1}, capacity {cap}")
    print(f"  mentorkit stable (from the matrix) : {t_ours * 1e3:10.1f} ms")
    print(f"  matching.HospitalResident (solve)  : {t_base * 1e3:10.1f} ms")
    print(f"  same answer: {same}; speed ratio: {t_base / t_ours:,.0f}x (goal >= 300x)")

    # -- 2. stable at district scale: time and extra memory ----------------------------------
    mentees, mentors, s, ms = instance(n2, m2, 2)
    t_big, big = timed(lambda: ours_stable(mentees, mentors, s, ms, cap), repeat=3)
    gc.collect()
    tracemalloc.start()
    ours_stable(mentees, mentors, s, ms, cap)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_growth = rss_probe(n2, m2, cap)
    print(f"\n[stable] {n2} x {m2}, capacity {cap}")
    print(f"  end to end from the matrix : {t_big:.3f} s (goal < 1.5 s); {len(big.pairs)} pairs")
    print(f"  extra memory (tracemalloc peak): {peak / 2**20:,.0f} MiB (goal < 1024 MiB)")
    print(f"  peak RSS growth (fresh process)  : {rss_growth / 2**10:,.0f} MiB")

    # -- 3. optimal at district scale, checked ------------------------------------------------
    t_opt, opt = timed(
        lambda: match(
            MatchingProblem.from_matrix(mentees, mentors, s, cap, mentor_scores=ms), "optimal"
        )
    )
    print(f"\n[optimal] {n2} x {m2}, capacity {cap}")
    print(
        f"  end to end from the matrix : {t_opt:.3f} s (goal < 10 s); total {opt.total_score:.6f}"
    )
    print(f"  vs stable: {opt.total_score / big.total_score:.4f}x the stable total")
    if not args.skip_full_graph:
        t_full, full = timed(lambda: full_graph_optimum(s, cap))
        ours_int = int(sum(round(p.score * 1e6) for p in opt.pairs))
        print(f"  independent check, OR-Tools on the full {n2 * m2:,}-arc graph: {t_full:.1f} s")
        print(
            f"  same optimum (1e-6 integer scores): {ours_int == full}; "
            f"speed ratio {t_full / t_opt:.1f}x"
        )
    mentees, mentors, s, ms = instance(n1, m1, 3)
    small = match(MatchingProblem.from_matrix(mentees, mentors, s, cap), "optimal")
    _, lsa = timed(lambda: scipy_optimum(s, cap))
    print(
        f"  independent check at {n1} x {m1}: SciPy linear_sum_assignment total {lsa:.9f}, "
        f"ours {small.total_score:.9f}, equal: {abs(lsa - small.total_score) < 1e-6}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
