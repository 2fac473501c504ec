"""Plan a cohort's sessions and see who is falling behind, on a synthetic district.

The district's fellowship promises NextGen-like commitments (three hours a month for seven
months, with a monthly reflection), its coaching program OEIB-like ones (a joint team
meeting and one with each leader alone every month, a site walkthrough each quarter).
"""

import datetime as dt
from zoneinfo import ZoneInfo

from mentorkit import synthetic
from mentorkit.model import Cohort, Program
from mentorkit.scheduling import adherence, plan_sessions
from mentorkit.storage import MemoryStore

district = synthetic.district(seed=7)
store = MemoryStore()
store.put_many(list(district.entities()))

program = store.get(Program, "prog-fellows")
cohort = store.get(Cohort, "coh-fellows-2023")
plan = plan_sessions(program, cohort, at=dt.time(15, 30), tz=ZoneInfo("America/Chicago"))
for item in plan.items:
    print(f"{item.commitment.name}: {item.cadence.rrule}, {item.cadence.minutes} min each")
print("first meetings:", [s.start.strftime("%Y-%m-%d %H:%M %Z") for s in plan.sessions()][:3])
print("milestones:", ", ".join(f"{e.name} {e.date}" for e in plan.events))
print()

for cohort_id in ("coh-fellows-2023", "coh-coaching-2023"):
    report = adherence(store, cohort_id=cohort_id, as_of=dt.date(2024, 3, 1))
    (rollup,) = report.rollup()
    print(
        f"{cohort_id}: {rollup.pairs} pairs, {rollup.teams} teams, "
        f"{rollup.met} periods met, {rollup.short} short, {rollup.in_progress} in progress"
    )
    for behind in report.behind()[:3]:
        print("  ", behind)
    print()
