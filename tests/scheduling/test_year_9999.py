"""The end of the calendar: cohorts running into December 9999 (an "open-ended" sentinel)."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar

from mentorkit.model import Cohort, Commitment, Mentorship, Program
from mentorkit.scheduling import (
    Cadence,
    CalendarSeries,
    adherence,
    check_health,
    plan_sessions,
    to_ical,
)
from mentorkit.storage import MemoryStore

CHICAGO = ZoneInfo("America/Chicago")
STAMP = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def store_ending_in_9999():
    store = MemoryStore()
    store.put(Program(id="p", name="P", commitments=[
        Commitment(name="monthly", per="month", times=1, minutes=60),
        Commitment(name="weekly", per="week", times=1),
    ]))  # fmt: skip
    store.put(Cohort(id="c", program_id="p", name="C", start=dt.date(9999, 9, 1),
                     end=dt.date(9999, 12, 31)))  # fmt: skip
    store.put(Mentorship(id="m", mentor_id="a", mentee_id="b", start=dt.date(9999, 9, 1),
                         cohort_id="c"))  # fmt: skip
    return store


def test_adherence_and_health_of_a_cohort_ending_in_december_9999():
    store = store_ending_in_9999()
    report = adherence(store, cohort_id="c", as_of=dt.date(9999, 12, 31))
    months = [r.period for r in report.rows if r.commitment == "monthly"]
    # December 9999 never ends (its next day is past what a date holds): it is never due.
    assert months == ["9999-09", "9999-10", "9999-11"]
    assert all(r.end < dt.date(9999, 12, 31) for r in report.rows)
    assert check_health(store, as_of=dt.date(9999, 12, 31), cohort_id="c").statuses() == {
        "m": "at_risk"
    }


def test_a_plan_and_calendar_running_into_year_9999_export():
    store = store_ending_in_9999()
    plan = plan_sessions(store.get(Program, "p"), store.get(Cohort, "c"), tz=CHICAGO)
    assert plan.sessions()
    data = to_ical(plan, stamp=STAMP)
    assert not icalendar.Calendar.from_ical(data).get_missing_tzids()
    late = Cadence.weekly(dt.datetime(9999, 11, 1, 16, tzinfo=CHICAGO), 60)
    icalendar.Calendar.from_ical(
        to_ical([CalendarSeries(uid="late", summary="Late", cadence=late)], stamp=STAMP)
    )
