"""A session's topic and protocol: validated, stored, and "sessions using protocol X" is a query."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorkit import Session, ValidationError
from mentorkit.serialization import from_dict, to_dict
from mentorkit.storage import MemoryStore, SQLiteStore, register_index
from mentorkit.testing import strategies

AT = dt.datetime(2023, 9, 5, 16, tzinfo=dt.UTC)
PROTOCOLS = ["Consultancy", "What? So What? Now What?", "Tuning Protocol"]


def _session(n: int, protocol: str | None, topic: str | None = None) -> Session:
    return Session(id=f"s-{n}", mentorship_id="ms-1", start=AT + dt.timedelta(days=n),
                   minutes=60, topic=topic, protocol=protocol)  # fmt: skip


@given(st.lists(st.none() | st.sampled_from(PROTOCOLS), max_size=12), st.sampled_from(PROTOCOLS))
def test_find_by_protocol_returns_exactly_the_sessions_using_it(
    tmp_path_factory, protocols, wanted
):
    sessions = [_session(n, p, topic=f"dilemma {n}") for n, p in enumerate(protocols)]
    expected = sorted(s.id for s in sessions if s.protocol == wanted)
    path = tmp_path_factory.mktemp("db") / "m.db"
    for store in (MemoryStore(), SQLiteStore(path)):
        with store:
            store.put_many(sessions)
            assert sorted(s.id for s in store.find(Session, protocol=wanted)) == expected
            assert {s.id: s.topic for s in store.all(Session)} == {s.id: s.topic for s in sessions}


@given(strategies.sessions())
def test_topic_and_protocol_round_trip_through_the_converter(session):
    back = from_dict(to_dict(session))
    assert (back.topic, back.protocol) == (session.topic, session.protocol)
    assert back == session


def test_a_session_stored_before_the_fields_existed_reads_with_none():
    old = {"$type": "session", "$schema": 1, "id": "s", "version": 1, "mentorship_id": "m",
           "start": "2024-01-01T10:00:00+00:00", "minutes": 30, "activity": "other",
           "status": "held", "participants": [], "notes": "Consultancy"}  # fmt: skip
    session = from_dict(old)
    assert (session.topic, session.protocol, session.notes) == (None, None, "Consultancy")


def test_a_store_written_before_protocol_was_indexed_is_rekeyed_on_open(clean_indexes, tmp_path):
    path = tmp_path / "m.db"
    register_index("session", "mentorship_id", "start", "engagement_id", replace=True)
    with SQLiteStore(path) as store:
        store.put_many([_session(1, "Consultancy"), _session(2, None), _session(3, "Consultancy")])
    register_index("session", "mentorship_id", "start", "engagement_id", "protocol", replace=True)
    with SQLiteStore(path) as store:
        assert [s.id for s in store.find(Session, protocol="Consultancy")] == ["s-1", "s-3"]


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("protocol", ""),
        ("protocol", " Consultancy"),
        ("protocol", 3),
        ("topic", 3),
        ("topic", ["a dilemma"]),
    ],
)
def test_a_bad_topic_or_protocol_is_refused_naming_the_field(field, bad):
    with pytest.raises(ValidationError) as info:
        Session(id="s", mentorship_id="m", start=AT, minutes=30, **{field: bad})
    assert info.value.field == field


def test_the_topic_stays_out_of_repr():
    session = _session(1, "Consultancy", topic="Staff turnover in the special education team")
    assert "turnover" not in repr(session)
    assert "Consultancy" in repr(session)
