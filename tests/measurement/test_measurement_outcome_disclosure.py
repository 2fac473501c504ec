"""Outcome reports: no withheld count can be pinned down from what the reports publish.

Independent of the implementation: a linear program (SciPy ``linprog``) over the true
joint counts (cohort x group x promoted) with every published figure of the cohort report
and of the demographic breakdown as an equality and counts >= 0. Every withheld small count
must be able to take at least two values.
"""

import datetime as dt
import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.measurement import ALL_COHORTS, DisclosurePolicy, Suppressed, report_outcomes
from mentorkit.model import Cohort, Enrollment, Outcome, Person, Program
from mentorkit.storage import MemoryStore

GROUPS = ("f", "m")


def build(spec):
    """spec[cohort][group] = (mentees, promoted)."""
    store = MemoryStore()
    store.put(Program(id="gem", name="GEM"))
    n = 0
    for k, by_group in enumerate(spec):
        store.put(
            Cohort(
                id=f"c{k}",
                program_id="gem",
                name=str(k),
                start=dt.date(2019 + k, 8, 1),
                end=dt.date(2020 + k, 6, 30),
            )
        )
        for g, (size, promoted) in zip(GROUPS, by_group, strict=True):
            for i in range(size):
                n += 1
                store.put(Person(id=f"p{n}", name="X", demographics={"gender": g}))
                store.put(
                    Enrollment(
                        id=f"e{n}",
                        person_id=f"p{n}",
                        cohort_id=f"c{k}",
                        role="mentee",
                        status="completed",
                    )
                )
                if i < promoted:
                    store.put(
                        Outcome(
                            id=f"o{n}",
                            person_id=f"p{n}",
                            kind="promotion",
                            date=dt.date(2021 + k, 1, 1),
                        )
                    )
    return store


def published_equations(spec, tables):
    """Equalities over the joint counts x[k, g, promoted] from every published figure."""
    cells = list(itertools.product(range(len(spec)), range(len(GROUPS)), (True, False)))
    index = {c: i for i, c in enumerate(cells)}
    a_eq, b_eq = [], []

    def add(members, shown):
        if isinstance(shown, Suppressed) or shown is None:
            return
        row = np.zeros(len(cells))
        row[[index[m] for m in members]] = 1
        a_eq.append(row)
        b_eq.append(shown)

    for table, part in tables:
        for r in table:
            if part == "cohort":
                ks = range(len(spec)) if r.cohort_id == ALL_COHORTS else [int(r.cohort_id[1:])]
                gs = range(len(GROUPS))
            else:
                ks = range(len(spec))
                gs = range(len(GROUPS)) if r.group is None else [GROUPS.index(r.group)]
            add([(k, g, p) for k in ks for g in gs for p in (True, False)], r.mentees)
            add([(k, g, True) for k in ks for g in gs], r.promoted)
    return cells, index, a_eq, b_eq


specs = st.lists(
    st.tuples(
        *[
            st.integers(0, 25).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n)))
            for _ in GROUPS
        ]
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=40, deadline=None)
@given(specs, st.integers(2, 12))
def test_no_withheld_count_of_the_cohort_and_gender_reports_is_pinned(spec, min_cell):
    from scipy.optimize import linprog

    store = build(spec)
    policy = DisclosurePolicy(min_cell=min_cell)
    # within_years=0: every cohort's outcomes are known (the latest one's year has ended)
    report = report_outcomes(store, policy=policy, by="gender", within_years=0)
    cohorts = [r for r in report if r.group is None]
    genders = [r for r in report if r.group is not None]
    cells, index, a_eq, b_eq = published_equations(spec, [(cohorts, "cohort"), (genders, "group")])
    true = {}
    for k, by_group in enumerate(spec):
        for g, (size, promoted) in enumerate(by_group):
            true[k, g, True], true[k, g, False] = promoted, size - promoted
    options = {"A_eq": np.array(a_eq), "b_eq": b_eq} if a_eq else {}

    def feasible_range(members):
        goal = np.zeros(len(cells))
        goal[[index[m] for m in members]] = 1
        low = linprog(goal, bounds=(0, None), **options)
        high = linprog(-goal, bounds=(0, None), **options)
        assert low.status == 0
        return low.fun, np.inf if high.status == 3 else -high.fun

    for table, part in ((cohorts, "cohort"), (genders, "group")):
        for r in table:
            if part == "cohort":
                ks = range(len(spec)) if r.cohort_id == ALL_COHORTS else [int(r.cohort_id[1:])]
                gs = range(len(GROUPS))
            else:
                ks = range(len(spec))
                gs = range(len(GROUPS)) if r.group is None else [GROUPS.index(r.group)]
            figures = {
                "mentees": [(k, g, p) for k in ks for g in gs for p in (True, False)],
                "promoted": [(k, g, True) for k in ks for g in gs],
            }
            for name, members in figures.items():
                value = sum(true[m] for m in members)
                shown = getattr(r, name)
                if not isinstance(shown, Suppressed):
                    assert shown == value
                    assert not 0 < value < min_cell  # nothing published rests on a small cell
                elif 0 < value < min_cell:
                    low, high = feasible_range(members)
                    assert high - low >= 1 - 1e-7, (part, r, name, value, low, high)


def test_reach_through_the_graph_counts_mentees_and_their_descendants_once():
    from mentorkit.graph import MentorshipGraph
    from mentorkit.model import Mentorship

    store = build([((12, 0), (0, 0))])
    ms = [
        Mentorship(id=f"m{i}", mentor_id=f"p{i}", mentee_id=f"q{i}", start=dt.date(2021, 1, 1))
        for i in range(1, 13)
    ]
    for i in range(1, 13):
        store.put(
            Outcome(
                id=f"s{i}",
                person_id=f"p{i}",
                kind="students_reached",
                date=dt.date(2022, 1, 1),
                value=100,
            )
        )
        store.put(
            Outcome(
                id=f"t{i}",
                person_id=f"q{i}",
                kind="students_reached",
                date=dt.date(2022, 1, 1),
                value=10,
            )
        )
    graph = MentorshipGraph.from_mentorships(ms)
    row = report_outcomes(store, graph=graph)[0]
    assert row.students_reached == 1200
    assert row.reach_via_graph == 1200 + 120


def test_a_breakdown_exists_only_when_asked_and_names_the_attribute():
    store = build([((12, 3), (11, 0))])
    plain = report_outcomes(store, policy=DisclosurePolicy(min_cell=1), within_years=0)
    assert all(r.group is None for r in plain)
    by = report_outcomes(store, policy=DisclosurePolicy(min_cell=1), by="gender", within_years=0)
    assert [(r.cohort_id, r.group, r.mentees, r.promoted) for r in by] == [
        ("c0", None, 23, 3),
        ("(all cohorts)", "f", 12, 3),
        ("(all cohorts)", "m", 11, 0),
        ("(all cohorts)", None, 23, 3),
    ]


def _reach_store(spec, descendants=0):
    """Every mentee reaches 100 students; each mentors ``descendants`` people reaching 10."""
    from mentorkit.graph import MentorshipGraph
    from mentorkit.model import Mentorship

    store = build(spec)
    mentees = [e.person_id for e in store.all(Enrollment)]
    ms = []
    for p in mentees:
        store.put(Outcome(id=f"s-{p}", person_id=p, kind="students_reached",
                          date=dt.date(2023, 1, 1), value=100))  # fmt: skip
        for j in range(descendants):
            q = f"{p}-q{j}"
            ms.append(Mentorship(id=f"m-{q}", mentor_id=p, mentee_id=q,
                                 start=dt.date(2022, 1, 1)))  # fmt: skip
            store.put(Outcome(id=f"s-{q}", person_id=q, kind="students_reached",
                              date=dt.date(2023, 1, 1), value=10))  # fmt: skip
    return store, MentorshipGraph.from_mentorships(ms)


def test_reach_through_the_graph_is_withheld_for_a_withheld_cohort():
    # Cohort c1 has 3 mentees (withheld); each mentored 4 people, so 15 people reach
    # students: the reach of those 3 mentees must not be published beside a withheld size.
    store, graph = _reach_store([((12, 0), (0, 0)), ((3, 0), (0, 0))], descendants=4)
    rows = {r.cohort_id: r for r in report_outcomes(store, graph=graph)}
    assert isinstance(rows["c1"].mentees, Suppressed)
    assert isinstance(rows["c1"].reach_via_graph, Suppressed)


def test_a_withheld_reach_cannot_be_worked_out_of_the_program_total():
    # c1's 5 mentees reach students alone (no descendants): withheld as a small sum; the
    # program's total less c0's would give it away unless one more is withheld.
    store, graph = _reach_store([((12, 0), (0, 0)), ((5, 0), (0, 0))])
    rows = {r.cohort_id: r for r in report_outcomes(store, graph=graph)}
    assert isinstance(rows["c1"].reach_via_graph, Suppressed)
    shown = [k for k in ("c0", ALL_COHORTS) if not isinstance(rows[k].reach_via_graph, Suppressed)]
    assert len(shown) < 2, {k: r.reach_via_graph for k, r in rows.items()}


def test_withheld_sums_together_rest_on_enough_people():
    # Every mentee is counted (15 each), but only 12, 4 and 5 of them reached students:
    # c1 and c2 are withheld; with c0 and the total shown their sum (9 people) would follow.
    store = build([((15, 0), (0, 0)), ((15, 0), (0, 0)), ((15, 0), (0, 0))])
    by_cohort: dict[str, list[str]] = {}
    for e in store.all(Enrollment):
        by_cohort.setdefault(e.cohort_id, []).append(e.person_id)
    for cohort, k in (("c0", 12), ("c1", 4), ("c2", 5)):
        for p in sorted(by_cohort[cohort])[:k]:
            store.put(Outcome(id=f"s-{p}", person_id=p, kind="students_reached",
                              date=dt.date(2023, 1, 1), value=100))  # fmt: skip
    rows = {r.cohort_id: r.students_reached for r in report_outcomes(store)}
    assert isinstance(rows["c1"], Suppressed)
    assert isinstance(rows["c2"], Suppressed)
    assert isinstance(rows["c0"], Suppressed) or isinstance(rows[ALL_COHORTS], Suppressed), rows


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 30), min_size=1, max_size=6),
    st.integers(2, 12),
)
def test_protect_with_sizes_leaves_no_small_withheld_part_sum_behind_a_shown_total(sizes, min_cell):
    from mentorkit.measurement._figures import derivable, protect

    parts = [("part", k) for k in range(len(sizes))]
    values = {p: float(n) for p, n in zip(parts, sizes, strict=True)}
    values["total"] = float(sum(sizes))
    size_of = dict(zip(parts, sizes, strict=True)) | {"total": sum(sizes)}
    withheld = {k for k, n in size_of.items() if 0 < n < min_cell}
    equations = [("total", parts)]
    protect(values, withheld, equations, sizes=size_of, min_cell=min_cell)
    assert derivable(withheld, values, equations) == []
    if "total" not in withheld:
        together = sum(size_of[p] for p in parts if p in withheld)
        assert not 0 < together < min_cell, (sizes, withheld)


@settings(max_examples=40, deadline=None)
@given(specs, st.integers(2, 12))
def test_the_cohort_report_and_the_breakdown_shared_together_pin_nothing(spec, min_cell):
    # `mentorkit report outcomes` (no breakdown) and a gender breakdown of the same people,
    # both published: the cohort rows agree, and no withheld group count follows from the
    # union (two groups: a group's count is the total less the other's).
    store = build(spec)
    policy = DisclosurePolicy(min_cell=min_cell)
    plain = list(report_outcomes(store, policy=policy))
    by = list(report_outcomes(store, policy=policy, by="gender"))
    assert [r for r in by if r.group is None] == plain
    total = plain[-1]
    groups = [r for r in by if r.group is not None]
    for field in ("mentees", "promoted"):
        shown_total = getattr(total, field)
        values = [getattr(r, field) for r in groups]
        hidden = [v for v in values if isinstance(v, Suppressed)]
        if not isinstance(shown_total, Suppressed):
            assert len(hidden) != 1, (field, shown_total, values)


def test_a_breakdown_beside_the_cohort_report_gives_no_group_away():
    # f: 18 mentees, 5 promoted (withheld); m: 21 promoted. The plain report shows 26
    # promoted in all: the breakdown must not show m's 21 beside a withheld f.
    store = build([((18, 5), (21, 21))])
    plain = {r.cohort_id: r for r in report_outcomes(store, within_years=0)}
    groups = {r.group: r for r in report_outcomes(store, by="gender", within_years=0) if r.group}
    assert plain[ALL_COHORTS].promoted == 26
    assert isinstance(groups["f"].promoted, Suppressed)
    assert isinstance(groups["m"].promoted, Suppressed)


def test_adherence_is_withheld_for_a_withheld_cohort():
    # c1 has 3 mentees (withheld) who made 40 commitments: their adherence is about 3 people.
    store = build([((12, 0), (0, 0)), ((3, 0), (0, 0))])
    rows = {
        r.cohort_id: r for r in report_outcomes(store, adherence={"c0": (30, 40), "c1": (20, 40)})
    }
    assert isinstance(rows["c1"].mentees, Suppressed)
    assert isinstance(rows["c1"].adherence_rate, Suppressed)
