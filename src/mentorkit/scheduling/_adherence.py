"""Planned against held: what each pair and team owed per period, and what it delivered."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Literal

import attrs

from mentorkit import _optional
from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.model import (
    ActionItem,
    Activity,
    Artefact,
    Cohort,
    Commitment,
    Engagement,
    LifecycleChange,
    Mentorship,
    MentorshipStatus,
    Period,
    Program,
    Reflection,
    Session,
    SessionStatus,
)
from mentorkit.model._checks import store_reader as _check_reader
from mentorkit.scheduling._periods import due_periods, label, next_start, period_start
from mentorkit.storage import Range, read_fields

if TYPE_CHECKING:
    from mentorkit.storage import Store


class AdherenceStatus(StrEnum):
    """Whether a period's promise was kept."""

    MET = "met"
    SHORT = "short"
    IN_PROGRESS = "in_progress"


@attrs.frozen(kw_only=True)
class Dose:
    """Meetings and minutes: promised (``None``: not promised) or delivered."""

    times: int | None = None
    minutes: int | None = None

    def __str__(self) -> str:
        parts = []
        if self.times is not None:
            parts.append(f"{self.times} meeting{'s' if self.times != 1 else ''}")
        if self.minutes is not None:
            parts.append(f"{self.minutes} min")
        return ", ".join(parts) or "-"


@attrs.frozen(kw_only=True, slots=True)
class AdherenceRow:
    """One pair or team (or one member of a team), one commitment, one period.

    Attributes:
        cohort_id: The cohort.
        unit: ``"pair"`` (a mentorship) or ``"team"`` (an engagement).
        who: The mentorship id or engagement id.
        person_id: The member the row is about, for a commitment counted per member
            (``together=False``): the mentee of a pair, one member of a team; else ``None``.
        commitment: The commitment's name.
        period: Its label: ``2025-06``, ``2025-W23``, ``2025-Q3``, ``2025``.
        start: The period's first day.
        end: The period's last day.
        promised: What the commitment promises per period.
        delivered: What was held (on-call sessions count as meetings, not minutes).
        missing_artefacts: Who has not written the period's artefact (a reflection).
        status: ``met``; ``short`` (the period ended without it); ``in_progress`` (the
            period had not ended by the report's day and is not met yet).
        session_ids: The sessions counted, each once.
    """

    cohort_id: str
    unit: Literal["pair", "team"]
    who: str
    person_id: str | None
    commitment: str
    period: str
    start: dt.date
    end: dt.date
    promised: Dose
    delivered: Dose
    missing_artefacts: tuple[str, ...]
    status: AdherenceStatus
    session_ids: tuple[str, ...]

    @property
    def met(self) -> bool:
        """Whether the promise was kept (meetings, minutes and artefacts)."""
        return self.status is AdherenceStatus.MET


@attrs.frozen(kw_only=True)
class OverdueItem:
    """An action item past its due day and not done, agreed in a pair's or team's session."""

    cohort_id: str
    unit: Literal["pair", "team"]
    who: str
    action_item_id: str
    owner_id: str
    due: dt.date
    days_overdue: int


@attrs.frozen(kw_only=True)
class Behind:
    """A pair or team falling behind: its short periods and its overdue action items.

    ``ended`` is the day it ended, when that was before the cohort's end and the report's
    day (it owes nothing after it; its short periods are history).
    """

    cohort_id: str
    unit: Literal["pair", "team"]
    who: str
    short: tuple[AdherenceRow, ...]
    overdue: tuple[OverdueItem, ...]
    ended: dt.date | None = None

    def __str__(self) -> str:
        return self.describe()

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """One line: the short periods and overdue items, with ``names`` for the ids.

        ``names`` maps a pair's or team's id, and people's ids, to what a reader knows them
        by (``{"ms-1": "Ana Ruiz with Kim Lee", "p-2": "Kim Lee"}``); an id without a name
        is shown as it is.

        Examples:
            >>> b = Behind(cohort_id="c", unit="pair", who="ms-1", short=(), overdue=())
            >>> b.describe({"ms-1": "Ana Ruiz with Kim Lee"})
            'pair Ana Ruiz with Kim Lee: '
        """
        name = (lambda i: i) if not names else (lambda i: names.get(i, i))
        parts = []
        for row in self.short:
            whom = f" ({name(row.person_id)})" if row.person_id and self.unit == "team" else ""
            what = f"{row.commitment}{whom} {row.period}: {_against(row.delivered, row.promised)}"
            if row.missing_artefacts:
                who = ", ".join(map(name, row.missing_artefacts))
                what += f", no {_ARTEFACT_WORD} from {who}"
            parts.append(what)
        if self.overdue:
            parts.append(f"{len(self.overdue)} overdue action item(s)")
        ended = f" (ended {self.ended})" if self.ended is not None else ""
        return f"{self.unit} {name(self.who)}{ended}: " + "; ".join(parts)


@attrs.frozen(kw_only=True)
class CohortRollup:
    """A cohort's adherence in a few numbers (periods that have ended only)."""

    cohort_id: str
    pairs: int
    teams: int
    met: int
    short: int
    in_progress: int
    behind: int

    @property
    def share_met(self) -> float | None:
        """Met periods among those that ended (``None`` when none has)."""
        done = self.met + self.short
        return self.met / done if done else None


def _against(delivered: Dose, promised: Dose) -> str:
    """``1 of 2 meetings, 90 of 180 min``: what was held of what was promised."""
    parts = []
    if promised.times is not None:
        plural = "s" if promised.times != 1 else ""
        parts.append(f"{delivered.times} of {promised.times} meeting{plural}")
    if promised.minutes is not None:
        parts.append(f"{delivered.minutes} of {promised.minutes} min")
    return ", ".join(parts)


_ARTEFACT_WORD = "reflection"
#: The report's headings and the note that says what "falling behind" means.
_BEHIND_HEADING = "Falling behind:"
_LATE_HEADING = "Not falling behind, but with action items past due:"
_DEFINITION = ("(falling behind: a period ended short of a commitment; an overdue action "
               "item alone is listed apart, not counted as falling behind)")  # fmt: skip
_Key = tuple[str, Literal["pair", "team"], str]
_COLUMNS = (
    "cohort_id", "unit", "who", "person_id", "commitment", "period", "start", "end",
    "promised_times", "promised_minutes", "delivered_times", "delivered_minutes",
    "missing_artefacts", "status", "met",
)  # fmt: skip


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector while rows are made.

    Millions of small tuples, none of them in a reference cycle: the collector would rescan
    the growing heap again and again for nothing (as in the stores' bulk reads and the graph
    metrics, it is paused, and switched back on after unless the caller had it off).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _row(raw: tuple[Any, ...]) -> AdherenceRow:
    (cohort_id, unit, who, person_id, commitment, period, start, end, promised, times,
     minutes, missing, status, session_ids) = raw  # fmt: skip
    return AdherenceRow(
        cohort_id=cohort_id, unit=unit, who=who, person_id=person_id, commitment=commitment,
        period=period, start=start, end=end, promised=promised,
        delivered=_dose(times, minutes), missing_artefacts=missing, status=status,
        session_ids=session_ids,
    )  # fmt: skip


# A row as adherence computes it: AdherenceRow's fields in order, with the delivered dose as
# two numbers (times, minutes). Rows are built from these on first use.
_STATUS, _COHORT, _UNIT, _WHO = 12, 0, 1, 2


@attrs.frozen(kw_only=True, slots=False)
class AdherenceReport:
    """Planned against held for the pairs and teams of a cohort (or of every cohort).

    ``rows`` has one [AdherenceRow][mentorkit.scheduling.AdherenceRow] per pair or team,
    commitment and period begun by ``as_of``; ``overdue`` the action items past due;
    [behind][mentorkit.scheduling.AdherenceReport.behind] lists who is falling behind,
    [rollup][mentorkit.scheduling.AdherenceReport.rollup] sums it up per cohort.
    """

    as_of: dt.date
    cohort_ids: tuple[str, ...]
    _late: tuple[tuple[Any, ...], ...] = attrs.field(alias="_late", repr=False)
    pairs: dict[str, int] = attrs.field(repr=False, factory=dict)
    teams: dict[str, int] = attrs.field(repr=False, factory=dict)
    #: The pairs and teams (by id) that ended before their cohort and ``as_of``: the day.
    ended: dict[str, dt.date] = attrs.field(repr=False, factory=dict)
    #: Per cohort, the held sessions no commitment counts (their activity is none a
    #: commitment asks for), by activity: ``{"coh": {"other": 1}}``.
    uncounted: dict[str, dict[str, int]] = attrs.field(repr=False, factory=dict)
    _raw: tuple[tuple[Any, ...], ...] = attrs.field(alias="_raw", repr=False)
    # Per cohort: rows met, short, in progress, and the pairs and teams with a short row,
    # counted as the rows were made (``rollup`` needs no second pass over them).
    _tally: dict[str, list[int]] = attrs.field(alias="_tally", repr=False, factory=dict)

    @cached_property
    def overdue(self) -> tuple[OverdueItem, ...]:
        """The action items past due and not done, agreed in the pairs' and teams' sessions."""
        with _collector_paused():
            return tuple(_overdue_item(raw) for raw in self._late)

    @cached_property
    def rows(self) -> tuple[AdherenceRow, ...]:
        """Every row: pair or team (or member), commitment and period, in that order."""
        with _collector_paused():
            return tuple(_row(raw) for raw in self._raw)

    def behind(self, *, overdue: bool = False) -> list[Behind]:
        """The pairs and teams with a short period (or, with ``overdue``, an overdue item).

        Periods still in progress never count as short.
        """
        short: dict[_Key, list[AdherenceRow]] = defaultdict(list)
        late: dict[_Key, list[OverdueItem]] = defaultdict(list)
        with _collector_paused():
            for raw in self._raw:
                if raw[_STATUS] is AdherenceStatus.SHORT:
                    short[raw[_COHORT], raw[_UNIT], raw[_WHO]].append(_row(raw))
        for item in self.overdue:
            late[item.cohort_id, item.unit, item.who].append(item)
        keys = set(short) | (set(late) if overdue else set())
        return [
            Behind(
                cohort_id=c,
                unit=u,
                who=w,
                short=tuple(short.get((c, u, w), ())),
                overdue=tuple(late.get((c, u, w), ())),
                ended=self.ended.get(w),
            )
            for c, u, w in sorted(keys)
        ]

    def kept(self, *, cohort_id: str | None = None) -> tuple[str, ...]:
        """The pairs and teams that kept every promise: who earns a completion award.

        A pair or team (its mentorship or engagement id) is listed when it has at least
        one row, every row is met (no period short, none still in progress on the
        report's day) and it did not end before its cohort did. Sorted by cohort, then
        pairs before teams, then id.

        Args:
            cohort_id: Only this cohort's pairs and teams (default: every cohort's).

        Examples:
            >>> import datetime as dt
            >>> from mentorkit.model import Cohort, Commitment, Mentorship, Program, Session
            >>> from mentorkit.storage import MemoryStore
            >>> store = MemoryStore()
            >>> _ = store.put(Program(id="p", name="P", commitments=[
            ...     Commitment(name="monthly meeting", per="month", times=1)]))
            >>> _ = store.put(Cohort(id="c", program_id="p", name="2025",
            ...                      start=dt.date(2025, 6, 1), end=dt.date(2025, 7, 31)))
            >>> for pair, months in (("m-1", (6, 7)), ("m-2", (6,))):
            ...     _ = store.put(Mentorship(id=pair, mentor_id="x", mentee_id=f"y{pair}",
            ...                              start=dt.date(2025, 6, 1), cohort_id="c"))
            ...     for month in months:
            ...         _ = store.put(Session(
            ...             id=f"s-{pair}-{month}", mentorship_id=pair, minutes=60,
            ...             start=dt.datetime(2025, month, 9, 16, tzinfo=dt.UTC)))
            >>> report = adherence(store, cohort_id="c", as_of=dt.date(2025, 8, 1))
            >>> report.kept()
            ('m-1',)
        """
        units: dict[_Key, bool] = {}
        for raw in self._raw:
            if cohort_id is not None and raw[_COHORT] != cohort_id:
                continue
            key = (raw[_COHORT], raw[_UNIT], raw[_WHO])
            units[key] = units.get(key, True) and raw[_STATUS] is AdherenceStatus.MET
        return tuple(
            who
            for (_, _, who), met in sorted(units.items(), key=lambda item: item[0])
            if met and who not in self.ended
        )

    def rollup(self) -> list[CohortRollup]:
        """One line per cohort: pairs, teams, periods met, short, in progress, units behind."""
        tally = {c: self._tally.get(c, [0, 0, 0, 0]) for c in self.cohort_ids}
        return [
            CohortRollup(
                cohort_id=c,
                pairs=self.pairs.get(c, 0),
                teams=self.teams.get(c, 0),
                met=tally[c][0],
                short=tally[c][1],
                in_progress=tally[c][2],
                behind=tally[c][3],
            )
            for c in self.cohort_ids
        ]

    def to_pandas(self) -> Any:
        """The rows as a `pandas.DataFrame`, one column per field (extra ``notebook``).

        ``met`` is a nullable boolean: `pandas.NA` for a period still in progress (not yet
        met, not yet short), so ``frame.groupby("who")["met"].mean()`` is the share of the
        periods that have ended which were met.

        Raises:
            ModuleNotFoundError: pandas is not installed (``pip install "mentorkit[notebook]"``).
        """
        pd = _optional.require("pandas")
        records = [
            (*raw[:8], raw[8].times, raw[8].minutes, raw[9], raw[10], ", ".join(raw[11]),
             raw[12].value,
             pd.NA if raw[12] is AdherenceStatus.IN_PROGRESS else raw[12] is AdherenceStatus.MET)
            for raw in self._raw
        ]  # fmt: skip
        frame = pd.DataFrame.from_records(records, columns=list(_COLUMNS))
        frame["met"] = frame["met"].astype("boolean")
        return frame

    def format(self, names: Mapping[str, str] | None = None) -> str:
        """A plain-text report: the roll-up, then who is falling behind and why.

        With ``names`` (ids of pairs, teams and people to what a reader knows them by), the
        lists name people rather than ids (see `Behind.describe`); ``mentorkit adherence``
        passes the people's names.

        *Falling behind* has one definition, the headline's and the list's: a pair or team
        with a period that ended short of a commitment (``behind()``; its overdue action
        items are listed with it). A pair or team whose periods were all met but which has
        an action item past due is not falling behind: the headline counts it apart
        (``N more with overdue action items only``) and it is listed under its own heading.
        """
        behind = self.behind()
        late_only = [b for b in self.behind(overdue=True) if not b.short]
        lines = [f"Adherence as of {self.as_of.isoformat()}"]
        for r in self.rollup():
            share = "-" if r.share_met is None else f"{r.share_met:.0%}"
            other = sum(b.cohort_id == r.cohort_id for b in late_only)
            lines.append(
                f"  {r.cohort_id}: {_count(r.pairs, 'pair')}, {_count(r.teams, 'team')}; "
                f"periods met {r.met}, "
                f"short {r.short}, in progress {r.in_progress} (met {share}); "
                f"{r.behind} falling behind"
                + (f", {other} more with overdue action items only" if other else "")
            )
        for cohort_id, left in self.uncounted.items():
            what = ", ".join(f"{n} session{'s' if n != 1 else ''} of {a}" for a, n in left.items())
            lines.append(f"  {cohort_id}: not counted (no commitment asks for it): {what}")
        if behind:
            lines.append(_BEHIND_HEADING)
            lines += [f"  {b.describe(names)}" for b in behind]
        elif self._raw:
            lines.append("Nobody is falling behind.")
        else:
            lines.append("Nothing is due yet (or the program promises no commitments).")
        if late_only:
            lines.append(_LATE_HEADING)
            lines += [f"  {b.describe(names)}" for b in late_only]
        if behind or late_only:
            lines.append(_DEFINITION)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


# --- the computation -------------------------------------------------------------------


@attrs.define(slots=True)
class _Unit:
    unit: Literal["pair", "team"]
    who: str
    cohort_id: str
    first: dt.date
    last: dt.date
    # (person id, role) of the mentee (a pair) or of each team member.
    members: tuple[tuple[str, str], ...]
    mentorship_ids: frozenset[str]
    # A team member's own coaching mentorship -> the member.
    member_of: tuple[tuple[str, str], ...]
    # Everyone who may own the unit's action items: the mentee and mentor, or coach and team.
    owners: tuple[str, ...]
    # The members, as a set (everyone present at a pair's sessions).
    present: frozenset[str]
    # A pair's paused spells (first day paused, day active again or None), from its history.
    pauses: tuple[tuple[dt.date, dt.date | None], ...] = ()


# What adherence reads, as tuples (``read_fields``): no entity is built for a report.
# A session: id, mentorship, engagement, start, minutes, on call, activity, activities,
# status, participants.
_SESSION_FIELDS = ("id", "mentorship_id", "engagement_id", "start", "minutes", "on_call",
                   "activity", "activities", "status", "participants")  # fmt: skip
# Without participants: what a pair needs.
_PAIR_SESSION_FIELDS = _SESSION_FIELDS[:-1]
_S = tuple[str, str, str | None, dt.datetime, int, bool, Activity, tuple[Activity, ...],
           SessionStatus, tuple[str, ...]]  # fmt: skip
# A reflection: who, when, on which mentorship.
_REFLECTION_FIELDS = ("person_id", "written", "mentorship_id")
_R = tuple[str, dt.date, str | None]
# An action item: id, owner, due, done, session.
_ITEM_FIELDS = ("id", "owner_id", "due", "done", "session_id")
_A = tuple[str, str, dt.date | None, bool, str | None]
# A mentorship: id, mentor, mentee, start, end, cohort.
_MENTORSHIP_FIELDS = ("id", "mentor_id", "mentee_id", "start", "end", "cohort_id", "history")
_M = tuple[str, str, str, dt.date, dt.date | None, str | None, tuple[LifecycleChange, ...]]


class _Source:
    """Where adherence reads sessions, reflections and action items from."""

    def sessions_of_mentorship(self, mentorship_id: str) -> Sequence[_S]:
        raise NotImplementedError

    def sessions_of_engagement(self, engagement_id: str) -> Sequence[_S]:
        raise NotImplementedError

    def reflections_of(self, person_id: str) -> Sequence[_R]:
        raise NotImplementedError

    def written(
        self, person_id: str, mentorship_ids: frozenset[str], as_of: dt.date
    ) -> list[dt.date]:
        """When ``person_id`` wrote reflections up to ``as_of``.

        Those on one of ``mentorship_ids``, or on no mentorship in particular.
        """
        return [
            r[1]
            for r in self.reflections_of(person_id)
            if (r[2] is None or r[2] in mentorship_ids) and r[1] <= as_of
        ]

    def may_be_late(self, unit: _Unit) -> bool:
        """Whether the unit may have an action item past due (``False``: surely not)."""
        return True

    def held_of_pair(self, mentorship_id: str, as_of: dt.date) -> list[_Held]:
        """A pair's held sessions up to ``as_of`` (those not filed under a team), by id.

        Who was present does not matter for a pair (it is left empty).
        """
        out = []
        for sid, _, engagement_id, start, minutes, on_call, activity, activities, status, _ in (
            self.sessions_of_mentorship(mentorship_id)
        ):
            # A session filed under the pair but run for a team counts for the team.
            if engagement_id is None and status is _HELD:
                day = start.date()
                if day <= as_of:
                    out.append((sid, day, 0 if on_call else minutes, activity, activities,
                                _NOBODY))  # fmt: skip
        return out

    def overdue_by_session(
        self, session_ids: Sequence[str], as_of: dt.date
    ) -> dict[str, list[_A]]:
        """The action items past due on ``as_of`` and not done, by session.

        At least those of ``session_ids`` (a source that read every item returns all).
        """
        raise NotImplementedError


class _StoreSource(_Source):
    """Indexed look-ups (``Store.find``) for one cohort, each made once."""

    def __init__(self, store: Store, people: Iterable[str]) -> None:
        self.store = store
        self.people = people

    def sessions_of_mentorship(self, mentorship_id: str) -> Sequence[_S]:
        return read_fields(self.store, Session, _SESSION_FIELDS, mentorship_id=mentorship_id)

    def sessions_of_engagement(self, engagement_id: str) -> Sequence[_S]:
        return read_fields(self.store, Session, _SESSION_FIELDS, engagement_id=engagement_id)

    def reflections_of(self, person_id: str) -> Sequence[_R]:
        return read_fields(self.store, Reflection, _REFLECTION_FIELDS, person_id=person_id)

    def overdue_by_session(
        self, session_ids: Sequence[str], as_of: dt.date
    ) -> dict[str, list[_A]]:
        # By session (indexed): anyone may own a next step agreed in the session (a lead,
        # an invited principal), not only the pair's or team's people.
        found: dict[str, list[_A]] = {}
        for session_id in session_ids:
            items = read_fields(
                self.store, ActionItem, _ITEM_FIELDS, session_id=session_id, done=False
            )
            late = [i for i in items if _overdue(i, as_of)]
            if late:
                found[session_id] = late
        return found


class _BulkSource(_Source):
    """Everything read once (``Store.all``): for reports over every cohort.

    A pair's sessions are made ready (held, up to ``as_of``, as adherence counts them) as
    they are read, in one pass; the sessions of the team members' mentorships and of the
    engagements are kept as read, for the team rules.
    """

    def __init__(
        self,
        store: Store,
        as_of: dt.date,
        *,
        action_items: bool,
        reflections: bool,
        in_teams: frozenset[str],
    ) -> None:
        self.as_of = as_of
        self.in_teams = in_teams
        # Read first: the pairs with one are noted as their sessions are read.
        self.items: dict[str, list[_A]] = defaultdict(list)
        # The open ones only (``done`` is indexed: the store filters, reading no document).
        items = read_fields(store, ActionItem, _ITEM_FIELDS, done=False) if action_items else []
        for item in items:
            # _overdue, inline: many items.
            if item[4] is not None and not item[3] and item[2] is not None and item[2] < as_of:
                self.items[item[4]].append(item)
        late = self.items
        self.late_pairs: set[str] = set()
        held: dict[str, list[_Held]] = defaultdict(list)
        nobody = _NOBODY
        # Every session but who took part (a pair does not need it, and it is the dearest
        # field to read); the few a team needs are read again, whole, by index below.
        # The store hands out one datetime object per distinct start: one day for each.
        days: dict[dt.datetime, dt.date] = {}
        for s in read_fields(store, Session, _PAIR_SESSION_FIELDS):
            if s[2] is None and s[8] is _HELD and s[1] not in in_teams:
                day = days.get(s[3])
                if day is None:
                    day = days[s[3]] = s[3].date()
                if day <= as_of:
                    held[s[1]].append((s[0], day, 0 if s[5] else s[4], s[6], s[7], nobody))
                    if s[0] in late:
                        self.late_pairs.add(s[1])
        self.held = held
        by_mentorship: dict[str, list[_S]] = defaultdict(list)
        by_engagement: dict[str, list[_S]] = defaultdict(list)
        for s in read_fields(store, Session, _SESSION_FIELDS, engagement_id=Range(start="")):
            by_engagement[s[2]].append(s)
            by_mentorship[s[1]].append(s)
        for mentorship_id in sorted(in_teams):
            by_mentorship[mentorship_id] = [
                s
                for s in read_fields(store, Session, _SESSION_FIELDS, mentorship_id=mentorship_id)
                if s[2] is None
            ] + by_mentorship.get(mentorship_id, [])
        self.by_mentorship, self.by_engagement = by_mentorship, by_engagement
        # By writer and mentorship (None: on no mentorship in particular), up to as_of.
        written: dict[tuple[str, str | None], list[dt.date]] = defaultdict(list)
        for r in read_fields(store, Reflection, _REFLECTION_FIELDS) if reflections else ():
            if r[1] <= as_of:
                written[r[0], r[2]].append(r[1])
        self.by_writer = written

    def sessions_of_mentorship(self, mentorship_id: str) -> Sequence[_S]:
        # Only the team members' mentorships (and sessions filed under an engagement) are
        # kept as read; a pair's are in held_of_pair.
        return self.by_mentorship.get(mentorship_id, ())

    def sessions_of_engagement(self, engagement_id: str) -> Sequence[_S]:
        return self.by_engagement.get(engagement_id, ())

    def held_of_pair(self, mentorship_id: str, as_of: dt.date) -> list[_Held]:
        if mentorship_id in self.in_teams:
            return super().held_of_pair(mentorship_id, as_of)
        return self.held.get(mentorship_id, [])

    def may_be_late(self, unit: _Unit) -> bool:
        return unit.unit == "team" or unit.who in self.late_pairs or unit.who in self.in_teams

    def written(
        self, person_id: str, mentorship_ids: frozenset[str], as_of: dt.date
    ) -> list[dt.date]:
        # Read up to self.as_of: a bulk source serves one report, of that day.
        by_writer = self.by_writer
        out = list(by_writer.get((person_id, None), ()))
        for mentorship_id in mentorship_ids:
            out += by_writer.get((person_id, mentorship_id), ())
        return out

    def overdue_by_session(
        self, session_ids: Sequence[str], as_of: dt.date
    ) -> dict[str, list[_A]]:
        return self.items


def find_cohort(store: Store, cohort_id: str, where: str = "this store") -> Cohort:
    """The stored cohort, or the one `NotFoundError` every scheduling call raises for it."""
    try:
        return store.get(Cohort, cohort_id)
    except NotFoundError:
        raise NotFoundError(f"no cohort {cohort_id!r} in {where}") from None


def _overdue(item: _A, as_of: dt.date) -> bool:
    due = item[2]
    return not item[3] and due is not None and due < as_of


def _units(
    cohort: Cohort, mentorships: Iterable[_M], engagements: Iterable[Engagement]
) -> list[_Unit]:
    units = []
    in_teams: set[str] = set()
    for e in sorted(engagements, key=lambda e: e.id):
        ids = frozenset(m.mentorship_id for m in e.members if m.mentorship_id is not None)
        in_teams |= ids
        units.append(_Unit("team", e.id, cohort.id, max(e.start or cohort.start, cohort.start),
                           min(e.end or cohort.end, cohort.end),
                           tuple((m.person_id, m.role) for m in e.members), ids,
                           tuple((m.mentorship_id, m.person_id) for m in e.members
                                 if m.mentorship_id is not None),
                           (e.coach_id, *e.person_ids), frozenset(e.person_ids)))  # fmt: skip
    for m in mentorships:
        m_id, mentor_id, mentee_id, start, end, _, history = m
        if m_id in in_teams:
            continue  # its sessions count for the team
        units.append(_Unit("pair", m_id, cohort.id, max(start, cohort.start),
                           min(end or cohort.end, cohort.end),
                           ((mentee_id, "mentee"),), frozenset((m_id,)), (),
                           (mentee_id, mentor_id), frozenset((mentee_id,)),
                           _pauses(history) if history else ()))  # fmt: skip
    return units


# A held session as adherence needs it: id, local day, minutes of dose (0 on call), the
# activities, and the members present (for a team).
_Held = tuple[str, dt.date, int, Activity, tuple[Activity, ...], frozenset[str]]


def _held(s: _S, present: frozenset[str]) -> _Held:
    return (s[0], s[3].date(), 0 if s[5] else s[4], s[6], s[7], present)


def _sessions(unit: _Unit, source: _Source, as_of: dt.date) -> list[_Held]:
    """The unit's held sessions up to ``as_of``, each once, with the members present."""
    members = unit.present
    if unit.unit == "pair":
        (mentorship_id,) = unit.mentorship_ids
        return source.held_of_pair(mentorship_id, as_of)
    found: dict[str, tuple[_S, frozenset[str]]] = {}
    for s in source.sessions_of_engagement(unit.who):
        present = members.intersection(s[9]) if s[9] else members
        found[s[0]] = (s, present)
    member_of = dict(unit.member_of)
    for mentorship_id in sorted(unit.mentorship_ids):
        for s in source.sessions_of_mentorship(mentorship_id):
            if s[2] is None and s[0] not in found:
                listed = members.intersection(s[9])
                found[s[0]] = (s, listed or frozenset((member_of[mentorship_id],)))
    ordered = sorted(found.values(), key=lambda pair: (pair[0][3], pair[0][0]))
    return [_held(s, present) for s, present in ordered if s[8] is _HELD and s[3].date() <= as_of]


_HELD = SessionStatus.HELD
_NOBODY: frozenset[str] = frozenset()


@lru_cache(maxsize=4096)
def _dose(times: int | None, minutes: int | None) -> Dose:
    # Doses are values: the few distinct ones are shared by every row.
    return Dose(times=times, minutes=minutes)


def _pauses(history: Sequence[LifecycleChange]) -> tuple[tuple[dt.date, dt.date | None], ...]:
    """The spells a mentorship was paused: (first day paused, day active again or None)."""
    out: list[tuple[dt.date, dt.date | None]] = []
    since: dt.date | None = None
    for change in history:
        if change.target is MentorshipStatus.PAUSED and since is None:
            since = change.at.date()
        elif change.target is not MentorshipStatus.PAUSED and since is not None:
            out.append((since, change.at.date()))
            since = None
    if since is not None:
        out.append((since, None))
    return tuple(out)


@lru_cache(maxsize=4096)
def _owed(
    first: dt.date,
    last: dt.date,
    per: Period,
    limit: int | None,
    as_of: dt.date,
    pauses: tuple[tuple[dt.date, dt.date | None], ...] = (),
) -> tuple[tuple[tuple[str, dt.date, dt.date, dt.date, bool], ...], dict[dt.date, int]]:
    """The periods owed and begun by ``as_of`` (label, first, after, last day, optional).

    A period is owed when the pair or team is active at its middle (`due_periods`) and not
    paused then. The period it starts (or ends) in part-way is optional: it gets a row only
    when what was delivered in it meets the commitment, so delivered sessions are credited
    and nothing is owed for the part of the period before the start.
    """
    owed = [
        (name, start, after, False)
        for name, start, after in due_periods(first, last, per, limit)
        if not any(p0 <= start + (after - start) / 2 < (p1 or _NEVER) for p0, p1 in pauses)
    ]
    starts = {p[1] for p in owed}
    for edge in (first, last):
        start = period_start(edge, per)
        if start not in starts and (limit is None or edge == first):
            try:
                after = next_start(start, per)
            except (ValueError, OverflowError):  # year 10000
                continue
            owed.append((label(start, per), start, after, True))
            starts.add(start)
    periods = tuple(
        (name, start, after, after - _DAY, optional)
        for name, start, after, optional in sorted(owed, key=lambda p: p[1])
        if start <= as_of
    )
    return periods, {p[1]: n for n, p in enumerate(periods)}


_NEVER = dt.date.max


def counted_until(
    cohort: Cohort,
    mentorships: Iterable[Mentorship],
    engagements: Iterable[Engagement],
    commitments: Sequence[Commitment],
) -> list[dt.date | None]:
    """Per commitment, the last day of the last period some pair or team of ``cohort`` owes.

    The periods are adherence's own (``_units`` and ``_owed``: each pair's or team's dates
    within the cohort's, its pauses, the commitment's ``periods`` counted from its own
    start); ``None`` where nobody owes the commitment a period. The plan of a cohort uses
    it to run its meetings until every period adherence counts is covered.
    """
    rows: list[_M] = [
        (m.id, m.mentor_id, m.mentee_id, m.start, m.end, m.cohort_id, m.history)
        for m in mentorships
    ]
    units = _units(cohort, rows, engagements)
    out: list[dt.date | None] = []
    for k in commitments:
        ends = [
            period[3]
            for unit in units
            for period in _owed(unit.first, unit.last, k.per, k.periods, _NEVER, unit.pauses)[0]
            if not period[4]  # a part-way period is credited when met, never owed
        ]
        out.append(max(ends, default=None))
    return out


_DAY = dt.timedelta(days=1)


def _evaluate(
    unit: _Unit,
    commitments: Sequence[Commitment],
    held: Sequence[_Held],
    source: _Source,
    as_of: dt.date,
    rows: list[tuple[Any, ...]],
    tally: list[int],
) -> None:
    """Append the unit's rows to ``rows`` and count them in ``tally``.

    ``tally`` is met, short, in progress, and units behind (one more when a row is short).
    """
    met_n = short_n = open_n = 0
    written: dict[str, list[dt.date]] | None = None
    team = unit.unit == "team"
    for k in commitments:
        periods, index = _owed(unit.first, unit.last, k.per, k.periods, as_of, unit.pauses)
        if not periods:
            continue
        # Who the rows are about: the pair or team as one, or each member alone.
        targets: list[tuple[str | None, frozenset[str], bool]]
        if not team:
            # A pair has one mentee: every commitment is about the pair and its mentee.
            mentee = unit.members[0][0]
            chosen = [mentee]
            targets = [(None if k.together else mentee, unit.present, False)]
        else:
            roles = {r for _, r in unit.members}.intersection(k.roles)
            chosen = [p for p, r in unit.members if not roles or r in roles]
            if k.together:
                targets = [(None, frozenset(chosen), False)]
            else:
                targets = [(p, frozenset((p,)), True) for p in chosen]
        per = k.per
        month = per is Period.MONTH
        reflected: dict[str, set[dt.date]] | None = None
        if k.artefact is Artefact.REFLECTION:
            if written is None:
                written = {}
                for member, _ in unit.members:
                    written[member] = source.written(member, unit.mentorship_ids, as_of)
            reflected = {}
            for p in chosen:
                if month:
                    reflected[p] = {w.replace(day=1) for w in written[p]}
                else:
                    reflected[p] = {period_start(w, per) for w in written[p]}
        wanted = frozenset(k.activities)
        promised = _dose(k.times, k.minutes)
        least_times, least_minutes, k_name = k.times, k.minutes, k.name
        cohort_id, kind, who = unit.cohort_id, unit.unit, unit.who
        size = len(periods)
        for person, needed, alone in targets:
            times = [0] * size
            minutes = [0] * size
            counted: list[list[str]] = [[] for _ in periods]
            for sid, day, dose, activity, activities, present in held:
                if team and (present != needed if alone else not needed <= present):
                    continue
                n = index.get(day.replace(day=1) if month else period_start(day, per))
                if n is None:
                    continue
                if wanted and activity not in wanted and wanted.isdisjoint(activities):
                    continue
                times[n] += 1
                minutes[n] += dose
                counted[n].append(sid)
            ordered = tuple(sorted(needed))
            single = reflected[ordered[0]] if reflected is not None and len(ordered) == 1 else None
            for n, (name, first, after, last_day, optional) in enumerate(periods):
                missing: tuple[str, ...] = ()
                if single is not None:
                    missing = () if first in single else ordered
                elif reflected is not None:
                    missing = tuple([p for p in ordered if first not in reflected[p]])
                if (
                    (least_times is None or times[n] >= least_times)
                    and (least_minutes is None or minutes[n] >= least_minutes)
                    and not missing
                ):
                    status = _MET
                    met_n += 1
                elif optional:
                    continue  # a part-way period is credited when met, never owed
                elif after <= as_of:
                    status = _SHORT
                    short_n += 1
                else:
                    status = _IN_PROGRESS
                    open_n += 1
                rows.append((cohort_id, kind, who, person, k_name, name, first, last_day,
                             promised, times[n], minutes[n], missing, status,
                             tuple(counted[n])))  # fmt: skip
    tally[0] += met_n
    tally[1] += short_n
    tally[2] += open_n
    if short_n:
        tally[3] += 1


_MET, _SHORT, _IN_PROGRESS = AdherenceStatus.MET, AdherenceStatus.SHORT, AdherenceStatus.IN_PROGRESS


def _overdue_items(
    unit: _Unit, held: Sequence[str], source: _Source, as_of: dt.date
) -> list[tuple[Any, ...]]:
    """OverdueItem's fields in order, as tuples (the items are built on first use)."""
    out: list[tuple[Any, ...]] = []
    items = source.overdue_by_session(held, as_of)
    if not items:
        return out
    for session_id in held:
        for item_id, owner_id, due, _, _ in items.get(session_id, ()):
            assert due is not None
            out.append((unit.cohort_id, unit.unit, unit.who, item_id, owner_id, due,
                        (as_of - due).days))  # fmt: skip
    return out


def _overdue_item(raw: tuple[Any, ...]) -> OverdueItem:
    cohort_id, unit, who, item_id, owner_id, due, days = raw
    return OverdueItem(
        cohort_id=cohort_id, unit=unit, who=who, action_item_id=item_id, owner_id=owner_id,
        due=due, days_overdue=days,
    )  # fmt: skip


def adherence(
    store: Store,
    *,
    cohort_id: str | None = None,
    as_of: dt.date | None = None,
    action_items: bool = True,
) -> AdherenceReport:
    """Planned against held for every pair and team of a cohort, per commitment and period.

    The cohort's program says what is owed (its [Commitment][mentorkit.model.Commitment]s);
    the sessions held say what was delivered. A pair is a mentorship of the cohort; a team
    is an [Engagement][mentorkit.model.Engagement] (its members' own mentorships then count
    for the team, not as pairs). Rules:

    * Only sessions held on or before ``as_of`` count, each at most once per commitment,
      pair or team, and period; a joint team session counts once for the team.
    * An on-call session counts as a meeting but adds no minutes.
    * A period that has not ended by ``as_of`` is ``in_progress`` until it is met, never
      ``short``; periods that have not begun are left out.
    * A pair or team owes a period when it is active at the period's middle: within its
      dates and the cohort's, and not paused (its lifecycle history); it owes the
      commitment's first ``periods`` such periods, when it sets a number. The period it
      starts or ends in part-way is never owed, but gets a ``met`` row when what was
      delivered in it meets the commitment. ``plan_sessions(..., pairs=...)`` plans the
      cohort's meetings by this same rule, so its calendar has a meeting in every period
      owed.

    Reads only the cohort's entities through indexed ``Store.find`` calls; with
    ``cohort_id=None`` it reports on every cohort, reading each collection once.

    Args:
        store: Where the cohort, its program, mentorships, engagements, sessions,
            reflections and action items are.
        cohort_id: The cohort, or ``None`` for every cohort in the store.
        as_of: The report's day (default: today).
        action_items: Also list the action items past due (``False`` reads none).

    Returns:
        The [AdherenceReport][mentorkit.scheduling.AdherenceReport].

    Raises:
        NotFoundError: no such cohort, or its program is missing.
        ValidationError: ``cohort_id`` is not a string, ``as_of`` not a date.

    Examples:
        >>> import datetime as dt
        >>> from mentorkit.model import Cohort, Mentorship, Program, Session
        >>> from mentorkit.scheduling import NEXTGEN_COMMITMENTS
        >>> from mentorkit.storage import MemoryStore
        >>> store = MemoryStore()
        >>> _ = store.put(Program(id="ng", name="NextGen", commitments=NEXTGEN_COMMITMENTS))
        >>> _ = store.put(Cohort(id="ng-25", program_id="ng", name="2025",
        ...                      start=dt.date(2025, 6, 1), end=dt.date(2025, 12, 31)))
        >>> _ = store.put(Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2",
        ...                          start=dt.date(2025, 6, 1), cohort_id="ng-25"))
        >>> _ = store.put(Session(id="s-1", mentorship_id="m-1", minutes=180,
        ...                       start=dt.datetime(2025, 6, 5, 16, tzinfo=dt.UTC),
        ...                       activity="shadowing"))
        >>> report = adherence(store, cohort_id="ng-25", as_of=dt.date(2025, 7, 10))
        >>> [(r.period, r.delivered.minutes, r.status.value, r.missing_artefacts)
        ...  for r in report.rows]
        [('2025-06', 180, 'short', ('p-2',)), ('2025-07', 0, 'in_progress', ('p-2',))]
    """
    _check_reader(store, "store")
    if cohort_id is not None and not isinstance(cohort_id, str):
        raise ValidationError("must be a cohort id or None", field="cohort_id", value=cohort_id)
    if as_of is None:
        as_of = dt.date.today()
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise ValidationError("must be a date", field="as_of", value=as_of)
    with _collector_paused():
        return _adherence(store, cohort_id, as_of, action_items=action_items)


def _adherence(
    store: Store, cohort_id: str | None, as_of: dt.date, *, action_items: bool
) -> AdherenceReport:
    programs: dict[str, Program]
    plan: list[tuple[Cohort, list[_Unit]]] = []
    if cohort_id is not None:
        cohort = find_cohort(store, cohort_id)
        programs = {cohort.program_id: store.get(Program, cohort.program_id)}
        mentorships = read_fields(store, Mentorship, _MENTORSHIP_FIELDS, cohort_id=cohort.id)
        units = _units(cohort, mentorships, store.find(Engagement, cohort_id=cohort.id))
        source: _Source = _StoreSource(store, [p for u in units for p in u.owners])
        plan.append((cohort, units))
    else:
        programs = {p.id: p for p in store.all(Program)}
        by_cohort_m: dict[str | None, list[_M]] = defaultdict(list)
        for m in read_fields(store, Mentorship, _MENTORSHIP_FIELDS):
            by_cohort_m[m[5]].append(m)
        by_cohort_e: dict[str | None, list[Engagement]] = defaultdict(list)
        for e in store.all(Engagement):
            by_cohort_e[e.cohort_id].append(e)
        for cohort in store.all(Cohort):
            plan.append((cohort, _units(cohort, by_cohort_m.get(cohort.id, ()),
                                        by_cohort_e.get(cohort.id, ()))))  # fmt: skip
        in_teams = frozenset(
            m.mentorship_id
            for group in by_cohort_e.values()
            for e in group
            for m in e.members
            if m.mentorship_id is not None
        )
        reflections = any(
            k.artefact is not None for p in programs.values() for k in p.commitments
        )
        source = _BulkSource(store, as_of, action_items=action_items, reflections=reflections,
                             in_teams=in_teams)  # fmt: skip
    rows: list[tuple[Any, ...]] = []
    overdue: list[tuple[Any, ...]] = []
    pairs: dict[str, int] = {}
    teams: dict[str, int] = {}
    ended: dict[str, dt.date] = {}
    uncounted: dict[str, dict[str, int]] = {}
    tallies: dict[str, list[int]] = {}
    for cohort, units in plan:
        program = programs.get(cohort.program_id)
        commitments = program.commitments if program is not None else ()
        # The activities some commitment counts (None: one counts every activity).
        asked: frozenset[Activity] | None = frozenset()
        for k in commitments:
            asked = None if asked is None or not k.activities else asked | set(k.activities)
        left: Counter[str] = Counter()
        tally = tallies[cohort.id] = [0, 0, 0, 0]
        pairs[cohort.id] = sum(u.unit == "pair" for u in units)
        teams[cohort.id] = len(units) - pairs[cohort.id]
        for unit in units:
            if unit.last < cohort.end and unit.last < as_of:
                ended[unit.who] = unit.last
            held = _sessions(unit, source, as_of)
            _evaluate(unit, commitments, held, source, as_of, rows, tally)
            if asked is not None and commitments:
                odd = [h[3] for h in held if h[3] not in asked and asked.isdisjoint(h[4])]
                if odd:  # rare: Counter.update is dear to call for every unit
                    left.update(a.value for a in odd)
            if action_items and source.may_be_late(unit):
                overdue.extend(_overdue_items(unit, [h[0] for h in held], source, as_of))
        if left:
            uncounted[cohort.id] = dict(sorted(left.items()))
    return AdherenceReport(
        as_of=as_of,
        cohort_ids=tuple(c.id for c, _ in plan),
        _raw=tuple(rows),
        _late=tuple(overdue),
        pairs=pairs,
        teams=teams,
        ended=ended,
        uncounted=uncounted,
        _tally=tallies,
    )


def _count(n: int, noun: str) -> str:
    """``1 pair``, ``2 pairs``: a count and its noun, singular for one."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
