"""``mentorkit calendar``: a cohort's plan and milestones as an iCalendar (.ics) file."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
from typing import Any

from mentorkit.cli._cohort import open_cohort
from mentorkit.cli._store import _write_atomically, add_store_option, parse_day
from mentorkit.errors import ValidationError


def add_parser(sub: Any) -> None:
    """Register the ``calendar`` command."""
    parser = sub.add_parser(
        "calendar",
        help="export a cohort's planned sessions and milestones as an .ics calendar file",
        description="Plan a cohort from its program's commitments (one recurring event per "
        "commitment, at the cohort's own dates) and add its milestones (deadlines, "
        "orientation, training, celebration), then write them as an iCalendar file that "
        "Outlook, Google Calendar, Apple Calendar and Thunderbird import. The meetings start "
        "on the cohort's start day and cover every period `mentorkit adherence` counts: a "
        "commitment for a number of months is owed from each pair's own start, so the "
        "series runs on until the pair or team that began last has had its months (the "
        "output says when that extends it). Importing a newer export updates the same "
        "events (their UIDs are stable). Needs the calendar extra: "
        'pip install "mentorkit[calendar]".',
        epilog="Examples: mentorkit calendar --cohort ng-2025 -o plan.ics --tz America/Chicago; "
        "mentorkit calendar --cohort ng-2025 --at 15:30 --exclude 2025-11-24..2025-11-28",
    )
    add_store_option(parser, help="the store holding the cohort and its program.")
    parser.add_argument("--cohort", required=True, metavar="ID", help="the cohort to export")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="the .ics file to write (default: <cohort>.ics)")  # fmt: skip
    parser.add_argument("--tz", default=None, metavar="ZONE",
                        help="the time zone meetings keep their local time in, such as "
                        "America/Chicago (UTC, with a warning)")  # fmt: skip
    parser.add_argument("--at", default="16:00", metavar="HH:MM",
                        help="the local time meetings start (16:00)")  # fmt: skip
    parser.add_argument("--exclude", action="append", default=[], metavar="DAY[..DAY]",
                        help="a date or a period without meetings, such as a school break "
                        "(YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD; repeatable)")  # fmt: skip
    parser.add_argument(
        "--name", metavar="TEXT", help="the calendar's display name (default: program, cohort)"
    )
    parser.add_argument("--weekday", metavar="DAY", choices=["MO", "TU", "WE", "TH", "FR", "SA",
                        "SU"], type=str.upper, help="meet on this weekday (MO..SU) instead of "
                        "the cohort start's day of the month")  # fmt: skip
    parser.add_argument("--nth", type=int, default=1, choices=[1, 2, 3, 4, -1],
                        help="with --weekday: which one of the month (1-4, -1 the last; 1)")
    parser.set_defaults(func=run)


def _day(text: str) -> dt.date:
    return parse_day(text, "--exclude")


def _exclusions(values: list[str]) -> list[dt.date]:
    out: list[dt.date] = []
    for value in values:
        first, _, last = value.partition("..")
        a = _day(first)
        b = _day(last) if last else a
        if b < a:
            raise ValidationError("must not end before it starts", field="--exclude",
                                  value=value)  # fmt: skip
        out.extend(a + dt.timedelta(days=n) for n in range((b - a).days + 1))
    return out


def _zone(name: str) -> dt.tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError("must be a time zone name such as America/Chicago",
                              field="--tz", value=name) from None  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Plan the cohort and write the calendar file."""
    from mentorkit.model import Engagement, Event, Mentorship, Program
    from mentorkit.scheduling import calendar_entries, plan_sessions, to_ical

    guessed = args.tz is None
    if guessed:
        args.tz = "UTC"
    zone = _zone(args.tz)
    try:
        at = dt.time.fromisoformat(args.at)
    except ValueError:
        at = None
    if at is None or at.tzinfo is not None:  # the zone is --tz's
        raise ValidationError("must be a time HH:MM", field="--at", value=args.at)
    excluded = _exclusions(args.exclude)
    with open_cohort(args) as (store, cohort):
        program = store.get(Program, cohort.program_id)
        stored = store.find(Event, cohort_id=cohort.id)
        pairs: list[Mentorship | Engagement] = [*store.find(Mentorship, cohort_id=cohort.id),
                 *store.find(Engagement, cohort_id=cohort.id)]  # fmt: skip
    options: dict[str, Any] = {"at": at, "tz": zone, "exclusions": excluded,
                               "weekday": args.weekday, "nth": args.nth}  # fmt: skip
    # Until every period adherence counts for the cohort's pairs and teams is covered.
    plan = plan_sessions(program, cohort, pairs=pairs, **options)
    entries = calendar_entries(plan, events=stored)
    name = args.name or f"{program.name}: {cohort.name}"
    data = to_ical(entries, name=name)
    output = args.output or calendar_file(cohort.id)
    _write_atomically(output, data)
    if guessed:  # after the checks: a refused input stays one line
        import sys

        print(f"mentorkit calendar: warning: no --tz given: meetings at {args.at} UTC; pass "
              "the program's zone, such as --tz America/Chicago", file=sys.stderr)  # fmt: skip
    sessions = plan.sessions()
    # The first and the last meeting (not the cohort's dates: a plan may end before it).
    span = (f"from {sessions[0].start.date()} to {sessions[-1].start.date()}, {args.tz} time"
            if sessions else "none planned")  # fmt: skip
    own = plan_sessions(program, cohort, **options).sessions()
    if sessions and (not own or own[-1].start < sessions[-1].start):
        # Pairs that began later owe periods after the cohort's own run (see plan_sessions).
        past = (f"past {own[-1].start.date()}, where the commitments counted from the cohort's "
                f"start end, " if own else "")  # fmt: skip
        span += (f"; extended {past}to cover every period adherence counts for the cohort's "
                 "pairs and teams")  # fmt: skip
    print(f"Wrote {output}: {len(plan.items)} recurring meeting series ({len(sessions)} "
          f"meetings {span}) and {len(entries) - len(plan.items)} milestones.")  # fmt: skip
    return 0


def calendar_file(cohort_id: str) -> str:
    """The calendar's default file: ``<cohort>.ics`` in the current folder, whatever the id.

    A path separator in the id (``../x``, ``a/b``) is written as ``_``, so the file never
    lands outside the current folder; an id too long for a file name is cut, with a short
    hash of the whole id so two long ids do not share a file.
    """
    name = "".join("_" if ch in "/\\" or ch == os.sep else ch for ch in cohort_id)
    if len(name.encode("utf-8", "surrogatepass")) > 200:  # file names hold 255 bytes
        digest = hashlib.sha256(cohort_id.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        while len(name.encode("utf-8", "surrogatepass")) > 180:
            name = name[:-1]
        name = f"{name}-{digest}"
    return f"{name}.ics"
