"""The fairness audit: rates and scores by org unit, and by group only when asked."""

import math

import pytest

from mentorkit.errors import ValidationError
from mentorkit.matching import MatchingProblem, fairness_audit, match
from mentorkit.measurement import DisclosurePolicy, Suppressed


def cohort(n=40, places=25, seed=0):
    import random

    rng = random.Random(seed)
    mentees = [f"e{i}" for i in range(n)]
    scores = [[rng.random() for _ in range(5)] for _ in mentees]
    problem = MatchingProblem.from_matrix(mentees, [f"m{j}" for j in range(5)], scores, places // 5)
    units = {e: ("north" if i % 2 else "south") for i, e in enumerate(mentees)}
    demo = {
        e: {"gender": "f" if i < 30 else ("m" if i < 37 else "x")} for i, e in enumerate(mentees)
    }
    return match(problem, "optimal"), units, demo


def test_org_unit_figures_are_exact():
    result, units, _ = cohort()
    report = fairness_audit(result, units)
    assert report.overall.mentees == 40
    assert report.overall.matched == 25
    assert report.overall.match_rate == 25 / 40
    for g in report.by_org_unit:
        mine = [p for p in result.pairs if units[p.mentee_id] == g.group]
        assert g.matched == len(mine)
        assert g.mean_score == pytest.approx(sum(p.score for p in mine) / len(mine))
    assert report.by_demographic == {}
    assert "gender" not in report.to_text()


def test_demographic_groups_appear_only_when_asked_and_small_ones_are_withheld():
    result, units, demo = cohort()
    report = fairness_audit(result, units, demographics=demo, by=["gender"])
    groups = {g.group: g for g in report.by_demographic["gender"]}
    assert set(groups) == {"f", "m", "x"}
    assert isinstance(groups["m"].mentees, Suppressed)  # 7 people
    assert isinstance(groups["x"].mentees, Suppressed)  # 3 people
    assert isinstance(groups["x"].match_rate, Suppressed)
    assert isinstance(groups["x"].mean_score, Suppressed)
    assert isinstance(groups["x"].matched, Suppressed)
    f = groups["f"]
    if isinstance(f.matched, int) and isinstance(f.mentees, int):
        assert f.match_rate == f.matched / f.mentees
    text = report.to_text()
    assert "by gender (groups under 10 withheld: *)" in text
    with pytest.raises(ValidationError) as info:
        fairness_audit(result, units, by=["gender"])
    assert info.value.field == "by"


def test_a_lower_threshold_publishes_more():
    result, units, demo = cohort()
    report = fairness_audit(
        result, units, demographics=demo, by=["gender"], policy=DisclosurePolicy(min_cell=2)
    )
    groups = {g.group: g for g in report.by_demographic["gender"]}
    assert groups["m"].mentees == 7


def test_unknown_org_units_and_excluded_applicants():
    problem = MatchingProblem.from_matrix(["a", "b"], ["x"], [[1.0], [None]], 1)
    result = match(problem)
    report = fairness_audit(result, {"a": "north"})
    assert [g.group for g in report.by_org_unit] == ["(unknown)", "north"]
    unknown = report.by_org_unit[0]
    assert unknown.matched == 0
    assert math.isnan(unknown.mean_score)
