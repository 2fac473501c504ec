from mentorkit import synthetic
from mentorkit.frameworks import Rater, current_levels, load_framework, rated_at_least


def test_synthetic_assessments_fit_their_frameworks_and_people():
    d = synthetic.district(seed=4, staff=200, years=2, sessions_per_mentorship=0)
    people = {p.id for p in d.people}
    frameworks = {p.framework_id: load_framework(p.framework_id) for p in d.programs}
    assert d.assessments
    for a in d.assessments:
        a.check(frameworks[a.framework_id])
        assert a.person_id in people
        assert a.rater_id is None or a.rater_id in people
    program_of = {c.id: c.program_id for c in d.cohorts}
    framework_of = {p.id: p.framework_id for p in d.programs}
    for e in d.enrollments:
        fw = frameworks[framework_of[program_of[e.cohort_id]]]
        assert set(e.focus_competencies) <= set(fw.codes)


def test_synthetic_mentees_are_rated_by_their_mentor_and_leaders_by_their_supervisor():
    d = synthetic.district(seed=4, staff=200, years=2, sessions_per_mentorship=0)
    mentors = {(ms.mentee_id, ms.mentor_id) for ms in d.mentorships}
    by_mentor = [a for a in d.assessments if a.rater in (Rater.MENTOR, Rater.COACH)]
    assert by_mentor
    assert all((a.person_id, a.rater_id) in mentors for a in by_mentor)
    mos = load_framework("manager-of-self")
    strong = rated_at_least(
        mos, d.assessments, "communication", "proficient", rater=Rater.SUPERVISOR
    )
    assert strong
    anyone = next(iter(strong))
    assert current_levels(mos, d.assessments, anyone, rater=Rater.SUPERVISOR)["communication"] in (
        "proficient",
        "exemplary",
    )
