"""Matching at scale: popular-mentor instances, block scoring from profiles, the certificate."""

import math
from collections import Counter
from unittest.mock import patch

import numpy as np
import pytest
from _matching_reference import deferred_acceptance  # tests/matching is on sys.path
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.errors import ValidationError
from mentorkit.matching import (
    ActivityOverlap,
    AvailabilityOverlap,
    CompetencyFit,
    ExcludedPairs,
    MatchingProblem,
    MenteeProfile,
    MentorProfile,
    NoReportingLine,
    NotSameOrgUnit,
    NotSameSupervisor,
    NotSelf,
    OptInPreferences,
    OtherOrgUnit,
    WeightedScorer,
    default_scorer,
    match,
    optimal,
    stable,
)
from mentorkit.matching.stable import _deferred_acceptance
from mentorkit.model import Activity
from mentorkit.testing._matcher_contract import blocking_pairs, feasible_assignments


def popular(kind, n, m, seed, forbid=0.0):
    """A correlated ("popular mentors"), strong (one dominant quality) or tied instance."""
    rng = np.random.default_rng(seed)
    if kind == "correlated":
        k = 6
        focus = rng.dirichlet(np.full(k, 0.3), size=n)
        strengths = rng.integers(0, 4, (m, k)) / 3.0
        s = focus @ strengths.T + 0.01 * rng.random((n, m))
        ms = 0.5 * s + 0.5 * rng.random(n)[:, None] + 0.01 * rng.random((n, m))
    elif kind == "strong":
        s = 0.9 * rng.random(m)[None, :] + 0.1 * rng.random((n, m))
        ms = 0.9 * rng.random(n)[:, None] + 0.1 * rng.random((n, m))
    else:  # "tied": a few popular score levels, many ties on both sides
        s = rng.integers(0, 3, m)[None, :] + rng.integers(0, 2, (n, m)).astype(float)
        ms = rng.integers(0, 3, n)[:, None] + rng.integers(0, 2, (n, m)).astype(float)
    s[rng.random((n, m)) < forbid] = np.nan
    return s, ms


def problem_of(s, ms, cap):
    n, m = s.shape
    return MatchingProblem.from_matrix(
        [f"e{i}" for i in range(n)], [f"m{j}" for j in range(m)], s, cap, mentor_scores=ms
    )


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(["correlated", "strong"]),
    st.integers(1, 6),
    st.integers(1, 3),
    st.integers(1, 2),
    st.integers(0, 2**32 - 1),
)
def test_stable_on_popular_mentors_is_mentee_optimal_against_brute_force(kind, n, m, cap, seed):
    # Continuous scores (no ties), so "mentee-optimal" is well defined.
    s, ms = popular(kind, n, m, seed, forbid=0.15)
    problem = problem_of(s, ms, cap)
    ours = _deferred_acceptance(problem, seed % 100)
    assert not blocking_pairs(problem, ours)
    stable_ones = [a for a in feasible_assignments(problem) if not blocking_pairs(problem, a)]
    assert ours in stable_ones
    for other in stable_ones:
        for i in range(n):
            mine = -math.inf if ours[i] == -1 else s[i, ours[i]]
            theirs = -math.inf if other[i] == -1 else s[i, other[i]]
            assert mine >= theirs


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["correlated", "strong", "tied"]),
    st.integers(20, 160),
    st.integers(5, 60),
    st.integers(1, 4),
    st.sampled_from([0.0, 0.2]),
    st.sampled_from([(24, 48), (3, 48), (3, 0), (8, 10_000)]),
    st.sampled_from([(1024, 0.1, 0.5), (7, 0.1, 0.0), (16, -1.0, 2.0), (5, 1e9, 0.5)]),
    st.integers(0, 2**32 - 1),
)
def test_stable_on_popular_mentors_equals_plain_deferred_acceptance(
    kind, n, m, cap, forbid, sizes, intake, seed
):
    # `block` small sends most mentees through many next blocks (and, with ties, rows
    # into the exact whole-row sort); `tail` decides when the vectorised rounds hand over
    # to one-by-one proposals; `batch` lets mentees in a few at a time, and `mask_share`
    # -1 leaves hopeless mentors out of every first block (1e9 never does), and
    # `deep_share` 0 sorts every later batch's rows whole on arrival (2 never does).
    block, tail = sizes
    batch, mask_share, deep_share = intake
    s, ms = popular(kind, n, m, seed, forbid)
    problem = problem_of(s, ms, cap)
    with (
        patch.object(stable, "_BLOCK", block),
        patch.object(stable, "_TAIL", tail),
        patch.object(stable, "_BATCH", batch),
        patch.object(stable, "_MASK_SHARE", mask_share),
        patch.object(stable, "_DEEP_SHARE", deep_share),
    ):
        ours = _deferred_acceptance(problem, seed % 1000)
    assert ours == deferred_acceptance(problem, seed % 1000)
    assert not blocking_pairs(problem, ours)
    load = Counter(j for j in ours if j != -1)
    assert all(load[j] <= cap for j in load)
    for i, j in enumerate(ours):
        assert j == -1 or (not math.isnan(s[i, j]) and not math.isnan(ms[i, j]))


@settings(max_examples=15, deadline=None)
@given(
    st.sampled_from(["correlated", "strong", "tied"]),
    st.integers(20, 120),
    st.integers(3, 40),
    st.integers(1, 4),
    st.sampled_from([(1, 1.0), (4, 1.0), (24, 0.05)]),
    st.integers(0, 2**32 - 1),
)
def test_optimal_on_popular_mentors_equals_the_full_assignment_optimum(
    kind, n, m, cap, settings_, seed
):
    from scipy.optimize import linear_sum_assignment

    candidates, dense_share = settings_
    s, _ = popular(kind, n, m, seed)
    s = s.round(4)
    problem = problem_of(s, None, cap)
    expanded = np.hstack([np.repeat(s, cap, axis=1), np.zeros((n, n))])
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    best = float(expanded[rows, cols].sum())
    with patch.object(optimal, "_DENSE_SHARE", dense_share):
        result = match(problem, "optimal", candidates=candidates)
    assert result.total_score == pytest.approx(best, abs=1e-6)
    assert max(Counter(result.assignment.values()).values(), default=0) <= cap


# -- profiles: block scoring equals pair-by-pair scoring ---------------------------------------

CODES = ["c1", "c2", "c3", "c4"]
PEOPLE = [f"p{k}" for k in range(8)]
SLOTS = ["mon", "tue", "wed"]


@st.composite
def mentee_profiles(draw, person_id):
    return MenteeProfile(
        person_id=person_id,
        focus=draw(st.lists(st.sampled_from(CODES), max_size=3, unique=True)),
        activities=draw(st.frozensets(st.sampled_from(list(Activity)), max_size=3)),
        org_unit_id=draw(st.none() | st.sampled_from(["ou1", "ou2"])),
        supervisor_id=draw(st.none() | st.sampled_from(PEOPLE)),
        availability=draw(st.frozensets(st.sampled_from(SLOTS))),
        preferences=draw(
            st.dictionaries(st.sampled_from(["exp", "lang"]), st.sampled_from(["a", "b"]))
        ),
    )


@st.composite
def mentor_profiles(draw, person_id):
    return MentorProfile(
        person_id=person_id,
        strengths=draw(st.dictionaries(st.sampled_from(CODES), st.integers(0, 5))),
        capacity=draw(st.integers(0, 3)),
        activities=draw(st.frozensets(st.sampled_from(list(Activity)), max_size=3)),
        org_unit_id=draw(st.none() | st.sampled_from(["ou1", "ou2"])),
        supervisor_id=draw(st.none() | st.sampled_from(PEOPLE)),
        availability=draw(st.frozensets(st.sampled_from(SLOTS))),
        attributes=draw(
            st.dictionaries(st.sampled_from(["exp", "lang"]), st.sampled_from(["a", "b"]))
        ),
    )


@st.composite
def cohorts(draw):
    mentees = draw(st.lists(st.sampled_from(PEOPLE), max_size=6, unique=True))
    mentors = draw(st.lists(st.sampled_from(PEOPLE), max_size=5, unique=True))
    return (
        [draw(mentee_profiles(p)) for p in mentees],
        [draw(mentor_profiles(p)) for p in mentors],
    )


SCORERS = [
    CompetencyFit(),
    CompetencyFit(max_level=4, decay=0.3),
    ActivityOverlap(),
    AvailabilityOverlap(),
    OptInPreferences(),
    OtherOrgUnit(),
    default_scorer(),
    WeightedScorer([(CompetencyFit(), 0.7), (OtherOrgUnit(), -0.3), (AvailabilityOverlap(), 2)]),
]
RULES = [
    NotSelf(),
    NoReportingLine(),
    NotSameSupervisor(),
    NotSameOrgUnit(),
    ExcludedPairs([("p1", "p2"), ("p3", "p3"), ("p0", "p9")]),
]


@given(cohorts(), st.sampled_from(SCORERS))
def test_score_block_equals_score_on_every_pair(cohort, scorer):
    mentees, mentors = cohort
    block = scorer.score_block(mentees, mentors)
    assert block.shape == (len(mentees), len(mentors))
    for i, a in enumerate(mentees):
        for j, b in enumerate(mentors):
            assert block[i, j] == scorer.score(a, b)  # exactly, not approximately


@given(cohorts(), st.sampled_from(RULES))
def test_allows_block_equals_allows_on_every_pair(cohort, rule):
    mentees, mentors = cohort
    mask = rule.allows_block(mentees, mentors)
    assert mask.shape == (len(mentees), len(mentors))
    for i, a in enumerate(mentees):
        for j, b in enumerate(mentors):
            assert bool(mask[i, j]) == rule.allows(a, b)


class PairOnly:
    """A third-party scorer: ``score`` only, wrapping another scorer."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.calls = 0

    def score(self, mentee, mentor):
        self.calls += 1
        return self.inner.score(mentee, mentor)


class PairOnlyRule:
    name = "pair_only"

    def __init__(self, inner):
        self.inner = inner

    def allows(self, mentee, mentor):
        return self.inner.allows(mentee, mentor)


@given(cohorts(), st.sampled_from(SCORERS), st.lists(st.sampled_from(RULES), unique_by=repr))
def test_a_problem_built_by_blocks_equals_one_built_pair_by_pair(cohort, scorer, rules):
    mentees, mentors = cohort
    fast = MatchingProblem.from_profiles(mentees, mentors, scorer=scorer, constraints=rules)
    wrapped = PairOnly(scorer)
    slow = MatchingProblem.from_profiles(
        mentees, mentors, scorer=wrapped, constraints=[PairOnlyRule(r) for r in rules]
    )
    allowed = sum(all(r.allows(a, b) for r in rules) for a in mentees for b in mentors)
    assert wrapped.calls == allowed  # the per-pair path scores allowed pairs only
    np.testing.assert_array_equal(fast._S, slow._S)  # NaN where forbidden, in both
    assert fast.fingerprint() == slow.fingerprint()
    for a in mentees:
        for b in mentors:
            assert fast.forbidden_by(a.person_id, b.person_id) == tuple(
                r.name for r in rules if not r.allows(a, b)
            )
            if fast.allowed(a.person_id, b.person_id) and isinstance(scorer, WeightedScorer):
                assert dict(fast.breakdown(a.person_id, b.person_id)) == dict(
                    scorer.breakdown(a, b)
                )


def test_a_subclass_overriding_score_is_scored_pair_by_pair():
    class Doubled(CompetencyFit):
        def score(self, mentee, mentor):
            return 2 * super().score(mentee, mentor)

    ana = MenteeProfile(person_id="ana", focus=["c1"])
    kim = MentorProfile(person_id="kim", strengths={"c1": 3})
    problem = MatchingProblem.from_profiles([ana], [kim], scorer=Doubled(), constraints=())
    assert problem.score("ana", "kim") == 2.0
    weighted = WeightedScorer([Doubled()])
    assert not weighted.blockwise
    problem = MatchingProblem.from_profiles([ana], [kim], scorer=weighted, constraints=())
    assert problem.score("ana", "kim") == 2.0
    with pytest.raises(ValidationError) as caught:
        weighted.score_block([ana], [kim])
    assert caught.value.field == "parts"


def test_a_block_of_the_wrong_shape_is_a_validation_error():
    class Bad(CompetencyFit):
        def score_block(self, mentees, mentors):
            return np.zeros((1, 1))

        def score(self, mentee, mentor):
            return 0.0

    people = [MenteeProfile(person_id=p) for p in ("a", "b")]
    with pytest.raises(ValidationError) as caught:
        MatchingProblem.from_profiles(people, [MentorProfile(person_id="k")], scorer=Bad())
    assert caught.value.field == "scores"


def _choice_counts(result, problem):
    """(rank, allowed) of every pair, read back from its reasons."""
    out = {}
    for pair in result.pairs:
        sentence = next(r for r in pair.reasons if r.startswith("mentee's "))
        words = sentence.split()
        out[problem.mentee_index(pair.mentee_id)] = (int(words[1][:-2]), int(words[4]))
    return out


def _expected_counts(s, ms, i, j):
    allowed = [k for k in range(s.shape[1]) if not (math.isnan(s[i, k]) or math.isnan(ms[i, k]))]
    return 1 + sum(s[i, k] > s[i, j] for k in allowed), len(allowed)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 40),
    st.integers(1, 12),
    st.sampled_from([0.0, 0.3]),
    st.sampled_from([0.0, 0.3]),
    st.integers(0, 2**32 - 1),
)
def test_each_pair_says_its_rank_among_the_allowed_mentors(n, m, forbid_s, forbid_ms, seed):
    # Pairs forbidden from either side are not counted; equal scores do not rank above.
    rng = np.random.default_rng(seed)
    s = rng.integers(0, 4, (n, m)).astype(float)
    ms = rng.random((n, m))
    s[rng.random((n, m)) < forbid_s] = np.nan
    ms[rng.random((n, m)) < forbid_ms] = np.nan
    problem = problem_of(s, ms, 2)
    result = match(problem, "stable", seed=seed % 100)
    for i, got in _choice_counts(result, problem).items():
        j = problem.mentor_index(result.assignment[problem.mentee_ids[i]])
        assert got == _expected_counts(s, ms, i, j)


def test_pair_ranks_are_right_across_row_slices_with_and_without_forbidden_pairs():
    # 2,100 rows span three 1,024-row slices; forbidden pairs only in some of them, from
    # either side, so both the masked and the unmasked count run.
    rng = np.random.default_rng(7)
    n, m = 2100, 9
    s = rng.integers(0, 5, (n, m)).astype(float)
    ms = rng.random((n, m))
    s[1500:1600][rng.random((100, m)) < 0.3] = np.nan
    ms[2000:][rng.random((100, m)) < 0.3] = np.nan
    problem = problem_of(s, ms, 300)
    result = match(problem, "greedy")
    counts = _choice_counts(result, problem)
    assert len(counts) > 2000
    for i, got in counts.items():
        j = problem.mentor_index(result.assignment[problem.mentee_ids[i]])
        assert got == _expected_counts(s, ms, i, j)


@settings(max_examples=20, deadline=None)
@given(st.integers(10, 60), st.integers(8, 30), st.sampled_from([0, 10_000]), st.integers(0, 999))
def test_rows_whose_next_block_is_one_run_of_ties_are_sorted_whole_and_stay_exact(n, m, tail, seed):
    # Two score levels and blocks of 3: a mentee's next block often lies inside one run
    # of equal scores, so it takes the exact whole-row sort (vectorised or one by one).
    rng = np.random.default_rng(seed)
    s = rng.integers(0, 2, (n, m)).astype(float)
    ms = rng.integers(0, 3, (n, m)).astype(float)
    problem = problem_of(s, ms, 1)
    sorted_whole = []
    original = stable._State._sort_rows

    def spy(self, rows):
        sorted_whole.append(rows.size)
        return original(self, rows)

    with (
        patch.object(stable, "_BLOCK", 3),
        patch.object(stable, "_TAIL", tail),
        patch.object(stable._State, "_sort_rows", spy),
    ):
        ours = _deferred_acceptance(problem, seed)
    assert ours == deferred_acceptance(problem, seed)
    if m >= 2 * 3 and n > m:  # popular runs of ties longer than a block: the path is taken
        assert sorted_whole
