"""iCalendar export (RFC 5545) through the ``icalendar`` package (extra ``calendar``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from mentorkit.errors import ValidationError
from mentorkit.model import Event
from mentorkit.model import _checks as c
from mentorkit.scheduling._cadence import Cadence
from mentorkit.scheduling._plan import SessionPlan, _slug

#: The PRODID of every calendar mentorkit writes.
PRODID = "-//mentorkit//mentorkit calendar export//EN"


def _icalendar() -> Any:
    """The ``icalendar`` module, or an error naming the extra that installs it."""
    from mentorkit._optional import require

    return require("icalendar")


def _summary(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("must be a non-empty string", field=attribute.name, value=value)


def _cadence(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Cadence):
        raise ValidationError("must be a Cadence", field=attribute.name,
                              value=type(value).__name__)  # fmt: skip


def _start(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, dt.datetime):
        c.aware(_inst, attribute, value)
    elif not isinstance(value, dt.date):
        raise ValidationError("must be a date (all day) or a timezone-aware datetime",
                              field=attribute.name, value=value)  # fmt: skip


def _optional_minutes(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValidationError("must be a whole number of minutes >= 1", field=attribute.name,
                              value=value)  # fmt: skip


@attrs.frozen(kw_only=True)
class CalendarSeries:
    """A recurring meeting in a calendar: a [Cadence][mentorkit.scheduling.Cadence] and a title.

    Attributes:
        uid: A stable, unique id (say ``"c-2025/m-17/monthly-hours"``): calendar clients
            update the event with the same UID instead of adding a second one.
        summary: The title shown in the calendar.
        cadence: When it recurs, for how long each time, and the excluded days.
        description: Longer text (plain).
        location: Where (plain text).
    """

    uid: str = attrs.field(validator=c.identifier)
    summary: str = attrs.field(validator=_summary)
    cadence: Cadence = attrs.field(validator=_cadence)
    description: str = attrs.field(default="", validator=c.text)
    location: str = attrs.field(default="", validator=c.text)


@attrs.frozen(kw_only=True)
class CalendarEvent:
    """A one-off event in a calendar (a milestone): all day, or at a time for some minutes.

    Attributes:
        uid: A stable, unique id.
        summary: The title shown in the calendar.
        start: A date (an all-day event) or a timezone-aware datetime.
        minutes: How long a timed event lasts (``None``: a moment); all-day events last
            their day, and take no minutes.
        description: Longer text (plain).
        location: Where (plain text).
    """

    uid: str = attrs.field(validator=c.identifier)
    summary: str = attrs.field(validator=_summary)
    start: dt.datetime | dt.date = attrs.field(validator=_start)
    minutes: int | None = attrs.field(default=None, validator=_optional_minutes)
    description: str = attrs.field(default="", validator=c.text)
    location: str = attrs.field(default="", validator=c.text)

    def __attrs_post_init__(self) -> None:
        if self.minutes is not None and not isinstance(self.start, dt.datetime):
            raise ValidationError("is for timed events only (start is a date)",
                                  field="minutes", value=self.minutes)  # fmt: skip


def _from_event(event: Event) -> CalendarEvent:
    return CalendarEvent(
        uid=f"mentorkit:{event.id}",
        summary=event.name or event.kind.value.replace("_", " ").capitalize(),
        start=event.start if event.start is not None else event.date,
        minutes=event.minutes if event.start is not None else None,
    )


def calendar_entries(
    plan: SessionPlan, *, events: Iterable[Event] = ()
) -> list[CalendarSeries | CalendarEvent]:
    """A cohort's plan as calendar entries: a series per commitment, an event per milestone.

    UIDs are stable: ``mentorkit:<cohort>:<commitment>`` for a series (the commitment's name
    in lower case, words joined by ``-``; ``-2``, ``-3`` after names that read the same)
    and ``mentorkit:<event id>`` for a milestone, so
    importing a new export updates the events already in a calendar.

    Args:
        plan: The plan, from [plan_sessions][mentorkit.scheduling.plan_sessions].
        events: More milestone [Event][mentorkit.model.Event]s (say, stored ones); one with
            the id of a plan event replaces it.

    Returns:
        The entries for [to_ical][mentorkit.scheduling.to_ical]; edit them (a location, a
        description) before exporting if you like.

    Raises:
        ValidationError: ``plan`` is not a SessionPlan, or ``events`` holds something else
            than events.

    Examples:
        >>> import datetime as dt
        >>> from mentorkit.model import Cohort, Program
        >>> from mentorkit.scheduling import NEXTGEN_COMMITMENTS, plan_sessions
        >>> program = Program(id="ng", name="NextGen", commitments=NEXTGEN_COMMITMENTS)
        >>> cohort = Cohort(id="ng-25", program_id="ng", name="2025",
        ...                 start=dt.date(2025, 6, 2), end=dt.date(2025, 12, 31))
        >>> [e.uid for e in calendar_entries(plan_sessions(program, cohort))]
        ['mentorkit:ng-25:three-hours-a-month']
    """
    if not isinstance(plan, SessionPlan):
        raise ValidationError("must be a SessionPlan (see plan_sessions)", field="plan",
                              value=type(plan).__name__)  # fmt: skip
    if isinstance(events, str | bytes) or not isinstance(events, Iterable):
        raise ValidationError("must be a list of events", field="events",
                              value=type(events).__name__)  # fmt: skip
    milestones = {e.id: e for e in plan.events}
    for index, event in enumerate(events):
        if not isinstance(event, Event):
            raise ValidationError("must be an Event", field=f"events[{index}]",
                                  value=type(event).__name__)  # fmt: skip
        milestones[event.id] = event
    out: list[CalendarSeries | CalendarEvent] = []
    taken: set[str] = set()
    for item in plan.items:
        commitment = item.commitment
        # Names differing only in case or punctuation share a slug: later ones get a
        # number (in the program's order, so the UIDs stay stable between exports).
        slug = base = _slug(commitment.name) or "commitment"
        number = 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        details = []
        if commitment.activities:
            shown = ", ".join(a.value.replace("_", " ") for a in commitment.activities)
            details.append(f"Activities: {shown}.")
        if commitment.roles:
            details.append(f"With: {', '.join(r.replace('_', ' ') for r in commitment.roles)}.")
        out.append(CalendarSeries(
            uid=f"mentorkit:{plan.cohort_id}:{slug}",
            summary=commitment.name[:1].upper() + commitment.name[1:],
            cadence=item.cadence,
            description=" ".join(details),
        ))  # fmt: skip
    out.extend(_from_event(e) for e in sorted(milestones.values(), key=lambda e: (e.date, e.id)))
    return out


def excluded_occurrences(cadence: Cadence) -> list[dt.datetime]:
    """The occurrences of the rule that fall on the cadence's excluded days (its EXDATEs)."""
    if not cadence.exclusions:
        return []
    tz = cadence.dtstart.tzinfo
    days = set(cadence.exclusions)
    # One pass over the rule from the first excluded day to the last (a pass per day made
    # a long break cost its days times the occurrences before it).
    a = dt.datetime.combine(min(days), dt.time(), tzinfo=tz)
    b = dt.datetime.combine(max(days), dt.time.max, tzinfo=tz)
    return sorted({o for o in cadence.recurrence.between(a, b, inc=True) if o.date() in days})


def _last_day(cadence: Cadence) -> dt.date:
    """About when the cadence ends (bounded), or five years on (unbounded)."""
    start = cadence.dtstart
    if cadence.bounded:
        last = cadence.recurrence[-1] if cadence.recurrence.count() else start
        return max(start, last).date()
    return _shift(start.date(), 5 * 366)


def _shift(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, kept a year inside the calendar's end.

    icalendar looks for a zone's next transition past the window's end in steps of up to
    64 days, which must not run past 9999-12-31.
    """
    low, high = dt.date.min + dt.timedelta(days=1), dt.date(9998, 12, 31)
    try:
        return min(max(day + dt.timedelta(days=days), low), high)
    except OverflowError:
        return high if days > 0 else low


def to_ical(
    entries: SessionPlan | Iterable[CalendarSeries | CalendarEvent | Event],
    *,
    name: str | None = None,
    stamp: dt.datetime | None = None,
) -> bytes:
    """An iCalendar file (RFC 5545) of a cohort's plan, or of recurring meetings and events.

    A [SessionPlan][mentorkit.scheduling.SessionPlan] is exported through
    [calendar_entries][mentorkit.scheduling.calendar_entries]: a series per commitment, an
    event per milestone. Milestone [Event][mentorkit.model.Event]s may also be listed
    among the entries as they are.

    Each [CalendarSeries][mentorkit.scheduling.CalendarSeries] becomes one VEVENT with
    ``RRULE`` (the cadence's rule), ``EXDATE`` (its occurrences on excluded days) and
    ``DURATION`` (its minutes), starting at the rule's first occurrence (which RFC 5545
    clients count whether or not the rule produces it), at its local wall-clock time with
    the VTIMEZONE of its zone,
    so a meeting at 16:00 in Chicago stays at 16:00 after daylight saving ends. Each
    [CalendarEvent][mentorkit.scheduling.CalendarEvent] becomes one VEVENT (all-day when
    its start is a date). UIDs are yours (keep them stable); ``DTSTAMP`` is ``stamp``.
    Needs the ``calendar`` extra (``pip install "mentorkit[calendar]"``).

    Args:
        entries: The plan, or the series and events.
        name: The calendar's display name (``X-WR-CALNAME``), if any.
        stamp: When the file was made (``DTSTAMP``, timezone-aware); default: now. Pass a
            fixed one for reproducible files.

    Returns:
        The calendar as bytes (UTF-8, CRLF line ends), ready for a ``.ics`` file.

    Raises:
        ValidationError: An entry that is not a series or an event, two entries with
            one UID, a blank name, or a naive ``stamp`` (naming the field).
        ModuleNotFoundError: icalendar is not installed (the message names the extra).

    Examples:
        >>> import datetime as dt
        >>> from zoneinfo import ZoneInfo
        >>> from mentorkit.scheduling import Cadence, CalendarSeries
        >>> start = dt.datetime(2025, 10, 7, 16, tzinfo=ZoneInfo("America/Chicago"))
        >>> weekly = Cadence.weekly(start, 60, count=6).excluding(dt.date(2025, 10, 14))
        >>> data = to_ical([CalendarSeries(uid="c-1/m-1", summary="Mentoring",
        ...                                cadence=weekly)],
        ...                stamp=dt.datetime(2025, 9, 1, tzinfo=dt.UTC))
        >>> lines = data.decode().splitlines()
        >>> [x for x in lines if x.startswith(("DTSTART;", "RRULE", "EXDATE"))]
        ['DTSTART;TZID=America/Chicago:20251007T160000', 'RRULE:FREQ=WEEKLY;COUNT=6', 'EXDATE;TZID=America/Chicago:20251014T160000']
    """  # noqa: E501
    ical = _icalendar()
    if isinstance(entries, SessionPlan):
        entries = calendar_entries(entries)
    if isinstance(entries, str | bytes) or not isinstance(entries, Iterable):
        raise ValidationError("must be a plan, or a list of calendar series and events",
                              field="entries", value=type(entries).__name__)  # fmt: skip
    listed = [_from_event(e) if isinstance(e, Event) else e for e in entries]
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ValidationError("must be a non-empty string", field="name", value=name)
    if name is not None and not name.isascii():
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(
                "must be valid Unicode (no lone surrogate)",
                field="name",
                value=name.encode("utf-8", "replace").decode(),
            ) from None
    if stamp is None:
        stamp = dt.datetime.now(dt.UTC)
    elif not isinstance(stamp, dt.datetime) or stamp.utcoffset() is None:
        raise ValidationError("must be a timezone-aware datetime", field="stamp", value=stamp)
    stamp = stamp.astimezone(dt.UTC).replace(microsecond=0)
    cal = ical.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name is not None:
        cal.add("x-wr-calname", name)
    seen: set[str] = set()
    zones: dict[str, dt.tzinfo] = {}
    first, last = None, None
    for index, entry in enumerate(listed):
        if not isinstance(entry, CalendarSeries | CalendarEvent):
            raise ValidationError(
                "must be a CalendarSeries or CalendarEvent",
                field=f"entries[{index}]",
                value=type(entry).__name__,
            )
        if entry.uid in seen:
            raise ValidationError("must be unique", field=f"entries[{index}].uid",
                                  value=entry.uid)  # fmt: skip
        seen.add(entry.uid)
        event = ical.Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("summary", entry.summary)
        if isinstance(entry, CalendarSeries):
            cadence = entry.cadence
            # RFC 5545 counts DTSTART as the first occurrence whether or not the rule
            # produces it (Google, Apple, Outlook do); dateutil, and so the plan, does not.
            # Start the event at the rule's first occurrence: the same set either way (an
            # occurrence keeps the rule's phase), and no extra meeting on the cadence's
            # dtstart. A rule with no occurrence keeps dtstart, excluded.
            opening = next(iter(cadence.recurrence), None)
            event.add("dtstart", cadence.dtstart if opening is None else opening)
            event.add("duration", dt.timedelta(minutes=cadence.minutes))
            event.add("rrule", ical.vRecur.from_ical(cadence.rrule))
            skipped = excluded_occurrences(cadence) if opening is not None else [cadence.dtstart]
            if skipped:
                event.add("exdate", skipped)
            begin, end = cadence.dtstart.date(), _last_day(cadence)
            moment: dt.datetime | None = cadence.dtstart
        else:
            event.add("dtstart", entry.start)
            if isinstance(entry.start, dt.datetime):
                if entry.minutes is not None:
                    event.add("duration", dt.timedelta(minutes=entry.minutes))
                begin = end = entry.start.date()
                moment = entry.start
            else:
                if entry.start == dt.date.max:
                    raise ValidationError(
                        "must end within the calendar (before 9999-12-31)",
                        field=f"entries[{index}].start",
                        value=entry.start,
                    )
                event.add("dtend", entry.start + dt.timedelta(days=1))
                begin = end = entry.start
                moment = None
        if moment is not None and moment.tzinfo is not dt.UTC:
            tzid = ical.vDDDTypes(moment).params.get("TZID")
            if tzid:
                zones.setdefault(str(tzid), moment.tzinfo)  # type: ignore[arg-type]
        if entry.description:
            event.add("description", entry.description)
        if entry.location:
            event.add("location", entry.location)
        cal.add_component(event)
        first = begin if first is None else min(first, begin)
        last = end if last is None else max(last, end)
    if first is not None and last is not None:
        _add_timezones(ical, cal, zones, _shift(first, -366), _shift(last, 366))
    try:
        data: bytes = cal.to_ical()
    except UnicodeEncodeError:
        raise ValidationError(
            "hold text that is not valid Unicode (a lone surrogate)", field="entries"
        ) from None
    return data


def _add_timezones(
    ical: Any, cal: Any, zones: dict[str, dt.tzinfo], first: dt.date, last: dt.date
) -> None:
    """A VTIMEZONE for every zone used: from the zone database, else from the tzinfo."""
    cal.add_missing_timezones(first_date=first, last_date=last)
    for tzid in sorted(cal.get_missing_tzids()):
        zone = ical.Timezone.from_tzinfo(zones[tzid], tzid=tzid, first_date=first,
                                         last_date=last)  # fmt: skip
        cal.subcomponents.insert(0, zone)
    # One RDATE per transition: ical.js (Thunderbird's parser) reads only the first date of
    # a comma-separated RDATE list, and would put every later transition at the wrong offset.
    # It also ignores DTSTART as an onset once a part has RDATEs (RFC 5545 counts it), which
    # put a southern winter at summer time: the DTSTART is listed again as the first RDATE.
    for zone in cal.walk("VTIMEZONE"):
        for part in zone.subcomponents:
            if "RDATE" not in part:
                continue
            found = part["RDATE"]
            moments = [d.dt for prop in (found if isinstance(found, list) else [found])
                       for d in prop.dts]  # fmt: skip
            del part["RDATE"]
            onset = part["DTSTART"].dt
            for moment in [onset, *(m for m in moments if m != onset)]:
                part.add("rdate", moment)
