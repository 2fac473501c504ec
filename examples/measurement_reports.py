"""Measurement: three survey cycles, the lowest condition, a target, outcomes per cohort.

Run:  python examples/measurement_reports.py
"""

import datetime as dt

import matplotlib

matplotlib.use("Agg")  # draw to files, no window

import mentorkit as mk
from mentorkit import synthetic
from mentorkit.measurement import (
    Target,
    follow_up,
    lowest_conditions,
    plot_cohorts,
    plot_progress,
    plot_trends,
    progress,
    report_conditions,
    report_outcomes,
    trend,
)

district = synthetic.district(seed=11, staff=2400, years=3)
store = mk.open_store("memory://")
store.put_many(district.entities())
survey, results = synthetic.survey_results(district)
store.put(survey)
store.put_many(results)

network = {u.id: u.parent_id for u in district.org_units if u.kind is mk.OrgUnitKind.SCHOOL}
print(report_outcomes(store).to_text())
print()
findings = lowest_conditions(results, by=network)
print(findings.to_text())
first = next(f for f in findings if not f.all_withheld)  # a withheld unit names no condition
store.put(mk.ActionItem(id="step-1", owner_id=district.people[0].id, text="Equity walks"))
# With store=, the linked next steps must exist (a typo is a NotFoundError, not a silent 0).
inquiry = store.put(first.inquiry(id="inq-1", next_step_ids=["step-1"], store=store))
print()
print(follow_up([inquiry], results, by=network, tolerance=0.1).to_text())
print()
print(trend(results, by=network, condition=first.condition).to_text())
print()
# Schools and their network together, safe to share: the finding's network, its cycle.
mine = [
    r
    for r in results
    if network.get(r.org_unit_id) == first.org_unit_id
    and (r.cycle, r.condition) == (first.cycle, first.condition)
]
print(report_conditions(mine, by=network).to_text())
# No start: the first cohort is where the count began, and the pace is the yearly intake
# after it. (A start on the first cohort's first day would count a whole cohort at once.)
target = Target(
    id="t",
    name="800 fellows by 2026",
    program_id="prog-fellows",
    measure="mentees",
    count=800,
    deadline=dt.date(2026, 6, 30),
)
print()
print(progress(target, store, as_of=dt.date(2023, 9, 1)).to_text())

# Figures (extra "notebook"): trend lines per network, cohorts compared, the target.
ax = plot_trends(trend(results, by=network, condition="transformative_equity"))
ax.figure.savefig("trends.png")
ax = plot_cohorts(report_outcomes(store, program_id="prog-fellows"), figure="promotion_rate")
ax.figure.savefig("cohorts.png")
ax = plot_progress(progress(target, store, as_of=dt.date(2023, 9, 1)))
ax.figure.savefig("target.png")
print("wrote trends.png, cohorts.png, target.png")
