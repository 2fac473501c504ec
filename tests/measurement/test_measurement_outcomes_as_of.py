"""`report_outcomes(as_of=, within_years=)`: the report as it stood on a day, and cohorts
whose outcomes are not yet known (the window rule of the graph's cohort report)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit import ValidationError
from mentorkit.cli import main
from mentorkit.graph import MentorshipGraph, cohort_report
from mentorkit.measurement import DisclosurePolicy, Suppressed, report_outcomes
from mentorkit.model import Cohort, Enrollment, Mentorship, Outcome, Program
from mentorkit.storage import MemoryStore, SQLiteStore

EVERYTHING = DisclosurePolicy(min_cell=1)  # nothing withheld: every count can be checked


def _school_year_end(day: dt.date, later: int) -> dt.date:
    """30 June of the school year ``later`` years after ``day``'s (school years from 1 July)."""
    first = day.year if day.month >= 7 else day.year - 1
    return dt.date(first + later + 1, 6, 30)


def _store(cohorts, outcomes, store=None):
    """Cohorts ``(start, size)``; outcomes ``(cohort index, member, kind, day)``."""
    store = MemoryStore() if store is None else store
    store.put(Program(id="p", name="P"))
    for k, (start, size) in enumerate(cohorts):
        store.put(Cohort(id=f"c{k}", program_id="p", name=str(k), start=start,
                         end=start + dt.timedelta(days=300)))  # fmt: skip
        store.put_many(
            Enrollment(
                id=f"e{k}-{i}",
                person_id=f"m{k}-{i}",
                cohort_id=f"c{k}",
                role="mentee",
                status="completed",
            )
            for i in range(size)
        )
    store.put_many(
        Outcome(id=f"o{n}", person_id=f"m{k}-{i}", kind=kind, date=day)
        for n, (k, i, kind, day) in enumerate(outcomes)
    )
    return store


@st.composite
def programs(draw):
    starts = draw(
        st.lists(st.dates(dt.date(2015, 1, 1), dt.date(2023, 12, 31)), min_size=1, max_size=4)
    )
    cohorts = [(start, draw(st.integers(0, 6))) for start in starts]
    outcomes = []
    for k, (start, size) in enumerate(cohorts):
        for i in range(size):
            for kind in ("promotion", "role_change"):
                for _ in range(draw(st.integers(0, 2))):  # before the start too: never counted
                    day = start + dt.timedelta(days=draw(st.integers(-200, 1500)))
                    outcomes.append((k, i, kind, day))
    return cohorts, outcomes


@settings(max_examples=60, deadline=None)
@given(
    programs(),
    st.none() | st.dates(dt.date(2014, 1, 1), dt.date(2028, 12, 31)),
    st.integers(0, 2),
)
def test_as_of_and_not_yet_known_equal_a_brute_force_count(program, as_of, within_years):
    cohorts, outcomes = program
    table = report_outcomes(_store(cohorts, outcomes), program_id="p", policy=EVERYTHING,
                            as_of=as_of, within_years=within_years)  # fmt: skip
    day = dt.date.max if as_of is None else as_of  # without as_of, every outcome counts
    # The report that day would have given: exactly the cohorts begun by then.
    begun = {f"c{k}": c for k, c in enumerate(cohorts) if c[0] <= day}
    rows = {r.cohort_id: r for r in table if not r.total}
    assert set(rows) == set(begun)
    if not begun:  # the program's total row alone, of no one
        assert [(r.mentees, r.promoted, r.assessed) for r in table] == [(0, 0, 0)]
        return
    until = min(as_of or dt.date.today(), _school_year_end(max(s for s, _ in begun.values()), 0))
    known_people, promoted_total = 0, 0
    for k, (start, size) in enumerate(cohorts):
        if f"c{k}" not in begun:
            continue
        row = rows[f"c{k}"]
        assert row.mentees == size

        def count(kind, k=k, start=start, size=size):
            return sum(
                any(
                    kk == k and ii == i and kd == kind and start <= d <= day
                    for kk, ii, kd, d in outcomes
                )
                for i in range(size)
            )

        if _school_year_end(start, within_years) > until:
            if size:
                assert (row.promoted, row.role_changed) == (None, None)
                assert (row.promotion_rate, row.role_change_rate) == (None, None)
                assert (row.assessed, row.grew, row.mean_growth_steps) == (None, None, None)
            continue
        assert row.assessed is not None  # known: a count, never None
        assert row.grew is not None
        assert (row.promoted, row.role_changed) == (count("promotion"), count("role_change"))
        if size:
            assert row.promotion_rate == pytest.approx(count("promotion") / size)
        known_people += size
        promoted_total += count("promotion")
    (total,) = [r for r in table if r.total]
    assert total.mentees == sum(size for _, size in begun.values())
    if known_people:
        assert total.promoted == promoted_total
        assert total.promotion_rate == pytest.approx(promoted_total / known_people)
    elif total.mentees:
        assert total.promoted is None


def test_the_same_cohorts_are_not_yet_known_as_in_the_graphs_cohort_report():
    cohorts = [(dt.date(2021, 8, 1), 3), (dt.date(2022, 8, 1), 3), (dt.date(2023, 8, 1), 3)]
    store = _store(cohorts, [(0, 0, "promotion", dt.date(2022, 3, 1))])
    mentorships = [
        Mentorship(
            id=f"ms{k}-{i}",
            mentor_id=f"mentor{k}",
            mentee_id=f"m{k}-{i}",
            start=start,
            cohort_id=f"c{k}",
            program_id="p",
        )
        for k, (start, size) in enumerate(cohorts)
        for i in range(size)
    ]
    graph = MentorshipGraph.from_mentorships(mentorships)
    for as_of in (None, dt.date(2023, 6, 30), dt.date(2024, 1, 1)):
        for within in (0, 1):
            # As of a day, the graph of that day (`mentorkit graph --as-of`): a cohort not
            # begun by then is in neither report.
            seen = graph if as_of is None else graph.as_of(as_of)
            unknown_graph = {
                r.group
                for r in cohort_report(seen, within_years=within, as_of=as_of)
                if r.paid_forward is None
            }
            report = report_outcomes(store, as_of=as_of, within_years=within, policy=EVERYTHING)
            unknown = {r.cohort_id for r in report if not r.total and r.promoted is None}
            assert unknown == unknown_graph, (as_of, within)
            listed = {r.cohort_id for r in report if not r.total}
            assert listed == {r.group for r in cohort_report(seen)}, as_of


def test_a_cohort_too_recent_to_know_says_so_in_the_text_not_zero():
    cohorts = [(dt.date(2022, 8, 1), 12), (dt.date(2023, 8, 1), 12)]
    table = report_outcomes(_store(cohorts, []), policy=EVERYTHING)
    text = table.to_text()
    assert "c1: promotions, role changes and growth not yet known" in text
    assert "c0: promotions" not in text
    line = next(x for x in text.splitlines() if x.split()[1:2] == ["c1"])
    assert " 0%" not in line
    assert table.notes == tuple(text.splitlines()[-2:])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"as_of": "2022-06-30"}, "as_of"),
        ({"as_of": dt.datetime(2022, 6, 30, tzinfo=dt.UTC)}, "as_of"),
        ({"as_of": 2022}, "as_of"),
        ({"within_years": -1}, "within_years"),
        ({"within_years": True}, "within_years"),
        ({"within_years": 1.0}, "within_years"),
    ],
)
def test_a_bad_as_of_or_within_years_is_refused_naming_it(kwargs, field):
    with pytest.raises(ValidationError) as info:
        report_outcomes(MemoryStore(), **kwargs)
    assert info.value.field == field


def test_the_cli_reports_outcomes_as_of_a_day(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    cohorts = [(dt.date(2020, 8, 1), 10), (dt.date(2021, 8, 1), 10)]
    promotions = [(0, i, "promotion", dt.date(2021, 3, 1) + dt.timedelta(days=200 * (i % 3)))
                  for i in range(10)]  # fmt: skip
    with SQLiteStore(tmp_path / "m.db") as store:
        _store(cohorts, promotions, store)
    argv = ["report", "outcomes", "--store", url, "--min-cell", "1", "--as-of", "2021-06-30",
            "--within-years", "0"]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    row = next(x for x in out.splitlines() if x.split()[1:2] == ["c0"])
    expected = report_outcomes(_store(cohorts, promotions), policy=EVERYTHING,
                               as_of=dt.date(2021, 6, 30), within_years=0)[0]  # fmt: skip
    assert row.split()[3:5] == ["10", str(expected.promoted)]
    assert "c1: not begun by 2021-06-30 (starts 2021-08-01), left out" in out
    assert not any(x.split()[1:2] == ["c1"] for x in out.splitlines())
    for option, bad in (("--as-of", "2021-02-30"), ("--within-years", "-1")):
        assert main([*argv[:-4], option, bad]) == 1
        err = capsys.readouterr().err
        assert option in err
        assert len(err.strip().splitlines()) == 1


@settings(max_examples=60, deadline=None)
@given(programs(), st.integers(0, 1), st.integers(2, 8))
def test_beside_cohorts_not_yet_known_small_counts_and_rates_stay_withheld(
    program, within_years, min_cell
):
    cohorts, outcomes = program
    policy = DisclosurePolicy(min_cell=min_cell)
    store = _store(cohorts, outcomes)
    table = report_outcomes(store, policy=policy, within_years=within_years)
    exact = report_outcomes(store, policy=EVERYTHING, within_years=within_years)
    for shown, true in zip(table, exact, strict=True):
        for name in ("mentees", "promoted", "role_changed"):
            value, truth = getattr(shown, name), getattr(true, name)
            if truth is None:  # not yet known, or withheld with a withheld group size
                assert value is None or isinstance(shown.mentees, Suppressed)
            elif not isinstance(value, Suppressed):
                assert value == truth
                assert not 0 < value < min_cell
        if isinstance(shown.promotion_rate, float):  # over at least min_cell known mentees
            assert shown.promotion_rate == pytest.approx(true.promotion_rate)
            rows = [r for r in exact if not r.total] if true.total else [true]
            assert sum(r.mentees for r in rows if r.promoted is not None) >= min_cell
