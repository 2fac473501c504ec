"""Programs over time: cadences, commitments, milestones, plans and adherence.

Also the relationship lifecycle and health, and events (hooks) for services.

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
from mentorkit.scheduling._health import (
    DEFAULT_RULES,
    DuplicateSessions,
    HealthContext,
    HealthFinding,
    HealthReport,
    HealthRule,
    HealthStatus,
    NoRecentSession,
    PairHealth,
    PeriodResult,
    ShortPeriods,
    assess_health,
    check_health,
    duplicate_sessions,
)
from mentorkit.scheduling._hooks import (
    EVENTS,
    EventName,
    HealthChanged,
    HookEvent,
    Hooks,
    LifecycleChanged,
    ReminderDue,
)
from mentorkit.scheduling._ical import CalendarEvent, CalendarSeries, to_ical
from mentorkit.scheduling._lifecycle import TRANSITIONS, change_status, transition
from mentorkit.scheduling._reminders import due_reminders

# Plainly sorted (tests/test_public_api.py), not isort-style with constants first.
__all__ = [  # noqa: RUF022
    "Cadence",
    "CalendarEvent",
    "CalendarSeries",
    "DEFAULT_RULES",
    "DuplicateSessions",
    "EVENTS",
    "EventName",
    "HealthChanged",
    "HealthContext",
    "HealthFinding",
    "HealthReport",
    "HealthRule",
    "HealthStatus",
    "HookEvent",
    "Hooks",
    "LifecycleChanged",
    "NoRecentSession",
    "PairHealth",
    "PeriodResult",
    "ReminderDue",
    "ShortPeriods",
    "TRANSITIONS",
    "assess_health",
    "change_status",
    "check_health",
    "due_reminders",
    "duplicate_sessions",
    "to_ical",
    "transition",
]
