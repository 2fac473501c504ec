"""The contract every matching strategy must meet, as a pytest class to subclass."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit.matching import MatchingProblem, UnmatchedReason

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mentorkit.matching import Matcher, MatchResult

__all__ = ["MatcherContract", "matching_problems"]


@st.composite
def matching_problems(
    draw: st.DrawFn,
    *,
    max_mentees: int = 5,
    max_mentors: int = 3,
    max_capacity: int = 2,
    values: st.SearchStrategy[float] | None = None,
    forbid: bool = True,
    two_sided: bool = True,
) -> MatchingProblem:
    """A hypothesis strategy for small matching problems (brute force stays cheap).

    Args:
        draw: Supplied by hypothesis.
        max_mentees: At most this many mentees.
        max_mentors: At most this many mentors.
        max_capacity: Capacities are drawn from ``0..max_capacity``.
        values: Scores; defaults to small integers (``-1..4``), so ties are common.
        forbid: Whether some pairs are forbidden (``None``).
        two_sided: Whether mentors get their own scores (else ``mentor_scores`` is None).

    Some problems carry circle keys (``groups``), for strategies that use them.

    Returns:
        The problem, built with
        [`MatchingProblem.from_matrix`][mentorkit.matching.MatchingProblem.from_matrix].
    """
    n = draw(st.integers(0, max_mentees))
    m = draw(st.integers(0, max_mentors))
    value = values if values is not None else st.integers(-1, 4).map(float)
    cell = st.one_of(st.none(), value) if forbid else value
    scores = draw(st.lists(st.lists(cell, min_size=m, max_size=m), min_size=n, max_size=n))
    mentor_scores = None
    if two_sided:
        mentor_scores = draw(
            st.lists(st.lists(cell, min_size=m, max_size=m), min_size=n, max_size=n)
        )
    capacity = draw(st.lists(st.integers(0, max_capacity), min_size=m, max_size=m))
    groups = draw(st.none() | st.lists(st.sampled_from(["a", "b", None]), min_size=n, max_size=n))
    return MatchingProblem.from_matrix(
        [f"e{i}" for i in range(n)],
        [f"m{j}" for j in range(m)],
        scores,
        capacity,
        mentor_scores=mentor_scores,
        groups=groups,
    )


def _assignment(problem: MatchingProblem, result: MatchResult) -> list[int]:
    row = {k: i for i, k in enumerate(problem.mentee_ids)}
    col = {k: j for j, k in enumerate(problem.mentor_ids)}
    out = [-1] * len(row)
    for pair in result.pairs:
        out[row[pair.mentee_id]] = col[pair.mentor_id]
    return out


def feasible_assignments(problem: MatchingProblem) -> Iterator[list[int]]:
    """Every assignment respecting capacities and forbidden pairs (brute force, tiny only)."""
    s, _ = problem.to_lists()
    n, m = problem.shape
    room = list(problem.capacity)
    current = [-1] * n

    def walk(i: int) -> Iterator[list[int]]:
        if i == n:
            yield list(current)
            return
        yield from walk(i + 1)
        for j in range(m):
            if s[i][j] is not None and room[j] > 0:
                room[j] -= 1
                current[i] = j
                yield from walk(i + 1)
                current[i] = -1
                room[j] += 1

    return walk(0)


def blocking_pairs(problem: MatchingProblem, assignment: list[int]) -> list[tuple[int, int]]:
    """Pairs (mentee, mentor) who both strictly prefer each other to what they have.

    The mentee prefers mentor ``j`` to their partner (any allowed mentor beats none) and the
    mentor has room or holds a mentee it scores strictly lower.
    """
    s, ms = problem.to_lists()
    n, m = problem.shape
    held: list[list[float]] = [[] for _ in range(m)]
    for i, j in enumerate(assignment):
        if j != -1:
            held[j].append(ms[i][j])  # type: ignore[arg-type]
    found = []
    for i in range(n):
        mine = assignment[i]
        for j in range(m):
            value = s[i][j]
            if value is None or j == mine:
                continue
            if mine != -1 and not value > s[i][mine]:  # type: ignore[operator]
                continue
            if len(held[j]) < problem.capacity[j] or (
                held[j] and ms[i][j] > min(held[j])  # type: ignore[operator]
            ):
                found.append((i, j))
    return found


def _total(problem: MatchingProblem, assignment: list[int]) -> float:
    s, _ = problem.to_lists()
    return math.fsum(s[i][j] for i, j in enumerate(assignment) if j != -1)  # type: ignore[misc]


# The matcher fixture is stateless, and each subclass runs the inherited tests on purpose.
# Capped so that a contract class stays a few seconds long under any profile.
_SETTINGS = settings(
    max_examples=min(settings().max_examples, 60),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.differing_executors],
)


class MatcherContract:
    """Contract tests for a [`Matcher`][mentorkit.matching.Matcher]: subclass and add a fixture.

    Provide a ``matcher`` fixture returning your strategy, and set the capability flags it
    claims. Every test runs for every matcher (nothing is skipped): a flag switches a test
    from the guarantee every matcher owes to the stronger one claimed.

    - ``claims_stable``: no blocking pair (else, see the next flag).
    - ``claims_non_wasteful`` (default true): no *wasteful* pair, an unmatched mentee and an
      allowed mentor with room whose pair scores above 0 (else: every such mentee is
      reported unmatched as ``not_worth_it``, never as having no room).
    - ``claims_optimal``: the total score is the brute-force maximum (else: at most it, so
      the reported scores cannot be inflated).

    Always checked: no mentor over capacity, no mentee twice, every mentee accounted for,
    no forbidden pair, reported scores equal to the problem's, true reasons for the
    unmatched, the strategy name and seed recorded, the same result for the same seed.

    Examples:
        ```python
        import pytest
        from mentorkit.testing import MatcherContract

        class TestMyMatcher(MatcherContract):
            claims_stable = True

            @pytest.fixture
            def matcher(self):
                return MyMatcher()
        ```
    """

    claims_stable: ClassVar[bool] = False
    claims_optimal: ClassVar[bool] = False
    claims_non_wasteful: ClassVar[bool] = True

    @pytest.fixture
    def matcher(self) -> Matcher:
        """Override: return the matcher under test."""
        raise NotImplementedError("subclasses of MatcherContract provide a `matcher` fixture")

    @_SETTINGS
    @given(problem=matching_problems(), seed=st.integers(0, 2**31))
    def test_invariants(self, matcher: Matcher, problem: MatchingProblem, seed: int) -> None:
        """Capacity, each mentee once, allowed pairs, true scores and reasons, determinism."""
        result = matcher.match(problem, seed=seed)
        assert result.strategy == matcher.name
        assert result.seed == seed
        # No mentor over capacity.
        for j, mentor in enumerate(problem.mentor_ids):
            assert len(result.mentees_of(mentor)) <= problem.capacity[j]
        # Every mentee exactly once, matched or unmatched.
        matched = [p.mentee_id for p in result.pairs]
        unmatched = [u.mentee_id for u in result.unmatched]
        assert len(matched) == len(set(matched))
        assert sorted(matched + unmatched) == sorted(problem.mentee_ids)
        # No forbidden pair; the scores reported are the problem's.
        for pair in result.pairs:
            assert problem.allowed(pair.mentee_id, pair.mentor_id)
            assert pair.score == problem.score(pair.mentee_id, pair.mentor_id)
        # The reasons given for the unmatched are true.
        full = {
            mentor
            for j, mentor in enumerate(problem.mentor_ids)
            if len(result.mentees_of(mentor)) >= problem.capacity[j]
        }
        for item in result.unmatched:
            allowed = [k for k in problem.mentor_ids if problem.allowed(item.mentee_id, k)]
            if item.reason is UnmatchedReason.NO_ALLOWED_MENTOR:
                assert not allowed
            elif item.reason is UnmatchedReason.MENTORS_FULL:
                assert allowed
                assert set(allowed) <= full
            assert item.detail
        # The same seed gives the same result.
        again = matcher.match(problem, seed=seed)
        assert again.pairs == result.pairs
        assert again.unmatched == result.unmatched

    @_SETTINGS
    @given(problem=matching_problems())
    def test_stability(self, matcher: Matcher, problem: MatchingProblem) -> None:
        """No blocking pair if claimed; no wasteful pair unless disclaimed."""
        result = matcher.match(problem)
        assignment = _assignment(problem, result)
        blocking = blocking_pairs(problem, assignment)
        if self.claims_stable:
            assert blocking == []
            return
        load = [assignment.count(j) for j in range(problem.shape[1])]
        wasteful = [
            (i, j)
            for i, j in blocking
            if assignment[i] == -1
            and load[j] < problem.capacity[j]
            and (problem.score(problem.mentee_ids[i], problem.mentor_ids[j]) or 0) > 0
        ]
        if self.claims_non_wasteful:
            assert wasteful == []
        else:
            reasons = {u.mentee_id: u.reason for u in result.unmatched}
            for i, _ in wasteful:
                assert reasons[problem.mentee_ids[i]] is UnmatchedReason.NOT_WORTH_IT

    @_SETTINGS
    @given(problem=matching_problems(max_mentees=4))
    def test_optimality(self, matcher: Matcher, problem: MatchingProblem) -> None:
        """The brute-force maximum if claimed; never above it."""
        result = matcher.match(problem)
        best = max(_total(problem, a) for a in feasible_assignments(problem))
        assert result.total_score <= best + 1e-9
        if self.claims_optimal:
            assert result.total_score == pytest.approx(best, abs=1e-9)
