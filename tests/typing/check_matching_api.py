"""Pins the types of mentorkit.matching and mentorkit.measurement. Type-checked, never executed."""

from collections.abc import Hashable, Mapping
from typing import assert_type

from mentorkit.matching import (
    CompetencyFit,
    EligibilityReport,
    FairnessReport,
    GreedyMatcher,
    Matcher,
    MatchingProblem,
    MatchResult,
    MenteeProfile,
    MentorProfile,
    OptimalMatcher,
    Pair,
    Selection,
    StableMatcher,
    WeightedScorer,
    check_eligibility,
    cohort_profiles,
    default_scorer,
    fairness_audit,
    get_matcher,
    match,
    select_applicants,
)
from mentorkit.measurement import Crosstab, DisclosurePolicy, Suppressed, crosstab
from mentorkit.storage import MemoryStore

problem = MatchingProblem.from_matrix(["a"], ["x"], [[1.0]], 1)
assert_type(problem, MatchingProblem)
assert_type(problem.score("a", "x"), float | None)
assert_type(problem.breakdown("a", "x"), Mapping[str, float])
assert_type(problem.capacity, tuple[int, ...])
result = match(problem, "stable", seed=1)
assert_type(result, MatchResult)
assert_type(result.pairs, tuple[Pair, ...])
assert_type(result.total_score, float)
assert_type(result.explain("a"), str)
assert_type(result.pair_of("a"), Pair | None)
assert_type(get_matcher("optimal", maximize_matches=True), Matcher)
matcher: Matcher = GreedyMatcher()
matcher = StableMatcher()
matcher = OptimalMatcher(maximize_matches=True)
assert_type(match(problem, matcher), MatchResult)

scorer = WeightedScorer([(CompetencyFit(), 2.0)])
assert_type(scorer.score(MenteeProfile(person_id="a"), MentorProfile(person_id="x")), float)
assert_type(default_scorer(), WeightedScorer)
assert_type(scorer.blockwise, bool)
profiles = MatchingProblem.from_profiles([MenteeProfile(person_id="a")], [], scorer=scorer)
assert_type(profiles, MatchingProblem)
assert_type(check_eligibility([], []), EligibilityReport)
chosen = select_applicants(MemoryStore(), "c", check_eligibility([], []), seats=2)
assert_type(chosen, Selection)
assert_type(chosen.selected, tuple[str, ...])
assert_type(chosen.not_selected, tuple[str, ...])
assert_type(chosen.held, tuple[str, ...])
assert_type(chosen.summary(), str)
assert_type(
    cohort_profiles("c", people=[], enrollments=[]), tuple[list[MenteeProfile], list[MentorProfile]]
)
assert_type(fairness_audit(result, {"a": "north"}), FairnessReport)

table = crosstab([{"a": 1, "b": 2}], row="a", col="b", policy=DisclosurePolicy(min_cell=5))
assert_type(table, Crosstab)
assert_type(table.cells, Mapping[tuple[Hashable, Hashable], int | Suppressed])
