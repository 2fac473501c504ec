"""``mentorkit demo``: build a synthetic district and summarise it."""

from __future__ import annotations

import argparse
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
    print(district.summary())
    return 0
