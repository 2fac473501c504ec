"""Benchmark: genealogy metrics of a whole synthetic district, built from SQLite.

Goal (issue 5): 50,000 people and about 150,000 mentorships over ten years, built from a
SQLite store and every metric computed for every person, in under 10 s on one core and under
1 GB of memory. The baseline is one plain ``networkx.descendants`` search from a single root
of the same graph, so the ratio holds on a noisy machine.

Run:  python benchmarks/bench_graph.py            (the full size; builds the database once)
      python benchmarks/bench_graph.py --staff 2000 --share 0.3   (a quick smoke run)

The database is built in a child process (not measured), so the peak memory printed is
that of loading the store and computing the metrics only.
"""

from __future__ import annotations

import argparse
import gc
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build(path: Path, staff: int, years: int, share: float) -> None:
    from mentorkit import synthetic
    from mentorkit.storage import SQLiteStore

    d = synthetic.district(
        seed=2026,
        staff=staff,
        years=years,
        mentee_share=share,
        mentor_capacity=4,
        sessions_per_mentorship=0,
    )
    store = SQLiteStore(path)
    with store.transaction():
        store.put_many(d.people)
        store.put_many(d.mentorships)
        store.put_many(d.outcomes)
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=50_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--share", type=float, default=0.32, help="mentees per year / staff")
    parser.add_argument("--db", type=Path, default=None, help="reuse or create this database")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / (
        f"mentorkit-bench-graph-{args.staff}-{args.years}-{args.share}.db"
    )
    if args.build_only:
        build(db, args.staff, args.years, args.share)
        return 0
    if not db.exists():
        print(f"building {db} (not timed) ...", flush=True)
        subprocess.run(
            [sys.executable, __file__, "--build-only", "--staff", str(args.staff), "--years",
             str(args.years), "--share", str(args.share), "--db", str(db)],
            check=True,
        )  # fmt: skip

    import networkx as nx

    from mentorkit.graph import MentorshipGraph
    from mentorkit.model import Mentorship, Outcome, Person
    from mentorkit.storage import SQLiteStore

    c0, t0 = time.process_time(), time.perf_counter()
    store = SQLiteStore(db)
    graph = MentorshipGraph.from_store(store)
    c1, t1 = time.process_time(), time.perf_counter()
    table = graph.metrics()
    c2, t2 = time.process_time(), time.perf_counter()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # The breakdown of from_store (not in the total): the store's reads, timed again.
    cr = time.process_time()
    mentorships, people, outcomes = store.all(Mentorship), store.all(Person), store.all(Outcome)
    reads = time.process_time() - cr
    store.close()
    assert len(mentorships) == len(graph.mentorships)
    del mentorships, people, outcomes

    # Not part of the goal: materialising the networkx graph, for notebook users.
    c3 = time.process_time()
    g = graph.nx
    nx_build = time.process_time() - c3
    # Baseline: one plain (not time-respecting) descendants search from a single root: the
    # mentor of the earliest mentorship.
    root = graph.mentorships[0].mentor_id
    # The best of three, each after a full collection, so that a garbage-collector pass
    # landing inside one search does not flatter the ratios.
    times = []
    for _ in range(3):
        gc.collect()
        c4 = time.process_time()
        plain = nx.descendants(g, root)
        times.append(time.process_time() - c4)
    baseline = min(times)

    load_cpu, metrics_cpu, total_cpu = c1 - c0, c2 - c1, c2 - c0
    print(f"district: {len(graph):,} people, {len(graph.mentorships):,} mentorships, "
          f"{len(graph.outcomes):,} outcomes")  # fmt: skip
    print(f"MentorshipGraph.from_store     : {load_cpu:6.2f} s cpu ({t1 - t0:6.2f} s wall)")
    print(f"  of which the store's reads   : {reads:6.2f} s cpu (timed again afterwards)")
    print(f"every metric for every person  : {metrics_cpu:6.2f} s cpu ({t2 - t1:6.2f} s wall)")
    print(f"total                          : {total_cpu:6.2f} s cpu ({t2 - t0:6.2f} s wall)"
          f"   goal < 10 s: {'met' if total_cpu < 10 else 'NOT met'}")  # fmt: skip
    print(f"peak memory (maxrss)           : {rss_mb:6.0f} MB"
          f"   goal < 1024 MB: {'met' if rss_mb < 1024 else 'NOT met'}")  # fmt: skip
    print(f"baseline nx.descendants from {root} ({len(plain):,} reached): {baseline:.3f} s cpu"
          " (best of 3)")  # fmt: skip
    print(f"ratio metrics / baseline       : {metrics_cpu / baseline:6.1f}x")
    print(f"ratio total / baseline         : {total_cpu / baseline:6.1f}x")
    print(f"(building .nx for notebooks, not in the total: {nx_build:.2f} s cpu)")
    top = table.top(3, by="reach")
    print("top mentors by reach: " + ", ".join(
        f"{r.person_id} (reach {r.reach:,.0f}, {r.descendants} descendants, depth {r.depth})"
        for r in top))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
