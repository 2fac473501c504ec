import datetime as dt

import pytest

from mentorkit import from_dict, from_json, to_dict, to_json
from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.frameworks import (
    Assessment,
    Competency,
    CompetencyFramework,
    Level,
    ProficiencyScale,
    Rater,
    current_levels,
    growth,
    load_framework,
    rated_at_least,
)


def _fw(**kw):
    return CompetencyFramework(
        id="fw",
        title="FW",
        competencies=[
            Competency(code="a", title="A", children=[Competency(code="a1", title="A1")]),
            Competency(code="b", title="B"),
        ],
        **kw,
    )


def test_the_default_scale_orders_needs_improvement_below_exemplary():
    scale = ProficiencyScale.default()
    ranks = [scale.rank(c) for c in ("needs_improvement", "developing", "proficient", "exemplary")]
    assert ranks == [0, 1, 2, 3]


def test_an_unknown_level_is_a_validation_error_naming_the_level():
    with pytest.raises(ValidationError) as info:
        ProficiencyScale.default().rank("superb")
    assert info.value.field == "level"
    assert info.value.value == "superb"


def test_a_scale_rejects_a_level_code_used_twice():
    with pytest.raises(ValidationError) as info:
        ProficiencyScale(
            id="s", title="S", levels=[Level(code="x", title="X"), Level(code="x", title="Y")]
        )
    assert info.value.field == "levels"
    assert info.value.value == "x"


def test_a_scale_needs_a_level():
    with pytest.raises(ValidationError) as info:
        ProficiencyScale(id="s", title="S", levels=[])
    assert info.value.field == "levels"


def test_a_framework_rejects_a_competency_code_used_twice_at_any_depth():
    with pytest.raises(ValidationError) as info:
        CompetencyFramework(
            id="fw",
            title="FW",
            competencies=[
                Competency(code="a", title="A", children=[Competency(code="a", title="x")])
            ],
        )
    assert info.value.field == "competencies"
    assert info.value.value == "a"


def test_a_framework_finds_competencies_and_parents_at_any_depth():
    fw = _fw()
    assert fw.codes == ("a", "a1", "b")
    assert fw.get("a1").title == "A1"
    assert fw.parent_of("a1") == fw.get("a")
    assert fw.parent_of("b") is None
    assert [c.code for c in fw.leaves()] == ["a1", "b"]
    with pytest.raises(NotFoundError, match="'zz'"):
        fw.get("zz")


def test_a_framework_can_replace_its_scale():
    three = ProficiencyScale(
        id="three",
        title="Three",
        levels=[
            Level(code="low", title="Low"),
            Level(code="mid", title="Mid"),
            Level(code="high", title="High"),
        ],
    )
    fw = _fw(scale=three)
    assert fw.scale.codes == ("low", "mid", "high")
    assert from_json(to_json(fw)) == fw


@pytest.mark.parametrize("name", ["manager-of-self", "leader-growth"])
def test_built_in_frameworks_load_and_round_trip_through_the_converter(name):
    fw = load_framework(name)
    assert fw.id == name
    assert len(fw) >= 5
    assert from_dict(to_dict(fw)) == fw


def test_manager_of_self_has_the_five_competencies_in_order():
    fw = load_framework("manager-of-self")
    assert [c.title for c in fw.competencies] == [
        "Relationship Building",
        "Interpersonal Effectiveness",
        "Planning and Organization",
        "Communication",
        "Develops Talent",
    ]


def test_leader_growth_has_a_leadership_and_a_social_emotional_strand():
    fw = load_framework("leader-growth")
    strands = {c.code: [k.code for k in c.children] for c in fw.competencies}
    assert strands["social_emotional"] == [
        "motivation",
        "self_awareness",
        "self_regulation",
        "social_skills",
        "empathy",
    ]
    assert len(strands["leadership"]) == 4


def test_a_framework_document_with_a_misspelt_field_is_rejected_with_its_path():
    doc = to_dict(_fw())
    doc["competencies"][0]["titel"] = "oops"
    with pytest.raises(ValidationError) as info:
        from_dict(doc)
    assert any("titel" in line for line in info.value.errors)


# -- assessments ---------------------------------------------------------------------------


def _a(aid, person, comp, level, day, rater=Rater.SELF, fw="fw", rater_id=None):
    return Assessment(
        id=aid,
        person_id=person,
        framework_id=fw,
        competency=comp,
        level=level,
        date=day,
        rater=rater,
        rater_id=rater_id,
    )


def test_an_assessment_round_trips_as_a_stored_entity():
    a = _a("a-1", "p", "a1", "proficient", dt.date(2024, 1, 2), Rater.COACH, rater_id="c")
    assert Assessment.collection == "assessment"
    assert from_json(to_json(a)) == a
    assert to_dict(a)["rater"] == "coach"


def test_a_self_assessment_cannot_name_another_rater():
    with pytest.raises(ValidationError) as info:
        _a("a", "p", "a", "developing", dt.date(2024, 1, 1), Rater.SELF, rater_id="q")
    assert info.value.field == "rater_id"
    assert info.value.value == "q"


def test_a_mentor_cannot_rate_themselves_as_mentor():
    with pytest.raises(ValidationError) as info:
        _a("a", "p", "a", "developing", dt.date(2024, 1, 1), Rater.MENTOR, rater_id="p")
    assert info.value.field == "rater_id"


def test_an_assessment_of_an_unknown_competency_or_level_fails_its_check():
    fw = _fw()
    with pytest.raises(ValidationError) as info:
        _a("a", "p", "zz", "developing", dt.date(2024, 1, 1)).check(fw)
    assert (info.value.field, info.value.value) == ("competency", "zz")
    with pytest.raises(ValidationError) as info:
        _a("a", "p", "a", "superb", dt.date(2024, 1, 1)).check(fw)
    assert (info.value.field, info.value.value) == ("level", "superb")
    with pytest.raises(ValidationError) as info:
        _a("a", "p", "a", "developing", dt.date(2024, 1, 1), fw="other").check(fw)
    assert info.value.field == "framework_id"


def test_an_assessment_with_an_unknown_rater_kind_is_rejected_in_a_document():
    doc = to_dict(_a("a", "p", "a", "developing", dt.date(2024, 1, 1)))
    doc["rater"] = "parent"
    with pytest.raises(ValidationError) as info:
        from_dict(doc)
    assert any("parent" in line and "rater" in line for line in info.value.errors)


# -- queries -------------------------------------------------------------------------------

D1, D2, D3 = dt.date(2024, 9, 1), dt.date(2025, 1, 15), dt.date(2025, 6, 1)


def _history():
    return [
        _a("1", "ana", "a", "developing", D1),
        _a("2", "ana", "a", "proficient", D3),
        _a("3", "ana", "b", "exemplary", D2, Rater.SUPERVISOR, rater_id="boss"),
        _a("4", "ana", "b", "needs_improvement", D1),
        _a("5", "ben", "a", "exemplary", D2),
        _a("6", "cy", "a", "developing", D3),
        _a("7", "ana", "a", "exemplary", D1, fw="other"),
    ]


def test_current_levels_take_the_latest_rating_and_ignore_other_frameworks():
    fw = _fw()
    assert current_levels(fw, _history(), "ana") == {"a": "proficient", "b": "exemplary"}
    assert current_levels(fw, _history(), "ana", as_of=D1) == {
        "a": "developing",
        "b": "needs_improvement",
    }
    assert current_levels(fw, _history(), "ana", rater=Rater.SELF) == {
        "a": "proficient",
        "b": "needs_improvement",
    }
    assert current_levels(fw, _history(), "nobody") == {}


def test_current_levels_do_not_depend_on_input_order_for_ties():
    fw = _fw()
    same_day = [_a("x", "p", "a", "developing", D1), _a("y", "p", "a", "exemplary", D1)]
    assert current_levels(fw, same_day, "p") == current_levels(fw, same_day[::-1], "p")


def test_growth_counts_scale_steps_between_two_dates():
    fw = _fw()
    moved = growth(fw, _history(), "ana", D1, D3)
    assert moved["a"].steps == 1
    assert (moved["b"].before, moved["b"].after, moved["b"].steps) == (
        "needs_improvement",
        "exemplary",
        3,
    )
    assert growth(fw, _history(), "ben", D1, D3) == {}


def test_growth_rejects_an_end_before_the_start():
    with pytest.raises(ValidationError) as info:
        growth(_fw(), _history(), "ana", D3, D1)
    assert info.value.field == "end"


def test_rated_at_least_finds_people_at_or_above_a_level():
    fw = _fw()
    assert rated_at_least(fw, _history(), "a", "proficient") == {"ana", "ben"}
    assert rated_at_least(fw, _history(), "a", "proficient", as_of=D2) == {"ben"}
    assert rated_at_least(fw, _history(), "a", "needs_improvement") == {"ana", "ben", "cy"}


def test_rated_at_least_names_a_bad_competency_or_level():
    with pytest.raises(ValidationError) as info:
        rated_at_least(_fw(), [], "zz", "proficient")
    assert (info.value.field, info.value.value) == ("competency", "zz")
    with pytest.raises(ValidationError) as info:
        rated_at_least(_fw(), [], "a", "superb")
    assert (info.value.field, info.value.value) == ("level", "superb")


def test_queries_reject_an_assessment_that_does_not_fit_the_framework():
    with pytest.raises(ValidationError) as info:
        current_levels(_fw(), [_a("1", "p", "a", "superb", D1)], "p")
    assert info.value.value == "superb"
