"""Export a cohort's plan as an iCalendar file, then read it back and check every meeting.

Writes ng-2025.ics into the current directory. Needs the calendar extra:
pip install "mentorkit[calendar]".
"""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from dateutil import rrule

import mentorkit as mk
from mentorkit import scheduling as sch

chicago = ZoneInfo("America/Chicago")
program = mk.Program(id="ng", name="NextGen", commitments=sch.NEXTGEN_COMMITMENTS,
                     milestones=sch.NEXTGEN_MILESTONES)  # fmt: skip
cohort = mk.Cohort(id="ng-2025", program_id="ng", name="2025",
                   start=dt.date(2025, 6, 2), end=dt.date(2025, 12, 31))  # fmt: skip
thanksgiving = [dt.date(2025, 11, 24) + dt.timedelta(days=n) for n in range(5)]
# The fourth Tuesday of each month: in November the 25th, Thanksgiving week, is excluded.
plan = sch.plan_sessions(program, cohort, at=dt.time(16), tz=chicago, exclusions=thanksgiving,
                         weekday="TU", nth=4)  # fmt: skip
assert dt.date(2025, 11, 25) not in {s.start.date() for s in plan.sessions()}

path = Path("ng-2025.ics")
path.write_bytes(sch.to_ical(plan, name="NextGen 2025"))
print(f"Wrote {path.resolve()} ({path.stat().st_size:,} bytes)")

# Read it back as a calendar client would: expand each recurring event's RRULE and EXDATE.
calendar = icalendar.Calendar.from_ical(path.read_bytes())
read_back = []
for event in calendar.walk("VEVENT"):
    start = event.decoded("dtstart")
    if "rrule" not in event:
        print(f"  milestone  {start}  {event['summary']}")
        continue
    found = rrule.rrulestr(event["rrule"].to_ical().decode(), dtstart=start, forceset=True)
    exdates = event.get("exdate", [])
    for prop in exdates if isinstance(exdates, list) else [exdates]:
        for when in prop.dts:
            found.exdate(when.dt)
    for moment in found:
        read_back.append(moment)
        print(f"  meeting    {moment:%a %Y-%m-%d %H:%M %Z}  {event['summary']}")

planned = [s.start for s in plan.sessions()]
assert read_back == planned, "the calendar disagrees with the plan"
print(f"All {len(planned)} planned meetings read back at 16:00 Chicago time, "
      "across the end of daylight saving.")  # fmt: skip

# A cohort open a whole school year, with a pair matched in November: the program's seven
# months are owed from each pair's own start (as adherence counts them), so the plan made
# with the cohort's pairs runs to May, not to February.
store = mk.open_store("memory://")
year = mk.Cohort(id="ng-2026", program_id="ng", name="2026-27",
                 start=dt.date(2026, 8, 3), end=dt.date(2027, 7, 30))  # fmt: skip
store.put_many([
    program, year,
    mk.Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2", cohort_id=year.id, start=year.start),
    mk.Mentorship(id="m-2", mentor_id="p-3", mentee_id="p-4", cohort_id=year.id,
                  start=dt.date(2026, 11, 2)),
])  # fmt: skip
pairs = store.find(mk.Mentorship, cohort_id=year.id)
covered = sch.plan_sessions(program, year, tz=chicago, pairs=pairs)
planned_months = {f"{s.start:%Y-%m}" for s in covered.sessions()}
owed = sch.adherence(store, cohort_id=year.id, as_of=year.end, action_items=False)
assert {r.period for r in owed.rows} <= planned_months, "a month adherence counts has no meeting"
print(f"{year.name}: meetings from {min(planned_months)} to {max(planned_months)}, covering "
      f"every month adherence counts for {len(pairs)} pairs (the one matched last included).")
