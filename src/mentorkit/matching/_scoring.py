"""Scorers: how good a mentor is for a mentee, criterion by criterion, with weights."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from mentorkit.errors import ValidationError
from mentorkit.model._checks import lenient as _lenient

if TYPE_CHECKING:
    from mentorkit.matching._problem import MenteeProfile, MentorProfile


@runtime_checkable
class Scorer(Protocol):
    """Protocol: one criterion, scoring a mentee-mentor pair (built-ins return 0 to 1).

    ``name`` labels the criterion in every breakdown and explanation. Combine scorers with
    weights in a [`WeightedScorer`][mentorkit.matching.WeightedScorer].

    A scorer may also offer ``score_block(mentees, mentors)``, returning a NumPy array of
    shape ``(len(mentees), len(mentors))`` equal to ``score`` on every pair: the built-in
    scorers do, and `MatchingProblem.from_profiles` then scores a whole cohort at
    once. Scorers with ``score`` only are called pair by pair, as before.

    Examples:
        >>> isinstance(CompetencyFit(), Scorer)
        True
    """

    @property
    def name(self) -> str:
        """The criterion's name, used in breakdowns."""
        ...

    def score(self, mentee: MenteeProfile, mentor: MentorProfile) -> float:
        """The pair's score on this criterion."""
        ...


@attrs.frozen(kw_only=True)
class CompetencyFit:
    """The mentor's level in the mentee's focus competencies, the first focus weighing most.

    With focus codes ``f1, f2, ...`` the score is the mean of ``level(f_k) / max_level``
    weighted by ``decay ** (k - 1)``; a competency the mentor has no level in counts 0.

    Attributes:
        max_level: The top of the ordinal scale (3 on a four-point scale ranked from 0).
        decay: How much less each next focus counts (1 = all equal).

    Examples:
        >>> from mentorkit.matching import MenteeProfile, MentorProfile
        >>> ana = MenteeProfile(person_id="ana", focus=("coaching", "data"))
        >>> kim = MentorProfile(person_id="kim", strengths={"coaching": 3, "data": 0})
        >>> round(CompetencyFit(max_level=3, decay=0.5).score(ana, kim), 3)
        0.667
    """

    name: str = "competency_fit"
    max_level: int = attrs.field(default=3)
    decay: float = attrs.field(default=0.5)

    @max_level.validator
    def _check_max(self, _: object, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError("must be an int >= 1", field="max_level", value=value)

    @decay.validator
    def _check_decay(self, _: object, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
            raise ValidationError("must be a number in (0, 1]", field="decay", value=value)

    def score(self, mentee: MenteeProfile, mentor: MentorProfile) -> float:
        """See the class docstring."""
        return self._fit([mentor.strengths.get(code, 0) for code in mentee.focus])

    def _fit(self, levels: Sequence[float]) -> float:
        if not levels:
            return 0.0
        weights = [self.decay**k for k in range(len(levels))]
        got = [min(level, self.max_level) / self.max_level for level in levels]
        return math.fsum(w * g for w, g in zip(weights, got, strict=True)) / math.fsum(weights)

    def score_block(
        self, mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile]
    ) -> Any:
        """`score` for every pair at once, as a NumPy array.

        Mentees with the same focus share a row; within it the score depends only on the
        mentor's levels in those competencies, and few distinct level combinations exist,
        so each is scored once with `score`'s own arithmetic.
        """
        from mentorkit.matching._blocks import numpy

        np = numpy()
        out = np.zeros((len(mentees), len(mentors)))
        by_focus: dict[tuple[str, ...], list[int]] = {}
        for i, mentee in enumerate(mentees):
            if mentee.focus:
                by_focus.setdefault(mentee.focus, []).append(i)
        if not by_focus or not mentors:
            return out
        codes = sorted({code for focus in by_focus for code in focus})
        column = {code: k for k, code in enumerate(codes)}
        levels = np.array(
            [[mentor.strengths.get(code, 0) for code in codes] for mentor in mentors],
            dtype=object,
        )
        for focus, rows in by_focus.items():
            sub = levels[:, [column[code] for code in focus]]
            distinct: dict[tuple[Any, ...], float] = {}
            values = np.empty(len(mentors))
            for j, key in enumerate(map(tuple, sub.tolist())):
                value = distinct.get(key)
                if value is None:
                    value = distinct[key] = self._fit(key)
                values[j] = value
            out[rows] = values
        return out


def _share(wanted: Iterable[object], offered: Iterable[object]) -> float:
    want = set(wanted)
    return len(want & set(offered)) / len(want) if want else 0.0


@attrs.frozen(kw_only=True)
class ActivityOverlap:
    """The share of the mentee's preferred activities the mentor offers (0 with none stated).

    Examples:
        >>> from mentorkit.model import Activity
        >>> from mentorkit.matching import MenteeProfile, MentorProfile
        >>> ana = MenteeProfile(person_id="ana",
        ...                     activities={Activity.SHADOWING, Activity.ROLE_PLAY})
        >>> kim = MentorProfile(person_id="kim", activities={Activity.SHADOWING})
        >>> ActivityOverlap().score(ana, kim)
        0.5
    """

    name: str = "activity_overlap"

    def score(self, mentee: MenteeProfile, mentor: MentorProfile) -> float:
        """See the class docstring."""
        return _share(mentee.activities, mentor.activities)

    def score_block(
        self, mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile]
    ) -> Any:
        """`score` for every pair at once, as a NumPy array."""
        from mentorkit.matching._blocks import share

        return share([p.activities for p in mentees], [p.activities for p in mentors])


@attrs.frozen(kw_only=True)
class AvailabilityOverlap:
    """The share of the mentee's time slots (any labels, e.g. ``"tue-pm"``) the mentor has."""

    name: str = "availability"

    def score(self, mentee: MenteeProfile, mentor: MentorProfile) -> float:
        """See the class docstring."""
        return _share(mentee.availability, mentor.availability)

    def score_block(
        self, mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile]
    ) -> Any:
        """`score` for every pair at once, as a NumPy array."""
        from mentorkit.matching._blocks import share

        return share([p.availability for p in mentees], [p.availability for p in mentors])


@attrs.frozen(kw_only=True)
class OptInPreferences:
    """Identity or experience preferences the mentee opted into, met by the mentor.

    Each key of ``mentee.preferences`` is an opt-in (``{"experience": "10+"}``); the score
    is the share of them equal in ``mentor.attributes``. A mentee who opted into nothing
    scores 0 with every mentor, so the criterion changes nothing for them.
    """

    name: str = "opt_in_preferences"

    def score(self, mentee: MenteeProfile, mentor: MentorProfile) -> float:
        """See the class docstring."""
        wanted = mentee.preferences
        if not wanted:
            return 0.0
        met = sum(mentor.attributes.get(key) == value for key, value in wanted.items())
        return met / len(wanted)

    def score_block(
        self, mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile]
    ) -> Any:
        """`score` for every pair at once, as a NumPy array.

        A preference is met when the mentor shares the same (key, value) item.
        """
        from mentorkit.matching._blocks import share

        return share(
            [p.preferences.items() for p in mentees], [p.attributes.items() for p in mentors]
        )


@attrs.frozen(kw_only=True)
class OtherOrgUnit:
    """1 when mentor and mentee work in different org units (a fresh view), else 0."""

    name: str = "other_org_unit"

    def score(self, mentee: MenteeProfile, mentor: MentorProfile) -> float:
        """See the class docstring."""
        if mentee.org_unit_id is None or mentor.org_unit_id is None:
            return 0.0
        return float(mentee.org_unit_id != mentor.org_unit_id)

    def score_block(
        self, mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile]
    ) -> Any:
        """`score` for every pair at once, as a NumPy array."""
        from mentorkit.matching._blocks import codes

        a, b = codes([p.org_unit_id for p in mentees], [p.org_unit_id for p in mentors])
        known = (a[:, None] >= 0) & (b[None, :] >= 0)
        return (known & (a[:, None] != b[None, :])).astype(float)


def _parts(value: Iterable[Scorer | tuple[Scorer, float]]) -> tuple[tuple[Scorer, float], ...]:
    out: list[tuple[Scorer, float]] = []
    for k, item in enumerate(value):
        scorer, weight = item if isinstance(item, tuple) else (item, 1.0)
        if not isinstance(scorer, Scorer):
            raise ValidationError(
                "must be a Scorer (with name and score()) or (scorer, weight)",
                field=f"parts[{k}]",
                value=scorer,
            )
        if (
            isinstance(weight, bool)
            or not isinstance(weight, int | float)
            or not math.isfinite(weight)
        ):
            raise ValidationError(
                "must be a finite number", field=f"parts[{k}].weight", value=weight
            )
        out.append((scorer, float(weight)))
    names = [s.name for s, _ in out]
    for name in names:
        if names.count(name) > 1:
            raise ValidationError("names a criterion twice", field="parts", value=name)
    return tuple(out)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _parts = _lenient(_parts)


@attrs.frozen
class WeightedScorer:
    """Criteria with weights; the pair score is the weighted sum, with a breakdown.

    Attributes:
        parts: Scorers, or ``(scorer, weight)`` pairs (weight 1 when not given).

    Raises:
        ValidationError: A part that is not a scorer, a non-finite weight, or two criteria
            of one name.

    Examples:
        >>> from mentorkit.matching import MenteeProfile, MentorProfile
        >>> scorer = WeightedScorer([(CompetencyFit(), 3.0), ActivityOverlap()])
        >>> ana = MenteeProfile(person_id="ana", focus=("coaching",))
        >>> kim = MentorProfile(person_id="kim", strengths={"coaching": 3})
        >>> dict(scorer.breakdown(ana, kim))
        {'competency_fit': 3.0, 'activity_overlap': 0.0}
        >>> scorer.score(ana, kim)
        3.0
    """

    parts: tuple[tuple[Scorer, float], ...] = attrs.field(converter=_parts)
    name: str = attrs.field(default="weighted", kw_only=True)

    @property
    def criteria(self) -> tuple[str, ...]:
        """The criterion names, in order."""
        return tuple(s.name for s, _ in self.parts)

    def breakdown(self, mentee: MenteeProfile, mentor: MentorProfile) -> Mapping[str, float]:
        """Each criterion's weighted contribution; they add up to `score`.

        Raises:
            ValidationError: A criterion gave the pair something other than a finite
                number (``field`` is ``parts[k]``; the message names the criterion and
                the pair).
        """
        out = {}
        for k, (scorer, weight) in enumerate(self.parts):
            value = scorer.score(mentee, mentor)
            if type(value) is not float or not math.isfinite(value):  # fast path: floats
                value = _part_value(value, k, scorer.name, mentee, mentor)
            out[scorer.name] = weight * value
        return MappingProxyType(out)

    def score(self, mentee: MenteeProfile, mentor: MentorProfile) -> float:
        """The weighted sum of the criteria, added in order."""
        total = 0.0
        for value in self.breakdown(mentee, mentor).values():
            total += value
        return total

    def score_block(
        self, mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile]
    ) -> Any:
        """`score` for every pair at once, as a NumPy array.

        Raises:
            ValidationError: A criterion scores pairs one at a time only (no
                ``score_block``; `MatchingProblem.from_profiles` checks `blockwise` first
                and scores pair by pair then), or a criterion's block is not an array of
                numbers of the block's shape (``field`` ``parts[k]``).
        """
        from mentorkit.matching._blocks import numpy

        np = numpy()
        total = np.zeros((len(mentees), len(mentors)))
        if not self.blockwise:
            raise ValidationError(
                "has a criterion that scores pairs one at a time (no score_block)",
                field="parts",
                value=self.criteria,
            )
        for k, (scorer, weight) in enumerate(self.parts):
            block = scorer.score_block  # type: ignore[attr-defined]
            try:
                values = np.asarray(block(mentees, mentors), dtype=np.float64)
            except ValidationError:
                raise
            except (TypeError, ValueError):
                values = None
            if values is None or values.shape != total.shape:
                # Checked here: a block of another shape would broadcast into the total.
                raise ValidationError(
                    f"score_block of criterion {scorer.name!r} must return an array of "
                    f"numbers of shape {total.shape}",
                    field=f"parts[{k}]",
                    value=None if values is None else values.shape,
                )
            total += weight * values
        return total

    @property
    def blockwise(self) -> bool:
        """Whether every criterion can score a whole block at once (``score_block``)."""
        from mentorkit.matching._blocks import offers_block

        return all(offers_block(s, "score_block", "score") for s, _ in self.parts)


def _part_value(
    value: object, k: int, name: str, mentee: MenteeProfile, mentor: MentorProfile
) -> float:
    """A criterion's score of a pair as a float, or a ValidationError naming the part."""
    number = math.nan
    if not isinstance(value, bool) and isinstance(value, numbers.Real):
        try:
            number = float(value)
        except OverflowError:  # an int beyond 1.8e308
            number = math.inf
    if not math.isfinite(number):
        shown = value if isinstance(value, float) else type(value).__name__
        raise ValidationError(
            f"criterion {name!r} must give a finite number, for mentee {mentee.person_id!r} "
            f"and mentor {mentor.person_id!r}",
            field=f"parts[{k}]",
            value=shown,
        )
    return number


def default_scorer(max_level: int = 3) -> WeightedScorer:
    """Competency fit (weight 3), activities (1), availability (1), opt-in preferences (1).

    Args:
        max_level: The top rank of the proficiency scale the strengths use.
    """
    return WeightedScorer(
        [
            (CompetencyFit(max_level=max_level), 3.0),
            (ActivityOverlap(), 1.0),
            (AvailabilityOverlap(), 1.0),
            (OptInPreferences(), 1.0),
        ]
    )
