"""``mentorkit match``: match a cohort (from a store) or a score matrix (from a CSV file)."""

from __future__ import annotations

import argparse
import csv
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from mentorkit.cli._store import default_store
from mentorkit.errors import ValidationError
from mentorkit.matching import (
    MatchingProblem,
    MatchResult,
    MenteeProfile,
    MentorProfile,
    cohort_profiles,
    match,
)
from mentorkit.model import Enrollment, EnrollmentStatus, Role
from mentorkit.model._checks import MAX_CAPACITY

_EPILOG = """\
CSV layout: a header row whose first cell is anything (e.g. "mentee") and whose other cells
are mentor ids; then one row per mentee: the mentee id, then a score per mentor. An empty
cell forbids the pair. Example:

  mentee,kim,lee
  ana,0.9,0.4
  ben,0.8,

Rerun any result exactly with the same --strategy, --seed and options.
"""


def add_parser(sub: Any) -> None:
    """Register the ``match`` command."""
    parser = sub.add_parser(
        "match",
        help="match mentees to mentors and print the pairs with reasons",
        description="Match a cohort's mentees to its mentors (or the rows of a score matrix "
        "to its columns) and print every pair and every unmatched mentee with the reasons, "
        "ready to paste into an email.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--store",
        metavar="URL",
        help="the store holding the cohort (with --cohort). Default: $MENTORKIT_STORE if set, "
        "else sqlite:///mentorkit.db, as for every command",
    )
    source.add_argument(
        "--scores", metavar="CSV", type=Path, help="a score matrix, mentees by mentors"
    )
    parser.add_argument("--cohort", metavar="ID", help="the cohort to match (with --store)")
    parser.add_argument(
        "--mentor-scores",
        metavar="CSV",
        type=Path,
        help="the mentors' own scores, same layout (with --scores; used by stable)",
    )
    parser.add_argument(
        "--capacity",
        type=int,
        default=None,
        metavar="N",
        help="mentees per mentor, for every mentor (over any capacity the mentors' "
        "enrolments record). Default with --store: each mentor's recorded capacity, and for "
        "mentors without one an even share of the mentees the records leave without a "
        "place, rounded up, at least 1 (no records, 31 mentees, 18 mentors: 2 each); "
        "with --scores: 1",
    )
    parser.add_argument(
        "--strategy",
        default="stable",
        help="greedy, stable, optimal, circles, or a plugin's name (stable)",
    )
    parser.add_argument("--seed", type=int, default=0, help="settles ties reproducibly (0)")
    parser.add_argument(
        "--status",
        action="append",
        metavar="STATUS",
        help="with --store: match enrolments of this status (repeatable; default selected "
        "and active)",
    )
    parser.add_argument(
        "--all-statuses",
        action="store_true",
        help="with --store: match every enrolment that is not withdrawn or not selected",
    )
    parser.add_argument(
        "--maximize-matches",
        action="store_true",
        help="optimal and circles: match as many mentees as possible, then maximise score",
    )
    parser.add_argument(
        "--brief", action="store_true", help="one line per pair, without the reasons"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the problem, match it, print the result."""
    if args.capacity is not None and args.capacity < 0:
        raise ValidationError("must be >= 0", field="--capacity", value=args.capacity)
    if args.capacity is not None and args.capacity > MAX_CAPACITY:
        raise ValidationError(
            f"must be at most {MAX_CAPACITY:,} (the most the matchers count)",
            field="--capacity",
            value=args.capacity,
        )
    names: dict[str, str] = {}
    if args.scores is None:
        if not args.cohort:
            raise ValidationError(
                "is needed: the cohort to match (or --scores FILE for a score matrix)",
                field="--cohort",
            )
        if args.status and args.all_statuses:
            raise ValidationError("goes without --status", field="--all-statuses", value=True)
        known = {s.value for s in EnrollmentStatus}
        for status in args.status or ():
            if status not in known:
                allowed = ", ".join(sorted(known))
                raise ValidationError(f"must be one of {allowed}", field="--status", value=status)
        statuses = None if args.all_statuses else (args.status or ("selected", "active"))
        url = args.store or default_store()
        problem, names, places = _from_store(url, args.cohort, args.capacity, statuses)
    else:
        if args.cohort:
            raise ValidationError(
                "goes with --store, not --scores", field="--cohort", value=args.cohort
            )
        capacity = 1 if args.capacity is None else args.capacity
        problem = _from_csv(args.scores, args.mentor_scores, capacity)
        places = f"capacity {capacity} per mentor"
    options = {"maximize_matches": True} if args.maximize_matches else {}
    result = match(problem, strategy=args.strategy, seed=args.seed, **options)
    print(_render(result, names, brief=args.brief, places=places))
    return 0


def cohort_capacity(mentees: int, mentors: int) -> int:
    """Mentees per mentor that gives a cohort a place for every mentee: ``ceil(mentees/mentors)``.

    The default for mentors whose enrolment records no capacity: the smallest even load
    that could match everyone the records leave without a place (at least 1); matching
    rules that forbid pairs may still leave someone unmatched, and ``--capacity``
    overrides it.
    """
    return max(1, -(-mentees // mentors)) if mentors else 1


def _label(person_id: str, names: dict[str, str]) -> str:
    name = names.get(person_id)
    return f"{name} ({person_id})" if name else person_id


def _render(result: MatchResult, names: dict[str, str], *, brief: bool, places: str) -> str:
    lines = [result.summary(), places]
    flags = " --maximize-matches" if result.options.get("maximize_matches") else ""
    lines.append(f"rerun with: --strategy {result.strategy} --seed {result.seed}{flags}")
    lines.append("")
    lines.append("Pairs:")
    for pair in result.pairs:
        head = f"  {_label(pair.mentee_id, names)} -> {_label(pair.mentor_id, names)}"
        lines.append(f"{head}  (score {pair.score:.4g})")
        if not brief:
            lines += [f"      - {reason}" for reason in pair.reasons]
    if result.unmatched:
        lines.append("")
        lines.append("Unmatched:")
        for item in result.unmatched:
            lines.append(f"  {_label(item.mentee_id, names)}: {item.reason}: {item.detail}")
    return "\n".join(lines)


def _from_store(
    url: str, cohort_id: str, capacity: int | None, statuses: Iterable[str] | None
) -> tuple[MatchingProblem, dict[str, str], str]:
    from mentorkit.cli._cohort import find_cohort
    from mentorkit.cli._store import open_url
    from mentorkit.frameworks import Assessment, load_framework
    from mentorkit.model import Person, Program

    with open_url(url, must_exist=True) as store:
        cohort = find_cohort(store, cohort_id, url)
        program = store.get(Program, cohort.program_id)
        enrollments = store.find(Enrollment, cohort_id=cohort.id)
        ids = sorted({e.person_id for e in enrollments})
        people = [store.get(Person, i) for i in ids]
        framework = load_framework(program.framework_id) if program.framework_id else None
        assessments = [a for i in ids for a in store.find(Assessment, person_id=i)]
    recorded: dict[str, int] = {}
    if capacity is not None:  # --capacity N is every mentor's, over the records (even ones
        # that disagree): they are set aside
        recorded = {e.person_id: e.capacity for e in enrollments if e.capacity is not None}
        enrollments = [attrs.evolve(e, capacity=None) if e.capacity is not None else e
                       for e in enrollments]  # fmt: skip
    mentees, mentors = cohort_profiles(
        cohort.id,
        people=people,
        enrollments=enrollments,
        assessments=assessments,
        framework=framework,
        statuses=statuses,
    )
    if capacity is None:
        # The mentors whose counted enrolments record a capacity (cohort_profiles used it).
        _, on_record = cohort_profiles(
            cohort.id,
            people=people,
            enrollments=[e for e in enrollments if e.capacity is not None],
            statuses=statuses,
        )
        recorded = {m.person_id: m.capacity for m in on_record}
    else:  # the records of the mentors counted, overridden
        counted = {m.person_id for m in mentors}
        recorded = {pid: n for pid, n in recorded.items() if pid in counted}
    mentors, places = _places(len(mentees), mentors, recorded, capacity)
    waiting = _waiting(enrollments, mentees, statuses)
    if waiting:
        places += (
            f"\n{waiting} applicant{'s' if waiting != 1 else ''} (status applied) not "
            "matched, waiting for selection: mentorkit.matching.select_applicants records who "
            "gets a place; --status applied --status selected --status active matches "
            "them as they are"
        )
    problem = MatchingProblem.from_profiles(mentees, mentors)
    return problem, {p.id: p.name for p in people}, places


def _waiting(
    enrollments: Iterable[Enrollment],
    mentees: Iterable[MenteeProfile],
    statuses: Iterable[str] | None,
) -> int:
    """How many of the cohort's mentee applicants this match leaves out, waiting for selection."""
    counted = {m.person_id for m in mentees}
    if statuses is not None and EnrollmentStatus.APPLIED.value in set(statuses):
        return 0
    return len(
        {
            e.person_id
            for e in enrollments
            if e.role is Role.MENTEE
            and e.status is EnrollmentStatus.APPLIED
            and e.person_id not in counted
        }
    )


def _places(
    mentees: int, mentors: list[MentorProfile], recorded: dict[str, int], capacity: int | None
) -> tuple[list[MentorProfile], str]:
    """The mentors with the capacity the command uses, and the line that says which."""
    if capacity is not None:  # --capacity: the same for everyone, records or not
        note = f" (--capacity, over the records of {len(recorded)})" if recorded else ""
        return [attrs.evolve(m, capacity=capacity) for m in mentors], (
            f"capacity {capacity} per mentor{note}"
        )
    others = [m for m in mentors if m.person_id not in recorded]
    # The rest share evenly the mentees the records leave without a place.
    left = max(0, mentees - sum(recorded.values()))
    even = cohort_capacity(left, len(others))
    mentors = [m if m.person_id in recorded else attrs.evolve(m, capacity=even) for m in mentors]
    counts = (
        f"{mentees} mentee{'' if mentees == 1 else 's'}, {len(mentors)} "
        f"mentor{'' if len(mentors) == 1 else 's'}; --capacity N to change"
    )
    if not recorded:
        return mentors, f"capacity {even} per mentor ({counts})"
    total = f"{sum(recorded.values()):,} places"
    if not others:
        return mentors, f"capacity from the mentors' records: {total} ({counts})"
    line = (
        f"capacity from the mentors' records for {len(recorded)} ({total}), "
        f"{even} each for the {len(others)} without one"
    )
    return mentors, f"{line} ({counts})"


def _read_matrix(path: Path) -> tuple[list[str], list[str], list[list[float | None]]]:
    rows: list[tuple[int, list[str]]] = []  # (line number in the file, cells)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            for row in reader:
                if any(cell.strip() for cell in row):
                    rows.append((reader.line_num, row))
    except OSError as exc:
        raise ValidationError(f"cannot be read: {exc.strerror}", field=str(path)) from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ValidationError(f"is not a readable CSV file: {exc}", field=str(path)) from None
    except ValueError:  # a NUL in the name: no file can have it
        why = "cannot be read: a file name cannot hold a NUL character"
        raise ValidationError(why, field="--scores") from None
    if not rows:
        raise ValidationError("is empty (expected a header row of mentor ids)", field=str(path))
    header_line, header = rows[0]
    mentors = [cell.strip() for cell in header[1:]]
    seen_mentors: set[str] = set()
    for mentor in mentors:
        if mentor in seen_mentors:
            raise ValidationError(
                f"row {header_line}: duplicate mentor id in the header",
                field=str(path),
                value=mentor,
            )
        seen_mentors.add(mentor)
    mentees: list[str] = []
    first_line: dict[str, int] = {}
    matrix: list[list[float | None]] = []
    for number, row in rows[1:]:
        if len(row) != len(mentors) + 1:
            raise ValidationError(
                f"row {number} has {len(row)} cells, the header {len(mentors) + 1}",
                field=str(path),
            )
        mentee = row[0].strip()
        if mentee in first_line:
            raise ValidationError(
                f"row {number}: duplicate mentee id, already in row {first_line[mentee]}",
                field=str(path),
                value=mentee,
            )
        first_line[mentee] = number
        mentees.append(mentee)
        values: list[float | None] = []
        for mentor, cell in zip(mentors, row[1:], strict=True):
            text = cell.strip()
            if not text:
                values.append(None)
                continue
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                raise ValidationError(
                    f"row {number}, column {mentor!r}: not a number", field=str(path), value=text
                )
            values.append(value)
        matrix.append(values)
    return mentees, mentors, matrix


def _from_csv(scores: Path, mentor_scores: Path | None, capacity: int) -> MatchingProblem:
    mentees, mentors, matrix = _read_matrix(scores)
    theirs = None
    if mentor_scores is not None:
        other_mentees, other_mentors, other = _read_matrix(mentor_scores)
        if (sorted(other_mentees), sorted(other_mentors)) != (sorted(mentees), sorted(mentors)):
            raise ValidationError(
                "must list the same mentees and mentors as --scores", field=str(mentor_scores)
            )
        row = {k: i for i, k in enumerate(other_mentees)}
        col = {k: j for j, k in enumerate(other_mentors)}
        theirs = [[other[row[e]][col[m]] for m in mentors] for e in mentees]
    try:
        return MatchingProblem.from_matrix(mentees, mentors, matrix, capacity, theirs)
    except ValidationError as exc:
        raise ValidationError(
            exc.message, field=f"{scores}: {exc.field}", value=exc.value
        ) from None
