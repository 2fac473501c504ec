"""``optimal``: the assignment with the highest total score, as a min-cost flow.

The network is source -> mentee (capacity 1) -> mentor (capacity 1 per allowed pair, cost
minus the score) -> sink (the mentor's capacity), with a bypass mentee -> sink at cost 0 for
mentees left unmatched. OR-Tools' ``SimpleMinCostFlow`` solves it (extra ``ortools``).

Two policies:

- ``maximize_matches=False`` (default): the highest total score. A pair whose score is
  negative is never worth making, so its mentee may stay unmatched. A pair scoring exactly
  0 is allowed and worth making: among the assignments with the highest total score, one
  with the most pairs is chosen (exactly: integer weights are multiplied by more than the
  number of pairs possible and each pair gains 1, which cannot reorder different totals).
- ``maximize_matches=True``: as many pairs as possible, then the highest total score among
  those assignments (a bonus larger than any score difference on every pair).

Dense district-sized problems are solved on a sparse candidate graph (each mentee's best
mentors, and each mentor's best mentees, a few times its capacity, for when everyone wants
the same popular mentors) and the answer is then *certified* against the whole matrix with
linear-programming duality: mentor prices ``v`` and mentee surpluses ``u`` are derived from
the solution, and every allowed pair must satisfy ``u[i] + v[j] >= score[i][j]``. Each
mentee's few most violated pairs are added and the flow solved again, until none is left,
so the result is the exact optimum of the full problem. When the candidate graph grows past
a share of the matrix, the whole graph is solved at once instead.
Scores are solved as integers: integer scores exactly, others after scaling by a power of
two (about 30 significant bits per score), so the total is optimal to within rounding of
the last bits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mentorkit.errors import MatchingError, ValidationError
from mentorkit.matching._arrays import require
from mentorkit.matching._result import MatchResult

if TYPE_CHECKING:
    from mentorkit.matching._problem import MatchingProblem

__all__ = ["OptimalMatcher"]

_CHUNK = 1024  # rows per slice of the dense matrix: keeps temporaries to a few MB
# Far below any real weight, and safe to negate (the int64 minimum is not).
_FORBIDDEN = -(2**62)


class OptimalMatcher:
    """Maximum total score subject to capacities and forbidden pairs.

    Args:
        maximize_matches: Match as many mentees as possible first, then maximise the score.
        candidates: How many of each mentee's best mentors the first sparse solve uses; the
            certificate adds any pair the optimum needs, so this only affects speed.

    Examples:
        >>> from mentorkit.matching import MatchingProblem
        >>> p = MatchingProblem.from_matrix(["a", "b"], ["x", "y"], [[3, 2], [2, 0]], capacity=1)
        >>> r = OptimalMatcher().match(p)
        >>> sorted((x.mentee_id, x.mentor_id) for x in r.pairs), r.total_score
        ([('a', 'y'), ('b', 'x')], 4.0)
    """

    name = "optimal"

    def __init__(self, *, maximize_matches: bool = False, candidates: int = 24) -> None:
        if not isinstance(maximize_matches, bool):
            raise ValidationError(
                "must be True or False", field="maximize_matches", value=maximize_matches
            )
        if isinstance(candidates, bool) or not isinstance(candidates, int) or candidates < 1:
            raise ValidationError("must be an int >= 1", field="candidates", value=candidates)
        self.maximize_matches = maximize_matches
        self.candidates = candidates

    @property
    def options(self) -> Mapping[str, Any]:
        """The options this matcher was made with."""
        return {"maximize_matches": self.maximize_matches, "candidates": self.candidates}

    def match(self, problem: MatchingProblem, *, seed: int = 0) -> MatchResult:
        """Solve for the maximum total score.

        Args:
            problem: The problem.
            seed: Recorded for reproducibility; an optimal assignment does not depend on
                it (ties between equally good assignments follow the problem's order).

        Returns:
            An optimal assignment.

        Raises:
            MatchingError: OR-Tools is not installed (``pip install "mentorkit[ortools]"``),
                or the solver failed.
        """
        import numpy as np

        require("ortools.graph.python.min_cost_flow", "ortools", "the optimal strategy")
        n, m = problem.shape
        assignment = [-1] * n
        if n and m:
            assignment = _solve(np, problem._S, problem._M, problem.capacity, self).tolist()
        why = (
            "optimal: part of an assignment with the most pairs, then the highest total score"
            if self.maximize_matches
            else "optimal: part of an assignment with the highest possible total score"
        )
        return MatchResult.from_assignment(
            problem, assignment, strategy=self.name, seed=seed, options=self.options, why=why
        )


class _Weights:
    """Integer pair weights computed slice by slice from the float matrix."""

    def __init__(self, np: Any, s: Any, ms: Any, capacity: Any, maximize_matches: bool) -> None:
        self.np, self.s, self.ms = np, s, ms
        n, m = s.shape
        both = s if ms is s else np.where(np.isnan(ms), np.nan, s)
        some = bool(n and m) and not bool(np.isnan(both).all())
        low = float(np.nanmin(both)) if some else 0.0
        high = float(np.nanmax(both)) if some else 0.0
        top = max(abs(low), abs(high)) if some else 1.0
        pairs = min(n, int(capacity.sum())) + 2
        # OR-Tools scales costs by the number of nodes internally; stay well inside int64.
        budget = 2.0**62 / (4.0 * (n + m + 2))
        if maximize_matches:
            budget /= 2.0 * pairs + 2.0
        else:
            budget /= float(pairs)
        integral = not some or _integral(np, both)
        if integral and top <= budget:
            self.scale = 1.0
        else:
            # In logarithms: budget / top overflows for scores near 1e-300; the cap keeps
            # 2 ** exponent a float.
            exponent = min(1000, int(np.floor(np.log2(budget) - np.log2(max(top, 1e-300)))))
            if integral:
                exponent = min(exponent, 0)
            self.scale = 2.0**exponent
        # Integer weight = rint(score * scale) * multiplier + bonus.
        # Without maximize_matches: multiplier > the number of pairs any assignment has and
        # bonus 1, so the total is (scaled score) * multiplier + (number of pairs): a higher
        # score always wins, and among equal scores more pairs win (a 0 pair beats the
        # bypass; a negative one, at most 1 - multiplier < 0, never does).
        self.multiplier = 1 if maximize_matches else pairs
        self.bonus = 1
        if maximize_matches:
            # Every pair gains more than any difference in score between two assignments
            # can make up, and every allowed pair weighs at least 1: more pairs always win.
            span = (high - low) * self.scale * pairs + max(0.0, -low) * self.scale
            self.bonus = int(np.ceil(span)) + 1

    def allowed_count(self) -> int:
        """How many pairs are allowed."""
        np = self.np
        forbidden = np.isnan(self.s)
        if self.ms is not self.s:
            forbidden |= np.isnan(self.ms)
        return int(self.s.size - forbidden.sum())

    def rows(self, start: int, stop: int) -> Any:
        """Integer weights of rows ``start:stop``; forbidden pairs get ``_FORBIDDEN``."""
        np = self.np
        block = self.s[start:stop]
        forbidden = np.isnan(block)
        if self.ms is not self.s:
            forbidden |= np.isnan(self.ms[start:stop])
        w = np.rint(np.where(forbidden, 0.0, block) * self.scale).astype(np.int64)
        if self.multiplier != 1:
            w *= self.multiplier
        w += self.bonus
        w[forbidden] = _FORBIDDEN
        return w


def _solve(np: Any, s: Any, ms: Any, capacity_tuple: tuple[int, ...], opts: OptimalMatcher) -> Any:
    n, m = s.shape
    capacity = np.asarray(capacity_tuple, dtype=np.int64)
    weights = _Weights(np, s, ms, capacity, opts.maximize_matches)
    k = min(m, opts.candidates)
    arc_i, arc_j = [], []
    # Each mentee's best mentors, and each mentor's best mentees (a few times its
    # capacity): with popular mentors, the mentees' own top lists all name the same few.
    depth = np.minimum(n, _COLUMN_DEPTH * np.maximum(capacity, 1) + k)
    col_best: list[Any] = []
    for start in range(0, n, _CHUNK):
        w = weights.rows(start, start + _CHUNK)
        top = (
            np.argpartition(-w, k - 1, axis=1)[:, :k]
            if k < m
            else np.tile(np.arange(m), (len(w), 1))
        )
        useful = np.take_along_axis(w, top, axis=1) > 0  # weight <= 0 (score < 0) never helps
        rows = np.broadcast_to(np.arange(start, start + len(w))[:, None], top.shape)
        arc_i.append(rows[useful])
        arc_j.append(top[useful])
        col_best.append(_column_best(np, w, depth, start))
        col_best = [_merge_best(np, col_best, depth)]
    ci, cj = _best_pairs(np, col_best[0], depth)
    arc_i.append(ci)
    arc_j.append(cj)
    ai, aj = _unique_pairs(np, np.concatenate(arc_i), np.concatenate(arc_j), m)
    allowed = weights.allowed_count()
    while True:  # each round adds new pairs, and past a share of them the dense solve ends it
        if ai.size > _DENSE_SHARE * allowed:
            return _solve_dense(np, weights, capacity)
        aw = _arc_weights(np, weights, ai, aj)
        mentor_of = _min_cost_flow(np, n, m, capacity, ai, aj, aw)
        u, v = _duals(np, n, m, capacity, ai, aj, aw, mentor_of)
        extra_i, extra_j = _violations(np, weights, u, v)
        if extra_i.size == 0:
            return mentor_of
        ai = np.concatenate([ai, extra_i])
        aj = np.concatenate([aj, extra_j])


_COLUMN_DEPTH = 6  # each mentor's best mentees in the first graph: this many times capacity
_PER_ROW = 8  # most violated pairs a mentee adds back per round
_DENSE_SHARE = 0.4  # past this share of the allowed pairs, solve the whole graph at once


def _column_best(np: Any, w: Any, depth: Any, start: int) -> tuple[Any, Any]:
    """Each column's best ``depth[j]`` rows of the slice ``w``: (weights, rows), by column."""
    d = int(depth.max())
    if d >= w.shape[0]:
        rows = np.broadcast_to(np.arange(w.shape[0])[:, None], w.shape)
        return w.T.copy(), (rows + start).T.copy()
    top = np.argpartition(-w, d - 1, axis=0)[:d]
    return np.take_along_axis(w, top, axis=0).T.copy(), (top + start).T.copy()


def _merge_best(np: Any, parts: list[tuple[Any, Any]], depth: Any) -> tuple[Any, Any]:
    """The best ``max(depth)`` (weight, row) per column among several slices' bests."""
    w = np.concatenate([p[0] for p in parts], axis=1)
    r = np.concatenate([p[1] for p in parts], axis=1)
    d = int(depth.max())
    if w.shape[1] <= d:
        return w, r
    top = np.argpartition(-w, d - 1, axis=1)[:, :d]
    return np.take_along_axis(w, top, axis=1), np.take_along_axis(r, top, axis=1)


def _best_pairs(np: Any, best: tuple[Any, Any], depth: Any) -> tuple[Any, Any]:
    """Arcs (row, column) of each column's best ``depth[j]`` rows with a useful weight."""
    w, r = best
    order = np.argsort(-w, axis=1, kind="stable")
    w = np.take_along_axis(w, order, axis=1)
    r = np.take_along_axis(r, order, axis=1)
    keep = (np.arange(w.shape[1])[None, :] < depth[:, None]) & (w > 0)
    cols = np.broadcast_to(np.arange(w.shape[0])[:, None], w.shape)
    return r[keep], cols[keep]


def _unique_pairs(np: Any, ai: Any, aj: Any, m: int) -> tuple[Any, Any]:
    """The distinct (row, column) pairs, in row-major order."""
    key = ai.astype(np.int64) * m + aj
    seen = np.zeros(int(key.max()) + 1 if key.size else 0, dtype=bool)
    seen[key] = True
    key = np.flatnonzero(seen)
    return key // m, key % m


def _integral(np: Any, s: Any) -> bool:
    """Whether every allowed score is a whole number (slice by slice, stopping early)."""
    for start in range(0, s.shape[0], _CHUNK):
        block = s[start : start + _CHUNK]
        if not bool(np.all((block == np.rint(block)) | np.isnan(block))):
            return False
    return True


def _solve_dense(np: Any, weights: _Weights, capacity: Any) -> Any:
    """Min-cost flow on every allowed pair with a useful weight (no certificate needed)."""
    n, m = weights.s.shape
    arc_i, arc_j = [], []
    for start in range(0, n, _CHUNK):
        w = weights.rows(start, start + _CHUNK)
        r, c = np.nonzero(w > 0)
        arc_i.append(r + start)
        arc_j.append(c)
    ai, aj = np.concatenate(arc_i), np.concatenate(arc_j)
    return _min_cost_flow(np, n, m, capacity, ai, aj, _arc_weights(np, weights, ai, aj))


def _arc_weights(np: Any, weights: _Weights, ai: Any, aj: Any) -> Any:
    s = weights.s[ai, aj]
    return np.rint(s * weights.scale).astype(np.int64) * weights.multiplier + weights.bonus


def _min_cost_flow(np: Any, n: int, m: int, capacity: Any, ai: Any, aj: Any, aw: Any) -> Any:
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = n + m, n + m + 1
    mentees = np.arange(n)
    mentors = np.arange(m)
    ones = np.ones(n, dtype=np.int64)
    zeros = np.zeros(n, dtype=np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(np.full(n, source), mentees, ones, zeros)
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        ai, n + aj, np.ones(ai.size, dtype=np.int64), -aw
    )
    flow.add_arcs_with_capacity_and_unit_cost(mentees, np.full(n, sink), ones, zeros)
    flow.add_arcs_with_capacity_and_unit_cost(
        n + mentors, np.full(m, sink), capacity, np.zeros(m, dtype=np.int64)
    )
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise MatchingError(f"the min-cost flow solver failed with status {status!r}")
    used = flow.flows(pair_arcs) > 0
    mentor_of = np.full(n, -1)
    mentor_of[ai[used]] = aj[used]
    return mentor_of


def _duals(
    np: Any, n: int, m: int, capacity: Any, ai: Any, aj: Any, aw: Any, mentor_of: Any
) -> tuple[Any, Any]:
    """The least mentor prices ``v`` (and mentee surpluses ``u``) proving the sparse optimum.

    Complementary slackness fixes ``u[i] = w[i, mentor] - v[mentor]`` for matched mentees and
    ``u[i] = 0`` for the others; every candidate pair needs ``u[i] + v[j] >= w[i, j]``. These
    are difference constraints on ``v``; their least solution is found by Bellman-Ford style
    relaxation, vectorised over all pairs at once.
    """
    matched = mentor_of >= 0
    w_match = np.zeros(n, dtype=np.int64)
    order = np.argsort(aj, kind="stable")
    ai, aj, aw = ai[order], aj[order], aw[order]
    is_match = mentor_of[ai] == aj
    w_match[ai[is_match]] = aw[is_match]
    starts = np.flatnonzero(np.r_[True, aj[1:] != aj[:-1]]) if aj.size else np.zeros(0, int)
    heads = aj[starts]
    safe_mentor = np.where(matched, mentor_of, 0)
    v = np.zeros(m, dtype=np.int64)
    for _ in range(n + m + 2):
        u = np.where(matched, w_match - v[safe_mentor], 0)
        if not aj.size:
            break
        best = np.maximum.reduceat(aw - u[ai], starts)
        new = v.copy()
        new[heads] = np.maximum(v[heads], best)
        if np.array_equal(new, v):
            break
        v = new
    else:
        raise MatchingError("the min-cost flow solution is not optimal (please report this)")
    u = np.where(matched, w_match - v[safe_mentor], 0)
    load = np.bincount(mentor_of[matched], minlength=m)
    if (u < 0).any() or (v[load < capacity] != 0).any():
        raise MatchingError("the min-cost flow solution is not optimal (please report this)")
    return u, v


def _violations(np: Any, weights: _Weights, u: Any, v: Any) -> tuple[Any, Any]:
    """Allowed pairs that break ``u[i] + v[j] >= w[i, j]``: each row's most violated few."""
    n, m = weights.s.shape
    per_row = min(m, _PER_ROW)
    found_i, found_j = [], []
    for start in range(0, n, _CHUNK):
        w = weights.rows(start, start + _CHUNK)
        gap = w - (u[start : start + len(w), None] + v[None, :])
        bad_rows = np.flatnonzero((gap > 0).any(axis=1))
        if not bad_rows.size:
            continue
        gap = gap[bad_rows]
        if per_row < m:
            top = np.argpartition(-gap, per_row - 1, axis=1)[:, :per_row]
        else:
            top = np.broadcast_to(np.arange(m), gap.shape)
        bad = np.take_along_axis(gap, top, axis=1) > 0
        rows = np.broadcast_to(bad_rows[:, None], top.shape)
        found_i.append(rows[bad] + start)
        found_j.append(top[bad])
    if not found_i:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(found_i), np.concatenate(found_j)
