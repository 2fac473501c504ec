"""What a strategy returns: pairs with reasons, unmatched mentees with reasons, how it ran."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.model._checks import lenient as _lenient

if TYPE_CHECKING:
    from mentorkit.matching._problem import MatchingProblem


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _frozen_mapping = _lenient(_frozen_mapping)


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _strings = _lenient(_strings)


def _pairs(value: Iterable[Pair]) -> tuple[Pair, ...]:
    return tuple(value)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _pairs = _lenient(_pairs)


def _unmatched_items(value: Iterable[Unmatched]) -> tuple[Unmatched, ...]:
    return tuple(value)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _unmatched_items = _lenient(_unmatched_items)


class UnmatchedReason(StrEnum):
    """Why a mentee stayed unmatched."""

    #: Left out before matching (eligibility, or excluded by the program).
    EXCLUDED = "excluded"
    #: Every pair with this mentee is forbidden (by a constraint or the matrix).
    NO_ALLOWED_MENTOR = "no_allowed_mentor"
    #: Every allowed mentor's places went to other mentees.
    MENTORS_FULL = "mentors_full"
    #: An allowed mentor had room, but the strategy judged the pair not worth making
    #: (``optimal`` when the pair's score would lower the total).
    NOT_WORTH_IT = "not_worth_it"


@attrs.frozen(kw_only=True)
class Pair:
    """One mentee matched with one mentor.

    Attributes:
        mentee_id: The mentee.
        mentor_id: The mentor.
        score: The pair's score (the mentee's view).
        reasons: Why this pair was made, one plain sentence each (paste-able).
        breakdown: The score per criterion; the values add up to ``score``.
    """

    mentee_id: str
    mentor_id: str
    score: float
    reasons: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    breakdown: Mapping[str, float] = attrs.field(
        factory=dict, converter=_frozen_mapping, eq=False, hash=False
    )


@attrs.frozen(kw_only=True)
class Unmatched:
    """A mentee the strategy left without a mentor, and why."""

    mentee_id: str
    reason: UnmatchedReason
    detail: str


@attrs.frozen(kw_only=True)
class MatchResult:
    """The outcome of one run: pairs, unmatched mentees, and how to reproduce the run.

    ``strategy``, ``seed`` and ``options`` are everything a rerun needs:
    ``match(problem, strategy=r.strategy, seed=r.seed, **r.options)`` gives the same
    result for the same problem (compare ``problem.fingerprint()``).

    Examples:
        >>> from mentorkit.matching import MatchingProblem, match
        >>> p = MatchingProblem.from_matrix(["a", "b"], ["x"], [[2], [1]], capacity=1)
        >>> r = match(p, strategy="greedy")
        >>> [(x.mentee_id, x.mentor_id) for x in r.pairs], r.total_score
        ([('a', 'x')], 2.0)
        >>> print(r.explain("b"))
        b: unmatched (mentors_full): the one allowed mentor was full
    """

    pairs: tuple[Pair, ...] = attrs.field(converter=_pairs)
    unmatched: tuple[Unmatched, ...] = attrs.field(converter=_unmatched_items)
    strategy: str
    seed: int = 0
    options: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_frozen_mapping, eq=False, hash=False
    )

    @property
    def total_score(self) -> float:
        """The sum of the pairs' scores."""
        return math.fsum(p.score for p in self.pairs)

    @property
    def criterion_totals(self) -> Mapping[str, float]:
        """The sum over pairs of each criterion's contribution."""
        totals: dict[str, list[float]] = {}
        for pair in self.pairs:
            for name, value in pair.breakdown.items():
                totals.setdefault(name, []).append(value)
        return MappingProxyType({k: math.fsum(v) for k, v in totals.items()})

    @property
    def assignment(self) -> Mapping[str, str]:
        """A mapping from each matched mentee to their mentor."""
        return MappingProxyType({p.mentee_id: p.mentor_id for p in self.pairs})

    def pair_of(self, mentee_id: str) -> Pair | None:
        """The pair of ``mentee_id``, or ``None`` when they are unmatched."""
        return next((p for p in self.pairs if p.mentee_id == mentee_id), None)

    def mentees_of(self, mentor_id: str) -> tuple[str, ...]:
        """The mentees matched with ``mentor_id``."""
        return tuple(p.mentee_id for p in self.pairs if p.mentor_id == mentor_id)

    def explain(self, mentee_id: str) -> str:
        """A plain-text account of what happened to one mentee, ready to paste.

        Raises:
            NotFoundError: ``mentee_id`` is neither matched nor unmatched in this result.
        """
        pair = self.pair_of(mentee_id)
        if pair is not None:
            lines = [f"{mentee_id} -> {pair.mentor_id} (score {_fmt(pair.score)})"]
            lines += [f"  - {reason}" for reason in pair.reasons]
            return "\n".join(lines)
        for item in self.unmatched:
            if item.mentee_id == mentee_id:
                return f"{mentee_id}: unmatched ({item.reason}): {item.detail}"
        raise NotFoundError(f"no mentee {mentee_id!r} in this match result")

    def summary(self) -> str:
        """One line: strategy, pairs, unmatched, total score."""
        return (
            f"{self.strategy} (seed {self.seed}): {len(self.pairs)} "
            f"pair{'' if len(self.pairs) == 1 else 's'}, "
            f"{len(self.unmatched)} unmatched, total score {_fmt(self.total_score)}"
        )

    @classmethod
    def from_assignment(
        cls,
        problem: MatchingProblem,
        assignment: Sequence[int],
        *,
        strategy: str,
        seed: int = 0,
        options: Mapping[str, Any] | None = None,
        why: str = "",
        notes: Mapping[int, str] | None = None,
    ) -> MatchResult:
        """Build a result, with reasons, from mentor columns per mentee row.

        Strategies (yours too) call this once they know who goes where.

        Args:
            problem: The problem solved.
            assignment: ``assignment[i]`` is the column of mentee ``i``'s mentor, or -1.
            strategy: The strategy's registered name.
            seed: The seed the run used.
            options: The strategy's options, as ``match(**options)`` takes them.
            why: A sentence the strategy adds to every pair's reasons.
            notes: Row -> a sentence added to that mentee's pair reasons.

        Returns:
            The result; every pair's reasons say the score, its breakdown and the rank of
            the mentor among the mentee's allowed mentors.

        Raises:
            ValidationError: The assignment has the wrong length, names an unknown column,
                a forbidden pair, or puts a mentor over capacity.
        """
        n, m = problem.shape
        if len(assignment) != n:
            raise ValidationError(
                f"must have one entry per mentee ({n})", field="assignment", value=len(assignment)
            )
        assignment = [int(j) for j in assignment]
        matched = [i for i, j in enumerate(assignment) if j != -1]
        load = [0] * m
        for i in matched:
            j = assignment[i]
            if not 0 <= j < m:
                raise ValidationError("is not a mentor column", field=f"assignment[{i}]", value=j)
            load[j] += 1
        scores, allowed = _pair_values(problem, matched, [assignment[i] for i in matched])
        for i, ok in zip(matched, allowed, strict=True):
            if not ok:
                raise ValidationError(
                    "is a forbidden pair",
                    field=f"assignment[{i}]",
                    value=problem.mentor_ids[assignment[i]],
                )
        for j, used in enumerate(load):
            if used > problem.capacity[j]:
                raise ValidationError(
                    f"puts mentor {problem.mentor_ids[j]!r} over capacity {problem.capacity[j]}",
                    field="assignment",
                    value=used,
                )
        stats = _row_stats(problem, assignment)
        pairs = []
        mentee_ids, mentor_ids = problem._mentee_ids, problem._mentor_ids
        breakdown_of = problem._breakdown
        extra = (why,) if why else ()
        choices: dict[tuple[int, int], str] = {}  # many pairs share a rank sentence
        for i, score in zip(matched, scores, strict=True):
            j = assignment[i]
            rank = stats[i]
            choice = choices.get(rank)
            if choice is None:
                better, count = rank
                choice = choices[rank] = (
                    f"mentee's {_ordinal(better + 1)} choice of {count} allowed "
                    f"mentor{'' if count == 1 else 's'}"
                )
            if breakdown_of is not None:
                breakdown = breakdown_of(i, j)
                first = _score_reason(score, breakdown)
            else:  # one criterion: the sentence is the score
                breakdown = {"score": score}
                first = f"score {score:.4g}"
            reasons = (first, choice, *extra)
            if notes and i in notes:
                reasons += (notes[i],)
            pairs.append(
                Pair(
                    mentee_id=mentee_ids[i],
                    mentor_id=mentor_ids[j],
                    score=score,
                    reasons=reasons,
                    breakdown=breakdown,
                )
            )
        unmatched = [
            Unmatched(mentee_id=mentee, reason=UnmatchedReason.EXCLUDED, detail=reason)
            for mentee, reason in problem.excluded.items()
        ]
        full = [load[j] >= problem.capacity[j] for j in range(m)]
        unmatched += _unmatched(problem, [i for i, j in enumerate(assignment) if j == -1], full)
        return cls(
            pairs=pairs, unmatched=unmatched, strategy=strategy, seed=seed, options=options or {}
        )


def _pair_values(
    problem: MatchingProblem, rows: list[int], cols: list[int]
) -> tuple[list[float], list[bool]]:
    """The scores of the given pairs, and whether each is allowed."""
    import numpy as np

    r, c = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    values = problem._S[r, c]
    ok = ~np.isnan(values)
    if problem._M is not problem._S:
        ok &= ~np.isnan(problem._M[r, c])
    return values.tolist(), ok.tolist()


def _row_stats(problem: MatchingProblem, assignment: list[int]) -> dict[int, tuple[int, int]]:
    """For each matched row: how many allowed mentors score higher, and how many are allowed."""
    import numpy as np

    n, m_count = problem.shape
    out: dict[int, tuple[int, int]] = {}
    if n and m_count:
        s, m = problem._S, problem._M
        complete = problem._is_complete()  # nothing forbidden: no masks at all
        cols_all = np.asarray(assignment)
        for start in range(0, n, 1024):  # row slices are views: no copy of the matrix
            block = s[start : start + 1024]
            cols = cols_all[start : start + len(block)]
            rows = np.flatnonzero(cols >= 0)
            if not rows.size:
                continue
            sub = block if rows.size == len(block) else block[rows]
            mine = sub[np.arange(rows.size), cols[rows]]
            # A NaN score compares False, so it never counts as better; only the other
            # matrix's NaN (a pair forbidden from the mentor's side) needs a mask.
            greater = sub > mine[:, None]
            msub = None
            if m is not s and not complete:
                mblock = m[start : start + len(block)]
                msub = mblock if rows.size == len(block) else mblock[rows]
            if complete or (not np.isnan(sub.sum()) and (msub is None or not np.isnan(msub.sum()))):
                # Nothing forbidden in these rows (a sum is NaN when any entry is).
                better = greater.view(np.uint8).sum(axis=1, dtype=np.int64)
                allowed_count = np.full(rows.size, m_count)
            else:
                allowed = ~np.isnan(sub)
                if msub is not None:
                    allowed &= ~np.isnan(msub)
                better = (greater & allowed).view(np.uint8).sum(axis=1, dtype=np.int64)
                allowed_count = allowed.view(np.uint8).sum(axis=1, dtype=np.int64)
            out.update(
                zip(
                    (rows + start).tolist(),
                    zip(better.tolist(), allowed_count.tolist(), strict=True),
                    strict=True,
                )
            )
    return out


def _allowed_rows(problem: MatchingProblem, rows: list[int]) -> list[list[int]]:
    """The allowed columns of each row."""
    import numpy as np

    s, m = problem._S, problem._M
    out: list[list[int]] = []
    for start in range(0, len(rows), 2048):
        chunk = np.asarray(rows[start : start + 2048], dtype=np.int64)
        allowed = ~np.isnan(s[chunk])
        if m is not s:
            allowed &= ~np.isnan(m[chunk])
        out += [np.flatnonzero(row).tolist() for row in allowed]
    return out


def _unmatched(problem: MatchingProblem, rows: list[int], full: list[bool]) -> list[Unmatched]:
    out = []
    for i, allowed in zip(rows, _allowed_rows(problem, rows), strict=True):
        mentee = problem.mentee_ids[i]
        if not allowed:
            causes: dict[str, int] = {}
            for j in range(problem.shape[1]):
                for name in problem._forbidden_at(i, j):
                    causes[name] = causes.get(name, 0) + 1
            detail = "every pair is forbidden"
            if causes:
                detail += " (" + ", ".join(f"{k}: {v}" for k, v in sorted(causes.items())) + ")"
            if not problem.shape[1]:
                detail = "there are no mentors"
            reason = UnmatchedReason.NO_ALLOWED_MENTOR
        elif all(full[j] for j in allowed):
            reason = UnmatchedReason.MENTORS_FULL
            closed = sum(problem.capacity[j] == 0 for j in allowed)
            if closed == len(allowed):
                detail = f"none of the {closed} allowed mentors takes mentees (capacity 0)"
            else:
                detail = (
                    "the one allowed mentor was full"
                    if len(allowed) == 1
                    else f"all {len(allowed)} allowed mentors were full"
                )
                if closed:
                    detail += f" ({closed} of them take no mentees: capacity 0)"
        else:
            roomy = [j for j in allowed if not full[j]]
            best = max(roomy, key=lambda j: problem._score_at(i, j))
            reason = UnmatchedReason.NOT_WORTH_IT
            detail = (
                f"{len(roomy)} allowed mentors had room, but the strategy left the mentee out "
                f"(best open pair {problem.mentor_ids[best]!r} scores "
                f"{_fmt(problem._score_at(i, best))})"
            )
        out.append(Unmatched(mentee_id=mentee, reason=reason, detail=detail))
    return out


def _score_reason(score: float, breakdown: Mapping[str, float]) -> str:
    # Criteria that add nothing to this pair are left out of the sentence (not the data).
    parts = [f"{name} {_fmt(value)}" for name, value in breakdown.items() if value]
    if len(breakdown) <= 1 or not parts:
        return f"score {_fmt(score)}"
    return f"score {_fmt(score)} = {' + '.join(parts)}"


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def _ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"
