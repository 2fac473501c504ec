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
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    import pandas as pd

    from mentorkit import synthetic
    from mentorkit.measurement import (
        DisclosurePolicy,
        lowest_conditions,
        report_conditions,
        report_outcomes,
        trend,
    )
    from mentorkit.model import EnrollmentStatus, OutcomeKind, Role

    t0 = time.perf_counter()
    d = synthetic.district(seed=2026, staff=args.staff, years=args.years,
                           sessions_per_mentorship=0)  # fmt: skip
    _, results = synthetic.survey_results(d)
    print(f"district: {len(d.people):,} people, {len(d.enrollments):,} enrolments, "
          f"{len(d.outcomes):,} outcomes, {len(d.assessments):,} assessments, "
          f"{len(results):,} survey results ({time.perf_counter() - t0:.1f} s to generate)")
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

    def frames() -> dict[str, Any]:
        cohorts = pd.DataFrame([(k.id, k.program_id, k.start) for k in d.cohorts],
                               columns=["cohort_id", "program_id", "start"])  # fmt: skip
        mentees = pd.DataFrame(
            [(e.person_id, e.cohort_id) for e in d.enrollments
             if e.role is Role.MENTEE and e.status in supported],
            columns=["person_id", "cohort_id"],
        )  # fmt: skip
        outcomes = pd.DataFrame(
            [(o.person_id, o.kind.value, o.date, o.value) for o in d.outcomes],
            columns=["person_id", "kind", "date", "value"],
        )
        res = pd.DataFrame(
            [(r.org_unit_id, r.cycle, r.condition, r.score, r.n) for r in results],
            columns=["org_unit_id", "cycle", "condition", "score", "n"],
        )
        res["network"] = res["org_unit_id"].map(network)
        return {"cohorts": cohorts, "mentees": mentees, "outcomes": outcomes, "results": res}

    def grouped(f: dict[str, Any]) -> Any:
        m = f["mentees"].merge(f["cohorts"], on="cohort_id")
        promo = f["outcomes"][f["outcomes"]["kind"] == OutcomeKind.PROMOTION.value]
        first = m.merge(promo[["person_id", "date"]], on="person_id", how="left")
        first = first[first["date"] >= first["start"]]
        first = first.groupby(["cohort_id", "person_id"])["date"].min().reset_index()
        students = f["outcomes"].groupby("person_id")["value"].sum()
        m = m.merge(first, on=["cohort_id", "person_id"], how="left")
        m["students"] = m["person_id"].map(students)
        m["days"] = (pd.to_datetime(m["date"]) - pd.to_datetime(m["start"])).dt.days
        out = m.groupby(["program_id", "cohort_id"]).agg(
            mentees=("person_id", "size"), promoted=("date", "count"),
            median_days=("days", "median"), students=("students", "sum"),
        )  # fmt: skip
        r = f["results"]
        r["weighted"] = r["score"] * r["n"]
        net = r.groupby(["network", "cycle", "condition"])[["weighted", "n"]].sum()
        net["score"] = net["weighted"] / net["n"]
        low = r.loc[r.groupby(["org_unit_id", "cycle"])["score"].idxmin()]
        return out, net, low

    def pandas_all() -> Any:
        return grouped(frames())

    prebuilt = frames()

    def pandas_groupby() -> Any:
        return grouped({k: v.copy() for k, v in prebuilt.items()})

    # Side by side, interleaved, best of --repeat each.
    t_ours, (outcomes, scores, lowest, moved) = best(ours, args.repeat)
    t_pd, _ = best(pandas_all, args.repeat)
    t_gb, _ = best(pandas_groupby, args.repeat)
    withheld = sum(1 for r in scores if str(r.score) == "*")
    print(f"outcome rows {len(outcomes)}, condition rows {len(scores):,} ({withheld:,} withheld), "
          f"findings {len(lowest):,}, trend points {len(moved):,}")
    print(f"mentorkit reports (all four)            : {t_ours:7.3f} s cpu (best of {args.repeat})")
    print(f"pandas from the entities (frames+groupby): {t_pd:7.3f} s cpu")
    print(f"pandas groupbys alone (frames prebuilt)  : {t_gb:7.3f} s cpu")
    ratio = t_ours / t_pd
    print(f"ratio mentorkit / pandas from entities   : {ratio:6.2f}x   goal <= 2x: "
          f"{'met' if ratio <= 2 else 'NOT met'}")
    print(f"ratio mentorkit / pandas groupbys alone  : {t_ours / t_gb:6.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
