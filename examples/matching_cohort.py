"""Match a fellowship cohort: eligibility, strategies side by side, reasons, fairness, capacity.

People, enrolments (with the mentees' focus competencies) and assessments (the mentors'
strengths) come from the synthetic district; the activities each side prefers or offers
are drawn at random, as the district does not record them.
"""

import random

import attrs

from mentorkit import synthetic
from mentorkit.frameworks import load_framework
from mentorkit.matching import (
    Applicant,
    MatchingProblem,
    NoFlag,
    PriorityIfRated,
    TitleIn,
    check_eligibility,
    cohort_profiles,
    fairness_audit,
    match,
    strengths_from_assessments,
)

district = synthetic.district(seed=7)
framework = load_framework("manager-of-self")
cohort = "coh-fellows-2023"
mentees, mentors = cohort_profiles(
    cohort,
    people=district.people,
    enrollments=district.enrollments,
    assessments=district.assessments,
    framework=framework,
    capacity=2,  # for mentors whose enrolment records no capacity (here every one does: 3)
)
people = {p.id: p for p in district.people}

rng = random.Random(7)
activities = ["shadowing", "problem_of_practice", "role_play", "classroom_visit"]
mentors = [attrs.evolve(m, activities=rng.sample(activities, 2)) for m in mentors]
mentees = [attrs.evolve(m, activities=rng.sample(activities, 2)) for m in mentees]

# 1. Eligibility: managers of self only, no misconduct on record, priority if exemplary.
flagged = {mentees[3].person_id}  # one applicant with a record, for the demonstration
applicants = [
    Applicant(
        person_id=m.person_id,
        title=people[m.person_id].title,
        ratings=strengths_from_assessments(framework, district.assessments, m.person_id),
        flags={"misconduct"} if m.person_id in flagged else set(),
    )
    for m in mentees
]
report = check_eligibility(
    applicants,
    [
        TitleIn(
            ["Teacher", "Teacher Leader", "Instructional Coach", "Dean of Students"],
            name="manager_of_self",
        ),
        NoFlag("misconduct"),
        PriorityIfRated(level=3, label="exemplary"),
    ],
)
print(f"{len(report.eligible)} of {len(applicants)} applicants eligible")
for person_id, reason in report.excluded.items():
    print(f"  excluded {person_id}: {reason}")

# 2. One problem, three strategies.
problem = MatchingProblem.from_profiles(mentees, mentors, eligibility=report)
print(f"\n{problem}")
results = {s: match(problem, strategy=s, seed=1) for s in ("greedy", "stable", "optimal")}
for result in results.values():
    print(result.summary())

# 3. Why was this pair made?
best = results["optimal"]
first = best.pairs[0]
print("\n" + best.explain(first.mentee_id))
print(f"criterion totals: { {k: round(v, 2) for k, v in best.criterion_totals.items()} }")

# 4. Rerun exactly from what the result recorded.
again = match(problem, best.strategy, seed=best.seed, **best.options)
print(f"\nrerun gives the same pairs: {again.pairs == best.pairs}")

# 5. Fairness: by school, and by gender under the small-cell rule.
units = {m.person_id: m.org_unit_id for m in mentees}
demographics = {p.id: p.demographics for p in district.people}
audit = fairness_audit(best, units, demographics=demographics, by=["gender"])
print("\n" + audit.to_text())

# 6. A mentor who takes nobody this year: record it on their enrolment (capacity 0, where
#    the district recorded 3), and every strategy keeps to it.
on_leave = mentors[0].person_id
enrollments = [
    attrs.evolve(e, capacity=0)
    if e.person_id == on_leave and e.cohort_id == cohort and e.role != "mentee"
    else e
    for e in district.enrollments
]
mentees, mentors = cohort_profiles(
    cohort, people=district.people, enrollments=enrollments,
    assessments=district.assessments, framework=framework,
)  # fmt: skip
problem = MatchingProblem.from_profiles(mentees, mentors)
for strategy in ("greedy", "stable", "optimal"):
    result = match(problem, strategy=strategy)
    taken = sum(p.mentor_id == on_leave for p in result.pairs)
    print(f"{result.summary()}; {on_leave} takes {taken}")
