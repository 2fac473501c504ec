"""MentorshipGraph behaviour: building, snapshots, validation, reciprocity, privacy, views."""

from __future__ import annotations

import datetime as dt
import json
import sys
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from mentorkit.errors import NotFoundError, StorageError, ValidationError
from mentorkit.graph import MentorshipGraph, cohort_report, program_report
from mentorkit.model import Mentorship, MentorshipKind, Outcome, OutcomeKind, Person
from mentorkit.storage import MemoryStore, SQLiteStore

D = dt.date


def ms(i, mentor, mentee, start, **kw):
    return Mentorship(id=f"m{i}", mentor_id=mentor, mentee_id=mentee, start=start, **kw)


PEOPLE = [
    Person(
        id="ana",
        name="Ana Ruiz",
        title="Principal",
        email="ana@x.example",
        demographics={"gender": "female"},
    ),
    Person(
        id="ben",
        name="Ben Okafor",
        title="Teacher",
        supervisor_id="ana",
        email="ben@x.example",
        demographics={"gender": "male"},
    ),
    Person(id="cy", name="Cy Tanaka", title="Teacher"),
    Person(id="dee", name="Dee Khan", title="Teacher"),
    Person(id="eve", name="Eve Xu", title="Teacher"),
]
MENTORSHIPS = [
    ms(1, "ana", "ben", D(2021, 9, 1), end=D(2022, 6, 30), program_id="fellows", cohort_id="f21"),
    ms(2, "ben", "cy", D(2022, 9, 1), end=D(2023, 6, 30), program_id="fellows", cohort_id="f22"),
    ms(3, "ben", "dee", D(2020, 9, 1), end=D(2021, 6, 30), program_id="fellows", cohort_id="f20"),
    ms(
        4,
        "cy",
        "eve",
        D(2023, 9, 1),
        program_id="coaching",
        cohort_id="k23",
        kind=MentorshipKind.COACHING,
    ),
]
OUTCOMES = [
    Outcome(
        id="o1", person_id="ana", kind=OutcomeKind.STUDENTS_REACHED, date=D(2024, 6, 1), value=500
    ),
    Outcome(
        id="o2", person_id="cy", kind=OutcomeKind.STUDENTS_REACHED, date=D(2024, 6, 1), value=30
    ),
    Outcome(
        id="o3", person_id="dee", kind=OutcomeKind.STUDENTS_REACHED, date=D(2024, 6, 1), value=25
    ),
    Outcome(id="o4", person_id="ben", kind=OutcomeKind.PROMOTION, date=D(2022, 7, 1)),
]


@pytest.fixture
def graph():
    return MentorshipGraph.from_mentorships(MENTORSHIPS, people=PEOPLE, outcomes=OUTCOMES)


def test_edges_carry_the_mentorship_and_nodes_light_attributes_only(graph):
    assert graph.nx.number_of_edges() == 4
    data = graph.nx.edges["ana", "ben", "m1"]
    assert data["program_id"] == "fellows"
    assert data["start"] == D(2021, 9, 1)
    assert data["kind"] == "one_to_one"
    assert data["cohort_id"] == "f21"
    node = graph.nx.nodes["ana"]
    assert node["name"] == "Ana Ruiz"
    assert node["students_reached"] == 500
    assert "email" not in node
    assert "demographics" not in node


def test_a_mentees_earlier_mentees_are_not_descendants(graph):
    lin = graph.lineage("ana")
    assert lin.descendants == {"ben", "cy", "eve"}
    assert "dee" not in lin.descendants  # ben mentored dee before ana mentored ben
    assert lin.generations == {1: {"ben"}, 2: {"cy"}, 3: {"eve"}}
    assert graph.lineage("eve").ancestors == {"ana", "ben", "cy"}
    assert graph.lineage("dee").ancestors == {"ben"}


def test_metrics_reach_counts_each_descendant_once(graph):
    row = graph.metrics()["ana"]
    assert (row.descendants, row.depth, row.fecundity, row.fertility) == (3, 3, 1, 1)
    assert row.reach == 500 + 30  # dee's 25 students are not in ana's lineage
    assert graph.metrics()["ben"].reach == 30 + 25


def test_as_of_keeps_mentorships_begun_and_optionally_only_active_ones(graph):
    snap = graph.as_of(D(2022, 12, 31))
    assert {m.id for m in snap.mentorships} == {"m1", "m2", "m3"}
    active = graph.as_of(D(2022, 12, 31), active_only=True)
    assert {m.id for m in active.mentorships} == {"m2"}
    assert len(snap) == len(graph)  # the people stay


def test_as_of_rejects_a_non_date(graph):
    with pytest.raises(ValidationError) as err:
        graph.as_of("2022-13-01")
    assert err.value.field == "day"
    assert err.value.value == "2022-13-01"
    with pytest.raises(ValidationError, match="not a datetime") as err:
        graph.as_of(dt.datetime(2022, 1, 1, 12))
    assert err.value.field == "day"


def test_as_of_reads_an_iso_date_as_the_cli_does(graph):
    assert graph.as_of("2022-06-30").mentorships == graph.as_of(D(2022, 6, 30)).mentorships


def test_filter_by_program_and_kind(graph):
    assert {m.id for m in graph.filter(programs=["coaching"]).mentorships} == {"m4"}
    assert {m.id for m in graph.filter(kinds=["coaching"]).mentorships} == {"m4"}
    assert {m.id for m in graph.filter(cohorts=["f20", "f21"]).mentorships} == {"m1", "m3"}


def test_chains_from_a_person_follow_time(graph):
    chains = [[m.id for m in c] for c in graph.chains("ana")]
    assert chains == [["m1", "m2", "m4"]]
    assert list(graph.chains(max_chains=1))
    assert len(list(graph.chains(max_chains=1))) == 1


def test_unknown_person_raises_not_found_naming_the_id(graph):
    with pytest.raises(NotFoundError, match="'zed'"):
        graph.lineage("zed")


def test_bad_inputs_name_the_field_and_value():
    with pytest.raises(ValidationError) as err:
        MentorshipGraph.from_mentorships([MENTORSHIPS[0], "m2"])
    assert err.value.field == "mentorships[1]"
    assert err.value.value == "str"
    with pytest.raises(ValidationError) as err:
        MentorshipGraph.from_mentorships([MENTORSHIPS[0], MENTORSHIPS[0]])
    assert err.value.field == "mentorships[1].id"
    assert err.value.value == "m1"
    with pytest.raises(ValidationError) as err:
        MentorshipGraph.from_mentorships([], people=[MENTORSHIPS[0]])
    assert err.value.field == "people[0]"


def test_problems_report_reciprocal_overlap_but_not_peers_or_sequences():
    g = MentorshipGraph.from_mentorships(
        [
            ms(1, "a", "b", D(2022, 9, 1), end=D(2023, 6, 1)),
            ms(2, "b", "a", D(2023, 1, 1), end=D(2023, 6, 1)),  # overlaps m1, same kind
            ms(3, "c", "d", D(2022, 9, 1), kind=MentorshipKind.PEER),
            ms(4, "d", "c", D(2022, 9, 1), kind=MentorshipKind.PEER),  # peers: fine
            ms(5, "e", "f", D(2020, 9, 1), end=D(2021, 6, 1)),
            ms(6, "f", "e", D(2022, 9, 1)),  # later, no overlap: fine
            ms(7, "g", "h", D(2022, 9, 1)),
            ms(8, "h", "g", D(2022, 9, 1), kind=MentorshipKind.REVERSE),  # other kind: fine
        ]
    )
    problems = g.problems()
    assert [(p.code, p.mentorship_ids) for p in problems] == [("reciprocal_overlap", ("m1", "m2"))]
    assert "a mentors b" in problems[0].message


def test_problems_report_mentorships_naming_unknown_people():
    g = MentorshipGraph.from_mentorships([ms(1, "ana", "zed", D(2022, 9, 1))], people=PEOPLE)
    assert [(p.code, p.person_ids) for p in g.problems()] == [("unknown_person", ("zed",))]


def test_reciprocity_overall_by_program_and_through_a_backend():
    g = MentorshipGraph.from_mentorships(
        [
            ms(1, "a", "b", D(2022, 9, 1), program_id="p1"),
            ms(2, "b", "a", D(2023, 9, 1), program_id="p1", kind=MentorshipKind.REVERSE),
            ms(3, "a", "c", D(2022, 9, 1), program_id="p2"),
        ]
    )
    overall = g.reciprocity()
    assert overall == pytest.approx(
        nx.reciprocity(nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")]))
    )
    assert g.reciprocity(by_program=True) == {"p1": 1.0, "p2": 0.0}
    assert g.reciprocity(backend="networkx") == overall
    assert g.reciprocal_pairs() == [("a", "b")]
    assert g.kinds()["reverse"] == 1
    with pytest.raises(ValidationError) as err:
        g.reciprocity(backend="no-such-backend")
    assert err.value.field == "backend"
    assert err.value.value == "no-such-backend"


def test_graphml_drops_sensitive_fields_unless_asked(graph, tmp_path):
    path = tmp_path / "g.graphml"
    graph.write_graphml(path)
    text = path.read_text()
    assert "ana@x.example" not in text
    assert "female" not in text
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.nodes["ana"]["name"] == "Ana Ruiz"
    edge = next(d for _, _, d in back.edges(data=True) if d["mentorship_id"] == "m1")
    assert edge["start"] == "2021-09-01"
    assert edge["end"] == "2022-06-30"
    no_end = next(d for _, _, d in back.edges(data=True) if d["mentorship_id"] == "m4")
    assert "end" not in no_end  # None is left out, not written as "None"
    graph.write_graphml(path, include_sensitive=True)
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.nodes["ana"]["email"] == "ana@x.example"
    assert back.nodes["ana"]["demographics.gender"] == "female"


def test_gexf_round_trips_through_networkx(graph, tmp_path):
    path = tmp_path / "g.gexf"
    graph.write_gexf(path)
    root = ET.parse(path).getroot()
    assert root.tag.endswith("gexf")
    back = nx.read_gexf(path)
    assert back.number_of_edges() == 4
    assert "female" not in path.read_text()


def test_writing_to_a_missing_directory_raises_storage_error(graph, tmp_path):
    with pytest.raises(StorageError, match="graphml"):
        graph.write_graphml(tmp_path / "missing" / "g.graphml")


def test_node_link_is_json_ready(graph):
    data = graph.node_link()
    text = json.dumps(data)
    assert "ana@x.example" not in text
    assert {e["mentorship_id"] for e in data["links"]} == {"m1", "m2", "m3", "m4"}
    assert {n["id"] for n in data["nodes"]} == {p.id for p in PEOPLE}


def test_pseudonymise_is_keyed_and_stable_and_keeps_the_structure(graph):
    a = graph.pseudonymise(key="a sufficiently long key")
    b = graph.pseudonymise(key=b"a sufficiently long key")
    c = graph.pseudonymise(key="another sufficiently long key")
    assert a.person_ids == b.person_ids
    assert set(a.person_ids).isdisjoint(c.person_ids)
    assert set(a.person_ids).isdisjoint(p.id for p in PEOPLE)
    text = json.dumps(a.node_link(include_sensitive=True))
    assert "Ana Ruiz" not in text
    assert "ana@x.example" not in text
    assert "female" not in text
    assert sorted(r.descendants for r in a.metrics().values()) == sorted(
        r.descendants for r in graph.metrics().values()
    )
    assert sorted(r.reach for r in a.metrics().values()) == sorted(
        r.reach for r in graph.metrics().values()
    )


def test_pseudonymise_refuses_a_short_key(graph):
    with pytest.raises(ValidationError) as err:
        graph.pseudonymise(key="short")
    assert err.value.field == "key"
    assert "short" not in str(err.value)


def test_to_pandas_gives_node_and_edge_frames(graph):
    nodes, edges = graph.to_pandas(metrics=True)
    assert set(nodes.index) == {p.id for p in PEOPLE}
    assert "email" not in nodes.columns
    assert "demographics.gender" not in nodes.columns
    assert nodes.loc["ana", "descendants"] == 3
    assert len(edges) == 4
    assert str(edges["start"].dtype).startswith("datetime64")
    nodes, _ = graph.to_pandas(include_sensitive=True)
    assert nodes.loc["ben", "demographics.gender"] == "male"


def test_missing_pandas_names_the_extra(graph, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ModuleNotFoundError, match=r"mentorkit\[notebook\]"):
        graph.to_pandas()
    with pytest.raises(ModuleNotFoundError, match=r"mentorkit\[notebook\]"):
        graph.metrics().to_pandas()


def test_lineage_drawing_places_generations_on_rows(graph):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = graph.draw_lineage("ana")
    ys = sorted({round(y, 6) for coll in ax.collections for _, y in coll.get_offsets()})
    assert ys == [-3.0, -2.0, -1.0, 0.0]
    assert {t.get_text() for t in ax.texts} == {"Ana Ruiz", "Ben Okafor", "Cy Tanaka", "Eve Xu"}
    ax = graph.draw_lineage("ana", max_generations=1)
    assert {t.get_text() for t in ax.texts} == {"Ana Ruiz", "Ben Okafor"}
    plt.close("all")
    with pytest.raises(ValidationError) as err:
        graph.draw_lineage("ana", max_generations=-1)
    assert err.value.field == "max_generations"


def test_notebook_reprs_are_html_without_personal_data(graph):
    page = graph._repr_html_()
    assert "<table>" in page
    assert "Top 5 by reach" in page
    assert "ana@x.example" not in page
    assert "female" not in page
    table = graph.metrics()._repr_html_()
    assert table.count("<tr>") == 1 + 5
    assert repr(graph) == "<MentorshipGraph: 5 people, 4 mentorships>"


def test_metrics_top_ranks_and_rejects_unknown_metric(graph):
    assert [r.person_id for r in graph.metrics().top(2, by="reach")] == ["ana", "ben"]
    with pytest.raises(ValidationError) as err:
        graph.metrics().top(by="fame")
    assert err.value.field == "by"
    assert err.value.value == "fame"


def test_cohort_report_pay_it_forward_and_promotions(graph):
    rows = {r.group: r for r in cohort_report(graph, within_years=1)}
    assert rows["f21"].paid_forward == 1
    assert rows["f21"].pay_it_forward_rate == 1.0
    assert rows["f21"].promoted == 1
    assert rows["f21"].median_days_to_promotion == (D(2022, 7, 1) - D(2021, 9, 1)).days
    assert rows["f20"].paid_forward == 0  # dee never mentored
    assert rows["f22"].paid_forward == 1
    # k23 began in 2023-24, the last school year in the data: 2024-25 decides it, not yet seen.
    assert rows["k23"].paid_forward is None
    assert rows["k23"].pay_it_forward_rate is None
    assert rows["k23"].mentees == 1  # the other columns stay
    strict = {r.group: r for r in cohort_report(graph, within_years=0)}
    assert strict["f21"].paid_forward == 0  # ben mentored a year later, not within 0 years
    programs = {r.group: r for r in program_report(graph)}
    assert programs["fellows"].mentees == 3
    assert programs["fellows"].max_load == 2
    assert "<table>" in cohort_report(graph)._repr_html_()
    with pytest.raises(ValidationError) as err:
        cohort_report(graph, within_years=-1)
    assert err.value.field == "within_years"


@pytest.fixture(params=["memory", "sqlite"])
def store(request, tmp_path):
    s = MemoryStore() if request.param == "memory" else SQLiteStore(tmp_path / "m.db")
    s.put_many([*PEOPLE, *MENTORSHIPS, *OUTCOMES])
    yield s
    s.close()


def test_from_store_equals_from_entities(store, graph):
    built = MentorshipGraph.from_store(store)
    assert built.metrics() == graph.metrics()
    assert set(built.person_ids) == set(graph.person_ids)


def test_from_store_filters_programs_and_kinds(store):
    fellows = MentorshipGraph.from_store(store, programs=["fellows"])
    assert {m.id for m in fellows.mentorships} == {"m1", "m2", "m3"}
    assert set(fellows.person_ids) == {"ana", "ben", "cy", "dee"}
    coaching = MentorshipGraph.from_store(store, kinds=[MentorshipKind.COACHING])
    assert {m.id for m in coaching.mentorships} == {"m4"}
    with pytest.raises(ValidationError) as err:
        MentorshipGraph.from_store(store, kinds=["mentoring"])
    assert err.value.field == "kinds"
    assert err.value.value == "mentoring"


def test_lineage_drawing_leaves_out_mentorships_that_came_too_early():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    g = MentorshipGraph.from_mentorships(
        [
            ms(1, "r", "a", D(2021, 9, 1)),
            ms(2, "r", "b", D(2021, 9, 1)),
            ms(3, "a", "c", D(2022, 9, 1)),
            ms(4, "b", "c", D(2019, 9, 1)),  # before r mentored b: not part of r's lineage tree
        ]
    )
    ax = g.draw_lineage("r")
    segments = {tuple(map(tuple, line.get_xydata())) for line in ax.lines}
    assert len(segments) == 3
    plt.close("all")


def test_importing_the_graph_package_loads_no_optional_dependency():
    import subprocess

    code = (
        "import sys, mentorkit.graph; "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("size", [3, 5, 8])
def test_a_same_day_peer_circle_has_every_mentorship_in_its_longest_chain(size):
    import datetime as dt
    import itertools

    from mentorkit.graph import MentorshipGraph
    from mentorkit.model import Mentorship, MentorshipKind

    peers = [f"p{i}" for i in range(size)]
    circle = [
        Mentorship(id=f"m-{a}-{b}", mentor_id=a, mentee_id=b, start=dt.date(2024, 9, 1),
                   kind=MentorshipKind.PEER)
        for a, b in itertools.permutations(peers, 2)
    ]  # fmt: skip
    table = MentorshipGraph.from_mentorships(circle).metrics()
    # A full circle is balanced: one chain can use every mentorship exactly once.
    assert {table[p].depth for p in peers} == {size * (size - 1)}
    assert {table[p].descendants for p in peers} == {size - 1}  # everyone but oneself


def test_notebook_tables_name_the_top_people_and_show_loads_as_numbers(graph):
    page = graph._repr_html_()
    assert "<td>Ana Ruiz</td>" in page
    cohort_page = cohort_report(graph)._repr_html_()
    loads = [r.mean_load for r in cohort_report(graph)]
    assert 1.0 in loads  # a mean load of one mentee per mentor is 1.0, not 100%
    assert "<td>1.0</td>" in cohort_page
    assert "<td>100%</td>" in cohort_page  # a rate of 1.0 (f21 paid it forward) is a share
