"""``stable``: mentee-proposing deferred acceptance with mentor capacities.

The hospital/residents algorithm of Gale and Shapley (1962), written for large cohorts.
Mentees rank mentors by ``scores``; mentors rank mentees by ``mentor_scores``. The result
has no blocking pair (no mentee and mentor who both prefer each other to what they got) and
is mentee-optimal: every mentee gets the best mentor they have in any stable matching.

Ties are broken by ``seed``: one seeded random order of mentors settles every mentee's
ties, and one seeded random order of mentees settles every mentor's ties. The
proposals go in vectorised rounds (all free mentees propose at once, each mentor keeps its
best ``capacity`` proposers). A full mentor's threshold only rises, so each mentee proposes
straight to its best untried mentor whose threshold it beats, never where it would be
turned down. Mentees are let in a batch at a time, those mentors like most on average
first (the matching does not depend on the order of proposals), so that when mentors
agree a later batch seldom displaces an earlier one. Preference lists are built lazily,
a block of a few mentors at a time (one ``argpartition`` per batch of rows): a mentee who
runs through its block gets the next few mentors whose threshold it still beats (popular
mentors fill up, so most of a row drops out at once), and once many mentees have run
through their first block, newcomers' first blocks leave out hopeless mentors too. A row
whose next block would lie wholly inside a run of equal scores gets the rest of the row
sorted exactly instead. The last long rejection chains go one proposal at a time in plain
Python. The work stays within a few sorts of the matrix whether preferences agree or not.
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
        assignment = _deferred_acceptance(problem, seed)
        return MatchResult.from_assignment(
            problem, assignment, strategy=self.name, seed=seed, options=self.options, why=_WHY
        )


def _deferred_acceptance(problem: MatchingProblem, seed: int) -> list[int]:
    """Deferred acceptance in vectorised rounds, each proposal aimed past hopeless mentors.

    A full mentor's threshold (the worst mentee it holds) only rises, so a mentee whose
    proposal it would reject now would be rejected by it at any later time too. Each free
    mentee therefore proposes straight to its best untried mentor whose threshold it beats:
    the same proposals deferred acceptance makes, minus the rejections known in advance,
    so the same (mentee-optimal) answer.
    """
    import numpy as np

    n, m = problem.shape
    if n == 0 or m == 0:
        return [-1] * n
    col_rank = np.asarray(tie_ranks(m, seed, 0), dtype=np.int64)
    mentee_rank = np.asarray(tie_ranks(n, seed, 1), dtype=np.int64)
    state = _State(np, problem, col_rank, mentee_rank)
    # Mentees come in in batches, those mentors like most on average first (any order of
    # proposals gives the same matching): when mentors agree, a later batch seldom
    # displaces an earlier one, so rounds stay small instead of every free mentee
    # colliding at the same few mentors round after round.
    pending = state.intake_order()
    taken = 0
    free = pending[:0]
    while free.size or taken < pending.size:
        if free.size < _BATCH and taken < pending.size:
            newcomers = pending[taken : taken + _BATCH]
            state.admit(newcomers)
            free = np.concatenate([free, newcomers])
            taken += _BATCH
        if free.size <= _TAIL and taken >= pending.size:
            # A few long rejection chains are left: one proposal at a time is cheaper
            # than a vectorised round each (the outcome does not depend on the order).
            state.finish_one_by_one(free)
            break
        pi, pj = state.propose(free)
        free = state.accept(pi, pj)
    result: list[int] = state.assignment.tolist()
    return result


_TAIL = 48
_BATCH = 512  # mentees let in at a time
_BLOCK = 24
# Newcomers' first blocks leave out hopeless mentors once the blocks run through without
# a proposal pass this share of the mentees admitted so far. The mask costs about a third
# of a block, so it pays once about a third of blocks would miss; the count lags (the
# newest batch has barely proposed). Measured at 10,000 x 1,000: 0.1 takes about 0.3x
# argsort off popular-mentor instances and leaves uniform ones as they were.
_MASK_SHARE = 0.1
# Past this share of admitted mentees sorted whole (their blocks ended inside runs of equal
# scores, as with scores from a few discrete levels), newcomers are sorted whole on arrival.
_DEEP_SHARE = 0.5
_WINDOW = 16  # preferences a proposal looks through at once (doubling for rows that miss)


class _State:
    """Deferred acceptance state: preference lists, holders and mentor thresholds.

    Each admitted mentee's first ``block`` preferences are sorted (``argpartition``, then a
    sort of the block by score and the seeded mentor rank). Mentees who run through their
    block get their next block, in batches: the best ``block`` mentors whose threshold
    they still beat (thresholds only rise: the others never will take them). A row whose
    block edge falls inside a run of equal scores keeps only the part of its block above
    the tie; a row whose whole next block would be such a run gets the rest of its row
    sorted instead (``self.order``: one ``argsort`` per batch and an exact re-sort, score
    then mentor rank, of rows that hold equal scores), proposing through it a window at
    a time.
    """

    def __init__(self, np: Any, problem: MatchingProblem, col_rank: Any, rank: Any) -> None:
        self.np = np
        self.s, self.ms = problem._S, problem._M
        self.col_rank, self.rank = col_rank, rank
        self.by_rank = np.argsort(col_rank)  # the mentors in tie-break order
        n, m = self.s.shape
        self.cap = np.asarray(problem.capacity, dtype=np.int64)
        self.assignment = np.full(n, -1, dtype=np.int64)
        # A mentor's threshold: the (mentor score, mentee rank) of the worst mentee it
        # holds when full; -inf while it has room; +inf when it takes nobody.
        self.thr_val = np.where(self.cap > 0, -np.inf, np.inf)
        self.thr_rank = np.zeros(m, dtype=np.int64)
        self.any_forbidden = not problem._is_complete()
        k = min(m, _BLOCK)
        self.top = np.empty((n, k), dtype=np.int64)
        self.blen = np.zeros(n, dtype=np.int64)
        self.more = np.zeros(n, dtype=bool)  # beatable mentors may be left past the block
        self.ragged = np.zeros(n, dtype=bool)  # the block ends inside a run of equal scores
        if self.any_forbidden:
            self.allowed = np.empty(n, dtype=np.int64)
            for start in range(0, n, 1024):
                key = self._keys(np.arange(start, min(n, start + 1024)))
                self.allowed[start : start + len(key)] = m - np.isinf(key).sum(axis=1)
        else:
            self.allowed = np.full(n, m, dtype=np.int64)
        self.admitted = 0
        self.missed = 0  # blocks run through without a proposal
        self.pos = np.zeros(n, dtype=np.int64)  # next position in the mentee's list
        self.deep = np.zeros(n, dtype=bool)  # the rest of the row sorted into self.order
        self.dlen = np.zeros(n, dtype=np.int64)  # its length there
        self.order: Any = None
        self.order_flat: Any = None
        self.ms_flat = np.ascontiguousarray(self.ms).reshape(-1)

    def intake_order(self) -> Any:
        """Mentees with an allowed mentor, those mentors like most on average first.

        Only a heuristic (any order gives the same matching): the mean over an even sample
        of at most 64 mentors, forbidden pairs left out.
        """
        np = self.np
        m = self.ms.shape[1]
        sample = self.ms[:, :: max(1, m // 64)]
        if self.any_forbidden:
            out = np.isnan(sample) | np.isnan(self.s[:, :: max(1, m // 64)])
            sample = np.where(out, 0.0, sample)
            total = sample.sum(axis=1) / np.maximum((~out).sum(axis=1), 1)
        else:
            total = sample.sum(axis=1)
        order = np.argsort(-total, kind="stable")
        return order[self.allowed[order] > 0]

    def _keys(self, rows: Any) -> Any:
        """Minus the scores of ``rows``; +inf where a pair is forbidden."""
        np = self.np
        key = self.s[rows]
        np.negative(key, out=key)
        if self.any_forbidden:
            if self.ms is not self.s:
                key[np.isnan(self.ms[rows])] = np.nan
            key[np.isnan(key)] = np.inf
        return key

    def admit(self, rows: Any) -> None:
        """Ready the preference lists of mentees about to propose for the first time.

        Each gets its first block; once many blocks so far ran through without a proposal
        (mentors agree on who is popular), one of mentors whose threshold it beats. Once
        most mentees so far had their rows sorted whole (runs of equal scores longer than
        a block: scores from a few discrete levels), newcomers' rows are sorted whole.
        """
        np = self.np
        if self.admitted and int(self.deep.sum()) > _DEEP_SHARE * self.admitted:
            self._sort_rows(rows)  # ties everywhere: blocks would end inside runs anyway
            self.admitted += rows.size
            return
        masked = self.missed > _MASK_SHARE * self.admitted
        for start in range(0, rows.size, 1024):
            self._block_rows(np.sort(rows[start : start + 1024]), masked=masked)
        self.admitted += rows.size

    def _block_rows(self, rows: Any, *, masked: bool = False) -> None:
        """Sort each row's next ``block`` preferences into ``self.top`` and ``self.blen``.

        ``masked``: only mentors whose threshold the mentee beats now (the others never
        will take it); ``self.more`` says whether beatable mentors are left past the block.
        """
        np = self.np
        m = self.s.shape[1]
        k = self.top.shape[1]
        key = self._keys(rows)
        if masked and bool((self.thr_val > -np.inf).any()):  # some mentor is full
            np.copyto(key, np.inf, where=self._hopeless_rows(rows))
        after = None  # each row's (k+1)-th smallest key: the best one left out of its block
        if k < m:
            # Partition at k, not k - 1: the k smallest come first, then the next one.
            parted = np.argpartition(key, k, axis=1)[:, : k + 1]
            after = np.take_along_axis(key, parted[:, k:], axis=1)[:, 0]
            top = parted[:, :k]
        else:
            top = np.tile(np.arange(m), (len(key), 1))
        values = np.take_along_axis(key, top, axis=1)
        within = np.lexsort((self.col_rank[top], values), axis=1)
        top = np.take_along_axis(top, within, axis=1)
        values = np.take_along_axis(values, within, axis=1)
        self.top[rows] = top
        length = np.isfinite(values).sum(axis=1)
        if after is not None:
            # A row whose block ends inside a run of equal scores (the best key left out
            # equals the block's last) keeps only the part above the tie; the rest of the
            # run is ranked with the whole row.
            cutoff = values[:, -1]
            ragged = (after == cutoff) & np.isfinite(cutoff)
            if ragged.any():
                length = np.where(ragged, (values < cutoff[:, None]).sum(axis=1), length)
        self.blen[rows] = length
        self.pos[rows] = 0
        self.more[rows] = False if after is None else np.isfinite(after)
        self.ragged[rows] = False if after is None else (after == values[:, -1])

    def _next_blocks(self, rows: Any) -> Any:
        """Give ``rows``, through their block, their next block of beatable mentors.

        Returns the rows with a new block. Rows with no beatable mentor left drop out; a
        row whose block ended inside a run of equal scores (the run goes on), or whose
        next block would lie wholly inside one, gets the rest of its row sorted instead
        (``self.deep``), where ties are ranked exactly.
        """
        self.missed += rows.size
        rows = rows[self.more[rows]]
        tied = self.ragged[rows]
        if tied.any():  # the run of equal scores goes on past the block: sort it exactly
            self._sort_rows(rows[tied])
            rows = rows[~tied]
        if not rows.size:
            return rows
        self._block_rows(rows, masked=True)
        empty = self.blen[rows] == 0
        stuck = rows[empty & self.more[rows]]
        if stuck.size:
            self._sort_rows(stuck)
        return rows[~empty]

    def _sort_rows(self, rows: Any) -> None:
        """Sort the rest of ``rows``' preferences into ``self.order`` (batched).

        Only mentors the mentee beats the threshold of now are kept (the others never
        will take it: thresholds only rise), so each row's list starts afresh at position
        0 and ends at ``self.dlen``. Mentors that already turned the mentee down (its
        block) have thresholds above it. Dropping them makes the sort cheaper too.
        """
        np = self.np
        n, m = self.s.shape
        if self.order is None:
            self.order = np.empty((n, m), dtype=np.int16 if m < 2**15 else np.int32)
        rows = np.sort(rows)
        for start in range(0, rows.size, 512):
            part = rows[start : start + 512]
            key = self._keys(part)
            np.copyto(key, np.inf, where=self._hopeless_rows(part))
            self.dlen[part] = np.isfinite(key).view(np.uint8).sum(axis=1, dtype=np.int64)
            order = np.argsort(key, axis=1)
            values = np.sort(key, axis=1)  # cheaper than gathering key by order
            tied = np.flatnonzero(
                ((values[:, 1:] == values[:, :-1]) & np.isfinite(values[:, 1:])).any(axis=1)
            )
            if tied.size:
                # Equal scores go by mentor rank: each mentor's dense score rank, with the
                # mentors laid out in rank order, sorted stably (a radix sort of small
                # integers), so that equal scores keep the mentor-rank order.
                runs = values[tied]
                small = np.int16 if m < 2**15 else np.int32
                dense = np.zeros(runs.shape, dtype=small)
                np.cumsum(runs[:, 1:] != runs[:, :-1], axis=1, out=dense[:, 1:])
                by_column = np.empty_like(dense)
                np.put_along_axis(by_column, order[tied], dense, axis=1)
                in_rank_order = by_column[:, self.by_rank]
                order[tied] = self.by_rank[np.argsort(in_rank_order, axis=1, kind="stable")]
            self.order[part] = order.astype(self.order.dtype)  # cast first: much faster
        self.deep[rows] = True
        self.pos[rows] = 0
        self.order_flat = self.order.reshape(-1)

    def _hopeless_rows(self, rows: Any) -> Any:
        """Whether each mentee of ``rows`` fails each mentor's threshold (a boolean matrix)."""
        np = self.np
        mval = self.ms[rows]
        out = mval <= self.thr_val  # NaN (a forbidden pair) is excluded by its key already
        tied = mval == self.thr_val
        if tied.any():  # equal scores: the seeded mentee rank decides
            r, c = np.nonzero(tied)
            out[r, c] = self.rank[rows[r]] >= self.thr_rank[c]
        return out

    def _beats_flat(self, mval: Any, rows: Any, cols: Any) -> Any:
        """Whether mentee ``rows[r]`` (mentor score ``mval[r, c]``) beats ``cols[r, c]``."""
        thr = self.thr_val.take(cols)
        ok = mval > thr
        tied = mval == thr
        if tied.any():  # equal scores: the seeded mentee rank decides
            r, c = self.np.nonzero(tied)
            ok[r, c] = self.rank[rows[r]] < self.thr_rank[cols[r, c]]
        return ok

    def propose(self, rows: Any) -> tuple[Any, Any]:
        """Each of ``rows``' next proposal; rows with none left drop out."""
        np = self.np
        found_i, found_j = [], []
        block = rows[~self.deep[rows]]
        while block.size:
            cand = self.top[block]
            at = np.arange(cand.shape[1])
            ok = (at >= self.pos[block, None]) & (at < self.blen[block, None])
            ok &= self._beats_flat(
                self.ms_flat.take((block * self.s.shape[1])[:, None] + cand), block, cand
            )
            first = ok.argmax(axis=1)
            hit = ok[np.arange(block.size), first]
            found_i.append(block[hit])
            found_j.append(cand[hit, first[hit]])
            self.pos[block[hit]] = first[hit] + 1
            # The rest of these blocks is hopeless: on to the next beatable mentors.
            block = self._next_blocks(block[~hit])
        todo = rows[self.deep[rows]]
        width = _WINDOW
        m = self.s.shape[1]
        order, ms = self.order_flat, self.ms_flat
        while todo.size:
            todo = todo[self.pos[todo] < self.dlen[todo]]
            if not todo.size:
                break
            # Flat indices and take(): much cheaper than 2-D fancy indexing.
            at = self.pos[todo, None] + np.arange(min(width, m))
            inside = at < self.dlen[todo, None]
            np.minimum(at, m - 1, out=at)
            base = (todo * m)[:, None]
            cand = order.take(base + at)
            ok = self._beats_flat(ms.take(base + cand), todo, cand)
            ok &= inside
            first = ok.argmax(axis=1)
            hit = ok[np.arange(todo.size), first]
            got = todo[hit]
            found_i.append(got)
            found_j.append(cand[hit, first[hit]].astype(np.int64))
            self.pos[got] = at[hit, first[hit]] + 1
            todo = todo[~hit]
            self.pos[todo] += width
            width *= 2
        if not found_i:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        return np.concatenate(found_i), np.concatenate(found_j)

    def accept(self, pi: Any, pj: Any) -> Any:
        """Each mentor keeps its best ``capacity`` of holders and proposers; the rejected."""
        np = self.np
        if not pi.size:
            return pi
        assignment = self.assignment
        touched = np.zeros(self.cap.size, dtype=bool)
        touched[pj] = True
        holders = np.flatnonzero(assignment >= 0)
        holders = holders[touched[assignment[holders]]]
        ci = np.concatenate([holders, pi])
        cj = np.concatenate([assignment[holders], pj])
        mval = self.ms[ci, cj]
        # By mentor, then the mentor's score (descending), then the seeded mentee rank.
        order = _by_mentor_then_preference(np, cj, mval, self.rank[ci])
        sj, si, sv = cj[order], ci[order], mval[order]
        starts = np.flatnonzero(np.r_[True, sj[1:] != sj[:-1]])
        sizes = np.diff(np.r_[starts, sj.size])
        place = np.arange(sj.size) - np.repeat(starts, sizes)
        keep = place < self.cap[sj]
        assignment[si[keep]] = sj[keep]
        rejected = si[~keep]
        assignment[rejected] = -1
        heads = sj[starts]
        full = sizes >= self.cap[heads]
        worst = starts[full] + self.cap[heads[full]] - 1
        self.thr_val[heads[full]] = sv[worst]
        self.thr_rank[heads[full]] = self.rank[si[worst]]
        return rejected

    def finish_one_by_one(self, free: Any) -> None:
        """Deferred acceptance from the current state, one proposal at a time (min-heaps)."""
        np = self.np
        held_rows = np.flatnonzero(self.assignment >= 0)
        held_cols = self.assignment[held_rows]
        values = self.ms[held_rows, held_cols].tolist()
        ranks: list[int] = self.rank.tolist()
        heaps: dict[int, list[tuple[float, int, int]]] = {}
        for i, j, value in zip(held_rows.tolist(), held_cols.tolist(), values, strict=True):
            heaps.setdefault(j, []).append((value, -ranks[i], i))
        for heap in heaps.values():
            heapq.heapify(heap)
        capacity: list[int] = self.cap.tolist()
        thr_val: list[float] = self.thr_val.tolist()
        thr_rank: list[int] = self.thr_rank.tolist()
        queue: list[int] = free.tolist()
        queue.reverse()
        while queue:
            i = queue.pop()
            found = self._propose_one(i, ranks[i], thr_val, thr_rank)
            if found is None:
                continue
            j, value = found
            heap = heaps.setdefault(j, [])
            key = (value, -ranks[i], i)
            self.assignment[i] = j
            if len(heap) < capacity[j]:
                heapq.heappush(heap, key)
            else:  # the proposal beats the threshold, so the worst holder goes
                _, _, loser = heapq.heapreplace(heap, key)
                self.assignment[loser] = -1
                queue.append(loser)
            if len(heap) == capacity[j]:
                # Kept in step with the arrays too: a mentee's next block is built from them.
                thr_val[j] = self.thr_val[j] = heap[0][0]
                thr_rank[j] = self.thr_rank[j] = -heap[0][1]

    def _propose_one(
        self, i: int, rank: int, thr_val: list[float], thr_rank: list[int]
    ) -> tuple[int, float] | None:
        """Mentee ``i``'s next proposal, in plain Python: (mentor, its score of ``i``)."""
        np = self.np
        ms_row = self.ms[i]
        while True:
            at = int(self.pos[i])
            deep = bool(self.deep[i])
            limit = int(self.dlen[i] if deep else self.blen[i])
            if at >= limit:
                if deep:
                    return None
                # The rest of the block is hopeless: on to the next beatable mentors.
                if not self._next_blocks(np.asarray([i])).size and not self.deep[i]:
                    return None
                continue
            stop = min(limit, at + _WINDOW)
            cand = (self.order if deep else self.top)[i, at:stop]
            for k, (j, value) in enumerate(zip(cand.tolist(), ms_row[cand].tolist(), strict=True)):
                threshold = thr_val[j]
                if value > threshold or (value == threshold and rank < thr_rank[j]):
                    self.pos[i] = at + k + 1
                    return j, value
            self.pos[i] = stop


def _by_mentor_then_preference(np: Any, cols: Any, values: Any, ranks: Any) -> Any:
    """The order of entries by column, then value (highest first), then rank (lowest first).

    ``np.lexsort`` of the three keys, in two cheaper sorts: by value (the rank settles
    equal values, which are rare), then a stable radix sort by column.
    """
    by_value = np.argsort(-values, kind="stable")
    sorted_values = values[by_value]
    if sorted_values.size > 1 and bool((sorted_values[1:] == sorted_values[:-1]).any()):
        by_value = np.lexsort((ranks, -values))
    small = np.int16 if cols.size and int(cols.max()) < 2**15 else np.int64
    return by_value[np.argsort(cols[by_value].astype(small), kind="stable")]
