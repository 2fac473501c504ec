"""Program and cohort views of a mentorship graph: paying it forward, promotions, load."""

from __future__ import annotations

import datetime as dt
import html
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, overload

import attrs

from mentorkit.errors import ValidationError
from mentorkit.model import OutcomeKind

if TYPE_CHECKING:
    import pandas as pd

    from mentorkit.graph._graph import MentorshipGraph
    from mentorkit.model import Mentorship

__all__ = ["PipelineRow", "PipelineTable", "cohort_report", "program_report"]


@attrs.frozen(kw_only=True)
class PipelineRow:
    """How one cohort (or program) fed the pipeline of mentors and leaders.

    Attributes:
        group: The cohort id (or program id); ``None`` for mentorships without one.
        program_id: The program of the cohort (the program itself in a program report).
        mentees: Distinct mentees of the group's mentorships.
        mentors: Distinct mentors of the group's mentorships.
        paid_forward: Mentees who went on to mentor: mentored someone in a mentorship
            starting on or after their (first) mentorship in the group began and no later
            than the end of the school year ``within_years`` school years after that one
            (school years begin on 1 July; ``1``: by the end of the following school year).
            ``None`` (not yet known) when the window of the group's latest mentee ends after
            the day the data is known to (``as_of`` of the report): a 0 would read as
            "nobody went on to mentor" where the school year that decides it is not observed.
        pay_it_forward_rate: ``paid_forward / mentees``; ``None`` when ``paid_forward`` is.
        promoted: Mentees with a ``promotion`` outcome dated on or after that start.
        promotion_rate: ``promoted / mentees``.
        median_days_to_promotion: Median days from that start to the first such promotion
            (``None`` when nobody was promoted).
        mean_load: Mean mentees per mentor in the group.
        max_load: Most mentees of one mentor in the group.
    """

    group: str | None
    program_id: str | None
    mentees: int
    mentors: int
    paid_forward: int | None
    pay_it_forward_rate: float | None
    promoted: int
    promotion_rate: float
    median_days_to_promotion: float | None
    mean_load: float
    max_load: int


_COLUMNS = tuple(a.name for a in attrs.fields(PipelineRow))


class PipelineTable(Sequence[PipelineRow]):
    """Rows of a cohort or program report, with notebook helpers."""

    def __init__(self, rows: Sequence[PipelineRow], *, title: str) -> None:
        self._rows = tuple(rows)
        self.title = title

    @overload
    def __getitem__(self, index: int) -> PipelineRow: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[PipelineRow]: ...
    def __getitem__(self, index: int | slice) -> PipelineRow | Sequence[PipelineRow]:
        return self._rows[index]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[PipelineRow]:
        return iter(self._rows)

    def __repr__(self) -> str:
        return f"<PipelineTable {self.title!r}: {len(self)} rows>"

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a `pandas.DataFrame` (extra ``notebook``)."""
        from mentorkit.graph._export import require

        pandas = require("pandas")
        frame: pd.DataFrame = pandas.DataFrame(
            [attrs.astuple(r) for r in self._rows], columns=list(_COLUMNS)
        )
        return frame

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c.replace('_', ' '))}</th>" for c in _COLUMNS)
        body = "".join(
            "<tr>"
            + "".join(f"<td>{html.escape(_fmt(getattr(r, c), c))}</td>" for c in _COLUMNS)
            + "</tr>"
            for r in self._rows
        )
        return (
            f"<table><caption>{html.escape(self.title)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )


def _fmt(value: object, column: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):  # only the rates are shares; a load of 1.0 is one mentee
        return f"{value:.0%}" if column.endswith("_rate") else f"{value:,.1f}"
    return str(value)


#: The month a school year begins in (July: 2022-23 runs from 1 July 2022 to 30 June 2023).
SCHOOL_YEAR_START_MONTH = 7


def school_year(day: dt.date) -> int:
    """The year a day's school year began in (``2022`` for 2022-23)."""
    return day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1


def end_of_school_year(day: dt.date, later: int = 0) -> dt.date:
    """The last day of the school year ``later`` school years after ``day``'s."""
    last = school_year(day) + later + 1  # the calendar year that school year ends in
    if last > dt.MAXYEAR:  # "within 10,000 years": the end of the calendar
        return dt.date.max
    return dt.date(last, SCHOOL_YEAR_START_MONTH, 1) - dt.timedelta(days=1)


def went_on_to_mentor(
    began: dict[str, dt.date], mentoring: dict[str, list[dt.date]], within_years: int | None
) -> set[str]:
    """The one definition of a mentee who *went on to mentor*, shared by every view.

    A mentee went on to mentor when they are the mentor of a mentorship that starts on or
    after the day their own mentorship began (``began``) and, with ``within_years``, no later
    than the end of the school year ``within_years`` school years after the one it began in
    (``0``: the same school year; ``1``: by the end of the following one). ``mentoring`` holds
    each person's start days as a mentor.
    """
    out = set()
    for person, start in began.items():
        until = dt.date.max if within_years is None else end_of_school_year(start, within_years)
        if any(start <= d <= until for d in mentoring.get(person, ())):
            out.add(person)
    return out


def observed_until(graph: MentorshipGraph, as_of: dt.date | None = None) -> dt.date:
    """The last day the graph's mentoring is known to: who began mentoring by then is in it.

    The end of the school year its last mentorship began in (a school year's mentorships
    are taken to be recorded once one of them is), and no later than ``as_of`` (default
    today): a pay-it-forward window that ends after this day is not yet observable.
    """
    last = max((m.start for m in graph.mentorships), default=None)
    day = dt.date.today() if as_of is None else as_of
    return day if last is None else min(end_of_school_year(last), day)


def window_end(began: dict[str, dt.date], within_years: int) -> dt.date:
    """The day a group's pay-it-forward count is final: its latest mentee's window ends."""
    return end_of_school_year(max(began.values()), within_years) if began else dt.date.min


def _report(
    graph: MentorshipGraph,
    key: Callable[[Mentorship], str | None],
    program: Callable[[str | None, list[Mentorship]], str | None],
    within_years: int,
    as_of: dt.date | None,
    title: str,
) -> PipelineTable:
    from mentorkit.graph._graph import MentorshipGraph

    if not isinstance(graph, MentorshipGraph):
        raise ValidationError("must be a MentorshipGraph (not its metrics or a store)",
                              field="graph", value=type(graph).__name__)  # fmt: skip
    if isinstance(within_years, bool) or not isinstance(within_years, int) or within_years < 0:
        raise ValidationError("must be a whole number >= 0", field="within_years",
                              value=within_years)  # fmt: skip
    if as_of is not None and (isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date)):
        raise ValidationError("must be a datetime.date (or None for the data's end)",
                              field="as_of", value=type(as_of).__name__)  # fmt: skip
    until = observed_until(graph, as_of)
    groups: dict[str | None, list[Mentorship]] = defaultdict(list)
    mentoring: dict[str, list[dt.date]] = defaultdict(list)
    for m in graph.mentorships:
        groups[key(m)].append(m)
        mentoring[m.mentor_id].append(m.start)
    promotions: dict[str, list[dt.date]] = defaultdict(list)
    for o in graph.outcomes:
        if o.kind is OutcomeKind.PROMOTION:
            promotions[o.person_id].append(o.date)
    rows = []
    for group in sorted(groups, key=lambda g: (g is None, g or "")):
        ms = groups[group]
        began: dict[str, dt.date] = {}
        load: dict[str, int] = defaultdict(int)
        for m in ms:
            if m.mentee_id not in began or m.start < began[m.mentee_id]:
                began[m.mentee_id] = m.start
            load[m.mentor_id] += 1
        forward: int | None = None
        if window_end(began, within_years) <= until:
            forward = len(went_on_to_mentor(began, mentoring, within_years))
        promoted_days: list[int] = []
        for person, start in began.items():
            after = [d for d in promotions.get(person, ()) if d >= start]
            if after:
                promoted_days.append((min(after) - start).days)
        n = len(began)
        rows.append(PipelineRow(
            group=group,
            program_id=program(group, ms),
            mentees=n,
            mentors=len(load),
            paid_forward=forward,
            pay_it_forward_rate=None if forward is None else forward / n if n else 0.0,
            promoted=len(promoted_days),
            promotion_rate=len(promoted_days) / n if n else 0.0,
            median_days_to_promotion=float(statistics.median(promoted_days))
            if promoted_days else None,
            mean_load=sum(load.values()) / len(load) if load else 0.0,
            max_load=max(load.values(), default=0),
        ))  # fmt: skip
    return PipelineTable(rows, title=title)


def cohort_report(
    graph: MentorshipGraph, *, within_years: int = 1, as_of: dt.date | None = None
) -> PipelineTable:
    """One row per cohort: pay-it-forward rate, promotions, mentors' load.

    Args:
        graph: The mentorship graph (with outcomes, for promotions).
        within_years: How many school years after the one their mentorship began in a
            mentee may start mentoring and still count as paying it forward (``1``: by the
            end of the following school year; school years begin on 1 July, so a yearly
            cohort's mentees who mentor in the next cohort count, whatever the exact day).
        as_of: The last day the data is known to (default: the end of the school year the
            graph's last mentorship began in, and no later than today; a later ``as_of``
            is capped the same way). A group whose window (its latest mentee's) ends after
            it gets ``paid_forward=None`` and ``pay_it_forward_rate=None``: not yet known.

    Returns:
        The rows, by cohort id (mentorships without a cohort last, as ``group=None``).

    Raises:
        ValidationError: ``graph`` is not a ``MentorshipGraph``, ``within_years`` is not a
            whole number >= 0, or ``as_of`` is not a ``datetime.date``.

    Examples:
        >>> import datetime as dt
        >>> from mentorkit.model import Mentorship
        >>> from mentorkit.graph import MentorshipGraph, cohort_report
        >>> g = MentorshipGraph.from_mentorships([
        ...     Mentorship(id="m1", mentor_id="ana", mentee_id="ben", start=dt.date(2021, 9, 1),
        ...                cohort_id="c21", program_id="fellows"),
        ...     Mentorship(id="m2", mentor_id="ben", mentee_id="cy", start=dt.date(2022, 9, 1),
        ...                cohort_id="c22", program_id="fellows"),
        ... ])
        >>> rows = cohort_report(g, as_of=dt.date(2024, 1, 1))
        >>> [(r.group, r.mentees, r.paid_forward, r.pay_it_forward_rate) for r in rows]
        [('c21', 1, 1, 1.0), ('c22', 1, None, None)]

        The data ends with school year 2022-23, so whether ``cy`` mentors by the end of
        2023-24 is not yet known.
    """

    def program_of(_: str | None, ms: list[Mentorship]) -> str | None:
        programs = {m.program_id for m in ms}
        return programs.pop() if len(programs) == 1 else None

    return _report(graph, lambda m: m.cohort_id, program_of, within_years, as_of,
                   f"Cohorts (went on to mentor by the end of school year "
                   f"+{within_years})")  # fmt: skip


def program_report(
    graph: MentorshipGraph, *, within_years: int = 1, as_of: dt.date | None = None
) -> PipelineTable:
    """One row per program: pay-it-forward rate, promotions, mentors' load.

    Args:
        graph: The mentorship graph (with outcomes, for promotions).
        within_years: How many school years after the one their mentorship began in a
            mentee may start mentoring and still count as paying it forward (``1``: by the
            end of the following school year; school years begin on 1 July, so a yearly
            cohort's mentees who mentor in the next cohort count, whatever the exact day).
        as_of: The last day the data is known to (default: the end of the school year the
            graph's last mentorship began in, and no later than today; a later ``as_of``
            is capped the same way). A group whose window (its latest mentee's) ends after
            it gets ``paid_forward=None`` and ``pay_it_forward_rate=None``: not yet known.

    Returns:
        The rows, by program id.

    Raises:
        ValidationError: ``graph`` is not a ``MentorshipGraph``, ``within_years`` is not a
            whole number >= 0, or ``as_of`` is not a ``datetime.date``.
    """
    return _report(graph, lambda m: m.program_id, lambda group, _: group, within_years, as_of,
                   f"Programs (went on to mentor by the end of school year "
                   f"+{within_years})")  # fmt: skip
