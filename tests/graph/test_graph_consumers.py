"""Graph exports loaded by the tools users open them in, not only by networkx.

- GEXF: validated against the official GEXF 1.2 schema (tests/data/gexf, CC BY 4.0) and read
  by graphology-gexf (JavaScript, a reader independent of networkx's).
- GraphML: read by python-igraph.
- Cytoscape.js: the elements JSON loaded into headless Cytoscape.js.
- node-link: the ``links`` layout D3's force examples read.

The JavaScript readers live in tests/consumers (``npm ci --prefix tests/consumers``); without
node or those packages the tests skip locally and fail under ``CI=true``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorkit.graph import MentorshipGraph
from mentorkit.model import Mentorship, Outcome, OutcomeKind, Person

D = dt.date
DATA = Path(__file__).parents[1] / "data"
CONSUMERS = Path(__file__).parents[1] / "consumers"
# Characters XML 1.0 cannot hold; the writers replace them by U+FFFD.
NOT_XML = "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"

PEOPLE = [
    Person(id="p-1", name="Ana Ruiz", title="Principal", email="ana@x.example"),
    Person(id="p-2", name="Ben Okafor", title="Teacher", supervisor_id="p-1"),
    Person(id="p-3", name="Cy Tanaka"),
]
MENTORSHIPS = [
    Mentorship(id="m1", mentor_id="p-1", mentee_id="p-2", start=D(2021, 9, 1), end=D(2022, 6, 30)),
    Mentorship(id="m2", mentor_id="p-2", mentee_id="p-3", start=D(2022, 9, 1)),
    # Two mentorships between one pair: a multigraph, each edge keeps its own id.
    Mentorship(id="m3", mentor_id="p-2", mentee_id="p-3", start=D(2023, 9, 1)),
    Mentorship(id="m4", mentor_id="p-3", mentee_id="p-9", start=D(2024, 9, 1)),  # no Person
]
OUTCOMES = [
    Outcome(id="o1", person_id="p-1", kind=OutcomeKind.STUDENTS_REACHED, date=D(2024, 6, 1),
            value=500),
]  # fmt: skip


@pytest.fixture
def graph() -> MentorshipGraph:
    return MentorshipGraph.from_mentorships(MENTORSHIPS, people=PEOPLE, outcomes=OUTCOMES)


def _gexf_schema():
    etree = pytest.importorskip("lxml.etree")
    return etree, etree.XMLSchema(etree.parse(str(DATA / "gexf" / "gexf.xsd")))


def _node(kind: str, path: Path) -> dict:
    node = shutil.which("node")
    ready = node is not None and (CONSUMERS / "node_modules" / "cytoscape").is_dir()
    if not ready:
        why = "node and tests/consumers/node_modules (npm ci --prefix tests/consumers) are needed"
        if os.environ.get("CI"):
            pytest.fail(f"CI=true but {why}", pytrace=False)
        pytest.skip(why)
    done = subprocess.run(
        [node, str(CONSUMERS / "read.mjs"), kind, str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_gexf_is_valid_against_the_official_schema(graph, tmp_path):
    etree, schema = _gexf_schema()
    path = tmp_path / "g.gexf"
    graph.write_gexf(path)
    assert schema.validate(etree.parse(str(path))), schema.error_log
    # The schema is strict enough to catch what networkx writes by default.
    graph_el = etree.parse(str(path)).getroot().find("{http://www.gexf.net/1.2draft}graph")
    graph_el.set("name", "")
    assert not schema.validate(graph_el.getroottree())


def test_gexf_labels_are_names_and_ids_stay_ids_in_an_independent_reader(graph, tmp_path):
    path = tmp_path / "g.gexf"
    graph.write_gexf(path)
    seen = _node("gexf", path)
    assert {pid: n["label"] for pid, n in seen["nodes"].items()} == {
        "p-1": "Ana Ruiz", "p-2": "Ben Okafor", "p-3": "Cy Tanaka", "p-9": "p-9",
    }  # fmt: skip
    assert set(seen["edges"]) == {"m1", "m2", "m3", "m4"}
    m1 = seen["edges"]["m1"]
    assert (m1["source"], m1["target"], m1["kind"]) == ("p-1", "p-2", "one_to_one")
    assert seen["nodes"]["p-1"]["students_reached"] == 500
    assert "ana@x.example" not in path.read_text()


def test_gexf_dates_are_edge_spells(graph, tmp_path):
    etree, _ = _gexf_schema()
    path = tmp_path / "g.gexf"
    graph.write_gexf(path)
    ns = "{http://www.gexf.net/1.2draft}"
    root = etree.parse(str(path)).getroot()
    graph_el = root.find(f"{ns}graph")
    assert graph_el.get("timeformat") == "date"
    edges = {e.get("id"): e for e in root.iter(f"{ns}edge")}
    assert (edges["m1"].get("start"), edges["m1"].get("end")) == ("2021-09-01", "2022-06-30")
    assert (edges["m2"].get("start"), edges["m2"].get("end")) == ("2022-09-01", None)


def test_graphml_opens_in_igraph_with_typed_keys(graph, tmp_path):
    igraph = pytest.importorskip("igraph")
    path = tmp_path / "g.graphml"
    graph.write_graphml(path)
    g = igraph.Graph.Read_GraphML(str(path))
    assert g.is_directed()
    assert (g.vcount(), g.ecount()) == (4, 4)
    names = {v["id"]: v["label"] for v in g.vs}
    assert names == {"p-1": "Ana Ruiz", "p-2": "Ben Okafor", "p-3": "Cy Tanaka", "p-9": "p-9"}
    ana = g.vs.find(id="p-1")
    assert isinstance(ana["students_reached"], int | float)
    assert ana["students_reached"] == 500
    ends = {e["mentorship_id"]: (g.vs[e.source]["id"], g.vs[e.target]["id"]) for e in g.es}
    assert ends == {m.id: (m.mentor_id, m.mentee_id) for m in MENTORSHIPS}
    etree = pytest.importorskip("lxml.etree")
    keys = etree.parse(str(path)).getroot().findall("{http://graphml.graphdrawing.org/xmlns}key")
    types = {k.get("attr.name"): k.get("attr.type") for k in keys}
    assert types["students_reached"] in {"long", "int", "double"}
    assert types["name"] == "string"
    assert all(t is not None for t in types.values())


def test_cytoscape_js_loads_the_elements(graph, tmp_path):
    path = tmp_path / "cy.json"
    path.write_text(json.dumps(graph.to_cytoscape()))
    seen = _node("cytoscape", path)
    assert set(seen["nodes"]) == {"p-1", "p-2", "p-3", "p-9"}
    assert seen["nodes"]["p-2"]["name"] == "Ben Okafor"
    assert set(seen["edges"]) == {"m1", "m2", "m3", "m4"}
    assert seen["roots"] == ["p-1"]


def test_cytoscape_js_refuses_node_link_data_so_it_is_not_offered_for_it(graph, tmp_path):
    path = tmp_path / "nl.json"
    path.write_text(json.dumps({"elements": graph.node_link()}))
    node = shutil.which("node")
    if node is None or not (CONSUMERS / "node_modules" / "cytoscape").is_dir():
        _node("cytoscape", path)  # skips (or fails under CI) with the reason
    done = subprocess.run(
        [node, str(CONSUMERS / "read.mjs"), "cytoscape", str(path)],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode != 0 or json.loads(done.stdout)["edges"] == {}


def test_node_link_uses_the_links_key_d3_reads(graph):
    data = json.loads(json.dumps(graph.node_link()))
    assert "edges" not in data
    assert {(ln["source"], ln["target"], ln["id"]) for ln in data["links"]} == {
        (m.mentor_id, m.mentee_id, m.id) for m in MENTORSHIPS
    }
    assert {n["id"]: n["label"] for n in data["nodes"]}["p-2"] == "Ben Okafor"


_ids = st.sampled_from(["a", "b", "c", "d", "e", "f"])


@given(
    pairs=st.lists(st.tuples(_ids, _ids).filter(lambda p: p[0] != p[1]), max_size=12),
    names=st.dictionaries(_ids, st.text(min_size=1, max_size=12).filter(str.strip)),
)
def test_every_gexf_export_is_schema_valid(tmp_path_factory, pairs, names):
    etree, schema = _gexf_schema()
    people = [Person(id=i, name=n) for i, n in names.items()]
    ms = [
        Mentorship(id=f"m{k}", mentor_id=u, mentee_id=v, start=D(2020 + k % 5, 9, 1))
        for k, (u, v) in enumerate(pairs)
    ]
    graph = MentorshipGraph.from_mentorships(ms, people=people)
    path = tmp_path_factory.mktemp("gexf") / "g.gexf"
    graph.write_gexf(path)
    doc = etree.parse(str(path))
    assert schema.validate(doc), schema.error_log
    labels = {n.get("id"): n.get("label") for n in doc.iter("{http://www.gexf.net/1.2draft}node")}
    expected = {pid: (names.get(pid) or pid) for pid in graph.person_ids}
    assert labels == {pid: re.sub(NOT_XML, "\ufffd", label) for pid, label in expected.items()}


def test_cytoscape_js_keeps_a_mentorship_whose_id_is_also_a_person_id(tmp_path):
    # Ids numbered per table (a spreadsheet's row numbers) repeat across people and
    # mentorships; Cytoscape.js wants one id space for all elements and silently dropped
    # the edge whose id was already a node's.
    people = [Person(id="1", name="Ana"), Person(id="2", name="Ben")]
    ms = [
        Mentorship(id="1", mentor_id="1", mentee_id="2", start=D(2021, 9, 1)),
        Mentorship(id="2", mentor_id="2", mentee_id="1", start=D(2022, 9, 1)),
        Mentorship(id="1#edge", mentor_id="1", mentee_id="2", start=D(2023, 9, 1)),
    ]
    graph = MentorshipGraph.from_mentorships(ms, people=people)
    path = tmp_path / "cy.json"
    path.write_text(json.dumps(graph.to_cytoscape()))
    seen = _node("cytoscape", path)
    assert set(seen["nodes"]) == {"1", "2"}
    ends = {e["mentorship_id"]: (e["source"], e["target"]) for e in seen["edges"].values()}
    assert ends == {m.id: (m.mentor_id, m.mentee_id) for m in ms}
    assert not set(seen["edges"]) & set(seen["nodes"])
    assert seen["edges"]["1#edge"]["mentorship_id"] == "1#edge"  # unclashed ids stay ids
