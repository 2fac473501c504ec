"""Deterministic SMARTIE checks of a goal: which criteria it meets, and why not."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

import attrs

from mentorkit.errors import ValidationError
from mentorkit.model import Goal

#: The longest window (start to deadline) the realistic criterion accepts: three years.
MAX_WINDOW_DAYS = 3 * 366


class SmartieCriterion(StrEnum):
    """The seven SMARTIE criteria, in order."""

    STRATEGIC = "strategic"
    MEASURABLE = "measurable"
    ATTAINABLE = "attainable"
    REALISTIC = "realistic"
    TIME_BOUND = "time_bound"
    INCLUSIVE = "inclusive"
    EQUITABLE = "equitable"


@attrs.frozen(kw_only=True)
class CriterionResult:
    """Whether a goal meets one criterion, and if not, every reason why not."""

    criterion: SmartieCriterion
    reasons: tuple[str, ...] = ()

    @property
    def met(self) -> bool:
        """True when nothing is missing."""
        return not self.reasons


@attrs.frozen(kw_only=True)
class SmartieReport:
    """The result of `check_smartie`: one `CriterionResult` per criterion.

    Truthy when the goal meets all seven criteria.
    """

    goal_id: str
    results: tuple[CriterionResult, ...]

    @property
    def met(self) -> bool:
        """True when every criterion is met."""
        return all(r.met for r in self.results)

    @property
    def missing(self) -> tuple[SmartieCriterion, ...]:
        """The criteria not met, in SMARTIE order."""
        return tuple(r.criterion for r in self.results if not r.met)

    def __bool__(self) -> bool:
        return self.met

    def __iter__(self) -> Iterator[CriterionResult]:
        return iter(self.results)

    def __getitem__(self, criterion: SmartieCriterion | str) -> CriterionResult:
        try:
            key = SmartieCriterion(criterion)
        except ValueError:
            raise ValidationError(
                "is not a SMARTIE criterion", field="criterion", value=criterion
            ) from None
        return next(r for r in self.results if r.criterion is key)

    def explain(self) -> str:
        """One line per unmet criterion (``"measurable: no baseline, no target"``), or "SMARTIE"."""
        if self.met:
            return "SMARTIE"
        return "\n".join(
            f"{r.criterion.value}: {', '.join(r.reasons)}" for r in self.results if not r.met
        )


def _named(text: str | None) -> bool:
    return text is not None and bool(text.strip())


def check_smartie(goal: Goal) -> SmartieReport:
    """Check a goal against the seven SMARTIE criteria, deterministically.

    The rules, each reported with every reason it fails:

    * **strategic**: a ``strategic_priority`` is named.
    * **measurable**: a ``measure``, a ``baseline`` and a ``target`` are given.
    * **attainable**: the target differs from the baseline (there is something to attain)
      and ``supports`` (people, time, resources) are named.
    * **realistic**: a ``start`` (when the baseline was taken) and a ``deadline`` after it,
      no more than three years apart.
    * **time-bound**: a ``deadline`` is given.
    * **inclusive**: a ``student_group`` and the ``stakeholders`` brought into the work are
      named.
    * **equitable**: a ``student_group`` and an ``equity_focus`` (the gap or injustice the
      goal addresses) are named.

    Blank text counts as missing. No language model is involved: the same goal always
    gets the same report.

    Args:
        goal: The goal to check.

    Returns:
        A [`SmartieReport`][mentorkit.cycles.SmartieReport]; truthy when all criteria are met.

    Raises:
        ValidationError: ``goal`` is not a [`Goal`][mentorkit.model.Goal].

    Examples:
        >>> import datetime as dt
        >>> from mentorkit import Goal
        >>> goal = Goal(id="g-1", person_id="p-1", statement="Raise grade 3 reading",
        ...             measure="grade 3 reading proficiency (%)", baseline=42, target=55)
        >>> report = check_smartie(goal)
        >>> report.met, report["measurable"].met
        (False, True)
        >>> print(report.explain())
        strategic: no strategic priority named
        attainable: no supports (people, time, resources) named
        realistic: no start date (when the baseline was taken), no deadline
        time_bound: no deadline
        inclusive: no student group named, no stakeholders named
        equitable: no student group named, no equity focus (the gap it closes) named
    """
    if not isinstance(goal, Goal):
        raise ValidationError("must be a Goal", field="goal", value=type(goal).__name__)
    c = SmartieCriterion
    reasons: dict[SmartieCriterion, list[str]] = {k: [] for k in c}
    if not _named(goal.strategic_priority):
        reasons[c.STRATEGIC].append("no strategic priority named")
    if not _named(goal.measure):
        reasons[c.MEASURABLE].append("no measure")
    if goal.baseline is None:
        reasons[c.MEASURABLE].append("no baseline")
    if goal.target is None:
        reasons[c.MEASURABLE].append("no target")
    if goal.baseline is None or goal.target is None:
        reasons[c.ATTAINABLE].append("needs a baseline and a target")
    elif goal.baseline == goal.target:
        reasons[c.ATTAINABLE].append("the target equals the baseline: nothing to attain")
    if not any(_named(s) for s in goal.supports):
        reasons[c.ATTAINABLE].append("no supports (people, time, resources) named")
    if goal.start is None:
        reasons[c.REALISTIC].append("no start date (when the baseline was taken)")
    if goal.deadline is None:
        reasons[c.REALISTIC].append("no deadline")
        reasons[c.TIME_BOUND].append("no deadline")
    if goal.start is not None and goal.deadline is not None:
        if goal.deadline <= goal.start:
            reasons[c.REALISTIC].append("the deadline is not after the start date")
        elif (goal.deadline - goal.start).days > MAX_WINDOW_DAYS:
            reasons[c.REALISTIC].append("more than three years from start to deadline")
    group = _named(goal.student_group)
    if not group:
        reasons[c.INCLUSIVE].append("no student group named")
    if not any(_named(s) for s in goal.stakeholders):
        reasons[c.INCLUSIVE].append("no stakeholders named")
    if not group:
        reasons[c.EQUITABLE].append("no student group named")
    if not _named(goal.equity_focus):
        reasons[c.EQUITABLE].append("no equity focus (the gap it closes) named")
    return SmartieReport(
        goal_id=goal.id,
        results=tuple(CriterionResult(criterion=k, reasons=tuple(v)) for k, v in reasons.items()),
    )
