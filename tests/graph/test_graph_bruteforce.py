"""The one-sweep metrics and per-person searches against exhaustive chain enumeration."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.graph import GenealogyMetrics, MentorshipGraph
from mentorkit.model import Mentorship, MentorshipKind, Outcome, OutcomeKind

PEOPLE = ["a", "b", "c", "d", "e", "f"]
DAY0 = dt.date(2024, 1, 1)


@st.composite
def temporal_multigraphs(draw: st.DrawFn, max_edges: int = 9) -> list[Mentorship]:
    """Small random temporal multigraphs: few people and few distinct days, so same-day
    edges, parallel edges and cycles (in time and on one day) are common."""
    people = PEOPLE[: draw(st.integers(2, len(PEOPLE)))]
    days = draw(st.integers(1, 4))
    n = draw(st.integers(0, max_edges))
    out = []
    for i in range(n):
        mentor = draw(st.sampled_from(people))
        mentee = draw(st.sampled_from([p for p in people if p != mentor]))
        day = DAY0 + dt.timedelta(days=draw(st.integers(0, days - 1)))
        kind = draw(st.sampled_from(list(MentorshipKind)))
        out.append(Mentorship(id=f"m{i}", mentor_id=mentor, mentee_id=mentee, start=day, kind=kind))
    return out


def all_chains(ms: list[Mentorship]) -> list[tuple[Mentorship, ...]]:
    """Every chain (distinct mentorships, mentee->mentor links, non-decreasing starts)."""
    chains: list[tuple[Mentorship, ...]] = []

    def extend(chain: tuple[Mentorship, ...]) -> None:
        chains.append(chain)
        last = chain[-1]
        for m in ms:
            if m.mentor_id == last.mentee_id and m.start >= last.start and m not in chain:
                extend((*chain, m))

    for m in ms:
        extend((m,))
    return chains


class Brute:
    def __init__(self, ms: list[Mentorship], weights: dict[str, float]) -> None:
        self.ms = ms
        self.chains = all_chains(ms)
        self.weights = weights

    def descendants(self, p: str) -> set[str]:
        return {c[-1].mentee_id for c in self.chains if c[0].mentor_id == p} - {p}

    def ancestors(self, p: str) -> set[str]:
        return {c[0].mentor_id for c in self.chains if c[-1].mentee_id == p} - {p}

    def depth(self, p: str) -> int:
        return max((len(c) for c in self.chains if c[0].mentor_id == p), default=0)

    def ancestor_depth(self, p: str) -> int:
        return max((len(c) for c in self.chains if c[-1].mentee_id == p), default=0)

    def relationships(self, p: str) -> int:
        return len({m.id for c in self.chains if c[0].mentor_id == p for m in c})

    def children(self, p: str) -> dict[str, set[str]]:
        """Each mentee of p with the people they mentored after p's mentorship with them."""
        kids: dict[str, set[str]] = {m.mentee_id: set() for m in self.ms if m.mentor_id == p}
        for c in self.chains:
            if len(c) == 2 and c[0].mentor_id == p:
                kids[c[0].mentee_id].add(c[1].mentee_id)
        return kids

    def generations(self, p: str) -> dict[int, set[str]]:
        shortest: dict[str, int] = {}
        for c in self.chains:
            if c[0].mentor_id == p and c[-1].mentee_id != p:
                w = c[-1].mentee_id
                shortest[w] = min(shortest.get(w, 99), len(c))
        out: dict[int, set[str]] = defaultdict(set)
        for w, k in shortest.items():
            out[k].add(w)
        return dict(out)

    def cousins(self, p: str) -> set[str]:
        twos = [c for c in self.chains if len(c) == 2]
        found = set()
        for x in twos:
            if x[1].mentee_id != p:
                continue
            for y in twos:
                if y[0].mentor_id == x[0].mentor_id and y[0].mentee_id != x[0].mentee_id:
                    found.add(y[1].mentee_id)
        return found - {p}


def g_index(counts: list[int]) -> int:
    return max(
        (g for g in range(len(counts) + 1) if sum(1 for c in counts if c >= g) >= g), default=0
    )


weights_st = st.dictionaries(
    st.sampled_from(PEOPLE),
    st.integers(0, 500).map(float) | st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2)),
)


def graph_of(ms: list[Mentorship], weights: dict[str, float]) -> MentorshipGraph:
    outcomes = [
        Outcome(id=f"o-{p}", person_id=p, kind=OutcomeKind.STUDENTS_REACHED, date=DAY0, value=w)
        for p, w in weights.items()
    ]
    return MentorshipGraph.from_mentorships(ms, outcomes=outcomes)


@settings(max_examples=300)
@given(temporal_multigraphs(), weights_st, st.sampled_from(["auto", "sets", "bits"]))
def test_swept_metrics_equal_exhaustive_chain_search(ms, weights, representation):
    from mentorkit.graph._metrics import compute_metrics

    g = graph_of(ms, weights)
    table = compute_metrics(list(g.nx.nodes), ms, weights, representation=representation)
    assert g.metrics() == table
    assert set(table) == set(g.nx.nodes)
    assert_brute_force_values(ms, weights, table)


def assert_brute_force_values(
    ms: list[Mentorship], weights: dict[str, float], table: dict[str, GenealogyMetrics]
) -> None:
    """Every metric of every person equals the exhaustive chain search's."""
    brute = Brute(ms, weights)
    for p, r in table.items():
        # The records are filled slot by slot: they equal (and hash like) constructed ones.
        built = GenealogyMetrics(**attrs.asdict(r))
        assert r == built
        assert hash(r) == hash(built)
        assert repr(r) == repr(built)
        desc = brute.descendants(p)
        kids = brute.children(p)
        assert r.descendants == len(desc), p
        assert r.depth == brute.depth(p), p
        assert r.relationships == brute.relationships(p), p
        assert r.ancestors == len(brute.ancestors(p)), p
        assert r.ancestor_depth == brute.ancestor_depth(p), p
        assert r.fecundity == len({m.mentee_id for m in ms if m.mentor_id == p}), p
        assert r.mentors == len({m.mentor_id for m in ms if m.mentee_id == p}), p
        assert r.fertility == sum(1 for w in kids.values() if w), p
        assert r.genealogical_index == g_index([len(w) for w in kids.values()]), p
        assert r.cousins == len(brute.cousins(p)), p
        expected_reach = sum(weights.get(x, 0.0) for x in desc | {p})
        assert abs(r.reach - expected_reach) < 1e-6, p
        assert r.students_reached == weights.get(p, 0.0)


@given(temporal_multigraphs())
def test_lineage_searches_equal_exhaustive_chain_search(ms):
    g = graph_of(ms, {})
    brute = Brute(ms, {})
    for p in g.nx.nodes:
        lin = g.lineage(p)
        assert lin.descendants == brute.descendants(p)
        assert lin.ancestors == brute.ancestors(p)
        assert {k: set(v) for k, v in lin.generations.items()} == brute.generations(p)
        assert set().union(*lin.generations.values()) == lin.descendants
        assert g.metrics()[p].descendants == len(lin.descendants)


@given(temporal_multigraphs(max_edges=7))
def test_chains_are_the_maximal_chains_from_unprecedented_mentorships(ms):
    g = graph_of(ms, {})
    brute = all_chains(ms)

    def extendable(c):
        return any(
            m.mentor_id == c[-1].mentee_id and m.start >= c[-1].start and m not in c for m in ms
        )

    def preceded(m):
        return any(p.mentee_id == m.mentor_id and p.start <= m.start and p is not m for p in ms)

    expected = {tuple(m.id for m in c) for c in brute if not extendable(c) and not preceded(c[0])}
    got = [tuple(m.id for m in c) for c in g.chains()]
    assert len(got) == len(set(got))
    assert set(got) == expected
    for p in g.nx.nodes:
        mine = {tuple(m.id for m in c) for c in g.chains(p)}
        assert mine == {
            tuple(m.id for m in c) for c in brute if c[0].mentor_id == p and not extendable(c)
        }


@given(temporal_multigraphs(), st.integers(0, 4))
def test_as_of_keeps_exactly_the_mentorships_begun_by_the_day(ms, offset):
    day = DAY0 + dt.timedelta(days=offset)
    g = graph_of(ms, {}).as_of(day)
    assert {m.id for m in g.mentorships} == {m.id for m in ms if m.start <= day}
    assert {k for _, _, k in g.nx.edges(keys=True)} == {m.id for m in ms if m.start <= day}


@settings(max_examples=200)
@given(temporal_multigraphs(), weights_st)
def test_set_and_bitset_representations_give_the_same_metrics(ms, weights):
    from mentorkit.graph._metrics import compute_metrics

    people = sorted({p for m in ms for p in (m.mentor_id, m.mentee_id)} | {"z"})
    as_sets = compute_metrics(people, ms, weights, representation="sets")
    as_bits = compute_metrics(people, ms, weights, representation="bits")
    assert as_sets == as_bits
    assert as_sets["z"].descendants == 0
    assert as_sets["z"].reach == weights.get("z", 0.0)


# --- same-day and dense graphs (issue 14) ------------------------------------------------------


@st.composite
def same_day_graphs(
    draw: st.DrawFn, max_edges: int = 10, acyclic: bool = False
) -> list[Mentorship]:
    """Mentorships all starting on one day: dense, with parallel edges and (unless ``acyclic``,
    where every mentor comes before their mentee in a fixed order) cycles."""
    people = PEOPLE[: draw(st.integers(2, len(PEOPLE)))]
    pairs = [(a, b) for i, a in enumerate(people) for j, b in enumerate(people)
             if (i < j if acyclic else i != j)]  # fmt: skip
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=max_edges))
    return [
        Mentorship(id=f"m{i}", mentor_id=a, mentee_id=b, start=DAY0)
        for i, (a, b) in enumerate(chosen)
    ]


@settings(max_examples=200)
@given(
    st.one_of(same_day_graphs(), same_day_graphs(max_edges=14, acyclic=True)),
    weights_st,
    st.sampled_from(["auto", "sets", "bits"]),
)
def test_same_day_metrics_equal_exhaustive_chain_search(ms, weights, representation):
    from mentorkit.graph._metrics import compute_metrics

    g = graph_of(ms, weights)
    table = compute_metrics(list(g.nx.nodes), ms, weights, representation=representation)
    assert g.metrics() == table
    assert_brute_force_values(ms, weights, table)


@given(same_day_graphs(max_edges=30, acyclic=True), weights_st)
def test_a_same_day_genealogy_equals_the_same_edges_dated_by_generation(ms, weights):
    # On one day without a cycle every path is a chain; dating each mentorship by its mentor's
    # generation (longest path from a root) keeps every path a chain, so no metric may change.
    generation: dict[str, int] = {}
    for p in PEOPLE:  # the strategy's mentors come before their mentees in this order
        generation[p] = max((generation[m.mentor_id] + 1 for m in ms if m.mentee_id == p),
                            default=0)  # fmt: skip
    dated = [
        attrs.evolve(m, start=DAY0 + dt.timedelta(days=generation[m.mentor_id])) for m in ms
    ]
    assert graph_of(ms, weights).metrics() == graph_of(dated, weights).metrics()


@settings(max_examples=100)
@given(same_day_graphs(max_edges=9), st.integers(1, 30))
def test_past_the_search_budget_depths_are_upper_bounds_and_the_rest_exact(ms, budget):
    from mentorkit.graph import _metrics

    old = _metrics.TRAIL_SEARCH_BUDGET
    _metrics.TRAIL_SEARCH_BUDGET = budget
    try:
        table = graph_of(ms, {}).metrics()
    finally:
        _metrics.TRAIL_SEARCH_BUDGET = old
    exact = graph_of(ms, {}).metrics()
    brute = Brute(ms, {})
    for p, r in table.items():
        assert r.depth >= brute.depth(p) == exact[p].depth, p
        assert r.depth <= len(ms), p
        assert r.ancestor_depth >= brute.ancestor_depth(p) == exact[p].ancestor_depth, p
        assert attrs.evolve(r, depth=0, ancestor_depth=0) == attrs.evolve(
            exact[p], depth=0, ancestor_depth=0
        )


def peer_circle(n: int, *, extra: int = 0) -> list[Mentorship]:
    """Everyone mentors everyone else as peers, all from one day (``extra``: one more mentee
    of the first person, outside the circle, so the ways out of the circle differ)."""
    people = [f"p{i:03d}" for i in range(n)]
    ms = [
        Mentorship(id=f"m-{a}-{b}", mentor_id=a, mentee_id=b, start=DAY0,
                   kind=MentorshipKind.PEER)
        for a in people for b in people if a != b
    ]  # fmt: skip
    ms += [
        Mentorship(id=f"x{i}", mentor_id=people[0], mentee_id=f"out{i}", start=DAY0)
        for i in range(extra)
    ]
    return ms


@pytest.mark.parametrize("n", [3, 5, 8, 40, 80])
def test_a_same_day_peer_circle_has_exact_metrics(n):
    table = MentorshipGraph.from_mentorships(peer_circle(n)).metrics()
    assert len(table) == n
    edges = n * (n - 1)
    for r in table.values():
        # A balanced, strongly connected day: a closed chain through every mentorship
        # starts at everybody (an Euler circuit), and nobody has a way out.
        assert (r.depth, r.ancestor_depth, r.relationships) == (edges, edges, edges)
        assert (r.descendants, r.ancestors, r.fecundity, r.mentors) == (n - 1,) * 4
        assert (r.fertility, r.genealogical_index) == (n - 1, n - 1)
        assert r.cousins == (n - 1 if n >= 3 else 0)


def test_a_peer_circle_of_three_matches_the_exhaustive_search():
    ms = peer_circle(3, extra=1)
    assert_brute_force_values(ms, {}, dict(graph_of(ms, {}).metrics()))


@pytest.mark.parametrize("n", [5, 8, 40])
def test_a_peer_circle_with_a_way_out_is_exact_or_a_bound(n):
    table = MentorshipGraph.from_mentorships(peer_circle(n, extra=1)).metrics()
    edges = n * (n - 1)
    first = table["p000"]
    # From p000: round the circle, then out: the longest chain there is.
    assert first.depth == edges + 1
    for i in range(1, n):
        r = table[f"p{i:03d}"]
        # Round the circle but for the arc p000 -> p00i, ending at p000, then out; no chain
        # from p00i can use every mentorship and end at p000 (the circle is balanced).
        assert r.depth == edges
    assert table["out0"].ancestor_depth == edges + 1


def test_an_80_person_peer_circle_stays_within_1_gb(tmp_path):
    # Memory, not time: the computation runs in a child process whose address space is
    # capped at 1 GB (the old trail search needed over 24 GB here).
    script = tmp_path / "circle.py"
    script.write_text(
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "sys.path[:0] = " + repr(sys.path) + "\n"
        "from tests_circle import run\n"
        "run()\n"
    )
    (tmp_path / "tests_circle.py").write_text(
        "import datetime as dt\n"
        "from mentorkit.graph import MentorshipGraph\n"
        "from mentorkit.model import Mentorship\n"
        "def run():\n"
        "    people = [f'p{i}' for i in range(80)]\n"
        "    ms = [Mentorship(id=f'{a}-{b}', mentor_id=a, mentee_id=b,\n"
        "                     start=dt.date(2024, 1, 1), kind='peer')\n"
        "          for a in people for b in people if a != b]\n"
        "    ms.append(Mentorship(id='out', mentor_id='p0', mentee_id='q',\n"
        "                         start=dt.date(2024, 1, 1)))\n"
        "    t = MentorshipGraph.from_mentorships(ms).metrics()\n"
        "    print(t['p0'].depth, t['p1'].depth)\n"
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert list(map(int, result.stdout.split())) == [80 * 79 + 1, 80 * 79]


def few_day_random_graph(people: int, mentorships: int, days: int) -> list[Mentorship]:
    """Random mentorships among ``people`` over only ``days`` start days: large same-day cycles."""
    import random

    rng = random.Random(people)
    out = []
    for i in range(mentorships):
        a = rng.randrange(people)
        b = rng.randrange(people - 1)
        b += b >= a
        day = DAY0 + dt.timedelta(days=rng.randrange(days))
        out.append(Mentorship(id=f"m{i}", mentor_id=f"p{a}", mentee_id=f"p{b}", start=day))
    return out


def test_large_same_day_cycles_switch_to_bitsets_and_agree():
    from mentorkit.graph._metrics import compute_metrics

    ms = few_day_random_graph(300, 3_000, 3)
    people = [f"p{i}" for i in range(300)]
    auto = compute_metrics(people, ms, {}, representation="auto")
    assert auto == compute_metrics(people, ms, {}, representation="bits")
    assert auto == compute_metrics(people, ms, {}, representation="sets")


def test_3000_people_over_3_days_stay_within_1_gb(tmp_path):
    # Memory, not time: a child process capped at 1 GB of address space (each member of a
    # same-day cycle with its own copy of the cycle's sets needed many GB).
    script = tmp_path / "few_days.py"
    script.write_text(
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        f"sys.path[:0] = {sys.path!r}\n"
        "from test_graph_bruteforce import few_day_random_graph\n"
        "from mentorkit.graph import MentorshipGraph\n"
        "t = MentorshipGraph.from_mentorships(few_day_random_graph(3000, 30000, 3)).metrics()\n"
        "print(len(t), max(r.descendants for r in t.values()))\n"
    )
    here = str(Path(__file__).parent)
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path,
        check=False, env={**os.environ, "PYTHONPATH": here},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["3000", "2999"]
