"""Pluggable matching of mentees to mentors: problems, scorers, constraints, strategies.

Build a :class:`MatchingProblem` (from a score matrix or from profiles), run
:func:`match` with a strategy (``"stable"``, ``"greedy"``, ``"optimal"`` or your own
registered :class:`Matcher`), and read the :class:`MatchResult`: pairs with reasons,
unmatched mentees with reasons, and everything needed to rerun it.

Example:
    >>> from mentorkit.matching import MatchingProblem, match
    >>> p = MatchingProblem.from_matrix(["a", "b"], ["x", "y"], [[3, 2], [2, 0]], capacity=1)
    >>> [match(p, strategy=s).total_score for s in ("greedy", "stable", "optimal")]
    [3.0, 3.0, 4.0]
"""

from mentorkit.matching._match import match
from mentorkit.matching._problem import MatchingProblem
from mentorkit.matching._protocol import Matcher
from mentorkit.matching._registry import (
    ENTRY_POINT_GROUP,
    get_matcher,
    matchers,
    register_matcher,
    unregister_matcher,
)
from mentorkit.matching._result import MatchResult, Pair, Unmatched, UnmatchedReason
from mentorkit.matching.greedy import GreedyMatcher
from mentorkit.matching.optimal import OptimalMatcher
from mentorkit.matching.stable import StableMatcher

__all__ = [
    "ENTRY_POINT_GROUP",
    "GreedyMatcher",
    "MatchResult",
    "Matcher",
    "MatchingProblem",
    "OptimalMatcher",
    "Pair",
    "StableMatcher",
    "Unmatched",
    "UnmatchedReason",
    "get_matcher",
    "match",
    "matchers",
    "register_matcher",
    "unregister_matcher",
]
