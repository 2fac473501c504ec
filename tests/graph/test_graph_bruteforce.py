"""The one-sweep metrics and per-person searches against exhaustive chain enumeration."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import attrs
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
    brute = Brute(ms, weights)
    table = compute_metrics(list(g.nx.nodes), ms, weights, representation=representation)
    assert g.metrics() == table
    assert set(table) == set(g.nx.nodes)
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
