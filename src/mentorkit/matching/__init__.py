"""Pluggable matching of mentees to mentors: problems, scorers, constraints, strategies.

Build a [`MatchingProblem`][mentorkit.matching.MatchingProblem] (from a score matrix, or from
profiles with a scorer and
constraints), run [`match`][mentorkit.matching.match] with a strategy (``"stable"``, ``"greedy"``,
``"optimal"``, ``"circles"`` or your own registered [`Matcher`][mentorkit.matching.Matcher]), and
read the
[`MatchResult`][mentorkit.matching.MatchResult]: pairs with reasons, unmatched mentees with reasons,
and everything
needed to rerun it. Check applicants first with
[`check_eligibility`][mentorkit.matching.check_eligibility] and record who gets a place
with [`select_applicants`][mentorkit.matching.select_applicants]; audit a result
with [`fairness_audit`][mentorkit.matching.fairness_audit].

Examples:
    >>> from mentorkit.matching import MatchingProblem, match
    >>> p = MatchingProblem.from_matrix(["a", "b"], ["x", "y"], [[3, 2], [2, 0]], capacity=1)
    >>> totals = [match(p, strategy=s).total_score for s in ("greedy", "stable", "optimal")]
    >>> totals
    [3.0, 3.0, 4.0]
"""

from mentorkit.matching._cohort import cohort_profiles
from mentorkit.matching._constraints import (
    Constraint,
    ExcludedPairs,
    NoReportingLine,
    NotSameOrgUnit,
    NotSameSupervisor,
    NotSelf,
    default_constraints,
    no_previous_pairs,
)
from mentorkit.matching._eligibility import (
    Applicant,
    Decision,
    EligibilityReport,
    EligibilityRule,
    NoFlag,
    PriorityIfRated,
    Require,
    RuleOutcome,
    TitleIn,
    check_eligibility,
)
from mentorkit.matching._fairness import FairnessReport, GroupFigures, fairness_audit
from mentorkit.matching._match import match
from mentorkit.matching._problem import (
    MatchingProblem,
    MenteeProfile,
    MentorProfile,
    strengths_from_assessments,
)
from mentorkit.matching._protocol import Matcher
from mentorkit.matching._registry import (
    get_matcher,
    matchers,
    register_matcher,
    unregister_matcher,
)
from mentorkit.matching._result import MatchResult, Pair, Unmatched, UnmatchedReason
from mentorkit.matching._scoring import (
    ActivityOverlap,
    AvailabilityOverlap,
    CompetencyFit,
    OptInPreferences,
    OtherOrgUnit,
    Scorer,
    WeightedScorer,
    default_scorer,
)
from mentorkit.matching._selection import Selection, select_applicants
from mentorkit.matching.circles import CircleMatcher
from mentorkit.matching.greedy import GreedyMatcher
from mentorkit.matching.optimal import OptimalMatcher
from mentorkit.matching.stable import StableMatcher

__all__ = [
    "ActivityOverlap",
    "Applicant",
    "AvailabilityOverlap",
    "CircleMatcher",
    "CompetencyFit",
    "Constraint",
    "Decision",
    "EligibilityReport",
    "EligibilityRule",
    "ExcludedPairs",
    "FairnessReport",
    "GreedyMatcher",
    "GroupFigures",
    "MatchResult",
    "Matcher",
    "MatchingProblem",
    "MenteeProfile",
    "MentorProfile",
    "NoFlag",
    "NoReportingLine",
    "NotSameOrgUnit",
    "NotSameSupervisor",
    "NotSelf",
    "OptInPreferences",
    "OptimalMatcher",
    "OtherOrgUnit",
    "Pair",
    "PriorityIfRated",
    "Require",
    "RuleOutcome",
    "Scorer",
    "Selection",
    "StableMatcher",
    "TitleIn",
    "Unmatched",
    "UnmatchedReason",
    "WeightedScorer",
    "check_eligibility",
    "cohort_profiles",
    "default_constraints",
    "default_scorer",
    "fairness_audit",
    "get_matcher",
    "match",
    "matchers",
    "no_previous_pairs",
    "register_matcher",
    "select_applicants",
    "strengths_from_assessments",
    "unregister_matcher",
]
