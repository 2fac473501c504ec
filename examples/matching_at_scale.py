"""Match a large cohort with popular mentors, from a SQLite store, and check the answers.

A synthetic district is stored in SQLite with one extra cohort: 600 mentees whose focus
favours a few competencies, and 300 mentors rated on all of them. The profiles are read
back from the store, scored block-wise with the default scorer and constraints, and
matched by `stable` and `optimal`; the example checks that nobody blocks the stable
matching and that the optimal total is at least the stable one.
"""

import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from mentorkit import synthetic
from mentorkit.frameworks import Assessment, Rater, load_framework
from mentorkit.matching import MatchingProblem, cohort_profiles, match
from mentorkit.model import Cohort, Enrollment, EnrollmentStatus, Person, Role
from mentorkit.storage import open_store

MENTEES, MENTORS, CAPACITY = 600, 300, 3
rng = random.Random(11)
district = synthetic.district(seed=11, staff=MENTEES + MENTORS + 50, years=1)
framework = load_framework("manager-of-self")
codes = [c.code for c in framework.competencies]
popularity = [8, 4, 2, 1, 1][: len(codes)]
people = [p.id for p in district.people][50:]
cohort = Cohort(
    id="coh-large",
    program_id="prog-fellows",
    name="Large cohort",
    start=dt.date(2025, 8, 1),
    end=dt.date(2026, 6, 30),
)
enrollments, ratings = [], []
for k, person in enumerate(people[:MENTEES]):
    first = rng.choices(codes, weights=popularity)[0]
    second = rng.choice([c for c in codes if c != first])
    enrollments.append(
        Enrollment(
            id=f"enr-large-{k}-e",
            person_id=person,
            cohort_id=cohort.id,
            role=Role.MENTEE,
            status=EnrollmentStatus.ACTIVE,
            focus_competencies=(first, second),
        )
    )
for k, person in enumerate(people[MENTEES : MENTEES + MENTORS]):
    enrollments.append(
        Enrollment(
            id=f"enr-large-{k}-m",
            person_id=person,
            cohort_id=cohort.id,
            role=Role.MENTOR,
            status=EnrollmentStatus.ACTIVE,
        )
    )
    for code in codes:
        ratings.append(
            Assessment(
                id=f"as-large-{k}-{code}",
                person_id=person,
                framework_id=framework.id,
                competency=code,
                level=rng.choice(framework.scale.codes),
                date=dt.date(2025, 6, 1),
                rater=Rater.SUPERVISOR,
            )
        )

with tempfile.TemporaryDirectory() as folder:
    url = f"sqlite:///{Path(folder) / 'district.db'}"
    with open_store(url) as store:
        for batch in (district.org_units, district.people, district.programs, [cohort]):
            store.put_many(batch)
        store.put_many(enrollments)
        store.put_many(ratings)
    with open_store(url) as store:
        cohort_enrollments = store.find(Enrollment, cohort_id=cohort.id)
        ids = sorted({e.person_id for e in cohort_enrollments})
        staff = [store.get(Person, i) for i in ids]
        assessments = [a for i in ids for a in store.find(Assessment, person_id=i)]

mentees, mentors = cohort_profiles(
    cohort.id,
    people=staff,
    enrollments=cohort_enrollments,
    assessments=assessments,
    framework=framework,
    capacity=CAPACITY,
)
start = time.perf_counter()
problem = MatchingProblem.from_profiles(mentees, mentors)
built = time.perf_counter() - start
print(problem)
print(f"built in {built * 1e3:.0f} ms")

stable = match(problem, "stable")
optimal = match(problem, "optimal")
print(stable.summary())
print(optimal.summary())
assert optimal.total_score >= stable.total_score - 1e-9

# No blocking pair: nobody prefers a mentor who would rather have them than someone held.
held = {}
for pair in stable.pairs:
    held.setdefault(pair.mentor_id, []).append(problem.mentor_score(pair.mentee_id, pair.mentor_id))
for mentee in problem.mentee_ids:
    mine = stable.assignment.get(mentee)
    my_score = problem.score(mentee, mine) if mine else float("-inf")
    for mentor, room in zip(problem.mentor_ids, problem.capacity, strict=True):
        score = problem.score(mentee, mentor)
        if score is None or score <= my_score:
            continue
        theirs = held.get(mentor, [])
        wanted = problem.mentor_score(mentee, mentor)
        assert len(theirs) >= room, (mentee, mentor)
        assert min(theirs) >= wanted, (mentee, mentor)
print("stable: no blocking pair")
print(stable.explain(stable.pairs[0].mentee_id))
