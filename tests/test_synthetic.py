import datetime as dt
import re
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorkit as mk
from mentorkit import synthetic
from mentorkit.measurement import DisclosurePolicy


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
    planned = defaultdict(list)
    by_id = {s.id: s for s in d.sessions}
    for s in d.sessions:
        assert s.start.utcoffset() == dt.timedelta(0)
        if s.id.endswith("b"):  # a make-up: a week after a cancelled meeting, same month
            missed = by_id[s.id[:-1]]
            assert missed.status is mk.SessionStatus.CANCELLED
            assert s.status is mk.SessionStatus.HELD
            assert s.start - missed.start == dt.timedelta(days=7)
            assert (s.start.year, s.start.month) == (missed.start.year, missed.start.month)
        else:
            planned[s.mentorship_id].append(s.start)
    assert planned
    for starts in planned.values():
        assert len(starts) == 7
        months = [(t.year, t.month) for t in sorted(starts)]
        assert len(set(months)) == 7, "one planned meeting a month"


@settings(max_examples=5, deadline=None)
@given(st.integers(0, 2**32))
def test_mentees_write_the_monthly_reflection_their_program_asks_for(seed):
    from mentorkit.scheduling import adherence
    from mentorkit.storage import MemoryStore

    d = synthetic.district(seed=seed, staff=300, years=2)
    programs = {p.id: p for p in d.programs}
    asks = {
        pid for pid, p in programs.items()
        if any(k.artefact is mk.Artefact.REFLECTION for k in p.commitments)
    }  # fmt: skip
    assert asks == {"prog-fellows"}
    mentorships = {m.id: m for m in d.mentorships}
    months = defaultdict(list)
    for r in d.reflections:
        m = mentorships[r.mentorship_id]
        assert r.person_id == m.mentee_id
        months[m.id].append((r.written.year, r.written.month))
    for m in d.mentorships:
        if m.program_id in asks:
            assert len(months[m.id]) == len(set(months[m.id])) <= 7, "one a month at most"
        else:
            assert len(months[m.id]) == 1
    fellows = [m for m in d.mentorships if m.program_id in asks]
    full = [m for m in fellows if len(months[m.id]) == 7]
    assert len(full) > len(fellows) / 2, "most mentees write every month"

    store = MemoryStore()
    store.put_many(list(d.entities()))
    report = adherence(store, as_of=dt.date(2030, 1, 1), action_items=False)
    behind = {b.who for b in report.behind() if b.cohort_id.startswith("coh-fellows")}
    assert 0 < len(behind) < len(fellows) / 2, "a minority of pairs falls behind"


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


_FORWARD_LINE = re.compile(r"^  (\d{4})-\d\d mentees: (\*|\d+) of (\*|\d+) \((\*|-|\d+%)\)$", re.M)


def _forward_lines(text):
    """``{year: (went on, of, share)}`` as the summary prints them (``*`` kept as text)."""
    return {int(y): (a, b, r) for y, a, b, r in _FORWARD_LINE.findall(text)}


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32), st.integers(10, 400), st.integers(2, 3), st.integers(1, 12))
def test_the_summary_withholds_small_counts_like_every_report(seed, staff, years, min_cell):
    d = synthetic.district(seed=seed, staff=staff, years=years, sessions_per_mentorship=0)
    policy = DisclosurePolicy(min_cell=min_cell)
    shown = _forward_lines(d.summary(policy=policy))
    true = _forward_lines(d.summary(policy=DisclosurePolicy(min_cell=1)))  # nothing withheld
    assert shown.keys() == true.keys()
    assert len(true) <= years - 1
    for year, (forward, size, share) in shown.items():
        real_forward, real_size, real_share = true[year]
        assert "*" not in (real_forward, real_size, real_share)
        for figure, real in ((forward, real_forward), (size, real_size)):
            # A published count is the true one, and never a small one (zero describes nobody).
            assert figure == "*" or (figure == real and not policy.is_small(int(real)))
        if size == "*":  # even a zero tells about everyone in a small group
            assert forward == "*"
        assert share == (real_share if "*" not in (forward, size) else "*")
    withheld = any("*" in figures for figures in shown.values())
    assert withheld == ("(* withheld: fewer than" in d.summary(policy=policy))


def test_the_default_summary_shows_no_small_count():
    d = synthetic.district(seed=7, staff=400, years=3)  # the demo's district
    shown = _forward_lines(d.summary())
    true = _forward_lines(d.summary(policy=DisclosurePolicy(min_cell=1)))
    assert any(0 < int(forward) < 10 for forward, _, _ in true.values())  # something to withhold
    assert all(f == "*" or not 0 < int(f) < 10 for fig in shown.values() for f in fig[:2])
    assert "(* withheld: fewer than 10 people, or would reveal one)" in d.summary()
