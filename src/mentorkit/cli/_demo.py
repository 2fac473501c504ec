"""``mentorkit demo``: build a synthetic district and summarise it."""

from __future__ import annotations

import argparse
import itertools
from collections import Counter
from typing import Any

from mentorkit import synthetic


def add_parser(sub: Any) -> None:
    """Register the ``demo`` command."""
    parser = sub.add_parser(
        "demo",
        help="build a synthetic district and print a summary",
        description="Build a deterministic synthetic district (no real person's data) and "
        "print what it holds: staff, cohorts, mentorships, sessions and how many mentees "
        "went on to mentor.",
    )
    parser.add_argument("--seed", type=int, default=7, help="same seed, same district (7)")
    parser.add_argument("--staff", type=int, default=400, help="number of people (400)")
    parser.add_argument("--years", type=int, default=3, help="yearly cohorts per program (3)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the district and print the summary."""
    district = synthetic.district(seed=args.seed, staff=args.staff, years=args.years)
    print(summary(district))
    return 0


def summary(district: synthetic.District) -> str:
    """A plain-text summary of a district, fit to paste into an e-mail."""
    counts = district.counts()
    lines = [f"Synthetic district (seed {district.seed})"]
    lines += [f"  {name.replace('_', ' '):<14}{n:>8,}" for name, n in counts.items()]
    mentees_by_year: dict[int, set[str]] = {}
    mentors_by_year: dict[int, set[str]] = {}
    for ms in district.mentorships:
        year = ms.start.year if ms.start.month >= 7 else ms.start.year - 1
        mentees_by_year.setdefault(year, set()).add(ms.mentee_id)
        mentors_by_year.setdefault(year, set()).add(ms.mentor_id)
    years = sorted(mentees_by_year)
    if len(years) > 1:
        lines.append("Paying it forward (mentees who mentor the next year):")
        for year, following in itertools.pairwise(years):
            mentees = mentees_by_year[year]
            forward = mentees & mentors_by_year.get(following, set())
            share = len(forward) / len(mentees) if mentees else 0.0
            lines.append(f"  {year}-{(year + 1) % 100:02d} cohort: {len(forward)} of "
                         f"{len(mentees)} ({share:.0%})")  # fmt: skip
    held = Counter(s.status.value for s in district.sessions)
    if held:
        total = sum(held.values())
        lines.append(
            f"Sessions held: {held['held']} of {total} planned ({held['held'] / total:.0%})"
        )
    return "\n".join(lines)
