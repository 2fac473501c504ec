"""``greedy``: make the highest-scoring open pair, again and again.

Pairs are taken in descending score order; a pair is made when its mentee is still free
and its mentor still has room. Ties are settled by ``seed`` (a seeded order of mentees,
then of mentors). Fast and easy to explain; neither stable nor optimal in general, but with
one mutual score (``mentor_scores`` equal to ``scores``, no ties) it gives the stable
matching.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mentorkit.matching._arrays import tie_ranks
from mentorkit.matching._result import MatchResult

if TYPE_CHECKING:
    from collections.abc import Iterable

    from mentorkit.matching._problem import MatchingProblem

__all__ = ["GreedyMatcher"]

_WHY = "greedy: the highest-scoring pair still open when it was made"


class GreedyMatcher:
    """Highest score first.

    Example:
        >>> from mentorkit.matching import MatchingProblem
        >>> p = MatchingProblem.from_matrix(["a", "b"], ["x", "y"], [[3, 2], [2, 0]], capacity=1)
        >>> r = GreedyMatcher().match(p)
        >>> sorted((x.mentee_id, x.mentor_id) for x in r.pairs), r.total_score
        ([('a', 'x'), ('b', 'y')], 3.0)
    """

    name = "greedy"

    @property
    def options(self) -> Mapping[str, Any]:
        """The options this matcher was made with (none)."""
        return {}

    def match(self, problem: MatchingProblem, *, seed: int = 0) -> MatchResult:
        """Match by descending pair score.

        Args:
            problem: The problem.
            seed: Settles ties between equal scores.

        Returns:
            The greedy matching.
        """
        n, m = problem.shape
        row_rank = tie_ranks(n, seed, 0)
        col_rank = tie_ranks(m, seed, 1)
        if problem._uses_numpy() and n and m:
            pairs = _sorted_pairs_numpy(problem, row_rank, col_rank)
        else:
            s, _ = problem.to_lists()
            cells = [(i, j) for i in range(n) for j in range(m) if s[i][j] is not None]
            cells.sort(key=lambda c: (-s[c[0]][c[1]], row_rank[c[0]], col_rank[c[1]]))  # type: ignore[operator]
            pairs = iter(cells)
        room = list(problem.capacity)
        assignment = [-1] * n
        free, open_mentors = n, sum(1 for r in room if r > 0)
        for i, j in pairs:
            if assignment[i] == -1 and room[j] > 0:
                assignment[i] = j
                room[j] -= 1
                free -= 1
                open_mentors -= room[j] == 0
                if not free or not open_mentors:
                    break
        return MatchResult.from_assignment(
            problem, assignment, strategy=self.name, seed=seed, options=self.options, why=_WHY
        )


def _sorted_pairs_numpy(
    problem: MatchingProblem, row_rank: list[int], col_rank: list[int]
) -> Iterable[tuple[int, int]]:
    import numpy as np

    rows = np.argsort(np.asarray(row_rank))
    cols = np.argsort(np.asarray(col_rank))
    s, ms = problem._S, problem._M
    a = s[np.ix_(rows, cols)]
    if ms is not s:
        a[np.isnan(ms[np.ix_(rows, cols)])] = np.nan
    flat = a.ravel()
    # A stable sort of the permuted matrix settles ties by (row rank, column rank).
    ranked = np.argsort(-flat, kind="stable")
    ranked = ranked[: int((~np.isnan(flat)).sum())]  # NaN sorts last
    m = a.shape[1]
    for start in range(0, ranked.size, 65536):
        chunk = ranked[start : start + 65536]
        yield from zip(rows[chunk // m].tolist(), cols[chunk % m].tolist(), strict=True)
