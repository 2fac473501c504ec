"""Programs over time: cadences, plans, adherence, relationship lifecycle and health, events.

Example:
    >>> import datetime as dt
    >>> from mentorkit import Mentorship
    >>> from mentorkit.scheduling import transition
    >>> m = Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2", start=dt.date(2024, 9, 1))
    >>> transition(m, "paused", at=dt.datetime(2024, 12, 20, tzinfo=dt.UTC)).status.value
    'paused'
"""

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
from mentorkit.scheduling._lifecycle import TRANSITIONS, change_status, transition
from mentorkit.scheduling._reminders import due_reminders

# Plainly sorted (tests/test_public_api.py), not isort-style with constants first.
__all__ = [  # noqa: RUF022
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
    "transition",
]
