import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorkit import Goal, from_json, to_json
from mentorkit.cycles import SmartieCriterion, check_smartie
from mentorkit.errors import ValidationError
from mentorkit.testing._framework_strategies import goals, smartie_goals

FULL = Goal(
    id="g-1",
    person_id="p-1",
    statement="Cut chronic absence among grade 6 students experiencing homelessness",
    strategic_priority="attendance",
    measure="chronic absence rate (%)",
    baseline=31.0,
    target=20.0,
    start=dt.date(2024, 9, 1),
    deadline=dt.date(2025, 6, 15),
    supports=["attendance team", "community liaison"],
    student_group="grade 6 students experiencing homelessness",
    stakeholders=["families", "shelter partners"],
    equity_focus="absence gap versus housed peers",
)


def test_a_complete_goal_meets_all_seven_criteria():
    report = check_smartie(FULL)
    assert report.met
    assert bool(report)
    assert [r.criterion for r in report] == list(SmartieCriterion)
    assert report.explain() == "SMARTIE"


@pytest.mark.parametrize(
    ("change", "criterion", "reason"),
    [
        ({"strategic_priority": None}, "strategic", "no strategic priority named"),
        ({"strategic_priority": "  "}, "strategic", "no strategic priority named"),
        ({"measure": None}, "measurable", "no measure"),
        ({"baseline": None}, "measurable", "no baseline"),
        ({"target": None}, "measurable", "no target"),
        ({"target": 31.0}, "attainable", "the target equals the baseline: nothing to attain"),
        ({"supports": ()}, "attainable", "no supports (people, time, resources) named"),
        ({"start": None}, "realistic", "no start date (when the baseline was taken)"),
        (
            {"deadline": dt.date(2024, 8, 1)},
            "realistic",
            "the deadline is not after the start date",
        ),
        (
            {"deadline": dt.date(2029, 1, 1)},
            "realistic",
            "more than 3 years from start to deadline",
        ),
        ({"deadline": None}, "time_bound", "no deadline"),
        ({"student_group": None}, "inclusive", "no student group named"),
        ({"student_group": None}, "equitable", "no student group named"),
        ({"stakeholders": ()}, "inclusive", "no stakeholders named"),
        ({"equity_focus": ""}, "equitable", "no equity focus (the gap it closes) named"),
    ],
)
def test_each_missing_piece_fails_its_criterion_with_a_reason(change, criterion, reason):
    report = check_smartie(attrs.evolve(FULL, **change))
    assert not report.met
    assert reason in report[criterion].reasons
    assert criterion in report.missing
    assert f"{criterion}: " in report.explain()


def test_a_bare_goal_fails_every_criterion():
    report = check_smartie(Goal(id="g", person_id="p", statement="Do better"))
    assert report.missing == tuple(SmartieCriterion)


def test_an_unknown_criterion_name_is_a_validation_error():
    with pytest.raises(ValidationError) as info:
        check_smartie(FULL)["smart"]
    assert (info.value.field, info.value.value) == ("criterion", "smart")


def test_only_goals_are_checked():
    with pytest.raises(ValidationError) as info:
        check_smartie({"statement": "x"})  # type: ignore[arg-type]
    assert info.value.field == "goal"


def test_the_smartie_fields_round_trip_and_are_optional_for_old_documents():
    assert from_json(to_json(FULL)) == FULL
    old = '{"$type": "goal", "$schema": 1, "id": "g", "person_id": "p", "statement": "s"}'
    assert from_json(old, Goal).supports == ()


def test_goal_text_lists_must_hold_strings():
    with pytest.raises(ValidationError) as info:
        attrs.evolve(FULL, supports=[1])
    assert info.value.field == "supports"


@given(goals())
def test_the_check_is_deterministic_and_consistent(goal):
    first, second = check_smartie(goal), check_smartie(goal)
    assert first == second
    assert first.met == (not first.missing)
    assert all(r.met == (not r.reasons) for r in first)
    assert from_json(to_json(goal)) == goal
    assert (goal.deadline is None) == (not first["time_bound"].met)


@given(smartie_goals())
def test_removing_any_smartie_field_breaks_a_criterion(goal):
    for field in (
        "strategic_priority",
        "measure",
        "baseline",
        "target",
        "start",
        "deadline",
        "student_group",
        "equity_focus",
    ):
        assert not check_smartie(attrs.evolve(goal, **{field: None})).met
    for field in ("supports", "stakeholders"):
        assert not check_smartie(attrs.evolve(goal, **{field: ()})).met


@given(
    goal=smartie_goals(),
    years=st.integers(min_value=1, max_value=100),
    start=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
)
def test_max_years_counts_calendar_years_to_the_day(goal, years, start):
    from dateutil.relativedelta import relativedelta

    from mentorkit.cycles import SmartieRules

    rules = SmartieRules(max_years=years)
    last = start + relativedelta(years=years)  # 29 February -> 28 February
    assert rules.latest_deadline(start) == last
    on_time = attrs.evolve(goal, start=start, deadline=last)
    assert check_smartie(on_time, rules=rules)["realistic"].met
    late = attrs.evolve(goal, start=start, deadline=last + dt.timedelta(days=1))
    assert not check_smartie(late, rules=rules)["realistic"].met


@given(
    goal=smartie_goals(),
    years=st.floats(min_value=0.01, max_value=100),
    start=st.dates(),
    days=st.integers(min_value=1, max_value=200 * 366),
)
def test_a_goal_near_the_last_date_there_is_gets_a_report_not_an_error(goal, years, start, days):
    """Any start and deadline a date can hold: latest_deadline never overflows, and a
    deadline it cannot exceed (the window reaches past 9999) counts as within the limit."""
    from mentorkit.cycles import SmartieRules

    rules = SmartieRules(max_years=years)
    latest = rules.latest_deadline(start)
    assert latest >= start
    deadline = dt.date.max - dt.timedelta(days=min(days, (dt.date.max - start).days))
    report = check_smartie(attrs.evolve(goal, start=start, deadline=deadline), rules=rules)
    if deadline > start:
        assert report["realistic"].met is (deadline <= latest)
    if latest == dt.date.max:  # nothing is beyond it
        assert start.year > 9999 - 101


@pytest.mark.parametrize("bad", ["2024-01-01", None, 20240101, dt.datetime(2024, 1, 1)])
def test_latest_deadline_refuses_what_is_not_a_date_naming_start(bad):
    from mentorkit.cycles import SmartieRules

    with pytest.raises(ValidationError) as info:
        SmartieRules().latest_deadline(bad)
    assert info.value.field == "start"
