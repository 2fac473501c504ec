"""Adherence reads field tuples (``read_fields``): the same report as from the entities."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorkit import synthetic
from mentorkit.model import Activity, Cohort, Session, SessionStatus
from mentorkit.scheduling import adherence
from mentorkit.storage import SQLiteStore


class _EntityStore:
    """The straightforward way: a store that is no BaseStore, so every read builds entities
    (``read_fields`` falls back to ``find``/``all`` and ``getattr``)."""

    def __init__(self, inner):
        self.inner = inner

    def get(self, cls, id):
        return self.inner.get(cls, id)

    def find(self, cls, **filters):
        return self.inner.find(cls, **filters)

    def all(self, cls):
        return self.inner.all(cls)


@pytest.fixture(scope="module")
def district_store(tmp_path_factory):
    d = synthetic.district(seed=7, staff=400, years=3, mentee_share=0.2, mentor_capacity=3)
    store = SQLiteStore(tmp_path_factory.mktemp("fast") / "d.db")
    with store.transaction():
        for group in (d.programs, d.cohorts, d.mentorships, d.engagements, d.sessions,
                      d.action_items, d.reflections, _team_sessions(d)):  # fmt: skip
            store.put_many(group)
    yield store
    store.close()


def _team_sessions(d):
    """Joint and individual team sessions, on call or not, with several activities (the
    synthetic district files every session under a pair)."""
    out = []
    starts = {c.id: c.start for c in d.cohorts}
    for n, e in enumerate(d.engagements):
        filed = [m.mentorship_id for m in e.members if m.mentorship_id is not None]
        if not filed:
            continue
        day = e.start or starts[e.cohort_id]
        for k in range(8):
            first = dt.datetime(day.year, day.month, 1, 15, tzinfo=dt.UTC)
            when = first + dt.timedelta(days=20 * k)
            people = e.person_ids[: 1 + (k + n) % len(e.person_ids)]
            out.append(Session(
                id=f"team-{e.id}-{k}", mentorship_id=filed[k % len(filed)], start=when,
                minutes=45 + 15 * k, engagement_id=e.id if k % 3 else None,
                participants=tuple(people) if k % 2 else (), on_call=k % 4 == 3,
                activities=(Activity.ROLE_PLAY, Activity.SHADOWING)[: k % 3],
                status=SessionStatus.CANCELLED if k == 5 else SessionStatus.HELD,
            ))  # fmt: skip
    assert out
    return out


def _same(fast, slow):
    assert fast.rows == slow.rows
    assert fast.overdue == slow.overdue
    assert fast.rollup() == slow.rollup()
    assert fast.behind(overdue=True) == slow.behind(overdue=True)
    assert fast.pairs == slow.pairs
    assert fast.teams == slow.teams
    assert fast.cohort_ids == slow.cohort_ids


@pytest.mark.parametrize("as_of", [dt.date(2022, 1, 15), dt.date(2023, 3, 1), dt.date(2025, 1, 1)])
def test_every_cohort_gives_the_same_report_as_from_the_entities(district_store, as_of):
    fast = adherence(district_store, cohort_id=None, as_of=as_of)
    slow = adherence(_EntityStore(district_store), cohort_id=None, as_of=as_of)
    assert fast.rows  # the district exercises both
    assert fast.overdue
    assert any(r.missing_artefacts for r in fast.rows)
    assert any(r.unit == "team" and r.session_ids for r in fast.rows)
    _same(fast, slow)


def test_one_cohort_gives_the_same_report_as_from_the_entities(district_store):
    as_of = dt.date(2023, 6, 1)
    for cohort in district_store.all(Cohort):
        fast = adherence(district_store, cohort_id=cohort.id, as_of=as_of)
        slow = adherence(_EntityStore(district_store), cohort_id=cohort.id, as_of=as_of)
        _same(fast, slow)
        # And the one cohort's rows are those of the report on every cohort.
        every = adherence(district_store, cohort_id=None, as_of=as_of)
        assert fast.rows == tuple(r for r in every.rows if r.cohort_id == cohort.id)


def test_without_action_items_only_the_overdue_list_differs(district_store):
    as_of = dt.date(2024, 1, 1)
    full = adherence(district_store, cohort_id=None, as_of=as_of)
    held = adherence(district_store, cohort_id=None, as_of=as_of, action_items=False)
    assert held.overdue == ()
    assert full.overdue
    assert held.rows == full.rows
