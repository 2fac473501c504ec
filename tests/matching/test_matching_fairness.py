"""The fairness audit: rates and scores by org unit, and by group only when asked."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_org_unit_figures_are_exact_where_shown():
    result, units, _ = cohort()
    for policy in (DisclosurePolicy(), DisclosurePolicy(min_cell=1)):
        report = fairness_audit(result, units, policy=policy)
        assert report.overall.mentees == 40
        for g in report.by_org_unit:
            mine = [p for p in result.pairs if units[p.mentee_id] == g.group]
            if not isinstance(g.matched, Suppressed):
                assert g.matched == len(mine)
            if not isinstance(g.mean_score, Suppressed):
                assert g.mean_score == pytest.approx(sum(p.score for p in mine) / len(mine))
        assert report.by_demographic == {}
        assert "gender" not in report.to_text()
    exact = fairness_audit(result, units, policy=DisclosurePolicy(min_cell=1))
    assert exact.overall.matched == 25
    assert all(isinstance(g.matched, int) for g in exact.by_org_unit)


def test_an_org_unit_with_one_mentee_is_withheld():
    result, units, _ = cohort()
    units = {**units, "e0": "tiny"}
    report = fairness_audit(result, units)
    tiny = next(g for g in report.by_org_unit if g.group == "tiny")
    for figure in (tiny.mentees, tiny.matched, tiny.match_rate, tiny.mean_score):
        assert isinstance(figure, Suppressed)
    # and another unit's size is withheld with it: the overall count would give it away
    others = [g for g in report.by_org_unit if g.group != "tiny"]
    assert any(isinstance(g.mentees, Suppressed) for g in others) or isinstance(
        report.overall.mentees, Suppressed
    )


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
    report = fairness_audit(result, {"a": "north"}, policy=DisclosurePolicy(min_cell=1))
    assert [g.group for g in report.by_org_unit] == ["(unknown)", "north"]
    unknown = report.by_org_unit[0]
    assert unknown.matched == 0
    assert math.isnan(unknown.mean_score)


def _recoverable(report, true):
    """Withheld counts a reader can compute by adding and subtracting published rows.

    Independent of the implementation: every section (overall, org units, each attribute's
    groups) splits the same mentees, so each section's mentees and matched counts add up to
    the overall ones; a withheld count is recoverable when it lies in the span of those
    equations once the published counts are known (linear algebra, numpy rank).
    """
    import numpy as np

    sections = [("unit", report.by_org_unit)]
    sections += [(f"by:{a}", groups) for a, groups in report.by_demographic.items()]
    variables = []  # (section, group, "mentees" | "matched")
    shown = {}
    for kind in ("mentees", "matched"):
        variables.append(("all", "all", kind))
        shown["all", "all", kind] = getattr(report.overall, kind)
        for name, groups in sections:
            for g in groups:
                variables.append((name, g.group, kind))
                shown[name, g.group, kind] = getattr(g, kind)
    unknown = [v for v in variables if isinstance(shown[v], Suppressed)]
    if not unknown:
        return []
    index = {v: k for k, v in enumerate(unknown)}
    equations = []
    for name, groups in sections:
        for kind in ("mentees", "matched"):
            eq = np.zeros(len(unknown))
            for g in groups:
                if (v := (name, g.group, kind)) in index:
                    eq[index[v]] += 1
            if (v := ("all", "all", kind)) in index:
                eq[index[v]] -= 1
            equations.append(eq)
    a = np.array(equations)
    rank = np.linalg.matrix_rank(a)
    found = []
    for v, k in index.items():
        probe = np.zeros(len(unknown))
        probe[k] = 1
        if np.linalg.matrix_rank(np.vstack([a, probe])) == rank:
            found.append((v, true[v]))
    return found


def _audit_case(sizes, n_units, min_cell, e_groups=0):
    ids, demo, units, scores = [], {}, {}, []
    for g, (size, matched) in enumerate(sizes):
        for q in range(size):
            mentee = f"g{g}_{q}"
            ids.append(mentee)
            demo[mentee] = {"d": f"G{g}", "e": f"E{(q * 7 + g) % max(e_groups, 1)}"}
            units[mentee] = f"u{(g + q) % n_units}"
            scores.append([1.0] if q < matched else [None])
    problem = MatchingProblem.from_matrix(ids, ["x"], scores, capacity=len(ids))
    result = match(problem, "greedy")
    report = fairness_audit(
        result,
        units,
        demographics=demo,
        by=["d", "e"] if e_groups else ["d"],
        policy=DisclosurePolicy(min_cell=min_cell),
    )
    true = {}
    matched_ids = set(result.assignment)
    for kind, members in (("mentees", ids), ("matched", [i for i in ids if i in matched_ids])):
        true["all", "all", kind] = len(members)
        for i in ids:
            true.setdefault(("unit", units[i], kind), 0)
            for a in ("d", "e"):
                true.setdefault((f"by:{a}", demo[i][a], kind), 0)
        for i in members:
            true["unit", units[i], kind] += 1
            for a in ("d", "e"):
                true[f"by:{a}", demo[i][a], kind] += 1
    return report, true


def test_the_overall_row_does_not_republish_a_withheld_group_count():
    # G0: 19 mentees, 0 matched; G1: 24 mentees, 5 matched (withheld). Publishing the
    # overall matched (5) would give G1's 5 = 5 - 0.
    report, true = _audit_case([(19, 0), (24, 5)], n_units=1, min_cell=10)
    groups = {g.group: g for g in report.by_demographic["d"]}
    assert isinstance(groups["G1"].matched, Suppressed)
    assert isinstance(report.overall.matched, Suppressed)
    assert isinstance(report.overall.match_rate, Suppressed)
    assert isinstance(report.overall.mean_score, Suppressed)
    assert all(isinstance(u.matched, Suppressed) for u in report.by_org_unit)
    assert report.overall.mentees == 43
    assert _recoverable(report, true) == []


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.integers(1, 30).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))),
        min_size=1,
        max_size=4,
    ),
    st.integers(1, 3),
    st.integers(2, 12),
    st.integers(0, 3),
)
def test_no_withheld_count_can_be_recovered_from_the_published_rows(
    sizes, n_units, min_cell, e_groups
):
    report, true = _audit_case(sizes, n_units, min_cell, e_groups)
    assert _recoverable(report, true) == []
    every = [g for groups in report.by_demographic.values() for g in groups]
    for g in (report.overall, *report.by_org_unit, *every):
        if isinstance(g.mentees, Suppressed) or isinstance(g.matched, Suppressed):
            assert isinstance(g.match_rate, Suppressed)
            assert isinstance(g.mean_score, Suppressed)
