"""Benchmark: every metric of an academic genealogy whose mentorships all start on one day.

Goal (issue 14): on a genealogy the shape of a real academic one (9,686 people, 7,592
advisor-student edges), imported without start dates so that every mentorship starts on the
same day, every metric of every person is at least 2x faster (stretch: 3x) than a plain-Python
computation of the same definitions person by person (the way agmetrics computes them: a
search from each person), with identical values.

The baseline is written below (``per_node_metrics``): on one day a chain is any path, so each
person's descendants and ancestors are a graph search, depths a longest-path search (memoised
within the person's search, not shared between people), cousins a walk through the
grand-mentors. Both run in the same process, alternately, several
times; the ratios use the best time of each, so load from other processes cancels out.

The real genealogy is read from ``--real`` (a CSV file of ``advisor,student`` rows, a header
allowed) when that file exists; otherwise (and nothing is fetched) a graph of the same shape is
generated: 9,686 people, 7,592 edges, preferential attachment of students to earlier advisors,
a few students with two advisors.

Run:  python benchmarks/bench_genealogy.py                     (the generated genealogy)
      python benchmarks/bench_genealogy.py --real edges.csv    (the real one, if you have it)
      python benchmarks/bench_genealogy.py --people 300 --edges 240 --repeat 1   (smoke run)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

DAY = dt.date(2020, 1, 1)
FIELDS = (
    "fecundity", "fertility", "descendants", "depth", "relationships", "cousins",
    "genealogical_index", "mentors", "ancestors", "ancestor_depth", "students_reached", "reach",
)  # fmt: skip


def generated(people: int, edges: int, seed: int = 14) -> list[tuple[str, str]]:
    """Advisor-student pairs shaped like an academic genealogy (acyclic: advisors come first).

    Everybody is in some pair. People are numbered in order of their doctorate; the ones who
    are nobody's student (the roots) each advise somebody later. About 4 % of the pairs give a
    student a second advisor. Advisors are drawn by preferential attachment (weight 1 + their
    students so far) among the recent graduates, so lineages run many generations deep.
    """
    rng = random.Random(seed)
    seconds = edges // 25
    n_students = min(edges - seconds, people - 1)
    # The roots come early (in the first half, if they fit), so each finds a student later.
    n_roots = people - n_students
    roots = {0, *rng.sample(range(1, max(people // 2, n_roots)), n_roots - 1)}
    pending: list[int] = []  # roots who advise nobody yet
    pool: list[int] = []  # one entry per person, one more per student they advise
    pairs: list[tuple[int, int]] = []
    students_left = n_students
    window = max(50, people // 5)
    for p in range(people):
        if p in roots:
            pending.append(p)
            pool.append(p)
            continue
        if pending and (students_left <= len(pending) or rng.random() < 0.5):
            advisor = pending.pop(rng.randrange(len(pending)))
        else:
            recent = pool[-window:]
            advisor = recent[rng.randrange(len(recent))]
        pairs.append((advisor, p))
        pool.append(advisor)
        pool.append(p)
        students_left -= 1
    have = set(pairs)
    while len(pairs) < edges:
        _, s = pairs[rng.randrange(len(pairs))]
        other = rng.randrange(0, s)
        if (other, s) not in have:
            have.add((other, s))
            pairs.append((other, s))
    return [(f"p{a:05d}", f"p{s:05d}") for a, s in pairs]


def read_real(path: Path) -> list[tuple[str, str]]:
    with path.open(newline="") as f:
        rows = [r for r in csv.reader(f) if len(r) >= 2]
    if rows and not rows[0][0].strip().isdigit() and rows[0][0].lower().startswith("adv"):
        rows = rows[1:]
    return [(r[0].strip(), r[1].strip()) for r in rows if r[0].strip() != r[1].strip()]


def weights_of(names: Iterable[str], seed: int = 7) -> dict[str, float]:
    rng = random.Random(seed)
    return {p: float(rng.randrange(0, 400)) for p in sorted(names) if rng.random() < 0.5}


# --- the baseline: the same definitions, person by person, in plain Python -------------------


def per_node_metrics(
    pairs: Sequence[tuple[str, str]], people: Sequence[str], weights: dict[str, float]
) -> dict[str, tuple[float, ...]]:
    """Every metric of every person of a one-day genealogy, searches per person.

    On one day a chain is a path, so this is only right when the pairs have no cycle. Each
    person's figures come from searches of their own, as a per-node tool computes them: no
    memo is shared between people.
    """
    children: dict[str, list[str]] = defaultdict(list)
    parents: dict[str, list[str]] = defaultdict(list)
    for a, s in pairs:
        children[a].append(s)
        parents[s].append(a)

    def reach_of(p: str, nbrs: dict[str, list[str]]) -> set[str]:
        seen: set[str] = set()
        todo = [p]
        while todo:
            x = todo.pop()
            for y in nbrs.get(x, ()):
                if y not in seen:
                    seen.add(y)
                    todo.append(y)
        seen.discard(p)
        return seen

    def longest(p: str, nbrs: dict[str, list[str]]) -> int:
        """The longest path from ``p``: a depth-first search of p's own (memo per search)."""
        memo: dict[str, int] = {}
        stack = [(p, iter(nbrs.get(p, ())))]
        while stack:
            x, it = stack[-1]
            for y in it:
                if y not in memo:
                    stack.append((y, iter(nbrs.get(y, ()))))
                    break
            else:
                stack.pop()
                memo[x] = max((memo[y] + 1 for y in nbrs.get(x, ())), default=0)
        return memo[p]

    out: dict[str, tuple[float, ...]] = {}
    for p in people:
        kids = set(children.get(p, ()))
        counts = sorted((len(set(children.get(k, ()))) for k in kids), reverse=True)
        fertility = sum(1 for c in counts if c)
        g = 0
        for rank, c in enumerate(counts, start=1):
            if c >= rank:
                g = rank
        desc = reach_of(p, children)
        anc = reach_of(p, parents)
        relationships = sum(len(children.get(x, ())) for x in desc | {p})
        cousins: set[str] = set()
        for a in set(parents.get(p, ())):
            for gm in set(parents.get(a, ())):
                for b in set(children[gm]):
                    if b != a:
                        cousins.update(children.get(b, ()))
        cousins.discard(p)
        own = weights.get(p, 0.0)
        reach = own + sum(weights.get(x, 0.0) for x in desc)
        out[p] = (
            len(kids), fertility, len(desc), longest(p, children), relationships, len(cousins),
            g, len(set(parents.get(p, ()))), len(anc), longest(p, parents), own, reach,
        )  # fmt: skip
    return out


# --- mentorkit -------------------------------------------------------------------------------


def entities(pairs: Sequence[tuple[str, str]], weights: dict[str, float], dated: bool) -> Any:
    from mentorkit.model import Mentorship, Outcome, OutcomeKind

    generation: dict[str, int] = {}
    if dated:  # one start per generation (advisors first), for the comparison only
        children: dict[str, list[str]] = defaultdict(list)
        indeg: dict[str, int] = defaultdict(int)
        for a, s in pairs:
            children[a].append(s)
            indeg[s] += 1
        todo = [p for p in {a for a, _ in pairs} if not indeg[p]]
        for p in todo:
            generation[p] = 0
        while todo:
            x = todo.pop()
            for y in children[x]:
                generation[y] = max(generation.get(y, 0), generation[x] + 1)
                indeg[y] -= 1
                if not indeg[y]:
                    todo.append(y)
    ms = [
        Mentorship(id=f"m{i}", mentor_id=a, mentee_id=s, start=DAY + dt.timedelta(days=365 * g))
        for i, (a, s) in enumerate(pairs)
        for g in [generation.get(a, 0)]
    ]
    outs = [
        Outcome(id=f"o-{p}", person_id=p, kind=OutcomeKind.STUDENTS_REACHED, date=DAY, value=w)
        for p, w in weights.items()
    ]
    return ms, outs


def timed(fn: Any) -> tuple[float, Any]:
    gc.collect()
    c = time.process_time()
    result = fn()
    return time.process_time() - c, result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=None, help="advisor,student CSV file")
    parser.add_argument("--people", type=int, default=9_686)
    parser.add_argument("--edges", type=int, default=7_592)
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of each")
    args = parser.parse_args(argv)

    from mentorkit.graph import MentorshipGraph

    if args.real is not None and args.real.exists():
        pairs = read_real(args.real)
        source = f"real genealogy {args.real.name}"
    else:
        if args.real is not None:
            print(f"{args.real} not found: generating a graph of the same shape")
        pairs = generated(args.people, args.edges)
        source = "generated genealogy"
    weights = weights_of({p for pair in pairs for p in pair})
    same_day, outcomes = entities(pairs, weights, dated=False)
    by_generation, _ = entities(pairs, weights, dated=True)

    def ours(ms: Any) -> Any:
        return MentorshipGraph.from_mentorships(ms, outcomes=outcomes).metrics()

    ours_times, dated_times, base_times = [], [], []
    table: Any = None
    base: dict[str, tuple[float, ...]] = {}
    people = list(dict.fromkeys(p for pair in pairs for p in pair))
    for _ in range(args.repeat):
        t, table = timed(lambda: ours(same_day))
        ours_times.append(t)
        t, base = timed(lambda: per_node_metrics(pairs, people, weights))
        base_times.append(t)
        t, _ = timed(lambda: ours(by_generation))
        dated_times.append(t)

    mismatched = [
        p for p, row in base.items()
        if tuple(getattr(table[p], f) for f in FIELDS) != row
    ]  # fmt: skip
    best_ours, best_base, best_dated = min(ours_times), min(base_times), min(dated_times)
    print(f"{source}: {len(table):,} people, {len(pairs):,} advisor-student edges, one start day")
    relations = sum(r.descendants for r in table.values())
    deepest = max((r.depth for r in table.values()), default=0)
    print(f"  {relations:,} descendant relations, longest chain {deepest}")
    print(f"mentorkit build + every metric  : {best_ours:6.3f} s cpu (best of {args.repeat}: "
          + ", ".join(f"{t:.3f}" for t in ours_times) + ")")  # fmt: skip
    print(f"per-node plain Python baseline  : {best_base:6.3f} s cpu (best of {args.repeat}: "
          + ", ".join(f"{t:.3f}" for t in base_times) + ")")  # fmt: skip
    print(f"same edges dated by generation  : {best_dated:6.3f} s cpu (mentorkit, for reference)")
    ratio = best_base / best_ours
    verdict = "met (stretch 3x met)" if ratio >= 3 else "met" if ratio >= 2 else "NOT met"
    print(f"ratio baseline / mentorkit      : {ratio:6.2f}x   goal >= 2x: {verdict}")
    per_run = ", ".join(f"{b / o:.2f}" for b, o in zip(base_times, ours_times, strict=True))
    print(f"ratio per run (side by side)    : {per_run}")
    print(f"values identical to the baseline: {'yes' if not mismatched else 'NO'} "
          f"({len(base) - len(mismatched):,} of {len(base):,} people)")  # fmt: skip
    return 0 if not mismatched else 1


if __name__ == "__main__":
    sys.exit(main())
