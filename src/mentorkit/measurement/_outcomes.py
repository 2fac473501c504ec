"""Outcome reports per program and cohort: promotions, role changes, students, growth."""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import attrs

from mentorkit.errors import MentorkitError, ValidationError
from mentorkit.frameworks import Assessment, CompetencyFramework, load_framework
from mentorkit.measurement._disclosure import SUPPRESSED, Count, DisclosurePolicy, Suppressed
from mentorkit.measurement._figures import Figure, linked_tables, protect, rate
from mentorkit.measurement._table import ReportTable
from mentorkit.measurement._targets import SUPPORTED
from mentorkit.model import Cohort, Enrollment, Outcome, OutcomeKind, Program, Role

#: The label of a program's total row in ``cohort_id``.
ALL_COHORTS = "(all cohorts)"


@attrs.frozen(kw_only=True)
class OutcomeRow:
    """What one cohort (or a whole program) achieved, every figure under the policy.

    Mentees are counted per cohort (a fellow in two cohorts counts in each); the program
    row (``cohort_id`` is ``"(all cohorts)"``) adds the cohorts up. An outcome counts for a
    cohort when it is dated on or after the cohort's start.

    Attributes:
        program_id: The program.
        cohort_id: The cohort, or ``"(all cohorts)"``.
        mentees: Mentees enrolled (selected, active or completed).
        promoted: Mentees promoted since the cohort began.
        promotion_rate: ``promoted / mentees``.
        median_days_to_promotion: Median days from the cohort's start to the first promotion.
        role_changed: Mentees with a role change since the cohort began.
        role_change_rate: ``role_changed / mentees``.
        students_reached: The mentees' own ``students_reached`` outcomes, summed.
        reach_via_graph: Students reached by the mentees and everyone they went on to
            mentor (each person once), when a mentorship graph was given.
        assessed: Mentees rated on a competency of the program's framework both early and
            late in the cohort.
        grew: Assessed mentees whose levels rose on balance.
        mean_growth_steps: Mean over assessed mentees of the steps gained per competency.
        adherence_rate: Share of commitments met, when adherence figures were given.
    """

    program_id: str
    cohort_id: str
    mentees: Count
    promoted: Count
    promotion_rate: Figure | None
    median_days_to_promotion: Figure | None
    role_changed: Count
    role_change_rate: Figure | None
    students_reached: Figure | None
    reach_via_graph: Figure | None
    assessed: Count
    grew: Count
    mean_growth_steps: Figure | None
    adherence_rate: Figure | None


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


def report_outcomes(
    source: Any,
    *,
    program_id: str | None = None,
    policy: DisclosurePolicy | None = None,
    graph: Any = None,
    adherence: Mapping[str, tuple[int, int]] | None = None,
) -> ReportTable[OutcomeRow]:
    """Outcomes per program and cohort: promotions, role changes, students, growth.

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

    Returns:
        For each program, its cohorts by start date then its total row.

    Raises:
        ValidationError: a bad ``policy`` or ``adherence``.

    Examples:
        >>> from mentorkit import synthetic
        >>> from mentorkit.storage import MemoryStore
        >>> store = MemoryStore()
        >>> _ = store.put_many(synthetic.district(seed=1, staff=600, years=2).entities())
        >>> table = report_outcomes(store, program_id="prog-fellows")
        >>> [(r.cohort_id, r.mentees) for r in table]
        [('coh-fellows-2021', 45), ('coh-fellows-2022', 44), ('(all cohorts)', 89)]
    """
    policy = policy or DisclosurePolicy()
    if not isinstance(policy, DisclosurePolicy):
        raise ValidationError(
            "must be a DisclosurePolicy", field="policy", value=type(policy).__name__
        )
    programs = {p.id: p for p in source.all(Program)}
    cohorts_of: dict[str, list[Cohort]] = {}
    for k in source.all(Cohort):
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
            if a.framework_id in wanted:
                ratings.setdefault(a.person_id, []).append(a)
    rows: list[OutcomeRow] = []
    for pid in sorted(cohorts_of):
        cohorts = sorted(cohorts_of[pid], key=lambda k: (k.start, k.id))
        rows += _program_rows(
            pid,
            cohorts,
            mentees,
            promotions,
            changes,
            students,
            frameworks.get(pid),
            ratings,
            policy,
            graph,
            adherence,
        )
    return ReportTable(
        rows, row_type=OutcomeRow, title="Outcomes by program and cohort", policy=policy
    )


def _program_rows(
    program_id: str,
    cohorts: list[Cohort],
    mentees: Mapping[str, set[str]],
    promotions: Mapping[str, list[Any]],
    changes: Mapping[str, list[Any]],
    students: Mapping[str, float],
    framework: CompetencyFramework | None,
    ratings: Mapping[str, list[Assessment]],
    policy: DisclosurePolicy,
    graph: Any,
    adherence: Mapping[str, tuple[int, int]] | None,
) -> list[OutcomeRow]:
    ids = [k.id for k in cohorts]
    promoted: dict[tuple[Hashable, Hashable], int] = {}
    changed: dict[tuple[Hashable, Hashable], int] = {}
    growth: dict[tuple[Hashable, Hashable], int] = {}
    days: dict[str, list[int]] = {}
    sums: dict[str, float] = {}
    contributors: dict[str, int] = {}
    steps: dict[str, list[float]] = {}
    for k in cohorts:
        people = mentees.get(k.id, set())
        for person in people:
            after = [d for d in promotions.get(person, ()) if d >= k.start]
            promoted[k.id, bool(after)] = promoted.get((k.id, bool(after)), 0) + 1
            if after:
                days.setdefault(k.id, []).append((min(after) - k.start).days)
            moved = any(d >= k.start for d in changes.get(person, ()))
            changed[k.id, moved] = changed.get((k.id, moved), 0) + 1
            if person in students:
                sums[k.id] = sums.get(k.id, 0.0) + students[person]
                contributors[k.id] = contributors.get(k.id, 0) + 1
            gained = None
            if framework is not None and person in ratings:
                gained = _growth_steps(framework, ratings[person], k)
            state = "unrated" if gained is None else ("grew" if gained > 0 else "flat")
            growth[k.id, state] = growth.get((k.id, state), 0) + 1
            if gained is not None:
                steps.setdefault(k.id, []).append(gained)
    t_prom, t_change, t_growth = linked_tables([promoted, changed, growth], rows=ids, policy=policy)
    # Sums over the same people: withheld for few contributors or a withheld cohort size,
    # then more until none follows from the program's total.
    sum_values: dict[Hashable, float] = {k: sums.get(k, 0.0) for k in ids}
    sum_values[ALL_COHORTS] = sum(sum_values.values())
    n_contrib = {**contributors, ALL_COHORTS: sum(contributors.values())}
    hidden: set[Hashable] = {
        k
        for k in sum_values
        if policy.is_small(n_contrib.get(str(k), 0))
        or (k != ALL_COHORTS and isinstance(t_prom.row_totals[k], Suppressed))
        or (k == ALL_COHORTS and isinstance(t_prom.total, Suppressed))
    }
    step_values: dict[Hashable, float] = {k: sum(steps.get(k, ())) for k in ids}
    step_values[ALL_COHORTS] = sum(step_values.values())
    all_steps = [s for k in ids for s in steps.get(k, ())]
    step_hidden: set[Hashable] = {
        k
        for k in step_values
        if policy.is_small(len(steps.get(str(k), ())) if k != ALL_COHORTS else len(all_steps))
    }
    if policy.complementary:
        for values, withheld in ((sum_values, hidden), (step_values, step_hidden)):
            if withheld:
                protect(values, withheld, [(ALL_COHORTS, list(ids))])

    def cell(table: Any, row: str, col: Hashable) -> Count:
        if row == ALL_COHORTS:
            return table.col_totals.get(col, 0)  # type: ignore[no-any-return]
        return table.cells.get((row, col), 0)  # type: ignore[no-any-return]

    def total(table: Any, row: str) -> Count:
        return table.total if row == ALL_COHORTS else table.row_totals[row]  # type: ignore[no-any-return]

    rows = []
    for key in [*ids, ALL_COHORTS]:
        size = total(t_prom, key)
        n_prom = cell(t_prom, key, True)
        n_moved = cell(t_change, key, True)
        grew, flat = cell(t_growth, key, "grew"), cell(t_growth, key, "flat")
        assessed: Count = (
            SUPPRESSED
            if isinstance(grew, Suppressed) or isinstance(flat, Suppressed)
            else grew + flat
        )
        if isinstance(size, Suppressed):
            # Even a zero would tell something about everyone in a small cohort.
            n_prom = n_moved = grew = assessed = SUPPRESSED
        my_days = (
            [d for k in ids for d in days.get(k, ())] if key == ALL_COHORTS else days.get(key, [])
        )
        median: Figure | None = None
        if isinstance(n_prom, Suppressed) or policy.is_small(len(my_days)):
            median = SUPPRESSED
        elif my_days:
            median = float(statistics.median(my_days))
        n_steps = len(all_steps) if key == ALL_COHORTS else len(steps.get(key, ()))
        mean_steps: Figure | None = None
        if key in step_hidden or isinstance(assessed, Suppressed):
            mean_steps = SUPPRESSED
        elif n_steps:
            mean_steps = step_values[key] / n_steps
        students_figure: Figure | None = SUPPRESSED if key in hidden else sum_values[key]
        if not n_contrib.get(key) and key not in hidden:
            students_figure = None
        rows.append(
            OutcomeRow(
                program_id=program_id,
                cohort_id=key,
                mentees=size,
                promoted=n_prom,
                promotion_rate=rate(n_prom, size, policy),
                median_days_to_promotion=median,
                role_changed=n_moved,
                role_change_rate=rate(n_moved, size, policy),
                students_reached=students_figure,
                reach_via_graph=_graph_reach(graph, key, ids, mentees, students, policy),
                assessed=assessed,
                grew=grew,
                mean_growth_steps=mean_steps,
                adherence_rate=_adherence(adherence, key, ids, policy),
            )
        )
    return rows


def _graph_reach(
    graph: Any,
    key: str,
    ids: list[str],
    mentees: Mapping[str, set[str]],
    students: Mapping[str, float],
    policy: DisclosurePolicy,
) -> Figure | None:
    if graph is None:
        return None
    people: set[str] = set()
    for k in ids if key == ALL_COHORTS else [key]:
        for person in mentees.get(k, ()):
            people.add(person)
            if person in graph:
                people |= graph.descendants(person)
    counted = [students[p] for p in people if p in students]
    if policy.is_small(len(counted)):
        return SUPPRESSED
    return sum(counted) if counted else None


def _adherence(
    adherence: Mapping[str, tuple[int, int]] | None,
    key: str,
    ids: list[str],
    policy: DisclosurePolicy,
) -> Figure | None:
    if adherence is None:
        return None
    if not isinstance(adherence, Mapping):
        raise ValidationError(
            "must map cohort ids to (met, promised)",
            field="adherence",
            value=type(adherence).__name__,
        )
    pairs = [adherence[k] for k in (ids if key == ALL_COHORTS else [key]) if k in adherence]
    if not pairs:
        return None
    met, promised = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
    return rate(met, promised, policy)
