"""A cohort's plan as a calendar: entries, to_ical(plan), and ``mentorkit calendar``."""

import datetime as dt
import os
from zoneinfo import ZoneInfo

import attrs
import icalendar
import pytest
from dateutil import rrule as rr
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorkit as mk
from mentorkit import Cohort, Program, ValidationError
from mentorkit.cli import main
from mentorkit.model import Commitment, Event
from mentorkit.scheduling import (
    NEXTGEN_COMMITMENTS,
    NEXTGEN_MILESTONES,
    OEIB_COMMITMENTS,
    CalendarEvent,
    CalendarSeries,
    calendar_entries,
    plan_sessions,
    to_ical,
)

CHICAGO = ZoneInfo("America/Chicago")
PROGRAM = Program(
    id="ng", name="NextGen", commitments=NEXTGEN_COMMITMENTS, milestones=NEXTGEN_MILESTONES
)
COHORT = Cohort(
    id="ng-2025", program_id="ng", name="2025", start=dt.date(2025, 6, 2), end=dt.date(2025, 12, 31)
)
OEIB = Program(id="oeib", name="OEIB", commitments=OEIB_COMMITMENTS)
SCHOOLS = Cohort(
    id="oeib-25",
    program_id="oeib",
    name="2025-26",
    start=dt.date(2025, 9, 1),
    end=dt.date(2026, 6, 15),
)


def read(data):
    calendar = icalendar.Calendar.from_ical(data)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


@pytest.mark.parametrize(("program", "cohort"), [(PROGRAM, COHORT), (OEIB, SCHOOLS)])
def test_the_exported_plan_holds_every_planned_session_and_milestone(program, cohort):
    plan = plan_sessions(program, cohort, tz=CHICAGO, exclusions=[dt.date(2025, 11, 2)])
    events = read(to_ical(plan, stamp=dt.datetime(2025, 5, 1, tzinfo=dt.UTC)))
    expanded = []
    for entry in calendar_entries(plan):
        event = events.pop(entry.uid)
        if isinstance(entry, CalendarSeries):
            found = rr.rrulestr(
                event["rrule"].to_ical().decode(), dtstart=event.decoded("dtstart"), forceset=True
            )
            for prop in (
                event.get("exdate", [])
                if isinstance(event.get("exdate"), list)
                else [event["exdate"]]
                if "exdate" in event
                else []
            ):
                for when in prop.dts:
                    found.exdate(when.dt)
            minutes = event.decoded("duration") // dt.timedelta(minutes=1)
            expanded += [(entry.summary.lower(), o, minutes) for o in found]
        else:
            assert isinstance(entry, CalendarEvent)
            assert event.decoded("dtstart") == entry.start
    assert events == {}
    assert sorted(expanded) == sorted(
        (s.commitment.lower(), s.start, s.minutes) for s in plan.sessions()
    )
    assert {m.name for m in program.milestones} <= {
        e.summary for e in calendar_entries(plan) if isinstance(e, CalendarEvent)
    }


def test_uids_are_stable_and_a_stored_event_replaces_the_planned_one():
    plan = plan_sessions(PROGRAM, COHORT, tz=CHICAGO)
    first = calendar_entries(plan)
    again = calendar_entries(plan_sessions(PROGRAM, COHORT, tz=CHICAGO, at=dt.time(9)))
    assert [e.uid for e in first] == [e.uid for e in again]
    moved = plan.events[0]
    stored = Event(
        id=moved.id,
        cohort_id=COHORT.id,
        kind=moved.kind,
        name="Applications open!",
        date=dt.date(2025, 2, 20),
    )
    extra = Event(
        id="ng-2025:gala", cohort_id=COHORT.id, kind="other", name="Gala", date=dt.date(2025, 9, 9)
    )
    entries = calendar_entries(plan, events=[stored, extra])
    by_uid = {e.uid: e for e in entries}
    assert by_uid[f"mentorkit:{moved.id}"].summary == "Applications open!"
    assert by_uid[f"mentorkit:{moved.id}"].start == dt.date(2025, 2, 20)
    assert "mentorkit:ng-2025:gala" in by_uid
    assert len(entries) == len(first) + 1
    assert "mentorkit:ng-2025:gala" in read(to_ical([*first, extra]))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"plan": COHORT}, "plan"),
        ({"events": "ng-2025:gala"}, "events"),
        ({"events": [COHORT]}, "events[0]"),
    ],
)
def test_bad_calendar_entries_arguments_name_the_field(kwargs, field):
    kwargs = {"plan": plan_sessions(PROGRAM, COHORT), **kwargs}
    with pytest.raises(ValidationError) as info:
        calendar_entries(kwargs.pop("plan"), **kwargs)
    assert info.value.field == field


def fill(url):
    with mk.open_store(url) as store:
        store.put_many([PROGRAM, COHORT])


def test_the_calendar_command_writes_an_ics_file_of_the_plan(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    fill("sqlite:///m.db")
    code = main(
        [
            "calendar",
            "--cohort",
            "ng-2025",
            "--store",
            "sqlite:///m.db",
            "-o",
            "plan.ics",
            "--tz",
            "America/Chicago",
            "--at",
            "15:30",
            "--exclude",
            "2025-08-01..2025-08-05",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "Wrote plan.ics" in out
    # The span is the first and the last meeting, not the cohort's dates.
    planned = plan_sessions(PROGRAM, COHORT, at=dt.time(15, 30), tz=CHICAGO,
                            exclusions=[dt.date(2025, 8, d) for d in range(1, 6)]).sessions()
    first, last = planned[0].start.date(), planned[-1].start.date()
    assert last < COHORT.end
    assert f"meetings from {first} to {last}, America/Chicago time" in out
    data = (tmp_path / "plan.ics").read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n")  # CRLF line ends, as RFC 5545 wants
    events = read(data)
    series = events["mentorkit:ng-2025:three-hours-a-month"]
    assert series.decoded("dtstart") == dt.datetime(2025, 6, 2, 15, 30, tzinfo=CHICAGO)
    assert [d.dt for d in series["exdate"].dts] == [dt.datetime(2025, 8, 2, 15, 30, tzinfo=CHICAGO)]
    assert str(icalendar.Calendar.from_ical(data)["x-wr-calname"]) == "NextGen: 2025"


def test_the_calendar_command_names_its_default_file_after_the_cohort(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fill("sqlite:///mentorkit.db")
    assert main(["calendar", "--cohort", "ng-2025"]) == 0
    assert (tmp_path / "ng-2025.ics").is_file()


def test_the_calendar_command_warns_when_no_time_zone_is_given(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    fill("sqlite:///mentorkit.db")
    assert main(["calendar", "--cohort", "ng-2025"]) == 0
    assert "warning: no --tz given: meetings at 16:00 UTC" in capsys.readouterr().err
    assert main(["calendar", "--cohort", "ng-2025", "--tz", "America/Chicago"]) == 0
    assert "warning" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--cohort", "nope"], "no cohort 'nope' in "),
        (["--cohort", "ng-2025", "--tz", "Mars/Olympus"], "--tz: must be a time zone"),
        (["--cohort", "ng-2025", "--at", "4pm"], "--at: must be a time"),
        (["--cohort", "ng-2025", "--at", "16:00+02:00"], "--at: must be a time"),
        (["--cohort", "ng-2025", "--exclude", "2025-13-01"],
         "--exclude: must be a valid date YYYY-MM-DD (month must"),
        (["--cohort", "ng-2025", "--exclude", "2025-09-09..2025-09-01"], "--exclude: must not"),
    ],
)
def test_the_calendar_command_reports_bad_input_in_one_line_and_writes_nothing(
    argv, says, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    fill("sqlite:///m.db")
    assert main(["calendar", "--store", "sqlite:///m.db", "-o", "out.ics", *argv]) == 1
    err = capsys.readouterr().err
    assert says in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out.ics").exists()


def test_the_calendar_command_refuses_a_missing_store(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["calendar", "--cohort", "x", "--store", "sqlite:///none.db"]) == 1
    assert "no store at" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("command", ["calendar", "export"])
def test_the_calendar_and_export_files_are_owner_only(command, tmp_path, monkeypatch):
    # A calendar holds names (stored milestones, the program's), an export whole records: a
    # new file is owner-only whatever the umask; a file that exists keeps the mode its owner
    # gave it (the one file-writing rule, mentorkit._files).
    monkeypatch.chdir(tmp_path)
    fill("sqlite:///m.db")
    out = tmp_path / "out.file"
    kept = tmp_path / "kept.file"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    old = os.umask(0o000)
    try:
        args = ["--cohort", "ng-2025"] if command == "calendar" else []
        assert main([command, *args, "--store", "sqlite:///m.db", "-o", str(out)]) == 0
        assert main([command, *args, "--store", "sqlite:///m.db", "-o", str(kept)]) == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o600
    assert kept.read_bytes() != b"old"
    assert kept.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.file", "m.db", "out.file"]


def test_commitments_whose_names_read_the_same_get_distinct_stable_uids():
    alike = Program(id="ng", name="NextGen", commitments=[
        Commitment(name="Joint meeting", per="month", times=1),
        Commitment(name="joint meeting", per="month", times=1, together=False),
        Commitment(name="joint-meeting!", per="quarter", times=1),
    ])  # fmt: skip
    uids = [e.uid for e in calendar_entries(plan_sessions(alike, COHORT))]
    assert uids == [
        "mentorkit:ng-2025:joint-meeting",
        "mentorkit:ng-2025:joint-meeting-2",
        "mentorkit:ng-2025:joint-meeting-3",
    ]
    assert set(read(to_ical(plan_sessions(alike, COHORT), stamp=dt.datetime.now(dt.UTC)))) == set(
        uids
    )


@settings(max_examples=40, deadline=None)
@given(
    start=st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)),
    weekday=st.sampled_from(["MO", "TU", "WE", "TH", "FR"]),
    nth=st.sampled_from([1, 2, 3, 4, -1]),
)
def test_a_plan_on_a_weekday_meets_only_on_that_weekday(start, weekday, nth):
    cohort = attrs.evolve(COHORT, start=start, end=start + dt.timedelta(days=200))
    sessions = plan_sessions(PROGRAM, cohort, tz=CHICAGO, weekday=weekday, nth=nth).sessions()
    assert sessions
    days = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    for s in sessions:
        assert days[s.start.weekday()] == weekday
        day = s.start.day
        assert (day + 7 > 31 or (s.start + dt.timedelta(days=7)).month != s.start.month
                if nth == -1 else (nth - 1) * 7 < day <= nth * 7)  # fmt: skip


def test_the_calendar_command_takes_a_weekday(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fill("sqlite:///m.db")
    argv = ["calendar", "--cohort", "ng-2025", "--store", "sqlite:///m.db", "-o", "p.ics",
            "--tz", "America/Chicago", "--weekday", "tu", "--nth", "1"]  # fmt: skip
    assert main(argv) == 0
    series = read((tmp_path / "p.ics").read_bytes())["mentorkit:ng-2025:three-hours-a-month"]
    assert series["rrule"]["BYDAY"] in (["1TU"], ["+1TU"])
    assert all(d.dt.weekday() == 1 for d in [series["dtstart"]])
    with pytest.raises(ValidationError) as info:
        plan_sessions(PROGRAM, COHORT, weekday="XX")
    assert info.value.field == "weekday"


@pytest.mark.parametrize("hours", [-6, 2, 9])
def test_a_fixed_utc_offset_is_refused_for_a_plan(hours):
    with pytest.raises(ValidationError) as info:
        plan_sessions(PROGRAM, COHORT, tz=dt.timezone(dt.timedelta(hours=hours)))
    assert info.value.field == "tz"
    assert "daylight saving" in str(info.value)
    assert plan_sessions(PROGRAM, COHORT, tz=dt.UTC).items  # UTC itself is fine
