"""Constraints: pairs that must never be made, each with a name to explain why."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from mentorkit.errors import ValidationError
from mentorkit.model._checks import lenient as _lenient

if TYPE_CHECKING:
    from mentorkit.matching._problem import MenteeProfile, MentorProfile
    from mentorkit.model import Mentorship


@runtime_checkable
class Constraint(Protocol):
    """Protocol: a rule that forbids some mentee-mentor pairs.

    ``name`` appears in explanations ("every pair is forbidden (no_reporting_line: 3)").

    A constraint may also offer ``allows_block(mentees, mentors)``, returning a boolean
    NumPy array of shape ``(len(mentees), len(mentors))`` equal to ``allows`` on every
    pair (the built-ins do): `MatchingProblem.from_profiles` then evaluates it as one
    mask. Constraints with ``allows`` only are asked pair by pair.

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

    def allows_block(
        self, mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile]
    ) -> Any:
        """`allows` for every pair at once, as a boolean NumPy array."""
        from mentorkit.matching._blocks import equal

        return ~equal([p.person_id for p in mentees], [p.person_id for p in mentors])


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

    def allows_block(
        self, mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile]
    ) -> Any:
        """`allows` for every pair at once, as a boolean NumPy array."""
        from mentorkit.matching._blocks import equal

        up = equal([p.supervisor_id for p in mentees], [p.person_id for p in mentors])
        down = equal([p.person_id for p in mentees], [p.supervisor_id for p in mentors])
        return ~(up | down)


@attrs.frozen(kw_only=True)
class NotSameSupervisor:
    """Never pair two people who report to the same supervisor (a conflict of interest)."""

    name: str = "same_supervisor"

    def allows(self, mentee: MenteeProfile, mentor: MentorProfile) -> bool:
        """See the class docstring."""
        return mentee.supervisor_id is None or mentee.supervisor_id != mentor.supervisor_id

    def allows_block(
        self, mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile]
    ) -> Any:
        """`allows` for every pair at once, as a boolean NumPy array."""
        from mentorkit.matching._blocks import equal

        return ~equal([p.supervisor_id for p in mentees], [p.supervisor_id for p in mentors])


@attrs.frozen(kw_only=True)
class NotSameOrgUnit:
    """Never pair two people of the same org unit (e.g. the same school)."""

    name: str = "same_org_unit"

    def allows(self, mentee: MenteeProfile, mentor: MentorProfile) -> bool:
        """See the class docstring."""
        return mentee.org_unit_id is None or mentee.org_unit_id != mentor.org_unit_id

    def allows_block(
        self, mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile]
    ) -> Any:
        """`allows` for every pair at once, as a boolean NumPy array."""
        from mentorkit.matching._blocks import equal

        return ~equal([p.org_unit_id for p in mentees], [p.org_unit_id for p in mentors])


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


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _pairs = _lenient(_pairs)


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

    def allows_block(
        self, mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile]
    ) -> Any:
        """`allows` for every pair at once, as a boolean NumPy array."""
        from mentorkit.matching._blocks import numpy

        np = numpy()
        out = np.ones((len(mentees), len(mentors)), dtype=bool)
        rows: dict[str, list[int]] = {}
        cols: dict[str, list[int]] = {}
        for i, p in enumerate(mentees):
            rows.setdefault(p.person_id, []).append(i)
        for j, q in enumerate(mentors):
            cols.setdefault(q.person_id, []).append(j)
        for a, b in self.pairs:
            if a in rows and b in cols:
                out[np.ix_(rows[a], cols[b])] = False
        return out


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
