"""Benchmark: the floor under bench_graph's metrics, for any exact set-based computation.

``bench_graph.py`` times every genealogy metric of every person of a 50,000-person district
against one ``networkx.descendants`` search (issue 14 asks for <= 10x, reads and build
included). This script measures what no exact computation that holds its answers in Python
sets can avoid: putting the answers' members into sets once. It computes, straight from the
definitions (``docs/explanation/genealogy-metrics.md``) and independently of
``mentorkit.graph``'s sweep, every person's descendants, the mentorships on their chains
(``relationships``) and their cousins, checks the counts against ``graph.metrics()``, then
times, each the best of 3:

* building every person's descendant set from a list of its members,
* building every person's chain-mentorship set the same way,
* counting everybody's ancestors (one ``Counter`` over all the descendant sets),
* every person's cousin set as the union of what each shared grand-mentor hands them,

and prints each against the baseline (the same search ``bench_graph.py`` uses), beside the
metrics themselves. No logic is timed: only set insertions of members already listed.

Run:  python benchmarks/bench_graph_floor.py                 (50,000 people, as bench_graph)
      python benchmarks/bench_graph_floor.py --staff 2000    (a quick run)
"""

from __future__ import annotations

import argparse
import bisect
import collections
import gc
import heapq
import itertools
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_graph import db_path  # the same database as bench_graph


def best_of(f: Callable[[], object], times: int = 3) -> float:
    best = float("inf")
    for _ in range(times):
        gc.collect()
        t = time.process_time()
        f()
        best = min(best, time.process_time() - t)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=50_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--share", type=float, default=0.32)
    parser.add_argument("--db", type=Path, default=None, help="reuse or create this database")
    args = parser.parse_args()
    db = args.db or db_path(args.staff, args.years, args.share)
    if not db.exists():
        print(f"building {db} (not timed) ...", flush=True)
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("bench_graph.py")), "--build-only",
             "--staff", str(args.staff), "--years", str(args.years), "--share",
             str(args.share), "--db", str(db)],
            check=True,
        )  # fmt: skip

    import networkx as nx

    from mentorkit.graph import MentorshipGraph
    from mentorkit.storage import SQLiteStore

    store = SQLiteStore(db)
    graph = MentorshipGraph.from_store(store)
    store.close()
    gc.collect()
    c = time.process_time()
    table = graph.metrics()
    metrics_cpu = time.process_time() - c

    # Integers throughout: people by position, days by rank, mentorships by position.
    people = {p: i for i, p in enumerate(graph.people)}
    ms = graph.mentorships
    for m in ms:
        people.setdefault(m.mentor_id, len(people))
        people.setdefault(m.mentee_id, len(people))
    day = {d: r for r, d in enumerate(sorted({m.start for m in ms}))}
    src = [people[m.mentor_id] for m in ms]
    dst = [people[m.mentee_id] for m in ms]
    start = [day[m.start] for m in ms]
    n = len(people)
    out: list[list[tuple[int, int, int]]] = [[] for _ in range(n)]
    for e, (s, d, t) in enumerate(zip(src, dst, start, strict=True)):
        out[s].append((t, d, e))
    for arcs in out:
        arcs.sort()
    out_days = [[t for t, _, _ in arcs] for arcs in out]

    # Descendants and chain mentorships of p, by earliest arrival: a chain reaches u with
    # its last mentorship starting on arr[u] at the earliest; u's mentorships starting on or
    # after arr[u] then lie on a chain from p (from p itself: all of p's).
    reach: list[list[int]] = []
    chain_edges: list[list[int]] = []
    for p in range(n):
        arr = {p: -1}
        heap = [(-1, p)]
        edges: list[int] = []
        while heap:
            t, u = heapq.heappop(heap)
            if t > arr[u]:
                continue
            first = bisect.bisect_left(out_days[u], t)
            for s, v, e in itertools.islice(out[u], first, None):
                edges.append(e)
                if s < arr.get(v, 1 << 60):
                    arr[v] = s
                    heapq.heappush(heap, (s, v))
        # p reached again by a cycle is still not p's own descendant; arr keeps p once.
        del arr[p]
        reach.append(list(arr))
        chain_edges.append(edges)

    # Cousins: grand[g][a], the mentees a took on or after g's earliest mentorship of a.
    earliest: dict[tuple[int, int], int] = {}
    for s, d, t in zip(src, dst, start, strict=True):
        if t < earliest.get((s, d), 1 << 60):
            earliest[(s, d)] = t
    grand: dict[int, dict[int, set[int]]] = collections.defaultdict(dict)
    for (g, a), t in earliest.items():
        first = bisect.bisect_left(out_days[a], t)
        grand[g][a] = {v for _, v, _ in itertools.islice(out[a], first, None)}
    handed: dict[int, list[set[int]]] = collections.defaultdict(list)
    for branches in grand.values():
        for a, below in branches.items():
            others = set().union(*(b for k, b in branches.items() if k != a))
            if others:
                for p in below:
                    handed[p].append(others)  # one set shared by everyone below a
    cousins = [0] * n
    for p, got in handed.items():
        union = set().union(*got)
        cousins[p] = len(union) - (p in union)

    # The definitions' counts against the graph's metrics, person by person.
    ancestors = collections.Counter(itertools.chain.from_iterable(reach))
    ids = list(people)
    mismatched = [
        pid for i, pid in enumerate(ids)
        if (table[pid].descendants, table[pid].relationships, table[pid].cousins,
            table[pid].ancestors) != (len(reach[i]), len(chain_edges[i]), cousins[i],
                                      ancestors[i])
    ]  # fmt: skip

    # The floor: only the set insertions of the answers' members, each the best of 3.
    def reach_sets() -> object:
        return list(map(set, reach))

    def edge_sets() -> object:
        return list(map(set, chain_edges))

    def ancestor_counts() -> object:
        return collections.Counter(itertools.chain.from_iterable(reach))

    # Each handed set as a list (inserting from a list is the cheapest way into a set).
    handed_lists = {id(h): list(h) for got in handed.values() for h in got}
    got_lists = [[handed_lists[id(h)] for h in got] for got in handed.values()]

    def cousin_sets() -> object:
        return [set().union(*got) for got in got_lists]

    floors = {
        "descendant sets": best_of(reach_sets),
        "chain-mentorship sets": best_of(edge_sets),
        "ancestor counts": best_of(ancestor_counts),
        "cousin sets": best_of(cousin_sets),
    }
    g = graph.nx
    root = ms[0].mentor_id
    baseline = best_of(lambda: nx.descendants(g, root), 5)

    members = (
        sum(map(len, reach)), sum(map(len, chain_edges)),
        sum(len(h) for got in handed.values() for h in got),
    )  # fmt: skip
    print(f"district: {n:,} people, {len(ms):,} mentorships")
    print(f"members: {members[0]:,} descendants, {members[1]:,} chain mentorships, "
          f"{members[2]:,} cousins handed")  # fmt: skip
    print(f"the definitions' counts equal graph.metrics() for "
          f"{n - len(mismatched):,} of {n:,} people")  # fmt: skip
    print(f"baseline: one nx.descendants search from {root}: {baseline:.3f} s cpu (best of 5)")
    for name, t in floors.items():
        print(f"  floor, {name:<22}: {t:6.3f} s cpu  {t / baseline:5.1f}x")
    total = sum(floors.values())
    print(f"floor, every set insertion       : {total:6.3f} s cpu  {total / baseline:5.1f}x")
    print(f"graph.metrics()                  : {metrics_cpu:6.3f} s cpu  "
          f"{metrics_cpu / baseline:5.1f}x  ({metrics_cpu / total:.1f}x the floor)")  # fmt: skip
    return 1 if mismatched else 0


if __name__ == "__main__":
    raise SystemExit(main())
