"""A new user's findings: figures that looked wrong, mistakes that passed silently."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.measurement import (
    ALL_COHORTS,
    Direction,
    DisclosurePolicy,
    Inquiry,
    Suppressed,
    SurveyResult,
    Target,
    follow_up,
    lowest_conditions,
    progress,
    report_outcomes,
    trend,
)
from mentorkit.model import ActionItem, Cohort, Enrollment, Outcome, Person, Program
from mentorkit.storage import MemoryStore


def cohort_store(sizes, *, program="gem"):
    """Cohorts of ``program``: ``(start, n)`` each, n mentees who completed."""
    store = MemoryStore()
    store.put(Program(id=program, name=program.upper()))
    for k, (start, n) in enumerate(sizes):
        cid = f"c{k}"
        store.put(
            Cohort(
                id=cid,
                program_id=program,
                name=cid,
                start=start,
                end=start + dt.timedelta(days=300),
            )
        )
        store.put_many(
            Enrollment(
                id=f"e{k}-{i}",
                person_id=f"p{k}-{i}",
                cohort_id=cid,
                role="mentee",
                status="completed",
            )
            for i in range(n)
        )
    return store


def gem_target(**kw):
    args = {
        "id": "t-150",
        "name": "150 by 2024",
        "program_id": "gem",
        "measure": "mentees",
        "count": 150,
        "deadline": dt.date(2024, 6, 30),
    } | kw
    return Target(**args)


GEM = [(dt.date(2019 + k, 8, 1), n) for k, n in enumerate([28, 27, 28, 30])]


def test_a_target_past_its_deadline_counts_at_the_deadline_and_says_missed():
    store = cohort_store([*GEM, (dt.date(2024, 8, 1), 40)])
    late = progress(gem_target(), store, as_of=dt.date(2025, 1, 1))
    assert late.reached == 113
    assert late.verdict == "missed"
    assert late.on_track is False
    assert "113 of 150" in late.to_text()
    assert "(missed;" in late.to_text()
    assert "on track" not in late.to_text()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 8 * 365), st.integers(1, 40)), min_size=1, max_size=6),
    st.integers(1, 200),
    st.integers(0, 4 * 365),
)
def test_progress_after_the_deadline_is_the_progress_at_the_deadline(cohorts, count, later):
    base = dt.date(2018, 1, 1)
    store = cohort_store([(base + dt.timedelta(days=d), n) for d, n in cohorts])
    deadline = base + dt.timedelta(days=4 * 365)
    target = gem_target(count=count, deadline=deadline, start=base)
    policy = DisclosurePolicy(min_cell=1)
    at = progress(target, store, as_of=deadline, policy=policy)
    after = progress(target, store, as_of=deadline + dt.timedelta(days=later), policy=policy)
    counted = sum(n for d, n in cohorts if base + dt.timedelta(days=d) <= deadline)
    assert at.reached == after.reached == counted
    assert after.pace_so_far == pytest.approx(at.pace_so_far)
    expected = "met" if counted >= count else "missed"
    assert at.verdict == expected
    if later:
        assert after.verdict == expected
        assert after.pace_needed is None


@settings(max_examples=40, deadline=None)
@given(st.integers(10, 60), st.integers(2, 6), st.integers(0, 364))
def test_without_a_start_the_pace_is_the_yearly_intake(n, years, extra):
    """Equal yearly cohorts of n: the pace so far is n a year, whenever one looks."""
    store = cohort_store([(dt.date(2019 + k, 8, 1), n) for k in range(years)])
    as_of = dt.date(2019 + years - 1, 8, 1) + dt.timedelta(days=extra)
    target = gem_target(deadline=dt.date(2030, 6, 30), count=10_000)
    p = progress(target, store, as_of=as_of, policy=DisclosurePolicy(min_cell=1))
    assert p.pace_so_far == pytest.approx(n, rel=0.01)
    left = (target.deadline - as_of).days / 365.25
    assert p.projected == pytest.approx(n * years + p.pace_so_far * left)


def test_one_cohort_and_no_start_gives_no_pace_rather_than_a_made_up_one():
    store = cohort_store([(dt.date(2023, 8, 1), 30)])
    p = progress(gem_target(), store, as_of=dt.date(2024, 1, 1))
    assert p.pace_so_far is None
    assert p.projected is None
    assert p.verdict is None
    assert "30 of 150" in p.to_text()


def test_a_target_of_an_unknown_program_is_not_found_and_the_message_lists_programs():
    store = cohort_store(GEM)
    with pytest.raises(NotFoundError, match=r"'prog-fellow'.*'gem'"):
        progress(gem_target(program_id="prog-fellow"), store, as_of=dt.date(2023, 1, 1))


def students_store(plan):
    """plan: per person, (cohorts they are in, students reached)."""
    store = cohort_store([(dt.date(2019 + k, 8, 1), 0) for k in range(3)])
    for i, (cohorts, students) in enumerate(plan):
        for k in sorted(cohorts):
            store.put(
                Enrollment(
                    id=f"x{i}-{k}",
                    person_id=f"q{i}",
                    cohort_id=f"c{k}",
                    role="mentee",
                    status="completed",
                )
            )
        store.put(
            Outcome(
                id=f"o{i}",
                person_id=f"q{i}",
                kind="students_reached",
                date=dt.date(2023, 6, 1),
                value=students,
            )
        )
    return store


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sets(st.integers(0, 2), min_size=1), st.integers(0, 500)),
        min_size=1,
        max_size=30,
    )
)
def test_the_program_total_counts_each_persons_students_once(plan):
    store = students_store(plan)
    table = report_outcomes(store, policy=DisclosurePolicy(min_cell=1))
    (total,) = [r for r in table if r.total]
    assert total.cohort_id == ALL_COHORTS
    assert total.students_reached == sum(students for _, students in plan)
    for k in range(3):
        (row,) = [r for r in table if r.cohort_id == f"c{k}"]
        in_k = [students for cohorts, students in plan if k in cohorts]
        assert row.students_reached == (sum(in_k) if in_k else None)
        assert not row.total


def test_unknown_program_or_a_cohort_id_for_a_program_is_not_found():
    store = cohort_store(GEM)
    with pytest.raises(NotFoundError, match=r"'prog-fellow'.*programs: 'gem'"):
        report_outcomes(store, program_id="prog-fellow")
    with pytest.raises(NotFoundError, match="'c1' is a cohort of program 'gem'"):
        report_outcomes(store, program_id="c1")


def test_an_unknown_demographic_attribute_is_refused_listing_the_known_ones():
    store = cohort_store(GEM)
    store.put(Person(id="p0-0", name="A", demographics={"gender": "f", "race_ethnicity": "x1"}))
    with pytest.raises(ValidationError, match="'gender', 'race_ethnicity'") as err:
        report_outcomes(store, by="genderr")
    assert err.value.field == "by"
    assert "x1" not in str(err.value)
    assert "'f'" not in str(err.value)
    assert report_outcomes(store, by="gender").title.endswith("gender")


def results(spec):
    return [
        SurveyResult(
            id=f"r{k}", survey_id="s", org_unit_id=u, cycle=cy, condition=cond, score=sc, n=n
        )
        for k, (u, cy, cond, sc, n) in enumerate(spec)
    ]


def test_an_unknown_condition_is_refused_listing_the_conditions():
    rs = results([("u", "2021", "trust", 3.0, 20), ("u", "2022", "trust", 3.1, 20)])
    with pytest.raises(ValidationError, match="'trust'") as err:
        trend(rs, condition="equity")
    assert err.value.field == "condition"


@settings(max_examples=60, deadline=None)
@given(
    st.floats(1, 5, allow_nan=False),
    st.floats(-0.0049, 0.0049, allow_nan=False),
)
def test_a_change_that_prints_as_zero_is_flat_by_default(score, delta):
    rs = results([("u", "2021", "equity", score, 20), ("u", "2022", "equity", score + delta, 20)])
    point = trend(rs)[1]
    assert point.direction is Direction.FLAT
    assert "-0.00" not in trend(rs).to_text()


@settings(max_examples=60, deadline=None)
@given(st.integers(100, 400), st.integers(1, 30))
def test_a_change_equal_to_the_tolerance_is_flat(start, step):
    """2.45 - 2.40 is 0.04999... and 2.50 - 2.45 is 0.05000...03: both are flat at 0.05."""
    a, b = start / 100, (start + step) / 100
    rs = results([("u", "2021", "equity", a, 20), ("u", "2022", "equity", b, 20)])
    assert trend(rs, tolerance=step / 100)[1].direction is Direction.FLAT
    assert trend(rs, tolerance=step / 100 / 2)[1].direction is Direction.UP


def test_follow_up_refuses_an_inquiry_grouped_otherwise_than_the_results():
    spec = [
        (u, cy, "equity", sc, 20) for u in ("s1", "s2") for cy, sc in (("2021", 2.0), ("2022", 2.5))
    ]
    rs = results(spec)
    network = {"s1": "net", "s2": "net"}
    finding = lowest_conditions(rs, by=network)[0]
    inq = finding.inquiry(id="i1")
    assert follow_up([inq], rs, by=network)[0].direction is Direction.UP
    with pytest.raises(ValidationError, match="same by="):
        follow_up([inq], rs)


def test_an_inquiry_checks_its_next_steps_when_given_a_store():
    rs = results([("u", "2021", "equity", 2.0, 20), ("u", "2021", "trust", 3.0, 20)])
    finding = lowest_conditions(rs)[0]
    store = MemoryStore()
    with pytest.raises(NotFoundError, match="step-1"):
        finding.inquiry(id="i1", next_step_ids=["step-1"], store=store)
    store.put(Person(id="lead", name="Lead"))
    store.put(ActionItem(id="step-1", owner_id="lead", text="Co-design the next steps"))
    inq = finding.inquiry(id="i1", next_step_ids=["step-1"], store=store)
    assert isinstance(inq, Inquiry)
    assert inq.next_step_ids == ("step-1",)


def test_csv_numbers_have_no_float_noise_and_whole_sums_no_decimals():
    rs = results([("u", "2021", "equity", 0.3, 20), ("u", "2022", "equity", 0.1 + 0.22, 20)])
    line = trend(rs).to_csv().splitlines()[2].split(",")
    assert line[4] == "0.32"
    assert line[6] == "0.02"
    store = students_store([({0}, 10690.0)] * 12)
    text = report_outcomes(store).to_csv()
    assert ",128280," in text
    assert "128280.0" not in text


def test_a_text_column_prints_its_numbers_with_the_same_decimals():
    store = cohort_store([(dt.date(2019, 8, 1), 2), (dt.date(2020, 8, 1), 1)])
    start0, start1 = dt.date(2019, 8, 1), dt.date(2020, 8, 1)
    for k, (person, day) in enumerate(
        [
            ("p0-0", start0 + dt.timedelta(days=522)),
            ("p0-1", start0 + dt.timedelta(days=523)),
            ("p1-0", start1 + dt.timedelta(days=419)),
        ]
    ):
        store.put(Outcome(id=f"o{k}", person_id=person, kind="promotion", date=day))
    table = report_outcomes(store, policy=DisclosurePolicy(min_cell=1), within_years=0)
    medians = [r.median_days_to_promotion for r in table if not r.total]
    assert medians == [522.5, 419.0]
    lines = table.to_text().splitlines()[2:4]
    assert ["522.5" in lines[0], "419.0" in lines[1]] == [True, True]


def test_to_pandas_has_nullable_numbers_whether_or_not_anything_is_withheld():
    store = cohort_store([(dt.date(2019, 8, 1), 30), (dt.date(2020, 8, 1), 3)])
    df = report_outcomes(store).to_pandas()
    assert df.attrs["withheld"]
    assert str(df["mentees"].dtype) == "Int64"
    assert str(df["promotion_rate"].dtype) == "Float64"
    assert str(df["total"].dtype) == "boolean"
    assert list(df["total"]) == [False, False, True]
    assert {(i, "mentees") for i in range(3) if df["mentees"].isna()[i]} == {
        w for w in df.attrs["withheld"] if w[1] == "mentees"
    }
    points = progress(gem_target(start=dt.date(2019, 1, 1)), cohort_store(GEM)).points
    assert str(points.to_pandas()["date"].dtype).startswith("datetime64")


def _survey():
    from mentorkit.measurement import Condition, Survey

    return Survey(id="s", name="S", conditions=[Condition(id="equity", title="Equity")])


HEADER = "org_unit_id,cycle,condition,score,n\n"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["good", "one", "two", "short"]), min_size=1, max_size=12))
def test_the_bad_row_count_counts_rows_not_problems(kinds):
    import io

    from mentorkit.measurement import read_results_csv

    body = {
        "good": "u,{k},equity,3,20\n",
        "one": "u,{k},equity,high,20\n",
        "two": "nope,{k},equity,high,0\n",
        "short": "u,{k},equity\n",
    }
    text = HEADER + "".join(body[kind].format(k=f"c{k}") for k, kind in enumerate(kinds))
    bad = sum(kind != "good" for kind in kinds)
    if not bad:
        assert len(read_results_csv(io.StringIO(text), survey=_survey(), org_unit_ids={"u"})) == (
            len(kinds)
        )
        return
    with pytest.raises(ValidationError) as err:
        read_results_csv(io.StringIO(text), survey=_survey(), org_unit_ids={"u"})
    assert str(err.value).startswith(f"{bad} bad row(s)")
    for k, kind in enumerate(kinds):
        if kind == "short":
            assert (
                f"row {k + 2}: has 3 cell(s), the header has 5 columns"
                in err.value.errors[
                    [e.startswith(f"row {k + 2}:") for e in err.value.errors].index(True)
                ]
            )


def test_a_semicolon_file_gets_a_hint_and_a_header_only_file_is_refused():
    import io

    from mentorkit.measurement import read_results_csv

    semi = HEADER.replace(",", ";") + "u;2023;equity;3;20\n"
    with pytest.raises(ValidationError, match="separate columns with ';'"):
        read_results_csv(io.StringIO(semi), survey=_survey(), org_unit_ids={"u"})
    with pytest.raises(ValidationError, match="header but no rows"):
        read_results_csv(io.StringIO(HEADER), survey=_survey(), org_unit_ids={"u"})


@pytest.fixture
def plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_plot_progress_leaves_a_gap_for_a_withheld_count_and_runs_on_to_as_of(plt):
    import math

    from mentorkit.measurement import plot_progress

    store = cohort_store([(dt.date(2019, 8, 1), 4), *GEM[1:]])
    p = progress(gem_target(start=dt.date(2019, 1, 1)), store, as_of=dt.date(2023, 3, 1))
    assert str(p.points[0].total) == "*"
    ax = plot_progress(p)
    line = ax.get_lines()[0]
    xs, ys = line.get_xdata(), line.get_ydata()
    withheld = [k for k, pt in enumerate(p.points) if not isinstance(pt.total, int)]
    for k in withheld:
        assert math.isnan(ys[k])
    assert xs[-1] == dt.date(2023, 3, 1)
    assert "(* withheld)" in ax.get_title()
    assert ax.figure.get_layout_engine() is not None


def test_plot_cohorts_says_withheld_only_when_something_is_and_draws_rates_in_percent(plt):
    from matplotlib.ticker import PercentFormatter

    from mentorkit.measurement import plot_cohorts

    store = cohort_store([(dt.date(2019, 8, 1), 30), (dt.date(2020, 8, 1), 40)])
    ax = plot_cohorts(report_outcomes(store))
    assert "withheld" not in ax.get_title()
    assert isinstance(ax.yaxis.get_major_formatter(), PercentFormatter)
    small = cohort_store([(dt.date(2019, 8, 1), 30), (dt.date(2020, 8, 1), 4)])
    assert "(* withheld)" in plot_cohorts(report_outcomes(small)).get_title()


def test_plot_trends_keeps_its_legend_off_the_axes_and_refuses_an_unknown_condition(plt):
    from mentorkit.measurement import plot_trends

    spec = [(f"school-{u:02d}", cy, "equity", 2 + u / 20, 20) for u in range(12)
            for cy in ("2021", "2022")]  # fmt: skip
    ax = plot_trends(trend(results(spec)))
    ax.figure.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1
    many = [(f"s{u:02d}", cy, "equity", 3.0, 20) for u in range(40) for cy in ("2021", "2022")]
    ax = plot_trends(trend(results(many)))
    assert ax.get_legend() is None
    assert "40 org units" in ax.get_title()
    with pytest.raises(ValidationError, match="equity"):
        plot_trends(trend(results(spec)), condition="trust")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([2.5, 2.75, 3.0, 3.5]), min_size=1, max_size=5),
    st.sampled_from([10, 20, 30]),
)
def test_a_tie_for_lowest_is_flagged(scores, n):
    conditions = ["a", "b", "c", "d", "e"][: len(scores)]
    rs = results([("u", "2023", c, sc, n) for c, sc in zip(conditions, scores, strict=True)])
    finding = lowest_conditions(rs)[0]
    low = min(scores)
    tied = [c for c, sc in zip(conditions, scores, strict=True) if sc == low]
    assert finding.condition == tied[0]
    assert list(finding.tied_with) == tied[1:]
    if len(tied) > 1:
        assert finding.gap == 0


def test_the_header_matches_whatever_the_case_of_its_column_names():
    import io

    from mentorkit.measurement import read_results_csv

    text = "Org_Unit_ID,Cycle,Condition,Score,N\nu,2023,equity,3,20\n"
    (r,) = read_results_csv(io.StringIO(text), survey=_survey(), org_unit_ids={"u"})
    assert (r.score, r.n) == (3.0, 20)


@settings(max_examples=5, deadline=None)
@given(st.integers(0, 10_000))
def test_a_programs_own_students_never_exceed_its_reach_through_the_graph(seed):
    from mentorkit import synthetic
    from mentorkit.graph import MentorshipGraph

    store = MemoryStore()
    store.put_many(synthetic.district(seed=seed, staff=600, years=3).entities())
    graph = MentorshipGraph.from_store(store)
    for row in report_outcomes(store, graph=graph, policy=DisclosurePolicy(min_cell=1)):
        if row.total and row.students_reached is not None:
            assert row.students_reached <= row.reach_via_graph


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 40), min_size=1, max_size=5),
    st.integers(2, 12),
    st.integers(0, 800),
)
def test_without_a_start_no_withheld_first_count_follows_from_the_pace(sizes, min_cell, extra):
    """pace = (reached - first) / span: a published pace and reached would give first away."""
    store = cohort_store([(dt.date(2019 + k, 8, 1), n) for k, n in enumerate(sizes)])
    as_of = dt.date(2019 + len(sizes) - 1, 8, 1) + dt.timedelta(days=extra)
    target = gem_target(deadline=dt.date(2030, 6, 30), count=10_000)
    p = progress(target, store, as_of=as_of, policy=DisclosurePolicy(min_cell=min_cell))
    if isinstance(p.points[0].new, Suppressed):
        assert p.pace_so_far is None or isinstance(p.pace_so_far, Suppressed)
        assert p.projected is None or isinstance(p.projected, Suppressed)
