"""One time-respecting definition of "went on to mentor", with school-year windows."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit import synthetic
from mentorkit.graph import MentorshipGraph, cohort_report
from mentorkit.measurement import DisclosurePolicy
from mentorkit.model import Mentorship
from mentorkit.testing.strategies import mentorships

D = dt.date
STARTS = st.dates(D(2019, 1, 1), D(2026, 12, 31))
GRAPHS = st.lists(
    mentorships(people=st.sampled_from("abcdef"), starts=STARTS), max_size=14,
    unique_by=lambda m: m.id,
)  # fmt: skip


def brute_went_on(ms: list[Mentorship]) -> set[str]:
    """Mentees who mentor in a mentorship starting on or after their own first began."""
    first = {p: min(m.start for m in ms if m.mentee_id == p) for p in {m.mentee_id for m in ms}}
    return {p for p, s in first.items() if any(m.mentor_id == p and m.start >= s for m in ms)}


@settings(max_examples=150, deadline=None)
@given(GRAPHS)
def test_summary_counts_mentees_who_mentored_after_they_were_mentored(ms):
    assert MentorshipGraph.from_mentorships(ms).summary()["paid_forward"] == len(brute_went_on(ms))


@settings(max_examples=150, deadline=None)
@given(GRAPHS)
def test_one_group_with_no_window_limit_agrees_with_the_summary(ms):
    g = MentorshipGraph.from_mentorships([attrs.evolve(m, cohort_id=None) for m in ms])
    rows = cohort_report(g, within_years=9000)
    assert sum(r.paid_forward for r in rows) == g.summary()["paid_forward"]


@settings(max_examples=150, deadline=None)
@given(GRAPHS, st.integers(0, 4))
def test_a_wider_window_never_counts_fewer(ms, n):
    g = MentorshipGraph.from_mentorships(ms)
    narrow = {r.group: r.paid_forward for r in cohort_report(g, within_years=n)}
    wide = {r.group: r.paid_forward for r in cohort_report(g, within_years=n + 1)}
    assert all(narrow[k] <= wide[k] for k in narrow)


def test_next_years_cohort_counts_whatever_day_it_starts():
    # 2022-23 fellows begin 1 Sept 2022; they mentor in the 2023-24 cohort, begun 370 days later.
    ms = [
        Mentorship(id="m1", mentor_id="ana", mentee_id="ben", start=D(2022, 9, 1), cohort_id="c22"),
        Mentorship(id="m2", mentor_id="ben", mentee_id="cy", start=D(2023, 9, 6), cohort_id="c23"),
        Mentorship(id="m3", mentor_id="ana", mentee_id="dee", start=D(2022, 9, 1), cohort_id="c22"),
        Mentorship(id="m4", mentor_id="dee", mentee_id="eve", start=D(2024, 7, 1), cohort_id="c24"),
    ]
    rows = {r.group: r for r in cohort_report(MentorshipGraph.from_mentorships(ms))}
    assert rows["c22"].paid_forward == 1  # ben, in the following school year; dee two years on
    assert rows["c22"].mentees == 2
    only_this_year = {r.group: r for r in cohort_report(MentorshipGraph.from_mentorships(ms),
                                                        within_years=0)}  # fmt: skip
    assert only_this_year["c22"].paid_forward == 0


def test_the_demo_and_the_graph_count_the_same_people_when_one_program_runs():
    d = synthetic.district(seed=3, staff=200, years=3, sessions_per_mentorship=0)
    fellows = [m for m in d.mentorships if m.program_id == "prog-fellows"]
    alone = attrs.evolve(d, mentorships=fellows)
    text = alone.summary(policy=DisclosurePolicy(min_cell=1))  # the counts themselves
    rows = cohort_report(MentorshipGraph.from_mentorships(fellows))
    # One program, one cohort a school year: the demo's school-year line is the cohort's row.
    assert len(rows) >= 3
    for row in rows[:-1]:
        year = min(m.start for m in fellows if m.cohort_id == row.group)
        sy = year.year if year.month >= 7 else year.year - 1
        assert f"{sy}-{(sy + 1) % 100:02d} mentees: {row.paid_forward} of {row.mentees}" in text
