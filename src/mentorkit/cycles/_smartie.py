"""Deterministic SMARTIE checks of a goal: which criteria it meets, and why not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from enum import StrEnum

import attrs
from dateutil.relativedelta import relativedelta

from mentorkit.errors import ValidationError
from mentorkit.model import Goal

#: The days of a year on average (the Gregorian calendar's), for a fraction of a year.
_DAYS_PER_YEAR = 365.2425


def _check_years(_inst: object, attribute: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
        raise ValidationError(
            "must be a number of years above 0 and at most 100", field=attribute.name, value=value
        )


@attrs.frozen(kw_only=True)
class SmartieRules:
    """The thresholds of [`check_smartie`][mentorkit.cycles.check_smartie], for longer horizons.

    Attributes:
        max_years: The longest window from ``start`` to ``deadline`` that counts as
            realistic, in calendar years (default 3): a goal started on 1 September 2018 may
            end on 1 September 2021 at the latest (a fraction of a year counts its share of
            365.2425 days). A six-year district target, such as
            "150 leaders supported from 2018 to 2024", needs ``SmartieRules(max_years=6)``.

    A coaching cycle definition carries its rules (``smartie`` in its TOML or JSON file), so
    the cycle's ``smartie_goal`` requirement applies them.

    Examples:
        >>> import datetime as dt
        >>> from mentorkit import Goal
        >>> goal = Goal(id="g-1", person_id="p-1", statement="Support 150 leaders",
        ...             start=dt.date(2018, 9, 1), deadline=dt.date(2024, 6, 30))
        >>> check_smartie(goal)["realistic"].reasons
        ('more than 3 years from start to deadline',)
        >>> check_smartie(goal, rules=SmartieRules(max_years=6))["realistic"].met
        True
    """

    max_years: float = attrs.field(default=3.0, validator=_check_years)

    def latest_deadline(self, start: dt.date) -> dt.date:
        """The latest realistic deadline of a goal started on ``start``.

        ``max_years`` whole calendar years later (29 February to 28 February in a year
        without one), plus the fraction of a year as its share of 365.2425 days. When that
        falls beyond the last date there is (``datetime.date.max``, 31 December 9999), the
        answer is ``date.max``: no deadline is beyond the limit.

        Args:
            start: When the goal started (a ``datetime.date``, not a ``datetime``).

        Raises:
            ValidationError: ``start`` is not a date.

        Examples:
            >>> import datetime as dt
            >>> SmartieRules(max_years=6).latest_deadline(dt.date(2018, 9, 1))
            datetime.date(2024, 9, 1)
            >>> SmartieRules(max_years=1).latest_deadline(dt.date(2024, 2, 29))
            datetime.date(2025, 2, 28)
            >>> SmartieRules().latest_deadline(dt.date(9998, 6, 1))
            datetime.date(9999, 12, 31)
        """
        if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
            raise ValidationError(
                "must be a date (datetime.date)", field="start", value=type(start).__name__
            )
        whole = int(self.max_years)
        extra = dt.timedelta(days=round((self.max_years - whole) * _DAYS_PER_YEAR))
        try:
            return start + relativedelta(years=whole) + extra
        except (ValueError, OverflowError):  # beyond year 9999: later than any date can be
            return dt.date.max


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


_DEFAULT_RULES = SmartieRules()


def _named(text: str | None) -> bool:
    return text is not None and bool(text.strip())


def check_smartie(goal: Goal, *, rules: SmartieRules | None = None) -> SmartieReport:
    """Check a goal against the seven SMARTIE criteria, deterministically.

    The rules, each reported with every reason it fails:

    * **strategic**: a ``strategic_priority`` is named.
    * **measurable**: a ``measure``, a ``baseline`` and a ``target`` are given.
    * **attainable**: the target differs from the baseline (there is something to attain)
      and ``supports`` (people, time, resources) are named.
    * **realistic**: a ``start`` (when the baseline was taken) and a ``deadline`` after it,
      no more than ``rules.max_years`` apart (three years by default).
    * **time-bound**: a ``deadline`` is given.
    * **inclusive**: a ``student_group`` and the ``stakeholders`` brought into the work are
      named.
    * **equitable**: a ``student_group`` and an ``equity_focus`` (the gap or injustice the
      goal addresses) are named.

    Blank text counts as missing. No language model is involved: the same goal always
    gets the same report.

    Args:
        goal: The goal to check.
        rules: The thresholds to apply; default [SmartieRules][mentorkit.cycles.SmartieRules]
            ``()``, a three-year window.

    Returns:
        A [`SmartieReport`][mentorkit.cycles.SmartieReport]; truthy when all criteria are met.

    Raises:
        ValidationError: ``goal`` is not a [`Goal`][mentorkit.model.Goal], or ``rules`` is
            not [`SmartieRules`][mentorkit.cycles.SmartieRules].

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
    if rules is None:
        rules = _DEFAULT_RULES
    elif not isinstance(rules, SmartieRules):
        raise ValidationError("must be SmartieRules", field="rules", value=type(rules).__name__)
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
        elif goal.deadline > rules.latest_deadline(goal.start):
            years = f"{rules.max_years:g} year{'' if rules.max_years == 1 else 's'}"
            reasons[c.REALISTIC].append(f"more than {years} from start to deadline")
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
