"""The calendar covers every period adherence counts (plan_sessions(pairs=...)), and no more."""

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit import ValidationError
from mentorkit.model import Cohort, Commitment, Engagement, Mentorship, Period, Program
from mentorkit.scheduling import NEXTGEN_COMMITMENTS, adherence, plan_sessions
from mentorkit.storage import MemoryStore
from mentorkit.testing import strategies

CHICAGO = ZoneInfo("America/Chicago")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
NEXTGEN = Program(id="ng", name="NextGen", commitments=NEXTGEN_COMMITMENTS)
# A cohort open for a year; the program promises seven months from each pair's start.
YEAR = Cohort(id="ng-y", program_id="ng", name="2025-26", start=dt.date(2025, 8, 1),
              end=dt.date(2026, 7, 31))  # fmt: skip


def _pair(id_: str, start: dt.date, end: dt.date | None = None, cohort: str = "ng-y"):
    return Mentorship(id=id_, mentor_id=f"{id_}-mentor", mentee_id=f"{id_}-mentee", start=start,
                      end=end, cohort_id=cohort)  # fmt: skip


def _months(plan):
    return [(s.start.year, s.start.month) for s in plan.sessions()]


def test_the_plan_runs_until_the_latest_pair_has_had_its_seven_months():
    pairs = [_pair("m-1", dt.date(2025, 8, 1)), _pair("m-2", dt.date(2025, 11, 3))]
    own = plan_sessions(NEXTGEN, YEAR, tz=CHICAGO)
    covered = plan_sessions(NEXTGEN, YEAR, tz=CHICAGO, pairs=pairs)
    assert _months(own)[-1] == (2026, 2)  # August plus six
    assert _months(covered)[0] == (2025, 8)  # still from the cohort's start
    assert _months(covered)[-1] == (2026, 5)  # November plus six
    assert len(covered.sessions()) == 10
    # A pair that ended early owes no more than its own months.
    early = [_pair("m-3", dt.date(2025, 11, 3), end=dt.date(2026, 1, 31))]
    assert _months(plan_sessions(NEXTGEN, YEAR, pairs=early)) == _months(own)
    # Nobody matched yet, or everyone from the start: the program's own seven months.
    assert _months(plan_sessions(NEXTGEN, YEAR, pairs=[])) == _months(own)
    assert _months(plan_sessions(NEXTGEN, YEAR, pairs=pairs[:1])) == _months(own)


def test_a_team_that_began_later_extends_the_plan_like_a_pair():
    from mentorkit.model import TeamMember

    team = Engagement(id="e-1", coach_id="c", cohort_id="ng-y", start=dt.date(2026, 1, 5),
                      members=(TeamMember(person_id="p", role="principal"),))  # fmt: skip
    assert _months(plan_sessions(NEXTGEN, YEAR, pairs=[team]))[-1] == (2026, 7)


def test_each_commitment_keeps_its_own_number_of_periods():
    short = Commitment(name="kick-off calls", per=Period.WEEK, times=1, periods=2)
    program = attrs.evolve(NEXTGEN, commitments=(*NEXTGEN_COMMITMENTS, short))
    plan = plan_sessions(program, YEAR, pairs=[_pair("m-2", dt.date(2025, 11, 3))])
    calls = [s.start.date() for s in plan.sessions() if s.commitment == "kick-off calls"]
    # One weekly series (Fridays, as the cohort began on one) from the cohort's start until
    # the late pair's second week ends: not until May, as the monthly meetings run.
    assert calls[0] == dt.date(2025, 8, 1)
    assert calls[-1] == dt.date(2025, 11, 14)
    assert max(s.start.date() for s in plan.sessions()).month == 5


@pytest.mark.parametrize(
    ("pairs", "field"),
    [
        (None, "pairs"),
        (7, "pairs"),
        ("m-1", "pairs"),
        ([_pair("m-1", dt.date(2025, 9, 1)), "m-2"], "pairs[1]"),
        ([NEXTGEN], "pairs[0]"),
        ([_pair("m-1", dt.date(2025, 9, 1), cohort="other")], "pairs[0]"),
        ([attrs.evolve(_pair("m-1", dt.date(2025, 9, 1)), cohort_id=None)], "pairs[0]"),
    ],
)
def test_pairs_that_are_not_the_cohorts_are_refused_naming_them(pairs, field):
    with pytest.raises(ValidationError) as info:
        plan_sessions(NEXTGEN, YEAR, pairs=pairs)
    assert info.value.field == field


def test_a_mentee_is_not_echoed_when_a_pair_is_refused():
    pair = _pair("m-1", dt.date(2025, 9, 1), cohort="other")
    with pytest.raises(ValidationError) as info:
        plan_sessions(NEXTGEN, YEAR, pairs=[pair])
    assert "m-1-mentee" not in str(info.value)


def _commitment(per, times, periods):
    return Commitment(name="k", per=per, times=times, minutes=30 * times, periods=periods)


@settings(max_examples=150, deadline=None)
@given(
    per=st.sampled_from(Period),
    times=st.integers(1, 4),
    periods=st.none() | st.integers(1, 12),
    start=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    length=st.integers(1, 900),
    pairs=st.lists(
        st.tuples(strategies.mentorships(), st.integers(-90, 900), st.none() | st.integers(0, 900)),
        max_size=4,
    ),
    teams=st.lists(
        st.tuples(strategies.engagements(), st.integers(-90, 900), st.none() | st.integers(0, 900)),
        max_size=2,
    ),
    weekday=st.none() | st.tuples(st.sampled_from(DAYS), st.sampled_from([1, 2, 3, 4, -1])),
)
def test_the_calendar_holds_a_meeting_in_every_period_adherence_counts(
    per, times, periods, start, length, pairs, teams, weekday
):
    day, nth = weekday or (None, 1)
    # On a weekday: one meeting a period (several a week need the day of the month).
    commitment = _commitment(per, 1 if day else times, periods)
    program = Program(id="p", name="P", commitments=(commitment,))
    cohort = Cohort(id="c", program_id="p", name="c", start=start,
                    end=start + dt.timedelta(days=length))  # fmt: skip
    store = MemoryStore()
    store.put_many([program, cohort])
    units = []
    for n, (m, offset, span) in enumerate(pairs):
        first = start + dt.timedelta(days=offset)
        end = None if span is None else first + dt.timedelta(days=span)
        units.append(attrs.evolve(m, id=f"m-{n}", cohort_id="c", start=first, end=end))
    for n, (e, offset, span) in enumerate(teams):
        first = start + dt.timedelta(days=offset)
        end = None if span is None else first + dt.timedelta(days=span)
        units.append(attrs.evolve(e, id=f"e-{n}", cohort_id="c", start=first, end=end))
    store.put_many(units)
    plan = plan_sessions(program, cohort, tz=CHICAGO, pairs=units, weekday=day, nth=nth)
    days = sorted(s.start.date() for s in plan.sessions())
    # Never before the cohort's start.
    assert all(d >= cohort.start for d in days)
    # No session held: every period adherence counts is owed (short), none only credited.
    report = adherence(store, cohort_id="c", as_of=cohort.end + dt.timedelta(days=800),
                       action_items=False)  # fmt: skip
    counted = {(r.start, r.end) for r in report.rows}
    for first, last in counted:
        if day and first <= cohort.start:
            # Known and documented: the period the cohort starts in has no meeting when its
            # nth weekday falls before the start (the 1st Monday, for a Tuesday start).
            continue
        assert any(first <= d <= last for d in days), (first, last, days[-3:])
    # And no longer than it needs: past the cohort's own run only into periods someone owes.
    own = [s.start.date() for s in plan_sessions(program, cohort, tz=CHICAGO, weekday=day,
                                                 nth=nth).sessions()]  # fmt: skip
    beyond = [d for d in days if not own or d > own[-1]]
    if beyond:
        assert counted
        assert beyond[-1] <= max(last for _, last in counted)


def test_the_calendar_command_covers_the_pairs_that_began_later_and_says_so(
    tmp_path, monkeypatch, capsys
):
    icalendar = pytest.importorskip("icalendar")
    import mentorkit as mk
    from mentorkit.cli import main

    monkeypatch.chdir(tmp_path)
    other = attrs.evolve(YEAR, id="ng-z")
    with mk.open_store("sqlite:///m.db") as store:
        store.put_many([NEXTGEN, YEAR, other, _pair("m-1", dt.date(2025, 8, 1)),
                        _pair("m-9", dt.date(2026, 2, 2), cohort="ng-z")])  # fmt: skip
    argv = ["calendar", "--store", "sqlite:///m.db", "--tz", "UTC", "-o", "plan.ics"]
    # Everyone from the start (the other cohort's late pair is not this one's).
    assert main([*argv, "--cohort", "ng-y"]) == 0
    out = capsys.readouterr().out
    assert "7 meetings from 2025-08-01 to 2026-02-01, UTC time)" in out
    assert "extended" not in out
    with mk.open_store("sqlite:///m.db") as store:
        store.put(_pair("m-2", dt.date(2025, 11, 3)))
    assert main([*argv, "--cohort", "ng-y"]) == 0
    out = capsys.readouterr().out
    assert "10 meetings from 2025-08-01 to 2026-05-01, UTC time; extended past 2026-02-01," in out
    calendar = icalendar.Calendar.from_ical((tmp_path / "plan.ics").read_bytes())
    (series,) = [e for e in calendar.walk("VEVENT") if "rrule" in e]
    (until,) = series["rrule"]["UNTIL"]
    assert (until.year, until.month) == (2026, 5)
    # The other cohort's late pair extends its own calendar, to the cohort's last month
    # (it owes the months it has in the cohort, February to July).
    assert main([*argv, "--cohort", "ng-z"]) == 0
    assert "12 meetings from 2025-08-01 to 2026-07-01, UTC time; extended" in (
        capsys.readouterr().out
    )
