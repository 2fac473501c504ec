"""MentorshipGraph.from_store reads stored field values and builds the entities on demand.

The graph must give back exactly what a store's entities are, whichever way it read them
(rows of field values, or the entities of a class with a registered subclass), also after
the store is closed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import operator

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit.graph import MentorshipGraph, _graph
from mentorkit.model import Mentorship, Outcome, Person
from mentorkit.serialization import register, registered_types
from mentorkit.storage import JsonStore, MemoryStore, SQLiteStore
from mentorkit.testing import strategies as mks

IDS = st.sampled_from(["ana", "ben", "cy", "dee", "eve", "fay"])
DAYS = st.sampled_from([dt.date(2021, 9, 1), dt.date(2022, 9, 1), dt.date(2023, 9, 1)])


@attrs.frozen(kw_only=True)
class BadgedPerson(Person):
    """An entity plugin's person: a field of its own."""

    badge: str = ""


if "tests.graph.BadgedPerson" not in registered_types:
    register(BadgedPerson, tag="tests.graph.BadgedPerson")


@contextlib.contextmanager
def rows_or_entities(whole):
    """Read every class as rows (``whole=False``) or as entities, whatever is registered."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_graph, "_subclassed", lambda cls: whole)
        yield


def by_id(items):
    return {e.id: e for e in items}


def open_store(kind, path):
    if kind == "memory":
        return MemoryStore()
    if kind == "json":
        return JsonStore(path / "m.json")
    return SQLiteStore(path / "m.db")


def assert_same_graph(built, expected):
    """Everything a graph holds, compared with a graph of the entities themselves."""
    assert built.mentorships == expected.mentorships
    assert built.people == expected.people
    assert built.outcomes == expected.outcomes
    assert built.person_ids == expected.person_ids
    assert built.metrics() == expected.metrics()
    assert sorted(built.nx.edges(keys=True, data=True)) == sorted(
        expected.nx.edges(keys=True, data=True)
    )
    assert dict(built.nx.nodes(data=True)) == dict(expected.nx.nodes(data=True))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ms=st.lists(mks.mentorships(people=IDS, starts=DAYS), max_size=12, unique_by=lambda m: m.id),
    people=st.lists(mks.persons(), max_size=4, unique_by=lambda p: p.id),
    outcomes=st.lists(mks.outcomes(), max_size=4, unique_by=lambda o: o.id),
)
@pytest.mark.parametrize("whole", [False, True])
def test_from_store_holds_exactly_the_stored_entities(ms, people, outcomes, whole):
    store = MemoryStore()
    store.put_many([*ms, *people, *outcomes])
    stored = (store.all(Mentorship), store.all(Person), store.all(Outcome))
    with rows_or_entities(whole):
        built = MentorshipGraph.from_store(store)
    store.close()  # the entities come from what was read, not from the store
    expected = MentorshipGraph.from_mentorships(stored[0], people=stored[1], outcomes=stored[2])
    assert_same_graph(built, expected)


@pytest.mark.parametrize("whole", [False, True])
@pytest.mark.parametrize("kind", ["memory", "json", "sqlite"])
def test_every_backend_gives_the_graph_of_its_entities_also_once_closed(kind, whole, tmp_path):
    day = dt.date(2022, 9, 1)
    ms = [
        Mentorship(id="m2", mentor_id="ben", mentee_id="cy", start=day, program_id="p"),
        Mentorship(id="m1", mentor_id="ana", mentee_id="ben", start=day, end=day.replace(2023)),
        Mentorship(id="m0", mentor_id="cy", mentee_id="dee", start=dt.date(2024, 1, 1)),
    ]
    people = [
        Person(id="ana", name="Ana", email="ana@x.example", demographics={"g": "f"}),
        Person(id="zed", name="Zed"),  # mentors nobody, still a node
    ]
    outcomes = [
        Outcome(id="o1", person_id="cy", kind="students_reached", date=day, value=30),
        Outcome(id="o2", person_id="ben", kind="promotion", date=day),
    ]
    store = open_store(kind, tmp_path)
    store.put_many([*ms, *people, *outcomes])
    stored = (store.all(Mentorship), store.all(Person), store.all(Outcome))
    with rows_or_entities(whole):
        built = MentorshipGraph.from_store(store)
        filtered = MentorshipGraph.from_store(store, programs=["p"])
    store.close()
    # Same day: by id. Every stored person is a node, mentors of nobody too.
    assert [m.id for m in built.mentorships] == ["m1", "m2", "m0"]
    assert "zed" in built
    assert built.metrics()["ben"].reach == 30.0
    assert_same_graph(
        built, MentorshipGraph.from_mentorships(stored[0], people=stored[1], outcomes=stored[2])
    )
    assert [m.id for m in filtered.mentorships] == ["m2"]
    assert set(filtered.people) == set()
    assert set(filtered.person_ids) == {"ben", "cy"}


def test_a_registered_person_subclass_comes_back_as_itself(tmp_path):
    # Rows of Person's fields would lose ``badge``: people are read whole, the mentorships
    # still as rows.
    store = SQLiteStore(tmp_path / "m.db")
    staff = BadgedPerson(id="ana", name="Ana", badge="B-7")
    store.put_many([
        staff, Person(id="ben", name="Ben"),
        Mentorship(id="m1", mentor_id="ana", mentee_id="ben", start=dt.date(2024, 1, 1)),
    ])  # fmt: skip
    stored = by_id(store.all(Person))
    built = MentorshipGraph.from_store(store)
    store.close()
    assert type(built.people["ana"]) is BadgedPerson
    assert built.people == stored
    assert built.people["ana"].badge == "B-7"
    assert built.metrics()["ana"].descendants == 1


def test_the_graph_of_rows_sorts_mentorships_by_start_then_id(tmp_path):
    store = SQLiteStore(tmp_path / "m.db")
    days = [dt.date(2024, 1, d) for d in (3, 1, 2, 1)]
    store.put_many([
        Mentorship(id=f"m{i}", mentor_id=f"a{i}", mentee_id=f"b{i}", start=d)
        for i, d in enumerate(days)
    ])  # fmt: skip
    built = MentorshipGraph.from_store(store)
    store.close()
    got = [(m.start, m.id) for m in built.mentorships]
    assert got == sorted(got)
    assert sorted(map(operator.attrgetter("id"), built.mentorships)) == ["m0", "m1", "m2", "m3"]
