"""Relationship health: pluggable rules, a report per mentorship, duplicate sessions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import attrs

from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.model import Engagement, Mentorship, MentorshipStatus, Session, SessionStatus
from mentorkit.model._checks import store_reader as _check_reader

if TYPE_CHECKING:
    from mentorkit.scheduling._hooks import HealthChanged, Hooks
    from mentorkit.storage import Store


class HealthStatus(StrEnum):
    """How a relationship is doing, from best to worst: ok, needs_check_in, at_risk."""

    OK = "ok"
    NEEDS_CHECK_IN = "needs_check_in"
    AT_RISK = "at_risk"

    @property
    def severity(self) -> int:
        """0 for ok, 1 for needs_check_in, 2 for at_risk (the worst finding wins)."""
        return _ORDER.index(self)


_ORDER = (HealthStatus.OK, HealthStatus.NEEDS_CHECK_IN, HealthStatus.AT_RISK)


@attrs.frozen(kw_only=True)
class PeriodResult:
    """One closed period of a relationship's commitments, as adherence judged it.

    Attributes:
        label: The period, as adherence names it (``"2025-01"``, ``"2025-Q1"``).
        end: Its last day.
        met: Whether every commitment of the period was met (``False``: short).
    """

    label: str
    end: dt.date
    met: bool


@attrs.frozen(kw_only=True)
class HealthContext:
    """What a [HealthRule][mentorkit.scheduling.HealthRule] looks at for one mentorship.

    Attributes:
        mentorship: The mentorship.
        sessions: Its held sessions up to ``as_of``, oldest first (from
            [check_health][mentorkit.scheduling.check_health], for a team member's coaching
            mentorship, also the team's sessions filed under another member's that this
            member attended).
        periods: Its closed periods up to ``as_of``, oldest first (empty when none are known).
        as_of: The day of the check.
    """

    mentorship: Mentorship
    sessions: tuple[Session, ...]
    periods: tuple[PeriodResult, ...]
    as_of: dt.date


@attrs.frozen(kw_only=True)
class HealthFinding:
    """What one rule found: the status it gives and why (plain text, no personal data)."""

    rule: str
    status: HealthStatus
    reason: str


@runtime_checkable
class HealthRule(Protocol):
    """Protocol: one health check of a relationship.

    A rule has a ``name`` and a ``check(context)`` that returns a
    [HealthFinding][mentorkit.scheduling.HealthFinding] or ``None`` (nothing to report).
    Write your own as any class with those two members and pass it in ``rules=``.
    """

    @property
    def name(self) -> str:
        """The rule's name, shown with its findings."""
        ...

    def check(self, context: HealthContext) -> HealthFinding | None:
        """The finding for this relationship, or ``None``."""
        ...


def _last_activation(m: Mentorship) -> dt.date:
    """The day the mentorship last became active (its start when the history is silent)."""
    for change in reversed(m.history):
        if change.target is MentorshipStatus.ACTIVE:
            return max(m.start, change.at.date())
    return m.start


def _status_on(m: Mentorship, day: dt.date) -> MentorshipStatus:
    """The mentorship's status at the end of ``day``, read from its history."""
    status = m.history[0].source if m.history else m.status
    for change in m.history:
        if change.at.date() > day:
            break
        status = change.target
    return status


def _positive(value: object, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("must be a whole number >= 1", field=field, value=value)


@attrs.frozen(kw_only=True)
class NoRecentSession:
    """Default rule: an active relationship with no session in ``days`` days needs a check-in.

    The clock starts at the last held session, or when the relationship (last) became
    active, whichever is later; after a pause the reason gives both gaps (``no session in
    107 days (last 2025-06-20; active again since 2025-08-01, 65 days; limit 30)``).
    Paused, proposed and finished relationships are left alone.
    """

    days: int = attrs.field(default=30)
    status: HealthStatus = HealthStatus.NEEDS_CHECK_IN

    @days.validator
    def _check_days(self, _attribute: object, value: object) -> None:
        _positive(value, "days")

    @property
    def name(self) -> str:
        """``"no_recent_session"``."""
        return "no_recent_session"

    def check(self, context: HealthContext) -> HealthFinding | None:
        """A finding when the last contact is more than ``days`` days before ``as_of``."""
        m = context.mentorship
        if m.status is not MentorshipStatus.ACTIVE or not m.active_on(context.as_of):
            return None
        active = _last_activation(m)
        last = context.sessions[-1].start.date() if context.sessions else None
        since = active if last is None else max(active, last)
        gap = (context.as_of - since).days
        if gap <= self.days:
            return None
        if last is None:
            reason = f"no session yet in {gap} days (limit {self.days})"
        elif last < active:  # the clock restarted when the relationship became active again
            reason = (f"no session in {(context.as_of - last).days} days (last {last}; active "
                      f"again since {active}, {gap} days; limit {self.days})")  # fmt: skip
        else:
            reason = f"no session in {gap} days (limit {self.days})"
        return HealthFinding(rule=self.name, status=self.status, reason=reason)


@attrs.frozen(kw_only=True)
class ShortPeriods:
    """Default rule: the last ``periods`` closed periods all short of the commitments -> at risk.

    "Short" is adherence's verdict (a commitment of the period not met); a period that met
    every commitment clears the rule. Periods that ended while the relationship was not
    active (paused, or still proposed) are left out.
    """

    periods: int = attrs.field(default=2)
    status: HealthStatus = HealthStatus.AT_RISK

    @periods.validator
    def _check_periods(self, _attribute: object, value: object) -> None:
        _positive(value, "periods")

    @property
    def name(self) -> str:
        """``"short_periods"``."""
        return "short_periods"

    def check(self, context: HealthContext) -> HealthFinding | None:
        """A finding when the last ``periods`` periods were all short."""
        m = context.mentorship
        if m.status in (MentorshipStatus.COMPLETED, MentorshipStatus.ENDED_EARLY):
            return None
        # A period that ended while the relationship was paused, or not yet started
        # (proposed), is not held against it.
        counted = [p for p in context.periods if _status_on(m, p.end) is MentorshipStatus.ACTIVE]
        last = counted[-self.periods :]
        if len(last) < self.periods or any(p.met for p in last):
            return None
        labels = ", ".join(p.label for p in last)
        return HealthFinding(rule=self.name, status=self.status,
                             reason=f"short of the commitments in {labels}")  # fmt: skip


DEFAULT_RULES: tuple[HealthRule, ...] = (NoRecentSession(), ShortPeriods())
"""The rules used when none are given.

No session in 30 days gives needs_check_in; the last two closed periods short gives at_risk.
"""


@attrs.frozen(kw_only=True)
class PairHealth:
    """The health of one mentorship: the worst status its findings give, and the findings."""

    mentorship_id: str
    status: HealthStatus
    findings: tuple[HealthFinding, ...] = ()


@attrs.frozen(kw_only=True)
class HealthReport:
    """Health of every relationship checked, on one day.

    Attributes:
        as_of: The day of the check.
        pairs: One [PairHealth][mentorkit.scheduling.PairHealth] per mentorship, by id.
    """

    as_of: dt.date
    pairs: tuple[PairHealth, ...]

    def __iter__(self) -> Iterator[PairHealth]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, mentorship_id: str) -> PairHealth:
        """The health of one mentorship of the report.

        Raises:
            NotFoundError: The mentorship was not checked (not current, or not there).
        """
        for pair in self.pairs:
            if pair.mentorship_id == mentorship_id:
                return pair
        raise NotFoundError(f"no mentorship {mentorship_id!r} in this health report")

    def flagged(self) -> tuple[PairHealth, ...]:
        """The relationships that are not ok, worst first."""
        bad = [p for p in self.pairs if p.status is not HealthStatus.OK]
        return tuple(sorted(bad, key=lambda p: (-p.status.severity, p.mentorship_id)))

    def statuses(self) -> dict[str, str]:
        """Mentorship id -> status value: JSON-friendly, to keep for the next check."""
        return {p.mentorship_id: p.status.value for p in self.pairs}

    def changes(
        self, previous: HealthReport | Mapping[str, HealthStatus | str] | None
    ) -> tuple[HealthChanged, ...]:
        """The relationships whose status differs from ``previous`` (missing there: ok).

        Raises:
            ValidationError: ``previous`` holds something that is not a health status.
        """
        from mentorkit.scheduling._hooks import HealthChanged

        before = _previous(previous)
        out = []
        for pair in self.pairs:
            was = before.get(pair.mentorship_id, HealthStatus.OK)
            if was is not pair.status:
                out.append(HealthChanged(mentorship_id=pair.mentorship_id, before=was,
                                         after=pair.status, health=pair))  # fmt: skip
        return tuple(out)


def _previous(
    previous: HealthReport | Mapping[str, HealthStatus | str] | None,
) -> dict[str, HealthStatus]:
    if previous is None:
        return {}
    if isinstance(previous, HealthReport):
        return {p.mentorship_id: p.status for p in previous.pairs}
    if not isinstance(previous, Mapping):
        raise ValidationError("must be a HealthReport or a mapping of mentorship id to status",
                              field="previous", value=type(previous).__name__)  # fmt: skip
    out = {}
    for key, value in previous.items():
        try:
            out[key] = HealthStatus(value)
        except ValueError:
            raise ValidationError("must be 'ok', 'needs_check_in' or 'at_risk'",
                                  field=f"previous[{key!r}]", value=value) from None  # fmt: skip
    return out


def _rules(rules: Sequence[HealthRule] | None) -> tuple[HealthRule, ...]:
    if rules is None:
        return DEFAULT_RULES
    if isinstance(rules, str | bytes) or not isinstance(rules, Iterable):
        raise ValidationError("must be a sequence of health rules", field="rules",
                              value=type(rules).__name__)  # fmt: skip
    out = tuple(rules)
    for i, rule in enumerate(out):
        if not isinstance(rule, HealthRule):
            raise ValidationError("must have a name and a check(context) method",
                                  field=f"rules[{i}]", value=type(rule).__name__)  # fmt: skip
    return out


def _day(value: object, field: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError("must be a date", field=field, value=value)
    return value


def assess_health(
    mentorship: Mentorship,
    sessions: Iterable[Session],
    *,
    as_of: dt.date,
    periods: Iterable[PeriodResult] = (),
    rules: Sequence[HealthRule] | None = None,
) -> PairHealth:
    """The health of one mentorship on a day, by the rules given (default: the defaults).

    Args:
        mentorship: The mentorship.
        sessions: Its sessions (others, cancelled or planned ones, and those after
            ``as_of`` are ignored).
        as_of: The day of the check.
        periods: Its closed periods with adherence's verdict (see
            [PeriodResult][mentorkit.scheduling.PeriodResult]); periods ending after
            ``as_of`` are ignored.
        rules: The [HealthRule][mentorkit.scheduling.HealthRule]s; default
            [DEFAULT_RULES][mentorkit.scheduling.DEFAULT_RULES].

    Returns:
        The worst status any rule gives (``ok`` when none finds anything), with the findings.

    Raises:
        ValidationError: A bad argument, naming it (a rule that returns something other than
            a finding or ``None`` is named too).

    Examples:
        >>> import datetime as dt
        >>> from mentorkit import Mentorship, Session
        >>> m = Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2",
        ...                start=dt.date(2024, 9, 1))
        >>> s = Session(id="s-1", mentorship_id="m-1", minutes=60,
        ...             start=dt.datetime(2024, 9, 10, 16, tzinfo=dt.UTC))
        >>> health = assess_health(m, [s], as_of=dt.date(2024, 11, 1))
        >>> health.status.value, health.findings[0].reason
        ('needs_check_in', 'no session in 52 days (limit 30)')
    """
    if not isinstance(mentorship, Mentorship):
        raise ValidationError("must be a Mentorship", field="mentorship",
                              value=type(mentorship).__name__)  # fmt: skip
    day = _day(as_of, "as_of")
    chosen = _rules(rules)
    own = [s for s in _sessions(sessions) if s.mentorship_id == mentorship.id]
    return _assess(mentorship, own, day, periods, chosen)


def _assess(
    mentorship: Mentorship,
    sessions: Iterable[Session],
    day: dt.date,
    periods: Iterable[PeriodResult],
    chosen: tuple[HealthRule, ...],
) -> PairHealth:
    """assess_health once the sessions are the relationship's (a team's joint ones too)."""
    held = sorted(
        (s for s in sessions if s.status is SessionStatus.HELD and s.start.date() <= day),
        key=lambda s: s.start,
    )  # fmt: skip
    closed = []
    for i, p in enumerate(_iterable(periods, "periods")):
        if not isinstance(p, PeriodResult):
            raise ValidationError("must be a PeriodResult", field=f"periods[{i}]",
                                  value=type(p).__name__)  # fmt: skip
        if p.end <= day:
            closed.append(p)
    closed.sort(key=lambda p: p.end)
    context = HealthContext(mentorship=mentorship, sessions=tuple(held),
                            periods=tuple(closed), as_of=day)  # fmt: skip
    findings = []
    for i, rule in enumerate(chosen):
        found = rule.check(context)
        if found is None:
            continue
        if not isinstance(found, HealthFinding):
            raise ValidationError("must return a HealthFinding or None",
                                  field=f"rules[{i}]", value=type(found).__name__)  # fmt: skip
        findings.append(found)
    status = max((f.status for f in findings), key=lambda s: s.severity, default=HealthStatus.OK)
    return PairHealth(mentorship_id=mentorship.id, status=status, findings=tuple(findings))


def _iterable(value: object, field: str) -> Iterable[object]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ValidationError("must be an iterable", field=field, value=type(value).__name__)
    return value


def _sessions(sessions: object) -> list[Session]:
    out = list(_iterable(sessions, "sessions"))
    for i, s in enumerate(out):
        if not isinstance(s, Session):
            raise ValidationError("must be a Session", field=f"sessions[{i}]",
                                  value=type(s).__name__)  # fmt: skip
    return out  # type: ignore[return-value]  # checked just above


def check_health(
    store: Store,
    *,
    as_of: dt.date,
    cohort_id: str | None = None,
    rules: Sequence[HealthRule] | None = None,
    periods: Mapping[str, Sequence[PeriodResult]] | None = None,
    previous: HealthReport | Mapping[str, HealthStatus | str] | None = None,
    hooks: Hooks | None = None,
) -> HealthReport:
    """Check the health of every current relationship in a store (or one cohort).

    Current: started by ``as_of`` and neither completed nor ended early. With ``hooks``,
    fires ``health_changed`` for each relationship whose status differs from ``previous``
    (keep ``report.statuses()`` between runs and pass it back; relationships missing from
    ``previous`` count as ok).

    Args:
        store: Where mentorships and sessions are.
        as_of: The day of the check.
        cohort_id: Only this cohort's mentorships; default: all.
        rules: The rules; default [DEFAULT_RULES][mentorkit.scheduling.DEFAULT_RULES].
        periods: Each mentorship's closed periods (mentorship id -> results). Default: read
            from [adherence][mentorkit.scheduling.adherence] when it is available for the
            cohort, else none (then the short-periods rule finds nothing).
        previous: The last check's report or its ``statuses()``.
        hooks: Where to announce changes; default ``None``: nobody is told.

    Returns:
        A [HealthReport][mentorkit.scheduling.HealthReport], ordered by mentorship id.

    Raises:
        ValidationError: A bad argument, naming it.
        ExceptionGroup: A ``health_changed`` callback failed; raised after every change
            was fired (one group per failing change).

    Examples:
        >>> import datetime as dt
        >>> from mentorkit import Mentorship, open_store
        >>> with open_store("memory://") as store:
        ...     _ = store.put(Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2",
        ...                              start=dt.date(2024, 9, 1), cohort_id="c-24"))
        ...     report = check_health(store, cohort_id="c-24", as_of=dt.date(2024, 9, 20))
        >>> report.statuses()
        {'m-1': 'ok'}
    """
    _check_reader(store, "store")
    from mentorkit.scheduling._hooks import check_hooks, fire_each

    day = _day(as_of, "as_of")
    chosen = _rules(rules)
    check_hooks(hooks)
    before = _previous(previous)
    if cohort_id is not None and (not isinstance(cohort_id, str) or not cohort_id):
        raise ValidationError("must be a non-empty id", field="cohort_id", value=cohort_id)
    if periods is not None and not isinstance(periods, Mapping):
        raise ValidationError("must map mentorship ids to period results", field="periods",
                              value=type(periods).__name__)  # fmt: skip
    mentorships = (store.all(Mentorship) if cohort_id is None
                   else store.find(Mentorship, cohort_id=cohort_id))  # fmt: skip
    if cohort_id is not None and not mentorships:
        from mentorkit.scheduling._adherence import find_cohort

        find_cohort(store, cohort_id)  # an unknown cohort is an error, not an empty report
    current = [
        m for m in mentorships
        if m.start <= day
        and m.status not in (MentorshipStatus.COMPLETED, MentorshipStatus.ENDED_EARLY)
    ]  # fmt: skip
    if periods is None:
        periods = _default_periods(store, cohort_id, day)
    by_pair: dict[str, list[Session]] = defaultdict(list)
    joint_of: dict[str, list[Session]] = defaultdict(list)
    if cohort_id is None:
        for s in store.all(Session):
            by_pair[s.mentorship_id].append(s)
            if s.engagement_id is not None:
                joint_of[s.engagement_id].append(s)
        engagements = store.all(Engagement)
    else:
        for m in current:
            by_pair[m.id] = list(store.find(Session, mentorship_id=m.id))
        engagements = store.find(Engagement, cohort_id=cohort_id)
        for e in engagements:
            joint_of[e.id] = store.find(Session, engagement_id=e.id)
    # A team's session is filed under one member's coaching mentorship; every member
    # present (none listed: the whole team) had that contact, as adherence counts it.
    for e in engagements:
        mentorship_of = {t.person_id: t.mentorship_id for t in e.members if t.mentorship_id}
        for s in joint_of.get(e.id, ()):
            present = [p for p in s.participants if p in mentorship_of] if s.participants \
                else list(mentorship_of)  # fmt: skip
            for person in present:
                if mentorship_of[person] != s.mentorship_id:
                    by_pair[mentorship_of[person]].append(s)
    pairs = tuple(
        _assess(m, by_pair.get(m.id, ()), day, periods.get(m.id, ()), chosen) for m in current
    )
    report = HealthReport(as_of=day, pairs=pairs)
    if hooks is not None:
        fire_each(hooks, report.changes(before))
    return report


def _default_periods(
    store: Store, cohort_id: str | None, as_of: dt.date
) -> Mapping[str, Sequence[PeriodResult]]:
    """Each mentorship's closed periods from adherence: short when any commitment was short.

    Periods still in progress are left out; without a stored cohort (or program) there are
    no periods, and the short-periods rule finds nothing.
    """
    from mentorkit.scheduling._adherence import AdherenceStatus, adherence

    try:
        report = adherence(store, cohort_id=cohort_id, as_of=as_of)
    except NotFoundError:
        return {}
    # A team's rows are its members' coaching mentorships' periods: a row about one member
    # counts for that member's mentorship, a joint row for every member's.
    teams: dict[str, dict[str, str]] = {}
    if any(row.unit == "team" for row in report.rows):
        engagements = (store.all(Engagement) if cohort_id is None
                       else store.find(Engagement, cohort_id=cohort_id))  # fmt: skip
        teams = {e.id: {t.person_id: t.mentorship_id for t in e.members if t.mentorship_id}
                 for e in engagements}  # fmt: skip
    verdicts: dict[str, dict[tuple[dt.date, str], bool]] = defaultdict(dict)
    for row in report.rows:
        if row.status is AdherenceStatus.IN_PROGRESS:
            continue
        key = (row.end, row.period)
        if row.unit == "pair":
            whose = [row.who]
        else:
            team = teams.get(row.who, {})
            whose = [team[row.person_id]] if row.person_id in team else (
                list(team.values()) if row.person_id is None else [])  # fmt: skip
        for who in whose:
            verdicts[who][key] = verdicts[who].get(key, True) and row.met
    return {
        who: [PeriodResult(label=label, end=end, met=met)
              for (end, label), met in sorted(periods.items())]
        for who, periods in verdicts.items()
    }  # fmt: skip


@attrs.frozen(kw_only=True)
class DuplicateSessions:
    """Two sessions of the same pair on the same day whose times overlap.

    ``first`` starts no later than ``second``.
    """

    first: Session
    second: Session


def duplicate_sessions(
    sessions: Iterable[Session], *, mentorships: Iterable[Mentorship] = ()
) -> tuple[DuplicateSessions, ...]:
    """Sessions recorded twice: the same pair, the same day, overlapping times.

    Cancelled sessions are left out. The day is the first session's local day (the second
    session's start is read in the first one's time zone). Two sessions overlap when each
    starts before the other ends; two that start at the same instant always do (even
    zero-minute ones). Sessions of two mentorships between the same two people (say, in
    two cohorts) count as the same pair when ``mentorships`` names them.

    Args:
        sessions: The sessions to look through.
        mentorships: Mentorships, to tell which sessions belong to the same two people;
            without them, the same pair means the same mentorship.

    Returns:
        Every overlapping pair of sessions, by the first one's start then id.

    Raises:
        ValidationError: Something that is not a session or mentorship, naming it.

    Examples:
        >>> import datetime as dt
        >>> from mentorkit import Session
        >>> at = dt.datetime(2024, 10, 3, 16, tzinfo=dt.UTC)
        >>> found = duplicate_sessions([
        ...     Session(id="s-1", mentorship_id="m-1", start=at, minutes=60),
        ...     Session(id="s-2", mentorship_id="m-1", start=at + dt.timedelta(minutes=30),
        ...             minutes=60),
        ...     Session(id="s-3", mentorship_id="m-1", start=at + dt.timedelta(hours=1),
        ...             minutes=60),
        ... ])
        >>> [(d.first.id, d.second.id) for d in found]
        [('s-1', 's-2'), ('s-2', 's-3')]
    """
    listed = _sessions(sessions)
    pair_of: dict[str, object] = {}
    for i, m in enumerate(_iterable(mentorships, "mentorships")):
        if not isinstance(m, Mentorship):
            raise ValidationError("must be a Mentorship", field=f"mentorships[{i}]",
                                  value=type(m).__name__)  # fmt: skip
        pair_of[m.id] = frozenset((m.mentor_id, m.mentee_id))
    groups: dict[object, list[Session]] = defaultdict(list)
    for s in listed:
        if s.status is not SessionStatus.CANCELLED:
            groups[pair_of.get(s.mentorship_id, ("mentorship", s.mentorship_id))].append(s)
    found = []
    for group in groups.values():
        group.sort(key=lambda s: (s.start, s.id))
        for i, a in enumerate(group):
            a_day = a.start.date()
            for b in group[i + 1 :]:
                if b.start != a.start and b.start >= a.end:
                    break  # sorted by start: no later one overlaps a either
                if b.start.astimezone(a.start.tzinfo).date() == a_day:
                    found.append(DuplicateSessions(first=a, second=b))
    found.sort(key=lambda d: (d.first.start, d.first.id, d.second.start, d.second.id))
    return tuple(found)
