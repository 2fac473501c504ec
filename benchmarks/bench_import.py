"""`mentorkit import` of an exported district against `put_many` of the same entities.

    python benchmarks/bench_import.py                          # 20,000 staff, best of 3
    python benchmarks/bench_import.py --staff 500 --repeat 1   # a quick smoke run

Goal: ``mentorkit import`` within 1.2x of ``SQLiteStore.put_many`` for the same entities.

A synthetic district is written once with ``mentorkit export --with-personal-data`` (a
lossless document). Each round then, in fresh SQLite files side by side (the order
alternating from round to round):

* baseline "put_many": ``put_many`` of the district's entities (already in memory, so no
  parsing) into a new store, one transaction;
* "import": the ``mentorkit import FILE --store sqlite:///...`` command as a user runs it
  (in this process, through ``mentorkit.cli.main``): read the file, parse it once, validate
  every entry once through the converter, write them all keeping their versions.

The import does more than the baseline (it reads and parses the JSON text and structures
every entity, which ``put_many`` gets for free from objects already made), so a ratio near 1
means the parsing costs about what the validation and encoding it saves does. The machine
is shared and noisy: each ratio is taken within a round, and the figures are the best of the
rounds (each side's fastest time, and the lowest ratio) and the median ratio, for wall
time (the goal's clock) and for this process's CPU time (which the other programs sharing
the machine do not add to; the file system's waits for the disk are not in it, and they
are the same for both sides). Before each side a full collection clears what the
previous one left, so neither pays for the other's garbage.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import statistics
import tempfile
import time

from mentorkit import synthetic
from mentorkit.cli import main as cli
from mentorkit.storage import open_store


def _put_many(entities: list, folder: str, r: int) -> tuple[float, float]:
    base = os.path.join(folder, f"put-many-{r}.db")
    start, cpu = time.perf_counter(), time.process_time()
    with open_store(f"sqlite:///{base}") as store:
        store.put_many(entities)
    return time.perf_counter() - start, time.process_time() - cpu


def _import(document: str, folder: str, r: int) -> tuple[float, float]:
    target = os.path.join(folder, f"import-{r}.db")
    start, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli(["import", document, "--store", f"sqlite:///{target}"])
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    if code != 0:
        raise SystemExit(f"mentorkit import failed with exit code {code}")
    return elapsed


def one_round(entities: list, document: str, folder: str, r: int) -> dict[str, float]:
    """Time both sides once, in fresh files; odd rounds run the import first.

    Each side's wall time (``put_many``, ``import``) and the CPU time of this process
    (``put_many cpu``, ``import cpu``: what the others sharing the machine do not add to).
    """
    times: dict[str, float] = {}
    sides = [("put_many", _put_many, entities), ("import", _import, document)]
    for name, side, what in reversed(sides) if r % 2 else sides:
        gc.collect()  # neither side pays for what the other left to collect
        times[name], times[f"{name} cpu"] = side(what, folder, r)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=20_000, help="people (default 20,000)")
    parser.add_argument("--years", type=int, default=3, help="yearly cohorts (default 3)")
    parser.add_argument(
        "--repeat",
        "--rounds",
        dest="rounds",
        type=int,
        default=3,
        metavar="N",
        help="side-by-side rounds; best of N (default 3)",
    )
    args = parser.parse_args()

    district = synthetic.district(seed=1, staff=args.staff, years=args.years)
    entities = list(district.entities())
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "source.db")
        document = os.path.join(folder, "district.json")
        with open_store(f"sqlite:///{source}") as store:
            store.put_many(entities)
        with contextlib.redirect_stderr(io.StringIO()):
            cli(["export", "--store", f"sqlite:///{source}", "--with-personal-data",
                 "-o", document])  # fmt: skip
        print(f"{len(entities):,} entities, {os.path.getsize(document) / 1e6:.1f} MB document")
        rounds = []
        for r in range(args.rounds):
            t = one_round(entities, document, folder, r)
            rounds.append(t)
            print(
                f"round {r + 1}: put_many {t['put_many']:.2f} s, import {t['import']:.2f} s, "
                f"ratio {t['import'] / t['put_many']:.2f}x (cpu {t['put_many cpu']:.2f} s, "
                f"{t['import cpu']:.2f} s: {t['import cpu'] / t['put_many cpu']:.2f}x)"
            )
    for clock, suffix in (("wall", ""), ("cpu", " cpu")):
        ratios = [t[f"import{suffix}"] / t[f"put_many{suffix}"] for t in rounds]
        best_put = min(t[f"put_many{suffix}"] for t in rounds)
        best_import = min(t[f"import{suffix}"] for t in rounds)
        print(
            f"{clock}: best of {args.rounds}: put_many {best_put:.2f} s, import "
            f"{best_import:.2f} s, ratio {best_import / best_put:.2f}x (lowest single ratio "
            f"{min(ratios):.2f}x)"
        )
        print(
            f"{clock}: mentorkit import / put_many: {statistics.median(ratios):.2f}x "
            f"(median of {args.rounds}; range {min(ratios):.2f}-{max(ratios):.2f}x; goal <= 1.2x)"
        )


if __name__ == "__main__":
    main()
