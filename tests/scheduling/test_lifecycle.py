"""The mentorship lifecycle: statuses, audited moves, old documents, store writes and hooks."""

import datetime as dt
import json
import sqlite3

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mentorkit as mk
from mentorkit import (
    ConflictError,
    LifecycleChange,
    Mentorship,
    MentorshipStatus,
    NotFoundError,
    TransitionError,
    ValidationError,
)
from mentorkit.scheduling import TRANSITIONS, Hooks, change_status, transition
from mentorkit.testing import strategies

AT = dt.datetime(2024, 9, 2, 9, tzinfo=dt.UTC)


def pair(**changes):
    base = Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2", start=dt.date(2024, 9, 1))
    return attrs.evolve(base, **changes)


@given(
    walk=strategies.lifecycle_walks(),
    target=st.sampled_from(MentorshipStatus),
    minutes=st.integers(0, 10**6),
)
def test_a_move_succeeds_exactly_when_the_table_allows_it(walk, target, minutes):
    status, history = walk
    m = pair(
        status=status,
        history=history,
        end_reason=history[-1].reason if status is MentorshipStatus.ENDED_EARLY else None,
    )
    at = (history[-1].at if history else AT) + dt.timedelta(minutes=minutes)
    if target in TRANSITIONS[status]:
        moved = transition(m, target, at=at, by="lead-1", reason="why not")
        assert moved.status is target
        assert moved.history == (
            *history,
            LifecycleChange(source=status, target=target, at=at, by="lead-1", reason="why not"),
        )
        assert mk.from_json(mk.to_json(moved)) == moved
        if target in (MentorshipStatus.COMPLETED, MentorshipStatus.ENDED_EARLY):
            assert moved.end is not None
            assert m.start <= moved.end <= max(m.start, at.date())
        else:
            assert moved.end == m.end
    else:
        with pytest.raises(TransitionError, match=f"from '{status.value}' to '{target.value}'"):
            transition(m, target, at=at, reason="why not")


def test_ending_early_keeps_the_reason_out_of_repr_and_sets_the_end():
    m = transition(pair(), "ended_early", at=AT + dt.timedelta(days=30), reason="moved away")
    assert m.end_reason == "moved away"
    assert m.end == dt.date(2024, 10, 2)
    assert "moved away" not in repr(m)
    assert "moved away" not in repr(m.history[-1])


def test_a_planned_end_later_than_the_early_end_is_brought_forward_but_an_earlier_one_kept():
    planned = pair(end=dt.date(2025, 6, 30))
    assert transition(planned, "completed", at=AT).end == AT.date()
    past = pair(end=dt.date(2024, 9, 1))
    assert transition(past, "completed", at=AT + dt.timedelta(days=9)).end == dt.date(2024, 9, 1)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"mentorship": "m-1", "to": "paused"}, "mentorship"),
        ({"to": "stopped"}, "to"),
        ({"to": 3}, "to"),
        ({"to": "paused", "at": dt.datetime(2024, 9, 2, 9)}, "at"),
        ({"to": "paused", "at": "2024-09-02"}, "at"),
        ({"to": "paused", "by": " lead "}, "by"),
        ({"to": "paused", "reason": 7}, "reason"),
        ({"to": "ended_early"}, "reason"),
        ({"to": "ended_early", "reason": "   "}, "reason"),
    ],
)
def test_bad_transition_arguments_name_the_field(kwargs, field):
    kwargs = {"mentorship": pair(), "at": AT, **kwargs}
    with pytest.raises(ValidationError) as info:
        transition(kwargs.pop("mentorship"), **kwargs)
    assert info.value.field == field


def test_a_move_dated_before_the_last_one_is_refused():
    m = transition(pair(), "paused", at=AT)
    with pytest.raises(ValidationError) as info:
        transition(m, "active", at=AT - dt.timedelta(seconds=1))
    assert info.value.field == "at"


def test_a_final_status_cannot_be_left_or_repeated():
    done = transition(pair(), "completed", at=AT)
    for target in MentorshipStatus:
        with pytest.raises(TransitionError, match="completed is final"):
            transition(done, target, at=AT, reason="x")
    with pytest.raises(TransitionError, match="allowed: "):
        transition(pair(), "active", at=AT)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "ended_early"}, "end_reason"),
        ({"status": "ended_early", "end_reason": " "}, "end_reason"),
        ({"end_reason": "not over"}, "end_reason"),
        ({"status": "gone"}, "status"),
        ({"history": ["active"]}, "history[0]"),
        ({"history": "active"}, "history"),
        (
            {
                "status": "active",
                "history": [
                    LifecycleChange(source="proposed", target="active", at=AT),
                    LifecycleChange(source="paused", target="active", at=AT),
                ],
            },
            "history[1].source",
        ),
        (
            {
                "status": "paused",
                "history": [
                    LifecycleChange(source="active", target="paused", at=AT),
                    LifecycleChange(source="paused", target="active", at=AT),
                    LifecycleChange(source="active", target="paused", at=AT - dt.timedelta(1)),
                ],
            },
            "history[2].at",
        ),
        (
            {
                "status": "paused",
                "history": [LifecycleChange(source="proposed", target="active", at=AT)],
            },
            "status",
        ),
    ],
)
def test_an_inconsistent_lifecycle_is_rejected_naming_the_field(changes, field):
    with pytest.raises(ValidationError) as info:
        pair(**changes)
    assert info.value.field == field


def test_a_missing_end_reason_is_reported_without_echoing_anything():
    with pytest.raises(ValidationError) as info:
        pair(status="ended_early")
    assert not info.value.has_value


def test_documents_written_before_the_lifecycle_existed_read_as_active(tmp_path):
    doc = mk.to_dict(pair())
    for key in ("status", "end_reason", "history"):
        del doc[key]
    assert mk.from_dict(doc) == pair(status="active")
    path = tmp_path / "old.db"
    with mk.open_store(f"sqlite:///{path}") as store:
        store.put(pair(cohort_id="c-1"))
    with sqlite3.connect(path) as db:
        (text,) = db.execute("SELECT doc FROM mentorkit_entities WHERE id = 'm-1'").fetchone()
        old = {
            k: v
            for k, v in json.loads(text).items()
            if k not in ("status", "end_reason", "history")
        }
        db.execute("UPDATE mentorkit_entities SET doc = ? WHERE id = 'm-1'", (json.dumps(old),))
    with mk.open_store(f"sqlite:///{path}") as store:
        read = store.get(Mentorship, "m-1")
        assert read.status is MentorshipStatus.ACTIVE
        assert read.history == ()
        assert store.find(Mentorship, cohort_id="c-1") == [read]
        moved = change_status(store, read, "paused", at=AT)
        assert store.get(Mentorship, "m-1") == moved


def test_change_status_stores_the_move_then_fires_the_hook():
    hooks = Hooks()
    seen = []
    hooks.register("lifecycle_changed", seen.append)
    with mk.open_store("memory://") as store:
        store.put(pair())
        moved = change_status(
            store, "m-1", "paused", at=AT, by="lead-1", reason="leave", hooks=hooks
        )
        assert store.get(Mentorship, "m-1") == moved
    assert [(e.mentorship, e.change) for e in seen] == [(moved, moved.history[-1])]


def test_a_stale_copy_conflicts_and_nothing_is_fired_or_written():
    hooks = Hooks()
    seen = []
    hooks.register("lifecycle_changed", seen.append)
    with mk.open_store("memory://") as store:
        stale = store.put(pair())
        fresh = change_status(store, stale, "paused", at=AT)
        with pytest.raises(ConflictError):
            change_status(store, stale, "completed", at=AT, hooks=hooks)
        assert store.get(Mentorship, "m-1") == fresh
    assert seen == []


def test_an_illegal_stored_move_writes_and_fires_nothing():
    hooks = Hooks()
    seen = []
    hooks.register("lifecycle_changed", seen.append)
    with mk.open_store("memory://") as store:
        before = store.put(pair())
        with pytest.raises(TransitionError):
            change_status(store, "m-1", "proposed", at=AT, hooks=hooks)
        assert store.get(Mentorship, "m-1") == before
    assert seen == []


@pytest.mark.parametrize(
    ("mentorship", "hooks", "error", "field"),
    [
        ("nobody", None, NotFoundError, None),
        (42, None, ValidationError, "mentorship"),
        (pair(), None, ValidationError, "mentorship"),  # never stored: version 0
        ("m-1", object(), ValidationError, "hooks"),
    ],
)
def test_bad_change_status_arguments_are_refused(mentorship, hooks, error, field):
    with mk.open_store("memory://") as store:
        before = store.put(pair())
        with pytest.raises(error) as info:
            change_status(store, mentorship, "paused", at=AT, hooks=hooks)
        assert store.get(Mentorship, "m-1") == before
    if field is not None:
        assert info.value.field == field


@pytest.mark.parametrize(
    ("moves", "status", "field"),
    [
        ([("completed", "active")], "active", "history[0].target"),  # out of a final status
        ([("active", "active")], "active", "history[0].target"),  # a move that moves nothing
        ([("proposed", "active"), ("active", "proposed")], "proposed", "history[1].target"),
    ],
)
def test_a_history_with_a_move_the_lifecycle_forbids_is_refused(moves, status, field):
    # The history is the audit trail: a document (an import, a hand edit) whose history
    # holds an illegal move must not read as a valid mentorship.
    history = [
        LifecycleChange(source=a, target=b, at=AT + dt.timedelta(days=n))
        for n, (a, b) in enumerate(moves)
    ]
    with pytest.raises(ValidationError) as info:
        pair(status=status, history=history)
    assert info.value.field == field
    legal = [("proposed", "active"), ("active", "paused")][: len(moves)]
    doc = mk.to_dict(pair(status=legal[-1][1], history=[
        LifecycleChange(source=a, target=b, at=AT + dt.timedelta(days=n))
        for n, (a, b) in enumerate(legal)
    ]))  # fmt: skip
    doc["status"] = status
    for entry, (a, b) in zip(doc["history"], moves, strict=True):
        entry["source"], entry["target"] = a, b
    with pytest.raises(ValidationError):
        mk.from_dict(doc)
