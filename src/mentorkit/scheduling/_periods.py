"""Calendar periods (ISO weeks, months, quarters, years) and their labels."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from mentorkit.model import Period


def period_start(day: dt.date, per: Period) -> dt.date:
    """The first day of the period of ``per`` that holds ``day`` (weeks start on Monday)."""
    if per is Period.MONTH:
        return day.replace(day=1)
    if per is Period.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if per is Period.QUARTER:
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, 1, 1)


def next_start(start: dt.date, per: Period) -> dt.date:
    """The first day of the period after the one starting on ``start``."""
    if per is Period.WEEK:
        return start + dt.timedelta(days=7)
    if per is Period.YEAR:
        return dt.date(start.year + 1, 1, 1)
    months = 1 if per is Period.MONTH else 3
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def label(start: dt.date, per: Period) -> str:
    """``2025-06``, ``2025-W23``, ``2025-Q3`` or ``2025``."""
    if per is Period.MONTH:
        return f"{start.year}-{start.month:02d}"
    if per is Period.WEEK:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if per is Period.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


@lru_cache(maxsize=4096)
def due_periods(
    first: dt.date, last: dt.date, per: Period, limit: int | None
) -> tuple[tuple[str, dt.date, dt.date], ...]:
    """The periods a pair or team active from ``first`` to ``last`` owes a commitment.

    A period is due when the pair or team is active at its middle (so a pair formed on the
    25th owes nothing for that month, and one formed on the 3rd owes it in full); ``limit``
    keeps the first so many. Each is ``(label, first day, day after the last)``. The last
    period of year 9999 (whose next day a date cannot hold) is never due.
    """
    out: list[tuple[str, dt.date, dt.date]] = []
    start = period_start(first, per)
    while start <= last and (limit is None or len(out) < limit):
        try:
            after = next_start(start, per)
        except (ValueError, OverflowError):  # year 10000
            break
        middle = start + (after - start) / 2
        if first <= middle <= last:
            out.append((label(start, per), start, after))
        start = after
    return tuple(out)
