"""Surveys, cycles of inquiry, targets and outcome reports: figures true, small ones withheld."""

import datetime as dt
import io
import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.errors import ValidationError
from mentorkit.measurement import (
    Answer,
    Condition,
    Direction,
    DisclosurePolicy,
    Inquiry,
    Suppressed,
    Survey,
    SurveyItem,
    SurveyResponse,
    SurveyResult,
    Target,
    aggregate_responses,
    condition_scores,
    follow_up,
    import_results_csv,
    lowest_conditions,
    progress,
    read_results_csv,
    report_conditions,
    report_outcomes,
    trend,
)
from mentorkit.model import Cohort, Enrollment, OrgUnit, Outcome, Program
from mentorkit.storage import MemoryStore, SQLiteStore

SURVEY = Survey(
    id="s",
    name="Conditions",
    conditions=[
        Condition(id="equity", title="Equity", items=[SurveyItem(id="e1"), SurveyItem(id="e2")]),
        Condition(id="trust", title="Trust", items=[SurveyItem(id="t1")]),
    ],
)

result_specs = st.lists(
    st.tuples(
        st.sampled_from(["u1", "u2", "u3", "u4"]),
        st.sampled_from(["2021", "2022", "2023"]),
        st.sampled_from(["equity", "trust", "voice"]),
        st.floats(1, 5, allow_nan=False).map(lambda x: round(x, 2)),
        st.integers(1, 40),
    ),
    min_size=1,
    max_size=30,
    unique_by=lambda t: t[:3],
)


def results_of(spec):
    return [
        SurveyResult(id=f"r{k}", survey_id="s", org_unit_id=u, cycle=cy, condition=c, score=s, n=n)
        for k, (u, cy, c, s, n) in enumerate(spec)
    ]


@given(result_specs, st.integers(1, 15))
def test_lowest_condition_is_the_minimum_of_the_published_scores(spec, min_cell):
    policy = DisclosurePolicy(min_cell=min_cell)
    found = {
        (f.org_unit_id, f.cycle): f for f in lowest_conditions(results_of(spec), policy=policy)
    }
    units = {(u, cy) for u, cy, *_ in spec}
    assert set(found) == units  # every unit has its row, withheld or not
    for key in units:
        shown = [(s, c) for u, cy, c, s, n in spec if (u, cy) == key and n >= min_cell]
        if not shown:  # every condition withheld: a withheld row, no value
            f = found[key]
            assert f.all_withheld
            assert all(isinstance(v, Suppressed) for v in (f.condition, f.score, f.n))
            assert (f.next_condition, f.gap, f.tied_with) == (None, None, ())
            assert f.withheld == sum((u, cy) == key for u, cy, *_ in spec)
            continue
        assert not found[key].all_withheld
        f = found[key]
        assert f.score == min(shown)[0]
        assert f.n >= min_cell  # no published figure rests on fewer than the minimum cell


@given(result_specs, st.integers(1, 15), st.sampled_from([0.0, 0.1]))
def test_trend_changes_equal_a_direct_computation(spec, min_cell, tolerance):
    policy = DisclosurePolicy(min_cell=min_cell)
    points = trend(results_of(spec), policy=policy, tolerance=tolerance)
    for p in points:
        true = next(
            s for u, cy, c, s, n in spec if (u, cy, c) == (p.org_unit_id, p.cycle, p.condition)
        )
        n = next(
            n for u, cy, c, s, n in spec if (u, cy, c) == (p.org_unit_id, p.cycle, p.condition)
        )
        if n < min_cell:
            assert isinstance(p.score, Suppressed)
            assert isinstance(p.n, Suppressed)
            assert p.change is None
            continue
        assert p.score == true
        earlier = sorted(
            (cy, s)
            for u, cy, c, s, nn in spec
            if (u, c) == (p.org_unit_id, p.condition) and cy < p.cycle and nn >= min_cell
        )
        if not earlier:
            assert p.change is None
        else:
            assert p.change == pytest.approx(true - earlier[-1][1])
            # A change equal to the tolerance is flat, float noise aside (2.6 - 2.5).
            expected = Direction.FLAT
            if p.change > tolerance + 1e-9:
                expected = Direction.UP
            elif p.change < -tolerance - 1e-9:
                expected = Direction.DOWN
            assert p.direction is expected


@given(result_specs)
def test_grouped_scores_are_respondent_weighted_means(spec):
    by = {"u1": "n1", "u2": "n1", "u3": "n2", "u4": "n2"}
    rows = condition_scores(results_of(spec), by=by, policy=DisclosurePolicy(min_cell=1))
    for r in rows:
        members = [
            (s, n)
            for u, cy, c, s, n in spec
            if by[u] == r.org_unit_id and (cy, c) == (r.cycle, r.condition)
        ]
        assert r.n == sum(n for _, n in members)
        assert r.score == pytest.approx(sum(s * n for s, n in members) / r.n)


@settings(max_examples=60, deadline=None)
@given(result_specs, st.integers(2, 15))
def test_a_withheld_unit_cannot_be_worked_out_of_its_group(spec, min_cell):
    by = {"u1": "n1", "u2": "n1", "u3": "n2", "u4": "n2"}
    rows = report_conditions(results_of(spec), by=by, policy=DisclosurePolicy(min_cell=min_cell))
    shown = {(r.org_unit_id, r.cycle, r.condition): r.n for r in rows}
    truth = {(u, cy, c): n for u, cy, c, _, n in spec}
    for group in ("n1", "n2"):
        for cy in ("2021", "2022", "2023"):
            for c in ("equity", "trust", "voice"):
                units = [u for u, g in by.items() if g == group and (u, cy, c) in shown]
                if not units or (group, cy, c) not in shown:
                    continue
                hidden = [u for u in units if isinstance(shown[u, cy, c], Suppressed)]
                # Linear algebra: group n = sum of unit n; one unknown alone is derivable.
                if not isinstance(shown[group, cy, c], Suppressed):
                    assert len(hidden) != 1, (group, cy, c, shown)
                    # Together the withheld units are the group less the published ones:
                    # their pooled respondents (and mean) follow, so they are no small group.
                    together = sum(
                        n
                        for (u, cy_, c_), n in truth.items()
                        if (cy_, c_) == (cy, c) and u in hidden
                    )
                    assert not 0 < together < min_cell, (group, cy, c, shown)
    for r in rows:
        if not isinstance(r.n, Suppressed):
            assert r.n >= min_cell


def test_two_small_units_are_not_published_together_as_their_group_less_the_rest():
    # a (4) and c (5) are withheld; publishing b (30) and the network (39) would give away
    # the pooled mean of a and c: 9 respondents, fewer than the minimum cell.
    rs = [
        SurveyResult(
            id=f"r{k}",
            survey_id="s",
            org_unit_id=u,
            cycle="2023",
            condition="equity",
            score=score,
            n=n,
        )
        for k, (u, score, n) in enumerate([("a", 1.5, 4), ("b", 3.0, 30), ("c", 2.0, 5)])
    ]
    rows = {r.org_unit_id: r for r in report_conditions(rs, by=dict.fromkeys("abc", "net"))}
    shown = [u for u in "abc" if not isinstance(rows[u].n, Suppressed)]
    if not isinstance(rows["net"].n, Suppressed):
        hidden_n = sum(n for u, n in [("a", 4), ("b", 30), ("c", 5)] if u not in shown)
        assert hidden_n >= 10, {u: (r.n, r.score) for u, r in rows.items()}


def test_follow_up_answers_did_the_condition_move():
    rs = [
        SurveyResult(
            id=f"r{k}", survey_id="s", org_unit_id="net-7", cycle=cy, condition=c, score=s, n=40
        )
        for k, (cy, c, s) in enumerate(
            [
                ("2021", "equity", 2.4),
                ("2021", "trust", 3.3),
                ("2022", "equity", 2.45),
                ("2022", "trust", 3.3),
                ("2023", "equity", 3.0),
                ("2023", "trust", 3.2),
            ]
        )
    ]
    finding = lowest_conditions(rs)[0]
    assert (finding.cycle, finding.condition) == ("2021", "equity")
    inquiry = finding.inquiry(id="inq-1", coaching_cycle_id="cc-1", next_step_ids=["a1", "a2"])
    row = follow_up([inquiry], rs, tolerance=0.1)[0]
    assert (row.baseline_score, row.latest_cycle, row.cycles_since, row.next_steps) == (
        2.4,
        "2023",
        2,
        2,
    )
    assert row.change == pytest.approx(0.6)
    assert row.direction is Direction.UP
    store = MemoryStore()
    store.put(inquiry)
    (back,) = store.find(Inquiry, org_unit_id="net-7", condition="equity")
    assert (back.coaching_cycle_id, back.next_step_ids) == ("cc-1", ("a1", "a2"))


def test_responses_aggregate_without_any_person_id():
    assert "person_id" not in {a.name for a in SurveyResponse.__attrs_attrs__}
    rs = [
        SurveyResponse(
            id=f"x{i}",
            survey_id="s",
            cycle="2023",
            org_unit_id="u",
            answers=[Answer(item="e1", value=v), Answer(item="e2", value=v + 1)],
        )
        for i, v in enumerate([1, 2, 3])
    ]
    (result,) = aggregate_responses(rs, SURVEY)
    assert (result.condition, result.score, result.n) == ("equity", pytest.approx(2.5), 3)
    with pytest.raises(ValidationError) as info:
        aggregate_responses(
            [
                SurveyResponse(
                    id="y",
                    survey_id="s",
                    cycle="1",
                    org_unit_id="u",
                    answers=[Answer(item="zz", value=1)],
                )
            ],
            SURVEY,
        )
    assert info.value.field == "answers[0].item"


HEADER = "org_unit_id,cycle,condition,score,n\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HEADER + "u1,2023,equity,high,30\n", ["row 2, column score: not a number (got 'high')"]),
        (
            HEADER + "u9,2023,equity,3,30\n",
            ["row 2, column org_unit_id: not a known org unit (got 'u9')"],
        ),
        (
            HEADER + "u1,2023,equity,3,30\nu1,2023,voice,3,30\n",
            ["row 3, column condition: not a condition of survey 's' (got 'voice')"],
        ),
        (HEADER + "u1,2023,equity,3,ten\n", ["row 2, column n: not a whole number (got 'ten')"]),
        (
            HEADER + "u1,2023,equity,7,30\n",
            ["row 2, column score: must be between 1 and 5 (got '7')"],
        ),
    ],
)
def test_a_bad_results_csv_names_row_and_column_and_stores_nothing(tmp_path, text, expected):
    for store in (MemoryStore(), SQLiteStore(tmp_path / f"s{len(text)}.db")):
        store.put(SURVEY)
        store.put(OrgUnit(id="u1", name="One", kind="school"))
        good = import_results_csv(
            store, io.StringIO(HEADER + "u1,2022,trust,3,30\n"), survey_id="s"
        )
        with pytest.raises(ValidationError) as info:
            import_results_csv(store, io.StringIO(text), survey_id="s")
        assert list(info.value.errors) == expected
        assert store.all(SurveyResult) == good  # nothing stored, nothing lost
        store.close()


def test_a_results_csv_without_a_column_is_refused():
    with pytest.raises(ValidationError) as info:
        read_results_csv(
            io.StringIO("org_unit_id,cycle,score,n\n"), survey=SURVEY, org_unit_ids={"u1"}
        )
    assert info.value.field == "row 1"
    assert "condition" in info.value.message


def test_reimporting_a_corrected_file_replaces_the_results(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    store.put(SURVEY)
    store.put(OrgUnit(id="u1", name="One", kind="school"))
    import_results_csv(store, io.StringIO(HEADER + "u1,2023,equity,3,30\n"), survey_id="s")
    import_results_csv(store, io.StringIO(HEADER + "u1,2023,equity,3.5,31\n"), survey_id="s")
    (r,) = store.find(SurveyResult, survey_id="s", cycle="2023")
    assert (r.score, r.n) == (3.5, 31)


def gem_store(sizes, *, promoted=()):
    store = MemoryStore()
    store.put(Program(id="gem", name="GEM"))
    for year, n in sizes:
        store.put(
            Cohort(
                id=f"c{year}",
                program_id="gem",
                name=str(year),
                start=dt.date(year, 8, 1),
                end=dt.date(year + 1, 6, 30),
            )
        )
        store.put_many(
            Enrollment(
                id=f"e{year}-{k}",
                person_id=f"p{year}-{k}",
                cohort_id=f"c{year}",
                role="mentee",
                status="completed",
            )
            for k in range(n)
        )
    for k, (person, day) in enumerate(promoted):
        store.put(Outcome(id=f"o{k}", person_id=person, kind="promotion", date=day))
    return store


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=5), st.integers(2, 12))
def test_target_progress_counts_and_withholds_nothing_derivable(sizes, min_cell):
    store = gem_store([(2019 + k, n) for k, n in enumerate(sizes)])
    t = Target(
        id="t",
        name="150",
        program_id="gem",
        measure="mentees",
        count=150,
        deadline=dt.date(2026, 6, 30),
        start=dt.date(2019, 1, 1),
    )
    p = progress(t, store, as_of=dt.date(2025, 1, 1), policy=DisclosurePolicy(min_cell=min_cell))
    nonzero = [n for n in sizes if n]
    assert [pt.new for pt in p.points if not isinstance(pt.new, Suppressed)] == [
        n for n, pt in zip(nonzero, p.points, strict=True) if not isinstance(pt.new, Suppressed)
    ]
    for pt in p.points:
        for v in (pt.new, pt.total):
            assert isinstance(v, Suppressed) or v >= min_cell
    # Linear algebra on the running totals: no withheld figure is determined.
    keys = [("new", k) for k in range(len(p.points))] + [("total", k) for k in range(len(p.points))]
    shown = {("new", k): pt.new for k, pt in enumerate(p.points)}
    shown |= {("total", k): pt.total for k, pt in enumerate(p.points)}
    unknown = [k for k in keys if isinstance(shown[k], Suppressed)]
    if unknown:
        index = {k: i for i, k in enumerate(unknown)}
        rows = []
        for k in range(len(p.points)):
            row = np.zeros(len(unknown))
            for key, sign in ((("total", k), -1), (("new", k), 1), (("total", k - 1), 1)):
                if key in index:
                    row[index[key]] += sign
            rows.append(row)
        a = np.array(rows)
        rank = np.linalg.matrix_rank(a)
        for key, i in index.items():
            probe = np.zeros(len(unknown))
            probe[i] = 1
            assert np.linalg.matrix_rank(np.vstack([a, probe])) > rank, key
    # Between two published running totals (or the start), the withheld new counts
    # together (the difference less the published ones) are no small count either.
    truth = [n for n in sizes if n]
    gap = 0
    for k, pt in enumerate(p.points):
        if isinstance(pt.new, Suppressed):
            gap += truth[k]
        if not isinstance(pt.total, Suppressed):
            assert not 0 < gap < min_cell, (sizes, p.points)
            gap = 0
    if not isinstance(p.reached, Suppressed):
        assert p.reached == sum(sizes)


def test_gem_target_150_by_2024():
    store = gem_store([(2019, 28), (2020, 27), (2021, 28)])
    t = Target(
        id="t",
        name="150 by 2024",
        program_id="gem",
        measure="mentees",
        count=150,
        deadline=dt.date(2024, 6, 30),
        start=dt.date(2018, 8, 1),
    )
    p = progress(t, store, as_of=dt.date(2022, 6, 30))
    assert (p.reached, p.remaining, p.on_track) == (83, 67, False)
    assert p.pace_needed == pytest.approx(67 / (731 / 365.25))
    assert "83 of 150" in p.to_text()


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=4),
    st.integers(2, 12),
)
def test_outcome_rates_equal_a_direct_computation_and_small_cells_are_withheld(cohorts, min_cell):
    promoted = []
    for k, (n, p) in enumerate(cohorts):
        promoted += [(f"p{2019 + k}-{i}", dt.date(2020 + k, 3, 1)) for i in range(min(n, p))]
    store = gem_store([(2019 + k, n) for k, (n, _) in enumerate(cohorts)], promoted=promoted)
    policy = DisclosurePolicy(min_cell=min_cell)
    table = report_outcomes(store, policy=policy, within_years=0)  # every cohort known
    for k, (n, p) in enumerate(cohorts):
        row = table[k]
        true_p = min(n, p)
        for shown, true in ((row.mentees, n), (row.promoted, true_p)):
            assert shown == true or isinstance(shown, Suppressed)
            if 0 < true < min_cell:
                assert isinstance(shown, Suppressed)
        if not isinstance(row.promotion_rate, Suppressed) and row.promotion_rate is not None:
            assert row.promotion_rate == pytest.approx(true_p / n)
            assert n >= min_cell
        if isinstance(row.mentees, Suppressed):
            assert isinstance(row.promoted, Suppressed)
        if isinstance(row.median_days_to_promotion, float):
            days = [(dt.date(2020 + k, 3, 1) - dt.date(2019 + k, 8, 1)).days] * true_p
            assert row.median_days_to_promotion == statistics.median(days)
    total = table[len(cohorts)]
    assert total.mentees in (sum(n for n, _ in cohorts), Suppressed())


def test_report_tables_have_csv_text_html_and_pandas(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from mentorkit.measurement import plot_cohorts, plot_progress, plot_trends

    rs = results_of(
        [
            ("u1", cy, "equity", 2 + k / 2, 12 if k else 3)
            for k, cy in enumerate(["2021", "2022", "2023"])
        ]
    )
    t = trend(rs)
    assert isinstance(t[0].score, Suppressed)
    csv_text = t.to_csv(tmp_path / "t.csv")
    assert csv_text.splitlines()[1].split(",")[4] == "*"
    assert (tmp_path / "t.csv").stat().st_mode & 0o077 == 0
    df = t.to_pandas()
    assert df.attrs["withheld"] == [(0, "score"), (0, "n")]
    assert df["score"].isna()[0]
    assert "<table>" in t._repr_html_()
    assert "*" in t.to_text()
    plot_trends(t)
    store = gem_store([(2019, 28), (2020, 27)])
    plot_cohorts(report_outcomes(store))
    target = Target(
        id="t",
        name="150",
        program_id="gem",
        measure="mentees",
        count=150,
        deadline=dt.date(2024, 6, 30),
    )
    plot_progress(progress(target, store, as_of=dt.date(2022, 1, 1)))
    with pytest.raises(ValidationError):
        plot_cohorts(report_outcomes(store), figure="nope")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["u1", "u2"]), st.lists(st.integers(1, 5), min_size=1, max_size=3)
        ),
        min_size=1,
        max_size=20,
    )
)
def test_aggregated_responses_equal_a_direct_mean_of_respondent_means(spec):
    responses = [
        SurveyResponse(
            id=f"x{i}",
            survey_id="s",
            cycle="2023",
            org_unit_id=unit,
            answers=[Answer(item=f"e{1 + k % 2}", value=v) for k, v in enumerate(values)],
        )
        for i, (unit, values) in enumerate(spec)
    ]
    results = {r.org_unit_id: r for r in aggregate_responses(responses, SURVEY)}
    for unit in {u for u, _ in spec}:
        means = [sum(v) / len(v) for u, v in spec if u == unit]
        assert results[unit].n == len(means)
        assert results[unit].score == pytest.approx(sum(means) / len(means))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=12))
def test_every_bad_row_is_reported_with_its_own_row_number(bad_rows):
    lines = [HEADER.strip()]
    for k, bad in enumerate(bad_rows):
        lines.append(f"u1,{2000 + k},equity,{'oops' if bad else '3.5'},20")
    text = "\n".join(lines) + "\n"
    if not any(bad_rows):
        assert len(read_results_csv(io.StringIO(text), survey=SURVEY, org_unit_ids={"u1"})) == len(
            bad_rows
        )
        return
    with pytest.raises(ValidationError) as info:
        read_results_csv(io.StringIO(text), survey=SURVEY, org_unit_ids={"u1"})
    expected = [
        f"row {k + 2}, column score: not a number (got 'oops')" for k, b in enumerate(bad_rows) if b
    ]
    assert list(info.value.errors) == expected


def test_a_promotion_target_counts_each_promoted_mentee_once_from_their_cohort_start():
    promoted = [("p2019-0", dt.date(2020, 3, 1)), ("p2019-0", dt.date(2022, 3, 1))]
    promoted += [(f"p2020-{i}", dt.date(2021, 5, 1)) for i in range(12)]
    promoted += [("outsider", dt.date(2021, 5, 1)), ("p2020-12", dt.date(2019, 1, 1))]
    store = gem_store([(2019, 20), (2020, 20)], promoted=promoted)
    t = Target(
        id="t",
        name="promoted",
        program_id="gem",
        measure="promoted",
        count=40,
        deadline=dt.date(2024, 6, 30),
    )
    p = progress(t, store, as_of=dt.date(2023, 1, 1), policy=DisclosurePolicy(min_cell=1))
    assert p.reached == 13
    assert [(pt.date, pt.new) for pt in p.points] == [
        (dt.date(2020, 3, 1), 1),
        (dt.date(2021, 5, 1), 12),
    ]


@pytest.mark.parametrize("enabled", [True, False])
def test_reports_leave_the_garbage_collector_as_they_found_it(enabled):
    import gc

    rs = results_of([("u1", "2021", "equity", 3.0, 12)])
    (gc.enable if enabled else gc.disable)()
    try:
        lowest_conditions(rs)
        trend(rs)
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Blank lines are skipped but counted: the row number is the file's line.
        (
            HEADER + "\nu1,2023,equity,3,30\n\nu1,2023,trust,high,30\n",
            ["row 5, column score: not a number (got 'high')"],
        ),
        # A quoted value spanning two lines: the next record starts on line 4.
        (
            HEADER + 'u1,"20\n23",equity,3,30\nu1,2023,trust,bad,30\n',
            ["row 4, column score: not a number (got 'bad')"],
        ),
        # A field beyond the csv module's limit is a bad row, not a raw csv.Error.
        (
            HEADER + "u1,2023,equity," + "1" * 200_000 + ",30\n",
            ["row 2: not valid CSV (a field too long, or broken quoting)"],
        ),
        # A long value is cut short in the message.
        (
            HEADER + "u1,2023,equity,3," + "9" * 5000 + "\n",
            [f"row 2, column n: not a whole number (got '{'9' * 56}...)"],
        ),
    ],
)
def test_a_malformed_results_csv_names_the_line_and_stores_nothing(text, expected):
    store = MemoryStore()
    store.put(SURVEY)
    store.put(OrgUnit(id="u1", name="One", kind="school"))
    good = import_results_csv(store, io.StringIO(HEADER + "u1,2022,trust,3,30\n"), survey_id="s")
    with pytest.raises(ValidationError) as info:
        import_results_csv(store, io.StringIO(text), survey_id="s")
    assert list(info.value.errors) == expected
    assert store.all(SurveyResult) == good


def test_a_header_naming_a_column_twice_is_refused():
    text = "org_unit_id,cycle,condition,score,n,n\nu1,2023,equity,3,30,4\n"
    with pytest.raises(ValidationError) as info:
        read_results_csv(io.StringIO(text), survey=SURVEY, org_unit_ids={"u1"})
    assert info.value.field == "row 1"
    assert "n more than once" in info.value.message


def test_a_byte_order_mark_and_spaces_in_the_header_are_tolerated():
    text = "\ufefforg_unit_id, cycle, condition, score, n\nu1,2023,equity,3,30\n"
    (result,) = read_results_csv(io.StringIO(text), survey=SURVEY, org_unit_ids={"u1"})
    assert (result.org_unit_id, result.cycle, result.score, result.n) == ("u1", "2023", 3.0, 30)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda rs: trend(rs, by=lambda unit: 1), "by"),
        (lambda rs: trend(rs, by=lambda unit: [unit]), "by"),
        (lambda rs: lowest_conditions(rs, by={"u1": 7}), "by"),
        (lambda rs: report_conditions(rs, by={"u1": ("n", 1)}), "by"),
        (lambda rs: condition_scores(rs, by={"u1": 1.5}), "by"),
        (lambda rs: trend(rs, tolerance=float("nan")), "tolerance"),
        (lambda rs: trend(rs, tolerance=float("inf")), "tolerance"),
        (lambda rs: trend(None), "results"),
        (lambda rs: lowest_conditions(5), "results"),
        (lambda rs: DisclosurePolicy(complementary="no"), "complementary"),
    ],
)
def test_bad_arguments_to_survey_reports_raise_validation_errors(call, field):
    rs = results_of([("u1", "2023", "equity", 3.0, 30), ("u2", "2023", "equity", 2.0, 30)])
    with pytest.raises(ValidationError) as info:
        call(rs)
    assert info.value.field == field


@pytest.mark.parametrize(
    "pair", [(1,), "ab", (-5, 20), (50, 20), (1.5, 3), (True, 3), None, (1, 2, 3)]
)
def test_bad_adherence_figures_are_refused_by_name(pair):
    store = MemoryStore()
    store.put(
        Cohort(
            id="c1", program_id="p", name="c1", start=dt.date(2020, 8, 1), end=dt.date(2021, 6, 30)
        )
    )
    with pytest.raises(ValidationError) as info:
        report_outcomes(store, adherence={"c1": pair})
    assert info.value.field == "adherence['c1']"


def test_progress_refuses_a_datetime_as_of():
    target = Target(
        id="t", name="t", program_id="p", measure="mentees", count=10, deadline=dt.date(2024, 6, 30)
    )
    with pytest.raises(ValidationError) as info:
        progress(target, MemoryStore(), as_of=dt.datetime(2022, 1, 1, 12, 0))
    assert info.value.field == "as_of"


@settings(max_examples=80, deadline=None)
@given(result_specs, st.integers(2, 15))
def test_a_per_unit_and_a_grouped_report_published_together_give_no_unit_away(spec, min_cell):
    # What `mentorkit report conditions` prints without and with --by-parent: a reader has
    # both. The group less every unit published anywhere must be zero or a big enough group.
    by = {"u1": "n1", "u2": "n1", "u3": "n2", "u4": "n2"}
    policy = DisclosurePolicy(min_cell=min_cell)
    results = results_of(spec)
    units = {}
    for table in (
        condition_scores(results, policy=policy),
        trend(results, policy=policy),
        report_conditions(results, by=by, policy=policy),
    ):
        for r in table:
            if r.org_unit_id in by and not isinstance(r.n, Suppressed):
                units[r.org_unit_id, r.cycle, r.condition] = r.n
    for finding in lowest_conditions(results, policy=policy):
        if not finding.all_withheld:
            units[finding.org_unit_id, finding.cycle, finding.condition] = finding.n
    groups = {}
    for table in (
        condition_scores(results, by=by, policy=policy),
        trend(results, by=by, policy=policy),
        report_conditions(results, by=by, policy=policy),
    ):
        for r in table:
            if r.org_unit_id in ("n1", "n2") and not isinstance(r.n, Suppressed):
                groups[r.org_unit_id, r.cycle, r.condition] = r.n
    for finding in lowest_conditions(results, by=by, policy=policy):
        if not finding.all_withheld:
            groups[finding.org_unit_id, finding.cycle, finding.condition] = finding.n
    for (group, cy, c), n in groups.items():
        shown = sum(units.get((u, cy, c), 0) for u, g in by.items() if g == group)
        assert not 0 < n - shown < min_cell, (group, cy, c, n, shown)


def test_the_cli_scenario_a_small_school_beside_its_network():
    # sch-a has 4 respondents: the per-school report withholds it; the network's figure
    # (77) less the published schools (73) would give it away, so the network is withheld.
    rs = results_of([("u1", "2023", "equity", 2.1, 4), ("u2", "2023", "equity", 2.6, 31),
                     ("u3", "2023", "equity", 2.9, 42)])  # fmt: skip
    by = {"u1": "n1", "u2": "n1", "u3": "n1"}
    (net,) = condition_scores(rs, by=by)
    assert isinstance(net.n, Suppressed)
    assert isinstance(net.score, Suppressed)
    (withheld,) = lowest_conditions(rs, by=by)  # the network's row, marked withheld
    assert (withheld.org_unit_id, withheld.all_withheld, withheld.withheld) == ("n1", True, 1)
    assert isinstance(withheld.score, Suppressed)
    assert all(isinstance(p.score, Suppressed) for p in trend(rs, by=by))


def test_csv_output_never_hands_a_spreadsheet_a_formula():
    rs = [
        SurveyResult(
            id=f"r{k}",
            survey_id="s",
            org_unit_id=u,
            cycle="2023",
            condition="equity",
            score=3.0,
            n=30,
        )
        for k, u in enumerate(['=HYPERLINK("http://x")', "@SUM(A1)", "+1", "-1", "plain"])
    ]
    text = condition_scores(rs).to_csv()
    units = [line.split(",")[1] for line in text.splitlines()[1:]]
    assert all(not u.lstrip('"').startswith(("=", "+", "-", "@")) for u in units), units
    assert "plain" in units
    # Numbers keep their sign: only text is guarded.
    assert (
        "-0.5"
        in trend(
            [
                SurveyResult(
                    id="a",
                    survey_id="s",
                    org_unit_id="u",
                    cycle="1",
                    condition="c",
                    score=3.0,
                    n=30,
                ),
                SurveyResult(
                    id="b",
                    survey_id="s",
                    org_unit_id="u",
                    cycle="2",
                    condition="c",
                    score=2.5,
                    n=30,
                ),
            ]
        ).to_csv()
    )


@pytest.mark.parametrize("figure", ["program_id", "cohort_id", "group"])
def test_plot_cohorts_refuses_a_label_as_a_figure(figure):
    import matplotlib

    matplotlib.use("Agg")
    from mentorkit.measurement import plot_cohorts

    with pytest.raises(ValidationError) as info:
        plot_cohorts(report_outcomes(gem_store([(2019, 28), (2020, 3)])), figure=figure)
    assert info.value.field == "figure"


def test_plot_cohorts_draws_no_bar_for_a_withheld_figure():
    import math

    import matplotlib

    matplotlib.use("Agg")
    from mentorkit.measurement import plot_cohorts

    table = report_outcomes(gem_store([(2019, 28), (2020, 3)]))
    ax = plot_cohorts(table, figure="mentees")
    withheld = [isinstance(r.mentees, Suppressed) for r in table if r.cohort_id != "(all cohorts)"]
    assert any(withheld)
    heights = [bar.get_height() for bar in ax.patches]
    for hidden, height in zip(withheld, heights, strict=True):
        assert math.isnan(height) if hidden else height > 0


@settings(max_examples=60, deadline=None)
@given(result_specs, st.integers(1, 15))
def test_every_group_has_a_lowest_condition_row_even_when_all_is_withheld(spec, min_cell):
    by = {"u1": "n1", "u2": "n1", "u3": "n2"}  # u4 belongs to no group: left out
    policy = DisclosurePolicy(min_cell=min_cell)
    found = lowest_conditions(results_of(spec), by=by, policy=policy)
    assert {(f.org_unit_id, f.cycle) for f in found} == {
        (by[u], cy) for u, cy, *_ in spec if u in by
    }
    scores = {(r.org_unit_id, r.cycle, r.condition): r.score
              for r in condition_scores(results_of(spec), by=by, policy=policy)}  # fmt: skip
    for f in found:
        mine = [v for (g, cy, _), v in scores.items() if (g, cy) == (f.org_unit_id, f.cycle)]
        assert f.all_withheld == all(isinstance(v, Suppressed) for v in mine)


def test_a_withheld_unit_is_a_withheld_row_in_text_csv_and_pandas():
    spec = [("u1", "equity", 2.1, 40), ("u1", "trust", 3.0, 40), ("net-14", "equity", 2.0, 7),
            ("net-14", "trust", 2.5, 7)]  # fmt: skip
    rs = results_of([(u, "2023", c, score, n) for u, c, score, n in spec])
    table = lowest_conditions(rs)
    assert [(f.org_unit_id, f.all_withheld) for f in table] == [("net-14", True), ("u1", False)]
    row = next(line for line in table.to_text().splitlines() if " net-14 " in line)
    assert row.split() == ["s", "net-14", "2023", "*", "*", "*", "-", "-", "2", "-"]
    assert "s,net-14,2023,*,*,*,,,2," in table.to_csv()
    with pytest.raises(ValidationError) as info:
        table[0].inquiry(id="inq")
    assert info.value.field == "condition"
    pd = pytest.importorskip("pandas")
    frame = table.to_pandas()
    assert pd.isna(frame.loc[0, "score"])
    assert (0, "score") in frame.attrs["withheld"]
