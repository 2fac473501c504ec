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
rounds (each side's fastest time, and the lowest ratio) and the median ratio.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import tempfile
import time

from mentorkit import synthetic
from mentorkit.cli import main as cli
from mentorkit.storage import open_store


def _put_many(entities: list, folder: str, r: int) -> float:
    base = os.path.join(folder, f"put-many-{r}.db")
    start = time.perf_counter()
    with open_store(f"sqlite:///{base}") as store:
        store.put_many(entities)
    return time.perf_counter() - start


def _import(document: str, folder: str, r: int) -> float:
    target = os.path.join(folder, f"import-{r}.db")
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli(["import", document, "--store", f"sqlite:///{target}"])
    elapsed = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"mentorkit import failed with exit code {code}")
    return elapsed


def one_round(entities: list, document: str, folder: str, r: int) -> dict[str, float]:
    """Time both sides once, in fresh files; odd rounds run the import first."""
    times: dict[str, float] = {}
    if r % 2:
        times["import"] = _import(document, folder, r)
        times["put_many"] = _put_many(entities, folder, r)
    else:
        times["put_many"] = _put_many(entities, folder, r)
        times["import"] = _import(document, folder, r)
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
                f"ratio {t['import'] / t['put_many']:.2f}x"
            )
    ratios = [t["import"] / t["put_many"] for t in rounds]
    best_put = min(t["put_many"] for t in rounds)
    best_import = min(t["import"] for t in rounds)
    print(
        f"best of {args.rounds}: put_many {best_put:.2f} s, import {best_import:.2f} s, "
        f"ratio {best_import / best_put:.2f}x (lowest single ratio {min(ratios):.2f}x)"
    )
    print(
        f"mentorkit import / put_many: {statistics.median(ratios):.2f}x "
        f"(median of {args.rounds}; range {min(ratios):.2f}-{max(ratios):.2f}x; goal <= 1.2x)"
    )


if __name__ == "__main__":
    main()
