"""A cohort's plan: each commitment as a cadence with its own dates, milestones as events."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

import attrs

from mentorkit.errors import ValidationError
from mentorkit.model import (
    Cohort,
    Commitment,
    Engagement,
    Event,
    Mentorship,
    Period,
    Program,
)
from mentorkit.scheduling._adherence import counted_until
from mentorkit.scheduling._cadence import Cadence
from mentorkit.scheduling._periods import due_periods

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


@attrs.frozen(kw_only=True)
class PlannedSession:
    """One planned meeting: which commitment, when, for how long."""

    commitment: str
    start: dt.datetime
    minutes: int

    @property
    def end(self) -> dt.datetime:
        """``start`` plus ``minutes``."""
        return self.start + dt.timedelta(minutes=self.minutes)


@attrs.frozen(kw_only=True)
class PlannedCommitment:
    """A commitment of the program with the cadence that keeps it in this cohort."""

    commitment: Commitment
    cadence: Cadence


@attrs.frozen(kw_only=True)
class SessionPlan:
    """A cohort's plan: a cadence per commitment, and the cohort's milestone events.

    Every pair or team of the cohort follows the same plan; ``sessions()`` lists the
    meetings in time order, ``events`` the milestones (deadlines, orientation, training,
    celebration) with the cohort's own dates.
    """

    cohort_id: str
    program_id: str
    items: tuple[PlannedCommitment, ...]
    events: tuple[Event, ...]

    def sessions(
        self, between: tuple[dt.datetime, dt.datetime] | None = None
    ) -> list[PlannedSession]:
        """Every planned meeting (optionally only ``a <= start < b``), in time order."""
        out = [
            PlannedSession(
                commitment=item.commitment.name, start=when, minutes=item.cadence.minutes
            )
            for item in self.items
            for when in item.cadence.occurrences(between)
        ]
        return sorted(out, key=lambda s: (s.start, s.commitment))


def _spread_rule(per: Period, times: int, day: dt.date) -> str:
    """An RRULE that holds ``times`` meetings per period, spread evenly from ``day``."""
    if per is Period.WEEK:
        if times == 1:
            return "FREQ=WEEKLY"
        step = max(1, 7 // times)
        days = sorted({(day.weekday() + k * step) % 7 for k in range(min(times, 7))})
        return "FREQ=WEEKLY;BYDAY=" + ",".join(_DAYS[d] for d in days)
    months = {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}[per]
    first = min(day.day, 28)  # every month has a 28th
    if times <= months:
        interval = months // times
        extra = f";INTERVAL={interval}" if interval > 1 else ""
        # A start on the 29th to 31st meets on the last day of each month (every month has
        # one): the 28th would come before the start, and a quarter or a year starting
        # then would have no meeting in its first period.
        return f"FREQ=MONTHLY{extra};BYMONTHDAY={first if day.day <= 28 else -1}"
    per_month = math.ceil(times / months)
    step = max(1, 28 // per_month)
    days = sorted({1 + (first - 1 + k * step) % 28 for k in range(min(per_month, 28))})
    return "FREQ=MONTHLY;BYMONTHDAY=" + ",".join(str(d) for d in days)


def _weekday_rule(per: Period, times: int, weekday: str, nth: int) -> str:
    """An RRULE of ``times`` meetings per period on a weekday: the ``nth`` one of the month."""
    if per is Period.WEEK:
        if times != 1:
            raise ValidationError("needs a commitment of one meeting a week", field="weekday",
                                  value=weekday)  # fmt: skip
        return f"FREQ=WEEKLY;BYDAY={weekday}"
    months = {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}[per]
    if times <= months:
        interval = months // times
        extra = f";INTERVAL={interval}" if interval > 1 else ""
        return f"FREQ=MONTHLY{extra};BYDAY={nth}{weekday}"
    per_month = math.ceil(times / months)
    if per_month > 4:
        raise ValidationError(f"cannot hold {per_month} meetings a month on one weekday",
                              field="weekday", value=weekday)  # fmt: skip
    nths = {2: (1, 3), 3: (1, 2, 3), 4: (1, 2, 3, 4)}[per_month]
    return "FREQ=MONTHLY;BYDAY=" + ",".join(f"{n}{weekday}" for n in nths)


def _check_weekday(weekday: object, nth: object) -> str | None:
    if weekday is None:
        return None
    if not isinstance(weekday, str) or weekday.upper() not in _DAYS:
        raise ValidationError("must be a weekday MO, TU, WE, TH, FR, SA or SU", field="weekday",
                              value=weekday)  # fmt: skip
    if not isinstance(nth, int) or isinstance(nth, bool) or nth not in (1, 2, 3, 4, -1):
        raise ValidationError("must be 1, 2, 3, 4 or -1 (the last)", field="nth", value=nth)
    return weekday.upper()


def _zone(tz: object) -> dt.tzinfo:
    if not isinstance(tz, dt.tzinfo):
        raise ValidationError("must be a time zone (a zoneinfo.ZoneInfo)", field="tz", value=tz)
    if isinstance(tz, dt.timezone) and tz.utcoffset(None) != dt.timedelta(0):
        # A fixed offset keeps no daylight saving: half the year's meetings would move an hour.
        raise ValidationError("must be a named time zone such as ZoneInfo('America/Chicago'), "
                              "not a fixed UTC offset (it ignores daylight saving)", field="tz",
                              value=str(tz))  # fmt: skip
    return tz


def _check_args(program: object, cohort: object, at: object) -> None:
    """The checks :func:`plan_sessions` and :func:`milestone_events` share."""
    if not isinstance(program, Program):
        raise ValidationError("must be a Program", field="program", value=type(program).__name__)
    if not isinstance(cohort, Cohort):
        raise ValidationError("must be a Cohort", field="cohort", value=type(cohort).__name__)
    if not isinstance(at, dt.time) or at.tzinfo is not None:
        raise ValidationError("must be a time of day without a zone", field="at", value=at)


def milestone_events(
    program: Program, cohort: Cohort, *, at: dt.time = dt.time(16, 0), tz: dt.tzinfo = dt.UTC
) -> list[Event]:
    """The program's milestones as events with this cohort's dates (ready to store).

    Events that last (a ``minutes`` on the milestone) start at ``at`` local time in ``tz``;
    deadlines have a date only. Ids are ``<cohort id>:<kind>:<name as a slug>``
    (``ng-2025:orientation:orientation``), so reordering the milestones keeps every
    event's id (and its iCalendar UID); a second milestone of the same kind and slug gets
    ``-2``, and so on, in the program's order.

    Raises:
        ValidationError: not a program and a cohort, ``at`` that is not a naive time, ``tz``
            that is not a time zone, or a milestone's ``days`` put it before year 1 or after
            year 9999 (naming ``milestones[i].days``).

    Examples:
        >>> import datetime as dt
        >>> from mentorkit.model import Cohort, Program
        >>> from mentorkit.scheduling import NEXTGEN_MILESTONES
        >>> program = Program(id="nextgen", name="NextGen", milestones=NEXTGEN_MILESTONES)
        >>> cohort = Cohort(id="ng-2025", program_id="nextgen", name="2025",
        ...                 start=dt.date(2025, 6, 1), end=dt.date(2025, 12, 31))
        >>> [(e.kind.value, e.date.isoformat()) for e in milestone_events(program, cohort)][:2]
        [('application_opens', '2025-03-01'), ('application_deadline', '2025-03-25')]
    """
    _check_args(program, cohort, at)
    zone = _zone(tz)
    events = []
    taken: set[str] = set()
    for n, milestone in enumerate(program.milestones, 1):
        anchor = cohort.end if milestone.from_end else cohort.start
        try:
            day = anchor + dt.timedelta(days=milestone.days)
        except OverflowError:  # before year 1 or after year 9999
            raise ValidationError(
                f"puts the milestone outside the calendar from {anchor.isoformat()}",
                field=f"milestones[{n - 1}].days",
                value=milestone.days,
            ) from None
        start = None if milestone.minutes is None else dt.datetime.combine(day, at, tzinfo=zone)
        key = base = f"{milestone.kind.value}:{_slug(milestone.name) or 'milestone'}"
        number = 1
        while key in taken:
            number += 1
            key = f"{base}-{number}"
        taken.add(key)
        events.append(
            Event(
                id=f"{cohort.id}:{key}",
                cohort_id=cohort.id,
                program_id=program.id,
                kind=milestone.kind,
                name=milestone.name,
                date=day,
                start=start,
                minutes=milestone.minutes,
            )
        )
    return events


def _split_pairs(pairs: object, cohort: Cohort) -> tuple[list[Mentorship], list[Engagement]]:
    """``pairs`` checked: the cohort's mentorships, and its engagements."""
    if isinstance(pairs, (str, bytes)) or not isinstance(pairs, Iterable):
        raise ValidationError("must be the cohort's mentorships and engagements", field="pairs",
                              value=type(pairs).__name__)  # fmt: skip
    mentorships: list[Mentorship] = []
    engagements: list[Engagement] = []
    for n, pair in enumerate(pairs):
        if not isinstance(pair, (Mentorship, Engagement)):
            raise ValidationError("must be a Mentorship or an Engagement", field=f"pairs[{n}]",
                                  value=type(pair).__name__)  # fmt: skip
        if pair.cohort_id != cohort.id:
            raise ValidationError(f"belongs to cohort {pair.cohort_id!r}, not {cohort.id!r}",
                                  field=f"pairs[{n}]", value=pair.id)  # fmt: skip
        if isinstance(pair, Mentorship):
            mentorships.append(pair)
        else:
            engagements.append(pair)
    return mentorships, engagements


def plan_sessions(
    program: Program,
    cohort: Cohort,
    *,
    at: dt.time = dt.time(16, 0),
    tz: dt.tzinfo = dt.UTC,
    exclusions: Iterable[dt.date] = (),
    minutes: int = 60,
    weekday: str | None = None,
    nth: int = 1,
    pairs: Iterable[Mentorship | Engagement] = (),
) -> SessionPlan:
    """Plan a cohort: one [Cadence][mentorkit.scheduling.Cadence] per commitment.

    Each commitment's meetings are spread evenly over its periods from the cohort's start,
    at ``at`` local time in ``tz`` (wall-clock time holds across daylight-saving changes),
    until the cohort ends or the commitment's ``periods`` run out. A meeting lasts the
    commitment's minutes divided by its meetings (``minutes`` when it promises meetings
    only).

    A commitment with a number of ``periods`` is owed for that many periods from each
    pair's own start (as [adherence][mentorkit.scheduling.adherence] counts it), so a pair
    matched after the cohort began owes periods after the cohort's own run. Give the
    cohort's mentorships and engagements as ``pairs`` and each commitment's meetings go on
    until the last period any of them owes ends: the calendar then holds a meeting in every
    period adherence counts, and still none before the cohort's start.

    Args:
        program: The program, with its commitments and milestones.
        cohort: The cohort whose dates the plan takes.
        at: The local time of day meetings start.
        tz: The time zone, a `zoneinfo.ZoneInfo` for local times.
        exclusions: Dates without meetings (school breaks).
        minutes: The length of a meeting for commitments that promise meetings only.
        weekday: Meet on this weekday (``"TU"``) instead of the cohort start's day of the
            month (which may be a weekend; a start on the 29th to 31st meets on the last
            day of each month): the ``nth`` one of the month, or every week for
            a weekly commitment; several meetings a month take the 1st and 3rd (and so on).
        nth: Which weekday of the month: 1 to 4, or -1 for the last.
        pairs: The cohort's mentorships (pairs) and engagements (teams), to plan until the
            last period adherence counts for any of them (default: none, the commitment's
            periods from the cohort's start). Those of other cohorts are refused.

    Raises:
        ValidationError: a cohort of another program, ``at`` that is not a naive time,
            ``tz`` that is not a time zone (or is a fixed UTC offset other than UTC, which
            ignores daylight saving), a milestone dated outside the calendar, or a
            ``weekday``/``nth`` that is not one (or more than four meetings a month on it),
            or ``pairs`` that are not this cohort's mentorships and engagements (naming
            ``pairs[i]``).

    Examples:
        >>> import datetime as dt
        >>> from zoneinfo import ZoneInfo
        >>> from mentorkit.model import Cohort, Program
        >>> from mentorkit.scheduling import NEXTGEN_COMMITMENTS
        >>> program = Program(id="nextgen", name="NextGen", commitments=NEXTGEN_COMMITMENTS)
        >>> cohort = Cohort(id="ng-2025", program_id="nextgen", name="2025",
        ...                 start=dt.date(2025, 6, 2), end=dt.date(2025, 12, 31))
        >>> plan = plan_sessions(program, cohort, tz=ZoneInfo("America/Chicago"))
        >>> plan.items[0].cadence.rrule
        'FREQ=MONTHLY;UNTIL=20260101T055959Z;BYMONTHDAY=2'
        >>> [(s.start.strftime("%b %d %H:%M"), s.minutes) for s in plan.sessions()][::3]
        [('Jun 02 16:00', 180), ('Sep 02 16:00', 180), ('Dec 02 16:00', 180)]
        >>> first_tuesdays = plan_sessions(program, cohort, weekday="TU", nth=1)
        >>> [s.start.strftime("%a %b %d") for s in first_tuesdays.sessions()][:2]
        ['Tue Jun 03', 'Tue Jul 01']

        In a cohort open for a year, a pair matched in September owes its seven months
        from September, to March; the plan goes on until then:

        >>> from mentorkit.model import Mentorship
        >>> year = Cohort(id="ng-y", program_id="nextgen", name="2025-26",
        ...               start=dt.date(2025, 6, 2), end=dt.date(2026, 5, 29))
        >>> late = Mentorship(id="m-9", mentor_id="p-1", mentee_id="p-2", cohort_id="ng-y",
        ...                   start=dt.date(2025, 9, 2))
        >>> [plan_sessions(program, year, pairs=p).sessions()[-1].start.strftime("%b %Y")
        ...  for p in ([], [late])]
        ['Dec 2025', 'Mar 2026']
    """
    _check_args(program, cohort, at)
    if cohort.program_id != program.id:
        raise ValidationError(
            f"belongs to program {cohort.program_id!r}, not {program.id!r}",
            field="cohort",
            value=cohort.id,
        )
    zone = _zone(tz)
    day_name = _check_weekday(weekday, nth)
    covered = counted_until(cohort, *_split_pairs(pairs, cohort), program.commitments)
    dtstart = dt.datetime.combine(cohort.start, at, tzinfo=zone)
    items = []
    for commitment, owed_until in zip(program.commitments, covered, strict=True):
        periods = due_periods(cohort.start, cohort.end, commitment.per, commitment.periods)
        last = min(cohort.end, periods[-1][2] - dt.timedelta(days=1)) if periods else cohort.end
        if owed_until is not None:  # the pairs' own periods (they may end after the cohort)
            last = max(last, owed_until)
        times = commitment.times or 1
        dose = math.ceil(commitment.minutes / times) if commitment.minutes else minutes
        rule = (_spread_rule(commitment.per, times, cohort.start) if day_name is None
                else _weekday_rule(commitment.per, times, day_name, nth))  # fmt: skip
        rule += f";UNTIL={last:%Y%m%d}"
        cadence = Cadence.from_rrule(rule, dtstart, dose, exclusions=exclusions)
        items.append(PlannedCommitment(commitment=commitment, cadence=cadence))
    return SessionPlan(
        cohort_id=cohort.id,
        program_id=program.id,
        items=tuple(items),
        events=tuple(milestone_events(program, cohort, at=at, tz=zone)),
    )
