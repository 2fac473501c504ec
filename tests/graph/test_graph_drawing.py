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


def _tree() -> MentorshipGraph:
    d = dt.date
    ms = [
        Mentorship(id="m1", mentor_id="root", mentee_id="a", start=d(2020, 9, 1)),
        Mentorship(id="m2", mentor_id="root", mentee_id="b", start=d(2020, 9, 1)),
        Mentorship(id="m3", mentor_id="a", mentee_id="c", start=d(2021, 9, 1)),
        Mentorship(id="m4", mentor_id="a", mentee_id="d", start=d(2021, 9, 1)),
        Mentorship(id="m5", mentor_id="b", mentee_id="e", start=d(2021, 9, 1)),
        Mentorship(id="m6", mentor_id="e", mentee_id="f", start=d(2022, 9, 1)),
    ]
    people = [Person(id=p, name="Ana Ruiz" if p in "cf" else f"Person {p}")
              for p in ("root", "a", "b", "c", "d", "e", "f")]  # fmt: skip
    return MentorshipGraph.from_mentorships(ms, people=people)


def test_people_of_one_name_are_told_apart_by_id():
    ax = _tree().draw_lineage("root")
    try:
        texts = {t.get_text() for t in ax.texts}
        assert {"Ana Ruiz (c)", "Ana Ruiz (f)"} <= texts
        assert "Person a" in texts
    finally:
        plt.close(ax.figure)


def test_children_hang_under_their_parent():
    from mentorkit.graph._draw import layout_by_generation

    pos = layout_by_generation(_tree(), "root")
    assert pos["f"][0] == pos["e"][0] == pos["b"][0]  # an only child sits under its parent
    assert min(pos["c"][0], pos["d"][0]) < pos["a"][0] < max(pos["c"][0], pos["d"][0])
    assert pos["root"] == (0.0, 0.0)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(1, 12), min_size=1, max_size=4))
def test_every_parent_is_over_its_children_and_rows_keep_a_column_apart(sizes):
    from mentorkit.graph._draw import layout_by_generation

    graph = _lineage(sizes)
    pos = layout_by_generation(graph, "root")
    for y in {y for _, y in pos.values()}:
        row = sorted(x for x, yy in pos.values() if yy == y)
        assert all(b - a >= 1 for a, b in itertools.pairwise(row))
    # Each person's parent in the drawing is their leftmost mentor in the row above; a
    # parent sits between its leftmost and rightmost child.
    below: dict[str, list[float]] = {}
    for p, (x, y) in pos.items():
        if p != "root":
            above = [u for u in graph.nx.predecessors(p) if u in pos and pos[u][1] == y + 1]
            below.setdefault(min(above, key=lambda u: pos[u][0]), []).append(x)
    for parent, xs in below.items():
        assert min(xs) <= pos[parent][0] <= max(xs)


def test_savefig_keeps_the_generation_labels_inside_the_figure(tmp_path):
    ax = _lineage([2, 2, 2]).draw_lineage("root")
    try:
        fig = ax.figure
        fig.savefig(tmp_path / "lineage.png")
        renderer = fig.canvas.get_renderer()
        page = fig.bbox
        for t in [*ax.get_yticklabels(), ax.title]:
            box = t.get_window_extent(renderer)
            assert box.x0 >= page.x0 - 1
            assert box.x1 <= page.x1 + 1
            assert box.y1 <= page.y1 + 1
    finally:
        plt.close(ax.figure)
