"""Pins the public types of mentorkit.scheduling (type-checked by mypy, never executed)."""

import datetime as dt
from typing import assert_type

from dateutil import rrule

from mentorkit.scheduling import Cadence

start = dt.datetime(2025, 6, 3, 15, tzinfo=dt.UTC)
cadence = Cadence.from_rrule("FREQ=MONTHLY;COUNT=7", start, 180)
assert_type(cadence, Cadence)
assert_type(cadence.rrule, str)
assert_type(cadence.dtstart, dt.datetime)
assert_type(cadence.minutes, int)
assert_type(cadence.exclusions, tuple[dt.date, ...])
assert_type(cadence.occurrences(), list[dt.datetime])
assert_type(cadence.occurrences(between=(start, start)), list[dt.datetime])
assert_type(cadence.recurrence, rrule.rrule)
assert_type(cadence.excluding(dt.date(2025, 7, 1)), Cadence)
assert_type(Cadence.monthly(start, 60, until=dt.date(2025, 12, 31)), Cadence)
assert_type(Cadence.weekly(start, 60, count=3), Cadence)
assert_type(Cadence.quarterly(start, 60, count=3), Cadence)
assert_type(Cadence.by_weekday("TU", start, 60, nth=2), Cadence)

# Plans, adherence and the model values they use.
import mentorkit as mk  # noqa: E402
from mentorkit.scheduling import (  # noqa: E402
    AdherenceReport,
    AdherenceRow,
    AdherenceStatus,
    Behind,
    CohortRollup,
    Dose,
    PlannedCommitment,
    PlannedSession,
    SessionPlan,
    adherence,
    milestone_events,
    plan_sessions,
)
from mentorkit.storage import MemoryStore  # noqa: E402

program = mk.Program(id="p", name="P", commitments=[mk.Commitment(name="k", per="month", times=1)])
cohort = mk.Cohort(id="c", program_id="p", name="c", start=start.date(), end=start.date())
plan = plan_sessions(program, cohort, at=dt.time(9), tz=dt.UTC)
assert_type(plan, SessionPlan)
pair = mk.Mentorship(id="m", mentor_id="a", mentee_id="b", start=start.date(), cohort_id="c")
team = mk.Engagement(id="e", coach_id="a", members=[mk.TeamMember(person_id="b", role="principal")],
                     cohort_id="c")
assert_type(plan_sessions(program, cohort, pairs=[pair, team]), SessionPlan)
assert_type(plan_sessions(program, cohort, pairs=(pair,)), SessionPlan)
assert_type(plan.items, tuple[PlannedCommitment, ...])
assert_type(plan.sessions(), list[PlannedSession])
assert_type(plan.events, tuple[mk.Event, ...])
assert_type(milestone_events(program, cohort), list[mk.Event])
report = adherence(MemoryStore(), cohort_id="c", as_of=start.date())
assert_type(report, AdherenceReport)
assert_type(report.kept(), tuple[str, ...])
assert_type(report.kept(cohort_id="c"), tuple[str, ...])
assert_type(report.rows, tuple[AdherenceRow, ...])
assert_type(report.rows[0].promised, Dose)
assert_type(report.rows[0].status, AdherenceStatus)
assert_type(report.rows[0].met, bool)
assert_type(report.behind(), list[Behind])
assert_type(report.rollup(), list[CohortRollup])
assert_type(report.behind()[0].ended, dt.date | None)
assert_type(report.ended, dict[str, dt.date])
assert_type(adherence(MemoryStore()), AdherenceReport)
assert_type(program.commitments, tuple[mk.Commitment, ...])
assert_type(program.milestones, tuple[mk.Milestone, ...])
engagement = mk.Engagement(id="e", coach_id="c", members=[mk.TeamMember(person_id="a")])
assert_type(engagement.members, tuple[mk.TeamMember, ...])
assert_type(mk.Session(id="s", mentorship_id="m", start=start, minutes=1).on_call, bool)
