"""Program targets: a count of people meeting a criterion by a date, and progress towards it."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Hashable
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from mentorkit._gc import collector_paused
from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.measurement._disclosure import SUPPRESSED, DisclosurePolicy, Suppressed
from mentorkit.measurement._figures import known_ids, protect
from mentorkit.measurement._table import ReportTable, write_private
from mentorkit.model import (
    Cohort,
    Enrollment,
    EnrollmentStatus,
    Entity,
    Outcome,
    OutcomeKind,
    Program,
    Role,
)
from mentorkit.model import _checks as c
from mentorkit.model._checks import store_reader as _check_reader
from mentorkit.serialization import register

if TYPE_CHECKING:
    from mentorkit.graph import StoreReader

_YEAR = 365.25
#: Enrolments that count as supported: selected and beyond, not applicants or withdrawals.
SUPPORTED = frozenset(
    {EnrollmentStatus.SELECTED, EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED}
)


class TargetMeasure(StrEnum):
    """Who a target counts (each person once, on the day they first qualify).

    ``mentees``: people enrolled as mentees (selected, active or completed) in a cohort of
    the program, on their cohort's start. ``mentors``: likewise as mentors or coaches.
    ``promoted``: the program's mentees with a promotion on or after their cohort's start,
    on the promotion's date.
    """

    MENTEES = "mentees"
    MENTORS = "mentors"
    PROMOTED = "promoted"


def _measure(value: TargetMeasure | str) -> TargetMeasure:
    try:
        return TargetMeasure(value)
    except ValueError:
        return value  # type: ignore[return-value]  # the validator names the field


def _count(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("must be a whole number >= 1", field=attribute.name, value=value)


@register(tag="target")
@attrs.frozen(kw_only=True)
class Target(Entity):
    """A program target: ``count`` people meeting ``measure`` by ``deadline``.

    Examples:
        >>> import datetime as dt
        >>> Target(id="t-150", name="150 leaders supported by 2024", program_id="gem",
        ...        measure="mentees", count=150, deadline=dt.date(2024, 6, 30))
        Target(id='t-150', name='150 leaders supported by 2024', program_id='gem', measure=<TargetMeasure.MENTEES: 'mentees'>, count=150, deadline=datetime.date(2024, 6, 30), start=None)
    """  # noqa: E501

    collection: ClassVar[str] = "target"

    name: str = attrs.field(validator=c.text)
    program_id: str = attrs.field(validator=c.identifier)
    measure: TargetMeasure = attrs.field(converter=_measure, validator=c.member_of(TargetMeasure))
    count: int = attrs.field(validator=_count)
    deadline: dt.date = attrs.field(validator=c.is_date)
    start: dt.date | None = attrs.field(default=None, validator=c.optional_date)

    def __attrs_post_init__(self) -> None:
        c.not_before(self.start, self.deadline, field="deadline")


@attrs.frozen(kw_only=True)
class ProgressPoint:
    """The count on one date: those who qualified that day, and the running total.

    Attributes:
        date: The day (a cohort's start, or a promotion's date).
        label: The cohort that day belongs to (``None`` for promotions).
        new: People who first qualified on that day.
        total: People who qualified on or before that day.
    """

    date: dt.date
    label: str | None
    new: int | Suppressed
    total: int | Suppressed


@attrs.frozen(kw_only=True)
class _Figure:
    figure: str
    value: object


@attrs.frozen(kw_only=True)
class TargetProgress:
    """Where a target stands on a day: the count so far, the pace, and a projection.

    Attributes:
        target: The target.
        as_of: The day looked from.
        reached: People counted by then (withheld when small).
        remaining: ``target.count - reached`` (at least 0; withheld with ``reached``).
        points: The running count over time.
        pace_so_far: People per year from ``target.start`` to ``as_of`` (or the deadline,
            once it has passed). Without ``target.start``, the first day's people are the
            starting level, and the pace is those who came after, per year from the first
            day to the last (``None`` with a single day: no pace yet).
        pace_needed: People per year still needed from ``as_of`` to the deadline
            (``None`` once the deadline has passed).
        projected: The count at the deadline if the pace so far holds (the count at the
            deadline once it has passed).
        on_track: Whether ``projected`` reaches the target; once the deadline has passed,
            whether the target was met by it.
    """

    target: Target
    as_of: dt.date
    reached: int | Suppressed
    remaining: int | Suppressed
    points: ReportTable[ProgressPoint]
    pace_so_far: float | Suppressed | None
    pace_needed: float | Suppressed | None
    projected: float | Suppressed | None
    on_track: bool | None

    @property
    def final(self) -> bool:
        """Whether ``as_of`` is on or after the deadline: the count is the deadline's."""
        return self.as_of >= self.target.deadline

    @property
    def verdict(self) -> str | None:
        """``"met"``, ``"missed"`` (at the deadline), ``"on track"``, ``"behind"``, or ``None``.

        ``None`` when the figures it rests on are withheld or there is no pace yet.
        """
        if isinstance(self.reached, int) and self.reached >= self.target.count:
            return "met"
        if self.on_track is None:
            return None
        if self.final:
            return "met" if self.on_track else "missed"
        return "on track" if self.on_track else "behind"

    def to_text(self) -> str:
        """A plain-text summary, ready to paste into an e-mail."""
        t = self.target

        def show(v: object, form: str = "{:,.0f}") -> str:
            return "-" if v is None else str(v) if isinstance(v, Suppressed) else form.format(v)

        verdict = "" if self.verdict is None else f" ({self.verdict})"
        if self.final:
            lines = [
                f"{t.name}: {show(self.reached)} of {t.count:,} by the deadline "
                f"{t.deadline.isoformat()} ({self.verdict or '-'}; as of "
                f"{self.as_of.isoformat()})",
                f"  pace {show(self.pace_so_far, '{:,.1f}')} a year up to the deadline",
            ]
        else:
            lines = [
                f"{t.name}: {show(self.reached)} of {t.count:,} by {t.deadline.isoformat()} "
                f"(as of {self.as_of.isoformat()})",
                f"  pace so far {show(self.pace_so_far, '{:,.1f}')} a year; needed "
                f"{show(self.pace_needed, '{:,.1f}')} a year; projected "
                f"{show(self.projected)} by the deadline{verdict}",
            ]
        lines += ["  " + line for line in self.points.to_text().splitlines()[1:]]
        return "\n".join(lines)

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str:
        """The whole progress as CSV: the headline figures, a blank line, then the points.

        The first block has the columns ``figure,value`` (target, count, deadline, as of,
        reached, remaining, paces, projection, verdict; ``*`` marks a withheld figure);
        the second is [points][mentorkit.measurement.TargetProgress] as a table
        (``date,label,new,total``).

        Args:
            path: Also write the text to this file (owner-only permissions).

        Returns:
            The CSV text.

        Raises:
            StorageError: the file cannot be written.
        """
        t = self.target
        head = ReportTable(
            [
                _Figure(figure=name, value=value)
                for name, value in (
                    ("target_id", t.id),
                    ("target", t.name),
                    ("program_id", t.program_id),
                    ("measure", t.measure),
                    ("count", t.count),
                    ("deadline", t.deadline),
                    ("start", t.start),
                    ("as_of", self.as_of),
                    ("reached", self.reached),
                    ("remaining", self.remaining),
                    ("pace_so_far", self.pace_so_far),
                    ("pace_needed", self.pace_needed),
                    ("projected", self.projected),
                    ("verdict", self.verdict),
                )
            ],
            row_type=_Figure,
            title=t.name,
            policy=self.points.policy,
        )
        text = head.to_csv() + "\n" + self.points.to_csv()
        if path is not None:
            write_private(path, text)
        return text

    def _repr_html_(self) -> str:
        import html

        return f"<pre>{html.escape(self.to_text())}</pre>"


def _events(target: Target, source: StoreReader) -> dict[str, tuple[dt.date, str | None]]:
    """Each qualifying person's first day, with the cohort it came from."""
    cohorts = {k.id: k for k in source.find(Cohort, program_id=target.program_id)}
    if not cohorts and not any(p.id == target.program_id for p in source.all(Program)):
        raise NotFoundError(
            f"no program {target.program_id!r} (target {target.id!r}); programs: "
            + known_ids(
                {p.id for p in source.all(Program)} | {k.program_id for k in source.all(Cohort)}
            )
        )
    first: dict[str, tuple[dt.date, str | None]] = {}
    roles = (
        {Role.MENTEE} if target.measure is not TargetMeasure.MENTORS else {Role.MENTOR, Role.COACH}
    )
    joined: dict[str, dt.date] = {}
    for cohort_id, cohort in cohorts.items():
        for e in source.find(Enrollment, cohort_id=cohort_id):
            if e.role not in roles or e.status not in SUPPORTED:
                continue
            seen = first.get(e.person_id)
            if seen is None or (cohort.start, cohort_id) < (seen[0], seen[1] or ""):
                first[e.person_id] = (cohort.start, cohort_id)
            joined[e.person_id] = min(joined.get(e.person_id, cohort.start), cohort.start)
    if target.measure is not TargetMeasure.PROMOTED:
        return first
    promoted: dict[str, tuple[dt.date, str | None]] = {}
    for o in source.all(Outcome):
        start = joined.get(o.person_id)
        if o.kind is OutcomeKind.PROMOTION and start is not None and o.date >= start:
            seen = promoted.get(o.person_id)
            if seen is None or o.date < seen[0]:
                promoted[o.person_id] = (o.date, None)
    return promoted


@collector_paused
def progress(
    target: Target,
    source: StoreReader,
    *,
    as_of: dt.date | None = None,
    policy: DisclosurePolicy | None = None,
) -> TargetProgress:
    """How far a target has come: the running count, the pace, and a projection.

    Counts each person once, on the day they first qualify (see
    [TargetMeasure][mentorkit.measurement.TargetMeasure]), up to ``as_of``, or up to the
    deadline once it has passed (people who came later do not count towards this target;
    the verdict is then ``"met"`` or ``"missed"``). Counts under
    ``policy.min_cell`` are withheld, and so are neighbouring points' counts where the
    running totals would otherwise give a withheld one away.

    Args:
        target: The target.
        source: A [Store][mentorkit.storage.Store] (anything with ``find`` and ``all``)
            holding the program's cohorts, enrolments and outcomes.
        as_of: The day to look from (default: today).
        policy: Defaults to ``DisclosurePolicy()``.

    Returns:
        The progress.

    Raises:
        ValidationError: ``target`` is not a Target, or ``as_of`` not a date.
        NotFoundError: the store holds no program (nor cohort of one) with the target's
            ``program_id``.

    Give ``target.start`` (the day the program began recruiting towards the target): the
    pace so far is measured from it. Without it, the first cohort's people are taken as
    the starting level and the pace is the intake after them, per year from the first
    cohort's start to the last one's (with a single cohort there is no pace yet).

    Examples:
        >>> import datetime as dt
        >>> from mentorkit.storage import MemoryStore
        >>> from mentorkit.model import Cohort, Enrollment
        >>> store = MemoryStore()
        >>> for year, n in [(2019, 28), (2020, 27), (2021, 28)]:
        ...     _ = store.put(Cohort(id=f"c{year}", program_id="gem", name=str(year),
        ...                          start=dt.date(year, 8, 1), end=dt.date(year + 1, 6, 30)))
        ...     _ = store.put_many(Enrollment(id=f"e{year}-{k}", person_id=f"p{year}-{k}",
        ...                                   cohort_id=f"c{year}", role="mentee",
        ...                                   status="completed") for k in range(n))
        >>> t = Target(id="t", name="150 by 2024", program_id="gem", measure="mentees",
        ...            count=150, deadline=dt.date(2024, 6, 30), start=dt.date(2018, 8, 1))
        >>> p = progress(t, store, as_of=dt.date(2022, 6, 30))
        >>> p.reached, p.remaining, round(p.pace_so_far, 1), round(p.pace_needed, 1)
        (83, 67, 21.2, 33.5)
    """
    _check_reader(source, "source")
    if not isinstance(target, Target):
        raise ValidationError("must be a Target", field="target", value=type(target).__name__)
    if as_of is None:
        as_of = dt.date.today()
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise ValidationError("must be a date", field="as_of", value=as_of)
    policy = policy or DisclosurePolicy()
    until = min(as_of, target.deadline)  # after the deadline, the count at the deadline
    events = {p: e for p, e in _events(target, source).items() if e[0] <= until}
    per_day: dict[tuple[dt.date, str | None], int] = {}
    for day in events.values():
        per_day[day] = per_day.get(day, 0) + 1
    days = sorted(per_day, key=lambda d: (d[0], d[1] or ""))
    news = [per_day[d] for d in days]
    totals = [sum(news[: k + 1]) for k in range(len(news))]
    reached = totals[-1] if totals else 0
    # The running totals and the new counts are linked (total_k = total_{k-1} + new_k):
    # withhold small figures, then more until no withheld one follows from the rest.
    values: dict[Hashable, float] = {}
    equations: list[tuple[Hashable, list[Hashable]]] = []
    for k in range(len(days)):
        values["new", k] = news[k]
        values["total", k] = totals[k]
        parts: list[Hashable] = [("new", k)]
        if k:
            parts.append(("total", k - 1))
        equations.append((("total", k), parts))
    withheld: set[Hashable] = {key for key, v in values.items() if policy.is_small(int(v))}
    if withheld and policy.complementary:
        protect(values, withheld, equations)
    points = [
        ProgressPoint(
            date=day,
            label=label,
            new=SUPPRESSED if ("new", k) in withheld else news[k],
            total=SUPPRESSED if ("total", k) in withheld else totals[k],
        )
        for k, (day, label) in enumerate(days)
    ]
    hidden = bool(days) and ("total", len(days) - 1) in withheld
    pace: float | None = None
    if target.start is not None:
        if until > target.start:
            pace = reached / ((until - target.start).days / _YEAR)
    elif len(days) > 1 and days[-1][0] > days[0][0]:
        # No start: the first day's people are where the count began, not a pace; the
        # pace is the intake after it, per year from the first intake to the last.
        pace = (reached - news[0]) / ((days[-1][0] - days[0][0]).days / _YEAR)
    left_years = (target.deadline - as_of).days / _YEAR
    remaining = max(0, target.count - reached)
    needed = remaining / left_years if left_years > 0 else None
    projected: float | None
    if as_of >= target.deadline:
        projected = float(reached)
    else:
        projected = None if pace is None else reached + pace * left_years
    # Without a start, the pace rests on the first day's count too (reached less it): a
    # withheld first count withholds the pace and the projection made from it.
    pace_hidden = hidden or (target.start is None and bool(days) and ("new", 0) in withheld)
    projection_hidden = hidden or (pace_hidden and as_of < target.deadline)
    return TargetProgress(
        target=target,
        as_of=as_of,
        reached=SUPPRESSED if hidden else reached,
        remaining=SUPPRESSED if hidden else remaining,
        points=ReportTable(
            points, row_type=ProgressPoint, title=f"Progress: {target.name}", policy=policy
        ),
        pace_so_far=SUPPRESSED if pace_hidden and pace is not None else pace,
        pace_needed=SUPPRESSED if hidden and needed is not None else needed,
        projected=SUPPRESSED if projection_hidden and projected is not None else projected,
        on_track=(None if projected is None or projection_hidden else projected >= target.count),
    )
