"""Measurement: three survey cycles, the lowest condition, a target, outcomes per cohort.

Run:  python examples/measurement_reports.py
"""

import datetime as dt

import mentorkit as mk
from mentorkit import synthetic
from mentorkit.measurement import (
    Target,
    follow_up,
    lowest_conditions,
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
    name="300 fellows by 2025",
    program_id="prog-fellows",
    measure="mentees",
    count=300,
    deadline=dt.date(2025, 6, 30),
)
print()
print(progress(target, store, as_of=dt.date(2023, 9, 1)).to_text())
