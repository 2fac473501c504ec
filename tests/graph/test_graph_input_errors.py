"""Mistakes a new user makes with the graph API are refused by name, never silently."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.graph import MentorshipGraph, cohort_report, program_report
from mentorkit.model import Mentorship, MentorshipKind, Person, Program
from mentorkit.storage import MemoryStore

D = dt.date
MS = [
    Mentorship(id="m1", mentor_id="ana", mentee_id="ben", start=D(2021, 9, 1),
               program_id="fellows", cohort_id="f21"),
    Mentorship(id="m2", mentor_id="ben", mentee_id="cy", start=D(2022, 9, 1),
               program_id="coaching", cohort_id="k22", kind=MentorshipKind.COACHING),
]  # fmt: skip
PEOPLE = [Person(id=p, name=p.title(), title="Teacher") for p in ("ana", "ben", "cy", "dee")]


@pytest.fixture
def graph():
    return MentorshipGraph.from_mentorships(MS, people=PEOPLE)


@pytest.fixture
def store():
    s = MemoryStore()
    s.put_many([*PEOPLE, *MS, Program(id="quiet", name="No mentorships yet")])
    return s


def test_from_store_refuses_a_url_and_says_to_open_it():
    with pytest.raises(ValidationError, match="open_store") as err:
        MentorshipGraph.from_store("sqlite:///x.db")  # type: ignore[arg-type]
    assert err.value.field == "store"


def test_cohort_report_refuses_the_metrics_table(graph):
    for report in (cohort_report, program_report):
        with pytest.raises(ValidationError) as err:
            report(graph.metrics())  # type: ignore[arg-type]
        assert err.value.field == "graph"


def test_metrics_of_an_unknown_person_is_not_found_and_still_a_mapping(graph):
    table = graph.metrics()
    with pytest.raises(NotFoundError, match="nobody"):
        table["nobody"]
    assert "nobody" not in table
    assert table.get("nobody") is None
    assert table.get("ana") is table["ana"]


@pytest.mark.parametrize("field", ["programs", "cohorts", "kinds"])
def test_filter_refuses_a_single_string(graph, field):
    with pytest.raises(ValidationError, match="single string") as err:
        graph.filter(**{field: "fellows"})
    assert err.value.field == field


def test_filter_refuses_unknown_ids_listing_the_known_ones(graph):
    with pytest.raises(ValidationError, match="coaching, fellows") as err:
        graph.filter(programs=["fellow"])
    assert (err.value.field, err.value.value) == ("programs", "fellow")
    with pytest.raises(ValidationError, match="f21, k22"):
        graph.filter(cohorts=["f2l"])
    with pytest.raises(ValidationError, match="one_to_one") as err:
        graph.filter(kinds=["mentoring"])
    assert err.value.field == "kinds"


def test_from_store_refuses_unknown_programs_but_keeps_a_stored_one_without_mentorships(store):
    with pytest.raises(ValidationError, match="coaching, fellows, quiet") as err:
        MentorshipGraph.from_store(store, programs=["nope"])
    assert err.value.field == "programs"
    with pytest.raises(ValidationError, match="single string"):
        MentorshipGraph.from_store(store, programs="fellows")
    assert MentorshipGraph.from_store(store, programs=["quiet"]).mentorships == ()


@given(st.lists(st.sampled_from(["fellows", "coaching"]), unique=True),
       st.lists(st.sampled_from(list(MentorshipKind)), unique=True))  # fmt: skip
def test_filter_keeps_exactly_the_mentorships_asked_for(programs, kinds):
    g = MentorshipGraph.from_mentorships(MS, people=PEOPLE)
    kept = g.filter(programs=programs, kinds=kinds).mentorships
    assert kept == tuple(m for m in MS if m.program_id in programs and m.kind in kinds)
    assert len(g.filter(programs=programs)) == len(g)  # filter keeps every person


@pytest.mark.parametrize("name", ["g.png", "g.gexf.txt", "g"])
def test_writers_refuse_a_path_whose_ending_names_another_format(graph, tmp_path, name):
    with pytest.raises(ValidationError) as err:
        graph.write_gexf(tmp_path / name)
    assert err.value.field == "path"
    with pytest.raises(ValidationError):
        graph.write_graphml(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_gexf_leaves_out_networkx_keys_and_empty_titles(graph, tmp_path):
    graph.write_gexf(tmp_path / "g.gexf")
    graph.pseudonymise(key="a long and secret key").write_gexf(tmp_path / "p.gexf")
    plain, shared = (tmp_path / "g.gexf").read_text(), (tmp_path / "p.gexf").read_text()
    assert "networkx_key" not in plain
    assert 'value=""' not in shared
    assert 'title="title"' not in shared  # every title was dropped: no empty column either
