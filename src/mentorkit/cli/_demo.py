"""``mentorkit demo``: build a synthetic district, store it, and summarise it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from mentorkit.cli._store import add_store_option, default_store, describe, open_cli_store
from mentorkit.errors import StorageError

if TYPE_CHECKING:  # the district and measurement load when the command runs, not for --help
    from mentorkit import synthetic


def add_parser(sub: Any) -> None:
    """Register the ``demo`` command."""
    parser = sub.add_parser(
        "demo",
        help="build a synthetic district, save it in mentorkit.db and print a summary",
        description="Build a deterministic synthetic district (no real person's data), "
        "write it into a store (by default the SQLite file mentorkit.db in the current "
        "folder, which later commands read) and print what it holds: staff, cohorts, "
        "mentorships, sessions and how many mentees went on to mentor.",
    )
    parser.add_argument("--seed", type=int, default=7, help="same seed, same district (7)")
    parser.add_argument("--staff", type=int, default=400, help="number of people (400)")
    parser.add_argument("--years", type=int, default=3, help="yearly cohorts per program (3)")
    add_store_option(parser, help="Where to write the district; it must be empty.")
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="empty the store first if it already holds data",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the district, write it into the store and print the summary."""
    from mentorkit import synthetic
    from mentorkit.storage._base import BaseStore

    district = synthetic.district(seed=args.seed, staff=args.staff, years=args.years)
    url = args.store or default_store()
    # One transaction: an interrupted overwrite leaves the previous district in place.
    with open_cli_store(args) as store, store.transaction():
        if isinstance(store, BaseStore) and not store._is_empty():
            if not args.overwrite:
                raise StorageError(
                    f"{describe(url)} already holds data: pass --overwrite to replace it, "
                    "or --store to write somewhere else"
                )
            store._empty()
        elif args.overwrite and not isinstance(store, BaseStore):
            raise StorageError(f"--overwrite cannot empty a {type(store).__name__}")
        # Another kind of store refuses ids it holds already (ConflictError), writing nothing.
        stored = store.put_many(district.entities())
        extras, note = _measurement(district)
        stored += store.put_many(extras)
    print(district.summary())
    print(note)
    print(f"Saved {len(stored):,} entities to {describe(url)}.")
    return 0


def _measurement(district: synthetic.District) -> tuple[list[Any], str]:
    """What `mentorkit report` needs beyond the district: a survey with results, a target."""
    import datetime as dt

    from mentorkit import synthetic
    from mentorkit.measurement import Target
    from mentorkit.model import Cohort

    starts = sorted(
        e.start
        for e in district.entities()
        if isinstance(e, Cohort) and e.program_id == "prog-fellows"
    )
    survey, results = synthetic.survey_results(district)
    extras: list[Any] = [survey, *results]
    note = (
        f"Survey {survey.id!r}: {len(results):,} results over 3 cycles "
        "(mentorkit report conditions --survey conditions --by-parent)"
    )
    if starts:
        deadline = dt.date(starts[-1].year + 3, 6, 30)
        target = Target(
            id="t-150",
            name=f"150 fellows supported by {deadline.year}",
            program_id="prog-fellows",
            measure="mentees",
            count=150,
            deadline=deadline,
            start=dt.date(starts[0].year - 1, 8, 1),
        )
        extras.append(target)
        note += f"\nTarget 't-150': {target.name} (mentorkit report target --target t-150)"
    return extras, note
