"""Cadence: RRULE parsing and printing, local times across DST, between and exclusions."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from dateutil import rrule as rr
from hypothesis import given
from hypothesis import strategies as st

from mentorkit import ValidationError
from mentorkit.scheduling import Cadence
from mentorkit.testing import strategies

CHICAGO = ZoneInfo("America/Chicago")
SYDNEY = ZoneInfo("Australia/Sydney")


@given(strategies.cadences())
def test_rrule_text_round_trips_parse_print_parse(cadence):
    again = Cadence.from_rrule(
        cadence.rrule, cadence.dtstart, cadence.minutes, exclusions=cadence.exclusions
    )
    assert again.rrule == cadence.rrule
    assert again == cadence
    assert again.occurrences() == cadence.occurrences()


@given(strategies.cadences())
def test_occurrences_keep_the_local_wall_clock_time_of_dtstart(cadence):
    start = cadence.dtstart
    for when in cadence.occurrences():
        assert when.tzinfo is start.tzinfo
        assert (when.hour, when.minute) == (start.hour, start.minute)
        # The offset is the zone's own on that day (DST applied), not dtstart's: the instant
        # converted through UTC comes back to the same wall-clock time.
        back = when.astimezone(dt.UTC).astimezone(start.tzinfo)
        assert back.replace(tzinfo=None) == when.replace(tzinfo=None)


@given(strategies.cadences())
def test_occurrences_agree_with_dateutil_minus_the_exclusions(cadence):
    reference = list(rr.rrulestr(cadence.rrule, dtstart=cadence.dtstart))
    expected = [o for o in reference if o.date() not in set(cadence.exclusions)]
    assert cadence.occurrences() == expected
    assert all(o.date() not in cadence.exclusions for o in cadence.occurrences())


@given(strategies.cadences(bounded=False), st.integers(-60, 400), st.integers(0, 400))
def test_between_is_half_open_and_respects_exclusions(cadence, offset, length):
    a = cadence.dtstart + dt.timedelta(days=offset)
    b = a + dt.timedelta(days=length)
    inside = cadence.occurrences(between=(a, b))
    assert all(a <= o < b for o in inside)
    assert all(o.date() not in cadence.exclusions for o in inside)
    assert inside == sorted(inside)
    # Nothing in the window is missing: every rule occurrence there is either listed or excluded.
    window = [o for o in cadence.recurrence.between(a, b, inc=True) if o < b]
    assert [o for o in window if o.date() not in cadence.exclusions] == inside


def test_a_weekly_meeting_stays_at_four_pm_across_the_november_change():
    start = dt.datetime(2024, 10, 22, 16, 0, tzinfo=CHICAGO)
    days = Cadence.weekly(start, 60, count=3).occurrences()
    assert [d.strftime("%H:%M") for d in days] == ["16:00"] * 3
    assert [d.utcoffset() for d in days] == [dt.timedelta(hours=-5)] * 2 + [dt.timedelta(hours=-6)]
    assert [d.astimezone(dt.UTC).hour for d in days] == [21, 21, 22]


def test_southern_hemisphere_change_in_april_keeps_local_time():
    start = dt.datetime(2025, 3, 25, 9, 0, tzinfo=SYDNEY)
    days = Cadence.weekly(start, 45, count=3).occurrences()
    assert {d.hour for d in days} == {9}
    assert days[0].utcoffset() != days[-1].utcoffset()


def test_floating_until_means_the_end_of_that_local_day():
    start = dt.datetime(2025, 6, 30, 18, 0, tzinfo=CHICAGO)
    c = Cadence.from_rrule("FREQ=MONTHLY;UNTIL=20251230", start, 180)
    # 18:00 on the until day is kept: a floating date means the end of that day.
    assert c.occurrences()[-1] == dt.datetime(2025, 12, 30, 18, 0, tzinfo=CHICAGO)
    c31 = Cadence.from_rrule("FREQ=WEEKLY;UNTIL=20250714", start, 60)
    assert c31.occurrences() == [start, start + dt.timedelta(days=7), start + dt.timedelta(days=14)]
    assert c.rrule.endswith("Z")


def test_a_break_excludes_every_meeting_inside_it():
    start = dt.datetime(2024, 12, 2, 15, tzinfo=CHICAGO)
    c = Cadence.weekly(start, 30, count=6).excluding_period(
        dt.date(2024, 12, 21), dt.date(2025, 1, 5)
    )
    assert [o.date().isoformat() for o in c.occurrences()] == [
        "2024-12-02",
        "2024-12-09",
        "2024-12-16",
        "2025-01-06",
    ]


def test_convenience_constructors_print_the_rules_they_mean():
    start = dt.datetime(2025, 9, 1, 16, tzinfo=CHICAGO)
    assert Cadence.monthly(start, 60, count=3).rrule == "FREQ=MONTHLY;COUNT=3"
    assert Cadence.quarterly(start, 60, count=4).rrule == "FREQ=MONTHLY;INTERVAL=3;COUNT=4"
    assert (
        Cadence.by_weekday("th", start, 60, nth=-1, count=2).rrule
        == "FREQ=MONTHLY;COUNT=2;BYDAY=-1TH"
    )
    last_thursdays = Cadence.by_weekday("TH", start, 60, nth=-1, count=2).occurrences()
    assert [d.date() for d in last_thursdays] == [dt.date(2025, 9, 25), dt.date(2025, 10, 30)]
    assert (
        Cadence.by_weekday("WE", start, 60, per="week", count=2).rrule
        == "FREQ=WEEKLY;COUNT=2;BYDAY=WE"
    )


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SOMETIMES",
        "BYDAY=TU",
        "FREQ=WEEKLY;COUNT=x",
        "FREQ=WEEKLY;BYDAY=XX",
        "",
        "FREQ=WEEKLY;FOO=1",
        "DTSTART:20240101T000000\nRRULE:FREQ=DAILY",
        "FREQ=WEEKLY;UNTIL=2024",
        "FREQ=WEEKLY;COUNT=2;UNTIL=20250101T000000Z",
        42,
    ],
)
def test_a_malformed_rrule_is_a_validation_error_naming_rule(rule):
    with pytest.raises(ValidationError) as info:
        Cadence.from_rrule(rule, dt.datetime(2024, 1, 1, 9, tzinfo=CHICAGO), 60)
    assert info.value.field == "rule"


@pytest.mark.parametrize("start", [dt.datetime(2024, 1, 1, 9), dt.date(2024, 1, 1), "2024-01-01"])
def test_a_naive_or_missing_datetime_is_a_validation_error_naming_dtstart(start):
    with pytest.raises(ValidationError) as info:
        Cadence.from_rrule("FREQ=WEEKLY;COUNT=2", start, 60)
    assert info.value.field == "dtstart"
    with pytest.raises(ValidationError) as info:
        Cadence.weekly(start, 60, count=2)
    assert info.value.field == "dtstart"


def test_naive_between_and_unbounded_rules_without_between_are_rejected():
    c = Cadence.weekly(dt.datetime(2024, 1, 1, 9, tzinfo=CHICAGO), 60)
    with pytest.raises(ValidationError) as info:
        c.occurrences()
    assert info.value.field == "between"
    with pytest.raises(ValidationError) as info:
        c.occurrences(between=(dt.datetime(2024, 1, 1), dt.datetime(2024, 2, 1)))
    assert info.value.field == "between"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": 1.5}, "minutes"),
        ({"minutes": True}, "minutes"),
        ({"exclusions": [dt.datetime(2024, 1, 1, tzinfo=dt.UTC)]}, "exclusions[0]"),
        ({"exclusions": "2024-01-01"}, "exclusions"),
    ],
)
def test_bad_doses_and_exclusions_name_their_field(kwargs, field):
    args = {"minutes": 60, **kwargs}
    with pytest.raises(ValidationError) as info:
        Cadence.from_rrule("FREQ=WEEKLY;COUNT=2", dt.datetime(2024, 1, 1, tzinfo=dt.UTC), **args)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"weekday": "XX"}, "weekday"),
        ({"per": "year"}, "per"),
        ({"nth": 0}, "nth"),
        ({"nth": 2, "per": "week"}, "nth"),
        ({"count": 0}, "count"),
    ],
)
def test_bad_weekday_arguments_name_their_field(kwargs, field):
    args = {"weekday": "TU", **kwargs}
    weekday = args.pop("weekday")
    with pytest.raises(ValidationError) as info:
        Cadence.by_weekday(weekday, dt.datetime(2024, 1, 1, tzinfo=dt.UTC), 60, **args)
    assert info.value.field == field


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;INTERVAL=0",  # dateutil repeats dtstart forever: between() never returns
        "FREQ=DAILY;INTERVAL=0;COUNT=3",
        "FREQ=WEEKLY;INTERVAL=-2;COUNT=3",
        "FREQ=WEEKLY;INTERVAL=;COUNT=3",
        "FREQ=DAILY;COUNT=2;COUNT=5",  # RFC 5545: each rule part at most once
        "FREQ=DAILY;UNTIL=20250312;UNTIL=20250315",
    ],
)
def test_a_non_positive_interval_or_a_repeated_part_is_rejected_at_once(rule):
    with pytest.raises(ValidationError) as info:
        Cadence.from_rrule(rule, dt.datetime(2024, 1, 1, 9, tzinfo=CHICAGO), 60)
    assert info.value.field == "rule"


def test_a_floating_until_at_the_end_of_year_9999_is_kept_in_range():
    start = dt.datetime(9998, 1, 1, 9, tzinfo=CHICAGO)
    cadence = Cadence.from_rrule("FREQ=YEARLY;UNTIL=99991231", start, 60)
    assert cadence.rrule == "FREQ=YEARLY;UNTIL=99991231T235959Z"
    assert [o.year for o in cadence.occurrences()] == [9998, 9999]
    until = Cadence.monthly(dt.datetime(9999, 10, 1, 9, tzinfo=CHICAGO), 60, until=dt.date.max)
    assert [o.month for o in until.occurrences()] == [10, 11, 12]
