"""The contract every matching strategy fulfils."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from mentorkit.matching._problem import MatchingProblem
    from mentorkit.matching._result import MatchResult


@runtime_checkable
class Matcher(Protocol):
    """Protocol: a matching strategy, turning a problem into a result.

    A matcher has a ``name`` (the one it is registered under) and a ``match`` method. It
    must never put a mentor over capacity, match a mentee twice or make a forbidden pair,
    and must give the same result for the same problem and seed. Prove yours with
    [`mentorkit.testing.MatcherContract`][mentorkit.testing.MatcherContract]. Build the result with
    [`MatchResult.from_assignment`][mentorkit.matching.MatchResult.from_assignment], which checks
    those rules and writes the reasons.

    Examples:
        >>> from mentorkit.matching import GreedyMatcher
        >>> isinstance(GreedyMatcher(), Matcher)
        True
    """

    @property
    def name(self) -> str:
        """The name the strategy is registered under."""
        ...

    def match(self, problem: MatchingProblem, *, seed: int = 0) -> MatchResult:
        """Match the problem's mentees to its mentors.

        Args:
            problem: The problem to solve.
            seed: Settles ties reproducibly.

        Returns:
            The result, with ``strategy`` set to ``name``.
        """
        ...
