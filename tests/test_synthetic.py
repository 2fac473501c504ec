import datetime as dt
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorkit as mk
from mentorkit import synthetic


@settings(max_examples=10)
@given(st.integers(0, 2**32), st.integers(10, 300), st.integers(1, 4))
def test_the_same_seed_gives_the_same_district(seed, staff, years):
    a = synthetic.district(seed=seed, staff=staff, years=years, sessions_per_mentorship=2)
    b = synthetic.district(seed=seed, staff=staff, years=years, sessions_per_mentorship=2)
    assert a == b
    assert len(a.people) == staff


@settings(max_examples=10)
@given(st.integers(0, 2**32))
def test_a_district_is_referentially_whole(seed):
    d = synthetic.district(seed=seed, staff=150, years=3)
    people = {p.id for p in d.people}
    units = {u.id for u in d.org_units}
    cohorts = {c.id: c for c in d.cohorts}
    mentorships = {m.id for m in d.mentorships}
    assert all(p.org_unit_id in units for p in d.people)
    assert all(p.supervisor_id is None or p.supervisor_id in people for p in d.people)
    assert all(e.person_id in people and e.cohort_id in cohorts for e in d.enrollments)
    for m in d.mentorships:
        assert {m.mentor_id, m.mentee_id} <= people
        assert cohorts[m.cohort_id].start <= m.start
    assert all(s.mentorship_id in mentorships for s in d.sessions)
    ids = [e.id for e in d.entities()]
    assert len(ids) == len(set(ids)), "ids are unique"


def test_some_mentees_mentor_the_next_year():
    d = synthetic.district(seed=3, staff=600, years=3)
    by_year = defaultdict(lambda: (set(), set()))
    for m in d.mentorships:
        by_year[m.start.year][0].add(m.mentee_id)
        by_year[m.start.year][1].add(m.mentor_id)
    years = sorted(by_year)
    forward = by_year[years[0]][0] & by_year[years[1]][1]
    assert forward, "a mentee of the first year mentors in the second"


def test_sessions_follow_the_monthly_cadence_and_are_timezone_aware():
    d = synthetic.district(seed=1, staff=100, years=1, sessions_per_mentorship=7)
    per = defaultdict(list)
    for s in d.sessions:
        assert s.start.utcoffset() == dt.timedelta(0)
        per[s.mentorship_id].append(s.start)
    assert per
    assert all(len(v) == 7 for v in per.values())


def test_entities_all_serialise():
    d = synthetic.district(seed=2, staff=60, years=2)
    for entity in d.entities():
        assert mk.from_json(mk.to_json(entity)) == entity


@pytest.mark.parametrize(
    ("kw", "field"),
    [({"staff": 3}, "staff"), ({"years": 0}, "years"), ({"mentee_share": 0}, "mentee_share")],
)
def test_impossible_shapes_are_refused_naming_the_argument(kw, field):
    with pytest.raises(ValueError, match=field):
        synthetic.district(**kw)
