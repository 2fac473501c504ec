"""The mentorship graph: snapshots in time, chains, lineages, genealogy metrics, exports.

A *chain* is a time-respecting path: mentorships ``m1, m2, ...`` where each mentee mentors the
next and each mentorship starts no earlier than the one before it. Descendants, depth and
every other metric follow chains, not plain graph paths: a mentor's mentee's *earlier*
mentees are not the mentor's descendants.

Examples:
    >>> import datetime as dt
    >>> from mentorkit.model import Mentorship
    >>> from mentorkit.graph import MentorshipGraph
    >>> g = MentorshipGraph.from_mentorships([
    ...     Mentorship(id="m1", mentor_id="ana", mentee_id="ben", start=dt.date(2021, 9, 1)),
    ...     Mentorship(id="m2", mentor_id="ben", mentee_id="cy", start=dt.date(2022, 9, 1)),
    ... ])
    >>> g.generations("ana")
    {1: frozenset({'ben'}), 2: frozenset({'cy'})}
    >>> g.metrics()["ana"].depth
    2
"""

from mentorkit.graph._graph import GraphProblem, Lineage, MentorshipGraph, StoreReader
from mentorkit.graph._metrics import GenealogyMetrics, MetricsTable
from mentorkit.graph._views import PipelineRow, PipelineTable, cohort_report, program_report

__all__ = [
    "GenealogyMetrics",
    "GraphProblem",
    "Lineage",
    "MentorshipGraph",
    "MetricsTable",
    "PipelineRow",
    "PipelineTable",
    "StoreReader",
    "cohort_report",
    "program_report",
]
