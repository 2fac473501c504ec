"""Genealogy metrics for every person at once, from one sweep over the mentorships in time.

The definitions (see ``docs/explanation/genealogy-metrics.md``):

* A *chain* is a sequence of distinct mentorships ``m1, m2, ...`` where ``m[k+1].mentor_id ==
  m[k].mentee_id`` and ``m[k+1].start >= m[k].start``. A chain *starts at* the mentor of ``m1``.
* The *descendants* of ``p`` are the people other than ``p`` that some chain starting at ``p``
  reaches (the mentee of its last mentorship). The *ancestors* of ``p`` are the people other
  than ``p`` from whom a chain reaches ``p``.

How it is computed: the descendants of everybody are computed together by sweeping the
mentorships from the latest start to the earliest. Before the mentorships starting on day
``t`` are processed, ``R[x]`` holds the people reachable from ``x`` by chains whose first
mentorship starts after ``t``; a mentorship ``x -> y`` starting on ``t`` then adds ``y`` and
``R[y]`` to ``R[x]``. Mentorships that start on the same day can follow one another, so a day's
mentorships are taken mentee-side first (strongly connected components of that day's edges in
reverse topological order; a component with a cycle shares one reachable set). Sets are Python
sets while lineages are sparse (ints used as bitsets when dense, so a union is one big-int
``|``). Longest chains ride along (one integer per person). Ancestors: ``x`` is an ancestor of
``p`` exactly when ``p`` is in ``R[x]``, so counting the members of every ``R[x]`` gives them all
(with bitsets, the same sweep over the reversed edges, earliest day first, instead).
"""

from __future__ import annotations

import bisect
import html
import itertools
import math
import operator
from collections import Counter, defaultdict, deque
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from mentorkit._gc import paused
from mentorkit.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    import pandas as pd

    from mentorkit.model import Mentorship

__all__ = ["GenealogyMetrics", "MetricsTable", "compute_metrics", "compute_sorted"]

#: The metric names a [`MetricsTable`][mentorkit.graph.MetricsTable] can be ranked by.
MetricName = Literal[
    "fecundity",
    "fertility",
    "descendants",
    "depth",
    "relationships",
    "cousins",
    "genealogical_index",
    "mentors",
    "ancestors",
    "ancestor_depth",
    "students_reached",
    "reach",
]


@attrs.frozen(kw_only=True)
class GenealogyMetrics:
    """The genealogy metrics of one person; every count is time-respecting.

    Attributes:
        person_id: Whose metrics these are.
        fecundity: Distinct mentees (people this person mentored, at any time).
        fertility: Distinct mentees who mentored someone in a mentorship that started on or
            after the start of their mentorship with this person (chains of two).
        descendants: People reached by the chains starting at this person.
        depth: Mentorships in the longest chain starting at this person (0 if none).
        relationships: Mentorships lying on at least one chain starting at this person (the
            edges of the person's time-respecting genealogy).
        cousins: People ``c`` (not this person) with a shared grand-mentor ``g`` through two
            different mentees of ``g``: chains ``g -> a -> self`` and ``g -> b -> c``, ``a != b``.
        genealogical_index: The largest ``g`` such that ``g`` of this person's mentees each
            mentored at least ``g`` people on or after the start of their mentorship with this
            person (Rossi et al. 2018, made time-respecting).
        mentors: Distinct mentors (the mirror of fecundity).
        ancestors: People from whom a chain reaches this person (the mirror of descendants).
        ancestor_depth: Mentorships in the longest chain ending at this person.
        students_reached: This person's own ``students_reached`` outcomes, summed.
        reach: ``students_reached`` summed over this person and the descendants, each person
            counted once however many chains reach them.
    """

    person_id: str
    fecundity: int = 0
    fertility: int = 0
    descendants: int = 0
    depth: int = 0
    relationships: int = 0
    cousins: int = 0
    genealogical_index: int = 0
    mentors: int = 0
    ancestors: int = 0
    ancestor_depth: int = 0
    students_reached: float = 0.0
    reach: float = 0.0


_FIELDS: tuple[str, ...] = tuple(a.name for a in attrs.fields(GenealogyMetrics))
_NUMERIC: frozenset[str] = frozenset(_FIELDS[1:])


class _NoPersonError(NotFoundError, KeyError):
    """A ``NotFoundError`` that is also the ``KeyError`` ``Mapping.get`` and ``in`` expect."""

    def __str__(self) -> str:
        return Exception.__str__(self)


class MetricsTable(Mapping[str, GenealogyMetrics]):
    """Genealogy metrics by person id: a read-only mapping with notebook helpers.

    ``table["nobody"]`` raises ``NotFoundError`` (a ``KeyError`` too, so ``in`` and ``get``
    work as for any mapping).

    Examples:
        >>> import datetime as dt
        >>> from mentorkit.model import Mentorship
        >>> from mentorkit.graph import MentorshipGraph
        >>> g = MentorshipGraph.from_mentorships([
        ...     Mentorship(id="m1", mentor_id="ana", mentee_id="ben", start=dt.date(2021, 9, 1)),
        ...     Mentorship(id="m2", mentor_id="ben", mentee_id="cy", start=dt.date(2022, 9, 1)),
        ... ])
        >>> table = g.metrics()
        >>> table["ana"].descendants, table["ana"].depth, table["ana"].fertility
        (2, 2, 1)
        >>> " > ".join(m.person_id for m in table.top(2, by="descendants"))
        'ana > ben'
    """

    def __init__(self, rows: Mapping[str, GenealogyMetrics]) -> None:
        self._rows = dict(rows)

    def __getitem__(self, person_id: str) -> GenealogyMetrics:
        try:
            return self._rows[person_id]
        except (KeyError, TypeError):  # TypeError: an unhashable key
            raise _NoPersonError(f"person_id: no person {person_id!r} in the graph") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        return f"<MetricsTable of {len(self)} people>"

    def top(self, n: int = 10, *, by: MetricName = "reach") -> list[GenealogyMetrics]:
        """The ``n`` people with the highest value of one metric (ties by person id).

        Args:
            n: How many rows to return.
            by: The metric to rank by.

        Returns:
            Up to ``n`` records, highest first.

        Raises:
            ValidationError: ``by`` is not a metric name.
        """
        if by not in _NUMERIC:
            raise ValidationError(f"must be one of {sorted(_NUMERIC)}", field="by", value=by)
        rows = sorted(self._rows.values(), key=lambda r: (-getattr(r, by), r.person_id))
        return rows[: max(n, 0)]

    def to_pandas(self) -> pd.DataFrame:
        """The table as a `pandas.DataFrame` indexed by person id (extra ``notebook``)."""
        from mentorkit.graph._export import require

        pandas = require("pandas")
        rows = [attrs.astuple(r) for r in self._rows.values()]
        frame: pd.DataFrame = pandas.DataFrame(rows, columns=list(_FIELDS))
        return frame.set_index("person_id")

    def _repr_html_(self) -> str:
        return html_table(self.top(10, by="reach"), caption=f"Genealogy metrics of {len(self)} "
                          "people (top 10 by reach)")  # fmt: skip


def html_table(
    rows: Sequence[GenealogyMetrics], *, caption: str, names: Mapping[str, str] | None = None
) -> str:
    """An HTML table of metric records (escaped; used by the notebook reprs).

    With ``names`` (person id -> name), a ``name`` column follows the person id.
    """
    fields = (_FIELDS[0], "name", *_FIELDS[1:]) if names is not None else _FIELDS

    def cell(r: GenealogyMetrics, f: str) -> str:
        value = (names or {}).get(r.person_id, "") if f == "name" else getattr(r, f)
        return f"<td>{html.escape(_fmt(value))}</td>"

    head = "".join(f"<th>{html.escape(f)}</th>" for f in fields)
    body = "".join("<tr>" + "".join(cell(r, f) for f in fields) + "</tr>" for r in rows)
    return (
        f"<table><caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    return str(value)


# --- the sweep ---------------------------------------------------------------------------

_Arc = tuple[int, int, int]  # (source index, target index, edge index)


def _components_sinks_first(arcs: Sequence[_Arc]) -> list[list[int]]:
    """Strongly connected components of one day's arcs, each after those it reaches.

    Tarjan's algorithm over the integer ids, iteratively (no recursion limit, no networkx
    graph to build): it emits every component after all the components it reaches.
    """
    out: dict[int, list[int]] = defaultdict(list)
    for s, d, _ in arcs:
        out[s].append(d)
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    comps: list[list[int]] = []
    no_arcs: list[int] = []
    for root in list(out):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(out[root]))]
        while work:
            node, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(out.get(w, no_arcs))))
                    break
                if w in on_stack and index[w] < low[node]:
                    low[node] = index[w]
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                if low[node] == index[node]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == node:
                            break
                    comp.sort()
                    comps.append(comp)
    return comps


#: A day's plan: its arcs in an order the sweep can take one by one (each mentee's own
#: mentorships of the day before theirs as mentees), or, when the day's mentorships form a
#: cycle, its strongly connected components (sinks first) as well.
_Plan = tuple[list[_Arc], list[list[int]] | None]


def _plan_day(arcs: list[_Arc], mentors: Sequence[int], mentees: Sequence[int]) -> _Plan:
    """How the sweep takes one day's arcs: as given, in topological order, or by components.

    ``mentors`` and ``mentees`` are the arcs' two ends, in order. A day with no chain inside
    it (nobody both mentored and mentors that day) is taken as given. Otherwise only the
    people in the middle, both mentored and mentoring that day, need ordering: they are put
    in topological order over the integer ids (Kahn's algorithm on the arcs between them;
    every cycle of the day lies among them). When everybody finds a place (no cycle), the
    arcs are listed by mentor, mentee-side first, then the arcs of the day's first mentors,
    and the sweep takes them one by one, as on any other day. Only a day with a cycle gets
    its strongly connected components, computed once and shared by every sweep over the day.
    """
    middle = set(mentors)
    middle.intersection_update(mentees)
    if not middle:
        return arcs, None
    inside = middle.__contains__
    both = list(map(operator.and_, map(inside, mentors), map(inside, mentees)))
    sub_s = list(itertools.compress(mentors, both))
    sub_d = list(itertools.compress(mentees, both))
    follow: dict[int, list[int]] = defaultdict(list)
    for x, y in zip(sub_s, sub_d, strict=True):
        follow[x].append(y)
    waiting = Counter(sub_d)
    order = [x for x in middle if x not in waiting]
    for x in order:  # grows while it is read
        for y in follow.get(x, ()):
            left = waiting[y] - 1
            waiting[y] = left
            if not left:
                order.append(y)
    if len(order) != len(middle):
        return arcs, _components_sinks_first(arcs)
    rank = dict(zip(reversed(order), itertools.count()))
    keys = list(map(rank.get, mentors, itertools.repeat(len(order))))
    return list(map(arcs.__getitem__, sorted(range(len(arcs)), key=keys.__getitem__))), None


#: How many steps the exact longest-chain search of one same-day cycle may take.
TRAIL_SEARCH_BUDGET = 200_000


def _longest_trails(
    comp: set[int], inner: Sequence[_Arc], exit_value: Mapping[int, int]
) -> dict[int, int]:
    """Longest chain from each member of a cyclic same-day component.

    Chains may not repeat a mentorship; inside a component whose mentorships all start on the
    same day that is the only bound, so the search enumerates trails: exact, and quick for
    the small cycles real programs have. Longest trails are NP-hard in general, though, and a
    peer circle of a dozen people has billions of them. Two things keep the work and the
    memory bounded:

    * A *balanced* component (each member mentors as often as they are mentored that day, as
      in a full peer circle) has a closed chain through all its ``E`` mentorships from every
      member ``x`` (an Euler circuit). A chain from ``x`` ending at another member ``y`` leaves
      out at least one mentorship, and leaving out just an arc ``y -> x`` is possible (an
      Euler trail of the rest). So the answer is at least ``E + out[x]`` and
      ``E - 1 + out[y]`` for every ``y`` mentoring ``x``, and at most the larger of
      ``E + out[x]`` and ``E - 1 + out[y]`` for any other ``y`` (``out``: the best way out of
      a member). When the two agree for everybody (a full peer circle, whatever its ways
      out) the answer is exact without any search.
    * Otherwise a depth-first search marks the mentorships in use in one shared array (memory
      linear in the component's mentorships, whatever the number of trails), stops early for
      a member once it reaches that member's upper bound, and takes at most
      :data:`TRAIL_SEARCH_BUDGET` steps in all. Members searched in full get their exact
      value; past the budget the others get their upper bound (for an unbalanced component:
      every mentorship of the component once, then the best way out of any member).
    """
    members = sorted(comp)
    edges = len(inner)
    bound = edges + max(exit_value[x] for x in members)
    cap = dict.fromkeys(members, bound)
    out_deg: Counter[int] = Counter(s for s, _, _ in inner)
    in_deg: Counter[int] = Counter(d for _, d, _ in inner)
    if out_deg == in_deg:
        # From x: the whole circuit then x's way out, or a trail ending elsewhere, at y, which
        # leaves out at least one mentorship; every mentorship but one arc y -> x is such a
        # trail (an Euler trail of the rest, which stays connected).
        into: dict[int, set[int]] = defaultdict(set)
        for s, d, _ in inner:
            into[d].add(s)
        ranked = sorted(members, key=exit_value.__getitem__, reverse=True)
        exact = True
        for x in members:
            best_elsewhere = next((exit_value[y] for y in ranked if y != x), 0)
            upper = max(edges + exit_value[x], edges - 1 + best_elsewhere)
            lower = max(
                edges + exit_value[x],
                max((edges - 1 + exit_value[y] for y in into[x] if y != x), default=0),
            )
            cap[x] = upper
            exact = exact and lower == upper
        if exact:
            return cap
    local = {e: k for k, (_, _, e) in enumerate(inner)}
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for s, d, e in inner:
        out[s].append((d, local[e]))
    used = bytearray(len(inner))
    best = dict(cap)
    steps = 0
    no_arcs: list[tuple[int, int]] = []
    for start in members:
        top = exit_value[start]
        # The trail so far: per step, the arc taken into it and the iterator of what follows.
        path: list[int] = []
        work = [iter(out.get(start, no_arcs))]
        complete = True
        while work:
            for d, k in work[-1]:
                if used[k]:
                    continue
                steps += 1
                if steps > TRAIL_SEARCH_BUDGET:
                    complete = False
                    break
                used[k] = 1
                path.append(k)
                length = len(path) + exit_value[d]
                if length > top:
                    top = length
                work.append(iter(out.get(d, no_arcs)))
                break
            else:
                work.pop()
                if path:
                    used[path.pop()] = 0
                continue
            if not complete or top == cap[start]:
                break
        if not complete:
            return best
        best[start] = top
        for k in path:  # the search stopped early, at the bound: clear its marks
            used[k] = 0
    return best


class _TooDenseError(Exception):
    """The set representation did more work than the budget: switch to bitsets."""


class _Sets:
    """Reachable sets as Python sets: fast and small while lineages are sparse."""

    dense = False

    @staticmethod
    def empty() -> Any:
        return set()

    @staticmethod
    def unit(i: int) -> Any:
        return {i}

    @staticmethod
    def copy(x: Any) -> Any:
        return set(x)

    @staticmethod
    def count(x: Any) -> int:
        return len(x)

    @staticmethod
    def has(x: Any, i: int) -> bool:
        return i in x


class _Bits:
    """Reachable sets as Python ints used as bitsets: one ``|`` per union, however dense."""

    dense = True

    @staticmethod
    def empty() -> Any:
        return 0

    @staticmethod
    def unit(i: int) -> Any:
        return 1 << i

    @staticmethod
    def copy(x: Any) -> Any:
        return x

    @staticmethod
    def count(x: Any) -> int:
        return int(x).bit_count()

    @staticmethod
    def has(x: Any, i: int) -> bool:
        return bool((x >> i) & 1)


_Algebra = type[_Sets] | type[_Bits]


def _sweep(
    n: int,
    plans: Sequence[_Plan],
    alg: _Algebra,
    *,
    edge_sets: bool,
    budget: int | None = None,
    weights: Sequence[int] | None = None,
    settle: _Settled | None = None,
) -> tuple[list[Any], list[int], list[Any], list[int | None]]:
    """Reachable sets, longest chains and (optionally) chain edge sets, for every node.

    ``plans`` lists the arcs grouped by start day in sweep order (latest day first for
    descendants), each day as :func:`_plan_day` planned it. Returns ``(R, L, E)``: ``R[x]``
    the nodes reachable from ``x`` (``x`` itself included when a chain returns to it),
    ``L[x]`` the longest chain, ``E[x]`` the edges lying on chains from ``x`` (empty unless
    ``edge_sets``). With sets, ``budget``
    bounds the elements copied by unions; past it :class:`_TooDenseError` is raised.

    With sets, edge sets and integer ``weights``, also returns ``S``: ``S[x]`` the sum of
    the weights of ``R[x]``, kept up to date while every union merely adds new members
    (the sizes tell: ``len`` is O(1)), ``None`` once a union overlapped (then the caller
    sums the set). Lineages are mostly trees, so most sums come for free.

    With ``settle`` (sets only), the people whose sets can no longer change are counted
    after each day and their sets dropped (see :class:`_Settled`): what the sweep returns
    for them is ``None``.
    """
    unit = alg.unit
    dense = alg.dense
    reach = [alg.empty() for _ in range(n)]
    longest = [0] * n
    edges = [alg.empty() for _ in range(n)]
    sums: list[int | None] = [0] * n if weights is not None and not dense and edge_sets else []
    work = 0
    for day, (arcs, components) in enumerate(plans):
        if settle is not None and day:
            settle.take(day - 1, reach, edges, sums)
        if components is None:
            # No mentorship of the day follows another of the same day, or the day's arcs
            # come mentee-side first: taken one by one.
            # The loops are written out per representation: this is the hot path.
            if dense:
                for s, d, e in arcs:
                    reach[s] |= reach[d] | (1 << d)
                    if longest[d] >= longest[s]:
                        longest[s] = longest[d] + 1
                    if edge_sets:
                        edges[s] |= edges[d] | (1 << e)
                continue
            # Sets are updated in place (one object per person). Most mentees reach nobody
            # yet (then they have no chain edges and no chain either): a cheap test skips
            # the unions.
            if sums:
                assert weights is not None
                for s, d, e in arcs:
                    rs = reach[s]
                    es = edges[s]
                    before = len(rs)
                    rd = reach[d]
                    if rd:
                        # Unions first: into a still empty set (a person's latest
                        # mentorship) CPython copies the table without comparing keys.
                        ed = edges[d]
                        rs |= rd
                        es |= ed
                        rs.add(d)
                        es.add(e)
                        work += len(rd) + len(ed)
                        if longest[d] >= longest[s]:
                            longest[s] = longest[d] + 1
                        total = sums[s]
                        below = sums[d]
                        if total is not None:
                            # All of d and R[d] new to R[s] (d is not in R[d]): a plain sum.
                            if below is not None and len(rs) == before + 1 + len(rd):
                                sums[s] = total + below + weights[d]
                            else:
                                sums[s] = None
                    else:
                        rs.add(d)
                        es.add(e)
                        if not longest[s]:
                            longest[s] = 1
                        if len(rs) != before:
                            total = sums[s]
                            if total is not None:
                                sums[s] = total + weights[d]
            elif edge_sets:
                for s, d, e in arcs:
                    rd = reach[d]
                    if rd:
                        ed = edges[d]
                        reach[s] |= rd
                        edges[s] |= ed
                        work += len(rd) + len(ed)
                        if longest[d] >= longest[s]:
                            longest[s] = longest[d] + 1
                    elif not longest[s]:
                        longest[s] = 1
                    reach[s].add(d)
                    edges[s].add(e)
            else:
                for s, d, _ in arcs:
                    rd = reach[d]
                    if rd:
                        reach[s] |= rd
                        work += len(rd)
                        if longest[d] >= longest[s]:
                            longest[s] = longest[d] + 1
                    elif not longest[s]:
                        longest[s] = 1
                    reach[s].add(d)
            if budget is not None and work > budget:
                raise _TooDenseError
            continue
        out: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for s, d, e in arcs:
            out[s].append((d, e))
            if sums:
                sums[s] = None  # same-day chains: the caller sums these sets
        for members in components:
            if len(members) == 1:
                x = members[0]
                for d, e in out.get(x, ()):
                    rx = reach[x]
                    rx |= reach[d]
                    rx |= unit(d)
                    reach[x] = rx
                    if longest[d] >= longest[x]:
                        longest[x] = longest[d] + 1
                    if edge_sets:
                        ex = edges[x]
                        ex |= edges[d]
                        ex |= unit(e)
                        edges[x] = ex
                continue
            comp = set(members)
            r = alg.empty()
            es = alg.empty()
            exit_value: dict[int, int] = {}
            inner: list[_Arc] = []
            for x in members:
                r |= reach[x]
                r |= unit(x)
                es |= edges[x]
                value = longest[x]
                for d, e in out.get(x, ()):
                    es |= unit(e)
                    if d in comp:
                        inner.append((x, d, e))
                    else:
                        r |= reach[d]
                        r |= unit(d)
                        es |= edges[d]
                        value = max(value, longest[d] + 1)
                exit_value[x] = value
            if budget is not None:
                # Every member gets its own copy: a large same-day cycle is dense work.
                work += len(members) * (alg.count(r) + alg.count(es))
                if work > budget:
                    raise _TooDenseError
            best = _longest_trails(comp, inner, exit_value)
            for x in members:
                reach[x] = alg.copy(r)  # one set object per person: unions update in place
                longest[x] = best[x]
                if edge_sets:
                    edges[x] = alg.copy(es)
    if settle is not None and plans:
        settle.take(len(plans) - 1, reach, edges, sums)
    return reach, longest, edges, sums


class _Settled:
    """What the metrics need of the reachable and chain-edge sets, taken as they settle.

    The sweep takes the days latest first, and a person's sets change only on the days they
    appear (as mentor: unions into them; as mentee: unions out of them), so once the sweep
    has passed the first day a person appears, their sets are final and read by nobody
    again. People are numbered latest appearance first, so after each day the settled ones
    are the next block of indices, ``bounds[day]``. Each block is counted (sizes, whether the
    person reaches themself, the weighted sum below them, everybody's ancestors) and its sets
    dropped: the sets alive at once are only those of the people still to be swept past,
    which keeps the memory (and the cache misses) of a large district down.
    """

    def __init__(
        self, n: int, bounds: Sequence[int], weights: Sequence[float],
        int_weights: Sequence[int] | None,
    ) -> None:  # fmt: skip
        self.bounds = bounds
        self.weights = weights
        self.int_weights = int_weights
        self.done = 0
        self.counted: Counter[int] = Counter()
        self.sizes = [0] * n
        self.edge_counts = [0] * n
        self.loops = [False] * n
        self.below = [0.0] * n

    def take(self, day: int, reach: list[Any], edges: list[Any], sums: list[int | None]) -> None:
        lo, hi = self.done, self.bounds[day]
        if hi <= lo:
            return
        self.done = hi
        block = reach[lo:hi]
        self.counted.update(itertools.chain.from_iterable(block))
        self.sizes[lo:hi] = map(len, block)
        self.edge_counts[lo:hi] = map(len, edges[lo:hi])
        loops = list(map(operator.contains, block, range(lo, hi)))
        self.loops[lo:hi] = loops
        ints = self.int_weights
        for i in itertools.compress(range(lo, hi), block):
            known = sums[i] if sums else None
            if known is not None:
                self.below[i] = float(known)
            elif ints is not None:
                self.below[i] = float(sum(map(ints.__getitem__, reach[i])))
            else:
                self.below[i] = math.fsum(map(self.weights.__getitem__, reach[i]))
        none = itertools.repeat(None, hi - lo)
        reach[lo:hi] = none
        edges[lo:hi] = itertools.repeat(None, hi - lo)


def _bit_planes(weights: Sequence[float]) -> list[int] | None:
    """Bit planes of integer weights (plane k: the people whose weight has bit k set)."""
    if not all(w.is_integer() for w in weights):
        return None
    top = int(max(weights, default=0.0))
    planes = [0] * top.bit_length()
    for i, w in enumerate(weights):
        iw = int(w)
        k = 0
        while iw:
            if iw & 1:
                planes[k] |= 1 << i
            iw >>= 1
            k += 1
    return planes


def _weighted_sum(members: Any, weights: Sequence[float], planes: Sequence[int] | None) -> float:
    """The sum of ``weights[i]`` over the members ``i`` of a set or bitset (exactly rounded)."""
    if not isinstance(members, int):
        return math.fsum(map(weights.__getitem__, members))
    if planes is not None:
        # Integer weights: sum bit plane by bit plane, one AND and popcount per plane.
        return float(sum((members & plane).bit_count() << k for k, plane in enumerate(planes)))
    parts = []
    while members:
        low = members & -members
        parts.append(weights[low.bit_length() - 1])
        members ^= low
    return math.fsum(parts)


def _g_index(counts: Sequence[int]) -> int:
    g = 0
    for rank, count in enumerate(sorted(counts, reverse=True), start=1):
        if count >= rank:
            g = rank
        else:
            break
    return g


def compute_metrics(
    people: Sequence[str],
    mentorships: Sequence[Mentorship],
    students_reached: Mapping[str, float],
    *,
    representation: Literal["auto", "sets", "bits"] = "auto",
    appearance: tuple[Mapping[str, int], Sequence[int]] | None = None,
) -> dict[str, GenealogyMetrics]:
    """Every genealogy metric for every person, in two sweeps over the mentorships.

    Args:
        people: Every person id to report (those in mentorships are added if missing).
        mentorships: The edges of the graph.
        students_reached: Each person's own ``students_reached`` total.
        representation: How reachable sets are held: Python ``sets`` (fast and small while
            lineages are sparse, as in real programs), ``bits`` (ints as bitsets: bounded
            cost per union however dense), or ``auto``: sets, switching to bitsets when the
            unions have copied more than about ``n / 256`` elements per mentorship.
        appearance: For mentorships sorted by start (as the graph holds them), what the
            graph computed while building: each person's position of first appearance among
            the ends ``mentor, mentee, mentor, ...`` of the mentorships, and that position for
            every end. Saves looking every id up again.

    Returns:
        One record per person id.
    """
    # Hundreds of thousands of small sets and tuples, none of them in a reference cycle: the
    # cyclic garbage collector would rescan them again and again for nothing.
    starts = list(map(_START, mentorships))
    if not all(map(operator.le, starts, itertools.islice(starts, 1, None))):
        mentorships = sorted(mentorships, key=_START)
        starts = list(map(_START, mentorships))
        appearance = None
    if appearance is None:
        found: dict[str, int] = {}
        ends = itertools.chain.from_iterable(map(_ENDS, mentorships))
        appearance = (found, list(map(found.setdefault, ends, itertools.count())))
    with paused():
        return _compute(people, starts, students_reached, representation, appearance)


def compute_sorted(
    people: Sequence[str],
    starts: Sequence[Any],
    students_reached: Mapping[str, float],
    appearance: tuple[Mapping[str, int], Sequence[int]],
) -> dict[str, GenealogyMetrics]:
    """:func:`compute_metrics` from columns: what the graph holds, no entities needed.

    ``starts`` are the mentorships' start days in order (sorted); ``appearance`` as for
    :func:`compute_metrics`, for the mentorships in that order.
    """
    with paused():
        return _compute(people, starts, students_reached, "auto", appearance)


def _longest_chains(n: int, plans: Sequence[_Plan], *, backwards: bool = False) -> list[int]:
    """The longest chains of :func:`_sweep` alone: no reachable sets, one integer per node.

    With ``backwards``, the days are taken in reverse and every arc ``(s, d, e)`` as
    ``(d, s, e)`` (the reversed edges): each day's arcs in reverse order (mentor-side first),
    each day's components in reverse order (sources first), as the plans were made for the
    forward sweep.
    """
    longest = [0] * n
    for arcs, components in reversed(plans) if backwards else plans:
        if components is None:
            if backwards:
                for d, s, _ in reversed(arcs):
                    if longest[d] >= longest[s]:
                        longest[s] = longest[d] + 1
            else:
                for s, d, _ in arcs:
                    if longest[d] >= longest[s]:
                        longest[s] = longest[d] + 1
            continue
        if backwards:
            arcs = [(d, s, e) for s, d, e in arcs]
            components = components[::-1]
        out: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for s, d, e in arcs:
            out[s].append((d, e))
        for members in components:
            if len(members) == 1:
                x = members[0]
                for d, _ in out.get(x, ()):
                    if longest[d] >= longest[x]:
                        longest[x] = longest[d] + 1
                continue
            comp = set(members)
            exit_value: dict[int, int] = {}
            inner: list[_Arc] = []
            for x in members:
                value = longest[x]
                for d, e in out.get(x, ()):
                    if d in comp:
                        inner.append((x, d, e))
                    else:
                        value = max(value, longest[d] + 1)
                exit_value[x] = value
            best = _longest_trails(comp, inner, exit_value)
            for x in members:
                longest[x] = best[x]
    return longest


def _records(columns: Sequence[Sequence[Any]], ids: Sequence[str]) -> list[GenealogyMetrics]:
    """One `GenealogyMetrics` per id, from the metric columns in field order.

    The records are filled slot by slot through the slots' descriptors (what attrs' own
    ``__init__`` does one call at a time, here one C-level ``map`` per field): a tenth of the
    cost of calling the constructor for every person. There are no validators or converters
    to skip; the test suite compares the records with constructed ones.
    """
    records = list(map(object.__new__, itertools.repeat(GenealogyMetrics, len(ids))))
    for name, column in zip(_FIELDS, (ids, *columns), strict=True):
        deque(map(_SLOTS[name].__set__, records, column), maxlen=0)
    return records


_SLOTS: dict[str, Any] = {name: GenealogyMetrics.__dict__[name] for name in _FIELDS}


_START = operator.attrgetter("start")
_ENDS = operator.attrgetter("mentor_id", "mentee_id")


def _compute(
    people: Sequence[str],
    starts: Sequence[Any],
    students_reached: Mapping[str, float],
    representation: str,
    appearance: tuple[Mapping[str, int], Sequence[int]],
) -> dict[str, GenealogyMetrics]:
    # Everything here works on integers: the days (sorted, so each day's mentorships are
    # consecutive) and each end's position of first appearance.
    total = len(starts)
    # People in order of first appearance, earliest day first (then everybody else). The
    # numbering changes no result, only how long bitsets get: as bitsets, descendants are
    # mostly people who appear late, so the down sweep gives them the low bits, and the up
    # sweep numbers people the other way round (index ``n - 1 - i``).
    # Each person id is looked up once: ``first`` maps it to the position of its first
    # appearance among the mentors and mentees (``codes``: that position, for every end).
    first, codes = appearance
    appearing = len(first)
    listed = dict.fromkeys(people)
    listed_codes = list(map(first.get, listed))
    n = appearing + listed_codes.count(None)
    top = n - 1
    # Index (late first) of each appearing person, by code; then the listed people who never
    # appear, after them in the early-first order.
    index_of = dict(zip(first.values(), range(top, top - appearing, -1), strict=True))
    unlisted = set(listed_codes)
    never = itertools.count(top - appearing, -1)
    ids = [*listed, *(p for p, c in first.items() if c not in unlisted)]
    idx = [
        *(never.__next__() if c is None else index_of[c] for c in listed_codes),
        *(index_of[c] for c in first.values() if c not in unlisted),
    ]
    src = list(map(index_of.__getitem__, itertools.islice(codes, 0, None, 2)))
    dst = list(map(index_of.__getitem__, itertools.islice(codes, 1, None, 2)))

    # Arcs ``(mentor, mentee, edge)`` grouped by day, latest day first. Edge numbers: the
    # latest mentorships get the lowest, so chain edge bitsets stay short. A day is *chained*
    # when one of its mentorships can follow another of the same day.
    cuts = [0, *itertools.compress(range(1, total), map(operator.ne, starts, starts[1:])), total]
    # Each day is planned once (its components, when it has a chain inside) for every sweep.
    down_days: list[list[_Arc]] = []
    plans: list[_Plan] = []
    for a, b in zip(cuts[-2::-1], cuts[:0:-1], strict=True):
        s_day, d_day = src[a:b], dst[a:b]
        arcs = list(zip(s_day, d_day, range(total - 1 - a, total - 1 - b, -1), strict=True))
        down_days.append(arcs)
        plans.append(_plan_day(arcs, s_day, d_day))

    weights = [0.0] * n
    if students_reached:
        where = dict(zip(ids, idx, strict=True))
        for pid, value in students_reached.items():
            i = where.get(pid)
            if i is not None:
                weights[i] = float(value)
    # Integer weights (the usual case: students are counted) are summed as ints: exact, like
    # ``math.fsum``, and several times faster; the sweep keeps most sums up to date.
    int_weights = (
        list(map(int, weights)) if all(map(float.is_integer, weights)) else None
    )  # fmt: skip

    alg: _Algebra = _Bits if representation == "bits" else _Sets
    budget = total * max(1, n // 256) if representation == "auto" else None
    reach: list[Any] = []
    settled: _Settled | None = None
    if alg is _Sets:
        # After the day a cut starts (plans are latest day first), everyone appearing on or
        # after it is settled: those numbered below n minus the people appearing before it.
        positions = list(first.values())  # increasing: first appearances, in order
        bounds = [n - bisect.bisect_left(positions, 2 * a) for a in cuts[-2::-1]]
        settled = _Settled(n, bounds, weights, int_weights)
        try:
            reach, longest, edge_sets, sums = _sweep(
                n, plans, alg, edge_sets=True, budget=budget,
                weights=int_weights, settle=settled,
            )  # fmt: skip
        except _TooDenseError:
            alg = _Bits
            settled = None
    if settled is not None:
        loops = settled.loops
        # Ancestors: x is an ancestor of p exactly when p is in R[x], so counting every
        # member of every reachable set (as the sets settle) gives everybody's ancestors at
        # once. The longest chains ending at each person take an integer-only sweep over
        # the reversed edges, earliest day first.
        members_of = map(settled.counted.get, range(n), itertools.repeat(0))
        n_ancestors = list(map(operator.sub, members_of, loops))
        ancestor_depth = _longest_chains(n, plans, backwards=True)
        n_descendants = list(map(operator.sub, settled.sizes, loops))
        n_edges = settled.edge_counts
    else:
        reach, longest, edge_sets, sums = _sweep(n, plans, alg, edge_sets=True)
        # The up sweep: reversed edges, earliest day first, people numbered earliest-first;
        # each day's arcs and components in reverse order (see _longest_chains).
        up_plans: list[_Plan] = [
            (
                [(top - d, top - s, e) for s, d, e in reversed(arcs)],
                None if comps is None else [[top - x for x in c] for c in reversed(comps)],
            )
            for arcs, comps in reversed(plans)
        ]
        up_reach, up_longest, _, _ = _sweep(n, up_plans, alg, edge_sets=False)
        loops = [(r >> i) & 1 for i, r in enumerate(reach)]
        n_ancestors = [r.bit_count() - ((r >> j) & 1) for j, r in enumerate(up_reach)][::-1]
        ancestor_depth = up_longest[::-1]
        n_descendants = [r.bit_count() - loop for r, loop in zip(reach, loops, strict=True)]
        n_edges = [r.bit_count() for r in edge_sets]

    # mentees_after[x]: mentees of x in mentorships starting on or after the day being swept.
    # grand[g][b]: b's mentees after g's (earliest) mentorship with b began: chains g -> b -> c.
    # Sets, whatever the representation above: these neighbourhoods are small, and wide
    # bitset snapshots of them would cost far more memory.
    # A snapshot is shared by every grand-mentor that takes it while ``mentees_after[b]`` is
    # unchanged (most people have no mentees: they all share one empty snapshot).
    # Dictionaries by person, holding only the people with mentees.
    mentees_after: defaultdict[int, set[int]] = defaultdict(set)
    grand: defaultdict[int, dict[int, frozenset[int]]] = defaultdict(dict)
    no_one: frozenset[int] = frozenset()
    snapshot: list[frozenset[int] | None] = [no_one] * n
    for arcs in down_days:
        for s, d, _ in arcs:
            mentees_after[s].add(d)
            snapshot[s] = None
        for s, d, _ in arcs:
            snap = snapshot[d]
            if snap is None:
                snap = snapshot[d] = frozenset(mentees_after[d])
            grand[s][d] = snap  # the earliest start wins: a superset

    # Cousins: c is reached by g -> b -> c and self by g -> a -> self with a != b. A chain
    # g -> a -> p exists exactly when p is in grand[g][a], so each grand-mentor g hands, to
    # everyone reached through a mentee a, the people reached through g's other mentees (one
    # shared set per branch); each person's cousins are then one union of what they got.
    # The same pass counts mentees (fecundity), fertile mentees and the genealogical index.
    # grand[g] has one key per distinct mentee of g: counting the keys gives the mentors.
    counted_mentors = Counter(itertools.chain.from_iterable(grand.values()))
    mentors = list(map(counted_mentors.get, range(n), itertools.repeat(0)))
    fecundity = [0] * n
    fertility = [0] * n
    g_index = [0] * n
    handed: defaultdict[int, list[set[int]]] = defaultdict(list)
    handed_of = handed.__getitem__
    repeat = itertools.repeat
    for g, branches in grand.items():
        if not branches:
            continue
        counts = list(map(len, branches.values()))
        fecundity[g] = len(counts)
        fertile = len(counts) - counts.count(0)
        fertility[g] = fertile
        if fertile:
            g_index[g] = 1 if fertile == 1 else _g_index(counts)
        if fertile < 2:
            continue  # one branch (at most) leads on: no cousins through g
        led_on = list(filter(None, branches.values()))
        everyone = set().union(*led_on)  # a fresh set per g, not changed after: shared
        if len(everyone) == sum(counts):
            # Nobody is reached through two mentees of g (the usual case): each branch
            # gets everyone outside it.
            for branch in led_on:
                deque(map(list.append, map(handed_of, branch), repeat(everyone - branch)),
                      maxlen=0)  # fmt: skip
            continue
        seen: set[int] = set()
        repeated: set[int] = set()
        for branch in led_on:
            repeated |= seen & branch
            seen |= branch
        for branch in led_on:
            only_here = branch - repeated
            others = everyone - only_here if only_here else everyone
            if not others:
                continue
            # handed[p].append(others) for every p in the branch, at C level.
            deque(map(list.append, map(handed_of, branch), repeat(others)), maxlen=0)
    n_cousins = [0] * n
    for p, got in handed.items():
        if not got:
            continue
        if len(got) == 1:
            cousins = got[0]
        else:
            # The largest set is copied whole (a table copy, no hashing); the rest inserted.
            got.sort(key=len)
            cousins = got[-1].union(*got[:-1])
        n_cousins[p] = len(cousins) - (p in cousins)

    planes = _bit_planes(weights) if alg.dense else None
    lineage_reach = weights[:]
    if settled is not None:
        for i in itertools.compress(range(n), n_descendants):
            below = settled.below[i]
            lineage_reach[i] = below if loops[i] else below + weights[i]
    for i in itertools.compress(range(n), n_descendants if settled is None else ()):
        known = sums[i] if sums else None
        down = reach[i]
        if known is not None:
            below = float(known)
        elif int_weights is not None and not alg.dense:
            below = float(sum(map(int_weights.__getitem__, down)))
        else:
            below = _weighted_sum(down, weights, planes)
        lineage_reach[i] = below if loops[i] else below + weights[i]

    columns = (
        fecundity, fertility, n_descendants, longest, n_edges, n_cousins, g_index, mentors,
        n_ancestors, ancestor_depth, weights, lineage_reach,
    )  # fmt: skip
    # The columns are by index: the records are made in that order (each person's id put at
    # their index), then listed in the order of ``ids``.
    id_at: list[Any] = [None] * n
    deque(map(id_at.__setitem__, idx, ids), maxlen=0)
    records = _records(columns, id_at)
    return dict(zip(ids, map(records.__getitem__, idx), strict=True))
