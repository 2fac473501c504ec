"""``circles``: each mentor leads one circle of mentees who share a focus.

Group (circle) mentoring: a mentor takes up to ``capacity`` mentees, all with the same
circle key (``problem.groups``; from profiles, each mentee's first focus competency;
mentees without a key may join any circle). Two steps:

1. Each mentor is given one circle key. Pairs of (mentor, key) are taken by the total
   score the mentor would have with their best ``capacity`` mentees of that key, highest
   first, while the key still has mentees waiting; a mentor left over leads their best key.
2. Pairs across circles are forbidden and the inner strategy (``optimal`` by default)
   matches within circles.

This is a heuristic (choosing circles and members together is a harder problem), meant
for cohort-sized problems (step 1 runs in Python over every mentor, circle and mentee).
The result meets every rule of [`MatcherContract`][mentorkit.testing.MatcherContract] except
non-wastefulness: a mentor's free places are kept for their own circle.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mentorkit.matching._registry import get_matcher
from mentorkit.matching._result import MatchResult

if TYPE_CHECKING:
    from mentorkit.matching._problem import MatchingProblem

__all__ = ["CircleMatcher"]


class CircleMatcher:
    """One circle per mentor, members sharing a focus; matched by an inner strategy.

    Args:
        within: The strategy that matches within circles (a registered name).
        **options: Options of the inner strategy.

    Examples:
        >>> from mentorkit.matching import MatchingProblem
        >>> p = MatchingProblem.from_matrix(
        ...     ["a", "b", "c", "d"], ["x", "y"], [[3, 1], [2, 1], [1, 3], [1, 2]], 2,
        ...     groups=["data", "data", "equity", "equity"])
        >>> r = CircleMatcher().match(p)
        >>> {m: r.mentees_of(m) for m in ("x", "y")}
        {'x': ('a', 'b'), 'y': ('c', 'd')}
    """

    name = "circles"

    def __init__(self, *, within: str = "optimal", **options: Any) -> None:
        self.within = within
        self.inner_options = dict(options)
        self.inner = get_matcher(within, **options)

    @property
    def options(self) -> Mapping[str, Any]:
        """The options this matcher was made with."""
        return {"within": self.within, **self.inner_options}

    def match(self, problem: MatchingProblem, *, seed: int = 0) -> MatchResult:
        """Form circles, then match within them.

        Args:
            problem: The problem; ``problem.groups`` gives the circle keys (without them
                every mentee may join any circle).
            seed: Passed to the inner strategy.

        Returns:
            The result; each pair's reasons name its circle.
        """
        n = problem.shape[0]
        groups = problem.groups or (None,) * n
        focus = _circle_keys(problem, groups)
        restricted = problem._restricted(
            lambda i, j: groups[i] is None or groups[i] == focus[j], "other_circle"
        )
        inner = self.inner.match(restricted, seed=seed)
        column = {k: j for j, k in enumerate(problem.mentor_ids)}
        row = {k: i for i, k in enumerate(problem.mentee_ids)}
        assignment = [-1] * n
        notes = {}
        for pair in inner.pairs:
            i, j = row[pair.mentee_id], column[pair.mentor_id]
            assignment[i] = j
            key = focus[j]
            notes[i] = (
                f"circle: {pair.mentor_id} leads the {key!r} circle"
                if key is not None
                else f"circle: {pair.mentor_id} leads an open circle"
            )
        return MatchResult.from_assignment(
            problem,
            assignment,
            strategy=self.name,
            seed=seed,
            options=self.options,
            why=f"circles matched within by {self.within}",
            notes=notes,
        )


def _circle_keys(problem: MatchingProblem, groups: tuple[str | None, ...]) -> list[str | None]:
    """One circle key per mentor: the most valuable key that still has mentees waiting."""
    n, m = problem.shape
    keys = sorted({g for g in groups if g is not None})
    if not keys:
        return [None] * m
    members: dict[str, list[int]] = {
        k: [i for i in range(n) if groups[i] in (k, None)] for k in keys
    }
    value: list[tuple[float, int, int, str]] = []
    for j in range(m):
        cap = problem.capacity[j]
        for rank, k in enumerate(keys):
            scores = sorted(
                (problem._score_at(i, j) for i in members[k] if problem._allowed_at(i, j)),
                reverse=True,
            )[:cap]
            if scores:
                value.append((-sum(scores), j, rank, k))
    value.sort()
    waiting = {k: sum(1 for g in groups if g == k) for k in keys}
    focus: list[str | None] = [None] * m
    for _, j, _, k in value:
        if focus[j] is None and waiting[k] > 0:
            focus[j] = k
            waiting[k] -= problem.capacity[j]
    for _, j, _, k in value:  # mentors left over lead their best circle anyway
        if focus[j] is None:
            focus[j] = k
    return focus
