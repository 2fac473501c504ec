"""Recurrences with a dose: RFC 5545 RRULEs on :mod:`dateutil.rrule`, in local wall time."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from typing import Literal

import attrs
from dateutil import rrule as _rr

from mentorkit.errors import ValidationError

#: Weekday codes of RFC 5545, Monday first.
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_UNTIL = re.compile(r"(?:^|;)UNTIL=([^;]*)")
_INTERVAL = re.compile(r"(?:^|;)INTERVAL=([^;]*)")
_Per = Literal["week", "month", "quarter"]


def _aware(value: object, field: str) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise ValidationError("must be a timezone-aware datetime", field=field, value=value)
    return value


def _minutes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("must be a whole number of minutes >= 1", field="minutes",
                              value=value)  # fmt: skip
    return value


def _dates(value: Iterable[dt.date]) -> tuple[dt.date, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError("must be a list of dates", field="exclusions", value=value)
    out = []
    for index, day in enumerate(value):
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise ValidationError("must be a date", field=f"exclusions[{index}]", value=day)
        out.append(day)
    return tuple(sorted(set(out)))


def _utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _normalise(rule: object, dtstart: dt.datetime) -> tuple[str, _rr.rrule]:
    """The canonical RRULE text of ``rule`` (as :attr:`Cadence.rrule` prints it) and its rrule.

    A floating ``UNTIL`` (a date, or a date-time without ``Z``) is read in ``dtstart``'s
    time zone (a date means the end of that day) and written in UTC, as RFC 5545 requires
    when the start has a time zone.
    """
    if not isinstance(rule, str):
        raise ValidationError("must be an RRULE string", field="rule", value=rule)
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or "\n" in text or "\r" in text or ":" in text:
        raise ValidationError(
            "must be one RRULE (FREQ=...;...) without DTSTART; pass dtstart separately",
            field="rule",
            value=rule,
        )
    text = text.upper()
    names = [part.partition("=")[0] for part in text.split(";")]
    for name in names:
        if names.count(name) > 1:
            raise ValidationError(f"must not repeat {name}", field="rule", value=rule)
    interval = _INTERVAL.search(text)
    if interval and not (interval.group(1).isdigit() and int(interval.group(1)) >= 1):
        # dateutil takes INTERVAL=0 (the same instant forever: an endless loop) and
        # negative ones (an error only while iterating); RFC 5545 wants a positive integer.
        raise ValidationError("must have an INTERVAL of 1 or more", field="rule", value=rule)
    found = _UNTIL.search(text)
    if found and not found.group(1).endswith("Z"):
        raw = found.group(1)
        try:
            if len(raw) == 8:
                day = dt.datetime.strptime(raw, "%Y%m%d")
                local = dt.datetime.combine(day.date(), dt.time(23, 59, 59))
            else:
                local = dt.datetime.strptime(raw, "%Y%m%dT%H%M%S")
        except ValueError:
            raise ValidationError("has a malformed UNTIL", field="rule", value=rule) from None
        until = local.replace(tzinfo=dtstart.tzinfo)
        try:
            utc = _utc_text(until)
        except OverflowError:  # past the end of year 9999 in UTC: no occurrence is later
            utc = "99991231T235959Z"
        text = text[: found.start(1)] + utc + text[found.end(1) :]
    if "COUNT=" in text and "UNTIL=" in text:
        raise ValidationError("must not have both COUNT and UNTIL", field="rule", value=rule)
    try:
        parsed = _rr.rrulestr(text, dtstart=dtstart)
    except Exception as exc:  # dateutil raises ValueError, TypeError, KeyError, IndexError
        raise ValidationError(f"is not a valid RRULE ({exc})", field="rule", value=rule) from None
    if not isinstance(parsed, _rr.rrule):  # pragma: no cover - one RRULE never makes a set
        raise ValidationError("must be a single RRULE", field="rule", value=rule)
    # dateutil prints UNTIL without its "Z"; print it the way RFC 5545 wants it back.
    printed = str(parsed).splitlines()[-1].removeprefix("RRULE:")
    until_at = _UNTIL.search(text)
    if until_at:
        printed = re.sub(r"UNTIL=[^;]*", f"UNTIL={until_at.group(1)}", printed)
    return printed, parsed


@attrs.frozen(kw_only=True, eq=True)
class Cadence:
    """A recurrence (an RFC 5545 RRULE from ``dtstart``) with a dose in minutes.

    Occurrences keep their local wall-clock time across daylight-saving changes: a meeting
    at 16:00 in ``America/Chicago`` stays at 16:00 local in November, its UTC offset
    changes. Build one with :meth:`from_rrule` or a convenience constructor
    (:meth:`weekly`, :meth:`monthly`, :meth:`quarterly`, :meth:`by_weekday`).

    Attributes:
        rrule: The rule as RFC 5545 text, without ``DTSTART`` (``UNTIL`` in UTC).
        dtstart: The first occurrence, a timezone-aware datetime (a
            :class:`zoneinfo.ZoneInfo` zone for local times that follow daylight saving).
        minutes: The dose: minutes per occurrence.
        exclusions: Local dates on which no occurrence is held (school breaks, holidays).

    Examples:
        >>> import datetime as dt
        >>> from zoneinfo import ZoneInfo
        >>> start = dt.datetime(2024, 10, 1, 16, 0, tzinfo=ZoneInfo("America/Chicago"))
        >>> c = Cadence.from_rrule("FREQ=WEEKLY;COUNT=6;BYDAY=TU", start, 60)
        >>> c.rrule
        'FREQ=WEEKLY;COUNT=6;BYDAY=TU'
        >>> [o.strftime("%m-%d %H:%M %Z") for o in c.occurrences()][-2:]
        ['10-29 16:00 CDT', '11-05 16:00 CST']
        >>> len(c.excluding(dt.date(2024, 10, 8)).occurrences())
        5
    """

    rrule: str
    dtstart: dt.datetime = attrs.field(validator=lambda _i, _a, v: _aware(v, "dtstart"))
    minutes: int = attrs.field(validator=lambda _i, _a, v: _minutes(v))
    exclusions: tuple[dt.date, ...] = attrs.field(default=(), converter=_dates)
    _rule: _rr.rrule = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        text, parsed = _normalise(self.rrule, self.dtstart)
        # Frozen: the canonical text and the parsed rule are set once, here.
        object.__setattr__(self, "rrule", text)
        object.__setattr__(self, "_rule", parsed)

    @classmethod
    def from_rrule(
        cls,
        rule: str,
        dtstart: dt.datetime,
        minutes: int,
        *,
        exclusions: Iterable[dt.date] = (),
    ) -> Cadence:
        """Parse an RFC 5545 RRULE (``FREQ=MONTHLY;BYDAY=2TU``) starting at ``dtstart``.

        Args:
            rule: One RRULE, with or without the ``RRULE:`` prefix, without ``DTSTART``. A
                floating ``UNTIL`` (``UNTIL=20241231``) is read in ``dtstart``'s zone.
            dtstart: The first occurrence; must be timezone-aware.
            minutes: Minutes per occurrence (>= 1).
            exclusions: Local dates to skip.

        Raises:
            ValidationError: a malformed rule (field ``rule``), a naive or non-datetime
                ``dtstart``, minutes that are not a whole number >= 1, or exclusions that
                are not dates.

        Examples:
            >>> import datetime as dt
            >>> Cadence.from_rrule("FREQ=SOMETIMES", dt.datetime(2024, 1, 1, tzinfo=dt.UTC), 60)
            Traceback (most recent call last):
            ...
            mentorkit.errors.ValidationError: rule: is not a valid RRULE (invalid 'FREQ': SOMETIMES) (got 'FREQ=SOMETIMES')
        """  # noqa: E501
        return cls(rrule=rule, dtstart=dtstart, minutes=minutes, exclusions=exclusions)

    @classmethod
    def weekly(
        cls,
        dtstart: dt.datetime,
        minutes: int,
        *,
        interval: int = 1,
        count: int | None = None,
        until: dt.date | dt.datetime | None = None,
        exclusions: Iterable[dt.date] = (),
    ) -> Cadence:
        """Every ``interval`` weeks on ``dtstart``'s weekday, at its time.

        Examples:
            >>> import datetime as dt
            >>> start = dt.datetime(2024, 9, 2, 8, tzinfo=dt.UTC)
            >>> Cadence.weekly(start, 30, count=4, interval=2).rrule
            'FREQ=WEEKLY;INTERVAL=2;COUNT=4'
        """
        return cls._build("WEEKLY", dtstart, minutes, interval, count, until, exclusions)

    @classmethod
    def monthly(
        cls,
        dtstart: dt.datetime,
        minutes: int,
        *,
        interval: int = 1,
        count: int | None = None,
        until: dt.date | dt.datetime | None = None,
        exclusions: Iterable[dt.date] = (),
    ) -> Cadence:
        """Every ``interval`` months on ``dtstart``'s day of the month, at its time.

        Months without that day (a 31st) are skipped, as RFC 5545 says; use
        :meth:`by_weekday` for "the second Tuesday".

        Examples:
            >>> import datetime as dt
            >>> from zoneinfo import ZoneInfo
            >>> start = dt.datetime(2025, 6, 10, 15, tzinfo=ZoneInfo("America/New_York"))
            >>> c = Cadence.monthly(start, 180, until=dt.date(2025, 12, 31))
            >>> c.rrule, len(c.occurrences())
            ('FREQ=MONTHLY;UNTIL=20260101T045959Z', 7)
        """
        return cls._build("MONTHLY", dtstart, minutes, interval, count, until, exclusions)

    @classmethod
    def quarterly(
        cls,
        dtstart: dt.datetime,
        minutes: int,
        *,
        count: int | None = None,
        until: dt.date | dt.datetime | None = None,
        exclusions: Iterable[dt.date] = (),
    ) -> Cadence:
        """Every three months on ``dtstart``'s day of the month (``FREQ=MONTHLY;INTERVAL=3``).

        Examples:
            >>> import datetime as dt
            >>> start = dt.datetime(2024, 9, 16, 9, tzinfo=dt.UTC)
            >>> [o.month for o in Cadence.quarterly(start, 90, count=4).occurrences()]
            [9, 12, 3, 6]
        """
        return cls._build("MONTHLY", dtstart, minutes, 3, count, until, exclusions)

    @classmethod
    def by_weekday(
        cls,
        weekday: str,
        dtstart: dt.datetime,
        minutes: int,
        *,
        nth: int | None = None,
        per: _Per = "month",
        count: int | None = None,
        until: dt.date | dt.datetime | None = None,
        exclusions: Iterable[dt.date] = (),
    ) -> Cadence:
        """On a weekday: "the second Tuesday of each month", "every Thursday".

        Occurrences are at ``dtstart``'s local time, from ``dtstart`` on.

        Args:
            weekday: ``"MO"`` ... ``"SU"``.
            dtstart: When the cadence begins (its time of day is the meeting time).
            minutes: Minutes per occurrence.
            nth: Which one of the period (1 first, 2 second, -1 last); ``None`` for every
                such weekday of the period.
            per: ``"week"``, ``"month"`` or ``"quarter"`` (every third month from
                ``dtstart``'s month).
            count: How many occurrences at most.
            until: The last day (or instant) an occurrence may fall on.
            exclusions: Local dates to skip.

        Raises:
            ValidationError: an unknown weekday, period or ``nth``.

        Examples:
            >>> import datetime as dt
            >>> start = dt.datetime(2024, 9, 1, 16, tzinfo=dt.UTC)
            >>> c = Cadence.by_weekday("TU", start, 60, nth=2, count=3)
            >>> c.rrule, [o.day for o in c.occurrences()]
            ('FREQ=MONTHLY;COUNT=3;BYDAY=+2TU', [10, 8, 12])
        """
        if not isinstance(weekday, str) or weekday.upper() not in _WEEKDAYS:
            raise ValidationError(f"must be one of {', '.join(_WEEKDAYS)}", field="weekday",
                                  value=weekday)  # fmt: skip
        if per not in ("week", "month", "quarter"):
            raise ValidationError("must be 'week', 'month' or 'quarter'", field="per", value=per)
        if nth is not None and (
            isinstance(nth, bool) or not isinstance(nth, int) or nth == 0 or abs(nth) > 5
        ):
            raise ValidationError("must be 1..5 or -1..-5", field="nth", value=nth)
        if per == "week" and nth is not None:
            raise ValidationError("needs per='month' or 'quarter'", field="nth", value=nth)
        freq = "WEEKLY" if per == "week" else "MONTHLY"
        interval = 3 if per == "quarter" else 1
        byday = f"{'' if nth is None else f'{nth:+d}'}{weekday.upper()}"
        return cls._build(freq, dtstart, minutes, interval, count, until, exclusions, byday)

    @classmethod
    def _build(
        cls,
        freq: str,
        dtstart: dt.datetime,
        minutes: int,
        interval: int,
        count: int | None,
        until: dt.date | dt.datetime | None,
        exclusions: Iterable[dt.date],
        byday: str | None = None,
    ) -> Cadence:
        start = _aware(dtstart, "dtstart")
        parts = [f"FREQ={freq}"]
        if isinstance(interval, bool) or not isinstance(interval, int) or interval < 1:
            raise ValidationError("must be a whole number >= 1", field="interval", value=interval)
        if interval != 1:
            parts.append(f"INTERVAL={interval}")
        if count is not None:
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise ValidationError("must be a whole number >= 1", field="count", value=count)
            parts.append(f"COUNT={count}")
        if until is not None:
            if isinstance(until, dt.datetime):
                parts.append(f"UNTIL={_utc_text(_aware(until, 'until'))}")
            elif isinstance(until, dt.date):
                parts.append(f"UNTIL={until.strftime('%Y%m%d')}")
            else:
                raise ValidationError("must be a date or an aware datetime", field="until",
                                      value=until)  # fmt: skip
        if byday is not None:
            parts.append(f"BYDAY={byday}")
        return cls.from_rrule(";".join(parts), start, minutes, exclusions=exclusions)

    @property
    def bounded(self) -> bool:
        """Whether the rule ends (has ``COUNT`` or ``UNTIL``)."""
        return "COUNT=" in self.rrule or "UNTIL=" in self.rrule

    @property
    def recurrence(self) -> _rr.rrule:
        """The :class:`dateutil.rrule.rrule` behind the cadence (exclusions not applied)."""
        return self._rule

    def excluding(self, *days: dt.date) -> Cadence:
        """The same cadence with more dates excluded.

        Examples:
            >>> import datetime as dt
            >>> c = Cadence.weekly(dt.datetime(2024, 12, 2, 9, tzinfo=dt.UTC), 30, count=4)
            >>> [o.day for o in c.excluding(dt.date(2024, 12, 23)).occurrences()]
            [2, 9, 16]
        """
        return attrs.evolve(self, exclusions=(*self.exclusions, *days))

    def excluding_period(self, first: dt.date, last: dt.date) -> Cadence:
        """The same cadence with every date from ``first`` to ``last`` excluded (a break).

        Raises:
            ValidationError: ``last`` before ``first``, or either not a date.
        """
        _dates((first, last))
        if last < first:
            raise ValidationError(f"must not be before {first.isoformat()}", field="last",
                                  value=last)  # fmt: skip
        span = (last - first).days
        return self.excluding(*(first + dt.timedelta(days=n) for n in range(span + 1)))

    def occurrences(
        self, between: tuple[dt.datetime, dt.datetime] | None = None
    ) -> list[dt.datetime]:
        """The start of every occurrence, in ``dtstart``'s time zone, in time order.

        Args:
            between: ``(a, b)``: only occurrences with ``a <= start < b`` (aware
                datetimes). Required when the rule has neither ``COUNT`` nor ``UNTIL``.

        Raises:
            ValidationError: ``between`` is missing for an unbounded rule, is not a pair of
                aware datetimes, or ends before it starts.
        """
        exclusions = set(self.exclusions)
        if between is None:
            if not self.bounded:
                raise ValidationError("is required for a rule without COUNT or UNTIL",
                                      field="between")  # fmt: skip
            found: Iterator[dt.datetime] = iter(self._rule)
        else:
            if not isinstance(between, tuple) or len(between) != 2:
                raise ValidationError("must be a pair (start, end)", field="between",
                                      value=between)  # fmt: skip
            a = _aware(between[0], "between")
            b = _aware(between[1], "between")
            if b < a:
                raise ValidationError("must not end before it starts", field="between",
                                      value=between)  # fmt: skip
            found = (o for o in self._rule.between(a, b, inc=True) if o < b)
        return [o for o in found if o.date() not in exclusions]
