"""``mentorkit report``: outcome, survey and target reports, small groups withheld."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mentorkit.cli._store import add_store_option, open_cli_store, parse_day
from mentorkit.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from mentorkit.model import Entity
    from mentorkit.storage import Store


def add_parser(sub: Any) -> None:
    """Register the ``report`` command and its subcommands."""
    parser = sub.add_parser(
        "report",
        help="outcome, survey-condition and target reports, safe to share",
        description="Print a report from a store. Every figure follows the disclosure policy: "
        "figures about fewer than --min-cell people are withheld (shown as *), and so are "
        "others that would let a reader work them out. Each kind of report is a subcommand "
        "with its own options: `mentorkit report outcomes --help`.",
        epilog="Examples: mentorkit report outcomes --program prog-fellows; mentorkit report "
        "conditions --survey conditions --by-parent; mentorkit report target --target t-150; "
        "mentorkit report import-results results.csv --survey conditions",
    )
    kinds = parser.add_subparsers(dest="kind", metavar="REPORT")
    kinds.required = True

    outcomes = kinds.add_parser(
        "outcomes",
        help="promotions, role changes, students reached, growth per program and cohort",
        description="Promotions, role changes, students reached and competency growth per "
        "program and cohort, each program followed by its total row. With --by, the "
        "program's mentees are also split by a demographic attribute (suppressed together "
        "with the cohorts: share that one table).",
        epilog="Example: mentorkit report outcomes --program prog-fellows --as-of 2024-06-30 "
        "--csv outcomes.csv",
    )
    outcomes.add_argument("--program", metavar="ID", help="only this program (default: all)")
    outcomes.add_argument(
        "--by", metavar="ATTRIBUTE", help="also split mentees by this demographic attribute"
    )
    outcomes.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="the report as it stood that day: later outcomes and ratings left out (today)",
    )
    outcomes.add_argument(
        "--within-years",
        type=int,
        default=1,
        metavar="N",
        help="a cohort's promotions and role changes are known once the N-th school year "
        "after its own has ended within the data, as in `mentorkit graph` (1)",
    )
    _common(outcomes, csv_help="also write the table as CSV (written before printing)")
    outcomes.set_defaults(func=run_outcomes)

    conditions = kinds.add_parser(
        "conditions",
        help="the lowest survey condition per org unit and cycle, and how conditions moved",
        description="The lowest-scored condition of each org unit (or, with --by-parent, "
        "each parent such as a network) in each cycle, then every condition's score across "
        "cycles with its change and direction. Cycles are ordered by the opening dates of "
        "the survey's stored administrations, else by name (2021-22 before 2022-23); a "
        "change within --tolerance is flat.",
        epilog="Example: mentorkit report conditions --survey conditions --by-parent "
        "--tolerance 0.1",
    )
    conditions.add_argument("--survey", metavar="ID", required=True, help="the survey")
    conditions.add_argument(
        "--by-parent",
        action="store_true",
        help="pool each org unit into its parent (schools into networks)",
    )
    conditions.add_argument("--condition", metavar="ID", help="the trend of this condition only")
    conditions.add_argument(
        "--tolerance",
        type=float,
        default=None,
        metavar="X",
        help="a change within +-X is flat (default 0.005: a change printed as 0.00)",
    )
    _common(conditions, csv_help="also write the trend table as CSV (written before printing)")
    conditions.set_defaults(func=run_conditions)

    target = kinds.add_parser(
        "target",
        help="progress towards a program target: count, pace, projection, verdict",
        description="How far a stored target has come: the running count, the pace so far "
        "and the pace needed, the projection at the deadline, and the verdict (on track, "
        "behind; met or missed once the deadline has passed).",
        epilog="Example: mentorkit report target --target t-150 --as-of 2024-06-30",
    )
    target.add_argument("--target", metavar="ID", required=True, help="the target")
    target.add_argument("--as-of", metavar="YYYY-MM-DD", help="the day to look from (today)")
    _common(
        target,
        csv_help="also write the figures and points as CSV (written before printing)",
    )
    target.set_defaults(func=run_target)

    load = kinds.add_parser(
        "import-results",
        help="load survey results from a CSV file into the store",
        description="Load survey results (aggregates) from a CSV file with the columns "
        "org_unit_id,cycle,condition,score,n into the store, for a survey already stored. "
        "A file with any bad row is refused whole, each bad row named with its column.",
        epilog="Example: mentorkit report import-results results.csv --survey conditions",
    )
    load.add_argument("file", type=Path, metavar="FILE", help="the CSV file")
    load.add_argument("--survey", metavar="ID", required=True, help="the survey")
    add_store_option(load, help="the store to write into.")
    load.set_defaults(func=run_import)


def _common(parser: argparse.ArgumentParser, *, csv_help: str) -> None:
    add_store_option(parser, help="the store to read.")
    parser.add_argument(
        "--min-cell", type=int, default=10, metavar="N", help="smallest group shown (10)"
    )
    parser.add_argument("--csv", type=Path, metavar="FILE", help=csv_help)


def _get(store: Store, cls: type[Entity], id: str, what: str) -> Any:
    """``store.get``, with a message listing the ids there are."""
    from mentorkit.measurement._figures import known_ids

    try:
        return store.get(cls, id)
    except NotFoundError:
        ids = known_ids(e.id for e in store.all(cls))
        raise NotFoundError(f"no {what} {id!r} in the store; {what}s: {ids}") from None


def _policy(args: argparse.Namespace) -> Any:
    from mentorkit.measurement import DisclosurePolicy

    return DisclosurePolicy(min_cell=args.min_cell)


def _write_csv(args: argparse.Namespace, report: Any) -> None:
    # Before printing: a closed pipe (`| head`) must not cost the file.
    if args.csv is not None:
        report.to_csv(args.csv)


def _wrote(args: argparse.Namespace) -> None:
    if args.csv is not None:
        print(f"\nWrote {args.csv}")


def run_outcomes(args: argparse.Namespace) -> int:
    """Print the outcome report."""
    from mentorkit.graph import MentorshipGraph
    from mentorkit.measurement import report_outcomes
    from mentorkit.scheduling import adherence

    day = None if args.as_of is None else parse_day(args.as_of, "--as-of")
    if args.within_years < 0:
        raise ValidationError("must be >= 0", field="--within-years", value=args.within_years)
    with open_cli_store(args, must_exist=True) as store:
        # The adherence rate and the reach through the graph, as `mentorkit adherence` and
        # `mentorkit graph` compute them on the same store (and day).
        rollup = adherence(store, as_of=day, action_items=False).rollup()
        kept = {r.cohort_id: (r.met, r.met + r.short) for r in rollup}
        graph = MentorshipGraph.from_store(store)
        if day is not None:
            graph = graph.as_of(day)
        table = report_outcomes(store, program_id=args.program, policy=_policy(args), by=args.by,
                                graph=graph, adherence=kept, as_of=day,
                                within_years=args.within_years)  # fmt: skip
    _write_csv(args, table)
    print(table.to_text())
    _wrote(args)
    return 0


def run_conditions(args: argparse.Namespace) -> int:
    """Print the lowest conditions and the trends of a survey."""
    from mentorkit.measurement import (
        Survey,
        SurveyAdministration,
        SurveyResult,
        lowest_conditions,
        trend,
    )
    from mentorkit.measurement._inquiry import DEFAULT_TOLERANCE
    from mentorkit.model import OrgUnit

    policy = _policy(args)
    tolerance = DEFAULT_TOLERANCE if args.tolerance is None else args.tolerance
    with open_cli_store(args, must_exist=True) as store:
        _get(store, Survey, args.survey, "survey")
        results = store.find(SurveyResult, survey_id=args.survey)
        by = None
        if args.by_parent:
            by = {u.id: u.parent_id for u in store.all(OrgUnit) if u.parent_id}
            units = {r.org_unit_id for r in results}
            if units and not units & by.keys():
                from mentorkit.measurement._figures import known_ids

                raise ValidationError(
                    f"none of the survey's units ({known_ids(units, limit=5)}) has a parent "
                    "unit to group by: run without --by-parent to report the units themselves",
                    field="--by-parent",
                )
        # Cycles in the order their administrations opened, where the store has them
        # ("Spring 2023" before "Fall 2023"); the others after, by name.
        rounds = [a for a in store.all(SurveyAdministration) if a.survey_id == args.survey]
        dated = sorted((a.opens, a.cycle) for a in rounds if a.opens is not None)
        order = list(dict.fromkeys(cycle for _, cycle in dated)) or None
    lowest = lowest_conditions(results, by=by, policy=policy)
    moved = trend(
        results,
        by=by,
        condition=args.condition,
        cycles=order,
        tolerance=tolerance,
        policy=policy,
    )
    _write_csv(args, moved)
    print(lowest.to_text())
    print()
    print(moved.to_text())
    _wrote(args)
    return 0


def run_target(args: argparse.Namespace) -> int:
    """Print the progress towards a target."""
    from mentorkit.measurement import Target, progress

    day = None
    if args.as_of is not None:
        try:
            day = dt.date.fromisoformat(args.as_of)
        except ValueError:
            raise ValidationError(
                "must be a date YYYY-MM-DD", field="--as-of", value=args.as_of
            ) from None
    with open_cli_store(args, must_exist=True) as store:
        target = _get(store, Target, args.target, "target")
        report = progress(target, store, as_of=day, policy=_policy(args))
    _write_csv(args, report)
    print(report.to_text())
    _wrote(args)
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Load survey results from a CSV file."""
    from mentorkit.measurement import Survey, import_results_csv

    with open_cli_store(args, must_exist=True) as store:  # the survey must be there
        _get(store, Survey, args.survey, "survey")
        stored = import_results_csv(store, args.file, survey_id=args.survey)
    print(f"Imported {len(stored):,} results of survey {args.survey} from {args.file}")
    return 0
