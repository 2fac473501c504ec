"""Programs over time: cadences, commitments, milestones, plans and adherence.

Also the relationship lifecycle and health, and events (hooks) for services.

A [Cadence][mentorkit.scheduling.Cadence] is a recurrence (an RFC 5545 RRULE on
`dateutil.rrule`) with a dose in minutes, in local wall-clock time. A program's
[Commitment][mentorkit.model.Commitment]s say what it promises per period;
[plan_sessions][mentorkit.scheduling.plan_sessions] turns them into a cohort's cadences and
milestone events, and [adherence][mentorkit.scheduling.adherence] compares them with the
sessions held.

Examples:
    >>> import datetime as dt
    >>> from zoneinfo import ZoneInfo
    >>> from mentorkit.scheduling import Cadence
    >>> start = dt.datetime(2025, 6, 3, 15, 30, tzinfo=ZoneInfo("America/Chicago"))
    >>> monthly = Cadence.by_weekday("TU", start, 180, nth=1, until=dt.date(2025, 12, 31))
    >>> [o.strftime("%b %d") for o in monthly.occurrences()][:3]
    ['Jun 03', 'Jul 01', 'Aug 05']
"""

from mentorkit.model import Commitment, Milestone
from mentorkit.scheduling._adherence import (
    AdherenceReport,
    AdherenceRow,
    AdherenceStatus,
    Behind,
    CohortRollup,
    Dose,
    OverdueItem,
    adherence,
)
from mentorkit.scheduling._cadence import Cadence
from mentorkit.scheduling._examples import (
    NEXTGEN_COMMITMENTS,
    NEXTGEN_MILESTONES,
    OEIB_COMMITMENTS,
    OEIB_MILESTONES,
)
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
from mentorkit.scheduling._ical import (
    CalendarEvent,
    CalendarSeries,
    calendar_entries,
    to_ical,
)
from mentorkit.scheduling._lifecycle import TRANSITIONS, change_status, transition
from mentorkit.scheduling._plan import (
    PlannedCommitment,
    PlannedSession,
    SessionPlan,
    milestone_events,
    plan_sessions,
)
from mentorkit.scheduling._reminders import due_reminders

# Plain sorted order, as tests/test_public_api.py checks (not isort order).
__all__ = [  # noqa: RUF022
    "AdherenceReport",
    "AdherenceRow",
    "AdherenceStatus",
    "Behind",
    "Cadence",
    "CalendarEvent",
    "CalendarSeries",
    "CohortRollup",
    "Commitment",
    "DEFAULT_RULES",
    "Dose",
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
    "Milestone",
    "NEXTGEN_COMMITMENTS",
    "NEXTGEN_MILESTONES",
    "NoRecentSession",
    "OEIB_COMMITMENTS",
    "OEIB_MILESTONES",
    "OverdueItem",
    "PairHealth",
    "PeriodResult",
    "PlannedCommitment",
    "PlannedSession",
    "ReminderDue",
    "SessionPlan",
    "ShortPeriods",
    "TRANSITIONS",
    "adherence",
    "assess_health",
    "calendar_entries",
    "change_status",
    "check_health",
    "due_reminders",
    "duplicate_sessions",
    "milestone_events",
    "plan_sessions",
    "to_ical",
    "transition",
]
