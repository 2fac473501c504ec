import datetime as dt
import itertools

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorkit import ActionPlan, ActionStep, Goal, from_dict, from_json, to_dict, to_json
from mentorkit.cycles import (
    CoachingCycle,
    CycleDefinition,
    Phase,
    PhaseChange,
    Transition,
    list_cycles,
    load_cycle,
)
from mentorkit.errors import NotFoundError, TransitionError, ValidationError
from mentorkit.testing._framework_strategies import (
    coaching_cycles,
    cycle_definitions,
    legal_walks,
    smartie_goals,
)

T0 = dt.datetime(2024, 9, 2, 15, 0, tzinfo=dt.UTC)
ECL = "equity-leadership-coaching"


def _goal(**kw):
    fields = {
        "id": "g-1",
        "person_id": "p-1",
        "statement": "Raise grade 3 reading proficiency for English learners",
        "strategic_priority": "early literacy",
        "measure": "grade 3 reading proficiency (%)",
        "baseline": 38.0,
        "target": 50.0,
        "start": dt.date(2024, 9, 1),
        "deadline": dt.date(2025, 6, 1),
        "supports": ["literacy coach", "weekly PLC time"],
        "student_group": "English learners in grade 3",
        "stakeholders": ["grade 3 teachers", "families"],
        "equity_focus": "the reading gap between English learners and their peers",
    }
    fields.update(kw)
    return Goal(**fields)


def _plan(**kw):
    fields = {
        "id": "ap-1",
        "person_id": "p-1",
        "goal_id": "g-1",
        "steps": [ActionStep(text="Weekly guided reading observations")],
        "student_outcomes": ["English learners' reading proficiency rises to 50%"],
    }
    fields.update(kw)
    return ActionPlan(**fields)


def _start():
    return load_cycle(ECL).start(id="cc-1", person_id="p-1", coach_id="p-9", started=T0)


def _at(hours):
    return T0 + dt.timedelta(hours=hours)


def test_the_equity_cycle_has_six_phases_in_order_with_the_recalibration_loop():
    ecl = load_cycle(ECL)
    assert [(p.ordinal, p.id) for p in ecl.phases] == [
        (0, "listening_and_learning"),
        (1, "goal_setting"),
        (2, "action_planning"),
        (3, "implementing"),
        (4, "progress_monitoring"),
        (5, "recalibrating"),
    ]
    assert set(ecl.allowed_from("recalibrating")) == {
        "goal_setting",
        "action_planning",
        "implementing",
    }
    reviews = ecl.phase("recalibrating").reviews
    for area in (
        "instructional practices",
        "social-emotional learning",
        "student discipline",
        "student and family engagement",
        "hiring practices",
        "community partnerships",
        "measurable student outcomes",
    ):
        assert area in reviews
    assert ecl.phase("goal_setting").requires == ("smartie_goal",)


def test_the_cycle_of_inquiry_loops_from_re_measuring_to_the_lowest_condition():
    coi = load_cycle("cycle-of-inquiry")
    assert [p.id for p in coi.phases] == [
        "gather_data",
        "find_lowest_condition",
        "co_design_actions",
        "act",
        "re_measure",
    ]
    assert "find_lowest_condition" in coi.allowed_from("re_measure")


def test_a_full_engagement_walks_the_cycle_and_records_who_moved_it_and_why():
    cycle = _start().record("data_review", "doc-17")
    cycle = cycle.advance("goal_setting", by="p-9", why="context understood", at=_at(1))
    cycle = cycle.attach(goal=_goal()).advance("action_planning", by="p-9", at=_at(2))
    cycle = cycle.attach(action_plan=_plan()).advance("implementing", by="p-1", at=_at(3))
    cycle = cycle.advance("progress_monitoring", at=_at(4))
    cycle = cycle.record("progress_check", "ref").advance("recalibrating", at=_at(5))
    cycle = cycle.record("recalibration_review", "ref")
    cycle = cycle.advance("goal_setting", at=_at(6), why="new data")
    assert cycle.phase == "goal_setting"
    assert [(h.source, h.target) for h in cycle.history][:2] == [
        ("listening_and_learning", "goal_setting"),
        ("goal_setting", "action_planning"),
    ]
    assert cycle.history[0].by == "p-9"
    assert cycle.history[0].why == "context understood"
    assert cycle.history[-1].at == _at(6)
    assert from_json(to_json(cycle)) == cycle


def test_leaving_goal_setting_without_a_smartie_goal_says_what_is_missing():
    cycle = _start().record("data_review", "ref").advance("goal_setting", at=_at(1))
    with pytest.raises(TransitionError, match="no goal attached"):
        cycle.advance("action_planning", at=_at(2))
    vague = cycle.attach(goal=_goal(deadline=None, student_group=None))
    with pytest.raises(TransitionError) as info:
        vague.advance("action_planning", at=_at(2))
    message = str(info.value)
    assert "smartie_goal (the goal is not SMARTIE" in message
    assert "no deadline" in message
    assert "no student group named" in message
    assert vague.phase == "goal_setting"
    assert len(vague.history) == 1


def test_an_action_plan_without_student_outcomes_cannot_be_left():
    cycle = _start().record("data_review", "ref").advance("goal_setting", at=_at(1))
    cycle = cycle.attach(goal=_goal()).advance("action_planning", at=_at(2))
    cycle = cycle.attach(action_plan=_plan(student_outcomes=()))
    assert cycle.missing() == (
        "student_outcomes (no measurable student outcome in the action plan)",
    )
    with pytest.raises(TransitionError, match="student_outcomes"):
        cycle.advance("implementing", at=_at(3))


def test_an_illegal_move_names_the_allowed_ones_and_changes_nothing():
    cycle = _start().record("data_review", "ref")
    before = to_dict(cycle)
    with pytest.raises(TransitionError) as info:
        cycle.advance("implementing", at=_at(1))
    assert "allowed: 'goal_setting'" in str(info.value)
    with pytest.raises(TransitionError, match="no such phase"):
        cycle.advance("celebrating", at=_at(1))
    assert to_dict(cycle) == before


def test_a_move_back_in_time_or_with_a_naive_time_is_a_validation_error():
    cycle = _start().record("data_review", "ref").advance("goal_setting", at=_at(5))
    with pytest.raises(ValidationError) as info:
        cycle.attach(goal=_goal()).advance("action_planning", at=_at(1))
    assert info.value.field == "at"
    with pytest.raises(ValidationError) as info:
        cycle.attach(goal=_goal()).advance("action_planning", at=dt.datetime(2025, 1, 1))
    assert info.value.field == "at"


def test_advance_without_a_time_uses_now_in_utc():
    moved = _start().record("data_review", "ref").advance("goal_setting")
    assert moved.history[-1].at.utcoffset() == dt.timedelta(0)


def test_a_cycle_checks_its_definition_and_can_be_given_an_unregistered_one():
    mine = CycleDefinition(
        id="private",
        title="Private",
        phases=[Phase(id="a", ordinal=0, title="A"), Phase(id="b", ordinal=1, title="B")],
        transitions=[Transition(source="a", target="b")],
    )
    cycle = mine.start(id="c", person_id="p", started=T0)
    with pytest.raises(NotFoundError, match="private"):
        cycle.advance("b", at=_at(1))
    assert cycle.advance("b", at=_at(1), definition=mine).phase == "b"
    with pytest.raises(ValidationError) as info:
        cycle.advance("b", at=_at(1), definition=load_cycle(ECL))
    assert info.value.field == "definition"


def test_a_goal_of_someone_else_cannot_be_attached():
    with pytest.raises(ValidationError) as info:
        _start().attach(goal=_goal(person_id="p-2"))
    assert (info.value.field, info.value.value) == ("goal.person_id", "p-2")


def test_built_in_artefacts_cannot_be_recorded_as_evidence():
    with pytest.raises(ValidationError) as info:
        _start().record("smartie_goal", "ref")
    assert (info.value.field, info.value.value) == ("artefact", "smartie_goal")
    with pytest.raises(ValidationError) as info:
        _start().record(" spaced ", "ref")
    assert info.value.field == "artefact"


def test_an_inconsistent_history_is_rejected_naming_the_entry():
    first = PhaseChange(source="listening_and_learning", target="goal_setting", at=_at(1))
    jump = PhaseChange(source="implementing", target="progress_monitoring", at=_at(2))
    with pytest.raises(ValidationError) as info:
        CoachingCycle(
            id="c",
            definition_id=ECL,
            person_id="p",
            phase="progress_monitoring",
            started=T0,
            history=[first, jump],
        )
    assert (info.value.field, info.value.value) == ("history[1].source", "implementing")
    with pytest.raises(ValidationError) as info:
        CoachingCycle(
            id="c",
            definition_id=ECL,
            person_id="p",
            phase="action_planning",
            started=T0,
            history=[first],
        )
    assert info.value.field == "phase"
    early = PhaseChange(source="a", target="b", at=T0 - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as info:
        CoachingCycle(
            id="c", definition_id=ECL, person_id="p", phase="b", started=T0, history=[early]
        )
    assert info.value.field == "history[0].at"


def test_the_reason_for_a_move_stays_out_of_the_repr():
    moved = _start().record("data_review", "ref")
    moved = moved.advance("goal_setting", why="private words", at=_at(1))
    assert "private words" not in repr(moved)
    assert "private words" not in repr(moved.history[0])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"phases": []}, "phases"),
        (
            {"phases": [Phase(id="a", ordinal=0, title="A"), Phase(id="a", ordinal=1, title="B")]},
            "phases",
        ),
        (
            {"phases": [Phase(id="a", ordinal=0, title="A"), Phase(id="b", ordinal=0, title="B")]},
            "phases",
        ),
        ({"transitions": [Transition(source="a", target="zz")]}, "transitions"),
        ({"transitions": [Transition(source="a", target="a")]}, "transitions"),
        ({"transitions": [Transition(source="a", target="b")] * 2}, "transitions"),
        ({"initial": "zz"}, "initial"),
    ],
)
def test_a_malformed_definition_is_rejected_naming_the_field(change, field):
    fields = {
        "id": "d",
        "title": "D",
        "phases": [Phase(id="a", ordinal=0, title="A"), Phase(id="b", ordinal=1, title="B")],
    }
    fields.update(change)
    with pytest.raises(ValidationError) as info:
        CycleDefinition(**fields)
    assert info.value.field == field


def test_list_cycles_shows_the_built_ins():
    entries = {e.name: e.origin for e in list_cycles()}
    assert entries[ECL] == "builtin"
    assert entries["cycle-of-inquiry"] == "builtin"


def test_a_cycle_definition_loads_from_a_toml_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        'id = "mine"\ntitle = "Mine"\n'
        '[[phases]]\nid = "a"\nordinal = 0\ntitle = "A"\nrequires = ["notes"]\n'
        '[[phases]]\nid = "b"\nordinal = 1\ntitle = "B"\n'
        '[[transitions]]\nsource = "a"\ntarget = "b"\n'
    )
    mine = load_cycle(path)
    assert mine.phase("a").requires == ("notes",)
    cycle = mine.start(id="c", person_id="p", started=T0)
    with pytest.raises(TransitionError, match="notes"):
        cycle.advance("b", at=_at(1), definition=mine)


def test_a_definition_document_with_a_bad_transition_names_its_path(tmp_path):
    doc = to_dict(load_cycle("cycle-of-inquiry"))
    doc["transitions"][2]["target"] = ""
    with pytest.raises(ValidationError) as info:
        from_dict(doc)
    assert any("transitions[2]" in line for line in info.value.errors)


# -- properties ----------------------------------------------------------------------------


@given(cycle_definitions())
def test_any_cycle_definition_round_trips_through_the_converter(definition):
    assert from_dict(to_dict(definition)) == definition


@given(legal_walks())
def test_any_sequence_of_legal_moves_keeps_the_history_consistent(walk):
    definition, states = walk
    start = states[0]
    assert start.phase == definition.initial
    assert start.history == ()
    for before, after in itertools.pairwise(states):
        assert after.history[:-1] == before.history
        move = after.history[-1]
        assert (move.source, move.target) == (before.phase, after.phase)
        assert after.phase in definition.allowed_from(before.phase)
    last = states[-1]
    phases = [definition.initial] + [h.target for h in last.history]
    assert [h.source for h in last.history] == phases[:-1]
    assert all(a.at <= b.at for a, b in zip(last.history, last.history[1:], strict=False))
    assert from_json(to_json(last)) == last


@given(legal_walks(), st.data())
def test_any_illegal_move_raises_and_changes_nothing(walk, data):
    definition, states = walk
    cycle = states[-1]
    illegal = [p.id for p in definition.phases if p.id not in definition.allowed_from(cycle.phase)]
    target = data.draw(st.sampled_from([*illegal, "no-such-phase"]))
    snapshot = to_dict(cycle)
    with pytest.raises(TransitionError):
        cycle.advance(target, at=cycle.started + dt.timedelta(days=10**4), definition=definition)
    assert to_dict(cycle) == snapshot


@given(legal_walks())
def test_leaving_a_phase_without_its_artefacts_raises_and_says_which(walk):
    definition, states = walk
    cycle = states[-1]
    phase = definition.phase(cycle.phase)
    options = definition.allowed_from(cycle.phase)
    if not phase.requires or not options:
        return
    bare = attrs.evolve(cycle, goal=None, action_plan=None, evidence={})
    with pytest.raises(TransitionError) as info:
        bare.advance(options[0], at=cycle.started + dt.timedelta(days=10**4), definition=definition)
    assert all(f"{name} (" in str(info.value) for name in phase.requires)


@given(coaching_cycles())
def test_generated_built_in_cycles_keep_advancing_by_name(cycle):
    ecl = load_cycle(ECL)
    assert cycle.definition_id == ECL
    assert set(cycle.allowed()) == set(ecl.allowed_from(cycle.phase))


@given(smartie_goals())
def test_generated_smartie_goals_meet_every_criterion(goal):
    from mentorkit.cycles import check_smartie

    assert check_smartie(goal).met
