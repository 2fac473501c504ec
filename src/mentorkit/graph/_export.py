"""Exports of a mentorship graph: GraphML, GEXF, node-link JSON and pandas DataFrames."""

from __future__ import annotations

import datetime as dt
import enum
import io
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from mentorkit._files import write_private
from mentorkit._optional import require as require  # graph modules import it from here
from mentorkit.errors import StorageError

if TYPE_CHECKING:
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
        if fv is not None:
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


def flat_graph(graph: MentorshipGraph, *, include_sensitive: bool = False) -> nx.MultiDiGraph:
    """A copy of ``graph.nx`` with attributes GraphML and GEXF can hold."""
    people = graph.people
    g = nx.MultiDiGraph()
    for pid, data in graph.nx.nodes(data=True):
        node = _flat(data)
        if include_sensitive and pid in people:
            node.update(_sensitive(graph, pid))
        g.add_node(pid, **node)
    for u, v, key, data in graph.nx.edges(keys=True, data=True):
        g.add_edge(u, v, key=key, **_flat(data))
    return g


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
    g = flat_graph(graph, include_sensitive=include_sensitive)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(g, buffer)
    else:
        nx.write_gexf(g, buffer)
    try:
        write_private(os.fspath(path), buffer.getvalue())
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise StorageError(f"cannot write {fmt} to {str(path)!r}: {why}") from exc


def node_link(graph: MentorshipGraph, *, include_sensitive: bool = False) -> dict[str, Any]:
    """Node-link data of the flattened graph (JSON-ready)."""
    g = flat_graph(graph, include_sensitive=include_sensitive)
    data: dict[str, Any] = nx.node_link_data(g, edges="edges")
    return data


_EDGE_COLUMNS = (
    "mentorship_id", "mentor_id", "mentee_id", "kind", "start", "end", "program_id",
    "cohort_id", "group_id",
)  # fmt: skip


def to_pandas(
    graph: MentorshipGraph, *, include_sensitive: bool = False, metrics: bool = False
) -> tuple[Any, Any]:
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
