"""Invariants of the strategies on generated instances, checked against brute force."""

import math
from unittest.mock import patch

import numpy as np
import pytest
from _matching_reference import deferred_acceptance, greedy  # tests/matching is on sys.path
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.matching import MatchingProblem, match, stable
from mentorkit.matching.stable import _deferred_acceptance
from mentorkit.testing import matching_problems
from mentorkit.testing._matcher_contract import blocking_pairs, feasible_assignments


def assignment_of(problem, result):
    col = {k: j for j, k in enumerate(problem.mentor_ids)}
    mine = result.assignment
    return [col[mine[e]] if e in mine else -1 for e in problem.mentee_ids]


def total(problem, assignment):
    s, _ = problem.to_lists()
    return math.fsum(s[i][j] for i, j in enumerate(assignment) if j != -1)


@st.composite
def strict_problems(draw, max_mentees=5, max_mentors=3, max_capacity=2):
    """Problems without ties on either side: distinct scores per mentee and per mentor."""
    n = draw(st.integers(0, max_mentees))
    m = draw(st.integers(0, max_mentors))
    s = [draw(st.permutations(range(m))) for _ in range(n)]
    cols = [draw(st.permutations(range(n))) for _ in range(m)]
    ms = [[cols[j][i] for j in range(m)] for i in range(n)]
    forbidden = draw(
        st.lists(st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(m - 1, 0))))
    )
    s = [[float(v) for v in row] for row in s]
    for i, j in forbidden:
        if i < n and j < m:
            s[i][j] = None
    cap = draw(st.lists(st.integers(0, max_capacity), min_size=m, max_size=m))
    return MatchingProblem.from_matrix(
        [f"e{i}" for i in range(n)], [f"m{j}" for j in range(m)], s, cap, mentor_scores=ms
    )


def preference(problem, i, j):
    """Mentee i's score of mentor j; unmatched is worst."""
    return -math.inf if j == -1 else problem._score_at(i, j)


@given(strict_problems(), st.integers(0, 1000))
def test_stable_is_mentee_optimal_among_all_stable_matchings(problem, seed):
    ours = assignment_of(problem, match(problem, "stable", seed=seed))
    assert blocking_pairs(problem, ours) == []
    stable = [a for a in feasible_assignments(problem) if not blocking_pairs(problem, a)]
    assert ours in stable
    for other in stable:
        for i in range(problem.shape[0]):
            assert preference(problem, i, ours[i]) >= preference(problem, i, other[i])


def pairs_in(assignment):
    return sum(j != -1 for j in assignment)


@given(matching_problems(max_mentees=4))
def test_optimal_equals_the_brute_force_maximum_with_ties_broken_toward_more_pairs(problem):
    feasible = list(feasible_assignments(problem))
    best = max(total(problem, a) for a in feasible)
    most = max(pairs_in(a) for a in feasible if math.isclose(total(problem, a), best))
    for candidates in (1, 24):
        result = match(problem, "optimal", candidates=candidates)
        assert result.total_score == pytest.approx(best, abs=1e-9)
        assert len(result.pairs) == most


@given(matching_problems(max_mentees=5, max_mentors=3))
def test_optimal_leaves_a_mentee_out_beside_an_open_mentor_only_for_a_negative_score(problem):
    result = match(problem, "optimal")
    load = {}
    for pair in result.pairs:
        load[pair.mentor_id] = load.get(pair.mentor_id, 0) + 1
    matched = result.assignment
    for mentee in problem.mentee_ids:
        if mentee in matched:
            continue
        for j, mentor in enumerate(problem.mentor_ids):
            score = problem.score(mentee, mentor)
            if score is not None and load.get(mentor, 0) < problem.capacity[j]:
                assert score < 0, (mentee, mentor, score)


def test_optimal_makes_pairs_scoring_zero():
    problem = MatchingProblem.from_matrix(["a", "b"], ["x"], [[0], [0]], capacity=2)
    for strategy in ("greedy", "stable", "optimal"):
        assert match(problem, strategy).assignment == {"a": "x", "b": "x"}
    negative = MatchingProblem.from_matrix(["a", "b"], ["x"], [[0], [-0.5]], capacity=2)
    result = match(negative, "optimal")
    assert result.assignment == {"a": "x"}
    assert [u.reason.value for u in result.unmatched] == ["not_worth_it"]
    assert match(negative, "optimal", maximize_matches=True).assignment == {"a": "x", "b": "x"}
    # Fractional scores go through scaling: a zero pair still beats leaving someone out.
    mixed = MatchingProblem.from_matrix(["a", "b"], ["x", "y"], [[0.3, 0.0], [0.7, 0.0]], 1)
    assert match(mixed, "optimal").assignment == {"a": "y", "b": "x"}


@given(matching_problems(max_mentees=4))
def test_optimal_maximizing_matches_takes_the_most_pairs_then_the_best_score(problem):
    feasible = list(feasible_assignments(problem))
    most = max(sum(j != -1 for j in a) for a in feasible)
    best = max(total(problem, a) for a in feasible if sum(j != -1 for j in a) == most)
    for candidates in (1, 24):  # 1: the certificate must add what the optimum needs
        result = match(problem, "optimal", maximize_matches=True, candidates=candidates)
        assert len(result.pairs) == most
        assert result.total_score == pytest.approx(best, abs=1e-9)


@given(matching_problems(max_mentees=8, max_mentors=4, max_capacity=3), st.integers(0, 99))
def test_optimal_is_never_below_greedy_or_stable(problem, seed):
    optimal = match(problem, "optimal", seed=seed).total_score
    assert optimal >= match(problem, "greedy", seed=seed).total_score - 1e-9
    assert optimal >= match(problem, "stable", seed=seed).total_score - 1e-9


@given(
    matching_problems(max_mentees=8, max_mentors=4, max_capacity=3, two_sided=False),
    st.integers(0, 99),
)
def test_with_one_mutual_score_greedy_equals_stable(problem, seed):
    # Greedy by its definition (every allowed pair in descending score order, pure Python)
    # against deferred acceptance; ties included, both settle them by the same seeded orders.
    by_definition = greedy(problem, seed)
    assert assignment_of(problem, match(problem, "greedy", seed=seed)) == by_definition
    assert assignment_of(problem, match(problem, "stable", seed=seed)) == by_definition


@given(matching_problems(max_mentees=8, max_mentors=4, max_capacity=3), st.integers(0, 99))
def test_greedy_equals_its_definition_and_stable_equals_plain_deferred_acceptance(problem, seed):
    # Two-sided scores too: greedy reads the mentees' view only, stable both.
    assert assignment_of(problem, match(problem, "greedy", seed=seed)) == greedy(problem, seed)
    assert assignment_of(problem, match(problem, "stable", seed=seed)) == deferred_acceptance(
        problem, seed
    )


@settings(max_examples=25)
@given(
    st.integers(30, 150),
    st.integers(25, 40),
    st.integers(1, 3),
    st.sampled_from(["ties", "continuous"]),
    st.sampled_from([0, 48, 10_000]),
    st.integers(0, 2**32 - 1),
)
def test_vectorised_stable_equals_plain_deferred_acceptance_past_the_first_block(
    n, m, cap, kind, tail, seed
):
    # More than 24 mentors, so the lazily built preference lists are extended; integer
    # scores put ties at the edge of the first block. `tail` decides when the vectorised
    # rounds hand over to one-by-one proposals (never, near the end, at once).
    rng = np.random.default_rng(seed)
    if kind == "ties":
        s = rng.integers(0, 4, (n, m)).astype(float)
        ms = rng.integers(0, 4, (n, m)).astype(float)
    else:
        s, ms = rng.random((n, m)), rng.random((n, m))
    s[rng.random((n, m)) < 0.1] = np.nan
    problem = MatchingProblem.from_matrix(
        [f"e{i}" for i in range(n)], [f"m{j}" for j in range(m)], s, cap, mentor_scores=ms
    )
    with patch.object(stable, "_TAIL", tail):
        vectorised = _deferred_acceptance(problem, seed % 1000)
    assert vectorised == deferred_acceptance(problem, seed % 1000)


@settings(max_examples=10)
@given(st.integers(20, 120), st.integers(2, 30), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_optimal_equals_scipy_on_medium_instances(n, m, cap, seed):
    from scipy.optimize import linear_sum_assignment

    rng = np.random.default_rng(seed)
    s = rng.normal(size=(n, m)).round(3)
    problem = MatchingProblem.from_matrix(
        [f"e{i}" for i in range(n)], [f"m{j}" for j in range(m)], s, cap
    )
    # Independent: the capacity-expanded matrix plus one "unmatched" column per mentee at 0.
    expanded = np.hstack([np.repeat(s, cap, axis=1), np.zeros((n, n))])
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    best = float(expanded[rows, cols].sum())
    for candidates in (1, 24):
        result = match(problem, "optimal", candidates=candidates)
        assert result.total_score == pytest.approx(best, abs=1e-6)


def test_optimal_finds_the_allowed_pairs_of_a_mostly_forbidden_row():
    # 40 mentors, only the last few allowed: the first sparse solve must pick them.
    s = np.full((2, 40), np.nan)
    s[0, 35:] = [1, 2, 3, 4, 5]
    s[1, 36] = 7
    problem = MatchingProblem.from_matrix(["a", "b"], [f"m{j}" for j in range(40)], s, 1)
    result = match(problem, "optimal", candidates=3)
    assert result.assignment == {"a": "m39", "b": "m36"}
    assert result.total_score == 12


@given(matching_problems(max_mentees=6, max_mentors=4), st.booleans())
def test_a_problem_knows_whether_any_pair_is_forbidden(problem, via_lists):
    # Built from arrays or from lists, from_matrix records whether a pair is forbidden
    # (the strategies skip every NaN mask when none is); a problem told nothing works it out.
    s, m = problem.to_lists()
    forbidden = any(v is None for row in s for v in row)
    if via_lists:
        problem = MatchingProblem.from_matrix(
            problem.mentee_ids, problem.mentor_ids, s, problem.capacity, mentor_scores=m
        )
    assert problem._is_complete() is not forbidden
    untold = MatchingProblem(
        mentee_ids=problem.mentee_ids,
        mentor_ids=problem.mentor_ids,
        capacity=problem.capacity,
        scores=problem._S,
        mentor_scores=problem._M,
    )
    assert untold._is_complete() is not forbidden
