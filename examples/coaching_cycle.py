"""Walk one leader through the equity leadership coaching cycle, with a SMARTIE goal."""

import datetime as dt

import attrs

import mentorkit as mk
from mentorkit.cycles import check_smartie, load_cycle

definition = load_cycle("equity-leadership-coaching")
t0 = dt.datetime(2024, 9, 2, 15, 0, tzinfo=dt.UTC)


def day(n: int) -> dt.datetime:
    return t0 + dt.timedelta(days=n)


cycle = definition.start(id="cc-1", person_id="p-ana", coach_id="p-kim", started=t0)
cycle = cycle.record("data_review", "school data deck").advance(
    "goal_setting", by="p-kim", at=day(14)
)

draft = mk.Goal(
    id="g-1",
    person_id="p-ana",
    statement="Cut chronic absence among grade 6 students experiencing homelessness",
    measure="chronic absence rate (%)",
    baseline=31,
    target=20,
)
print("draft goal:\n" + check_smartie(draft).explain() + "\n")
try:
    cycle.attach(goal=draft).advance("action_planning", at=day(21))
except mk.TransitionError as err:
    print("blocked:", err, "\n")

goal = attrs.evolve(
    draft,
    strategic_priority="attendance",
    supports=["attendance team", "community liaison"],
    start=dt.date(2024, 9, 1),
    deadline=dt.date(2025, 6, 15),
    student_group="grade 6 students experiencing homelessness",
    stakeholders=["families", "shelter partners"],
    equity_focus="the absence gap versus housed peers",
)
print("revised goal:", check_smartie(goal).explain(), "\n")
plan = mk.ActionPlan(
    id="ap-1",
    person_id="p-ana",
    goal_id=goal.id,
    steps=[mk.ActionStep(text="Daily check-ins by the attendance team")],
    student_outcomes=["chronic absence for the group falls to 20% by June"],
)

cycle = cycle.attach(goal=goal).advance("action_planning", by="p-ana", at=day(21))
cycle = cycle.attach(action_plan=plan).advance("implementing", at=day(30))
cycle = cycle.advance("progress_monitoring", at=day(90))
cycle = cycle.record("progress_check", "winter: 26%").advance("recalibrating", at=day(95))
try:
    cycle.advance("listening_and_learning", at=day(96))
except mk.TransitionError as err:
    print("illegal move:", err, "\n")
cycle = cycle.record("recalibration_review", "practices and outcomes reviewed")
cycle = cycle.advance("implementing", why="plan holds; add family outreach", at=day(100))

print(f"{cycle.id} is in {cycle.phase!r}; next: {cycle.allowed()}")
for move in cycle.history:
    print(f"  {move.at:%Y-%m-%d} {move.source:>22} -> {move.target:<20} by {move.by or '-'}")
assert mk.from_json(mk.to_json(cycle)) == cycle
print("the cycle round-trips through JSON like any stored entity")
