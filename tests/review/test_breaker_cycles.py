"""Adversarial review of #17's cycles promises: evidence per round, configurable SMARTIE rules.

Each test here fails on main at the time of the review (strict xfail): the lead removes the
mark with the fix.
"""

import datetime as dt
import json

import attrs
import pytest

from mentorkit import Goal, ValidationError, to_dict
from mentorkit.cycles import CoachingCycle, EvidenceRound, SmartieRules, check_smartie, load_cycle
from mentorkit.model import ActionPlan, ActionStep

T0 = dt.datetime(2024, 9, 2, 15, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
ECL = load_cycle("equity-leadership-coaching")
GOAL = Goal(
    id="g-round-1",
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
    id="ap-round-1",
    person_id="p-1",
    steps=(ActionStep(text="call home"),),
    student_outcomes=("attendance up 6 points",),
)


def test_round_one_goal_and_plan_survive_a_recalibration_to_goal_setting():
    cycle = ECL.start(id="cc-1", person_id="p-1", coach_id="p-9", started=T0)
    cycle = cycle.record("data_review", "deck").advance("goal_setting", at=T0 + DAY)
    cycle = cycle.attach(goal=GOAL).advance("action_planning", at=T0 + 2 * DAY)
    cycle = cycle.attach(action_plan=PLAN).advance("implementing", at=T0 + 3 * DAY)
    cycle = cycle.advance("progress_monitoring", at=T0 + 4 * DAY)
    cycle = cycle.record("progress_check", "check 1").advance("recalibrating", at=T0 + 5 * DAY)
    cycle = cycle.record("recalibration_review", "review 1")
    cycle = cycle.advance("goal_setting", at=T0 + 6 * DAY)
    cycle = cycle.attach(
        goal=attrs.evolve(GOAL, id="g-round-2", target=96),
        action_plan=attrs.evolve(PLAN, id="ap-round-2"),
    )
    past = json.dumps(to_dict(cycle)["past_rounds"])
    assert "g-round-1" in past
    assert "ap-round-1" in past


def test_a_round_cannot_end_before_the_cycle_started():
    with pytest.raises(ValidationError):
        CoachingCycle(
            id="cc-1",
            definition_id=ECL.id,
            person_id="p-1",
            phase="listening_and_learning",
            started=T0,
            past_rounds=(EvidenceRound(number=1, evidence={}, ended=T0 - 365 * DAY),),
        )


@pytest.mark.parametrize(
    ("years", "start", "deadline"),
    [
        (6, dt.date(2018, 9, 1), dt.date(2024, 9, 5)),
        (100, dt.date(2000, 1, 1), dt.date(2100, 3, 1)),
        (1, dt.date(2021, 9, 1), dt.date(2022, 9, 2)),
    ],
)
def test_a_goal_longer_than_max_years_is_not_realistic(years, start, deadline):
    goal = attrs.evolve(GOAL, start=start, deadline=deadline)
    report = check_smartie(goal, rules=SmartieRules(max_years=years))
    assert not report["realistic"].met
