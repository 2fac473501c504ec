"""Outcome reports per program and cohort: promotions, role changes, students, growth."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from mentorkit._gc import collector_paused
from mentorkit.errors import MentorkitError, NotFoundError, ValidationError
from mentorkit.frameworks import Assessment, CompetencyFramework, load_framework
from mentorkit.measurement._disclosure import (
    SUPPRESSED,
    Count,
    Crosstab,
    DisclosurePolicy,
    Suppressed,
)
from mentorkit.measurement._figures import (
    Figure,
    kept,
    known_ids,
    linked_tables,
    protect,
    rate,
    safe,
)
from mentorkit.measurement._table import ReportTable
from mentorkit.measurement._targets import SUPPORTED
from mentorkit.model import Cohort, Enrollment, Outcome, OutcomeKind, Person, Program, Role
from mentorkit.model._checks import store_reader as _check_reader

if TYPE_CHECKING:
    from mentorkit.graph import MentorshipGraph, StoreReader

#: The label of a program's total row in ``cohort_id``.
ALL_COHORTS = "(all cohorts)"
#: The group of people without the demographic attribute asked for.
UNKNOWN = "(unknown)"
COHORTS, GROUPS = "cohorts", "groups"  # the partitions of a program's mentees
#: The column of the promotion and role-change tables for mentees of a cohort whose
#: outcomes are not yet known (their window has not closed within the data).
NOT_YET_KNOWN = "not_yet_known"


@attrs.frozen(kw_only=True)
class OutcomeRow:
    """What one cohort (or a whole program) achieved, every figure under the policy.

    Mentees are counted per cohort (a fellow in two cohorts counts in each); the program
    row (``cohort_id`` is ``"(all cohorts)"``, ``total`` true) adds the cohorts' places up
    (``mentees``, ``promoted``, ``role_changed``, ``assessed``, ``grew``), but counts each
    person's students once (``students_reached``, ``reach_via_graph``). An outcome counts
    for a cohort when it is dated on or after the cohort's start (and, with ``as_of``, on
    or before that day).

    A cohort's promotions and role changes are *not yet known* (``None``) until its window
    has closed within the data, by the rule of
    [`cohort_report`][mentorkit.graph.cohort_report]: the window ends with the school year
    ``within_years`` school years after the one the cohort began in (school years begin on
    1 July); the data is known to the end of the school year the latest cohort began in,
    and no later than ``as_of`` (default today). A 0 would read as "nobody was promoted"
    where the years that decide it are not in the data. A group's and the total row's
    promotion and role-change figures count the mentees whose outcomes are known.

    Attributes:
        program_id: The program.
        cohort_id: The cohort, or ``"(all cohorts)"`` (the total, and a group's rows).
        group: The demographic group of a breakdown's row (``None`` otherwise).
        mentees: Mentees enrolled (selected, active or completed).
        promoted: Mentees promoted since the cohort began; ``None``: not yet known.
        promotion_rate: ``promoted`` over the mentees whose outcomes are known (all of a
            cohort's; ``None`` when not yet known).
        median_days_to_promotion: Median days from the cohort's start to the first promotion.
        role_changed: Mentees with a role change since the cohort began; ``None``: not yet
            known.
        role_change_rate: ``role_changed`` over the mentees whose outcomes are known.
        students_reached: The mentees' own ``students_reached`` outcomes, summed.
        reach_via_graph: Students reached by the mentees and everyone they went on to
            mentor (each person once), when a mentorship graph was given; withheld with
            the row's mentees, for fewer than ``min_cell`` people reaching students, or
            where it would follow from the program's total.
        assessed: Mentees rated on a competency of the program's framework both early and
            late in the cohort; ``None`` (not yet known) exactly when ``promoted`` is, by
            the same rule: a cohort whose end-of-year ratings may not be in the data yet
            is never shown as "assessed 0". A group's and the total row's growth figures
            count the mentees of the cohorts known.
        grew: Assessed mentees whose levels rose on balance; ``None``: not yet known.
        mean_growth_steps: Mean over assessed mentees of the steps gained per competency;
            ``None`` when nobody was assessed or not yet known.
        adherence_rate: Share of commitments met, when adherence figures were given.
        total: Whether this is the program's total row (``cohort_id`` ``"(all cohorts)"``
            and no ``group``): leave it out when summing rows, or it counts twice.
    """

    program_id: str
    cohort_id: str
    group: str | None
    mentees: Count
    promoted: Count | None
    promotion_rate: Figure | None
    median_days_to_promotion: Figure | None
    role_changed: Count | None
    role_change_rate: Figure | None
    students_reached: Figure | None
    reach_via_graph: Figure | None
    assessed: Count | None
    grew: Count | None
    mean_growth_steps: Figure | None
    adherence_rate: Figure | None
    total: bool = False


def _framework(program: Program) -> CompetencyFramework | None:
    if program.framework_id is None:
        return None
    try:
        return load_framework(program.framework_id)
    except MentorkitError:  # a framework this process cannot load: no growth figures
        return None


def _growth_steps(
    framework: CompetencyFramework, ratings: Iterable[Assessment], cohort: Cohort
) -> float | None:
    """Mean steps gained per competency between the first and last rating in the cohort."""
    first: dict[str, Assessment] = {}
    last: dict[str, Assessment] = {}
    for a in ratings:
        if a.framework_id != framework.id or not cohort.start <= a.date <= cohort.end:
            continue
        if a.competency not in framework or a.level not in framework.scale:
            continue
        if a.competency not in first or (a.date, a.id) < (
            first[a.competency].date,
            first[a.competency].id,
        ):
            first[a.competency] = a
        if a.competency not in last or (a.date, a.id) > (
            last[a.competency].date,
            last[a.competency].id,
        ):
            last[a.competency] = a
    rank = framework.scale.rank
    steps = [
        rank(last[code].level) - rank(a.level)
        for code, a in first.items()
        if last[code].date > a.date
    ]
    return sum(steps) / len(steps) if steps else None


@collector_paused
def report_outcomes(
    source: StoreReader,
    *,
    program_id: str | None = None,
    policy: DisclosurePolicy | None = None,
    graph: MentorshipGraph | None = None,
    adherence: Mapping[str, tuple[int, int]] | None = None,
    by: str | None = None,
    as_of: dt.date | None = None,
    within_years: int = 1,
) -> ReportTable[OutcomeRow]:
    """Outcomes per program and cohort: promotions, role changes, students, growth.

    With ``as_of``, the report is the one that day would have given: only outcomes and
    ratings dated on or before it count, and a cohort that had not begun by then is left
    out (a note of the text table names it; the total counts the cohorts begun). A cohort
    whose window (the school year ``within_years`` after the one it began in) ends after
    the day the data is known to (``as_of``, and no later than the end of the school year
    the latest cohort begun began in) gets ``promoted``, ``role_changed``, ``assessed``,
    ``grew`` and ``mean_growth_steps`` of ``None``: not yet known, by the same rule as
    [`cohort_report`][mentorkit.graph.cohort_report], and the text table says so.

    With ``by`` (a demographic attribute such as ``"gender"``), each program's cohort rows
    are followed by its mentees split by that attribute (``group``): demographic
    breakdowns exist only when asked for. The cohort and total rows are exactly those of
    the report without ``by``; the groups are then suppressed keeping every one of those
    figures published (a reader may hold both reports), withholding group figures instead,
    and every group figure when that does not suffice. So the breakdown and the cohort
    report can be shared side by side. (Breakdowns by two different attributes of the same
    people are not protected against each other.)

    Every figure follows ``policy``: counts from 1 to ``min_cell - 1`` are withheld, with
    complementary suppression across the cohorts of a program and its total row (the
    promotion, role-change and growth tables count the same mentees, so a cohort size one
    of them withholds is withheld in all); a rate, median or mean is shown only when the
    counts it rests on are shown and not small; sums (students reached) are withheld for
    fewer than ``min_cell`` contributors, and more are withheld until none can be worked
    out from the program total.

    Args:
        source: A [Store][mentorkit.storage.Store] (anything with ``all``) holding
            programs, cohorts, enrolments, outcomes and assessments.
        program_id: Only this program (default: every program with cohorts).
        policy: Defaults to ``DisclosurePolicy()``.
        graph: A [MentorshipGraph][mentorkit.graph.MentorshipGraph]: also count students
            reached through the people the mentees went on to mentor.
        adherence: The seam for the scheduling report: cohort id -> ``(met, promised)``
            commitments; ``adherence_rate`` stays ``None`` without it.
        by: Split each program's mentees by this attribute of ``Person.demographics``
            (people without it are counted as ``"(unknown)"``).
        as_of: The day the report looks from: outcomes and ratings dated later are left
            out (default: none are), and the data is known to that day at most (default:
            today). For ``reach_via_graph`` as of the same day, pass ``graph.as_of(as_of)``.
        within_years: How many school years after the one a cohort began in its outcomes
            are awaited before they are known (``1``: to the end of the following school
            year; ``0``: to the end of the cohort's own school year).

    Returns:
        For each program, its cohorts by start date, its groups (with ``by``), then its
        total row.

    Raises:
        ValidationError: a bad ``policy`` or ``adherence``, ``by`` not a demographic
            attribute anyone stored has (the message lists the attributes there are),
            ``as_of`` not a ``datetime.date``, or ``within_years`` not a whole number >= 0.
        NotFoundError: ``program_id`` names no stored program (the message lists them).

    Examples:
        >>> from mentorkit import synthetic
        >>> from mentorkit.storage import MemoryStore
        >>> store = MemoryStore()
        >>> _ = store.put_many(synthetic.district(seed=1, staff=600, years=2).entities())
        >>> table = report_outcomes(store, program_id="prog-fellows")
        >>> [(r.cohort_id, r.mentees) for r in table]
        [('coh-fellows-2021', 45), ('coh-fellows-2022', 44), ('(all cohorts)', 89)]

        The data ends with school year 2022-23, so the 2022 cohort's promotions (by the
        end of 2023-24) are not yet known; as of June 2022 only the 2021 cohort had begun,
        and its own school year has ended:

        >>> import datetime as dt
        >>> [r.promoted is None for r in table]
        [False, True, False]
        >>> june = report_outcomes(store, program_id="prog-fellows",
        ...                        as_of=dt.date(2022, 6, 30), within_years=0)
        >>> [(r.cohort_id, r.mentees, r.promoted is None) for r in june]
        [('coh-fellows-2021', 45, False), ('(all cohorts)', 45, False)]

        The 2022 cohort began in August 2022: not part of the report June 2022 gave.
    """
    _check_reader(source, "source", ("all",))
    policy = policy or DisclosurePolicy()
    if not isinstance(policy, DisclosurePolicy):
        raise ValidationError(
            "must be a DisclosurePolicy", field="policy", value=type(policy).__name__
        )
    _check_adherence(adherence)
    if program_id is not None and not isinstance(program_id, str):
        raise ValidationError("must be a program id or None", field="program_id",
                              value=type(program_id).__name__)  # fmt: skip
    if as_of is not None and (isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date)):
        raise ValidationError("must be a datetime.date (or None for today)", field="as_of",
                              value=type(as_of).__name__)  # fmt: skip
    if isinstance(within_years, bool) or not isinstance(within_years, int) or within_years < 0:
        raise ValidationError("must be a whole number >= 0", field="within_years",
                              value=within_years)  # fmt: skip
    programs = {p.id: p for p in source.all(Program)}
    every_cohort = list(source.all(Cohort))
    if program_id is not None:
        _check_program(program_id, programs, every_cohort)
    # The report that day would have given: a cohort not begun by then is not in it.
    not_begun = sorted(
        (k for k in every_cohort if as_of is not None and k.start > as_of
         and (program_id is None or k.program_id == program_id)),
        key=lambda k: (k.start, k.id),
    )  # fmt: skip
    every_cohort = [k for k in every_cohort if as_of is None or k.start <= as_of]
    cohorts_of: dict[str, list[Cohort]] = {}
    for k in every_cohort:
        if program_id is None or k.program_id == program_id:
            cohorts_of.setdefault(k.program_id, []).append(k)
    mentees: dict[str, set[str]] = {}
    for e in source.all(Enrollment):
        if e.role is Role.MENTEE and e.status in SUPPORTED:
            mentees.setdefault(e.cohort_id, set()).add(e.person_id)
    promotions: dict[str, list[Any]] = {}
    changes: dict[str, list[Any]] = {}
    students: dict[str, float] = {}
    for o in source.all(Outcome):
        if as_of is not None and o.date > as_of:
            continue
        if o.kind is OutcomeKind.PROMOTION:
            promotions.setdefault(o.person_id, []).append(o.date)
        elif o.kind is OutcomeKind.ROLE_CHANGE:
            changes.setdefault(o.person_id, []).append(o.date)
        elif o.value is not None:
            students[o.person_id] = students.get(o.person_id, 0.0) + o.value
    frameworks = {pid: _framework(p) for pid, p in programs.items()}
    ratings: dict[str, list[Assessment]] = {}
    if any(frameworks.values()):
        wanted = {f.id for f in frameworks.values() if f is not None}
        for a in source.all(Assessment):
            if a.framework_id in wanted and (as_of is None or a.date <= as_of):
                ratings.setdefault(a.person_id, []).append(a)
    if by is not None and (not isinstance(by, str) or not by):
        raise ValidationError("must be a demographic attribute name", field="by", value=by)
    group_of: dict[str, str] = {}
    if by is not None:
        keys: set[str] = set()
        for someone in source.all(Person):
            keys.update(someone.demographics or {})
            group_of[someone.id] = (someone.demographics or {}).get(by, UNKNOWN)
        if group_of and by not in keys:
            # Only the attribute names are shown, never anyone's values.
            raise ValidationError(
                f"is not a demographic attribute of anyone stored (attributes: {known_ids(keys)})",
                field="by",
                value=by,
            )
    # The rule of the graph's cohort report: a cohort's outcomes are known once its window
    # has closed by the day the data is known to.
    from mentorkit.graph._views import end_of_school_year

    until = dt.date.today() if as_of is None else as_of
    if every_cohort:
        until = min(until, end_of_school_year(max(k.start for k in every_cohort)))
    known = {k.id for k in every_cohort if end_of_school_year(k.start, within_years) <= until}
    rows: list[OutcomeRow] = []
    notes: list[str] = []
    if program_id is not None and not_begun:  # asked for: its total row, even of no one
        cohorts_of.setdefault(program_id, [])
    for pid in sorted(cohorts_of):
        cohorts = sorted(cohorts_of[pid], key=lambda k: (k.start, k.id))
        # The cohorts always (as the report without a breakdown shows them), and the
        # breakdown when asked, suppressed against them: the two can be shared together.
        partitions: dict[str, dict[str, list[tuple[str, Cohort]]]] = {}
        partitions[COHORTS] = {
            k.id: [(p, k) for p in sorted(mentees.get(k.id, ()))] for k in cohorts
        }
        if by is not None:
            groups: dict[str, list[tuple[str, Cohort]]] = {}
            for k in cohorts:
                for person in sorted(mentees.get(k.id, ())):
                    groups.setdefault(group_of.get(person, UNKNOWN), []).append((person, k))
            partitions[GROUPS] = dict(sorted(groups.items()))
        rows += _program_rows(
            pid,
            partitions,
            _Facts(promotions, changes, students, ratings, known),
            frameworks.get(pid),
            policy,
            graph,
            adherence,
        )
        notes += [
            f"{k.id}: promotions, role changes and growth not yet known (known once the data "
            f"reaches {end_of_school_year(k.start, within_years).isoformat()})"
            for k in cohorts
            if k.id not in known
        ]
    notes += [f"{k.id}: not begun by {as_of} (starts {k.start}), left out" for k in not_begun]
    if len(notes) > len(not_begun):
        day = dt.date.today() if as_of is None else as_of
        why = (
            "the end of the school year the latest cohort began in"
            if until < day
            else "today"
            if as_of is None
            else "the day the report looks from"
        )
        notes.append(
            f"(not yet known: the data runs to {until.isoformat()}, {why}; a total row "
            "counts the promotions, role changes and growth of the cohorts known)"
        )
    return ReportTable(
        rows,
        row_type=OutcomeRow,
        title="Outcomes by program and cohort" if by is None else f"Outcomes by program and {by}",
        policy=policy,
        notes=notes,
    )


def _check_program(
    program_id: object, programs: Mapping[str, Program], cohorts: list[Cohort]
) -> None:
    """Raise NotFoundError unless ``program_id`` names a stored program (or one with cohorts)."""
    if not isinstance(program_id, str):
        raise ValidationError(
            "must be a program id", field="program_id", value=type(program_id).__name__
        )
    known = set(programs) | {k.program_id for k in cohorts}
    if program_id in known:
        return
    hint = ""
    cohort = next((k for k in cohorts if k.id == program_id), None)
    if cohort is not None:
        hint = f" ({program_id!r} is a cohort of program {cohort.program_id!r})"
    raise NotFoundError(f"no program {program_id!r}{hint}; programs: {known_ids(known)}")


@attrs.frozen
class _Facts:
    """Per person: promotion and role-change dates, students reached, ratings."""

    promotions: Mapping[str, list[Any]]
    changes: Mapping[str, list[Any]]
    students: Mapping[str, float]
    ratings: Mapping[str, list[Assessment]]
    known: set[str]  # the cohorts whose promotions and role changes are known


def _program_rows(
    program_id: str,
    partitions: Mapping[str, Mapping[str, list[tuple[str, Cohort]]]],
    facts: _Facts,
    framework: CompetencyFramework | None,
    policy: DisclosurePolicy,
    graph: Any,
    adherence: Mapping[str, tuple[int, int]] | None,
) -> list[OutcomeRow]:
    """The rows of one program: each partition's (cohorts, then groups), then its total.

    Each partition splits the same members (a mentee's place in a cohort; outcomes count
    from that cohort's start) by its labels. The cohorts are suppressed on their own (as
    without a breakdown), then the groups keeping the cohorts' published figures.
    """
    counts: dict[tuple[Hashable, Hashable], dict[tuple[Hashable, Hashable], int]] = {}
    days: dict[tuple[str, str], list[int]] = {}
    sums: dict[tuple[str, str], float] = {}
    contributors: dict[tuple[str, str], int] = {}
    knowing: dict[tuple[str, str], int] = {}  # members whose outcomes are known
    steps: dict[tuple[str, str], list[float]] = {}
    gains: dict[tuple[str, str], float | None] = {}  # per (person, cohort): computed once
    students = facts.students
    for part, members in partitions.items():
        promoted = counts.setdefault((part, "promoted"), {})
        changed = counts.setdefault((part, "role_changed"), {})
        growth = counts.setdefault((part, "growth"), {})
        for label, people in members.items():
            for person, k in people:
                if k.id not in facts.known:  # counted apart: neither promoted nor not
                    promoted[label, NOT_YET_KNOWN] = promoted.get((label, NOT_YET_KNOWN), 0) + 1
                    changed[label, NOT_YET_KNOWN] = changed.get((label, NOT_YET_KNOWN), 0) + 1
                else:
                    knowing[part, label] = knowing.get((part, label), 0) + 1
                    after = [d for d in facts.promotions.get(person, ()) if d >= k.start]
                    promoted[label, bool(after)] = promoted.get((label, bool(after)), 0) + 1
                    if after:
                        days.setdefault((part, label), []).append((min(after) - k.start).days)
                    moved = any(d >= k.start for d in facts.changes.get(person, ()))
                    changed[label, moved] = changed.get((label, moved), 0) + 1
                if person in students:
                    sums[part, label] = sums.get((part, label), 0.0) + students[person]
                    contributors[part, label] = contributors.get((part, label), 0) + 1
                if (person, k.id) not in gains:
                    gained = None
                    if framework is not None and person in facts.ratings:
                        gained = _growth_steps(framework, facts.ratings[person], k)
                    gains[person, k.id] = gained
                gained = gains[person, k.id]
                if k.id not in facts.known:  # by the promotions' rule: not yet known
                    state = NOT_YET_KNOWN
                else:
                    state = "unrated" if gained is None else ("grew" if gained > 0 else "flat")
                growth[label, state] = growth.get((label, state), 0) + 1
                if gained is not None and k.id in facts.known:
                    steps.setdefault((part, label), []).append(gained)
    # The cohorts exactly as the report without a breakdown shows them; then the groups,
    # keeping every cohort figure published (a reader may hold both reports), withholding
    # group figures instead; should that not suffice, every group figure is withheld.
    attributes = ("promoted", "role_changed", "growth")
    tables = linked_tables(
        {(COHORTS, a): counts[COHORTS, a] for a in attributes},
        rows={COHORTS: list(partitions[COHORTS])},
        policy=policy,
    )
    groups_blank = False
    if GROUPS in partitions:
        given: dict[Hashable, Crosstab] = {a: tables[COHORTS, a] for a in attributes}
        by_group = linked_tables(
            {(GROUPS, a): counts[GROUPS, a] for a in attributes},
            rows={GROUPS: list(partitions[GROUPS])},
            policy=policy,
            given=given,
        )
        groups_blank = not kept({a: by_group[GROUPS, a] for a in attributes}, given)
        tables.update(by_group)
    totals = tables[COHORTS, "promoted"]  # every table shares the grand total
    # Sums over the same people (students reached, growth steps): withheld for few
    # contributors or a withheld group size, then more until none follows from the total
    # (which every partition shares).
    hidden: dict[str, set[Hashable]] = {}
    values: dict[str, dict[Hashable, float]] = {}
    for name, total_of, size_of in (
        ("students", sums, contributors),
        ("steps", {k: sum(v) for k, v in steps.items()}, {k: len(v) for k, v in steps.items()}),
    ):
        vals: dict[Hashable, float] = {ALL_COHORTS: 0.0}
        withheld: set[Hashable] = set()
        equations: list[tuple[Hashable, list[Hashable]]] = []
        n_all = 0
        for part, members in partitions.items():
            table = tables[part, "promoted"]
            for label in members:
                vals[part, label] = total_of.get((part, label), 0.0)
                n = size_of.get((part, label), 0)
                if policy.is_small(n) or isinstance(table.row_totals[label], Suppressed):
                    withheld.add((part, label))
            equations.append((ALL_COHORTS, [(part, label) for label in members]))
        if name == "students":
            # The program's total counts each person once (a fellow in two cohorts adds
            # their students to each cohort's row, but once to the program's).
            reaching = {p for people in partitions[COHORTS].values() for p, _ in people}
            reaching &= students.keys()
            vals[ALL_COHORTS] = sum(students[p] for p in sorted(reaching))
            n_all = len(reaching)
        else:
            for label in partitions[COHORTS]:
                vals[ALL_COHORTS] += vals[COHORTS, label]
                n_all += size_of.get((COHORTS, label), 0)
        if policy.is_small(n_all) or isinstance(totals.total, Suppressed):
            withheld.add(ALL_COHORTS)
        if withheld and policy.complementary:
            groups_blank |= not _protect_sums(
                vals,
                withheld,
                equations,
                dict(size_of.items()),
                policy,
            )
        hidden[name], values[name] = withheld, vals
    everyone = {person: k for people in partitions[COHORTS].values() for person, k in people}
    # Reach through the graph, like the sums: withheld for few contributors or a withheld
    # group size, then more until none follows from the program's (a reader may take the
    # rows' reaches to add up, as they do when the people reached are apart).
    reach: dict[Hashable, tuple[float, int]] = {}
    reach_hidden: set[Hashable] = set()
    if graph is not None:
        for part, members in partitions.items():
            table = tables[part, "promoted"]
            for label, people in members.items():
                reach[part, label] = _graph_reach(graph, {p for p, _ in people}, students)
                if isinstance(table.row_totals[label], Suppressed):
                    reach_hidden.add((part, label))
        reach[ALL_COHORTS] = _graph_reach(graph, set(everyone), students)
        if isinstance(totals.total, Suppressed):
            reach_hidden.add(ALL_COHORTS)
        reach_hidden |= {k for k, (_, n) in reach.items() if policy.is_small(n)}
        if reach_hidden and policy.complementary:
            groups_blank |= not _protect_sums(
                {k: v for k, (v, _) in reach.items()},
                reach_hidden,
                [(ALL_COHORTS, [(p, label) for label in m]) for p, m in partitions.items()],
                {k: n for k, (_, n) in reach.items()},
                policy,
            )

    def reach_figure(vkey: Hashable) -> Figure | None:
        if graph is None:
            return None
        if vkey in reach_hidden:
            return SUPPRESSED
        value, contributors = reach[vkey]
        if not contributors:
            return None
        return int(value) if float(value).is_integer() else value  # a count prints as one

    def cell(table: Any, row: str, col: Hashable) -> Count:
        if row == ALL_COHORTS:
            return table.col_totals.get(col, 0)  # type: ignore[no-any-return]
        return table.cells.get((row, col), 0)  # type: ignore[no-any-return]

    def total(table: Any, row: str) -> Count:
        return table.total if row == ALL_COHORTS else table.row_totals[row]  # type: ignore[no-any-return]

    def row(part: str, key: str) -> OutcomeRow:
        if part == GROUPS and groups_blank:
            return _withheld_row(program_id, key)
        t_prom, t_change, t_growth = (
            tables[part, a] for a in ("promoted", "role_changed", "growth")
        )
        labels = list(partitions[part]) if key == ALL_COHORTS else [key]
        vkey: Hashable = key if key == ALL_COHORTS else (part, key)
        size = total(t_prom, key)
        n_prom: Count | None = cell(t_prom, key, True)
        n_moved: Count | None = cell(t_change, key, True)
        # The rates are over the mentees whose outcomes are known: all of them, or (for a
        # group or the total beside a cohort not yet known) those counted either way.
        n_known = sum(knowing.get((part, label), 0) for label in labels)

        def base(table: Any) -> Count:
            if cell(table, key, NOT_YET_KNOWN) == 0:
                return size
            yes, no = cell(table, key, True), cell(table, key, False)
            if isinstance(yes, Suppressed) or isinstance(no, Suppressed):
                return SUPPRESSED
            return yes + no

        grew, flat = cell(t_growth, key, "grew"), cell(t_growth, key, "flat")
        assessed: Count = (
            SUPPRESSED
            if isinstance(grew, Suppressed) or isinstance(flat, Suppressed)
            else grew + flat
        )
        if isinstance(size, Suppressed):
            # Even a zero would tell something about everyone in a small group.
            n_prom = n_moved = grew = assessed = SUPPRESSED
        growth_known: bool = True
        if not n_known and not isinstance(size, Suppressed) and size:
            n_prom = n_moved = None  # not yet known (an empty row stays a 0 of 0)
            growth_known = False  # growth too, by the same rule (never "assessed 0")
        my_days = [d for label in labels for d in days.get((part, label), ())]
        median: Figure | None = None
        if n_prom is not None and (isinstance(n_prom, Suppressed) or policy.is_small(len(my_days))):
            median = SUPPRESSED
        elif my_days:
            median = float(statistics.median(my_days))
        n_steps = sum(len(steps.get((part, label), ())) for label in labels)
        mean_steps: Figure | None = None
        if not growth_known:
            pass
        elif vkey in hidden["steps"] or isinstance(assessed, Suppressed):
            mean_steps = SUPPRESSED
        elif n_steps:
            mean_steps = values["steps"][vkey] / n_steps
        n_contrib = sum(contributors.get((part, label), 0) for label in labels)
        students_figure: Figure | None = None
        if vkey in hidden["students"]:
            students_figure = SUPPRESSED
        elif n_contrib:
            students_figure = values["students"][vkey]
            if students_figure.is_integer():
                students_figure = int(students_figure)
        return OutcomeRow(
            program_id=program_id,
            cohort_id=key if part == COHORTS else ALL_COHORTS,
            group=key if part == GROUPS else None,
            mentees=size,
            promoted=n_prom,
            promotion_rate=None if n_prom is None else rate(n_prom, base(t_prom), policy),
            median_days_to_promotion=median,
            role_changed=n_moved,
            role_change_rate=None if n_moved is None else rate(n_moved, base(t_change), policy),
            students_reached=students_figure,
            reach_via_graph=reach_figure(vkey),
            assessed=assessed if growth_known else None,
            grew=grew if growth_known else None,
            mean_growth_steps=mean_steps,
            adherence_rate=(
                SUPPRESSED  # a rate about a withheld group of people, however many promises
                if adherence is not None and isinstance(size, Suppressed)
                else _adherence(adherence, labels if part == COHORTS else [], policy)
            ),
            total=key == ALL_COHORTS,
        )

    rows = [row(part, key) for part, members in partitions.items() for key in members]
    rows.append(row(COHORTS, ALL_COHORTS))
    return rows


def _withheld_row(program_id: str, group: str) -> OutcomeRow:
    """A breakdown's row with every figure withheld."""
    return OutcomeRow(
        program_id=program_id,
        cohort_id=ALL_COHORTS,
        group=group,
        mentees=SUPPRESSED,
        promoted=SUPPRESSED,
        promotion_rate=SUPPRESSED,
        median_days_to_promotion=SUPPRESSED,
        role_changed=SUPPRESSED,
        role_change_rate=SUPPRESSED,
        students_reached=SUPPRESSED,
        reach_via_graph=SUPPRESSED,
        assessed=SUPPRESSED,
        grew=SUPPRESSED,
        mean_growth_steps=SUPPRESSED,
        adherence_rate=None,
    )


def _protect_sums(
    values: Mapping[Hashable, float],
    withheld: set[Hashable],
    equations: list[tuple[Hashable, list[Hashable]]],
    sizes: Mapping[Hashable, int],
    policy: DisclosurePolicy,
) -> bool:
    """Protect sums over a program's cohorts, then over its groups with the cohorts' kept.

    ``equations`` are the partitions' ``(ALL_COHORTS, parts)``, the cohorts' first. The
    cohorts are protected as the report without a breakdown protects them; the groups then
    never withhold the total to protect a group. Withheld parts of a published total must
    together rest on ``min_cell`` people or none (their sum, and a mean, would follow).

    Returns:
        Whether the groups could be protected (else every group figure must be withheld).
    """
    first, *rest = equations
    protect(values, withheld, [first], sizes=sizes, min_cell=policy.min_cell)
    fixed = () if ALL_COHORTS in withheld else (ALL_COHORTS,)
    ok = True
    for eq in rest:
        protect(values, withheld, [eq], sizes=sizes, min_cell=policy.min_cell, fixed=fixed)
        ok &= safe(values, withheld, [eq], sizes, policy.min_cell)
    return ok


def _graph_reach(graph: Any, people: set[str], students: Mapping[str, float]) -> tuple[float, int]:
    """Students reached by ``people`` and those they went on to mentor, and by how many.

    Each person counts once; the count is of the people whose students the sum adds up.
    """
    reached = set(people)
    for person in people:
        if person in graph:
            reached |= graph.descendants(person)
    counted = [students[p] for p in reached if p in students]
    return float(sum(counted)), len(counted)


def _check_adherence(adherence: object) -> None:
    """Require ``None`` or cohort id -> ``(met, promised)``, whole numbers, met <= promised."""
    if adherence is None:
        return
    if not isinstance(adherence, Mapping):
        raise ValidationError(
            "must map cohort ids to (met, promised)",
            field="adherence",
            value=type(adherence).__name__,
        )
    for cohort_id, pair in adherence.items():
        ok = (
            isinstance(pair, tuple | list)
            and len(pair) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in pair)
            and pair[0] <= pair[1]
        )
        if not ok:
            raise ValidationError(
                "must be (met, promised): whole numbers >= 0 with met <= promised",
                field=f"adherence[{cohort_id!r}]",
                value=pair if isinstance(pair, tuple | list) else type(pair).__name__,
            )


def _adherence(
    adherence: Mapping[str, tuple[int, int]] | None,
    cohorts: list[str],
    policy: DisclosurePolicy,
) -> Figure | None:
    if adherence is None:
        return None
    pairs = [adherence[k] for k in cohorts if k in adherence]
    if not pairs:
        return None
    met, promised = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
    return rate(met, promised, policy)
