"""One time-respecting definition of "went on to mentor", with school-year windows."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit import synthetic
from mentorkit.errors import ValidationError
from mentorkit.graph import MentorshipGraph, cohort_report, program_report
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


# A mentorship between two people of their own, 8,000 years on, in a cohort of its own: the
# data then runs far enough for a window of thousands of years to have ended within it.
FAR = Mentorship(id="far", mentor_id="y", mentee_id="z", start=D(9998, 9, 1), cohort_id="far")


@settings(max_examples=150, deadline=None)
@given(GRAPHS)
def test_one_group_with_no_window_limit_agrees_with_the_summary(ms):
    g = MentorshipGraph.from_mentorships([attrs.evolve(m, cohort_id=None) for m in ms] + [FAR])
    rows = cohort_report(g, within_years=7900, as_of=D.max)
    assert sum(r.paid_forward or 0 for r in rows if r.group is None) == len(brute_went_on(ms))
    assert all(r.paid_forward is not None for r in rows if r.group is None)


@settings(max_examples=150, deadline=None)
@given(GRAPHS, st.integers(0, 4))
def test_a_wider_window_never_counts_fewer(ms, n):
    g = MentorshipGraph.from_mentorships(ms)
    narrow = {r.group: r.paid_forward for r in cohort_report(g, within_years=n)}
    wide = {r.group: r.paid_forward for r in cohort_report(g, within_years=n + 1)}
    for k, count in wide.items():
        if count is not None:  # a window that ended ends sooner when narrower: known too
            assert narrow[k] is not None
            assert narrow[k] <= count


def end_of_year(day: dt.date, later: int = 0) -> dt.date:
    """30 June of the school year ``later`` years after ``day``'s (school years from 1 July)."""
    return D((day.year if day.month >= 7 else day.year - 1) + later + 1, 6, 30)


def brute_rows(ms: list[Mentorship], n: int, as_of: dt.date | None) -> dict[str | None, tuple]:
    """Per cohort: (count or None, mentees), from the definitions, one mentee at a time."""
    last = max(m.start for m in ms)
    until = min(end_of_year(last), dt.date.today() if as_of is None else as_of)
    out: dict[str | None, tuple] = {}
    for c in {m.cohort_id for m in ms}:
        mine = [m for m in ms if m.cohort_id == c]
        mentees = {m.mentee_id for m in mine}
        first = {p: min(m.start for m in mine if m.mentee_id == p) for p in mentees}
        count = sum(
            any(m.mentor_id == p and s <= m.start <= end_of_year(s, n) for m in ms)
            for p, s in first.items()
        )
        known = all(end_of_year(s, n) <= until for s in first.values())
        out[c] = (count if known else None, len(first))
    return out


COHORTED = st.lists(
    mentorships(people=st.sampled_from("abcdef"), starts=STARTS), min_size=1, max_size=14,
    unique_by=lambda m: m.id,
).map(lambda ms: [attrs.evolve(m, cohort_id=f"c{m.start.year % 3}") for m in ms])  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(COHORTED, st.integers(0, 3), st.none() | st.dates(D(2018, 1, 1), D(2031, 12, 31)))
def test_no_count_for_a_window_the_data_has_not_reached_and_the_same_count_otherwise(ms, n, as_of):
    g = MentorshipGraph.from_mentorships(ms)
    want = brute_rows(ms, n, as_of)
    for row in cohort_report(g, within_years=n, as_of=as_of):
        count, mentees = want[row.group]
        assert (row.paid_forward, row.mentees) == (count, mentees)
        if count is None:
            assert row.pay_it_forward_rate is None
        else:
            assert row.pay_it_forward_rate == count / mentees
    # A known count is the count with every window observed: as_of only ever withholds it.
    everything = {r.group: r.paid_forward for r in cohort_report(g, within_years=n, as_of=D.max)}
    for row in cohort_report(g, within_years=n, as_of=as_of):
        if row.paid_forward is not None:
            assert everything[row.group] == row.paid_forward


def test_the_last_cohort_is_not_yet_known_never_zero():
    ms = [
        Mentorship(id="m1", mentor_id="ana", mentee_id="ben", start=D(2022, 9, 1), cohort_id="c22"),
        Mentorship(id="m2", mentor_id="ben", mentee_id="cy", start=D(2023, 9, 6), cohort_id="c23"),
    ]
    g = MentorshipGraph.from_mentorships(ms)
    rows = {r.group: r for r in cohort_report(g)}  # the data runs to 30 June 2024
    assert (rows["c22"].paid_forward, rows["c22"].pay_it_forward_rate) == (1, 1.0)
    assert (rows["c23"].paid_forward, rows["c23"].pay_it_forward_rate) == (None, None)
    assert (rows["c23"].mentees, rows["c23"].mentors) == (1, 1)  # the other columns stay
    # Told the data ends a day before c22's window does, c22 is not yet known either.
    early = {r.group: r for r in cohort_report(g, as_of=D(2024, 6, 29))}
    assert early["c22"].paid_forward is None
    assert {r.group: r.paid_forward for r in cohort_report(g, as_of=D(2024, 6, 30))}["c22"] == 1
    # A later as_of than the data cannot make 2024-25 known: the data ends with 2023-24.
    assert {r.group: r.paid_forward for r in cohort_report(g, as_of=D(2030, 1, 1))}["c23"] is None
    # The program report shares the rule: its latest mentee began in 2023-24.
    assert program_report(g)[0].paid_forward is None
    assert program_report(g, within_years=0)[0].paid_forward == 0  # known: ben mentored a year on
    table = cohort_report(g)
    assert "<td>-</td>" in table._repr_html_()


def test_as_of_must_be_a_date():
    g = MentorshipGraph.from_mentorships([
        Mentorship(id="m1", mentor_id="ana", mentee_id="ben", start=D(2022, 9, 1)),
    ])  # fmt: skip
    for bad in ("2024-01-01", dt.datetime(2024, 1, 1), 2024):
        with pytest.raises(ValidationError) as err:
            cohort_report(g, as_of=bad)  # type: ignore[arg-type]
        assert err.value.field == "as_of"
        with pytest.raises(ValidationError):
            program_report(g, as_of=bad)  # type: ignore[arg-type]


def test_to_pandas_keeps_not_yet_known_as_missing():
    pytest.importorskip("pandas")
    ms = [
        Mentorship(id="m1", mentor_id="ana", mentee_id="ben", start=D(2022, 9, 1), cohort_id="c22"),
        Mentorship(id="m2", mentor_id="ben", mentee_id="cy", start=D(2023, 9, 6), cohort_id="c23"),
    ]
    frame = cohort_report(MentorshipGraph.from_mentorships(ms)).to_pandas().set_index("group")
    assert frame.loc["c22", "paid_forward"] == 1
    assert frame["paid_forward"].isna().tolist() == [False, True]
    assert frame["pay_it_forward_rate"].isna().tolist() == [False, True]


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
