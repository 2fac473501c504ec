"""The matching problem: who may be paired with whom, how well, and how many each mentor takes."""

from __future__ import annotations

import hashlib
import math
import numbers
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from collections.abc import Set as AbstractSet
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from mentorkit.errors import ValidationError
from mentorkit.model import Activity
from mentorkit.model import _checks as c
from mentorkit.model._checks import lenient as _lenient

if TYPE_CHECKING:
    import datetime as dt

    from mentorkit.frameworks import Assessment, CompetencyFramework
    from mentorkit.matching._constraints import Constraint
    from mentorkit.matching._eligibility import EligibilityReport
    from mentorkit.matching._scoring import Scorer

#: A per-criterion breakdown of one pair's score.
Breakdown = Mapping[str, float]


class MatchingProblem:
    """Mentees, mentors, pair scores from both sides, capacities, and forbidden pairs.

    Build one with [`from_matrix`][mentorkit.matching.MatchingProblem.from_matrix] (numbers you
    already have) or
    [`from_profiles`][mentorkit.matching.MatchingProblem.from_profiles] (profiles, a scorer and
    constraints). A problem is immutable;
    every strategy reads the same problem, so results of several strategies compare.

    ``scores[i][j]`` is how good mentor ``j`` is for mentee ``i`` (the mentee's view, and
    the pair's score for ``greedy`` and ``optimal``); ``mentor_scores[i][j]`` is how much
    mentor ``j`` wants mentee ``i`` (used by ``stable``). A pair is forbidden when either
    is missing (``None``, or NaN in an array).

    Examples:
        >>> p = MatchingProblem.from_matrix(["a", "b"], ["x"], [[0.9], [None]], capacity=1)
        >>> p
        MatchingProblem(mentees=2, mentors=1, places=1, forbidden_pairs=1)
        >>> p.score("a", "x"), p.allowed("b", "x")
        (0.9, False)
    """

    __slots__ = (
        "_M",
        "_S",
        "_breakdown",
        "_capacity",
        "_complete",
        "_excluded",
        "_fingerprint",
        "_forbidden_by",
        "_groups",
        "_mentee_ids",
        "_mentee_index",
        "_mentor_ids",
        "_mentor_index",
    )

    def __init__(
        self,
        *,
        mentee_ids: tuple[str, ...],
        mentor_ids: tuple[str, ...],
        capacity: tuple[int, ...],
        scores: Any,
        mentor_scores: Any,
        breakdown: Callable[[int, int], Breakdown] | None = None,
        forbidden_by: Callable[[int, int], tuple[str, ...]] | None = None,
        excluded: Mapping[str, str] | None = None,
        groups: tuple[str | None, ...] | None = None,
        complete: bool | None = None,
    ) -> None:
        # Private: validated input comes from from_matrix / from_profiles. ``complete``:
        # whether no pair is forbidden (no NaN in either matrix), when the builder knows.
        self._mentee_ids = mentee_ids
        self._mentor_ids = mentor_ids
        self._capacity = capacity
        self._S = scores
        self._M = mentor_scores
        self._breakdown = breakdown
        self._forbidden_by = forbidden_by
        self._excluded: Mapping[str, str] = MappingProxyType(dict(excluded or {}))
        self._mentee_index = {k: i for i, k in enumerate(mentee_ids)}
        self._mentor_index = {k: j for j, k in enumerate(mentor_ids)}
        self._fingerprint: str | None = None
        self._groups = groups
        self._complete = complete

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_matrix(
        cls,
        mentee_ids: Sequence[str],
        mentor_ids: Sequence[str],
        scores: Any,
        capacity: int | Sequence[int],
        mentor_scores: Any = None,
        *,
        groups: Sequence[str | None] | None = None,
    ) -> MatchingProblem:
        """Build a problem from a score matrix.

        Args:
            mentee_ids: One id per row, unique.
            mentor_ids: One id per column, unique.
            scores: ``scores[i][j]``, mentee ``i``'s score of mentor ``j``: nested sequences
                of numbers or ``None``, or a 2-D NumPy array (NaN forbids a pair).
            capacity: How many mentees each mentor takes: one int for all, or one per
                mentor.
            mentor_scores: The mentors' view, ``mentor_scores[i][j]`` being mentor ``j``'s
                score of mentee ``i``, same shape; defaults to ``scores``.
            groups: Optional circle key per mentee (e.g. their first focus competency),
                used by the ``"circles"`` strategy; ``None`` joins any circle.

        Returns:
            The problem; it keeps private, read-only float arrays of both matrices.

        Raises:
            ValidationError: Duplicate or empty ids, a matrix of the wrong shape, a value
                that is not a finite number (``field`` is e.g. ``"scores[3][1]"``), or a
                negative or non-integer capacity.

        Examples:
            >>> p = MatchingProblem.from_matrix(
            ...     ["ana", "ben"], ["kim", "lee"], [[3, 1], [2, None]], capacity=[1, 2])
            >>> p.capacity
            (1, 2)
        """
        mentees = _ids(mentee_ids, "mentee_ids")
        mentors = _ids(mentor_ids, "mentor_ids")
        caps = _capacities(capacity, len(mentors))
        shape = (len(mentees), len(mentors))
        s, complete = _stored(scores, shape, "scores")
        m = s
        if mentor_scores is not None:
            m, complete_m = _stored(mentor_scores, shape, "mentor_scores")
            complete = complete and complete_m
        return cls(
            mentee_ids=mentees,
            mentor_ids=mentors,
            capacity=caps,
            scores=s,
            mentor_scores=m,
            groups=_groups(groups, len(mentees)),
            complete=complete,
        )

    @classmethod
    def from_profiles(
        cls,
        mentees: Iterable[MenteeProfile],
        mentors: Iterable[MentorProfile],
        *,
        scorer: Scorer | None = None,
        constraints: Iterable[Constraint] | None = None,
        mentor_scorer: Scorer | None = None,
        eligibility: EligibilityReport | None = None,
    ) -> MatchingProblem:
        """Build a problem from profiles, a scorer and constraints.

        Args:
            mentees: Mentee profiles (unique ``person_id``).
            mentors: Mentor profiles; each one's ``capacity`` is its capacity.
            scorer: Scores each pair (the mentees' view); defaults to
                [`default_scorer`][mentorkit.matching.default_scorer]. A scorer with a ``breakdown``
                method (like
                [`WeightedScorer`][mentorkit.matching.WeightedScorer]) gives per-criterion
                explanations.
            constraints: Rules forbidding pairs; defaults to
                [`default_constraints`][mentorkit.matching.default_constraints]
                (not oneself, no reporting line, no shared supervisor). Pass ``()`` for none.
            mentor_scorer: The mentors' view for ``stable``; defaults to ``scorer``.
            eligibility: When given, only its eligible applicants are matched; the others
                are reported unmatched with the reasons they were excluded.

        Returns:
            The problem.

        Raises:
            ValidationError: Something other than profiles (``field`` e.g.
                ``"mentees[2]"``), a duplicate person id, a constraint or scorer that is
                not one, a scorer giving an allowed pair a value that is not a finite
                number (``field`` is e.g. ``"scores[3][1]"``, the message names the scorer
                and the pair; forbid pairs with a constraint, not with NaN), or a
                ``score_block`` or ``allows_block`` of the wrong shape (``field``
                ``"scores"``, ``"mentor_scores"`` or ``"constraints[k]"``). A scorer's
                ``breakdown`` is read only for the pairs made or asked about; one that is
                not a mapping of criterion names to finite numbers adding up to the pair's
                score raises then (``field`` ``"scorer"``).

        Examples:
            >>> ana = MenteeProfile(person_id="ana", focus=["data"], supervisor_id="kim")
            >>> kim = MentorProfile(person_id="kim", strengths={"data": 3})
            >>> lee = MentorProfile(person_id="lee", strengths={"data": 2})
            >>> p = MatchingProblem.from_profiles([ana], [kim, lee])
            >>> p.forbidden_by("ana", "kim"), p.allowed("ana", "lee")
            (('no_reporting_line',), True)
        """
        from mentorkit.matching._constraints import Constraint, default_constraints
        from mentorkit.matching._scoring import Scorer, default_scorer

        everyone = _profiles(mentees, MenteeProfile, "mentees")
        mentor_list = _profiles(mentors, MentorProfile, "mentors")
        rules = default_constraints() if constraints is None else tuple(constraints)
        for k, rule in enumerate(rules):
            if not isinstance(rule, Constraint):
                raise ValidationError(
                    "must be a Constraint (name and allows())",
                    field=f"constraints[{k}]",
                    value=rule,
                )
        pair_scorer: Any = default_scorer() if scorer is None else scorer
        for field, value in (("scorer", pair_scorer), ("mentor_scorer", mentor_scorer)):
            if value is not None and not isinstance(value, Scorer):
                raise ValidationError(
                    "must be a Scorer (name and score())", field=field, value=value
                )
        excluded: dict[str, str] = {}
        if eligibility is not None:
            verdicts = {d.person_id: d for d in eligibility.decisions}
            kept = []
            for profile in everyone:
                verdict = verdicts.get(profile.person_id)
                if verdict is None:
                    excluded[profile.person_id] = "not among the applicants checked for eligibility"
                elif not verdict.eligible:
                    excluded[profile.person_id] = "not eligible: " + "; ".join(verdict.exclusions)
                else:
                    kept.append(profile)
            everyone = kept
        mentee_ids = _ids([p.person_id for p in everyone], "mentees")
        mentor_ids = _ids([p.person_id for p in mentor_list], "mentors")

        shape = (len(everyone), len(mentor_list))
        from mentorkit.matching._blocks import numpy

        np = numpy()
        # Constraints as masks (a rule without ``allows_block`` is asked pair by pair).
        mask = np.ones(shape, dtype=bool)
        for k, rule in enumerate(rules):
            mask &= _rule_mask(np, rule, everyone, mentor_list, f"constraints[{k}]")
        s = _scored(np, pair_scorer, "scores", everyone, mentor_list, mask)
        m = (
            s
            if mentor_scorer is None
            else _scored(np, mentor_scorer, "mentor_scores", everyone, mentor_list, mask)
        )

        def breakdown(i: int, j: int) -> Breakdown:
            explain = getattr(pair_scorer, "breakdown", None)
            if callable(explain):
                return _checked_breakdown(
                    explain(everyone[i], mentor_list[j]),
                    _value(s, i, j),
                    pair_scorer,
                    everyone[i].person_id,
                    mentor_list[j].person_id,
                )
            return MappingProxyType({pair_scorer.name: _value(s, i, j)})

        def forbidden_by(i: int, j: int) -> tuple[str, ...]:
            names = tuple(r.name for r in rules if not r.allows(everyone[i], mentor_list[j]))
            return names or ("mentor_scores",)

        return cls(
            mentee_ids=mentee_ids,
            mentor_ids=mentor_ids,
            capacity=tuple(p.capacity for p in mentor_list),
            scores=s,
            mentor_scores=m,
            breakdown=breakdown,
            forbidden_by=forbidden_by,
            excluded=excluded,
            groups=tuple(p.focus[0] if p.focus else None for p in everyone),
            complete=bool(mask.all()),  # every allowed pair has finite scores (checked)
        )

    # -- reading ------------------------------------------------------------------------------

    @property
    def mentee_ids(self) -> tuple[str, ...]:
        """The mentees, in row order."""
        return self._mentee_ids

    @property
    def mentor_ids(self) -> tuple[str, ...]:
        """The mentors, in column order."""
        return self._mentor_ids

    @property
    def capacity(self) -> tuple[int, ...]:
        """How many mentees each mentor takes, in column order."""
        return self._capacity

    @property
    def excluded(self) -> Mapping[str, str]:
        """Applicants left out before matching (e.g. ineligible), each with the reason."""
        return self._excluded

    @property
    def groups(self) -> tuple[str | None, ...] | None:
        """Each mentee's circle key (from profiles: their first focus), or ``None``."""
        return self._groups

    @property
    def shape(self) -> tuple[int, int]:
        """``(number of mentees, number of mentors)``."""
        return len(self._mentee_ids), len(self._mentor_ids)

    def mentee_index(self, mentee_id: str) -> int:
        """The row of ``mentee_id``.

        Raises:
            NotFoundError: No such mentee in this problem.
        """
        return _lookup(self._mentee_index, mentee_id, "mentee")

    def mentor_index(self, mentor_id: str) -> int:
        """The column of ``mentor_id``.

        Raises:
            NotFoundError: No such mentor in this problem.
        """
        return _lookup(self._mentor_index, mentor_id, "mentor")

    def score(self, mentee_id: str, mentor_id: str) -> float | None:
        """The pair's score (the mentee's view), or ``None`` when the pair is forbidden."""
        i, j = self.mentee_index(mentee_id), self.mentor_index(mentor_id)
        return self._score_at(i, j) if self._allowed_at(i, j) else None

    def mentor_score(self, mentee_id: str, mentor_id: str) -> float | None:
        """The mentor's score of the mentee, or ``None`` when the pair is forbidden."""
        i, j = self.mentee_index(mentee_id), self.mentor_index(mentor_id)
        return _value(self._M, i, j) if self._allowed_at(i, j) else None

    def allowed(self, mentee_id: str, mentor_id: str) -> bool:
        """Whether the pair may be matched at all."""
        return self._allowed_at(self.mentee_index(mentee_id), self.mentor_index(mentor_id))

    def breakdown(self, mentee_id: str, mentor_id: str) -> Breakdown:
        """The pair's score per criterion (weighted; the values add up to the score).

        A problem built from a matrix has a single criterion, ``"score"``.
        """
        return self._breakdown_at(self.mentee_index(mentee_id), self.mentor_index(mentor_id))

    def forbidden_by(self, mentee_id: str, mentor_id: str) -> tuple[str, ...]:
        """The names of the constraints that forbid the pair (empty when it is allowed)."""
        return self._forbidden_at(self.mentee_index(mentee_id), self.mentor_index(mentor_id))

    def to_numpy(self) -> tuple[Any, Any]:
        """``(scores, mentor_scores)`` as read-only float arrays, NaN where forbidden.

        A pair forbidden from either side is NaN in both arrays.
        """
        import numpy as np

        s = np.array(self._S, dtype=np.float64)
        if self._M is self._S:
            s.flags.writeable = False
            return s, s
        m = np.array(self._M, dtype=np.float64)
        forbidden = np.isnan(s) | np.isnan(m)
        s[forbidden] = np.nan
        m[forbidden] = np.nan
        s.flags.writeable = False
        m.flags.writeable = False
        return s, m

    def to_lists(self) -> tuple[list[list[float | None]], list[list[float | None]]]:
        """``(scores, mentor_scores)`` as lists of rows, ``None`` where forbidden."""
        s = [list(map(_none_if_nan, row)) for row in _rows(self._S)]
        m = s if self._M is self._S else [list(map(_none_if_nan, row)) for row in _rows(self._M)]
        if m is not s:
            for srow, mrow in zip(s, m, strict=True):
                for j, (a, b) in enumerate(zip(srow, mrow, strict=True)):
                    if a is None or b is None:
                        srow[j] = mrow[j] = None
        return s, m

    def fingerprint(self) -> str:
        """A SHA-256 of ids, capacities and both matrices: equal problems, equal prints.

        Store it with a result to check later that a rerun used the same problem.
        """
        if self._fingerprint is None:
            digest = hashlib.sha256()
            for part in (self._mentee_ids, self._mentor_ids, self._capacity):
                digest.update(repr(part).encode())
            for chunk in _canonical_bytes(self._S, self._M):
                digest.update(chunk)
            self._fingerprint = digest.hexdigest()
        return self._fingerprint

    def _is_complete(self) -> bool:
        """Whether no pair is forbidden from either side (computed once when not known)."""
        if self._complete is None:
            import numpy as np

            self._complete = not (
                _has_nan(np, self._S) or (self._M is not self._S and _has_nan(np, self._M))
            )
        return self._complete

    def _forbidden_count(self) -> int:
        import numpy as np

        forbidden = np.isnan(self._S)
        if self._M is not self._S:
            forbidden |= np.isnan(self._M)
        return int(forbidden.sum())

    def __repr__(self) -> str:
        n, m = self.shape
        return (
            f"MatchingProblem(mentees={n}, mentors={m}, places={sum(self._capacity)}, "
            f"forbidden_pairs={self._forbidden_count()})"
        )

    # -- index-based access for strategies ----------------------------------------------------

    def _score_at(self, i: int, j: int) -> float:
        return _value(self._S, i, j)

    def _allowed_at(self, i: int, j: int) -> bool:
        return not (math.isnan(_value(self._S, i, j)) or math.isnan(_value(self._M, i, j)))

    def _breakdown_at(self, i: int, j: int) -> Breakdown:
        if not self._allowed_at(i, j):
            return MappingProxyType({})
        if self._breakdown is None:
            return MappingProxyType({"score": self._score_at(i, j)})
        return self._breakdown(i, j)

    def _forbidden_at(self, i: int, j: int) -> tuple[str, ...]:
        if self._allowed_at(i, j):
            return ()
        if self._forbidden_by is None:
            return ("matrix",)
        return self._forbidden_by(i, j)

    def _restricted(self, keep: Callable[[int, int], bool], name: str) -> MatchingProblem:
        """The same problem with the pairs ``keep`` rejects forbidden too (named ``name``)."""
        import numpy as np

        n, m = self.shape
        mask = np.array([[keep(i, j) for j in range(m)] for i in range(n)], dtype=bool)

        def cut(matrix: Any) -> Any:
            out = np.array(matrix, dtype=np.float64).reshape(n, m)
            out[~mask.reshape(n, m)] = np.nan
            out.flags.writeable = False
            return out

        s = cut(self._S)
        own = self._forbidden_at

        def forbidden_by(i: int, j: int) -> tuple[str, ...]:
            return own(i, j) if not self._allowed_at(i, j) else (name,)

        return MatchingProblem(
            mentee_ids=self._mentee_ids,
            mentor_ids=self._mentor_ids,
            capacity=self._capacity,
            scores=s,
            mentor_scores=s if self._M is self._S else cut(self._M),
            breakdown=self._breakdown,
            forbidden_by=forbidden_by,
            excluded=self._excluded,
            groups=self._groups,
        )


def _activities(value: Iterable[Activity | str]) -> frozenset[Activity]:
    out = set()
    for item in value:
        try:
            out.add(Activity(item))
        except ValueError:
            raise ValidationError(
                f"must be activities ({', '.join(a.value for a in Activity)})",
                field="activities",
                value=item,
            ) from None
    return frozenset(out)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _activities = _lenient(_activities)


def _labels(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _labels = _lenient(_labels)


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _codes = _lenient(_codes)


def _text_map(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _text_map = _lenient(_text_map)


def _levels(value: Mapping[str, int]) -> Mapping[str, int]:
    out = dict(value)
    for code, level in out.items():
        if isinstance(level, bool) or not isinstance(level, int | float) or level < 0:
            raise ValidationError(
                "must be an ordinal level >= 0", field=f"strengths[{code!r}]", value=level
            )
    return MappingProxyType(out)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _levels = _lenient(_levels)


def _capacity_value(_inst: object, _attr: object, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CAPACITY:
        raise ValidationError(
            f"must be a whole number from 0 to {MAX_CAPACITY:,}", field="capacity", value=value
        )


@attrs.frozen(kw_only=True)
class MenteeProfile:
    """What matching knows about a mentee.

    Attributes:
        person_id: The mentee.
        focus: Competency codes they want to grow, most important first.
        activities: Activities they prefer (``mentorkit.model.Activity``).
        org_unit_id: Where they work.
        supervisor_id: Who they report to.
        availability: Time-slot labels they can meet in (any labels, e.g. ``"tue-pm"``).
        preferences: Identity or experience preferences they opted into, compared with the
            mentors' ``attributes`` (sensitive: kept out of ``repr``).

    Examples:
        >>> MenteeProfile(person_id="ana", focus=["data", "coaching"], activities=["shadowing"])
        MenteeProfile(person_id='ana', focus=('data', 'coaching'), activities=frozenset({<Activity.SHADOWING: 'shadowing'>}), org_unit_id=None, supervisor_id=None, availability=frozenset())
    """  # noqa: E501

    person_id: str = attrs.field(validator=c.identifier)
    focus: tuple[str, ...] = attrs.field(default=(), converter=_codes, validator=c.identifiers)
    activities: frozenset[Activity] = attrs.field(factory=frozenset, converter=_activities)
    org_unit_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    supervisor_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    availability: frozenset[str] = attrs.field(factory=frozenset, converter=_labels)
    preferences: Mapping[str, str] = attrs.field(
        factory=dict, converter=_text_map, repr=False, hash=False
    )


@attrs.frozen(kw_only=True)
class MentorProfile:
    """What matching knows about a mentor.

    Attributes:
        person_id: The mentor.
        strengths: Competency code -> ordinal level (0 = lowest rank of the scale).
        capacity: How many mentees they take (0 to 2,147,483,647, what the solvers count).
        activities: Activities they offer.
        org_unit_id: Where they work.
        supervisor_id: Who they report to.
        availability: Time-slot labels they can meet in.
        attributes: What they agreed to share for mentees' opt-in preferences (sensitive:
            kept out of ``repr``).
    """

    person_id: str = attrs.field(validator=c.identifier)
    strengths: Mapping[str, int] = attrs.field(factory=dict, converter=_levels, hash=False)
    capacity: int = attrs.field(default=1, validator=_capacity_value)
    activities: frozenset[Activity] = attrs.field(factory=frozenset, converter=_activities)
    org_unit_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    supervisor_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    availability: frozenset[str] = attrs.field(factory=frozenset, converter=_labels)
    attributes: Mapping[str, str] = attrs.field(
        factory=dict, converter=_text_map, repr=False, hash=False
    )


def strengths_from_assessments(
    framework: CompetencyFramework,
    assessments: Iterable[Assessment],
    person_id: str,
    *,
    as_of: dt.date | None = None,
) -> dict[str, int]:
    """A person's latest level per competency as ordinal ranks, for profiles and ratings.

    Args:
        framework: The framework whose scale ranks the levels.
        assessments: Any assessments (others' and other frameworks' are skipped).
        person_id: Whose strengths.
        as_of: Only ratings on or before this day.

    Returns:
        Competency code -> rank on the framework's scale (0 = lowest level).

    Examples:
        >>> import datetime as dt
        >>> from mentorkit.frameworks import Assessment, Rater, load_framework
        >>> fw = load_framework("manager-of-self")
        >>> a = Assessment(id="a-1", person_id="kim", framework_id=fw.id,
        ...                competency="communication", level="exemplary",
        ...                date=dt.date(2025, 5, 1), rater=Rater.SUPERVISOR)
        >>> strengths_from_assessments(fw, [a], "kim")
        {'communication': 3}
    """
    from mentorkit.frameworks import current_levels

    levels = current_levels(framework, assessments, person_id, as_of=as_of)
    return {code: framework.scale.rank(level) for code, level in levels.items()}


def _blockwise(scorer: Any) -> bool:
    """Whether ``scorer`` (``None`` counts) scores a whole block at once."""
    from mentorkit.matching._blocks import offers_block

    if scorer is None:
        return True
    if not offers_block(scorer, "score_block", "score"):
        return False
    whole = getattr(scorer, "blockwise", True)
    return whole if isinstance(whole, bool) else True


def _profiles(values: Iterable[Any], kind: type, field: str) -> list[Any]:
    """``values`` as a list, each one a ``kind`` (a `MenteeProfile` or `MentorProfile`)."""
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise ValidationError(
            f"must be a sequence of {kind.__name__} objects",
            field=field,
            value=type(values).__name__,
        )
    out = list(values)
    for k, value in enumerate(out):
        if not isinstance(value, kind):
            # The type only: a profile-like object may hold personal data.
            raise ValidationError(
                f"must be a {kind.__name__}", field=f"{field}[{k}]", value=type(value).__name__
            )
    return out


def _checked_breakdown(
    parts: Any, score: float, scorer: Any, mentee_id: str, mentor_id: str
) -> Breakdown:
    """A scorer's per-criterion breakdown of one pair, checked to explain the pair's score."""
    if isinstance(parts, Mapping):
        given = dict(parts)
        # The common case, checked fast: string names, finite floats (x - x is 0).
        if all(
            type(k) is str and type(v) is float and v - v == 0 for k, v in given.items()
        ) and math.isclose(math.fsum(given.values()), score, rel_tol=1e-9, abs_tol=1e-9):
            return MappingProxyType(given)
    where = f"scorer {_name_of(scorer)!r} for mentee {mentee_id!r} and mentor {mentor_id!r}"
    if not isinstance(parts, Mapping):
        raise ValidationError(
            f"breakdown() of {where} must return a mapping of criterion names to numbers",
            field="scorer",
            value=type(parts).__name__,
        )
    out: dict[str, float] = {}
    for name, value in parts.items():
        if (
            not isinstance(name, str)
            or isinstance(value, bool)
            or not isinstance(value, numbers.Real)
            or not math.isfinite(value)
        ):
            raise ValidationError(
                f"breakdown() of {where} must map criterion names to finite numbers",
                field="scorer",
                value=f"{name!r}: {value!r}",
            )
        out[name] = float(value)
    total = math.fsum(out.values())
    if not math.isclose(total, score, rel_tol=1e-9, abs_tol=1e-9):
        raise ValidationError(
            f"breakdown() of {where} adds up to {total!r}, not the pair's score {score!r} "
            "(does its score_block agree with score?)",
            field="scorer",
            value=total,
        )
    return MappingProxyType(out)


def _rule_mask(np: Any, rule: Any, mentees: list[Any], mentors: list[Any], field: str) -> Any:
    """Where ``rule`` allows a pair: its ``allows_block`` mask, or ``allows`` pair by pair."""
    shape = (len(mentees), len(mentors))
    from mentorkit.matching._blocks import offers_block

    if offers_block(rule, "allows_block", "allows"):
        try:
            mask = np.asarray(rule.allows_block(mentees, mentors), dtype=bool)
        except ValidationError:
            raise
        except (TypeError, ValueError):
            mask = None
        if mask is None or mask.shape != shape:
            raise ValidationError(
                f"allows_block of constraint {_name_of(rule)!r} must return a boolean array "
                f"of shape {shape}",
                field=field,
                value=None if mask is None else mask.shape,
            )
        return mask
    return np.array(
        [[bool(rule.allows(a, b)) for b in mentors] for a in mentees], dtype=bool
    ).reshape(shape)


def _scored(
    np: Any, scorer: Any, field: str, mentees: list[Any], mentors: list[Any], mask: Any
) -> Any:
    """``scorer``'s scores where ``mask`` allows a pair, NaN elsewhere (a read-only array).

    A scorer with ``score_block`` scores the whole block at once; any other is called pair
    by pair, on allowed pairs only. Every allowed pair must get a finite number.
    """
    shape = mask.shape
    if _blockwise(scorer):
        try:
            values = np.asarray(scorer.score_block(mentees, mentors), dtype=np.float64)
        except ValidationError:  # the scorer's own, naming its field (a WeightedScorer part)
            raise
        except (TypeError, ValueError):
            raise ValidationError(
                f"score_block of scorer {_name_of(scorer)!r} must return an array of numbers "
                f"of shape {shape}",
                field=field,
                value=type(scorer).__name__,
            ) from None
        if values.shape != shape:
            raise ValidationError(
                f"score_block must return shape {shape}", field=field, value=values.shape
            )
        if not np.isfinite(values).all():  # one pass in the usual case: all finite
            _refuse_non_finite(np, values, mask, scorer, field, mentees, mentors)
        values = np.where(mask, values, np.nan)
    else:
        values = np.full(shape, np.nan)
        rows, cols = np.nonzero(mask)
        got = []
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            value = scorer.score(mentees[i], mentors[j])
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValidationError(
                    f"scorer {_name_of(scorer)!r} must return a number, not "
                    f"{type(value).__name__} (mentee {mentees[i].person_id!r}, "
                    f"mentor {mentors[j].person_id!r})",
                    field=f"{field}[{i}][{j}]",
                    value=type(value).__name__,
                )
            try:
                got.append(float(value))
            except OverflowError:  # an int beyond 1.8e308
                got.append(math.inf)
        values[rows, cols] = got
        _refuse_non_finite(np, values, mask, scorer, field, mentees, mentors)
    values.flags.writeable = False
    return values


def _refuse_non_finite(
    np: Any, values: Any, mask: Any, scorer: Any, field: str, mentees: Any, mentors: Any
) -> None:
    """Raise naming the first allowed pair whose score is not a finite number, if any."""
    bad = mask & ~np.isfinite(values)
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        raise ValidationError(
            f"scorer {_name_of(scorer)!r} gave {float(values[i, j])} for mentee "
            f"{mentees[i].person_id!r} and mentor {mentors[j].person_id!r}: every allowed "
            "pair needs a finite score (forbid pairs with a constraint)",
            field=f"{field}[{i}][{j}]",
            value=float(values[i, j]),
        )


def _name_of(scorer: Any) -> str:
    name = getattr(scorer, "name", None)
    return name if isinstance(name, str) else type(scorer).__name__


def _canonical_bytes(scores: Any, mentor_scores: Any) -> Iterator[bytes]:
    """Little-endian float64 bytes of both matrices, a pair forbidden on either side NaN in both.

    Problems that behave the same give the same bytes, however they were stored.
    """
    import numpy as np

    forbidden = np.isnan(scores) | np.isnan(mentor_scores)
    for matrix in (scores, mentor_scores):
        yield bytes(np.where(forbidden, np.nan, matrix).astype("<f8").tobytes())


def _value(matrix: Any, i: int, j: int) -> float:
    value = matrix[i][j]
    return math.nan if value is None else float(value)


def _none_if_nan(value: Any) -> float | None:
    return None if value is None or value != value else float(value)


def _rows(matrix: Any) -> list[list[Any]]:
    return matrix.tolist() if hasattr(matrix, "tolist") else [list(row) for row in matrix]


def _lookup(index: Mapping[str, int], key: str, what: str) -> int:
    from mentorkit.errors import NotFoundError

    try:
        return index[key]
    except (KeyError, TypeError):
        raise NotFoundError(f"no {what} {key!r} in this matching problem") from None


def _ids(ids: Sequence[str], field: str) -> tuple[str, ...]:
    if isinstance(ids, str) or not isinstance(ids, Sequence):
        raise ValidationError("must be a sequence of id strings", field=field, value=ids)
    seen: set[str] = set()
    for k, value in enumerate(ids):
        if not isinstance(value, str) or not value or value.strip() != value:
            raise ValidationError(
                "must be a non-empty string without surrounding spaces",
                field=f"{field}[{k}]",
                value=value,
            )
        if value in seen:
            raise ValidationError("is a duplicate id", field=f"{field}[{k}]", value=value)
        seen.add(value)
    return tuple(ids)


def _groups(groups: Sequence[str | None] | None, size: int) -> tuple[str | None, ...] | None:
    if groups is None:
        return None
    if isinstance(groups, str) or not isinstance(groups, Sequence) or len(groups) != size:
        raise ValidationError(
            f"must have one entry (a string or None) per mentee ({size})",
            field="groups",
            value=groups,
        )
    for k, value in enumerate(groups):
        if value is not None and not isinstance(value, str):
            raise ValidationError("must be a string or None", field=f"groups[{k}]", value=value)
    return tuple(groups)


#: The largest capacity of one mentor (solvers count places in 64-bit integers); the bound
#: `Enrollment.capacity` shares.
MAX_CAPACITY = c.MAX_CAPACITY


def _capacities(capacity: int | Sequence[int], size: int) -> tuple[int, ...]:
    def check(value: object, field: str) -> int:
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Integral)
            or not 0 <= int(value) <= MAX_CAPACITY
        ):
            raise ValidationError(
                f"must be a whole number from 0 to {MAX_CAPACITY:,}", field=field, value=value
            )
        return int(value)

    if isinstance(capacity, numbers.Integral | bool):
        return (check(capacity, "capacity"),) * size
    # An ordered collection only: a set or a mapping has no "one per mentor" order.
    if isinstance(capacity, str | Mapping | AbstractSet) or not isinstance(
        capacity, Sequence | Sized
    ):
        raise ValidationError(
            "must be an int or one int per mentor", field="capacity", value=capacity
        )
    if len(capacity) != size:
        raise ValidationError(
            f"must have one entry per mentor ({size})", field="capacity", value=len(capacity)
        )
    return tuple(check(v, f"capacity[{j}]") for j, v in enumerate(capacity))


def _check_value(value: object, field: str) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValidationError("must be a number or None", field=field, value=value)
    try:
        number = float(value)
    except OverflowError:  # an int beyond 1.8e308
        number = math.inf
    if math.isinf(number):
        raise ValidationError(
            "must be finite (use None to forbid a pair)", field=field, value=value
        )
    return number


def _as_rows(matrix: Any, shape: tuple[int, int], field: str) -> tuple[tuple[float, ...], ...]:
    n, m = shape
    if isinstance(matrix, str | bytes | Mapping | AbstractSet) or not hasattr(matrix, "__len__"):
        raise ValidationError("must be a matrix (rows of numbers)", field=field, value=matrix)
    if len(matrix) != n:
        raise ValidationError(f"must have one row per mentee ({n})", field=field, value=len(matrix))
    rows = []
    for i, row in enumerate(matrix):
        if isinstance(row, str | bytes | Mapping | AbstractSet):
            raise ValidationError(
                "must be a row of numbers (a list or tuple, one per mentor)",
                field=f"{field}[{i}]",
                value=row,
            )
        if not hasattr(row, "__len__") or len(row) != m:
            got = len(row) if hasattr(row, "__len__") else row
            raise ValidationError(
                f"must have one entry per mentor ({m})", field=f"{field}[{i}]", value=got
            )
        rows.append(tuple(_check_value(v, f"{field}[{i}][{j}]") for j, v in enumerate(row)))
    return tuple(rows)


def _stored(matrix: Any, shape: tuple[int, int], field: str) -> tuple[Any, bool]:
    """A validated, private, read-only float copy of a matrix, and whether it has no NaN."""
    import numpy as np

    if isinstance(matrix, np.ndarray) and matrix.dtype.kind in "iuf":
        if matrix.ndim != 2 or matrix.shape != shape:
            raise ValidationError(f"must have shape {shape}", field=field, value=matrix.shape)
        array = np.array(matrix, dtype=np.float64)  # a private copy the caller cannot change
        complete = bool(np.isfinite(array).all())  # one pass: no NaN and no infinity
        if not complete:
            bad = np.isinf(array)
            if bad.any():
                i, j = (int(k) for k in np.argwhere(bad)[0])
                raise ValidationError(
                    "must be finite (use NaN to forbid a pair)",
                    field=f"{field}[{i}][{j}]",
                    value=float(array[i, j]),
                )
    else:
        array = np.array(_as_rows(matrix, shape, field), dtype=np.float64).reshape(shape)
        complete = not _has_nan(np, array)
    array.flags.writeable = False
    return array, complete


def _has_nan(np: Any, a: Any) -> bool:
    """Whether ``a`` holds a NaN (its sum is NaN when any entry is; no mask is built)."""
    return bool(np.isnan(a.sum())) and bool(np.isnan(a).any())
