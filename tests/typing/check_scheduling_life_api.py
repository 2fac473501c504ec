"""Pins the public types of the lifecycle, health, hooks, reminders and calendar export."""

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, assert_type

from mentorkit import LifecycleChange, Mentorship, MentorshipStatus, Session
from mentorkit.scheduling import (
    DEFAULT_RULES,
    EVENTS,
    TRANSITIONS,
    CalendarEvent,
    CalendarSeries,
    DuplicateSessions,
    HealthChanged,
    HealthReport,
    HealthRule,
    HealthStatus,
    Hooks,
    LifecycleChanged,
    PairHealth,
    ReminderDue,
    SessionPlan,
    assess_health,
    calendar_entries,
    change_status,
    check_health,
    due_reminders,
    duplicate_sessions,
    to_ical,
    transition,
)
from mentorkit.storage import MemoryStore

at = dt.datetime(2025, 6, 2, 16, tzinfo=dt.UTC)
m = Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2", start=dt.date(2025, 6, 2))
store = MemoryStore()
assert_type(m.status, MentorshipStatus)
assert_type(m.end_reason, str | None)
assert_type(m.history, tuple[LifecycleChange, ...])
assert_type(transition(m, "paused", at=at), Mentorship)
assert_type(transition(m, MentorshipStatus.COMPLETED, at=at, by="p-9"), Mentorship)
assert_type(change_status(store, "m-1", "paused", hooks=Hooks()), Mentorship)
assert_type(TRANSITIONS, Mapping[MentorshipStatus, frozenset[MentorshipStatus]])

hooks = Hooks()
assert_type(EVENTS, Mapping[str, type[Any]])


def on_change(event: LifecycleChanged) -> None: ...
def on_health(event: HealthChanged) -> None: ...
def on_reminder(event: ReminderDue) -> None: ...


assert_type(hooks.register("lifecycle_changed", on_change), None)
assert_type(hooks.register("health_changed", on_health), None)
assert_type(hooks.register("reminder_due", on_reminder), None)
decorated = hooks.on("reminder_due")(on_reminder)
assert_type(decorated(ReminderDue(kind="session", subject_id="s", due=at, remind_at=at)), None)
assert_type(hooks.callbacks("reminder_due"), tuple[Callable[..., object], ...])

session = Session(id="s-1", mentorship_id="m-1", start=at, minutes=60)
health = assess_health(m, [session], as_of=dt.date(2025, 7, 1))
assert_type(health, PairHealth)
assert_type(health.status, HealthStatus)
assert_type(DEFAULT_RULES, tuple[HealthRule, ...])
report = check_health(store, as_of=dt.date(2025, 7, 1), previous={"m-1": "ok"}, hooks=hooks)
assert_type(report, HealthReport)
assert_type(report.statuses(), dict[str, str])
assert_type(report.changes(None), tuple[HealthChanged, ...])
assert_type(duplicate_sessions([session]), tuple[DuplicateSessions, ...])
assert_type(due_reminders(store, since=at, until=at), tuple[ReminderDue, ...])


def calendar(plan: SessionPlan, series: CalendarSeries, event: CalendarEvent) -> None:
    assert_type(to_ical(plan), bytes)
    assert_type(to_ical([series, event], name="x", stamp=at), bytes)
    assert_type(calendar_entries(plan), list[CalendarSeries | CalendarEvent])
