"""`mentorkit graph`: no figure it prints gives a withheld one away (property tests)."""

from __future__ import annotations

import datetime as dt
import re

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.cli._graph import render
from mentorkit.graph import MentorshipGraph
from mentorkit.measurement import DisclosurePolicy
from mentorkit.testing.strategies import mentorships

D = dt.date
PEOPLE = st.sampled_from([f"p{i}" for i in range(14)])
ONE = mentorships(people=PEOPLE, starts=st.dates(D(2019, 1, 1), D(2023, 12, 31)))
GRAPHS = st.lists(
    st.tuples(ONE, st.sampled_from(["c1", "c2", "c3", None])).map(
        lambda mc: attrs.evolve(mc[0], cohort_id=mc[1])
    ),
    min_size=1,
    max_size=30,
    unique_by=lambda m: m.id,
)
HEADLINE = re.compile(
    r"^Mentorship graph: (\S+) people.*\n  mentors (\S+), mentees (\S+), mentees who went on "
    r"to mentor (?:(\S+) of (\S+) \(|- \(not yet known)",
    re.M,
)
ROW = re.compile(r"^  (.+?)\s+(\S+) of (\S+)\s+\(", re.M)


def _count(text: str) -> int | None:
    return None if text == "*" else int(text.replace(",", ""))


def _printed(ms, min_cell):
    graph = MentorshipGraph.from_mentorships(ms)
    out = render(graph, top=3, by="descendants", within_years=1,
                 policy=DisclosurePolicy(min_cell=min_cell), as_of=D(2026, 1, 1))  # fmt: skip
    head = HEADLINE.search(out)
    assert head, out
    cohorts = out.split("by cohort:\n")[1]
    rows = [(g, _count(f), _count(n)) for g, f, n in ROW.findall(cohorts)]
    return out, [_count(x) if x is not None else None for x in head.groups()], rows


@settings(max_examples=150, deadline=None)
@given(GRAPHS, st.integers(1, 6))
def test_every_count_printed_is_zero_or_at_least_min_cell(ms, min_cell):
    out, (people, mentors, mentees, went_on, of), rows = _printed(ms, min_cell)
    printed = [people, mentors, mentees, went_on, of]
    printed += [n for _, f, s in rows for n in (f, s)]
    small = [n for n in printed if n is not None and 0 < n < min_cell]
    assert not small, out


@settings(max_examples=150, deadline=None)
@given(GRAPHS, st.integers(2, 6))
def test_no_headline_total_gives_a_lone_withheld_cohort_count_away(ms, min_cell):
    out, (_, _, _, went_on, of), rows = _printed(ms, min_cell)
    if went_on and rows:  # (a total of 0 says each is 0: zeros describe nobody, and show)
        # A lone withheld count would be the headline's total less the published others.
        assert sum(f is None for _, f, _ in rows) != 1, out
    if of is not None and rows:
        assert sum(s is None for _, _, s in rows) != 1, out


@settings(max_examples=150, deadline=None)
@given(GRAPHS, st.integers(2, 6))
def test_mentors_mentees_and_people_never_reveal_a_small_overlap(ms, min_cell):
    out, (people, mentors, mentees, _, _), _ = _printed(ms, min_cell)
    if None not in (people, mentors, mentees):
        # Every person of a graph built from mentorships mentors or is mentored, so those
        # who do both are mentors + mentees - people: published, it must not be small.
        both = mentors + mentees - people
        assert not 0 < both < min_cell, out


def test_min_cell_one_withholds_nothing_and_says_nothing_of_withholding():
    from mentorkit.model import Mentorship

    one = [Mentorship(id="m1", mentor_id="a", mentee_id="b", start=D(2021, 9, 1),
                      cohort_id="c1")]  # fmt: skip
    graph = MentorshipGraph.from_mentorships(one)
    out = render(graph, top=3, by="descendants", within_years=1,
                 policy=DisclosurePolicy(min_cell=1), as_of=D(2026, 1, 1))  # fmt: skip
    assert "*" not in out
    assert "withheld" not in out
    assert "longest chain: 1 mentorship;" in out
    assert "1 mentorship (" in out
