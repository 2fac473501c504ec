"""ELAP (Equity Leader Accelerator): experienced leaders mentor early-career principals.

Mentors and mentees in 12 partner districts meet to discuss dilemmas and successes, each
meeting using a named protocol. The next year, this year's mentees mentor emerging leaders
in their own school. The lead asks: which mentees now mentor in their own school (the
mentorship chains), and which dilemmas were discussed with which protocols.

Each meeting is a session whose ``topic`` is the dilemma brought and whose ``protocol`` names
the protocol used; sessions are found by protocol with one store query.

Run from any folder:  python elap.py   (writes elap.db there, rebuilt on every run)
"""

import datetime as dt
from collections import Counter
from pathlib import Path

import mentorkit as mk
from mentorkit.graph import MentorshipGraph

DB = Path("elap.db")
DB.unlink(missing_ok=True)  # the script builds its own store afresh on every run
UTC = dt.UTC
PROTOCOLS = [
    "Cultural Categories of Change",
    "What? So What? Now What?",
    "Consultancy",
    "Tuning Protocol",
]
DILEMMAS = [
    "PLCs stay polite instead of looking at student data",
    "Assumptions about students go unchecked in data meetings",
    "Staff turnover in the special education team",
    "Family engagement is limited to report-card night",
]
NAMES = [
    "Avery Quill",
    "Bram Tolley",
    "Cleo Marsh",
    "Dev Okon",
    "Esme Rudd",
    "Femi Lark",
    "Gwen Pryor",
    "Hal Ostrow",
    "Iris Vance",
    "Jude Kessel",
    "Kai Brome",
    "Lena Strand",
]
MENTEES = [
    "Mara Delk",
    "Nico Fenn",
    "Oona Pike",
    "Pax Weld",
    "Quin Harrow",
    "Rhea Stoll",
    "Sami Nore",
    "Tova Brisk",
    "Umar Lytle",
    "Vera Crane",
    "Wes Argent",
    "Yara Moss",
]

EMERGING = [  # next year's emerging leaders
    "Ari Benning",
    "Bea Castro-Lind",
    "Cass Imrie",
    "Dov Halloran",
    "Eda Strom",
    "Fynn Oduya",
    "Gia Lorne",
    "Hugo Mirren",
]

store = mk.open_store(f"sqlite:///{DB}")
store.put(mk.Program(id="elap", name="Equity Leader Accelerator Program"))
y1 = store.put(
    mk.Cohort(
        id="elap-2023",
        program_id="elap",
        name="2023-24",
        start=dt.date(2023, 9, 1),
        end=dt.date(2024, 6, 30),
    )
)
y2 = store.put(
    mk.Cohort(
        id="elap-2024",
        program_id="elap",
        name="2024-25",
        start=dt.date(2024, 9, 1),
        end=dt.date(2025, 6, 30),
    )
)

entities: list[mk.Entity] = []
for d in range(12):
    district, school = f"district-{d + 1:02}", f"school-{d + 1:02}"
    mentor, mentee = f"mentor-{d + 1:02}", f"principal-{d + 1:02}"
    entities += [
        mk.OrgUnit(id=district, name=f"Partner District {d + 1}", kind="district"),
        mk.OrgUnit(id=school, name=f"Partner School {d + 1}", kind="school", parent_id=district),
        mk.OrgUnit(
            id=f"{school}-b", name=f"Partner School {d + 1}B", kind="school", parent_id=district
        ),
        mk.Person(id=mentor, name=NAMES[d], title="Principal", org_unit_id=f"{school}-b"),
        mk.Person(id=mentee, name=MENTEES[d], title="Principal", org_unit_id=school),
        mk.Enrollment(id=f"e-{mentor}", person_id=mentor, cohort_id=y1.id, role="mentor"),
        mk.Enrollment(id=f"e-{mentee}", person_id=mentee, cohort_id=y1.id, role="mentee"),
        mk.Mentorship(
            id=f"ms-{d + 1:02}",
            mentor_id=mentor,
            mentee_id=mentee,
            start=y1.start,
            end=y1.end,
            program_id="elap",
            cohort_id=y1.id,
        ),
    ]
    for month in range(4):  # a structured meeting each month from September to December
        start = dt.datetime(2023, 9 + month, 5 + d, 16, tzinfo=UTC)
        entities.append(
            mk.Session(
                id=f"s-{d + 1:02}-{month}",
                mentorship_id=f"ms-{d + 1:02}",
                start=start,
                minutes=60,
                activity="problem_of_practice",
                topic=DILEMMAS[(d + month) % 4],
                protocol=PROTOCOLS[(d * 3 + month) % 4],
            )
        )
    # Next year eight of the twelve mentees mentor an emerging leader; one of them in
    # another school of the district, so not every chain stays in the mentee's own school.
    if d < 8:
        emerging = f"emerging-{d + 1:02}"
        unit = school if d != 7 else f"{school}-b"
        entities += [
            mk.Person(
                id=emerging,
                name=EMERGING[d],
                title="Assistant Principal",
                org_unit_id=unit,
            ),
            mk.Enrollment(id=f"e2-{mentee}", person_id=mentee, cohort_id=y2.id, role="mentor"),
            mk.Enrollment(id=f"e2-{emerging}", person_id=emerging, cohort_id=y2.id, role="mentee"),
            mk.Mentorship(
                id=f"ms2-{d + 1:02}",
                mentor_id=mentee,
                mentee_id=emerging,
                start=y2.start,
                end=y2.end,
                program_id="elap",
                cohort_id=y2.id,
            ),
        ]
store.put_many(entities)

graph = MentorshipGraph.from_store(store)
people = {p.id: p for p in store.all(mk.Person)}
chains = [c for c in graph.chains() if len(c) > 1]
own_school = [
    c for c in chains if people[c[0].mentee_id].org_unit_id == people[c[1].mentee_id].org_unit_id
]
mentees = {m.mentee_id for m in store.find(mk.Mentorship, cohort_id=y1.id)}
print(
    f"Of {len(mentees)} 2023-24 mentees, {len(chains)} mentor an emerging leader in 2024-25, "
    f"{len(own_school)} of them in their own school:"
)
for chain in chains:
    names = " -> ".join(
        [people[chain[0].mentor_id].name] + [people[m.mentee_id].name for m in chain]
    )
    where = "own school" if chain in own_school else "another school"
    print(f"  {names}  ({where})")

print("\nDilemmas discussed, by protocol:")
for protocol in sorted(PROTOCOLS):
    used = store.find(mk.Session, protocol=protocol)  # an indexed field: one query
    dilemmas = Counter(s.topic for s in used if s.start.date() <= y1.end)
    print(f"  {protocol}: {dilemmas.total()} meetings")
    for dilemma, n in dilemmas.most_common():
        print(f"    {n} x {dilemma}")
store.close()
