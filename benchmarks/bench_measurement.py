"""Benchmark: outcome and survey reports over a synthetic district, against pandas.

Goal (issue 11): the reports of a 50,000-person district (outcomes per program and cohort;
condition scores per school and network, lowest conditions and trends over three survey
cycles for every school) within 2x the time of pandas computing the same figures with one
groupby each, measured side by side in one run. Two baselines are printed: pandas from
the entities (building the frames, merging, one groupby per report) and the groupbys alone
on frames built beforehand.

Run:  python benchmarks/bench_measurement.py              (50,000 people)
      python benchmarks/bench_measurement.py --staff 2000  (a quick smoke run)
"""

from __future__ import annotations

import argparse
import gc
import time
from typing import Any


class Source:
    """The district's lists behind the ``all`` a report reads (no store in the way)."""

    def __init__(self, district: Any) -> None:
        from mentorkit.frameworks import Assessment
        from mentorkit.model import Cohort, Enrollment, Outcome, Program

        self._by = {
            Program: district.programs,
            Cohort: district.cohorts,
            Enrollment: district.enrollments,
            Outcome: district.outcomes,
            Assessment: district.assessments,
        }

    def all(self, cls: type) -> list[Any]:
        return list(self._by.get(cls, []))


def best(fn: Any, repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        gc.collect()
        t = time.process_time()
        out = fn()
        times.append(time.process_time() - t)
    return min(times), out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=50_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    import pandas as pd

    from mentorkit import synthetic
    from mentorkit.frameworks import load_framework
    from mentorkit.measurement import (
        DisclosurePolicy,
        lowest_conditions,
        report_conditions,
        report_outcomes,
        trend,
    )
    from mentorkit.model import EnrollmentStatus, Role

    t0 = time.perf_counter()
    d = synthetic.district(seed=2026, staff=args.staff, years=args.years,
                           sessions_per_mentorship=0)  # fmt: skip
    _, results = synthetic.survey_results(d)
    print(
        f"district: {len(d.people):,} people, {len(d.enrollments):,} enrolments, "
        f"{len(d.outcomes):,} outcomes, {len(d.assessments):,} assessments, "
        f"{len(results):,} survey results ({time.perf_counter() - t0:.1f} s to generate)"
    )
    source = Source(d)
    network = {u.id: u.parent_id for u in d.org_units if u.parent_id}
    policy = DisclosurePolicy()

    def ours() -> Any:
        outcomes = report_outcomes(source, policy=policy)
        scores = report_conditions(results, by=network, policy=policy)
        lowest = lowest_conditions(results, policy=policy)
        moved = trend(results, by=network, policy=policy)
        return outcomes, scores, lowest, moved

    supported = {EnrollmentStatus.SELECTED, EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED}

    fw_of = {p.id: load_framework(p.framework_id) for p in d.programs if p.framework_id}
    rank = {(fw.id, code): i for fw in fw_of.values() for i, code in enumerate(fw.scale.codes)}

    def frames() -> dict[str, Any]:
        cohorts = pd.DataFrame(
            [(k.id, k.program_id, k.start, k.end) for k in d.cohorts],
            columns=["cohort_id", "program_id", "start", "end"],
        )
        mentees = pd.DataFrame(
            [
                (e.person_id, e.cohort_id)
                for e in d.enrollments
                if e.role is Role.MENTEE and e.status in supported
            ],
            columns=["person_id", "cohort_id"],
        )
        outcomes = pd.DataFrame(
            [(o.person_id, o.kind.value, o.date, o.value) for o in d.outcomes],
            columns=["person_id", "kind", "date", "value"],
        )
        ratings = pd.DataFrame(
            [
                (
                    a.person_id,
                    a.framework_id,
                    a.competency,
                    rank[a.framework_id, a.level],
                    a.date,
                    a.id,
                )
                for a in d.assessments
            ],
            columns=["person_id", "framework_id", "competency", "rank", "date", "id"],
        )
        res = pd.DataFrame(
            [(r.org_unit_id, r.cycle, r.condition, r.score, r.n) for r in results],
            columns=["org_unit_id", "cycle", "condition", "score", "n"],
        )
        res["network"] = res["org_unit_id"].map(network)
        return {
            "cohorts": cohorts,
            "mentees": mentees,
            "outcomes": outcomes,
            "ratings": ratings,
            "results": res,
        }

    def grouped(f: dict[str, Any]) -> Any:
        m = f["mentees"].merge(f["cohorts"], on="cohort_id")
        o = f["outcomes"].merge(m[["person_id", "cohort_id", "start"]], on="person_id")
        o = o[o["date"] >= o["start"]]
        firsts = o.groupby(["cohort_id", "person_id", "kind"])["date"].min().unstack("kind")
        firsts = firsts.reindex(columns=["promotion", "role_change"])
        students = f["outcomes"].groupby("person_id")["value"].sum()
        m = m.merge(firsts.reset_index(), on=["cohort_id", "person_id"], how="left")
        m["students"] = m["person_id"].map(students)
        m["days"] = (pd.to_datetime(m["promotion"]) - pd.to_datetime(m["start"])).dt.days
        # Growth: first and last rating per competency within the cohort, rank difference.
        fw = pd.Series({pid: f_.id for pid, f_ in fw_of.items()}, name="framework_id")
        r = f["ratings"].merge(m[["person_id", "cohort_id", "program_id", "start", "end"]],
                               on="person_id")  # fmt: skip
        r = r[(r["framework_id"] == r["program_id"].map(fw)) & (r["date"] >= r["start"])
              & (r["date"] <= r["end"])].sort_values(["date", "id"])  # fmt: skip
        ends = r.groupby(["cohort_id", "person_id", "competency"]).agg(
            first=("rank", "first"), last=("rank", "last"),
            d0=("date", "first"), d1=("date", "last"),
        )  # fmt: skip
        ends = ends[ends["d1"] > ends["d0"]]
        ends["steps"] = ends["last"] - ends["first"]
        person = ends.groupby(["cohort_id", "person_id"])["steps"].mean().rename("growth")
        m = m.merge(person.reset_index(), on=["cohort_id", "person_id"], how="left")
        out = m.groupby(["program_id", "cohort_id"]).agg(
            mentees=("person_id", "size"), promoted=("promotion", "count"),
            median_days=("days", "median"), role_changed=("role_change", "count"),
            students=("students", "sum"), assessed=("growth", "count"),
            grew=("growth", lambda g: int((g > 0).sum())), mean_growth=("growth", "mean"),
        )  # fmt: skip
        res = f["results"]
        res["weighted"] = res["score"] * res["n"]
        net = res.groupby(["network", "cycle", "condition"])[["weighted", "n"]].sum()
        net["score"] = net["weighted"] / net["n"]
        net["change"] = net.groupby(level=["network", "condition"])["score"].diff()
        low = res.loc[res.groupby(["org_unit_id", "cycle"])["score"].idxmin()]
        return out, net, low

    def pandas_all() -> Any:
        return grouped(frames())

    prebuilt = frames()

    def pandas_groupby() -> Any:
        return grouped({k: v.copy() for k, v in prebuilt.items()})

    # Side by side, interleaved (one run of each per round), best of --repeat each.
    t_ours = t_pd = t_gb = float("inf")
    for _ in range(args.repeat):
        t, (outcomes, scores, lowest, moved) = best(ours, 1)
        t_ours = min(t_ours, t)
        t, (frame, _, _) = best(pandas_all, 1)
        t_pd = min(t_pd, t)
        t_gb = min(t_gb, best(pandas_groupby, 1)[0])
    # The same figures: every one mentorkit publishes equals pandas' (withheld ones aside).
    for row in outcomes:
        if row.cohort_id not in frame.index.get_level_values("cohort_id"):
            continue
        truth = frame.loc[(row.program_id, row.cohort_id)]
        for ours_, theirs in (
            (row.mentees, truth["mentees"]),
            (row.promoted, truth["promoted"]),
            (row.role_changed, truth["role_changed"]),
            (row.assessed, truth["assessed"]),
            (row.grew, truth["grew"]),
            (row.median_days_to_promotion, truth["median_days"]),
            (row.mean_growth_steps, truth["mean_growth"]),
        ):
            if isinstance(ours_, int | float) and not isinstance(ours_, bool):
                assert abs(ours_ - float(theirs)) < 1e-9, (row, ours_, theirs)
    withheld = sum(1 for r in scores if str(r.score) == "*")
    print(
        f"outcome rows {len(outcomes)}, condition rows {len(scores):,} ({withheld:,} withheld), "
        f"findings {len(lowest):,}, trend points {len(moved):,}"
    )
    print(f"mentorkit reports (all four)            : {t_ours:7.3f} s cpu (best of {args.repeat})")
    print(f"pandas from the entities (frames+groupby): {t_pd:7.3f} s cpu")
    print(f"pandas groupbys alone (frames prebuilt)  : {t_gb:7.3f} s cpu")
    ratio = t_ours / t_pd
    print(
        f"ratio mentorkit / pandas from entities   : {ratio:6.2f}x   goal <= 2x: "
        f"{'met' if ratio <= 2 else 'NOT met'}"
    )
    print(f"ratio mentorkit / pandas groupbys alone  : {t_ours / t_gb:6.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
