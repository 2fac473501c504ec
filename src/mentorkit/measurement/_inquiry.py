"""Cycles of inquiry: the lowest condition, trends across cycles, and what was done about it."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

import attrs

from mentorkit._gc import collector_paused
from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.measurement._disclosure import SUPPRESSED, DisclosurePolicy, Suppressed
from mentorkit.measurement._figures import known_ids, protect
from mentorkit.measurement._surveys import SurveyResult
from mentorkit.measurement._table import ReportTable
from mentorkit.model import Entity
from mentorkit.model import _checks as c
from mentorkit.serialization import register

if TYPE_CHECKING:
    from mentorkit.graph import StoreReader

#: How results are grouped: ``None`` per org unit, or a mapping / function from an org unit
#: id to its group (e.g. its network), whose figures are the respondent-weighted means.
GroupBy = Mapping[str, str] | Callable[[str], str | None] | None

#: The default ``tolerance`` of trends and follow-ups: half the last digit scores are
#: printed with (two decimals), so a change that prints as 0.00 is never up or down.
DEFAULT_TOLERANCE = 0.005


class Direction(StrEnum):
    """Which way a score moved from one cycle to the next."""

    UP = "up"
    DOWN = "down"
    FLAT = "flat"


@attrs.frozen(kw_only=True)
class ConditionScore:
    """One condition's published score for an org unit (or group) in a cycle.

    Attributes:
        survey_id: The survey.
        org_unit_id: The org unit, or the group id when results were grouped.
        cycle: The survey cycle.
        condition: The condition id.
        score: The mean score, withheld when fewer than the minimum cell responded.
        n: How many responded (withheld with the score).
    """

    survey_id: str
    org_unit_id: str
    cycle: str
    condition: str
    score: float | Suppressed
    n: int | Suppressed


@attrs.frozen(kw_only=True)
class Finding:
    """The lowest-scored condition of an org unit (or group) in one cycle.

    Only published scores compete: a condition withheld for too few respondents is never
    named lowest (``withheld`` says how many were left out). A unit whose every condition
    is withheld still has its row, marked withheld: ``condition``, ``score`` and ``n`` are
    [Suppressed][mentorkit.measurement.Suppressed] (``*``) and
    [all_withheld][mentorkit.measurement.Finding.all_withheld] is true, so a unit is never
    silently missing from the report.

    Attributes:
        survey_id: The survey.
        org_unit_id: The org unit or group.
        cycle: The cycle.
        condition: The lowest condition (withheld when every condition is).
        score: Its score (withheld when every condition is).
        n: Its respondents (withheld when every condition is).
        next_condition: The second-lowest condition (``None`` if only one was published).
        gap: How far below the second-lowest it scored.
        withheld: Conditions left out for too few respondents.
        tied_with: Other conditions with the same lowest score (``condition`` is then the
            first by id, and ``gap`` is 0): a tie is not one lowest condition.
    """

    survey_id: str
    org_unit_id: str
    cycle: str
    condition: str | Suppressed
    score: float | Suppressed
    n: int | Suppressed
    next_condition: str | None
    gap: float | None
    withheld: int
    tied_with: tuple[str, ...] = ()

    @property
    def all_withheld(self) -> bool:
        """Every condition of the unit is withheld: no lowest condition can be named."""
        return isinstance(self.condition, Suppressed)

    def inquiry(
        self,
        *,
        id: str,
        coaching_cycle_id: str | None = None,
        action_plan_id: str | None = None,
        next_step_ids: Iterable[str] = (),
        co_designed_with: Iterable[str] = (),
        store: StoreReader | None = None,
    ) -> Inquiry:
        """The [Inquiry][mentorkit.measurement.Inquiry] that responds to this finding.

        Args:
            id: The inquiry's id.
            coaching_cycle_id: The coaching cycle that responds.
            action_plan_id: The action plan that responds.
            next_step_ids: The co-designed next steps (action item ids).
            co_designed_with: The people who designed them with the lead.
            store: When given, the coaching cycle, action plan, next steps and people
                must exist in it.

        Raises:
            NotFoundError: with ``store``, a linked id it does not hold.
            ValidationError: every condition of the finding is withheld
                (``all_withheld``): there is no condition to inquire into.
        """
        if isinstance(self.condition, Suppressed):
            raise ValidationError(
                "every condition of this finding is withheld (too few respondents): there is "
                "no lowest condition to inquire into",
                field="condition",
                value=self.org_unit_id,
            )
        next_step_ids = tuple(next_step_ids)
        co_designed_with = tuple(co_designed_with)
        if store is not None:
            _check_links(
                store,
                coaching_cycle_id=coaching_cycle_id,
                action_plan_id=action_plan_id,
                next_step_ids=next_step_ids,
                co_designed_with=co_designed_with,
            )
        return Inquiry(
            id=id,
            survey_id=self.survey_id,
            org_unit_id=self.org_unit_id,
            condition=self.condition,
            cycle=self.cycle,
            coaching_cycle_id=coaching_cycle_id,
            action_plan_id=action_plan_id,
            next_step_ids=next_step_ids,
            co_designed_with=co_designed_with,
        )


def _check_links(
    store: StoreReader,
    *,
    coaching_cycle_id: str | None,
    action_plan_id: str | None,
    next_step_ids: Sequence[str],
    co_designed_with: Sequence[str],
) -> None:
    """Raise NotFoundError for a linked id the store does not hold."""
    from mentorkit.cycles import CoachingCycle
    from mentorkit.model import ActionItem, ActionPlan, Person

    links: list[tuple[type[Entity], str, Sequence[str]]] = [
        (CoachingCycle, "coaching_cycle_id", [coaching_cycle_id] if coaching_cycle_id else []),
        (ActionPlan, "action_plan_id", [action_plan_id] if action_plan_id else []),
        (ActionItem, "next_step_ids", next_step_ids),
        (Person, "co_designed_with", co_designed_with),
    ]
    get = getattr(store, "get", None)
    for cls, name, ids in links:
        if not ids:
            continue
        held = None if get is not None else {e.id for e in store.all(cls)}
        for one in ids:
            if held is not None:
                found = one in held
            else:
                try:
                    get(cls, one)  # type: ignore[misc]
                    found = True
                except NotFoundError:
                    found = False
            if not found:
                raise NotFoundError(f"{name}: no {cls.__name__} with id {one!r} in the store")


@attrs.frozen(kw_only=True)
class TrendPoint:
    """A condition's score for an org unit (or group) in one cycle, and how it moved.

    Attributes:
        survey_id: The survey.
        org_unit_id: The org unit or group.
        condition: The condition.
        cycle: The cycle.
        score: The score (withheld when fewer than the minimum cell responded).
        n: Respondents (withheld with the score).
        change: ``score`` minus the score of the previous published cycle (``None`` for the
            first, or when this one is withheld).
        direction: ``up``, ``down`` or ``flat`` (within ``tolerance``), ``None`` with
            ``change``.
    """

    survey_id: str
    org_unit_id: str
    condition: str
    cycle: str
    score: float | Suppressed
    n: int | Suppressed
    change: float | None
    direction: Direction | None


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list | tuple) else value  # type: ignore[return-value]


@register(tag="inquiry")
@attrs.frozen(kw_only=True)
class Inquiry(Entity):
    """A cycle of inquiry on one finding: the condition, and what responds to it.

    Links a finding (an org unit's lowest condition in a cycle) to the coaching cycle or
    action plan that responds to it and to the co-designed next steps (action item ids),
    so that [follow_up][mentorkit.measurement.follow_up] answers "did the condition move after we acted?".

    Examples:
        >>> Inquiry(id="inq-1", survey_id="conditions", org_unit_id="net-7",
        ...         condition="equity", cycle="2022-23", coaching_cycle_id="cc-7")
        Inquiry(id='inq-1', survey_id='conditions', org_unit_id='net-7', condition='equity', cycle='2022-23', coaching_cycle_id='cc-7', action_plan_id=None, next_step_ids=(), co_designed_with=())
    """  # noqa: E501

    collection: ClassVar[str] = "inquiry"

    survey_id: str = attrs.field(validator=c.identifier)
    org_unit_id: str = attrs.field(validator=c.identifier)
    condition: str = attrs.field(validator=c.identifier)
    cycle: str = attrs.field(validator=c.identifier)
    coaching_cycle_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    action_plan_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    next_step_ids: tuple[str, ...] = attrs.field(
        default=(), converter=_ids, validator=c.identifiers
    )
    co_designed_with: tuple[str, ...] = attrs.field(
        default=(), converter=_ids, validator=c.identifiers
    )
    note: str = attrs.field(default="", validator=c.text, repr=False)


@attrs.frozen(kw_only=True)
class FollowUp:
    """Did the condition move after we acted? One inquiry, its baseline and latest score.

    Attributes:
        inquiry_id: The inquiry.
        org_unit_id: The org unit or group.
        condition: The condition.
        baseline_cycle: The cycle of the finding.
        baseline_score: The score then.
        latest_cycle: The latest later cycle with a published score (``None`` if none yet).
        latest_score: Its score.
        change: ``latest_score - baseline_score``.
        direction: ``up``, ``down`` or ``flat`` (within ``tolerance``).
        cycles_since: How many cycles after the baseline have a published score.
        coaching_cycle_id: The coaching cycle that responded.
        action_plan_id: The action plan that responded.
        next_steps: How many co-designed next steps are linked.
    """

    inquiry_id: str
    org_unit_id: str
    condition: str
    baseline_cycle: str
    baseline_score: float | Suppressed | None
    latest_cycle: str | None
    latest_score: float | Suppressed | None
    change: float | None
    direction: Direction | None
    cycles_since: int
    coaching_cycle_id: str | None
    action_plan_id: str | None
    next_steps: int


def _group_of(by: GroupBy) -> Callable[[str], str | None]:
    if by is None:
        return lambda unit: unit
    if isinstance(by, Mapping) or callable(by):
        read = by.get if isinstance(by, Mapping) else by

        def group_of(unit: str) -> str | None:
            group = read(unit)
            if group is not None and not isinstance(group, str):
                raise ValidationError(
                    f"gives org unit {unit!r} a group that is not a string id",
                    field="by",
                    value=type(group).__name__,
                )
            return group

        return group_of
    raise ValidationError(
        "must be None, a mapping or a function of an org unit id",
        field="by",
        value=type(by).__name__,
    )


def _check_results(results: Iterable[SurveyResult]) -> list[SurveyResult]:
    if not isinstance(results, Iterable) or isinstance(results, str | bytes | Mapping):
        raise ValidationError(
            "must be an iterable of SurveyResult objects",
            field="results",
            value=type(results).__name__,
        )
    out = list(results)
    for k, r in enumerate(out):
        if not isinstance(r, SurveyResult):
            raise ValidationError(
                "must be SurveyResult objects", field=f"results[{k}]", value=type(r).__name__
            )
    return out


Key = tuple[str, str, str, str]  # survey, group, cycle, condition


def _pooled(
    results: Iterable[SurveyResult], by: GroupBy, *, checked: bool = False
) -> dict[Key, tuple[float, int]]:
    """Score and n per (survey, group, cycle, condition): respondent-weighted means."""
    group_of = _group_of(by)
    sums: dict[Key, list[float]] = {}
    single: dict[Key, float] = {}  # a key with one result keeps its score exactly
    for r in results if checked else _check_results(results):
        group = group_of(r.org_unit_id)
        if group is None:
            continue
        key = (r.survey_id, group, r.cycle, r.condition)
        acc = sums.get(key)
        if acc is None:
            sums[key] = [r.score * r.n, float(r.n)]
            single[key] = r.score
        else:
            acc[0] += r.score * r.n
            acc[1] += r.n
            single.pop(key, None)
    return {k: (single[k] if k in single else s / n, int(n)) for k, (s, n) in sums.items()}


def _grouped(
    results: Iterable[SurveyResult], by: GroupBy, policy: DisclosurePolicy
) -> tuple[dict[Key, tuple[float, int]], set[Key]]:
    """Scores per (survey, group, cycle, condition), and the keys whose figures to withhold.

    A figure is withheld for fewer than ``min_cell`` respondents. A group's figure is also
    withheld when its units withheld on their own (every per-unit report withholds them)
    number 1 to ``min_cell - 1`` respondents together: the group less its published units
    would give those few away, whichever report published the units.
    """
    checked = _check_results(results)
    pooled = _pooled(checked, by, checked=True)
    hidden = {k for k, (_, n) in pooled.items() if policy.is_small(n)}
    if by is not None:
        group_of = _group_of(by)
        small: dict[Key, int] = {}
        for (s, unit, cy, cond), (_, n) in _pooled(checked, None, checked=True).items():
            group = group_of(unit)
            if group is not None and policy.is_small(n):
                small[s, group, cy, cond] = small.get((s, group, cy, cond), 0) + n
        hidden |= {k for k, n in small.items() if policy.is_small(n)}
    return pooled, hidden


def _policy(policy: DisclosurePolicy | None) -> DisclosurePolicy:
    if policy is None:
        return DisclosurePolicy()
    if not isinstance(policy, DisclosurePolicy):
        raise ValidationError(
            "must be a DisclosurePolicy", field="policy", value=type(policy).__name__
        )
    return policy


@collector_paused
def condition_scores(
    results: Iterable[SurveyResult],
    *,
    by: GroupBy = None,
    policy: DisclosurePolicy | None = None,
) -> ReportTable[ConditionScore]:
    """Every condition's score per org unit (or group) and cycle, small groups withheld.

    With ``by``, results are pooled into groups (respondent-weighted means). A group's
    figure is withheld when it is small, or when its units withheld on their own number 1
    to ``min_cell - 1`` respondents together, so a per-unit report and a grouped one can be
    shared side by side;
    [report_conditions][mentorkit.measurement.report_conditions] prints both levels in one
    table.

    Args:
        results: Survey results (a store query, a list).
        by: ``None`` per org unit, or a mapping / function from an org unit to its group.
        policy: Defaults to ``DisclosurePolicy()``.

    Returns:
        Rows sorted by survey, org unit, cycle and condition.

    Examples:
        >>> rs = [SurveyResult(id=f"r{k}", survey_id="s", org_unit_id="u", cycle="2023",
        ...                    condition=cond, score=score, n=n)
        ...       for k, (cond, score, n) in enumerate([("equity", 2.5, 30), ("trust", 3.1, 4)])]
        >>> [(r.condition, r.score) for r in condition_scores(rs)]
        [('equity', 2.5), ('trust', Suppressed())]
    """
    policy = _policy(policy)
    pooled, hidden = _grouped(results, by, policy)
    rows = [
        ConditionScore(
            survey_id=s,
            org_unit_id=g,
            cycle=cy,
            condition=cond,
            score=SUPPRESSED if (s, g, cy, cond) in hidden else score,
            n=SUPPRESSED if (s, g, cy, cond) in hidden else n,
        )
        for (s, g, cy, cond), (score, n) in sorted(pooled.items())
    ]
    return ReportTable(rows, row_type=ConditionScore, title="Condition scores", policy=policy)


@collector_paused
def lowest_conditions(
    results: Iterable[SurveyResult],
    *,
    by: GroupBy = None,
    policy: DisclosurePolicy | None = None,
) -> ReportTable[Finding]:
    """The lowest-scored condition of each org unit (or group) in each cycle.

    Args:
        results: Survey results (a store query, a list).
        by: ``None`` per org unit, or a mapping / function from an org unit to its group
            (e.g. ``{school: network}``): the group's scores are respondent-weighted means.
        policy: Conditions with fewer respondents than ``policy.min_cell`` are withheld and
            never named lowest. Defaults to ``DisclosurePolicy()``.

    Returns:
        One [Finding][mentorkit.measurement.Finding] per survey, org unit (or group) and
        cycle, sorted; a unit whose every condition is withheld has a withheld row (its
        condition, score and respondents ``*``, ``all_withheld`` true), never none.

    Raises:
        ValidationError: ``results`` holds something else than ``SurveyResult``, or ``by``
            is not a mapping or function.

    Examples:
        >>> rs = [SurveyResult(id=f"r{k}", survey_id="s", org_unit_id="net-7", cycle="2023",
        ...                    condition=cond, score=score, n=40)
        ...       for k, (cond, score) in enumerate([("equity", 2.4), ("trust", 3.1)])]
        >>> f = lowest_conditions(rs)[0]
        >>> f.condition, f.score, f.next_condition, round(f.gap, 2)
        ('equity', 2.4, 'trust', 0.7)
    """
    policy = _policy(policy)
    units: dict[tuple[str, str, str], list[tuple[float, str, int]]] = {}
    withheld: dict[tuple[str, str, str], int] = {}
    pooled, hidden = _grouped(results, by, policy)
    for (s, g, cy, cond), (score, n) in pooled.items():
        key = (s, g, cy)
        if (s, g, cy, cond) in hidden:
            withheld[key] = withheld.get(key, 0) + 1
            units.setdefault(key, [])
        else:
            units.setdefault(key, []).append((score, cond, n))
    rows = []
    for (s, g, cy), scores in sorted(units.items()):
        if not scores:  # every condition withheld: the unit is shown, marked withheld
            rows.append(
                Finding(
                    survey_id=s,
                    org_unit_id=g,
                    cycle=cy,
                    condition=SUPPRESSED,
                    score=SUPPRESSED,
                    n=SUPPRESSED,
                    next_condition=None,
                    gap=None,
                    withheld=withheld.get((s, g, cy), 0),
                )
            )
            continue
        scores.sort()
        score, cond, n = scores[0]
        second = scores[1] if len(scores) > 1 else None
        # Scores equal but for float noise (a pooled 2.5 may be 2.4999999999999996) tie.
        ties = tuple(c for sc, c, _ in scores[1:] if math.isclose(sc, score, abs_tol=1e-9))
        rows.append(
            Finding(
                survey_id=s,
                org_unit_id=g,
                cycle=cy,
                condition=cond,
                score=score,
                n=n,
                next_condition=second[1] if second else None,
                gap=second[0] - score if second else None,
                withheld=withheld.get((s, g, cy), 0),
                tied_with=ties,
            )
        )
    return ReportTable(
        rows, row_type=Finding, title="Lowest condition per org unit and cycle", policy=policy
    )


def _direction(change: float, tolerance: float) -> Direction:
    # A change equal to the tolerance is flat even where float arithmetic leaves it a hair
    # over (2.45 - 2.4 is 0.04999..., 2.5 - 2.45 is 0.05000...3).
    slack = 1e-9 * max(1.0, abs(tolerance))
    if change > tolerance + slack:
        return Direction.UP
    if change < -tolerance - slack:
        return Direction.DOWN
    return Direction.FLAT


def _check_tolerance(tolerance: object) -> None:
    if (
        isinstance(tolerance, bool)
        or not isinstance(tolerance, int | float)
        or not 0 <= tolerance < math.inf
    ):
        raise ValidationError("must be a finite number >= 0", field="tolerance", value=tolerance)


def _cycle_order(cycles: Sequence[str] | None, seen: Iterable[str]) -> dict[str, int]:
    if cycles is None:
        return {cy: k for k, cy in enumerate(sorted(set(seen)))}
    if isinstance(cycles, str):
        raise ValidationError("must be a sequence of cycle names", field="cycles", value=cycles)
    order = {cy: k for k, cy in enumerate(cycles)}
    extra = sorted(set(seen) - set(order))
    for cy in extra:
        order[cy] = len(order)
    return order


@collector_paused
def trend(
    results: Iterable[SurveyResult],
    *,
    by: GroupBy = None,
    condition: str | None = None,
    cycles: Sequence[str] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    policy: DisclosurePolicy | None = None,
) -> ReportTable[TrendPoint]:
    """Each condition's score per org unit (or group) across cycles, with change and direction.

    ``change`` compares a cycle with the previous cycle whose score is published (a withheld
    cycle is skipped, never counted as zero).

    Args:
        results: Survey results.
        by: ``None`` per org unit, or a mapping / function from an org unit to its group.
        condition: Only this condition (``None`` for all).
        cycles: The order of the cycles (default: sorted by name).
        tolerance: A change within ``±tolerance`` (inclusive) is ``flat``. The default,
            0.005, keeps a change that prints as 0.00 from being called up or down; pass
            the smallest change that matters to you (such as 0.1 on a 1-5 scale).
        policy: Defaults to ``DisclosurePolicy()``.

    Returns:
        Rows sorted by survey, org unit, condition and cycle.

    Raises:
        ValidationError: bad ``results``, ``by``, ``cycles`` or ``tolerance``.

    Examples:
        >>> rs = [SurveyResult(id=f"r{k}", survey_id="s", org_unit_id="net-7", cycle=cy,
        ...                    condition="equity", score=score, n=40)
        ...       for k, (cy, score) in enumerate([("2021", 2.4), ("2022", 2.45), ("2023", 2.9)])]
        >>> [(p.cycle, p.direction and p.direction.value) for p in trend(rs, tolerance=0.1)]
        [('2021', None), ('2022', 'flat'), ('2023', 'up')]
    """
    policy = _policy(policy)
    _check_tolerance(tolerance)
    pooled, hidden = _grouped(results, by, policy)
    if condition is not None:
        known = {k[3] for k in pooled}
        if condition not in known:
            raise ValidationError(
                f"is not a condition of these results (conditions: {known_ids(known)})",
                field="condition",
                value=condition,
            )
        pooled = {k: v for k, v in pooled.items() if k[3] == condition}
    order = _cycle_order(cycles, (k[2] for k in pooled))
    series: dict[tuple[str, str, str], list[tuple[int, str, float, int]]] = {}
    for (s, g, cy, cond), (score, n) in pooled.items():
        series.setdefault((s, g, cond), []).append((order[cy], cy, score, n))
    rows = []
    for (s, g, cond), points in sorted(series.items()):
        points.sort()
        previous: float | None = None
        for _, cy, score, n in points:
            small = (s, g, cy, cond) in hidden
            change = None if small or previous is None else score - previous
            rows.append(
                TrendPoint(
                    survey_id=s,
                    org_unit_id=g,
                    condition=cond,
                    cycle=cy,
                    score=SUPPRESSED if small else score,
                    n=SUPPRESSED if small else n,
                    change=change,
                    direction=None if change is None else _direction(change, tolerance),
                )
            )
            if not small:
                previous = score
    return ReportTable(
        rows, row_type=TrendPoint, title="Condition scores across cycles", policy=policy
    )


@collector_paused
def follow_up(
    inquiries: Iterable[Inquiry],
    results: Iterable[SurveyResult],
    *,
    by: GroupBy = None,
    cycles: Sequence[str] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    policy: DisclosurePolicy | None = None,
) -> ReportTable[FollowUp]:
    """Did the condition move after we acted? One row per inquiry.

    Compares the condition's score in the inquiry's cycle (the finding) with its latest
    published score in a later cycle, for the inquiry's org unit (or group, with ``by``).
    Pass the same ``by`` that grouped the results the finding came from: an inquiry whose
    org unit (or group) and condition the results do not hold is refused.

    Args:
        inquiries: The inquiries (``store.all(Inquiry)``).
        results: Survey results.
        by: As for [trend][mentorkit.measurement.trend]: how org units are grouped (the
            inquiries name groups then).
        cycles: The order of the cycles (default: sorted by name).
        tolerance: A change within ``±tolerance`` (inclusive) is ``flat``. The default,
            0.005, keeps a change that prints as 0.00 from being called up or down; pass
            the smallest change that matters to you (such as 0.1 on a 1-5 scale).
        policy: Defaults to ``DisclosurePolicy()``.

    Returns:
        Rows in the order of the inquiries' ids.

    Raises:
        ValidationError: bad arguments, or an inquiry the results (grouped by ``by``)
            hold nothing for.

    Examples:
        >>> rs = [SurveyResult(id=f"r{k}", survey_id="s", org_unit_id="net-7", cycle=cy,
        ...                    condition="equity", score=score, n=40)
        ...       for k, (cy, score) in enumerate([("2021", 2.4), ("2022", 2.45), ("2023", 2.9)])]
        >>> inq = lowest_conditions(rs)[0].inquiry(id="inq-1", coaching_cycle_id="cc-7")
        >>> row = follow_up([inq], rs)[0]
        >>> row.baseline_cycle, row.latest_cycle, round(row.change, 2), row.direction.value
        ('2021', '2023', 0.5, 'up')
    """
    policy = _policy(policy)
    points = trend(results, by=by, cycles=cycles, tolerance=tolerance, policy=policy)
    order = _cycle_order(cycles, (p.cycle for p in points))
    series: dict[tuple[str, str, str], list[TrendPoint]] = {}
    for p in points:
        series.setdefault((p.survey_id, p.org_unit_id, p.condition), []).append(p)
    rows = []
    for inq in sorted(inquiries, key=lambda i: i.id):
        if not isinstance(inq, Inquiry):
            raise ValidationError(
                "must be Inquiry objects", field="inquiries", value=type(inq).__name__
            )
        key = (inq.survey_id, inq.org_unit_id, inq.condition)
        if key not in series:
            units = {k[1] for k in series if k[0] == inq.survey_id}
            raise ValidationError(
                f"inquiry {inq.id!r} names {inq.org_unit_id!r}, condition {inq.condition!r} "
                f"of survey {inq.survey_id!r}, which these results do not hold (grouped "
                "as given by by=; pass the same by= that made the finding). Org units or "
                f"groups of that survey here: {known_ids(units)}",
                field="inquiries",
                value=inq.id,
            )
        mine = series[key]
        base = next((p for p in mine if p.cycle == inq.cycle), None)
        start = order.get(inq.cycle, -1)
        later = [p for p in mine if order[p.cycle] > start and not isinstance(p.score, Suppressed)]
        last = later[-1] if later else None
        base_score = None if base is None else base.score
        change = None
        if last is not None and isinstance(base_score, float | int):
            change = float(last.score) - base_score  # type: ignore[arg-type]
        rows.append(
            FollowUp(
                inquiry_id=inq.id,
                org_unit_id=inq.org_unit_id,
                condition=inq.condition,
                baseline_cycle=inq.cycle,
                baseline_score=base_score,
                latest_cycle=None if last is None else last.cycle,
                latest_score=None if last is None else last.score,
                change=change,
                direction=None if change is None else _direction(change, tolerance),
                cycles_since=len(later),
                coaching_cycle_id=inq.coaching_cycle_id,
                action_plan_id=inq.action_plan_id,
                next_steps=len(inq.next_step_ids),
            )
        )
    return ReportTable(
        rows, row_type=FollowUp, title="Did the condition move after we acted?", policy=policy
    )


@collector_paused
def report_conditions(
    results: Iterable[SurveyResult],
    *,
    by: Mapping[str, str],
    policy: DisclosurePolicy | None = None,
) -> ReportTable[ConditionScore]:
    """Scores per org unit and per group (e.g. school and network) together, safe to share.

    A group's score pools its units' respondents, so the group less its published units
    gives away the withheld ones together (their respondents and mean score). Units with
    fewer than ``min_cell`` respondents are withheld, exactly as every per-unit report
    (``condition_scores``, ``lowest_conditions``, ``trend`` without ``by``) withholds them;
    a group is withheld when it is small or when those units number 1 to ``min_cell - 1``
    respondents together, as every grouped report does too. So this table, a per-unit report
    and a grouped report published together give no withheld unit away. (Then more units
    are withheld, smallest first, should any withheld one still follow from the rest.)

    Args:
        results: Survey results per org unit.
        by: Org unit id -> group id (units not in it are reported alone).
        policy: Defaults to ``DisclosurePolicy()``.

    Returns:
        The unit rows, then the group rows (``org_unit_id`` is the group id).

    Examples:
        >>> rs = [SurveyResult(id=f"r{k}", survey_id="s", org_unit_id=u, cycle="2023",
        ...                    condition="equity", score=3.0, n=n)
        ...       for k, (u, n) in enumerate([("a", 4), ("b", 30), ("c", 6), ("d", 4)])]
        >>> t = report_conditions(rs, by={"a": "net", "b": "net", "c": "net", "d": "other"})
        >>> [(r.org_unit_id, str(r.n)) for r in t]
        [('a', '*'), ('b', '30'), ('c', '*'), ('d', '*'), ('net', '40'), ('other', '*')]
    """
    policy = _policy(policy)
    if not isinstance(by, Mapping):
        raise ValidationError(
            "must map org unit ids to group ids", field="by", value=type(by).__name__
        )
    results = _check_results(results)
    true = _pooled(results, None, checked=True)
    pooled, hidden_keys = _grouped(results, by, policy)
    hidden_units: set[Hashable] = {k for k, (_, n) in true.items() if policy.is_small(n)}
    hidden_groups: set[Hashable] = set(hidden_keys)
    if policy.complementary:
        members: dict[Key, list[Key]] = {}
        for key in true:
            group = by.get(key[1])
            if group is not None:
                members.setdefault((key[0], group, key[2], key[3]), []).append(key)
        for gkey, parts in members.items():
            if gkey not in hidden_groups and not any(k in hidden_units for k in parts):
                continue
            # The group's respondents are the sum of its units': nothing withheld may follow.
            values: dict[Hashable, float] = {("unit", k): true[k][1] for k in parts}
            values["group"] = pooled[gkey][1]
            withheld: set[Hashable] = {("unit", k) for k in parts if k in hidden_units}
            if gkey in hidden_groups:
                withheld.add("group")
            equations: list[tuple[Hashable, Sequence[Hashable]]] = [
                ("group", [("unit", k) for k in parts])
            ]
            # The withheld units together are the group less the published ones: their
            # pooled respondents and mean follow, so they must be no small group either.
            sizes = {k: int(v) for k, v in values.items()}
            protect(values, withheld, equations, sizes=sizes, min_cell=policy.min_cell)
            hidden_units |= {k[1] for k in withheld if k != "group"}  # type: ignore[index]
            if "group" in withheld:
                hidden_groups.add(gkey)
    rows: list[ConditionScore] = []
    for table, hidden in ((true, hidden_units), (pooled, hidden_groups)):
        for key, (score, n) in sorted(table.items()):
            shown = key not in hidden
            rows.append(
                ConditionScore(
                    survey_id=key[0],
                    org_unit_id=key[1],
                    cycle=key[2],
                    condition=key[3],
                    score=score if shown else SUPPRESSED,
                    n=n if shown else SUPPRESSED,
                )
            )
    return ReportTable(
        rows, row_type=ConditionScore, title="Condition scores by org unit and group", policy=policy
    )
