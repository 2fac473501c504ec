"""NextGen Mentorship: applications, selection, matching by focus skill, 3 hours monthly.

Staff who manage only themselves apply by March 25; staff with a misconduct record are not
eligible, and those rated exemplary in one area of their last evaluation come first. Each
mentee picks a focus skill from the Manager of Self competencies and is matched with a
mentor who excels in it. Pairs meet three hours a month from June to December and each
mentee writes a monthly reflection; a closing banquet in January gives the program's award.

The lead asks: how many applied and were selected, who was matched with whom and why, who
is behind on the three hours or the reflections, and who receives the award.

Run from any folder:  python nextgen.py   (writes nextgen.db there, rebuilt on every run)
"""

import datetime as dt
import random
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs

import mentorkit as mk
from mentorkit.frameworks import Rater, load_framework
from mentorkit.matching import (
    Applicant,
    NoFlag,
    PriorityIfRated,
    TitleIn,
    check_eligibility,
    cohort_profiles,
    select_applicants,
    strengths_from_assessments,
)
from mentorkit.scheduling import NEXTGEN_COMMITMENTS, NEXTGEN_MILESTONES, adherence, plan_sessions

DB = Path("nextgen.db")
DB.unlink(missing_ok=True)  # the script builds its own store afresh on every run
CHICAGO = ZoneInfo("America/Chicago")
SEATS = 8
rng = random.Random(2024)
framework = load_framework("manager-of-self")
skills = [c.code for c in framework.competencies]
FIRST = [
    "Ada",
    "Bex",
    "Cal",
    "Dina",
    "Ezra",
    "Flo",
    "Gil",
    "Hope",
    "Ike",
    "Joss",
    "Kit",
    "Lu",
    "Mo",
    "Nell",
]
LAST = [
    "Lindqvist",
    "Marchetti",
    "Osei",
    "Pellham",
    "Quarry",
    "Rowntree",
    "Sandoval",
    "Tarrant",
    "Ulwin",
    "Vickery",
    "Whitlow",
    "Yarrow",
    "Zelenko",
    "Ashgrove",
]
SELF_MANAGERS = ["Data Analyst", "Budget Analyst", "Program Specialist", "HR Generalist"]

store = mk.open_store(f"sqlite:///{DB}")
program = store.put(
    mk.Program(
        id="nextgen",
        name="NextGen Mentorship",
        framework_id="manager-of-self",
        commitments=NEXTGEN_COMMITMENTS,
        milestones=NEXTGEN_MILESTONES,
    )
)
cohort = store.put(
    mk.Cohort(
        id="ng-2024",
        program_id="nextgen",
        name="NextGen 2024",
        start=dt.date(2024, 6, 1),
        end=dt.date(2024, 12, 31),
    )
)
store.put(mk.OrgUnit(id="central", name="Central Office", kind="central_office"))

# Mentors are nominated; their strengths are rated on the framework.
for k, skill in enumerate(skills * 2):
    pid = f"mentor-{k + 1:02}"
    store.put(
        mk.Person(
            id=pid,
            name=f"{FIRST[13 - k]} {LAST[(k + 7) % 14]}",
            title="Chief of Staff",
            org_unit_id="central",
        )
    )
    store.put(
        mk.Enrollment(
            id=f"e-{pid}", person_id=pid, cohort_id=cohort.id, role="mentor", status="active"
        )
    )
    store.put(
        mk.Assessment(
            id=f"a-{pid}",
            person_id=pid,
            framework_id=framework.id,
            competency=skill,
            level="exemplary",
            date=dt.date(2024, 4, 1),
            rater=Rater.SUPERVISOR,
        )
    )

# Fourteen applications by March 25.
applicants = []
for k in range(14):
    pid = f"applicant-{k + 1:02}"
    title = "Network Manager" if k == 13 else SELF_MANAGERS[k % 4]  # manages others
    store.put(mk.Person(id=pid, name=f"{FIRST[k]} {LAST[k]}", title=title, org_unit_id="central"))
    store.put(
        mk.Enrollment(
            id=f"e-{pid}",
            person_id=pid,
            cohort_id=cohort.id,
            role="mentee",
            status="applied",
            applied=dt.date(2024, 3, 1 + k),
            focus_competencies=[skills[k % 5]],
        )
    )
    if k % 3 == 0:  # exemplary in one area of the last evaluation
        store.put(
            mk.Assessment(
                id=f"a-{pid}",
                person_id=pid,
                framework_id=framework.id,
                competency=skills[(k + 1) % 5],
                level="exemplary",
                date=dt.date(2023, 6, 1),
                rater=Rater.SUPERVISOR,
            )
        )
    applicants.append(
        Applicant(
            person_id=pid,
            title=title,
            ratings=strengths_from_assessments(
                framework, store.find(mk.Assessment, person_id=pid), pid
            ),
            flags={"misconduct"} if k == 12 else set(),
        )
    )

report = check_eligibility(
    applicants,
    [
        TitleIn(SELF_MANAGERS, name="manager_of_self"),
        NoFlag("misconduct"),
        PriorityIfRated(level=3, label="exemplary"),
    ],
)
# The eight best-ranked eligible applicants get a seat; every application's status is
# recorded at once (selected, or not_selected: the eligible ones form the waitlist).
selection = select_applicants(store, cohort.id, report, seats=SEATS)
for pid in selection.selected:  # each selected mentee and their leader sign the MOU
    enrollment = store.get(mk.Enrollment, f"e-{pid}")
    store.put(attrs.evolve(enrollment, agreement_signed=dt.date(2024, 5, 10)))
print(
    f"Applications: {len(applicants)}; eligible {len(report.eligible)}; "
    f"selected {len(selection.selected)} for {SEATS} seats; "
    f"waitlist {len(selection.waitlist)}"
)
for pid in selection.waitlist:  # in rank order: the next to offer a seat if one frees up
    print(f"  waitlist {pid}: {store.get(mk.Person, pid).name}")
for pid, reason in sorted(report.excluded.items()):
    print(f"  not eligible {pid}: {reason}")

# Matching: each selected mentee's focus skill against the mentors' strengths.
mentees, mentors = cohort_profiles(
    cohort.id,
    people=store.all(mk.Person),
    enrollments=store.find(mk.Enrollment, cohort_id=cohort.id),
    assessments=store.all(mk.Assessment),
    framework=framework,
    capacity=1,
)
# "stable" needs no extra: no mentee and mentor would both rather be paired with each other
# than as matched. Here every mentee gets a mentor exemplary in their focus skill either way;
# strategy="optimal" (pip install "mentorkit[ortools]") maximises the total score instead.
result = mk.match(mk.MatchingProblem.from_profiles(mentees, mentors), strategy="stable")
names = {p.id: p.name for p in store.all(mk.Person)}
print(f"\nMatched {len(result.pairs)} of {len(mentees)} selected mentees by focus skill:")
focus = {m.person_id: m.focus[0] for m in mentees}
for pair in result.pairs:
    print(
        f"  {names[pair.mentee_id]:<22} focus {focus[pair.mentee_id]:<28} "
        f"-> {names[pair.mentor_id]}"
    )
    store.put(
        mk.Mentorship(
            id=f"ms-{pair.mentee_id}",
            mentor_id=pair.mentor_id,
            mentee_id=pair.mentee_id,
            start=cohort.start,
            program_id=program.id,
            cohort_id=cohort.id,
        )
    )
print(result.explain(result.pairs[0].mentee_id))

# June to December: sessions and reflections; some pairs fall behind.
plan = plan_sessions(program, cohort, at=dt.time(15, 30), tz=CHICAGO)
events = store.put_many(plan.events)
for n, pair in enumerate(result.pairs):
    for month in range(6, 13):
        skipped = (n == 1 and month == 9) or (n == 4 and month >= 10)
        short = n == 2 and month == 8
        if not skipped:
            store.put(
                mk.Session(
                    id=f"s-{pair.mentee_id}-{month}",
                    mentorship_id=f"ms-{pair.mentee_id}",
                    start=dt.datetime(2024, month, 10, 15, 30, tzinfo=CHICAGO),
                    minutes=90 if short else 180,
                    activity=rng.choice(
                        ["shadowing", "problem_of_practice", "role_play", "network_connection"]
                    ),
                )
            )
        if not skipped and not (n == 3 and month == 11):
            store.put(
                mk.Reflection(
                    id=f"r-{pair.mentee_id}-{month}",
                    person_id=pair.mentee_id,
                    written=dt.date(2024, month, 20),
                    text="What I practised this month.",
                )
            )

late = adherence(store, cohort_id=cohort.id, as_of=dt.date(2025, 1, 6))
behind = late.behind()
print(f"\nBehind on three hours monthly or the monthly reflection: {len(behind)} pairs")
for b in behind:
    mentee = store.get(mk.Mentorship, b.who).mentee_id
    for row in b.short:
        missing = []
        if row.delivered.minutes < (row.promised.minutes or 0):
            missing.append(f"{row.delivered.minutes} of {row.promised.minutes} min")
        if row.missing_artefacts:
            missing.append("no reflection")
        print(f"  {names[mentee]:<22} {row.period}: {', '.join(missing)}")

# The closing award: every pair that kept all seven months, given at the banquet and
# recorded for both members (store.find(mk.Award, cohort_id=...) lists them later).
banquet = next(e for e in events if e.kind is mk.MilestoneKind.CLOSING_CELEBRATION)
kept = set(late.kept())
for pair in result.pairs:
    mentorship_id = f"ms-{pair.mentee_id}"
    for pid in (pair.mentee_id, pair.mentor_id):
        store.put(
            mk.Attendance(
                id=f"att-{pid}",
                event_id=banquet.id,
                person_id=pid,
                cohort_id=cohort.id,
                attended=True,
            )
        )
        if mentorship_id in kept:
            store.put(
                mk.Award(
                    id=f"award-{pid}",
                    person_id=pid,
                    cohort_id=cohort.id,
                    event_id=banquet.id,
                    mentorship_id=mentorship_id,
                    name="Lead with CPS",
                    date=banquet.date,
                    reason="kept three hours and a reflection every month for seven months",
                )
            )
awards = store.find(mk.Award, cohort_id=cohort.id)
awarded = sorted({a.mentorship_id for a in awards if a.mentorship_id is not None})
print(
    f"\n{banquet.name} on {banquet.date}: award to {len(awarded)} pairs who kept all seven months"
)
for mentorship_id in awarded:
    pair = store.get(mk.Mentorship, mentorship_id)
    print(f"  {names[pair.mentee_id]} and {names[pair.mentor_id]}")
store.close()
