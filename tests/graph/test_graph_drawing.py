"""The lineage drawing stays legible in big generations: no two names overlap."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.graph import MentorshipGraph
from mentorkit.model import Mentorship, Person

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")

FIRST = ["Amara", "Bartholomew", "Chen", "Dolores", "Esperanza", "Fitzgerald", "Guadalupe"]
LAST = ["Mensah", "Okonkwo-Smith", "Tanaka", "Vandenberghe", "Ruiz", "Kowalczyk"]


def _lineage(sizes: list[int]) -> MentorshipGraph:
    """A root whose generation k holds sizes[k-1] people, each mentored by someone above."""
    names = (f"{a} {b}" for a, b in itertools.cycle(itertools.product(FIRST, LAST)))
    people = [Person(id="root", name="Rosa Root")]
    ms = []
    above = ["root"]
    for k, size in enumerate(sizes, start=1):
        row = [f"g{k}-{i}" for i in range(size)]
        for i, pid in enumerate(row):
            people.append(Person(id=pid, name=next(names)))
            ms.append(Mentorship(id=f"m-{pid}", mentor_id=above[i % len(above)], mentee_id=pid,
                                 start=dt.date(2015 + k, 9, 1)))  # fmt: skip
        above = row
    return MentorshipGraph.from_mentorships(ms, people=people)


def _overlaps(ax) -> list[tuple[str, str]]:
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts]
    return [
        (a, b)
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
        if box_a.overlaps(box_b)
    ]


def test_thirty_five_descendants_in_one_generation_have_separate_labels():
    graph = _lineage([35, 4])
    ax = graph.draw_lineage("root")
    try:
        assert len(ax.texts) == 1 + 35 + 4
        assert _overlaps(ax) == []
    finally:
        plt.close(ax.figure)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(1, 60), min_size=1, max_size=3))
def test_no_two_names_overlap_whatever_the_generation_sizes(sizes):
    graph = _lineage(sizes)
    ax = graph.draw_lineage("root")
    try:
        assert _overlaps(ax) == []
    finally:
        plt.close(ax.figure)
