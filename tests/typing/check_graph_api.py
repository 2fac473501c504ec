"""Pins the types of mentorkit.graph. Type-checked by ``mypy --strict``, never executed."""

import datetime as dt
from collections.abc import Iterator
from typing import Any, assert_type

import matplotlib.axes
import networkx as nx
import pandas as pd

from mentorkit.graph import (
    GenealogyMetrics,
    GraphProblem,
    Lineage,
    MentorshipGraph,
    MetricsTable,
    PipelineRow,
    PipelineTable,
    cohort_report,
    program_report,
)
from mentorkit.model import Mentorship
from mentorkit.storage import MemoryStore

m = Mentorship(id="m", mentor_id="a", mentee_id="b", start=dt.date(2024, 9, 1))
g = MentorshipGraph.from_mentorships([m])
assert_type(MentorshipGraph.from_store(MemoryStore(), programs=["p"]), MentorshipGraph)
assert_type(g.as_of(dt.date(2024, 1, 1)), MentorshipGraph)
assert_type(g.as_of("2024-01-01"), MentorshipGraph)
assert_type(g.lineage("a"), Lineage)
assert_type(g.lineage("a").descendants, frozenset[str])
assert_type(g.generations("a"), dict[int, frozenset[str]])
assert_type(g.chains(), Iterator[tuple[Mentorship, ...]])
assert_type(g.metrics(), MetricsTable)
assert_type(g.metrics()["a"], GenealogyMetrics)
assert_type(g.metrics()["a"].reach, float)
assert_type(g.metrics().top(3, by="descendants"), list[GenealogyMetrics])
assert_type(g.problems(), list[GraphProblem])
assert_type(g.pseudonymise(key="a long secret key here"), MentorshipGraph)
assert_type(g.node_link(), dict[str, Any])
assert_type(cohort_report(g), PipelineTable)
assert_type(program_report(g)[0], PipelineRow)
assert_type(cohort_report(g, within_years=1, as_of=dt.date(2024, 6, 30)), PipelineTable)
assert_type(program_report(g, as_of=None), PipelineTable)
assert_type(cohort_report(g)[0].paid_forward, int | None)  # None: not yet known
assert_type(cohort_report(g)[0].pay_it_forward_rate, float | None)

# Exports and notebook results carry their real types, not Any.
assert_type(g.nx, nx.MultiDiGraph[str])
assert_type(g.flat(), nx.MultiDiGraph[str])
assert_type(g.to_cytoscape(), dict[str, Any])
assert_type(g.to_pandas(), tuple[pd.DataFrame, pd.DataFrame])
assert_type(g.metrics().to_pandas(), pd.DataFrame)
assert_type(cohort_report(g).to_pandas(), pd.DataFrame)
assert_type(g.draw_lineage("a"), matplotlib.axes.Axes)
