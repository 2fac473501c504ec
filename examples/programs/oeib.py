"""OEIB school leadership coaching cycle: phases 0-5, SMARTIE goals, monthly meetings.

An equity coach works with a school's principal and assistant principal: listening and
learning (0), goal-setting with an anti-racist leadership SMARTIE goal (1), action planning
with measurable student outcomes (2), implementing (3), progress monitoring (4) and
recalibrating (5), where the goal and the plan are reviewed along six further dimensions.
The coach meets the two leaders together and each alone at least once a month for an hour,
and walks the school at least once a quarter.

The lead asks: where is each school leader in the cycle, is each goal SMARTIE, what did the
recalibration review, and which schools are behind on meetings or walkthroughs.

Run from any folder:  python oeib.py   (writes oeib.db there, rebuilt on every run)
"""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs

import mentorkit as mk
from mentorkit.cycles import CoachingCycle, check_smartie, load_cycle
from mentorkit.scheduling import OEIB_COMMITMENTS, OEIB_MILESTONES, adherence

DB = Path("oeib.db")
DB.unlink(missing_ok=True)  # the script builds its own store afresh on every run
CHICAGO = ZoneInfo("America/Chicago")
definition = load_cycle("equity-leadership-coaching")
SCHOOLS = {  # school: (principal, assistant principal, how far its cycle has gone)
    "Alder Grove Elementary": ("Rosa Thorne", "Jon Beale", "recalibrated"),
    "Birch Hollow Middle": ("Omar Velle", "Pia Staunton", "implementing"),
    "Cedar Point High": ("Hanna Corvo", "Luis Arden", "goal_setting"),
}

FINDINGS = {  # what the recalibration found, by the dimension the phase reviews
    "student discipline": "suspensions fell to 11 per 100, not yet to 7",
    "student and family engagement": "restorative circles need families in the room",
    "measurable student outcomes": "target recalibrated from 7 to 9 per 100 students",
}

store = mk.open_store(f"sqlite:///{DB}")
store.put(
    mk.Program(
        id="oeib",
        name="School Leadership Coaching Cycle",
        cycle_id=definition.id,
        commitments=OEIB_COMMITMENTS,
        milestones=OEIB_MILESTONES,
    )
)
cohort = store.put(
    mk.Cohort(
        id="oeib-2024",
        program_id="oeib",
        name="2024-25",
        start=dt.date(2024, 8, 1),
        end=dt.date(2025, 6, 30),
    )
)
store.put(mk.Person(id="coach-1", name="Noor Halvorsen", title="Equity Coach"))


def at(month: int, day: int, hour: int = 8) -> dt.datetime:
    return dt.datetime(2024 if month >= 8 else 2025, month, day, hour, tzinfo=CHICAGO)


def walk(cycle: CoachingCycle, how_far: str, principal: str) -> CoachingCycle:
    """Walk a principal's cycle as far as ``how_far``, with the artefacts each phase needs."""
    cycle = cycle.record("data_review", "listening conversation: proudest practice, dilemma")
    cycle = cycle.advance("goal_setting", by="coach-1", at=at(9, 12))
    if how_far == "goal_setting":
        # A first draft: no student group, stakeholders or equity focus yet.
        return cycle.attach(
            goal=mk.Goal(
                id=f"goal-{principal}",
                person_id=principal,
                statement="Improve discipline outcomes",
                measure="suspensions per 100 students",
            )
        )
    goal = mk.Goal(
        id=f"goal-{principal}",
        person_id=principal,
        statement="Cut exclusionary discipline of Black boys in grades 6-8",
        measure="out-of-school suspensions per 100 students",
        baseline=14,
        target=7,
        strategic_priority="restorative school culture",
        supports=["dean", "SEL team"],
        start=dt.date(2024, 9, 1),
        deadline=dt.date(2025, 6, 15),
        student_group="Black boys in grades 6-8",
        stakeholders=["families", "students"],
        equity_focus="the suspension gap between Black boys and their peers",
    )
    plan = mk.ActionPlan(
        id=f"plan-{principal}",
        person_id=principal,
        goal_id=goal.id,
        steps=[mk.ActionStep(text="Restorative circles each week", owner_id=principal)],
        student_outcomes=["suspensions of the group fall to 7 per 100 students by June"],
    )
    cycle = cycle.attach(goal=goal).advance("action_planning", by=principal, at=at(10, 3))
    cycle = cycle.attach(action_plan=plan).advance("implementing", at=at(10, 24))
    if how_far == "implementing":
        return cycle
    cycle = cycle.advance("progress_monitoring", at=at(12, 9))
    cycle = cycle.record("progress_check", "December: 11 per 100 students")
    cycle = cycle.advance("recalibrating", at=at(12, 16))
    # The review of each dimension the phase names, kept dimension by dimension.
    for dimension in cycle.dimensions("recalibration_review"):
        finding = FINDINGS.get(dimension, "no change needed")
        cycle = cycle.record("recalibration_review", finding, dimension=dimension)
    goal = attrs.evolve(goal, target=9, statement=goal.statement + " (recalibrated target)")
    return cycle.attach(goal=goal).advance(
        "action_planning", why="target recalibrated to 9", at=at(1, 13)
    )


for n, (school, (principal_name, ap_name, how_far)) in enumerate(SCHOOLS.items()):
    unit, principal, ap = f"school-{n + 1}", f"principal-{n + 1}", f"ap-{n + 1}"
    store.put_many(
        [
            mk.OrgUnit(id=unit, name=school, kind="school"),
            mk.Person(id=principal, name=principal_name, title="Principal", org_unit_id=unit),
            mk.Person(id=ap, name=ap_name, title="Assistant Principal", org_unit_id=unit),
            mk.Engagement(
                id=f"team-{n + 1}",
                coach_id="coach-1",
                cohort_id=cohort.id,
                program_id="oeib",
                org_unit_id=unit,
                start=dt.date(2024, 9, 1),
                members=[
                    mk.TeamMember(person_id=principal, role="principal"),
                    mk.TeamMember(person_id=ap, role="assistant_principal"),
                ],
            ),
        ]
    )
    cycle = definition.start(
        id=f"cycle-{principal}",
        person_id=principal,
        coach_id="coach-1",
        program_id="oeib",
        started=at(9, 3),
    )
    store.put(walk(cycle, how_far, principal))
    # Meetings September to December; school 2 skips its joint meeting in November and
    # school 3 its walkthrough in the autumn quarter, and its AP's October meeting. One
    # coach serves every school: each school has its own day and hour, a week apart.
    everyone = ("coach-1", principal, ap)
    for month in (9, 10, 11, 12):
        meetings = [("joint", everyone), ("pr", ("coach-1", principal)), ("ap", ("coach-1", ap))]
        if n == 1 and month == 11:
            meetings = meetings[1:]
        if n == 2 and month == 10:
            meetings = meetings[:2]
        for k, (kind, present) in enumerate(meetings):
            store.put(
                mk.Session(
                    id=f"s-{n + 1}-{month}-{kind}",
                    mentorship_id=f"team-{n + 1}",
                    engagement_id=f"team-{n + 1}",
                    participants=present,
                    start=at(month, 4 + n + 7 * k, hour=8 + 2 * n),
                    minutes=60,
                    activity="coaching_meeting",
                )
            )
    if n != 2:
        store.put(
            mk.Session(
                id=f"s-{n + 1}-walk",
                mentorship_id=f"team-{n + 1}",
                engagement_id=f"team-{n + 1}",
                participants=everyone,
                start=at(10, 21 + n, hour=9 + 2 * n),
                minutes=90,
                activity="site_walkthrough",
            )
        )

names = {p.id: p.name for p in store.all(mk.Person)}
print("Coaching cycle phase of each school leader:")
for cycle in store.find(CoachingCycle, program_id="oeib"):
    phase = definition.phase(cycle.phase)
    smartie = check_smartie(cycle.goal) if cycle.goal else None
    met = smartie is not None and smartie.met
    print(
        f"  {names[cycle.person_id]:<12} phase {phase.ordinal} {phase.title:<18} "
        f"round {cycle.round}; goal SMARTIE: {'yes' if met else 'no'}"
    )
    if smartie is not None and not smartie.met:
        print("    " + smartie.explain().replace("\n", "\n    "))
    for past in cycle.past_rounds:
        print(f"    round {past.number} kept:")
        for artefact, text in past.evidence.items():
            print(f"      {artefact.replace('_', ' ')}: {text}")
        review = cycle.evidence_for("recalibration_review", round=past.number)
        if review:
            print("      recalibration review, by dimension:")
            for dimension, finding in review.items():
                print(f"        {dimension}: {finding}")

print(
    "\nBehind on joint or individual monthly meetings or the quarterly walkthrough "
    "(as of 2025-01-06):"
)
report = adherence(store, cohort_id=cohort.id, as_of=dt.date(2025, 1, 6))
behind = report.behind()
for b in behind:
    for row in b.short:
        who = names[row.person_id] if row.person_id else "the team"
        print(
            f"  {b.who}: {row.commitment} {row.period} for {who}: "
            f"{row.delivered.times} of {row.promised.times}"
        )
print(f"{len(behind)} of {len(SCHOOLS)} schools behind")
store.close()
