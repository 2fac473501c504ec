"""Matching from profiles on hostile cohorts: popular mentors, closed mentors, nobody
eligible, ties, one mentor, and third-party scorers and rules that misbehave."""

import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.errors import ValidationError
from mentorkit.matching import (
    CompetencyFit,
    MatchingProblem,
    MenteeProfile,
    MentorProfile,
    UnmatchedReason,
    WeightedScorer,
    match,
)
from mentorkit.testing._matcher_contract import blocking_pairs, feasible_assignments

STRATEGIES = ("stable", "greedy", "optimal", "circles")


def assignment_of(problem, result):
    col = {k: j for j, k in enumerate(problem.mentor_ids)}
    return [col[result.assignment[e]] if e in result.assignment else -1 for e in problem.mentee_ids]


def check_result(problem, result):
    """Every mentee is either paired (allowed, within capacity) or unmatched, never both."""
    load = Counter(p.mentor_id for p in result.pairs)
    for mentor, used in load.items():
        assert used <= problem.capacity[problem.mentor_index(mentor)]
    for pair in result.pairs:
        assert problem.allowed(pair.mentee_id, pair.mentor_id)
        assert math.isclose(math.fsum(pair.breakdown.values()), pair.score, abs_tol=1e-9)
        assert problem.score(pair.mentee_id, pair.mentor_id) == pair.score
    paired = [p.mentee_id for p in result.pairs]
    left = [u.mentee_id for u in result.unmatched]
    assert sorted(paired + left) == sorted(problem.mentee_ids)


@st.composite
def popular_cohorts(draw):
    """Everyone wants the same three mentors (focus on one competency only they are good at)."""
    n = draw(st.integers(1, 6))
    m = draw(st.integers(3, 5))
    caps = draw(st.lists(st.integers(0, 2), min_size=m, max_size=m))
    readiness = draw(st.permutations(range(n)))  # distinct: no ties on the mentors' side
    mentees = [
        MenteeProfile(person_id=f"e{i}", focus=["data"], org_unit_id=f"u{readiness[i]}")
        for i in range(n)
    ]
    mentors = [
        MentorProfile(person_id=f"m{j}", strengths={"data": 3 - j if j < 3 else 0}, capacity=c)
        for j, c in enumerate(caps)
    ]
    return mentees, mentors


class Readiness:
    """The mentors' view: a distinct readiness per mentee (read off its org unit)."""

    name = "readiness"

    def score(self, mentee, mentor):
        return float(mentee.org_unit_id[1:])


@settings(max_examples=60, deadline=None)
@given(popular_cohorts(), st.integers(0, 50))
def test_popular_mentors_go_to_the_mentees_they_prefer_and_the_rest_are_told_why(cohort, seed):
    mentees, mentors = cohort
    problem = MatchingProblem.from_profiles(
        mentees, mentors, mentor_scorer=Readiness(), constraints=()
    )
    results = {s: match(problem, s, seed=seed) for s in STRATEGIES}
    for result in results.values():
        check_result(problem, result)
        for item in result.unmatched:  # every pair is allowed, so only lack of room
            assert item.reason in (UnmatchedReason.MENTORS_FULL, UnmatchedReason.NOT_WORTH_IT)
    ours = assignment_of(problem, results["stable"])
    assert blocking_pairs(problem, ours) == []
    # Mentee-optimal among all stable matchings (the mentee side has ties at score 0:
    # compare by score, which is what a mentee cares about).
    s, _ = problem.to_lists()
    stable = [a for a in feasible_assignments(problem) if not blocking_pairs(problem, a)]
    for other in stable:
        for i, j in enumerate(ours):
            mine = -math.inf if j == -1 else s[i][j]
            theirs = -math.inf if other[i] == -1 else s[i][other[i]]
            assert mine >= theirs
    places = sum(problem.capacity)
    for name in ("stable", "greedy", "optimal"):  # every pair scores >= 0: fill the places
        assert len(results[name].pairs) == min(len(mentees), places), name


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 2), min_size=1, max_size=5), st.integers(1, 6), st.integers(0, 9))
def test_a_mentor_with_capacity_0_is_never_given_a_mentee(caps, n, seed):
    mentees = [MenteeProfile(person_id=f"e{i}", focus=["data"]) for i in range(n)]
    mentors = [
        MentorProfile(person_id=f"m{j}", strengths={"data": 3}, capacity=c)
        for j, c in enumerate(caps)
    ]
    problem = MatchingProblem.from_profiles(mentees, mentors, constraints=())
    closed = {f"m{j}" for j, c in enumerate(caps) if c == 0}
    for strategy in STRATEGIES:
        result = match(problem, strategy, seed=seed)
        check_result(problem, result)
        assert not closed & {p.mentor_id for p in result.pairs}
        assert len(result.pairs) == min(n, sum(caps)), strategy


def test_mentees_whose_mentors_all_take_nobody_are_told_so():
    mentees = [MenteeProfile(person_id="ana", focus=["data"])]
    closed = [MentorProfile(person_id=f"m{j}", strengths={"data": 3}, capacity=0) for j in (1, 2)]
    for strategy in STRATEGIES:
        result = match(MatchingProblem.from_profiles(mentees, closed), strategy)
        assert result.explain("ana") == (
            "ana: unmatched (mentors_full): none of the 2 allowed mentors takes mentees "
            "(capacity 0)"
        )
    one_open = [*closed, MentorProfile(person_id="kim", capacity=1)]
    two = [*mentees, MenteeProfile(person_id="ben", focus=["data"])]
    result = match(MatchingProblem.from_profiles(two, one_open), "stable")
    (left,) = result.unmatched
    assert left.detail == "all 3 allowed mentors were full (2 of them take no mentees: capacity 0)"


def test_a_mentee_with_no_eligible_mentor_is_unmatched_with_the_rules_that_forbid_it():
    boss = MentorProfile(person_id="boss", strengths={"data": 3})
    kid = MenteeProfile(person_id="kid", focus=["data"], supervisor_id="boss")
    himself = MenteeProfile(person_id="boss", focus=["data"])
    problem = MatchingProblem.from_profiles([kid, himself], [boss])
    for strategy in STRATEGIES:
        result = match(problem, strategy)
        assert result.pairs == ()
        reasons = {u.mentee_id: (u.reason, u.detail) for u in result.unmatched}
        assert reasons == {
            "kid": (
                UnmatchedReason.NO_ALLOWED_MENTOR,
                "every pair is forbidden (no_reporting_line: 1)",
            ),
            "boss": (UnmatchedReason.NO_ALLOWED_MENTOR, "every pair is forbidden (not_self: 1)"),
        }
    assert dict(problem.breakdown("kid", "boss")) == {}  # nothing to explain for a ban
    assert problem.forbidden_by("kid", "boss") == ("no_reporting_line",)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 6), st.integers(1, 4), st.integers(1, 2), st.integers(0, 99))
def test_all_equal_scores_still_give_a_full_stable_reproducible_matching(n, m, cap, seed):
    mentees = [MenteeProfile(person_id=f"e{i}", focus=["data"]) for i in range(n)]
    mentors = [
        MentorProfile(person_id=f"m{j}", strengths={"data": 2}, capacity=cap) for j in range(m)
    ]
    problem = MatchingProblem.from_profiles(mentees, mentors)
    for strategy in STRATEGIES:
        result = match(problem, strategy, seed=seed)
        check_result(problem, result)
        assert len(result.pairs) == min(n, m * cap)
        assert match(problem, strategy, seed=seed) == result  # the seed settles every tie
        for pair in result.pairs:  # nobody scores higher than anybody else
                allowed = "1 allowed mentor" if m == 1 else f"{m} allowed mentors"
                assert f"mentee's 1st choice of {allowed}" in pair.reasons
    assert (
        blocking_pairs(problem, assignment_of(problem, match(problem, "stable", seed=seed))) == []
    )


@given(st.integers(1, 6), st.integers(0, 3))
def test_a_single_mentor_takes_the_mentees_that_fit_best(n, cap):
    mentees = [
        MenteeProfile(person_id=f"e{i}", focus=["data"] if i % 2 else ["coaching"])
        for i in range(n)
    ]
    solo = MentorProfile(person_id="solo", strengths={"data": 3, "coaching": 1}, capacity=cap)
    problem = MatchingProblem.from_profiles(mentees, [solo])
    best = sorted(problem.score(e.person_id, "solo") for e in mentees)[::-1][:cap]
    for strategy in STRATEGIES:
        result = match(problem, strategy)
        check_result(problem, result)
        if strategy == "circles":  # a mentor leads one focus's circle: same focus only
            assert (
                len({problem.groups[problem.mentee_index(p.mentee_id)] for p in result.pairs}) <= 1
            )
            continue
        assert sorted((p.score for p in result.pairs), reverse=True) == best


def _block(value, at=(0, 0)):
    class Block:
        name = "third_party"

        def score(self, mentee, mentor):
            return 0.5

        def score_block(self, mentees, mentors):
            out = np.full((len(mentees), len(mentors)), 0.5)
            out[at] = value
            return out

    return Block()


def _pair(value):
    class Pair:
        name = "third_party"

        def score(self, mentee, mentor):
            return value

    return Pair()


EVERYONE = [MenteeProfile(person_id=f"e{i}") for i in range(2)]
MENTORS = [MentorProfile(person_id=f"m{j}") for j in range(2)]


@pytest.mark.parametrize(
    ("scorer", "field", "words"),
    [
        (_block(np.nan), "scores[0][0]", "'third_party' gave nan for mentee 'e0' and mentor 'm0'"),
        (_block(np.inf, (1, 0)), "scores[1][0]", "gave inf for mentee 'e1'"),
        (_block(-np.inf, (0, 1)), "scores[0][1]", "gave -inf"),
        (_pair(math.nan), "scores[0][0]", "gave nan"),
        (_pair(10**400), "scores[0][0]", "gave inf"),
        (_pair(True), "scores[0][0]", "must return a number, not bool"),
        (_pair("0.5"), "scores[0][0]", "must return a number, not str"),
        (WeightedScorer([CompetencyFit(), _block(np.nan)]), "scores[0][0]", "'weighted' gave nan"),
        (WeightedScorer([CompetencyFit(), _pair(math.inf)]), "parts[1]", "'third_party'"),
        (WeightedScorer([CompetencyFit(), _pair("0.5")]), "parts[1]", "'third_party'"),
        (WeightedScorer([CompetencyFit(), _pair(False)]), "parts[1]", "'third_party'"),
    ],
)
def test_a_scorer_giving_an_allowed_pair_no_finite_number_is_refused_by_name(scorer, field, words):
    for which in ("scorer", "mentor_scorer"):
        with pytest.raises(ValidationError) as info:
            MatchingProblem.from_profiles(EVERYONE, MENTORS, constraints=(), **{which: scorer})
        expected = field if which == "scorer" or field == "parts[1]" else "mentor_" + field
        assert info.value.field == expected
        assert words in str(info.value)


def test_a_non_finite_score_on_a_forbidden_pair_is_never_read():
    from mentorkit.matching import ExcludedPairs

    problem = MatchingProblem.from_profiles(
        EVERYONE, MENTORS, scorer=_block(np.nan), constraints=[ExcludedPairs([("e0", "m0")])]
    )
    assert problem.score("e0", "m0") is None
    assert problem.forbidden_by("e0", "m0") == ("excluded_pair",)
    assert match(problem, "stable").assignment == {"e0": "m1", "e1": "m0"}


def test_a_block_part_of_the_wrong_shape_is_refused_not_broadcast():
    class Row:  # one number per mentor: would broadcast over the mentees
        name = "row"

        def score_block(self, mentees, mentors):
            return np.arange(len(mentors), dtype=float)

        def score(self, mentee, mentor):
            return 0.0

    with pytest.raises(ValidationError) as info:
        MatchingProblem.from_profiles(EVERYONE, MENTORS, scorer=WeightedScorer([Row()]))
    assert info.value.field == "parts[0]"
    assert "'row'" in str(info.value)

    class Words(Row):
        name = "words"

        def score_block(self, mentees, mentors):
            return [["high"] * len(mentors) for _ in mentees]

    for scorer, field in ((Words(), "scores"), (WeightedScorer([Words()]), "parts[0]")):
        with pytest.raises(ValidationError) as info:
            MatchingProblem.from_profiles(EVERYONE, MENTORS, scorer=scorer)
        assert info.value.field == field


def test_a_rule_mask_of_the_wrong_shape_is_refused_by_position():
    class Half:
        name = "half"

        def allows(self, mentee, mentor):
            return True

        def allows_block(self, mentees, mentors):
            return np.ones(len(mentors), dtype=bool)

    with pytest.raises(ValidationError) as info:
        MatchingProblem.from_profiles(EVERYONE, MENTORS, constraints=[Half()])
    assert info.value.field == "constraints[0]"
    assert "'half'" in str(info.value)


class Explained:
    """A third-party scorer with a breakdown (which may not explain its score)."""

    name = "explained"

    def __init__(self, breakdown):
        self._breakdown = breakdown

    def score(self, mentee, mentor):
        return 1.0

    def breakdown(self, mentee, mentor):
        return self._breakdown


def test_explanations_are_computed_for_the_pairs_made_and_asked_about_only():
    calls = []

    class Counting(Explained):
        def breakdown(self, mentee, mentor):
            calls.append((mentee.person_id, mentor.person_id))
            return {"a": 0.25, "b": 0.75}

    mentees = [MenteeProfile(person_id=f"e{i}") for i in range(30)]
    mentors = [MentorProfile(person_id=f"m{j}", capacity=2) for j in range(20)]
    problem = MatchingProblem.from_profiles(mentees, mentors, scorer=Counting({}))
    assert calls == []  # building the problem explains nothing
    result = match(problem, "stable")
    assert sorted(calls) == sorted((p.mentee_id, p.mentor_id) for p in result.pairs)
    assert dict(problem.breakdown("e0", "m19")) == {"a": 0.25, "b": 0.75}
    assert len(calls) == len(result.pairs) + 1
    assert "score 1 = a 0.25 + b 0.75" in result.explain("e0")


@pytest.mark.parametrize(
    ("breakdown", "words"),
    [
        (5, "must return a mapping"),
        ({"x": math.nan}, "finite numbers"),
        ({"x": "1"}, "finite numbers"),
        ({1: 1.0}, "finite numbers"),
        ({"x": 0.25}, "adds up to 0.25, not the pair's score 1.0"),
    ],
)
def test_a_breakdown_that_does_not_explain_the_score_is_refused(breakdown, words):
    problem = MatchingProblem.from_profiles(EVERYONE, MENTORS, scorer=Explained(breakdown))
    with pytest.raises(ValidationError) as info:
        match(problem, "stable")
    assert info.value.field == "scorer"
    assert words in str(info.value)
    assert "'explained' for mentee 'e" in str(info.value)
    with pytest.raises(ValidationError):
        problem.breakdown("e0", "m0")


@pytest.mark.parametrize(
    ("mentees", "mentors", "field"),
    [
        ([object()], MENTORS, "mentees[0]"),
        (EVERYONE, [*MENTORS, object()], "mentors[2]"),
        ([MentorProfile(person_id="x")], MENTORS, "mentees[0]"),
        (EVERYONE, EVERYONE, "mentors[0]"),
        (None, MENTORS, "mentees"),
        (EVERYONE, "kim", "mentors"),
    ],
)
def test_something_other_than_profiles_is_refused_by_position(mentees, mentors, field):
    with pytest.raises(ValidationError) as info:
        MatchingProblem.from_profiles(mentees, mentors)
    assert info.value.field == field
