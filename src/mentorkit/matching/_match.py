"""``match()``: the one call that runs a strategy on a problem."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mentorkit.errors import MatchingError, ValidationError
from mentorkit.matching._protocol import Matcher
from mentorkit.matching._registry import get_matcher

if TYPE_CHECKING:
    from mentorkit.matching._problem import MatchingProblem
    from mentorkit.matching._result import MatchResult


def match(
    problem: MatchingProblem,
    strategy: str | Matcher = "stable",
    seed: int = 0,
    **options: Any,
) -> MatchResult:
    """Match a problem's mentees to mentors with a strategy.

    Args:
        problem: The problem (see [`MatchingProblem`][mentorkit.matching.MatchingProblem]).
        strategy: A registered name (``"stable"``, ``"greedy"``, ``"optimal"`` or a
            plugin's) or a matcher object.
        seed: Settles ties; the same problem, strategy, options and seed give the same
            result.
        **options: Passed to the strategy's factory (e.g. ``maximize_matches=True`` for
            ``"optimal"``); not allowed with a matcher object.

    Returns:
        The result, recording the strategy, seed and options used.

    Raises:
        NotFoundError: No strategy of that name.
        ValidationError: A bad seed or options.
        MatchingError: The strategy cannot run (e.g. its extra is not installed).

    Examples:
        >>> from mentorkit.matching import MatchingProblem, match
        >>> p = MatchingProblem.from_matrix(
        ...     ["ana", "ben", "cy"], ["kim", "lee"],
        ...     [[0.9, 0.4], [0.8, 0.7], [0.2, None]], capacity=[1, 2])
        >>> r = match(p, strategy="stable", seed=7)
        >>> for pair in r.pairs:
        ...     print(pair.mentee_id, "->", pair.mentor_id, pair.score)
        ana -> kim 0.9
        ben -> lee 0.7
        >>> print(r.explain("cy"))
        cy: unmatched (mentors_full): the one allowed mentor was full
    """
    from mentorkit.matching._problem import MatchingProblem

    if not isinstance(problem, MatchingProblem):
        raise ValidationError("must be a MatchingProblem", field="problem", value=problem)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValidationError("must be an int", field="seed", value=seed)
    if isinstance(strategy, str):
        matcher = get_matcher(strategy, **options)
    elif isinstance(strategy, Matcher):
        if options:
            raise ValidationError(
                "options go to the matcher's constructor when passing a matcher object",
                field="options",
                value=sorted(options),
            )
        matcher = strategy
    else:
        raise ValidationError(
            "must be a strategy name or a Matcher", field="strategy", value=strategy
        )
    result = matcher.match(problem, seed=seed)
    if result.strategy != matcher.name:
        raise MatchingError(
            f"matcher {matcher.name!r} returned a result labelled {result.strategy!r}"
        )
    return result
