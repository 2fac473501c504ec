"""``mentorkit graph``: summarise the mentorship graph of a store, rank mentors, export it."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mentorkit._files import write_file
from mentorkit.cli._store import add_store_option, default_store, describe, open_cli_store
from mentorkit.errors import StorageError, ValidationError

if TYPE_CHECKING:  # networkx and the graph package load when the command runs, not for --help
    from mentorkit.graph import MentorshipGraph
    from mentorkit.graph._metrics import MetricName
    from mentorkit.measurement import Crosstab, DisclosurePolicy

#: The metrics ``--by`` ranks by (``graph._metrics.MetricName``; a test keeps them equal).
METRIC_NAMES = (
    "ancestor_depth", "ancestors", "cousins", "depth", "descendants", "fecundity",
    "fertility", "genealogical_index", "mentors", "reach", "relationships", "students_reached",
)  # fmt: skip

_FORMATS = {".graphml": "graphml", ".gexf": "gexf", ".json": "json"}


def add_parser(sub: Any) -> None:
    """Register the ``graph`` command."""
    parser = sub.add_parser(
        "graph",
        help="summarise the mentorship graph, rank mentors by reach, export to Gephi",
        description="Build the mentorship graph of a store (mentor -> mentee, following "
        "time: a mentor's descendants are the people their mentees went on to mentor, and so "
        "on) and print headline figures, the top mentors by a genealogy metric, and how each "
        "cohort paid it forward. With --out, also write the graph as GraphML or GEXF (Gephi, "
        "yEd, Cytoscape) or node-link JSON (D3). E-mail and demographics stay out of exports "
        "unless you pass --include-sensitive.",
        epilog="Examples: mentorkit graph; mentorkit graph --program prog-fellows --top 20 "
        "--by descendants; mentorkit graph --out district.gexf",
    )
    add_store_option(parser, help="the store to read.")
    parser.add_argument("--program", action="append", metavar="ID",
                        help="keep only this program's mentorships (repeatable); who "
                        "went on to mentor then counts mentoring in them only")  # fmt: skip
    parser.add_argument("--kind", action="append", metavar="KIND",
                        help="keep only mentorships of this kind: one_to_one, group, "
                        "coaching, peer, reverse (repeatable)")  # fmt: skip
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="the graph as it stood on that day (mentorships begun by then)",
    )
    parser.add_argument("--top", type=int, default=10, metavar="N",
                        help="how many mentors to list (10)")  # fmt: skip
    parser.add_argument("--by", default="reach", choices=METRIC_NAMES,
                        help="the metric to rank mentors by (reach)")  # fmt: skip
    parser.add_argument("--within-years", type=int, default=1, metavar="N",
                        help="paying it forward: mentoring by the end of the N-th school "
                        "year after the mentee's (1: the following one)")  # fmt: skip
    parser.add_argument("--out", type=Path, metavar="FILE",
                        help="also write the graph: .graphml, .gexf or .json")  # fmt: skip
    parser.add_argument(
        "--min-cell",
        type=int,
        default=10,
        metavar="N",
        help="cohort figures about fewer than N people are withheld (*), as in "
        "`mentorkit report` (10)",
    )
    parser.add_argument(
        "--include-sensitive",
        action="store_true",
        help="keep e-mail and demographics in the export (off by default)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the graph, print the summary, and export it when asked."""
    day = None
    if args.as_of is not None:
        try:
            day = dt.date.fromisoformat(args.as_of)
        except ValueError:
            raise ValidationError("must be a date YYYY-MM-DD", field="--as-of",
                                  value=args.as_of) from None  # fmt: skip
    if args.top < 0:
        raise ValidationError("must be >= 0", field="--top", value=args.top)
    fmt = None
    if args.out is not None:
        fmt = _FORMATS.get(args.out.suffix.lower())
        if fmt is None:
            raise ValidationError("must end in .graphml, .gexf or .json", field="--out",
                                  value=str(args.out))  # fmt: skip
    with open_cli_store(args, must_exist=True) as store:
        from mentorkit.graph import MentorshipGraph

        try:
            graph = MentorshipGraph.from_store(store, programs=args.program, kinds=args.kind)
        except ValidationError as exc:  # name the option the user typed
            option = {"programs": "--program", "kinds": "--kind"}.get(exc.field or "")
            if option is None:
                raise
            raise ValidationError(exc.message, field=option, value=exc.value) from None
    if day is not None:
        graph = graph.as_of(day)
    if not graph.mentorships:
        raise StorageError(
            f"no mentorships in {describe(args.store or default_store())}"
            + (" with those filters" if args.program or args.kind else "")
            + (f" begun by {day}" if day is not None else "")
        )
    from mentorkit.measurement import DisclosurePolicy

    policy = DisclosurePolicy(min_cell=args.min_cell)
    report = render(graph, top=args.top, by=args.by, within_years=args.within_years,
                    policy=policy, as_of=day)  # fmt: skip
    # The file first: a path that cannot be written fails before the report is printed.
    if args.out is not None:
        if fmt == "graphml":
            graph.write_graphml(args.out, include_sensitive=args.include_sensitive)
        elif fmt == "gexf":
            graph.write_gexf(args.out, include_sensitive=args.include_sensitive)
        else:
            write_file(str(args.out), json.dumps(graph.node_link(
                include_sensitive=args.include_sensitive)))  # fmt: skip
    print(report)
    if args.out is not None:
        print(f"\nWrote {args.out} ({fmt})")
    return 0


def render(
    graph: MentorshipGraph,
    *,
    top: int,
    by: MetricName,
    within_years: int,
    policy: DisclosurePolicy | None = None,
    as_of: dt.date | None = None,
) -> str:
    """The plain-text report: headline figures, top mentors, cohorts.

    The cohort figures follow ``policy`` (default ``DisclosurePolicy()``) as the outcome
    report does: counts about fewer than ``min_cell`` people are withheld (``*``), with
    complementary suppression across the cohorts, and a rate only over published counts.
    The headline's "went on to mentor" is the cohort lines' total, suppressed with them as
    one table; its people, mentors and mentees are the margins of the people by (mentored,
    was mentored), suppressed by the same rule, so no headline figure is small or gives a
    withheld one away.

    A cohort's share who went on to mentor is known once its window (to the end of school
    year ``+within_years``) has ended within the data: ``cohort_report(as_of=as_of)`` gives
    no count for a cohort whose window ends after ``observed_until`` (the end of the school
    year the last mentorship began in, and no later than ``as_of``, default today).
    A cohort whose window ends later is printed as not yet known, with both days, never as
    a count (a 0 would read as nobody, where the following school year is not in the data).
    """
    from mentorkit.graph import cohort_report
    from mentorkit.graph._views import observed_until
    from mentorkit.measurement._disclosure import DisclosurePolicy, Suppressed, _from_counts
    from mentorkit.measurement._figures import rate
    from mentorkit.measurement._table import cell_text, withheld_note

    policy = policy or DisclosurePolicy()
    s = graph.summary()
    rows = cohort_report(graph, within_years=within_years, as_of=as_of)
    until = observed_until(graph, as_of)
    known = []  # the cohorts whose window has ended within the data: the API counted them
    counts: dict[tuple[Hashable, Hashable], int] = {}
    for row in rows:
        if row.paid_forward is not None:
            known.append(row)
            counts[row.group, True] = row.paid_forward
            counts[row.group, False] = row.mentees - row.paid_forward
    # One table, one suppression: the headline's "went on to mentor" is this table's total
    # (the cohorts known), so it can neither be small nor give a withheld cohort away.
    groups = [r.group for r in known]
    table = _from_counts(counts, policy=policy, rows=groups, cols=[True, False])
    while True:  # a withheld group's count is hidden even when 0: protect it as withheld
        hidden = [(g, True) for g in groups if isinstance(table.row_totals[g], Suppressed)]
        if all(isinstance(table.cells[c], Suppressed) for c in hidden):
            break
        table = _from_counts(counts, policy=policy, rows=groups, cols=[True, False],
                             withhold_cells=hidden)  # fmt: skip
    roles = _roles(graph, policy)
    went_on = table.col_totals[True]
    went_share = rate(went_on, table.total, policy)
    # A withheld count of mentors or mentees must not be bounded by the mentorships'
    # count, nor enumerated by the top list (it would list every mentor).
    few = isinstance(roles.row_totals[True], Suppressed) or isinstance(
        roles.col_totals[True], Suppressed
    )
    ties = "* mentorships" if few else _plural(s["mentorships"], "mentorship")
    lines = [
        f"Mentorship graph: {cell_text(roles.total)} people, "
        f"{ties} ({s['first_start']} to {s['last_start']})",
        f"  mentors {cell_text(roles.row_totals[True])}, "
        f"mentees {cell_text(roles.col_totals[True])}, mentees who went on to mentor "
        + (f"{cell_text(went_on)} of {cell_text(table.total)} ({cell_text(went_share, 'rate')}) "
           "in the cohorts known (below)" if known else "- (not yet known, below)"),
        f"  longest chain: {_plural(s['longest_chain'], 'mentorship')}; "
        f"problems: {s['problems']}",
        "",
    ]  # fmt: skip
    hidden_mentors = isinstance(roles.row_totals[True], Suppressed)
    lines += _top(graph, top=top, by=by, as_of=as_of, withhold=hidden_mentors, policy=policy)
    lines += ["", "Went on to mentor by the end of school year "
              f"+{within_years} (school years from 1 July), by cohort:"]  # fmt: skip
    windows = _windows(graph, within_years) if len(known) < len(rows) else {}
    for row in rows:
        if row.paid_forward is None:
            lines.append(f"  {row.group or '(no cohort)':<22}not yet known (counts mentoring "
                         f"begun by {windows[row.group]})")  # fmt: skip
            continue
        forward, size = table.cells[row.group, True], table.row_totals[row.group]
        if isinstance(size, Suppressed):  # even a zero tells about everyone in a small group
            forward = size
        share = rate(forward, size, table.policy)
        lines.append(f"  {row.group or '(no cohort)':<22}{cell_text(forward):>5} of "
                     f"{cell_text(size):<5} ({cell_text(share, 'rate')})")  # fmt: skip
    shown = (*table.cells.values(), *table.row_totals.values(), went_on, table.total,
             roles.total, roles.row_totals[True], roles.col_totals[True])  # fmt: skip
    if any(isinstance(v, Suppressed) for v in shown):
        lines.append(f"  {withheld_note(policy.min_cell)}")
    if len(known) < len(rows):
        why = ("the end of the school year the last mentorship began in"
               if until < (dt.date.today() if as_of is None else as_of)
               else "today" if as_of is None else "the --as-of day")  # fmt: skip
        lines.append(f"  (not yet known: the data runs to {until}, {why})")
    return "\n".join(lines)


def _windows(graph: MentorshipGraph, within_years: int) -> dict[str | None, dt.date]:
    """Per cohort, the day its pay-it-forward window ends: the latest of its mentees'."""
    from mentorkit.graph._views import window_end

    began: dict[str | None, dict[str, dt.date]] = {}
    for m in graph.mentorships:  # by start: a mentee's first mentorship in a cohort comes first
        began.setdefault(m.cohort_id, {}).setdefault(m.mentee_id, m.start)
    return {c: window_end(b, within_years) for c, b in began.items()}


def _plural(n: int, one: str, many: str | None = None) -> str:
    """``1 mentorship``, ``2 mentorships``."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def _roles(graph: MentorshipGraph, policy: DisclosurePolicy) -> Crosstab:
    """The graph's people by (mentored someone, was mentored), under ``policy``.

    The headline publishes its margins (mentors, mentees, people): the suppression every
    report uses keeps a small count, or one a total would give away, withheld.
    """
    from mentorkit.measurement._disclosure import _from_counts

    mentors = {m.mentor_id for m in graph.mentorships}
    mentees = {m.mentee_id for m in graph.mentorships}
    counts: dict[tuple[Hashable, Hashable], int] = {}
    for person in graph.person_ids:
        key = (person in mentors, person in mentees)
        counts[key] = counts.get(key, 0) + 1
    return _from_counts(counts, policy=policy, rows=[True, False], cols=[True, False])


def _top(
    graph: MentorshipGraph, *, top: int, by: MetricName, as_of: dt.date | None,
    withhold: bool = False, policy: DisclosurePolicy | None = None,
) -> list[str]:  # fmt: skip
    """The top mentors (people with a mentee) by one metric, as lines.

    A ranking by students reached when none is recorded yet ranks nothing: the heading
    says so (the mentors follow by id). With ``withhold`` (the number of mentors is
    withheld), a list that would hold every mentor is withheld too: it would count them.
    """
    mentors = [r for r in graph.metrics().top(len(graph), by=by) if r.fecundity > 0]
    heading = f"Top {top} by {by.replace('_', ' ')}:"
    if by in ("reach", "students_reached") and not any(getattr(r, by) for r in mentors):
        day = "yet" if as_of is None else f"by {as_of}"
        heading += f" all 0, no students reached recorded {day}; try --by descendants"
    lines = [heading]
    lines.append(f"  {'person':<14}{'name':<22}{'reach':>10}{'desc.':>7}{'depth':>6}"
                 f"{'mentees':>8}{'fertile':>8}{'g-idx':>6}")  # fmt: skip
    if withhold and len(mentors) <= max(top, 0):
        cells = policy.min_cell if policy is not None else 10
        lines.append(f"  (withheld: it would list every mentor, and so how many there are, "
                     f"fewer than {cells})")  # fmt: skip
        return lines
    people = graph.people
    for r in mentors[: max(top, 0)]:
        name = people[r.person_id].name if r.person_id in people else ""
        lines.append(f"  {r.person_id:<14}{name[:21]:<22}{r.reach:>10,.0f}{r.descendants:>7}"
                     f"{r.depth:>6}{r.fecundity:>8}{r.fertility:>8}"
                     f"{r.genealogical_index:>6}")  # fmt: skip
    return lines
