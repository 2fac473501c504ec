"""Constraints: pairs that must never be made, each with a name to explain why."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import attrs

from mentorkit.errors import ValidationError

if TYPE_CHECKING:
    from mentorkit.matching._problem import MenteeProfile, MentorProfile
    from mentorkit.model import Mentorship


@runtime_checkable
class Constraint(Protocol):
    """Protocol: a rule that forbids some mentee-mentor pairs.

    ``name`` appears in explanations ("every pair is forbidden (no_reporting_line: 3)").

    Examples:
        >>> isinstance(NoReportingLine(), Constraint)
        True
    """

    @property
    def name(self) -> str:
        """The constraint's name, used in explanations."""
        ...

    def allows(self, mentee: MenteeProfile, mentor: MentorProfile) -> bool:
        """Whether the pair may be made."""
        ...


@attrs.frozen(kw_only=True)
class NotSelf:
    """A person who is both mentee and mentor is never matched with themself."""

    name: str = "not_self"

    def allows(self, mentee: MenteeProfile, mentor: MentorProfile) -> bool:
        """See the class docstring."""
        return mentee.person_id != mentor.person_id


@attrs.frozen(kw_only=True)
class NoReportingLine:
    """Never pair across a reporting line: the mentor supervises the mentee or vice versa.

    Examples:
        >>> from mentorkit.matching import MenteeProfile, MentorProfile
        >>> NoReportingLine().allows(MenteeProfile(person_id="ana", supervisor_id="kim"),
        ...                          MentorProfile(person_id="kim"))
        False
    """

    name: str = "no_reporting_line"

    def allows(self, mentee: MenteeProfile, mentor: MentorProfile) -> bool:
        """See the class docstring."""
        return mentee.supervisor_id != mentor.person_id and (
            mentor.supervisor_id != mentee.person_id
        )


@attrs.frozen(kw_only=True)
class NotSameSupervisor:
    """Never pair two people who report to the same supervisor (a conflict of interest)."""

    name: str = "same_supervisor"

    def allows(self, mentee: MenteeProfile, mentor: MentorProfile) -> bool:
        """See the class docstring."""
        return mentee.supervisor_id is None or mentee.supervisor_id != mentor.supervisor_id


@attrs.frozen(kw_only=True)
class NotSameOrgUnit:
    """Never pair two people of the same org unit (e.g. the same school)."""

    name: str = "same_org_unit"

    def allows(self, mentee: MenteeProfile, mentor: MentorProfile) -> bool:
        """See the class docstring."""
        return mentee.org_unit_id is None or mentee.org_unit_id != mentor.org_unit_id


def _pairs(value: Iterable[tuple[str, str]]) -> frozenset[tuple[str, str]]:
    out = set()
    for k, pair in enumerate(value):
        if (
            not isinstance(pair, tuple)
            or len(pair) != 2
            or not all(isinstance(x, str) for x in pair)
        ):
            raise ValidationError(
                "must be a (mentee_id, mentor_id) tuple", field=f"pairs[{k}]", value=pair
            )
        out.add(pair)
    return frozenset(out)


@attrs.frozen
class ExcludedPairs:
    """Explicit exclusions: these (mentee id, mentor id) pairs are never made.

    Examples:
        >>> from mentorkit.matching import MenteeProfile, MentorProfile
        >>> rule = ExcludedPairs([("ana", "kim")])
        >>> rule.allows(MenteeProfile(person_id="ana"), MentorProfile(person_id="kim"))
        False
    """

    pairs: frozenset[tuple[str, str]] = attrs.field(converter=_pairs)
    name: str = attrs.field(default="excluded_pair", kw_only=True)

    def allows(self, mentee: MenteeProfile, mentor: MentorProfile) -> bool:
        """See the class docstring."""
        return (mentee.person_id, mentor.person_id) not in self.pairs


def no_previous_pairs(mentorships: Iterable[Mentorship]) -> ExcludedPairs:
    """A constraint forbidding every (mentee, mentor) pair of earlier mentorships.

    Args:
        mentorships: Past mentorships (e.g. ``store.query(Mentorship)``).

    Returns:
        An [`ExcludedPairs`][mentorkit.matching.ExcludedPairs] named ``"previous_pair"``.
    """
    return ExcludedPairs([(m.mentee_id, m.mentor_id) for m in mentorships], name="previous_pair")


def default_constraints() -> tuple[Constraint, ...]:
    """Not oneself, no reporting line, no shared supervisor."""
    return (NotSelf(), NoReportingLine(), NotSameSupervisor())
