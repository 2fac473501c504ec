"""Eligibility: composable rules per applicant, an eligible list ranked by priority, reasons."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.model import _checks as c
from mentorkit.model._checks import lenient as _lenient


def _frozen(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _frozen = _lenient(_frozen)


def _flags(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _flags = _lenient(_flags)


@attrs.frozen(kw_only=True)
class Applicant:
    """What eligibility rules read about one applicant.

    Attributes:
        person_id: The applicant.
        title: Their current job title.
        ratings: Their latest evaluation, competency code -> ordinal level (0 = lowest).
        flags: Recorded conditions such as ``"misconduct"`` (kept out of ``repr``).
        facts: Anything else your own rules need (kept out of ``repr``).
    """

    person_id: str = attrs.field(validator=c.identifier)
    title: str = ""
    ratings: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen, hash=False)
    flags: frozenset[str] = attrs.field(factory=frozenset, converter=_flags, repr=False)
    facts: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen, repr=False, hash=False)


@attrs.frozen(kw_only=True)
class RuleOutcome:
    """One rule's verdict on one applicant: pass or exclude, a reason, priority points."""

    passed: bool
    reason: str
    priority: float = 0.0


@runtime_checkable
class EligibilityRule(Protocol):
    """Protocol: a named rule that passes or excludes an applicant, giving a reason.

    A rule may also add priority points (ranking eligible applicants) without excluding.

    Examples:
        >>> isinstance(NoFlag("misconduct"), EligibilityRule)
        True
    """

    @property
    def name(self) -> str:
        """The rule's name, used in reasons."""
        ...

    def evaluate(self, applicant: Applicant) -> RuleOutcome:
        """The rule's verdict."""
        ...


def _titles(value: Iterable[str]) -> frozenset[str]:
    titles = frozenset(t.casefold() for t in value)
    if not titles:
        raise ValidationError("must name at least one title", field="titles", value=value)
    return titles


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _titles = _lenient(_titles)


@attrs.frozen
class TitleIn:
    """Eligible only with one of these job titles (compared without case).

    Examples:
        >>> rule = TitleIn(["Teacher", "Instructional Coach"], name="manager_of_self")
        >>> rule.evaluate(Applicant(person_id="p-1", title="Principal")).reason
        "title 'Principal' is not one of: instructional coach, teacher"
    """

    titles: frozenset[str] = attrs.field(converter=_titles)
    name: str = attrs.field(default="title", kw_only=True)

    def evaluate(self, applicant: Applicant) -> RuleOutcome:
        """See the class docstring."""
        if applicant.title.casefold() in self.titles:
            return RuleOutcome(passed=True, reason=f"title {applicant.title!r} qualifies")
        allowed = ", ".join(sorted(self.titles))
        return RuleOutcome(
            passed=False, reason=f"title {applicant.title!r} is not one of: {allowed}"
        )


@attrs.frozen
class NoFlag:
    """Excluded when a flag (e.g. ``"misconduct"``) is on record."""

    flag: str
    name: str = attrs.field(default="", kw_only=True)

    def __attrs_post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", f"no_{self.flag}")

    def evaluate(self, applicant: Applicant) -> RuleOutcome:
        """See the class docstring."""
        if self.flag in applicant.flags:
            return RuleOutcome(passed=False, reason=f"a record of {self.flag}")
        return RuleOutcome(passed=True, reason=f"no record of {self.flag}")


def _finite_number(value: object) -> bool:
    """Whether ``value`` is a real number a float holds finitely (not a bool, NaN or inf)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond 1.8e308
        return False


def _points(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not _finite_number(value):
        raise ValidationError(
            "must be a finite number (NaN or infinity would rank nowhere and everywhere)",
            field=attribute.name,
            value=value,
        )


def _level(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValidationError("must be a whole number", field=attribute.name, value=value)


@attrs.frozen(kw_only=True)
class PriorityIfRated:
    """Priority points when rated at least ``level`` in at least one area; never excludes.

    ``level`` is a whole number and ``points`` a finite number (negative to rank lower);
    anything else is refused with a [`ValidationError`][mentorkit.errors.ValidationError]
    naming the field.

    Examples:
        >>> rule = PriorityIfRated(level=3, points=1.0, label="exemplary")
        >>> rule.evaluate(Applicant(person_id="p-1", ratings={"data": 3, "equity": 1})).reason
        "rated exemplary in 'data' (+1 priority)"
    """

    level: int = attrs.field(validator=_level)
    points: float = attrs.field(default=1.0, validator=_points)
    label: str = ""
    name: str = "priority_rating"

    def evaluate(self, applicant: Applicant) -> RuleOutcome:
        """See the class docstring."""
        label = self.label or f"{self.level} or above"
        top = sorted(code for code, lv in applicant.ratings.items() if lv >= self.level)
        if top:
            areas = ", ".join(repr(code) for code in top)
            return RuleOutcome(
                passed=True,
                reason=f"rated {label} in {areas} (+{self.points:g} priority)",
                priority=self.points,
            )
        return RuleOutcome(passed=True, reason=f"not rated {label} in any area")


@attrs.frozen(kw_only=True)
class Require:
    """Any predicate as a rule: excluded with ``reason`` when it returns false.

    Examples:
        >>> rule = Require(name="tenure", predicate=lambda a: a.facts.get("years", 0) >= 2,
        ...                reason="fewer than 2 years in the district")
        >>> rule.evaluate(Applicant(person_id="p-1", facts={"years": 1})).passed
        False
    """

    name: str
    predicate: Callable[[Applicant], bool]
    reason: str

    def evaluate(self, applicant: Applicant) -> RuleOutcome:
        """See the class docstring."""
        if self.predicate(applicant):
            return RuleOutcome(passed=True, reason=f"meets {self.name}")
        return RuleOutcome(passed=False, reason=self.reason)


@attrs.frozen(kw_only=True)
class Decision:
    """The verdict on one applicant: every rule's reason, exclusions first."""

    person_id: str
    eligible: bool
    priority: float
    reasons: tuple[str, ...]
    exclusions: tuple[str, ...]


@attrs.frozen(kw_only=True)
class EligibilityReport:
    """The verdicts on all applicants.

    Attributes:
        decisions: One [`Decision`][mentorkit.matching.Decision] per applicant, in input order.
    """

    decisions: tuple[Decision, ...]

    @property
    def eligible(self) -> tuple[str, ...]:
        """Eligible applicants, highest priority first (input order among equals)."""
        ranked = sorted((d for d in self.decisions if d.eligible), key=lambda d: -d.priority)
        return tuple(d.person_id for d in ranked)

    @property
    def excluded(self) -> Mapping[str, str]:
        """Excluded applicants, each with every reason they were excluded."""
        return MappingProxyType(
            {d.person_id: "; ".join(d.exclusions) for d in self.decisions if not d.eligible}
        )

    def decision(self, person_id: str) -> Decision:
        """The decision on one applicant.

        Raises:
            NotFoundError: No such applicant.
        """
        for d in self.decisions:
            if d.person_id == person_id:
                return d
        raise NotFoundError(f"no applicant {person_id!r} in this eligibility report")

    def explain(self, person_id: str) -> str:
        """A paste-able account of one decision."""
        d = self.decision(person_id)
        head = (
            f"{person_id}: eligible, priority {d.priority:g}"
            if d.eligible
            else f"{person_id}: not eligible"
        )
        return "\n".join([head, *(f"  - {r}" for r in d.reasons)])


def check_eligibility(
    applicants: Iterable[Applicant], rules: Iterable[EligibilityRule]
) -> EligibilityReport:
    """Evaluate every rule on every applicant.

    Args:
        applicants: The applicants (unique ``person_id``).
        rules: The rules; an applicant failing any is excluded, with every failing reason.

    Returns:
        The report: ``eligible`` ranked by priority, ``excluded`` with reasons.

    Raises:
        ValidationError: A rule of the wrong shape (or whose outcome is not a
            [`RuleOutcome`][mentorkit.matching.RuleOutcome] with a finite priority), or an
            applicant listed twice.

    Examples:
        >>> report = check_eligibility(
        ...     [Applicant(person_id="ana", title="Teacher", ratings={"data": 3}),
        ...      Applicant(person_id="ben", title="Teacher", flags={"misconduct"}),
        ...      Applicant(person_id="cy", title="Teacher")],
        ...     [TitleIn(["Teacher"]), NoFlag("misconduct"), PriorityIfRated(level=3)])
        >>> report.eligible
        ('ana', 'cy')
        >>> dict(report.excluded)
        {'ben': 'no_misconduct: a record of misconduct'}
    """
    checked = list(rules)
    for k, rule in enumerate(checked):
        if not isinstance(rule, EligibilityRule):
            raise ValidationError(
                "must be an eligibility rule (name and evaluate())", field=f"rules[{k}]", value=rule
            )
    decisions = []
    seen: set[str] = set()
    for applicant in applicants:
        if applicant.person_id in seen:
            raise ValidationError("is listed twice", field="applicants", value=applicant.person_id)
        seen.add(applicant.person_id)
        outcomes = [(rule.name, rule.evaluate(applicant)) for rule in checked]
        for k, (name, outcome) in enumerate(outcomes):
            if not isinstance(outcome, RuleOutcome) or not _finite_number(outcome.priority):
                got = (
                    f"priority {outcome.priority!r}"
                    if isinstance(outcome, RuleOutcome)
                    else type(outcome).__name__
                )
                raise ValidationError(
                    f"rule {name!r} must return a RuleOutcome with a finite priority "
                    f"(got {got} for {applicant.person_id!r})",
                    field=f"rules[{k}]",
                )
        exclusions = tuple(f"{name}: {o.reason}" for name, o in outcomes if not o.passed)
        passes = tuple(f"{name}: {o.reason}" for name, o in outcomes if o.passed)
        priority = sum(o.priority for _, o in outcomes)
        if not _finite_number(priority):  # finite points that add up beyond a float
            raise ValidationError(
                f"the rules' priority points add up beyond a float for {applicant.person_id!r}",
                field="rules",
            )
        decisions.append(
            Decision(
                person_id=applicant.person_id,
                eligible=not exclusions,
                priority=priority,
                reasons=exclusions + passes,
                exclusions=exclusions,
            )
        )
    return EligibilityReport(decisions=tuple(decisions))
