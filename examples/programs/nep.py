"""NEP cycles of inquiry: a yearly conditions survey by network, the lowest condition, acting on it.

Each network's principals answer an organisational conditions survey every year. Where
transformative equity is the lowest-scored condition, the network chief does not mandate
training: the principals co-design the next steps with the chief, and the network re-measures
each year. Scores barely move for two years and rise in the third.

The lead asks: what is each network's lowest condition, what was co-designed in response and
with whom, and did the condition move by year three. A network with fewer than ten
respondents has its scores withheld, never shown.

Run from any folder:  python nep.py   (writes nep.db there, rebuilt on every run)
"""

import datetime as dt
import random
from pathlib import Path

import mentorkit as mk
from mentorkit.cycles import load_cycle
from mentorkit.measurement import (
    Condition,
    Inquiry,
    Survey,
    SurveyResult,
    follow_up,
    lowest_conditions,
    trend,
)

DB = Path("nep.db")
DB.unlink(missing_ok=True)  # the script builds its own store afresh on every run
rng = random.Random(7)
CYCLES = ["2021-22", "2022-23", "2023-24"]
CONDITIONS = {
    "transformative_equity": "Transformative equity",
    "relational_trust": "Relational trust",
    "collective_efficacy": "Collective efficacy",
    "learning_culture": "Learning culture",
}
NETWORKS = {"net-3": 21, "net-7": 26, "net-11": 18, "net-14": 7}  # principals who responded

store = mk.open_store(f"sqlite:///{DB}")
survey = store.put(
    Survey(
        id="conditions",
        name="Organisational conditions survey",
        conditions=[Condition(id=k, title=t) for k, t in CONDITIONS.items()],
    )
)
results = []
for network, n in NETWORKS.items():
    store.put(mk.OrgUnit(id=network, name=f"Network {network[4:]}", kind="network"))
    base = {c: round(rng.uniform(2.8, 3.6), 2) for c in CONDITIONS}
    if network == "net-7":
        base["transformative_equity"] = 2.38
    for year, cycle in enumerate(CYCLES):
        for condition, score in base.items():
            moved = 0.04 * year
            if network == "net-7" and condition == "transformative_equity":
                moved = (0.0, 0.03, 0.52)[year]  # flat for two years, up in year three
            results.append(
                SurveyResult(
                    id=f"{network}-{cycle}-{condition}",
                    survey_id=survey.id,
                    org_unit_id=network,
                    cycle=cycle,
                    condition=condition,
                    score=round(score + moved, 2),
                    n=n,
                )
            )
store.put_many(results)

print("Lowest condition by network, first year:")
findings = lowest_conditions(r for r in results if r.cycle == CYCLES[0])
print(findings.to_text())
hidden = [f.org_unit_id for f in findings if f.all_withheld]  # its row says "*"
for network in hidden:  # every score withheld: too few respondents to show any
    print(f"  Network {network[4:]}: no condition shown (fewer than 10 principals responded)")
every_year = [f for f in lowest_conditions(results) if f.org_unit_id == "net-7"]
print(
    "Network 7, every year: "
    + "; ".join(f"{f.cycle} {CONDITIONS[f.condition].lower()}" for f in every_year)
)

# Network 7: the chief and the principals co-design next steps; a cycle of inquiry follows.
chief = store.put(
    mk.Person(
        id="chief-7", name="Marisol Quintero-Abbe", title="Network Chief", org_unit_id="net-7"
    )
)
principals = [
    store.put(mk.Person(id=f"principal-7-{k}", name=name, title="Principal", org_unit_id="net-7"))
    for k, name in enumerate(["Tamsin Orr", "Devon Achebe-Lowe", "Ruth Kallio"])
]
steps = store.put_many(
    [
        mk.ActionItem(
            id="step-1",
            owner_id=chief.id,
            due=dt.date(2022, 11, 1),
            text="Principals design their own equity learning walks, in groups",
        ),
        mk.ActionItem(
            id="step-2",
            owner_id=chief.id,
            due=dt.date(2023, 1, 15),
            text="Student voice: one thing you like, one thing you would change",
        ),
        mk.ActionItem(
            id="step-3",
            owner_id=chief.id,
            due=dt.date(2023, 3, 1),
            text="Principals share what changed in monthly network meetings",
        ),
    ]
)
inquiry_cycle = load_cycle("cycle-of-inquiry").start(
    id="coi-net-7",
    person_id=chief.id,
    program_id="nep-partnership",
    started=dt.datetime(2022, 9, 1, tzinfo=dt.UTC),
)
store.put(inquiry_cycle)
network_7 = next(f for f in findings if f.org_unit_id == "net-7")
store.put(
    network_7.inquiry(
        id="inq-net-7",
        coaching_cycle_id=inquiry_cycle.id,
        next_step_ids=[s.id for s in steps],
        co_designed_with=[p.id for p in principals],
    )
)

inquiry = store.get(Inquiry, "inq-net-7")
names = {p.id: p.name for p in store.all(mk.Person)}
print(
    f"\nNetwork 7 acted on {CONDITIONS[inquiry.condition].lower()} "
    f"(lowest in {inquiry.cycle}); co-designed with "
    f"{', '.join(names[p] for p in inquiry.co_designed_with)}:"
)
for step in steps:
    print(f"  - {step.text} (due {step.due})")

print("\nDid it move?")
stored = store.find(SurveyResult, survey_id=survey.id)
print(trend(stored, condition=inquiry.condition, tolerance=0.1).to_text())
(moved,) = follow_up([inquiry], stored, tolerance=0.1)
print(
    f"\nNetwork 7 {CONDITIONS[moved.condition].lower()}: {moved.baseline_score:.2f} in "
    f"{moved.baseline_cycle} -> {moved.latest_score:.2f} in {moved.latest_cycle} "
    f"({moved.change:+.2f}, {moved.direction.value}) after {moved.cycles_since} cycles"
)
store.close()
