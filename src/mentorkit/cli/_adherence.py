"""``mentorkit adherence``: planned against held for a cohort, and who is falling behind."""

from __future__ import annotations

import argparse
from typing import Any

from mentorkit.cli._cohort import open_cohort
from mentorkit.cli._store import _write_atomically, add_store_option, parse_day


def add_parser(sub: Any) -> None:
    """Register the ``adherence`` command."""
    parser = sub.add_parser(
        "adherence",
        help="planned against held sessions of a cohort: who is falling behind",
        description="Compare what a cohort's program promises per period (its commitments: "
        "meetings, minutes, reflections) with the sessions each pair and team held, and list "
        "who is falling behind and the action items past due. Falling behind means a "
        "period ended short of a commitment; a pair or team whose only problem is an "
        "overdue action item is counted and listed apart. Periods that have not ended "
        "are in progress, never short.",
        epilog="Examples: mentorkit adherence --cohort coh-fellows-2023; mentorkit adherence "
        "--cohort coh-coaching-2023 --as-of 2024-03-01 --store sqlite:///program.db",
    )
    parser.add_argument("--cohort", required=True, metavar="ID", help="the cohort to report on")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="the report's day (default: today)")
    parser.add_argument("--csv", metavar="FILE", help="also write every row (pair or team, "
                        "commitment, period, promised, delivered, status) to FILE as CSV, "
                        "for a spreadsheet")  # fmt: skip
    add_store_option(parser, help="the store to read.")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Compute the cohort's adherence and print the report."""
    from mentorkit.scheduling import adherence

    day = None
    if args.as_of is not None:
        day = parse_day(args.as_of, "--as-of")
    with open_cohort(args) as (store, cohort):
        report = adherence(store, cohort_id=cohort.id, as_of=day)
        names = _names(store, cohort.id)
    if args.csv is not None:  # before printing: a closed pipe must not cost the file
        _write_atomically(args.csv, _csv(report))
    print(report.format(names))
    if args.csv is not None:
        print(f"\nWrote {args.csv} ({len(report.rows):,} rows)")
    return 0


def _csv(report: Any) -> str:
    import csv
    import io

    from mentorkit.scheduling._adherence import _COLUMNS, AdherenceStatus

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_COLUMNS)
    for r in report.rows:
        met = "" if r.status is AdherenceStatus.IN_PROGRESS else r.met
        writer.writerow([r.cohort_id, r.unit, r.who, r.person_id or "", r.commitment, r.period,
                         r.start, r.end, _blank(r.promised.times), _blank(r.promised.minutes),
                         _blank(r.delivered.times), _blank(r.delivered.minutes),
                         " ".join(r.missing_artefacts), r.status.value, met])  # fmt: skip
    return out.getvalue()


def _blank(value: int | None) -> object:
    return "" if value is None else value


def _names(store: Any, cohort_id: str) -> dict[str, str]:
    """What a lead knows the cohort's pairs, teams and people by: names, with their ids.

    ``ms-12`` -> ``Ana Ruiz with Kim Lee (ms-12)``; ``p-3`` -> ``Kim Lee (p-3)``: ready to
    paste into an email, and still findable in the CSV (which keeps the ids).
    """
    from mentorkit.errors import NotFoundError
    from mentorkit.model import Engagement, Mentorship, Person

    pairs = store.find(Mentorship, cohort_id=cohort_id)
    teams = store.find(Engagement, cohort_id=cohort_id)
    people: dict[str, str] = {}
    ids = {p for m in pairs for p in (m.mentor_id, m.mentee_id)}
    ids |= {p for t in teams for p in (t.coach_id, *(m.person_id for m in t.members))}
    for pid in sorted(ids):
        try:
            people[pid] = store.get(Person, pid).name
        except NotFoundError:
            continue
    names = {pid: f"{name} ({pid})" for pid, name in people.items()}
    for m in pairs:
        if m.mentee_id in people and m.mentor_id in people:
            names[m.id] = f"{people[m.mentee_id]} with {people[m.mentor_id]} ({m.id})"
    for t in teams:  # a team by its coach: "coached by Kim Lee (team-3)"
        if t.coach_id in people:
            names[t.id] = f"coached by {people[t.coach_id]} ({t.id})"
    return names
