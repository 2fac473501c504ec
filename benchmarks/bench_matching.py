"""Matching benchmark: `stable` and `optimal` on three instance families, and from profiles.

Run (needs the extras `ortools` and `bench`):

    python benchmarks/bench_matching.py            # the full run (a few minutes)
    python benchmarks/bench_matching.py --small    # a quick smoke run at 1/10 of the sizes

Every figure is a ratio of two timings taken side by side in this one run (the best of a
few repeats each, interleaved), so load from other processes cancels out. The baselines
are named on each line: the `matching` package's HospitalResident, one NumPy `argsort` of
the score matrix (the least any preference-based method pays), and OR-Tools' min-cost
flow on the full dense graph (with the same integer weights `optimal` uses, so "same
optimum" compares the two exactly).

Instance families (n mentees x m mentors, dense, capacity 10 unless said):

- uniform: every mentee-side and mentor-side score drawn independently from U(0, 1). The
  easiest case for deferred acceptance: mentees' first choices spread over all mentors.
- correlated: popular mentors. Each mentee has a focus over 12 competencies (three of
  them, weighted 1, 1/2, 1/4, drawn with skewed popularity); each mentor has a level 0-3
  in each. The mentee's score is focus . strengths (plus a little noise), so mentees who
  chose the same focus want the same few strong mentors. Mentors score mentees half by
  that fit and half by one readiness figure per mentee.
- strong: one dominant quality. Every mentee scores mentor j about 0.9 q[j] (+ 0.1 noise)
  and every mentor scores mentee i about 0.9 p[i]: near-identical preference lists on both
  sides, the longest rejection chains.
- profiles: a synthetic district stored in SQLite with one 1,500 x 1,000 cohort (capacity
  3): mentees' focus over the framework's competencies, mentors' strengths from their
  assessments. Profiles are read from the store, scored with the default scorer and
  constraints, and matched; `mentorkit match` runs on the same store in a fresh process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from mentorkit.matching import MatchingProblem, cohort_profiles, match

FAMILIES = ("uniform", "correlated", "strong")


def family(kind: str, n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``(scores, mentor_scores)`` of one instance of a family (see the module docstring)."""
    rng = np.random.default_rng(seed)
    if kind == "uniform":
        return rng.random((n, m)), rng.random((n, m))
    if kind == "correlated":
        popularity = rng.dirichlet(np.full(12, 0.5))
        focus = np.zeros((n, 12))
        for i in range(n):
            picks = rng.choice(12, size=3, replace=False, p=popularity)
            focus[i, picks] = (1.0, 0.5, 0.25)
        focus /= focus.sum(axis=1, keepdims=True)
        strengths = rng.integers(0, 4, (m, 12)) / 3.0
        s = focus @ strengths.T + 0.05 * rng.random((n, m))
        readiness = rng.random(n)
        return s, 0.5 * s + 0.5 * readiness[:, None] + 0.05 * rng.random((n, m))
    if kind == "strong":
        q, p = rng.random(m), rng.random(n)
        return (
            0.9 * q[None, :] + 0.1 * rng.random((n, m)),
            0.9 * p[:, None] + 0.1 * rng.random((n, m)),
        )
    raise ValueError(kind)


def ids(n: int, m: int) -> tuple[list[str], list[str]]:
    return [f"e{i}" for i in range(n)], [f"m{j}" for j in range(m)]


def side_by_side(fns: dict[str, Callable[[], Any]], repeat: int) -> tuple[dict[str, float], dict]:
    """The best time of each function over ``repeat`` interleaved rounds, and its output."""
    best = dict.fromkeys(fns, float("inf"))
    out: dict[str, Any] = {}
    for _ in range(repeat):
        for name, fn in fns.items():
            gc.collect()
            start = time.perf_counter()
            out[name] = fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best, out


def baseline_stable(
    mentees: list[str], mentors: list[str], s: np.ndarray, ms: np.ndarray, cap: int
) -> Callable[[], dict[str, str]]:
    """The `matching` package's HospitalResident, resident (mentee) optimal."""
    from matching.games import HospitalResident

    resident_prefs = {
        mentees[i]: [mentors[j] for j in np.argsort(-s[i], kind="stable")]
        for i in range(len(mentees))
    }
    hospital_prefs = {
        mentors[j]: [mentees[i] for i in np.argsort(-ms[:, j], kind="stable")]
        for j in range(len(mentors))
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


def integer_weights(s: np.ndarray, cap: int) -> np.ndarray:
    """The integer pair weights `optimal` solves with (its own scaling of the scores)."""
    from mentorkit.matching.optimal import _Weights

    capacity = np.full(s.shape[1], cap, dtype=np.int64)
    return _Weights(np, s, s, capacity, False).rows(0, s.shape[0])


def full_graph_optimum(w: np.ndarray, cap: int) -> int:
    """Independent check: OR-Tools on the complete dense network, the same integer weights."""
    from ortools.graph.python import min_cost_flow

    n, m = w.shape
    f = min_cost_flow.SimpleMinCostFlow()
    src, snk = n + m, n + m + 1
    f.add_arcs_with_capacity_and_unit_cost(
        np.full(n, src), np.arange(n), np.ones(n, np.int64), np.zeros(n, np.int64)
    )
    f.add_arcs_with_capacity_and_unit_cost(
        np.repeat(np.arange(n), m),
        n + np.tile(np.arange(m), n),
        np.ones(n * m, np.int64),
        -w.ravel(),
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


def district_store(path: str, n: int, m: int, seed: int) -> str:
    """A synthetic district in SQLite, plus one cohort of ``n`` mentees and ``m`` mentors."""
    from mentorkit import synthetic
    from mentorkit.frameworks import Assessment, Rater, load_framework
    from mentorkit.model import Cohort, Enrollment, EnrollmentStatus, Role
    from mentorkit.storage import open_store

    d = synthetic.district(seed=seed, staff=n + m + 100, years=1, sessions_per_mentorship=0)
    program = next(p for p in d.programs if p.framework_id)
    assert program.framework_id is not None
    fw = load_framework(program.framework_id)
    codes = [c.code for c in fw.competencies]
    levels = fw.scale.codes
    rng = np.random.default_rng(seed)
    popularity = rng.dirichlet(np.full(len(codes), 0.7))
    cohort = Cohort(
        id="coh-bench",
        program_id=program.id,
        name="Benchmark cohort",
        start=dt.date(2025, 8, 1),
        end=dt.date(2026, 6, 30),
    )
    people = [p.id for p in d.people][100:]
    enrollments, ratings = [], []
    for k, person in enumerate(people[:n]):
        focus = [codes[c] for c in rng.choice(len(codes), 2, replace=False, p=popularity)]
        enrollments.append(
            Enrollment(
                id=f"enr-bench-{k}-e",
                person_id=person,
                cohort_id=cohort.id,
                role=Role.MENTEE,
                status=EnrollmentStatus.ACTIVE,
                focus_competencies=focus,
            )
        )
    for k, person in enumerate(people[n : n + m]):
        enrollments.append(
            Enrollment(
                id=f"enr-bench-{k}-m",
                person_id=person,
                cohort_id=cohort.id,
                role=Role.MENTOR,
                status=EnrollmentStatus.ACTIVE,
            )
        )
        for code in codes:
            ratings.append(
                Assessment(
                    id=f"as-bench-{k}-{code}",
                    person_id=person,
                    framework_id=fw.id,
                    competency=code,
                    level=levels[int(rng.integers(0, len(levels)))],
                    date=dt.date(2025, 6, 1),
                    rater=Rater.SUPERVISOR,
                )
            )
    url = f"sqlite:///{path}"
    with open_store(url) as store:
        for batch in (
            d.org_units,
            d.people,
            d.programs,
            d.cohorts,
            d.enrollments,
            d.assessments,
            [cohort],
            enrollments,
            ratings,
        ):
            store.put_many(batch)
    return url


def profiles_from_store(url: str, cohort_id: str, capacity: int) -> tuple[list, list]:
    """The cohort's profiles as the CLI reads them: one indexed query per person."""
    from mentorkit.frameworks import Assessment, load_framework
    from mentorkit.model import Cohort, Enrollment, Person, Program
    from mentorkit.storage import open_store

    with open_store(url) as store:
        cohort = store.get(Cohort, cohort_id)
        program = store.get(Program, cohort.program_id)
        enrollments = store.find(Enrollment, cohort_id=cohort.id)
        person_ids = sorted({e.person_id for e in enrollments})
        people = [store.get(Person, i) for i in person_ids]
        assessments = [a for i in person_ids for a in store.find(Assessment, person_id=i)]
    framework = load_framework(program.framework_id) if program.framework_id else None
    return cohort_profiles(
        cohort.id,
        people=people,
        enrollments=enrollments,
        assessments=assessments,
        framework=framework,
        capacity=capacity,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="1/10 of the sizes (smoke run)")
    parser.add_argument(
        "--skip-full-graph", action="store_true", help="skip OR-Tools on the full graph"
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds per figure (3)")
    args = parser.parse_args()
    div = 10 if args.small else 1
    cap = 10
    n1, m1 = 2000 // div, 200 // div
    n2, m2 = 10000 // div, 1000 // div
    repeat = args.repeat
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}")

    # -- 1. stable vs the matching package, same instance ------------------------------------
    print(f"\n[stable] {n1} x {m1}, capacity {cap}: against matching.HospitalResident")
    for kind in FAMILIES:
        s, ms = family(kind, n1, m1, 1)
        mentees, mentors = ids(n1, m1)
        problem = MatchingProblem.from_matrix(mentees, mentors, s, cap, mentor_scores=ms)
        run = baseline_stable(mentees, mentors, s, ms, cap)
        times, out = side_by_side(
            {"ours": lambda p=problem: match(p, "stable"), "theirs": run}, repeat=1
        )
        t_ours, _ = side_by_side({"ours": lambda p=problem: match(p, "stable")}, repeat)
        same = dict(out["ours"].assignment) == out["theirs"]
        ratio = times["theirs"] / t_ours["ours"]
        print(
            f"  {kind:10s} same answer: {same}; mentorkit {t_ours['ours'] * 1e3:7.1f} ms, "
            f"matching {times['theirs']:6.2f} s; speed ratio {ratio:,.0f}x (goal >= 300x)"
        )

    # -- 2. stable at district scale against one argsort -------------------------------------
    print(f"\n[stable] {n2} x {m2}, capacity {cap}: against one argsort of the score matrix")
    big: dict[str, Any] = {}
    for kind in FAMILIES:
        s, ms = family(kind, n2, m2, 2)
        mentees, mentors = ids(n2, m2)
        problem = MatchingProblem.from_matrix(mentees, mentors, s, cap, mentor_scores=ms)
        times, out = side_by_side(
            {
                "argsort": lambda s=s: np.argsort(s, axis=1),
                "stable": lambda p=problem: match(p, "stable"),
                "from_matrix": lambda s=s, ms=ms, mentees=mentees, mentors=mentors: match(
                    MatchingProblem.from_matrix(mentees, mentors, s, cap, mentor_scores=ms),
                    "stable",
                ),
            },
            repeat,
        )
        big[kind] = (s, ms, out["stable"])
        print(
            f"  {kind:10s} argsort {times['argsort']:.3f} s, stable {times['stable']:.3f} s: "
            f"{times['stable'] / times['argsort']:.2f}x argsort (goal <= 3x); "
            f"from the matrix {times['from_matrix'] / times['argsort']:.2f}x"
        )

    # -- 3. optimal at district scale against OR-Tools on the full graph ----------------------
    print(f"\n[optimal] {n2} x {m2}, capacity {cap}: against OR-Tools on the full graph")
    for kind in FAMILIES:
        s, ms, stable_result = big[kind]
        mentees, mentors = ids(n2, m2)
        problem = MatchingProblem.from_matrix(mentees, mentors, s, cap, mentor_scores=ms)
        fns: dict[str, Callable[[], Any]] = {"optimal": lambda p=problem: match(p, "optimal")}
        if not args.skip_full_graph:
            w = integer_weights(s, cap)
            fns["full"] = lambda w=w: full_graph_optimum(w, cap)
        times, out = side_by_side(fns, 1)
        opt = out["optimal"]
        line = f"  {kind:10s} optimal {times['optimal']:.2f} s"
        line += f", {opt.total_score / stable_result.total_score:.4f}x the stable total"
        if "full" in times:
            rows = [problem.mentee_index(p.mentee_id) for p in opt.pairs]
            cols = [problem.mentor_index(p.mentor_id) for p in opt.pairs]
            ours_int = int(w[rows, cols].sum())
            line += (
                f"; OR-Tools full graph {times['full']:.2f} s, same optimum: "
                f"{ours_int == out['full']}; speed ratio {times['full'] / times['optimal']:.1f}x"
                " (goal > 1x)"
            )
        print(line)
    s, _ = family("uniform", n1, m1, 3)
    small = match(MatchingProblem.from_matrix(*ids(n1, m1), s, cap), "optimal")
    lsa = scipy_optimum(s, cap)
    print(
        f"  independent check at {n1} x {m1}: SciPy linear_sum_assignment total {lsa:.9f}, "
        f"ours {small.total_score:.9f}, equal: {abs(lsa - small.total_score) < 1e-6}"
    )

    # -- 4. from profiles: a synthetic district in SQLite --------------------------------------
    n3, m3, cap3 = 1500 // div, 1000 // div, 3
    print(f"\n[profiles] {n3} x {m3} cohort in SQLite, capacity {cap3}, default scorer")
    with tempfile.TemporaryDirectory() as folder:
        url = district_store(os.path.join(folder, "district.db"), n3, m3, seed=4)
        mentee_profiles, mentor_profiles = profiles_from_store(url, "coh-bench", cap3)
        same_shape = np.random.default_rng(5).random((n3, m3))
        cli = [
            sys.executable,
            "-m",
            "mentorkit",
            "match",
            "--store",
            url,
            "--cohort",
            "coh-bench",
            "--capacity",
            str(cap3),
            "--brief",
        ]
        times, out = side_by_side(
            {
                "argsort": lambda: np.argsort(same_shape, axis=1),
                "build": lambda: MatchingProblem.from_profiles(mentee_profiles, mentor_profiles),
                "build+match": lambda: match(
                    MatchingProblem.from_profiles(mentee_profiles, mentor_profiles), "stable"
                ),
                "read": lambda: profiles_from_store(url, "coh-bench", cap3),
                "cli": lambda: subprocess.run(cli, capture_output=True, text=True, check=True),
                "python": lambda: subprocess.run(
                    [sys.executable, "-c", "import mentorkit.cli"], check=True
                ),
            },
            repeat,
        )
        result = out["build+match"]
        assert len(result.pairs) == len(out["cli"].stdout.split(" -> ")) - 1
        base = times["argsort"]
        print(
            f"  argsort of a same-shape matrix {base * 1e3:.1f} ms; build "
            f"{times['build'] / base:.1f}x, build + match {times['build+match'] / base:.1f}x"
            f" argsort (goal <= 10x); {len(result.pairs)} pairs"
        )
        print(
            f"  profiles read from SQLite {times['read']:.2f} s; `mentorkit match` in a fresh "
            f"process {times['cli']:.2f} s (of which Python start + imports "
            f"{times['python']:.2f} s): {times['cli'] / times['build+match']:.1f}x build + match"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
