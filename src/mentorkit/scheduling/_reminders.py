"""Due reminders: planned sessions, next steps and milestones coming up, through hooks."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import TYPE_CHECKING

from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.model import (
    ActionItem,
    Activity,
    Enrollment,
    EnrollmentStatus,
    Event,
    Mentorship,
    Session,
    SessionStatus,
)
from mentorkit.model._checks import store_reader as _check_reader
from mentorkit.storage import Range

if TYPE_CHECKING:
    from mentorkit.scheduling._hooks import Hooks, ReminderDue
    from mentorkit.storage import Store


def _instant(value: object, field: str) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise ValidationError("must be a timezone-aware datetime", field=field, value=value)
    return value


def _after(t: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """``t + delta``, or the calendar's last instant past it (until= near 9999-12-31)."""
    try:
        return t + delta
    except OverflowError:
        return dt.datetime.max.replace(tzinfo=dt.UTC)


def _before(t: dt.datetime, delta: dt.timedelta) -> dt.datetime | None:
    """``t - delta``, or ``None`` before the calendar's first day (a lead of millennia)."""
    try:
        return t - delta
    except OverflowError:
        return None


def _title(session: Session) -> str:
    if session.activity is Activity.OTHER:
        return "mentoring session"
    return f"{session.activity.value.replace('_', ' ')} session"


def due_reminders(
    store: Store,
    *,
    since: dt.datetime,
    until: dt.datetime,
    lead: dt.timedelta = dt.timedelta(days=1),
    cohort_id: str | None = None,
    tz: dt.tzinfo = dt.UTC,
    hooks: Hooks | None = None,
) -> tuple[ReminderDue, ...]:
    """The reminders that fall due in ``(since, until]``, fired as ``reminder_due`` events.

    A reminder falls due ``lead`` before what it is about: a planned session (status
    ``planned``) starting, an action item not yet done falling due (at the start of its due
    day in ``tz``), or a cohort's milestone [Event][mentorkit.model.Event] (at its start,
    or the start of its day in ``tz``; the people to remind are the cohort's selected and
    active enrolments). Run it from a scheduled job with ``since`` the previous run's
    ``until``: each reminder then fires exactly once, however often the job runs.
    mentorkit sends nothing itself; your ``reminder_due`` callback does.

    Args:
        store: Where sessions, mentorships, action items, events and enrolments are.
        since: The end of the previous run (exclusive), timezone-aware.
        until: Now, or the end of this run (inclusive), timezone-aware, not before ``since``.
        lead: How long before the event to remind (zero or more).
        cohort_id: Only this cohort's sessions, their action items, and its events;
            default: all.
        tz: The time zone of action items' due days.
        hooks: Where to send the reminders; default ``None``: only returned.

    Returns:
        The [ReminderDue][mentorkit.scheduling.ReminderDue] events, by due time then id.

    Raises:
        ValidationError: A bad argument, naming it.
        ExceptionGroup: A ``reminder_due`` callback failed; raised after every reminder
            was fired (one group per failing reminder).

    Examples:
        >>> import datetime as dt
        >>> from mentorkit import Mentorship, Session, open_store
        >>> at = dt.datetime(2024, 10, 3, 16, tzinfo=dt.UTC)
        >>> with open_store("memory://") as store:
        ...     _ = store.put(Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2",
        ...                              start=dt.date(2024, 9, 1)))
        ...     _ = store.put(Session(id="s-1", mentorship_id="m-1", start=at, minutes=60,
        ...                           status="planned"))
        ...     due = due_reminders(store, since=at - dt.timedelta(days=2),
        ...                         until=at - dt.timedelta(hours=12))
        >>> [(r.kind, r.subject_id, r.people) for r in due]
        [('session', 's-1', ('p-1', 'p-2'))]
    """
    _check_reader(store, "store")
    from mentorkit.scheduling._hooks import ReminderDue, check_hooks, fire_each

    start = _instant(since, "since")
    end = _instant(until, "until")
    if end < start:
        raise ValidationError("must not be before since", field="until", value=until)
    if not isinstance(lead, dt.timedelta) or lead < dt.timedelta(0):
        raise ValidationError("must be a timedelta >= 0", field="lead", value=lead)
    if not isinstance(tz, dt.tzinfo):
        raise ValidationError("must be a tzinfo", field="tz", value=type(tz).__name__)
    if cohort_id is not None and (not isinstance(cohort_id, str) or not cohort_id):
        raise ValidationError("must be a non-empty id", field="cohort_id", value=cohort_id)
    check_hooks(hooks)
    mentorships = {
        m.id: m
        for m in (
            store.all(Mentorship)
            if cohort_id is None
            else store.find(Mentorship, cohort_id=cohort_id)
        )
    }
    out: list[ReminderDue] = []
    window = Range(_after(start, lead), _after(_after(end, lead), dt.timedelta(microseconds=1)))
    for s in store.find(Session, start=window):
        m = mentorships.get(s.mentorship_id)
        if s.status is not SessionStatus.PLANNED or s.start <= start + lead:
            continue
        if m is None and cohort_id is not None:
            continue
        people = s.participants or ((m.mentor_id, m.mentee_id) if m is not None else ())
        out.append(ReminderDue(kind="session", subject_id=s.id, due=s.start,
                               remind_at=s.start - lead, people=tuple(people),
                               title=_title(s),
                               mentorship_id=s.mentorship_id,
                               cohort_id=m.cohort_id if m is not None else None))  # fmt: skip
    sessions: dict[str, Session] = {}
    for item in store.find(ActionItem, done=False):
        if item.due is None:
            continue
        due = dt.datetime.combine(item.due, dt.time(), tzinfo=tz)
        remind_at = _before(due, lead)
        if remind_at is None or not start < remind_at <= end:
            continue
        mentorship_id = None
        if item.session_id is not None:
            if item.session_id not in sessions:
                with contextlib.suppress(NotFoundError):  # dangling: no mentorship
                    sessions[item.session_id] = store.get(Session, item.session_id)
            session = sessions.get(item.session_id)
            mentorship_id = session.mentorship_id if session is not None else None
        if cohort_id is not None and mentorship_id not in mentorships:
            continue
        out.append(ReminderDue(kind="action_item", subject_id=item.id, due=due,
                               remind_at=remind_at, people=(item.owner_id,),
                               title="next step due", mentorship_id=mentorship_id,
                               cohort_id=(mentorships[mentorship_id].cohort_id
                                          if mentorship_id in mentorships else None)))  # fmt: skip
    events = store.all(Event) if cohort_id is None else store.find(Event, cohort_id=cohort_id)
    enrolled: dict[str, tuple[str, ...]] = {}
    for event in events:
        due = event.start or dt.datetime.combine(event.date, dt.time(), tzinfo=tz)
        remind_at = _before(due, lead)
        if remind_at is None or not start < remind_at <= end:
            continue
        if event.cohort_id not in enrolled:
            enrolled[event.cohort_id] = tuple(sorted({
                e.person_id for e in store.find(Enrollment, cohort_id=event.cohort_id)
                if e.status in (EnrollmentStatus.SELECTED, EnrollmentStatus.ACTIVE)
            }))  # fmt: skip
        out.append(ReminderDue(kind="milestone", subject_id=event.id, due=due,
                               remind_at=remind_at, people=enrolled[event.cohort_id],
                               title=event.name or event.kind.value.replace("_", " "),
                               cohort_id=event.cohort_id))  # fmt: skip
    out.sort(key=lambda r: (r.due, r.kind, r.subject_id))
    if hooks is not None:
        fire_each(hooks, out)
    return tuple(out)
