"""``mentorkit demo``: build a synthetic district, store it, and tour it with the other commands.

The tour runs the very commands it names (``mentorkit match``, ``adherence``, ``report``,
``graph``) on the stored file and shows part of what each prints, so every figure the demo
shows is one those commands print (tests/test_cli_demo.py runs them and compares).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shlex
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from mentorkit.cli._store import add_store_option, default_store, describe, open_cli_store
from mentorkit.errors import MentorkitError, StorageError

if TYPE_CHECKING:  # the district and measurement load when the command runs, not for --help
    from mentorkit import synthetic

#: Entities written per `put_many` call while saving (one transaction; the bar moves per call).
_BATCH = 5_000
#: Where a shown line is cut, and the mark that says it was (the command prints it whole).
_WIDTH = 120
_CUT = "…"


def add_parser(sub: Any) -> None:
    """Register the ``demo`` command."""
    parser = sub.add_parser(
        "demo",
        help="build a synthetic district, save it in mentorkit.db and tour it",
        description="Build a deterministic synthetic district (made-up people, no real "
        "person's data), write it into a store (by default the SQLite file mentorkit.db in "
        "the current folder, which later commands read), then tour it with the commands a "
        "program lead runs: a cohort matched with the reasons for each pair, the program's "
        "commitments and who is falling behind, a survey cycle's lowest condition, progress "
        "towards a program target, outcomes, and how far mentoring chains reach. Each part "
        "names the command that prints it in full; the figures are that command's. With "
        'tqdm installed (pip install "mentorkit[progress]"), long steps show a progress '
        "bar on a terminal.",
        epilog="Examples: mentorkit demo; mentorkit demo --staff 20000 --store "
        "sqlite:///big.db; mentorkit demo --overwrite",
    )
    parser.add_argument("--seed", type=int, default=7, help="same seed, same district (7)")
    parser.add_argument("--staff", type=int, default=400, help="number of people (400); the "
                        "program target grows with it, 150 fellows per 400 staff")  # fmt: skip
    parser.add_argument("--years", type=int, default=3, help="yearly cohorts per program (3)")
    add_store_option(parser, help="Where to write the district; it must be empty.")
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="empty the store first if it already holds data",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the district, write it into the store, print the summary and the tour."""
    url = args.store or default_store()
    with _bar(3, "mentorkit demo", "step") as steps:
        steps.set_postfix_str("building the district")
        district = _district(args)
        extras, notes = _measurement(district)
        steps.update()
        steps.set_postfix_str("saving")
        entities = [*district.entities(), *extras]
        _save(args, url, entities)
        steps.update()
        steps.set_postfix_str("touring")
        tour = _tour(district, url)
        steps.update()
    print(f"Synthetic district (seed {district.seed}): made-up people, no real person's data")
    print("\n".join(f"  {k.replace('_', ' '):<14}{n:>8,}" for k, n in district.counts().items()))
    print("\n".join(notes))
    print(f"Saved {len(entities):,} entities to {describe(url)}.")
    print(tour)
    return 0


def _district(args: argparse.Namespace) -> synthetic.District:
    from mentorkit import synthetic

    # A refused --staff or --years is reported naming the option (cli._main._as_option).
    return synthetic.district(seed=args.seed, staff=args.staff, years=args.years)


def _save(args: argparse.Namespace, url: str, entities: list[Any]) -> None:
    from mentorkit.storage._base import BaseStore

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
        with _bar(len(entities), "saving", "entity") as saving:
            for start in range(0, len(entities), _BATCH):
                part = entities[start : start + _BATCH]
                store.put_many(part)
                saving.update(len(part))


#: The demo's program target: 150 fellows for the default 400 staff, in proportion to the staff.
_TARGET_PER_STAFF = (150, 400)


def _target_count(staff: int) -> int:
    """The demo target's count for a district of ``staff`` people: 150 per 400, to the nearest 10.

    About a fellow in thirteen of the staff joins the fellowship each year, so a target in
    proportion to the staff is as far away for a district of any size (never below 10).
    """
    per, of = _TARGET_PER_STAFF
    return max(10, round(per * staff / of / 10) * 10)


def _measurement(district: synthetic.District) -> tuple[list[Any], list[str]]:
    """What `mentorkit report` needs beyond the district: a survey with results, a target."""
    import datetime as dt

    from mentorkit import synthetic
    from mentorkit.measurement import Target

    starts = sorted(c.start for c in district.cohorts if c.program_id == "prog-fellows")
    survey, results = synthetic.survey_results(district)
    extras: list[Any] = [survey, *results]
    cycles = len({r.cycle for r in results})
    notes = [f"Survey {survey.id!r}: {len(results):,} results over {cycles} cycles"]
    if starts:
        deadline = dt.date(starts[-1].year + 3, 6, 30)
        count = _target_count(len(district.people))
        target = Target(
            id="t-150",  # the demo target's name in the docs, whatever its count
            name=f"{count:,} fellows supported by {deadline.year}",
            program_id="prog-fellows",
            measure="mentees",
            count=count,
            deadline=deadline,
            start=dt.date(starts[0].year - 1, 8, 1),
        )
        extras.append(target)
        notes.append(
            f"Target {target.id!r}: {target.name} ({_TARGET_PER_STAFF[0]} per "
            f"{_TARGET_PER_STAFF[1]} staff, so it grows with --staff)"
        )
    return extras, notes


# --- the tour ------------------------------------------------------------------------------


def _tour(district: synthetic.District, url: str) -> str:
    """Each part: a heading, the command, and lines that command printed (some cut short)."""
    import datetime as dt

    fellows = sorted(
        (c for c in district.cohorts if c.program_id == "prog-fellows"), key=lambda c: c.start
    )
    if url == "memory://" or url.startswith("memory:"):
        return "\n(The tour reads the stored district back: pass a file or database --store.)"
    store = [] if url == default_store() else ["--store", url]
    parts: list[tuple[str, list[str], Callable[[list[str]], list[str]]]] = []
    if fellows:
        cohort = fellows[-1]
        as_of = dt.date(cohort.start.year + 1, 3, 1).isoformat()
        program = next(p for p in district.programs if p.id == cohort.program_id)
        promises = "; ".join(_commitment(c) for c in program.commitments) or "nothing"
        parts += [
            (
                f"How mentorkit matches a cohort ({cohort.name}; the district's own pairs were "
                "made before), every pair with its reasons:",
                ["match", "--store", url, "--cohort", cohort.id],
                _match_lines,
            ),
            (
                f"{program.name} promises: {promises}. Who is falling behind:",
                ["adherence", "--cohort", cohort.id, "--as-of", as_of, *store],
                _adherence_lines,
            ),
            (
                "A survey cycle: the lowest condition of each network, cycle by cycle:",
                ["report", "conditions", "--survey", "conditions", "--by-parent", *store],
                _first_table,
            ),
            (
                "A program target:",
                ["report", "target", "--target", "t-150", "--as-of", as_of, *store],
                _all_lines,
            ),
        ]
    parts += [
        (
            "Outcomes per cohort (figures about fewer than 10 people withheld):",
            ["report", "outcomes", *store],
            _all_lines,
        ),
        (
            "Mentoring chains: who went on to mentor, and how far each mentor's influence reaches:",
            ["graph", "--top", "5", *store],
            _all_lines,
        ),
    ]
    from mentorkit.storage._url import redact

    out: list[str] = []
    for heading, argv, pick in parts:
        shown = [redact(word) if word == url else word for word in argv]  # no password
        out += ["", heading, f"$ mentorkit {shlex.join(shown)}"]
        out += [_cut(f"  {line}") for line in pick(_run(argv))]
    return "\n".join(out)


def _commitment(c: Any) -> str:
    dose = [f"{c.times} meeting{'s' if c.times != 1 else ''}" if c.times else "",
            f"{c.minutes} minutes" if c.minutes else ""]  # fmt: skip
    what = " and ".join(d for d in dose if d) or "a meeting"
    artefact = f", and a {c.artefact.value}" if c.artefact is not None else ""
    return f"{c.name} ({what} a {c.per.value}{artefact})"


def _run(argv: Sequence[str]) -> list[str]:
    """The lines a command prints (or its one-line error), run in this process."""
    from mentorkit.cli._main import build_parser

    args = build_parser().parse_args(argv)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            args.func(args)
    except MentorkitError as exc:
        return [f"mentorkit {args.command}: error: {exc}"]
    return out.getvalue().splitlines()


def _cut(line: str) -> str:
    return line if len(line) <= _WIDTH else line[: _WIDTH - 1] + _CUT


def _all_lines(lines: list[str]) -> list[str]:
    return lines


def _first_table(lines: list[str], rows: int = 8) -> list[str]:
    """The first table (its title, header and first rows) and its footnote."""
    end = lines.index("") if "" in lines else len(lines)
    table = lines[:end]
    notes = [line for line in table[2:] if line.startswith("(")]
    body = table[2 : len(table) - len(notes)]
    shown = table[:2] + body[:rows]
    if len(body) > rows:
        shown.append(f"({_CUT} and {len(body) - rows} more rows: run the command)")
    if end < len(lines):
        notes.append(f"({_CUT} and a table of trends: run the command)")
    return shown + notes


def _match_lines(lines: list[str], pairs: int = 3) -> list[str]:
    """The summary, the first pairs with their reasons, and who is unmatched."""
    if "Pairs:" not in lines:
        return lines
    head = lines.index("Pairs:") + 1
    end = lines.index("", head) if "" in lines[head:] else len(lines)
    body = lines[head:end]
    starts = [i for i, line in enumerate(body) if not line.startswith("    ")]  # not a reason
    if len(starts) <= pairs:
        return lines
    more = f"  ({_CUT} and {len(starts) - pairs} more pairs: run the command)"
    return [*lines[:head], *body[: starts[pairs]], more, *lines[end:]]


def _adherence_lines(lines: list[str], pairs: int = 3) -> list[str]:
    """The roll-up and the first few pairs falling behind."""
    if "Falling behind:" not in lines:
        return lines
    head = lines.index("Falling behind:") + 1
    # The section's pairs only: the overdue-only pairs and the note follow under their own.
    end = next((i for i in range(head, len(lines)) if not lines[i].startswith("  ")), len(lines))
    rest = end - head - pairs
    more = [f"  ({_CUT} and {rest} more: run the command)"] if rest > 0 else []
    return lines[: head + pairs] + more


@contextlib.contextmanager
def _bar(total: int, desc: str, unit: str) -> Iterator[Any]:
    """A tqdm progress bar on standard error when tqdm is installed and it is a terminal.

    tqdm is optional (``mentorkit[progress]``): without it the demo runs the same, silently.
    """
    try:
        from tqdm import tqdm
    except ImportError:
        yield _NoBar()
        return
    # disable=None: no bar when standard error is not a terminal (a pipe, a log, CI).
    with tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False,
              disable=None, dynamic_ncols=True) as bar:  # fmt: skip
        yield bar


class _NoBar:
    """What the demo calls on a bar, doing nothing (tqdm is not installed)."""

    def update(self, n: int = 1) -> None:
        """Nothing to move."""

    def set_postfix_str(self, text: str) -> None:
        """Nothing to show."""
