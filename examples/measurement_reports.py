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
first = findings[0]
inquiry = store.put(first.inquiry(id="inq-1", next_step_ids=["step-1"]))
print()
print(follow_up([inquiry], results, by=network, tolerance=0.1).to_text())
print()
print(trend(results, by=network, condition=first.condition).to_text())
print()
print(report_conditions(results, by=network).to_text().splitlines()[0])
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
