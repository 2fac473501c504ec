"""``mentorkit report``: outcome, survey and target reports, small groups withheld."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from mentorkit.cli._store import add_store_option, open_cli_store
from mentorkit.errors import ValidationError


def add_parser(sub: Any) -> None:
    """Register the ``report`` command."""
    parser = sub.add_parser(
        "report",
        help="outcome, survey-condition and target reports, safe to share",
        description="Print a report from a store. Every figure follows the disclosure policy: "
        "figures about fewer than --min-cell people are withheld (shown as *), and so are "
        "others that would let a reader work them out. `outcomes`: promotions, role changes, "
        "students reached and competency growth per program and cohort. `conditions`: the "
        "lowest survey condition of each org unit and cycle, and how each condition moved. "
        "`target`: progress towards a program target. `import-results`: load survey results "
        "from a CSV file (org_unit_id,cycle,condition,score,n); a file with any bad row is "
        "refused whole, each bad row named with its column.",
        epilog="Examples: mentorkit report outcomes --program prog-fellows; mentorkit report "
        "conditions --survey conditions --by-parent; mentorkit report target --target t-150; "
        "mentorkit report import-results results.csv --survey conditions",
    )
    parser.add_argument("kind", choices=("outcomes", "conditions", "target", "import-results"))
    parser.add_argument("file", nargs="?", type=Path, help="the CSV file (import-results)")
    add_store_option(parser, help="the store to read.")
    parser.add_argument("--program", metavar="ID", help="only this program (outcomes)")
    parser.add_argument("--survey", metavar="ID", help="the survey (conditions, import-results)")
    parser.add_argument(
        "--by-parent",
        action="store_true",
        help="conditions: pool each org unit into its parent (schools into networks)",
    )
    parser.add_argument("--target", metavar="ID", help="the target (target)")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="target: the day to look from")
    parser.add_argument(
        "--min-cell", type=int, default=10, metavar="N", help="smallest group shown (10)"
    )
    parser.add_argument("--csv", type=Path, metavar="FILE", help="also write the table as CSV")
    parser.set_defaults(func=run)


def _need(args: argparse.Namespace, name: str) -> str:
    value: str | None = getattr(args, name)
    if not value:
        raise ValidationError(f"is needed for `report {args.kind}`", field=f"--{name}")
    return value


def run(args: argparse.Namespace) -> int:
    """Print the chosen report."""
    from mentorkit.measurement import (
        DisclosurePolicy,
        Survey,
        SurveyResult,
        Target,
        import_results_csv,
        lowest_conditions,
        progress,
        report_outcomes,
        trend,
    )
    from mentorkit.model import OrgUnit

    policy = DisclosurePolicy(min_cell=args.min_cell)
    if args.kind == "import-results":
        if args.file is None:
            raise ValidationError("is needed for `report import-results`", field="FILE")
        survey_id = _need(args, "survey")
        with open_cli_store(args, must_exist=True) as store:  # the survey must be there
            stored = import_results_csv(store, args.file, survey_id=survey_id)
        print(f"Imported {len(stored):,} results of survey {survey_id} from {args.file}")
        return 0
    with open_cli_store(args, must_exist=True) as store:
        if args.kind == "outcomes":
            table: Any = report_outcomes(store, program_id=args.program, policy=policy)
            print(table.to_text())
        elif args.kind == "conditions":
            survey_id = _need(args, "survey")
            store.get(Survey, survey_id)
            results = store.find(SurveyResult, survey_id=survey_id)
            by = None
            if args.by_parent:
                by = {u.id: u.parent_id for u in store.all(OrgUnit) if u.parent_id}
            table = lowest_conditions(results, by=by, policy=policy)
            print(table.to_text())
            print()
            print(trend(results, by=by, policy=policy).to_text())
        else:
            target = store.get(Target, _need(args, "target"))
            day = None
            if args.as_of is not None:
                try:
                    day = dt.date.fromisoformat(args.as_of)
                except ValueError:
                    raise ValidationError(
                        "must be a date YYYY-MM-DD", field="--as-of", value=args.as_of
                    ) from None
            report = progress(target, store, as_of=day, policy=policy)
            table = report.points
            print(report.to_text())
    if args.csv is not None:
        table.to_csv(args.csv)
        print(f"\nWrote {args.csv}")
    return 0
