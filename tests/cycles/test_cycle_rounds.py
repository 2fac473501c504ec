"""Evidence kept per round, configurable SMARTIE thresholds, cycles found by person and coach."""

import datetime as dt
import itertools

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorkit import Goal, ValidationError, from_dict, to_dict
from mentorkit.cycles import (
    CoachingCycle,
    CycleDefinition,
    EvidenceRound,
    Phase,
    SmartieRules,
    Transition,
    check_smartie,
    load_cycle,
    register,
    unregister,
)
from mentorkit.errors import TransitionError
from mentorkit.model import ActionPlan, ActionStep
from mentorkit.storage import open_store
from mentorkit.testing.strategies import legal_walks

T0 = dt.datetime(2024, 9, 2, 15, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
ECL = load_cycle("equity-leadership-coaching")

SMARTIE = Goal(
    id="g-1",
    person_id="p-1",
    statement="Raise grade 6 attendance",
    measure="attendance rate (%)",
    baseline=88,
    target=94,
    start=dt.date(2024, 9, 1),
    deadline=dt.date(2025, 6, 1),
    strategic_priority="attendance",
    supports=("coach",),
    student_group="grade 6",
    stakeholders=("families",),
    equity_focus="chronic absence among newcomers",
)
PLAN = ActionPlan(
    id="ap-1",
    person_id="p-1",
    steps=(ActionStep(text="call home"),),
    student_outcomes=("attendance up 6 points",),
)


def _at_progress_monitoring() -> CoachingCycle:
    cycle = ECL.start(id="cc-1", person_id="p-1", coach_id="p-9", started=T0)
    cycle = cycle.record("data_review", "deck").advance("goal_setting", at=T0 + DAY)
    cycle = cycle.attach(goal=SMARTIE).advance("action_planning", at=T0 + 2 * DAY)
    cycle = cycle.attach(action_plan=PLAN).advance("implementing", at=T0 + 3 * DAY)
    return cycle.advance("progress_monitoring", at=T0 + 4 * DAY)


def test_a_second_progress_check_needs_new_evidence_and_keeps_the_first():
    cycle = _at_progress_monitoring().record("progress_check", "first check")
    cycle = cycle.advance("recalibrating", at=T0 + 5 * DAY)
    cycle = cycle.record("recalibration_review", "review 1")
    cycle = cycle.advance("implementing", at=T0 + 6 * DAY)  # loops back: round 2
    assert cycle.round == 2
    assert cycle.evidence == {}
    assert cycle.past_rounds[0].evidence == {
        "data_review": "deck",
        "progress_check": "first check",
        "recalibration_review": "review 1",
    }
    assert cycle.past_rounds[0].ended == T0 + 6 * DAY
    cycle = cycle.advance("progress_monitoring", at=T0 + 7 * DAY)
    with pytest.raises(TransitionError, match="progress_check \\(no evidence recorded in round 2"):
        cycle.advance("recalibrating", at=T0 + 8 * DAY)
    cycle = cycle.record("progress_check", "second check").advance("recalibrating", at=T0 + 8 * DAY)
    assert [r.get("progress_check") for r in cycle.rounds] == ["first check", "second check"]


def test_progress_monitoring_back_to_implementing_also_starts_a_round():
    cycle = _at_progress_monitoring().record("progress_check", "p1")
    cycle = cycle.advance("implementing", at=T0 + 5 * DAY)
    assert cycle.round == 2
    assert cycle.rounds == ({"data_review": "deck", "progress_check": "p1"}, {})


def test_forward_moves_keep_the_round_and_its_evidence():
    cycle = ECL.start(id="cc-1", person_id="p-1", started=T0).record("data_review", "deck")
    cycle = cycle.record("progress_check", "notes").advance("goal_setting", at=T0 + DAY)
    assert cycle.round == 1
    assert cycle.past_rounds == ()
    assert cycle.evidence == {"data_review": "deck", "progress_check": "notes"}


def test_rounds_round_trip_through_every_store(tmp_path):
    cycle = _at_progress_monitoring().record("progress_check", "first")
    cycle = cycle.advance("implementing", at=T0 + 5 * DAY)
    for url in (f"sqlite:///{tmp_path / 'm.db'}", f"json:///{tmp_path / 'm.json'}"):
        with open_store(url) as store:
            stored = store.put(cycle)
        with open_store(url) as store:  # reopened: read back from the file
            assert store.get(CoachingCycle, "cc-1") == stored
            assert store.get(CoachingCycle, "cc-1").past_rounds == cycle.past_rounds


def test_documents_written_before_rounds_existed_still_read():
    doc = to_dict(ECL.start(id="cc-1", person_id="p-1", started=T0).record("data_review", "x"))
    del doc["past_rounds"], doc["program_id"]
    old = from_dict(doc)
    assert isinstance(old, CoachingCycle)
    assert old.past_rounds == ()
    assert old.round == 1
    assert old.missing() == ()


def test_rounds_must_be_numbered_from_one_in_order():
    cycle = ECL.start(id="cc-1", person_id="p-1", started=T0)
    bad = EvidenceRound(number=2, evidence={}, ended=T0)
    with pytest.raises(ValidationError, match=r"past_rounds\[0\]\.number"):
        attrs.evolve(cycle, past_rounds=(bad,))
    with pytest.raises(ValidationError, match=r"past_rounds\[0\]"):
        attrs.evolve(cycle, past_rounds=("round one",))
    with pytest.raises(ValidationError, match="ended"):
        EvidenceRound(number=1, evidence={}, ended=dt.datetime(2024, 1, 1))
    with pytest.raises(ValidationError, match="evidence"):
        EvidenceRound(number=1, evidence={"": "x"}, ended=T0)


@given(legal_walks(max_moves=12))
def test_a_round_begins_at_every_move_back_and_no_round_is_ever_rewritten(walk):
    definition, states = walk
    for before, after in itertools.pairwise(states):
        move = after.history[-1]
        back = definition.phase(move.target).ordinal <= definition.phase(move.source).ordinal
        assert after.round == before.round + back
        assert after.past_rounds[: len(before.past_rounds)] == before.past_rounds
        if back:  # the walk records the phase's evidence between the two states
            assert before.evidence.keys() <= after.past_rounds[-1].evidence.keys()
            assert after.evidence == {}
            # The round keeps the goal and plan it worked to, whatever comes after.
            assert after.past_rounds[-1].goal == after.goal
            assert after.past_rounds[-1].action_plan == after.action_plan
            assert after.past_rounds[-1].ended == move.at
        else:
            assert before.evidence.keys() <= after.evidence.keys()
    last = states[-1]
    assert len(last.rounds) == last.round
    assert from_dict(to_dict(last)) == last


def _back(definition, move):
    return definition.phase(move.target).ordinal <= definition.phase(move.source).ordinal


@given(walk=legal_walks(max_moves=12), data=st.data())
def test_each_past_round_ends_at_a_move_back_of_its_own(walk, data):
    """Rounds are checked against the definition when it is registered (or built in)."""
    definition, states = walk
    last = states[-1]
    backs = [m for m in last.history if _back(definition, m)]
    forwards = [m for m in last.history if not _back(definition, m)]
    assert [r.ended for r in last.past_rounds] == [m.at for m in backs]
    register(definition, replace=True)
    try:
        assert attrs.evolve(last) == last  # a legal walk passes the definition's check
        if last.past_rounds:
            # Two rounds ending at one move: refused, with or without the definition.
            twice = (*last.past_rounds, attrs.evolve(last.past_rounds[-1], number=last.round))
            with pytest.raises(ValidationError, match="move back"):
                attrs.evolve(last, past_rounds=twice)
            # A round that ends at a move forward (none back at that moment): refused.
            lone = [m for m in forwards if all(b.at != m.at for b in backs)]
            if lone:
                move = data.draw(st.sampled_from(lone))
                k = data.draw(st.integers(0, len(last.past_rounds) - 1))
                rounds = list(last.past_rounds)
                rounds[k] = attrs.evolve(rounds[k], ended=move.at)
                with pytest.raises(ValidationError) as info:
                    attrs.evolve(last, past_rounds=rounds)
                assert (info.value.field or "").startswith("past_rounds[")
    finally:
        unregister(definition.id)
    if last.past_rounds:
        # Without the definition any move may end a round, but each ends only one: the
        # extra round fits only if another move was made at that very moment.
        t = last.past_rounds[-1].ended
        twice = (*last.past_rounds, attrs.evolve(last.past_rounds[-1], number=last.round))
        fits = sum(r.ended == t for r in twice) <= sum(m.at == t for m in last.history)
        if fits:
            assert attrs.evolve(last, past_rounds=twice).round == last.round + 1
        else:
            with pytest.raises(ValidationError, match="move back"):
                attrs.evolve(last, past_rounds=twice)


def test_a_round_ending_at_a_move_forward_is_refused_by_the_built_in_definition():
    cycle = _at_progress_monitoring()  # four moves forward, no move back
    for move in cycle.history:
        past = EvidenceRound(number=1, evidence={}, ended=move.at)
        with pytest.raises(ValidationError, match="a move forward") as info:
            attrs.evolve(cycle, past_rounds=(past,))
        assert info.value.field == "past_rounds[0].ended"


def test_without_the_definition_at_hand_rounds_need_distinct_moves_in_order():
    mini = CycleDefinition(
        id="mini-unregistered",
        title="Mini",
        phases=[Phase(id="plan", ordinal=0, title="Plan"), Phase(id="do", ordinal=1, title="Do")],
        transitions=[
            Transition(source="plan", target="do"),
            Transition(source="do", target="plan"),
        ],
    )
    cycle = mini.start(id="cc-1", person_id="p-1", started=T0)
    cycle = cycle.advance("do", at=T0 + DAY, definition=mini)
    cycle = cycle.advance("plan", at=T0 + 2 * DAY, definition=mini)
    assert cycle.round == 2
    one = cycle.past_rounds[0]
    with pytest.raises(ValidationError, match="already ends the round before"):
        attrs.evolve(cycle, past_rounds=(one, attrs.evolve(one, number=2)))
    # Which move goes back is the definition's to say: without it, one move each is enough.
    forward = attrs.evolve(one, ended=T0 + DAY)
    assert attrs.evolve(cycle, past_rounds=(forward,)).round == 2
    register(mini)
    try:
        with pytest.raises(ValidationError, match="a move forward"):
            attrs.evolve(cycle, past_rounds=(forward,))
    finally:
        unregister(mini.id)


@pytest.mark.parametrize("number", [1.0, 2.0, True, 0, -1, "1", None])
def test_a_round_number_is_a_whole_number_from_one(number):
    with pytest.raises(ValidationError) as info:
        EvidenceRound(number=number, evidence={}, ended=T0)
    assert info.value.field == "number"


# -- SMARTIE thresholds ---------------------------------------------------------------------

SIX_YEARS = attrs.evolve(SMARTIE, start=dt.date(2018, 9, 1), deadline=dt.date(2024, 6, 30))


def test_a_six_year_goal_is_realistic_only_under_rules_that_allow_it():
    assert check_smartie(SIX_YEARS)["realistic"].reasons == (
        "more than 3 years from start to deadline",
    )
    assert check_smartie(SIX_YEARS, rules=SmartieRules(max_years=6)).met
    assert (
        "more than 5 years" in check_smartie(SIX_YEARS, rules=SmartieRules(max_years=5)).explain()
    )
    assert (
        "more than 1 year " in check_smartie(SIX_YEARS, rules=SmartieRules(max_years=1)).explain()
    )


@given(days=st.integers(1, 40 * 366), years=st.integers(1, 40) | st.floats(0.1, 40))
def test_realistic_means_a_window_no_longer_than_max_years_in_calendar_years(days, years):
    from dateutil.relativedelta import relativedelta

    goal = attrs.evolve(SMARTIE, deadline=SMARTIE.start + dt.timedelta(days=days))
    rules = SmartieRules(max_years=years)
    realistic = check_smartie(goal, rules=rules)["realistic"].met
    whole = int(years)
    last = (SMARTIE.start + relativedelta(years=whole)
            + dt.timedelta(days=round((years - whole) * 365.2425)))  # fmt: skip
    assert realistic == (goal.deadline <= last)


@pytest.mark.parametrize("value", [0, -1, 101, float("nan"), float("inf"), True, "6", None])
def test_bad_thresholds_are_rejected_naming_the_field(value):
    with pytest.raises(ValidationError, match="max_years") as err:
        SmartieRules(max_years=value)
    assert err.value.field == "max_years"


def test_rules_of_the_wrong_type_are_rejected():
    with pytest.raises(ValidationError, match="rules"):
        check_smartie(SMARTIE, rules={"max_years": 6})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="smartie"):
        attrs.evolve(ECL, smartie={"max_years": 6})


def test_a_cycle_definition_file_carries_its_smartie_rules(tmp_path):
    text = tmp_path / "long.toml"
    text.write_text(
        'id = "long-horizon"\ntitle = "Long horizon"\n'
        "[smartie]\nmax_years = 6\n"
        '[[phases]]\nid = "goal_setting"\nordinal = 0\ntitle = "Goal-setting"\n'
        'requires = ["smartie_goal"]\n'
        '[[phases]]\nid = "acting"\nordinal = 1\ntitle = "Acting"\n'
        '[[transitions]]\nsource = "goal_setting"\ntarget = "acting"\n',
        encoding="utf-8",
    )
    long = load_cycle(text)
    assert long.smartie == SmartieRules(max_years=6)
    cycle = long.start(id="cc-9", person_id="p-1", started=T0).attach(goal=SIX_YEARS)
    assert cycle.missing(long) == ()
    assert cycle.advance("acting", at=T0 + DAY, definition=long).phase == "acting"
    # The same goal under the default three-year rules is held back, with the reason.
    short = attrs.evolve(long, id="short-horizon", smartie=SmartieRules())
    held = attrs.evolve(cycle, definition_id="short-horizon")
    assert "more than 3 years" in held.missing(short)[0]
    assert from_dict(to_dict(long)) == long


def test_a_rules_document_with_an_unknown_key_is_rejected(tmp_path):
    path = tmp_path / "bad.json"
    doc = to_dict(ECL)
    doc["smartie"] = {"max_years": 6, "min_years": 1}
    import json

    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValidationError, match="min_years"):
        load_cycle(path)


# -- finding cycles -------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["memory://", "sqlite", "json"])
def test_cycles_are_found_by_person_coach_program_and_mentorship(url, tmp_path):
    url = {
        "sqlite": f"sqlite:///{tmp_path / 'm.db'}",
        "json": f"json:///{tmp_path / 'm.json'}",
    }.get(url, url)
    with open_store(url) as store:
        for n in range(6):
            store.put(
                ECL.start(
                    id=f"cc-{n}",
                    person_id=f"p-{n % 3}",
                    coach_id=f"coach-{n % 2}",
                    program_id="oeib" if n < 4 else "other",
                    mentorship_id=f"m-{n}",
                    started=T0,
                )
            )
        assert [c.id for c in store.find(CoachingCycle, coach_id="coach-1")] == [
            "cc-1",
            "cc-3",
            "cc-5",
        ]
        assert [c.id for c in store.find(CoachingCycle, person_id="p-0")] == ["cc-0", "cc-3"]
        assert len(store.find(CoachingCycle, program_id="oeib")) == 4
        assert [c.id for c in store.find(CoachingCycle, mentorship_id="m-4")] == ["cc-4"]


def test_the_definition_still_requires_its_phases():
    with pytest.raises(ValidationError, match="phases"):
        CycleDefinition(id="x", title="X", phases=())
