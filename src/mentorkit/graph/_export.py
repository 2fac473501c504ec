"""Exports of a mentorship graph: GraphML, GEXF, node-link and Cytoscape.js JSON, DataFrames.

Each format is checked against its consumer in the tests: GEXF against the official GEXF 1.2
schema and graphology's reader, GraphML with python-igraph, the Cytoscape.js elements with
Cytoscape.js itself, the node-link data in the ``links`` layout D3's force examples read.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from mentorkit._files import write_file
from mentorkit._optional import require as require  # graph modules import it from here
from mentorkit.errors import ValidationError

if TYPE_CHECKING:
    import pandas as pd

    from mentorkit.graph._graph import MentorshipGraph


def _flat_value(value: Any) -> str | int | float | bool | None:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _flat(attrs_: Mapping[str, Any]) -> dict[str, str | int | float | bool]:
    out: dict[str, str | int | float | bool] = {}
    for k, v in attrs_.items():
        fv = _flat_value(v)
        if fv is not None and fv != "":  # an unknown title is left out, not written empty
            out[k] = fv
    return out


def _sensitive(graph: MentorshipGraph, pid: str) -> dict[str, str]:
    person = graph.people.get(pid)
    if person is None:
        return {}
    extra: dict[str, str] = {}
    if person.email is not None:
        extra["email"] = person.email
    for k, v in (person.demographics or {}).items():
        extra[f"demographics.{k}"] = str(v)
    return extra


def flat_graph(graph: MentorshipGraph, *, include_sensitive: bool = False) -> nx.MultiDiGraph[str]:
    """A copy of ``graph.nx`` with attributes GraphML and GEXF can hold."""
    people = graph.people
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for pid, data in graph.nx.nodes(data=True):
        node = _flat(data)
        if include_sensitive and pid in people:
            node.update(_sensitive(graph, pid))
        g.add_node(pid, **node)
    for u, v, key, data in graph.nx.edges(keys=True, data=True):
        g.add_edge(u, v, key=key, **_flat(data))
    return g


def _labelled(
    graph: MentorshipGraph, *, include_sensitive: bool, edge_ids: bool = True
) -> nx.MultiDiGraph[str]:
    """The flat graph with the labels and ids viewers show and key things by.

    Each node's ``label`` is the person's name (the id when no name is known); with
    ``edge_ids`` each edge's ``id`` is its mentorship id.
    """
    g = flat_graph(graph, include_sensitive=include_sensitive)
    for pid, data in g.nodes(data=True):
        data["label"] = data.get("name") or pid
    if edge_ids:
        for _, _, key, data in g.edges(keys=True, data=True):
            data["id"] = key
    return g


def _gexf_tree(g: nx.MultiDiGraph[str]) -> Any:
    # networkx's writer puts a ``name`` attribute on <graph>, which the GEXF 1.2 schema does
    # not allow (strict readers refuse the file); mentorship start and end go out as the
    # edges' ``start``/``end`` spell attributes (``timeformat="date"``, mode dynamic).
    writer = nx.readwrite.gexf.GEXFWriter(version="1.2draft")
    writer.add_graph(g)
    for element in writer.xml.iter("graph"):
        element.attrib.pop("name", None)
    # networkx also writes each edge's key as a ``networkx_key`` attribute: here the key is
    # the mentorship id, already the edge's ``id`` and ``mentorship_id``. Leave it out.
    for attributes in writer.xml.iter("attributes"):
        for attribute in list(attributes):
            if attribute.get("title") == "networkx_key":
                attributes.remove(attribute)
                key_id = attribute.get("id")
                for values in writer.xml.iter("attvalues"):
                    for value in list(values):
                        if value.get("for") == key_id:
                            values.remove(value)
    return writer


# Characters XML 1.0 cannot hold at all (not even escaped): C0 controls but tab, CR and LF,
# lone surrogates, U+FFFE and U+FFFF. A name pasted from a spreadsheet can carry them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(g: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """Replace characters XML cannot hold by U+FFFD in every text attribute."""
    items = [*(d for _, d in g.nodes(data=True)), *(d for *_, d in g.edges(data=True))]
    for data in items:
        for k, v in data.items():
            if isinstance(v, str) and _NOT_XML.search(v):
                data[k] = _NOT_XML.sub("\ufffd", v)
    return g


#: The file name endings each format is written under (a GEXF file named .png is a mistake).
_SUFFIXES = {"graphml": (".graphml", ".xml"), "gexf": (".gexf",)}


def write(
    graph: MentorshipGraph,
    path: str | os.PathLike[str],
    fmt: Literal["graphml", "gexf"],
    *,
    include_sensitive: bool = False,
) -> None:
    """Write the flattened graph in ``fmt``; I/O errors become ``StorageError``.

    The file is written atomically and owner-only (it names people), like every file
    mentorkit writes.
    """
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if suffix not in _SUFFIXES[fmt]:
        raise ValidationError(f"must end in {' or '.join(_SUFFIXES[fmt])} to hold {fmt}",
                              field="path", value=os.fspath(path))  # fmt: skip
    g = _xml_safe(_labelled(graph, include_sensitive=include_sensitive, edge_ids=fmt == "gexf"))
    buffer = io.BytesIO()
    if fmt == "graphml":
        # Keys named after their attribute and typed from the values (ints stay integers);
        # each <edge id> is its mentorship id.
        nx.write_graphml(
            g,
            buffer,
            named_key_ids=True,
            infer_numeric_types=True,
            edge_id_from_attribute="mentorship_id",
        )
    else:
        _gexf_tree(g).write(buffer)
    write_file(os.fspath(path), buffer.getvalue(), label=f"{fmt} to {str(path)!r}")


def node_link(graph: MentorshipGraph, *, include_sensitive: bool = False) -> dict[str, Any]:
    """Node-link data of the flattened graph (JSON-ready), edges under ``links``."""
    g = _labelled(graph, include_sensitive=include_sensitive)
    # D3's force examples read ``links``; networkx's own default is moving to ``edges``.
    data: dict[str, Any] = nx.node_link_data(g, edges="links")
    return data


def to_cytoscape(graph: MentorshipGraph, *, include_sensitive: bool = False) -> dict[str, Any]:
    """Cytoscape.js elements JSON (networkx's ``cytoscape_data``), JSON-ready."""
    g = _labelled(graph, include_sensitive=include_sensitive)
    # Cytoscape.js holds nodes and edges in one id space and drops an edge whose id is a
    # node's: such an edge gets ``<mentorship id>#edge`` (numbered if that is taken too);
    # ``mentorship_id`` always holds the mentorship id.
    taken = {str(pid) for pid in g.nodes} | {str(d["id"]) for *_, d in g.edges(data=True)}
    for _, _, d in g.edges(data=True):
        if str(d["id"]) in g:
            base = f"{d['id']}#edge"
            new_id, n = base, 1
            while new_id in taken:
                n += 1
                new_id = f"{base}{n}"
            taken.add(new_id)
            d["id"] = new_id
    data: dict[str, Any] = nx.cytoscape_data(g)
    return data


_EDGE_COLUMNS = (
    "mentorship_id", "mentor_id", "mentee_id", "kind", "start", "end", "program_id",
    "cohort_id", "group_id",
)  # fmt: skip


def to_pandas(
    graph: MentorshipGraph, *, include_sensitive: bool = False, metrics: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(nodes, edges)`` DataFrames; dates as pandas datetimes."""
    pd = require("pandas")
    people = graph.people
    rows = []
    for pid, data in graph.nx.nodes(data=True):
        row: dict[str, Any] = {"person_id": pid, **data}
        if include_sensitive and pid in people:
            row.update(_sensitive(graph, pid))
        rows.append(row)
    nodes = pd.DataFrame(rows)
    if nodes.empty:
        nodes = pd.DataFrame(columns=["person_id"])
    nodes = nodes.set_index("person_id")
    if metrics:
        frame = graph.metrics().to_pandas()
        nodes = nodes.drop(columns=[c for c in frame.columns if c in nodes.columns]).join(frame)
    edges = pd.DataFrame(
        [
            (m.id, m.mentor_id, m.mentee_id, m.kind.value, m.start, m.end, m.program_id,
             m.cohort_id, m.group_id)
            for m in graph.mentorships
        ],
        columns=list(_EDGE_COLUMNS),
    )  # fmt: skip
    edges["start"] = pd.to_datetime(edges["start"])
    edges["end"] = pd.to_datetime(edges["end"])
    return nodes, edges
