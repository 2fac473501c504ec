"""Programs over time: cadences, commitments, milestones, plans and adherence.

A [Cadence][mentorkit.scheduling.Cadence] is a recurrence (an RFC 5545 RRULE on
:mod:`dateutil.rrule`) with a dose in minutes, in local wall-clock time.

Examples:
    >>> import datetime as dt
    >>> from zoneinfo import ZoneInfo
    >>> from mentorkit.scheduling import Cadence
    >>> start = dt.datetime(2025, 6, 3, 15, 30, tzinfo=ZoneInfo("America/Chicago"))
    >>> monthly = Cadence.by_weekday("TU", start, 180, nth=1, until=dt.date(2025, 12, 31))
    >>> [o.strftime("%b %d") for o in monthly.occurrences()][:3]
    ['Jun 03', 'Jul 01', 'Aug 05']
"""

from mentorkit.scheduling._cadence import Cadence

__all__ = [
    "Cadence",
]
