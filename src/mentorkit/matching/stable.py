"""``stable``: mentee-proposing deferred acceptance with mentor capacities.

The hospital/residents algorithm of Gale and Shapley (1962), written for large cohorts.
Mentees rank mentors by ``scores``; mentors rank mentees by ``mentor_scores``. The result
has no blocking pair (no mentee and mentor who both prefer each other to what they got) and
is mentee-optimal: every mentee gets the best mentor they have in any stable matching.

Ties are broken by ``seed``: one seeded random order of mentors settles every mentee's
ties, and one seeded random order of mentees settles every mentor's ties. With NumPy the
proposals go in vectorised rounds (all free mentees propose at once, each mentor keeps its
best ``capacity`` proposers); each mentee's preference list is built lazily from the top
of its row, so a 10,000 x 1,000 instance never sorts the whole matrix.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mentorkit.matching._arrays import tie_ranks
from mentorkit.matching._result import MatchResult

if TYPE_CHECKING:
    from mentorkit.matching._problem import MatchingProblem

__all__ = ["StableMatcher"]

_WHY = "stable: no mentor the mentee prefers would rather have them than a mentee they hold"


class StableMatcher:
    """Mentee-optimal stable matching (deferred acceptance, hospital/residents).

    Examples:
        >>> from mentorkit.matching import MatchingProblem
        >>> p = MatchingProblem.from_matrix(
        ...     ["a", "b"], ["x", "y"], [[2, 1], [2, 1]], capacity=1,
        ...     mentor_scores=[[1, 1], [2, 2]])
        >>> r = StableMatcher().match(p)
        >>> sorted((x.mentee_id, x.mentor_id) for x in r.pairs)
        [('a', 'y'), ('b', 'x')]
    """

    name = "stable"

    @property
    def options(self) -> Mapping[str, Any]:
        """The options this matcher was made with (none)."""
        return {}

    def match(self, problem: MatchingProblem, *, seed: int = 0) -> MatchResult:
        """Match mentees to mentors by deferred acceptance.

        Args:
            problem: The problem.
            seed: Settles ties in both sides' rankings.

        Returns:
            The mentee-optimal stable matching.
        """
        if problem._uses_numpy():
            assignment = _stable_numpy(problem, seed)
        else:  # pragma: no cover - the pure-Python path is tested directly
            assignment = _stable_python(problem, seed)
        return MatchResult.from_assignment(
            problem, assignment, strategy=self.name, seed=seed, options=self.options, why=_WHY
        )


def _stable_python(problem: MatchingProblem, seed: int) -> list[int]:
    """Deferred acceptance in plain Python: a min-heap of held proposers per mentor."""
    n, m = problem.shape
    mentor_rank = tie_ranks(m, seed, 0)
    mentee_rank = tie_ranks(n, seed, 1)
    s, ms = problem.to_lists()
    prefs = []
    for row in s:
        ranked = sorted(
            (-value, mentor_rank[j], j) for j, value in enumerate(row) if value is not None
        )
        prefs.append([j for _, _, j in ranked])
    cap = problem.capacity
    nxt = [0] * n
    held: list[list[tuple[float, int, int]]] = [[] for _ in range(m)]  # (score, -rank, mentee)
    assignment = [-1] * n
    free = [i for i in range(n) if prefs[i]]
    free.reverse()
    while free:
        i = free.pop()
        if nxt[i] >= len(prefs[i]):
            continue
        j = prefs[i][nxt[i]]
        nxt[i] += 1
        value = ms[i][j]
        assert value is not None  # prefs hold allowed pairs only
        key = (value, -mentee_rank[i], i)
        heap = held[j]
        if len(heap) < cap[j]:
            heapq.heappush(heap, key)
            assignment[i] = j
        elif heap and heap[0] < key:
            _, _, out = heapq.heapreplace(heap, key)
            assignment[i] = j
            assignment[out] = -1
            free.append(out)
        else:
            free.append(i)
    return assignment


def _stable_numpy(problem: MatchingProblem, seed: int) -> list[int]:
    """Deferred acceptance in vectorised rounds."""
    import numpy as np

    n, m = problem.shape
    if n == 0 or m == 0:
        return [-1] * n
    s, ms = problem._S, problem._M
    col_rank = np.asarray(tie_ranks(m, seed, 0))
    mentee_rank = np.asarray(tie_ranks(n, seed, 1))
    prefs = _Preferences(np, s, ms, col_rank)
    allowed_count = prefs.allowed_count
    cap = np.asarray(problem.capacity)
    assignment = np.full(n, -1)
    consumed = np.zeros(n, dtype=np.int64)
    free = np.flatnonzero(allowed_count > 0)
    touched = np.zeros(m, dtype=bool)
    while free.size:
        if free.size <= _TAIL:
            # A few long rejection chains are left: one proposal at a time is cheaper
            # than a vectorised round each (the outcome does not depend on the order).
            return _finish_one_by_one(prefs, ms, cap, mentee_rank, assignment, consumed, free)
        cols = prefs.next_choice(free, consumed)
        consumed[free] += 1
        touched[cols] = True
        holders = np.flatnonzero(assignment >= 0)
        holders = holders[touched[assignment[holders]]]
        touched[cols] = False
        cand_i = np.concatenate([holders, free])
        cand_j = np.concatenate([assignment[holders], cols])
        # Each mentor keeps its best `capacity` candidates: sort by mentor, then by the
        # mentor's score (descending), then by the seeded mentee rank.
        sort = np.lexsort((mentee_rank[cand_i], -ms[cand_i, cand_j], cand_j))
        sj = cand_j[sort]
        si = cand_i[sort]
        starts = np.flatnonzero(np.r_[True, sj[1:] != sj[:-1]])
        group_start = np.repeat(starts, np.diff(np.r_[starts, sj.size]))
        keep = (np.arange(sj.size) - group_start) < cap[sj]
        assignment[si[keep]] = sj[keep]
        rejected = si[~keep]
        assignment[rejected] = -1
        free = rejected[consumed[rejected] < allowed_count[rejected]]
    result: list[int] = assignment.tolist()
    return result


_TAIL = 48


def _finish_one_by_one(
    prefs: _Preferences,
    ms: Any,
    cap: Any,
    mentee_rank: Any,
    assignment: Any,
    consumed: Any,
    free: Any,
) -> list[int]:
    """Deferred acceptance from a partial state, one proposal at a time (min-heaps)."""
    import numpy as np

    held_rows = np.flatnonzero(assignment >= 0)
    held_cols = assignment[held_rows]
    values = ms[held_rows, held_cols].tolist()
    ranks = mentee_rank.tolist()
    heaps: dict[int, list[tuple[float, int, int]]] = {}
    for i, j, value in zip(held_rows.tolist(), held_cols.tolist(), values, strict=True):
        heaps.setdefault(j, []).append((value, -ranks[i], i))
    for heap in heaps.values():
        heapq.heapify(heap)
    out: list[int] = assignment.tolist()
    used: list[int] = consumed.tolist()
    allowed: list[int] = prefs.allowed_count.tolist()
    capacity: list[int] = cap.tolist()
    queue: list[int] = free.tolist()
    queue.reverse()
    while queue:
        i = queue.pop()
        if used[i] >= allowed[i]:
            continue
        j = prefs.choice(i, used[i])
        used[i] += 1
        key = (float(ms[i, j]), -ranks[i], i)
        heap = heaps.setdefault(j, [])
        if len(heap) < capacity[j]:
            heapq.heappush(heap, key)
            out[i] = j
        elif heap and heap[0] < key:
            _, _, loser = heapq.heapreplace(heap, key)
            out[i], out[loser] = j, -1
            queue.append(loser)
        else:
            queue.append(i)
    return out


class _Preferences:
    """Each mentee's preference list, built block by block from the top of the row.

    The first block holds every row's best ``block`` mentors (``argpartition``, then a sort
    of the block by score and the seeded mentor rank); a mentee who runs through it gets a
    full sort of their row. Ties at the edge of a block are resolved exactly: a row whose
    cut-off score is shared by mentors outside the block is fully sorted at once. Rows are
    processed in slices, so no temporary the size of the matrix is ever made.
    """

    def __init__(self, np: Any, s: Any, ms: Any, col_rank: Any, block: int = 24) -> None:
        self.np, self.s, self.ms, self.col_rank = np, s, ms, col_rank
        n, m = s.shape
        k = min(m, block)
        self.top = np.empty((n, k), dtype=np.int64)
        self.allowed_count = np.empty(n, dtype=np.int64)
        self.length = np.full(n, k, dtype=np.int64)
        self.extra: dict[int, Any] = {}
        self.in_extra = np.zeros(n, dtype=bool)
        for start in range(0, n, 1024):
            key = self._keys(start, start + 1024)  # minus the score; +inf when forbidden
            rows = slice(start, start + len(key))
            self.allowed_count[rows] = m - np.isinf(key).sum(axis=1)
            top = (
                np.argpartition(key, k - 1, axis=1)[:, :k]
                if k < m
                else np.tile(np.arange(m), (len(key), 1))
            )
            values = np.take_along_axis(key, top, axis=1)
            within = np.lexsort((col_rank[top], values), axis=1)
            self.top[rows] = np.take_along_axis(top, within, axis=1)
            if k < m:
                cutoff = np.take_along_axis(values, within[:, -1:], axis=1)
                outside = (key == cutoff).sum(axis=1) - (values == cutoff).sum(axis=1)
                ragged = np.flatnonzero((outside > 0) & np.isfinite(cutoff[:, 0]))
                self._extend(ragged + start)

    def _keys(self, start: int, stop: int) -> Any:
        np = self.np
        key = -self.s[start:stop]
        if self.ms is not self.s:
            key[np.isnan(self.ms[start:stop])] = np.nan
        key[np.isnan(key)] = np.inf
        return key

    def _extend(self, rows: Any) -> None:
        np = self.np
        for i in rows.tolist():
            key = self._keys(i, i + 1)[0]
            self.extra[i] = np.lexsort((self.col_rank, key))
            self.length[i] = key.size
            self.in_extra[i] = True

    def choice(self, i: int, position: int) -> int:
        """The column mentee ``i`` proposes to at ``position`` of their list."""
        if not self.in_extra[i] and position >= self.top.shape[1]:
            self._extend(self.np.asarray([i]))
        if self.in_extra[i]:
            return int(self.extra[i][position])
        return int(self.top[i, position])

    def next_choice(self, rows: Any, consumed: Any) -> Any:
        """The column each of ``rows`` proposes to next."""
        np = self.np
        self._extend(rows[consumed[rows] >= self.length[rows]])
        position = consumed[rows]
        k = self.top.shape[1]
        choice = self.top[rows, np.minimum(position, k - 1)]
        if self.extra:
            for slot in np.flatnonzero(self.in_extra[rows]).tolist():
                choice[slot] = self.extra[int(rows[slot])][position[slot]]
        return choice
