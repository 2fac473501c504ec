"""Plans, milestone events with attendance, applications and who gets matched."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit import NotFoundError, ValidationError
from mentorkit.cli import main
from mentorkit.matching import cohort_profiles
from mentorkit.model import (
    Attendance,
    Cohort,
    Commitment,
    Enrollment,
    EnrollmentStatus,
    Event,
    MilestoneKind,
    Person,
    Program,
)
from mentorkit.scheduling import (
    NEXTGEN_COMMITMENTS,
    NEXTGEN_MILESTONES,
    OEIB_COMMITMENTS,
    OEIB_MILESTONES,
    adherence,
    milestone_events,
    plan_sessions,
)
from mentorkit.storage import MemoryStore, SQLiteStore

CHICAGO = ZoneInfo("America/Chicago")
NEXTGEN = Program(id="ng", name="NextGen", commitments=NEXTGEN_COMMITMENTS,
                  milestones=NEXTGEN_MILESTONES)  # fmt: skip
COHORT = Cohort(id="ng-25", program_id="ng", name="2025", start=dt.date(2025, 6, 1),
                end=dt.date(2025, 12, 31))  # fmt: skip


def test_nextgen_plans_three_hours_a_month_for_seven_months_at_local_time():
    plan = plan_sessions(NEXTGEN, COHORT, at=dt.time(15, 30), tz=CHICAGO)
    sessions = plan.sessions()
    assert [s.start.month for s in sessions] == [6, 7, 8, 9, 10, 11, 12]
    assert {s.minutes for s in sessions} == {180}
    assert {(s.start.hour, s.start.minute) for s in sessions} == {(15, 30)}
    assert sessions[4].start.utcoffset() != sessions[6].start.utcoffset()  # CDT, then CST


def test_nextgen_milestones_take_the_cohorts_dates():
    events = {e.kind: e for e in milestone_events(NEXTGEN, COHORT)}
    assert events[MilestoneKind.APPLICATION_DEADLINE].date == dt.date(2025, 3, 25)
    assert events[MilestoneKind.SELECTION_NOTICE].date.month == 4
    assert events[MilestoneKind.CLOSING_CELEBRATION].date.month == 1
    assert events[MilestoneKind.APPLICATION_DEADLINE].start is None  # a deadline, no meeting
    assert events[MilestoneKind.ORIENTATION].start.tzinfo is not None


@given(st.integers(1, 8), st.sampled_from(["week", "month", "quarter", "year"]))
def test_a_plan_holds_at_least_the_promised_meetings_in_each_full_period(times, per):
    k = Commitment(name="k", per=per, times=times, minutes=60 * times)
    program = Program(id="p", name="P", commitments=[k])
    cohort = Cohort(id="c", program_id="p", name="c", start=dt.date(2025, 1, 1),
                    end=dt.date(2026, 12, 31))  # fmt: skip
    plan = plan_sessions(program, cohort, tz=CHICAGO)
    starts = [s.start.date() for s in plan.sessions()]
    assert starts
    assert all(cohort.start <= d <= cohort.end for d in starts)
    # At least the promised count in each whole month/quarter/year of the plan.
    if per != "week":
        months = {"month": 1, "quarter": 3, "year": 12}[per]
        for first in range(0, 24, months):
            year, month = 2025 + first // 12, first % 12 + 1
            held = [d for d in starts if 0 <= (d.year - year) * 12 + d.month - month < months]
            assert len(held) >= times


def test_plan_sessions_refuses_bad_arguments_naming_them():
    other = Cohort(id="x", program_id="other", name="x", start=COHORT.start, end=COHORT.end)
    for kwargs, field in [
        ({"cohort": other}, "cohort"),
        ({"at": dt.time(9, tzinfo=dt.UTC)}, "at"),
        ({"tz": "Chicago"}, "tz"),
    ]:
        args = {"program": NEXTGEN, "cohort": COHORT, **kwargs}
        with pytest.raises(ValidationError) as info:
            plan_sessions(args.pop("program"), args.pop("cohort"), **args)
        assert info.value.field == field


def test_oeib_plan_has_a_monthly_joint_meeting_and_a_quarterly_walkthrough():
    program = Program(id="oeib", name="OEIB", commitments=OEIB_COMMITMENTS)
    cohort = Cohort(id="c", program_id="oeib", name="c", start=dt.date(2025, 8, 4),
                    end=dt.date(2026, 6, 12))  # fmt: skip
    plan = plan_sessions(program, cohort, tz=CHICAGO)
    by = {i.commitment.name: i.cadence for i in plan.items}
    assert by["joint meeting"].rrule.startswith("FREQ=MONTHLY;")
    assert "INTERVAL=3" in by["site walkthrough"].rrule
    # August to May: June is not owed, the cohort ends before its middle (as adherence says).
    assert [d.month for d in by["joint meeting"].occurrences()] == [8, 9, 10, 11, 12, 1, 2, 3, 4, 5]


def test_events_and_attendance_are_stored_and_found_by_cohort_and_person(tmp_path):
    store = SQLiteStore(tmp_path / "e.db")
    events = store.put_many(milestone_events(NEXTGEN, COHORT))
    training = next(e for e in events if e.kind is MilestoneKind.MENTOR_TRAINING)
    store.put_many([
        Attendance(id="a1", event_id=training.id, person_id="p-1", cohort_id="ng-25"),
        Attendance(id="a2", event_id=training.id, person_id="p-2", cohort_id="ng-25",
                   attended=False),
    ])  # fmt: skip
    assert len(store.find(Event, cohort_id="ng-25")) == len(NEXTGEN_MILESTONES)
    assert store.find(Event, cohort_id="ng-25", kind=MilestoneKind.ORIENTATION)[0].minutes == 120
    assert [a.attended for a in store.find(Attendance, person_id="p-2")] == [False]
    assert len(store.find(Attendance, event_id=training.id)) == 2
    store.close()


def test_old_documents_without_the_new_fields_still_read():
    from mentorkit import from_dict

    old_program = {"$type": "program", "$schema": 1, "id": "p", "version": 1, "name": "P",
                   "description": "", "framework_id": None, "cycle_id": None}  # fmt: skip
    assert from_dict(old_program).commitments == ()
    old_session = {"$type": "session", "$schema": 1, "id": "s", "version": 1,
                   "mentorship_id": "m", "start": "2024-01-01T10:00:00+00:00", "minutes": 30,
                   "activity": "other", "status": "held", "participants": [],
                   "notes": ""}  # fmt: skip
    session = from_dict(old_session)
    assert (session.engagement_id, session.activities, session.on_call) == (None, (), False)


# --- applications: only selected or active people are matched by default ---------------


def _applicants():
    people = [Person(id=f"p-{n}", name=f"Person {n}") for n in range(6)]
    statuses = ["applied", "selected", "not_selected", "active", "withdrawn", "completed"]
    enrollments = [
        Enrollment(id=f"e-{n}", person_id=f"p-{n}", cohort_id="c", role="mentee", status=s,
                   applied=dt.date(2025, 3, 1), focus_competencies=("x",))
        for n, s in enumerate(statuses)
    ] + [Enrollment(id="e-m", person_id="p-5", cohort_id="c", role="mentor", status="active",
                    agreement_signed=dt.date(2025, 5, 1))]  # fmt: skip
    return people, enrollments


def test_cohort_profiles_match_selected_or_active_people_unless_asked():
    people, enrollments = _applicants()
    mentees, mentors = cohort_profiles("c", people=people, enrollments=enrollments)
    assert [m.person_id for m in mentees] == ["p-1", "p-3"]
    assert [m.person_id for m in mentors] == ["p-5"]
    everyone, _ = cohort_profiles("c", people=people, enrollments=enrollments, statuses=None)
    assert [m.person_id for m in everyone] == ["p-0", "p-1", "p-3", "p-5"]
    applied, _ = cohort_profiles("c", people=people, enrollments=enrollments,
                                 statuses=[EnrollmentStatus.APPLIED])  # fmt: skip
    assert [m.person_id for m in applied] == ["p-0"]
    with pytest.raises(ValidationError) as info:
        cohort_profiles("c", people=people, enrollments=enrollments, statuses=["maybe"])
    assert info.value.field == "statuses"


def test_mentorkit_match_takes_status_flags(tmp_path, capsys):
    people, enrollments = _applicants()
    url = f"sqlite:///{tmp_path / 'm.db'}"
    store = SQLiteStore(tmp_path / "m.db")
    store.put(Program(id="p", name="P"))
    store.put(Cohort(id="c", program_id="p", name="c", start=dt.date(2025, 6, 1),
                     end=dt.date(2025, 12, 31)))  # fmt: skip
    store.put_many([*people, *enrollments])
    store.close()
    assert main(["match", "--store", url, "--cohort", "c", "--brief"]) == 0
    out = capsys.readouterr().out
    assert "(p-1)" in out
    assert "(p-0)" not in out
    assert main(["match", "--store", url, "--cohort", "c", "--brief", "--status", "applied"]) == 0
    assert "(p-0)" in capsys.readouterr().out
    assert main(["match", "--store", url, "--cohort", "c", "--status", "maybe"]) == 1
    assert "--status" in capsys.readouterr().err


def test_mentorkit_adherence_prints_the_report_and_fails_in_one_line(tmp_path, capsys):
    from mentorkit import synthetic

    store = SQLiteStore(tmp_path / "d.db")
    store.put_many(list(synthetic.district(seed=7).entities()))
    store.close()
    url = f"sqlite:///{tmp_path / 'd.db'}"
    args = ["adherence", "--cohort", "coh-coaching-2023", "--as-of", "2024-03-01"]
    assert main([*args, "--store", url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Adherence as of 2024-03-01")
    assert "coh-coaching-2023:" in out
    assert main([*args, "--store", url, "--csv", str(tmp_path / "a.csv")]) == 0
    assert "Wrote " in capsys.readouterr().out
    import csv

    with open(tmp_path / "a.csv", newline="") as f:
        table = list(csv.DictReader(f))
    with SQLiteStore(tmp_path / "d.db") as store:
        rows = adherence(store, cohort_id="coh-coaching-2023", as_of=dt.date(2024, 3, 1)).rows
    assert len(table) == len(rows) > 0
    assert [(t["who"], t["period"], t["status"]) for t in table] == [
        (r.who, r.period, r.status.value) for r in rows]  # fmt: skip
    for bad, says in (
        (["--cohort", "nope"], "no cohort 'nope' in "),
        (["--cohort", "coh-coaching-2023", "--as-of", "tomorrow"], "must be a valid date"),
        (["--cohort", "coh-coaching-2023", "--as-of", "2026-13-01"], "month must be in 1..12"),
    ):
        assert main(["adherence", *bad, "--store", url]) == 1
        err = capsys.readouterr().err
        assert err.startswith("mentorkit adherence: error:")
        assert says in err
        assert err.count("\n") == 1


def test_an_unknown_cohort_is_one_not_found_error_everywhere(tmp_path):
    from mentorkit.scheduling import check_health

    store = MemoryStore()
    day = dt.date(2025, 1, 1)
    for call in (lambda: adherence(store, cohort_id="lf-2025"),
                 lambda: check_health(store, cohort_id="lf-2025", as_of=day)):  # fmt: skip
        with pytest.raises(NotFoundError) as info:
            call()
        assert str(info.value) == "no cohort 'lf-2025' in this store"


def test_adherence_without_a_cohort_reports_on_every_cohort():
    from mentorkit import synthetic

    store = MemoryStore()
    store.put_many(list(synthetic.district(seed=7, staff=120, years=1).entities()))
    day = dt.date(2024, 3, 1)
    assert adherence(store, as_of=day).rows == adherence(store, cohort_id=None, as_of=day).rows


@pytest.mark.parametrize("days", [3_000_000, -(10**6), 999_999_999])
def test_a_milestone_dated_outside_the_calendar_names_its_days(days):
    from mentorkit.model import Milestone

    program = Program(id="ng", name="NextGen", milestones=[
        NEXTGEN_MILESTONES[0], Milestone(name="Far", kind="closing_celebration", days=days),
    ])  # fmt: skip
    for call in (milestone_events, plan_sessions):
        with pytest.raises(ValidationError) as info:
            call(program, COHORT)
        assert info.value.field == "milestones[1].days"


@settings(max_examples=30)
@given(st.permutations(NEXTGEN_MILESTONES + OEIB_MILESTONES[:1]))
def test_milestone_event_ids_follow_the_milestone_not_its_position(milestones):
    # Distinct milestones (kind and name): the ids do not depend on the order.
    cohort = Cohort(id="c-1", program_id="p", name="C", start=dt.date(2025, 6, 1),
                    end=dt.date(2025, 12, 31))  # fmt: skip
    listed = Program(id="p", name="P", milestones=NEXTGEN_MILESTONES + OEIB_MILESTONES[:1])
    shuffled = Program(id="p", name="P", milestones=tuple(milestones))
    by_id = {e.id: e for e in milestone_events(listed, cohort)}
    again = {e.id: e for e in milestone_events(shuffled, cohort)}
    assert len(by_id) == len(milestones)
    assert by_id == again
    # Two of the same kind and name still get two ids (numbered in the program's order).
    twice = Program(id="p", name="P", milestones=NEXTGEN_MILESTONES + OEIB_MILESTONES)
    ids = [e.id for e in milestone_events(twice, cohort)]
    assert len(set(ids)) == len(ids)
    assert "c-1:closing_celebration:closing-celebration-2" in ids
