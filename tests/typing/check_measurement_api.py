"""Pins the types of mentorkit.measurement's reports. Type-checked, never executed."""

import datetime as _dt
from typing import assert_type

from mentorkit.measurement import (
    Finding,
    FollowUp,
    Inquiry,
    OutcomeRow,
    ReportTable,
    Suppressed,
    SurveyResult,
    Target,
    TargetProgress,
    TrendPoint,
    follow_up,
    lowest_conditions,
    progress,
    report_outcomes,
    trend,
)
from mentorkit.storage import MemoryStore

_results = [
    SurveyResult(id="r", survey_id="s", org_unit_id="u", cycle="1", condition="c", score=3.0, n=12)
]
assert_type(lowest_conditions(_results), ReportTable[Finding])
assert_type(trend(_results), ReportTable[TrendPoint])
assert_type(follow_up([], _results), ReportTable[FollowUp])
assert_type(report_outcomes(MemoryStore()), ReportTable[OutcomeRow])
_target = Target(
    id="t", name="n", program_id="p", measure="mentees", count=1, deadline=_dt.date(2024, 1, 1)
)
assert_type(progress(_target, MemoryStore()), TargetProgress)
_progress = progress(_target, MemoryStore())
assert_type(_progress.verdict, str | None)
assert_type(_progress.final, bool)
assert_type(_progress.to_csv(), str)
assert_type(report_outcomes(MemoryStore())[0].total, bool)
# Growth, like promotions, may be not yet known (None) for a cohort too recent to know.
assert_type(report_outcomes(MemoryStore())[0].assessed, int | Suppressed | None)
assert_type(report_outcomes(MemoryStore())[0].grew, int | Suppressed | None)
assert_type(lowest_conditions(_results)[0].tied_with, tuple[str, ...])
assert_type(
    lowest_conditions(_results)[0].inquiry(id="i", store=MemoryStore()),
    Inquiry,
)
# A unit whose every condition is withheld has a withheld row: its figures may be Suppressed.
assert_type(lowest_conditions(_results)[0].all_withheld, bool)
assert_type(lowest_conditions(_results)[0].condition, str | Suppressed)
assert_type(lowest_conditions(_results)[0].score, float | Suppressed)
assert_type(lowest_conditions(_results)[0].n, int | Suppressed)
_june = report_outcomes(MemoryStore(), as_of=_dt.date(2022, 6, 30), within_years=0)
assert_type(_june, ReportTable[OutcomeRow])
assert_type(_june[0].promoted, int | Suppressed | None)
assert_type(_june[0].role_changed, int | Suppressed | None)
assert_type(_june.notes, tuple[str, ...])
