"""Outcomes are found by kind (GEM's promotions, students reached) in every store."""

import datetime as dt

import pytest

import mentorkit as mk
from mentorkit.storage import INDEXES, register_index


def outcomes() -> list[mk.Outcome]:
    kinds = ["promotion", "students_reached", "role_change", "promotion"]
    return [
        mk.Outcome(
            id=f"o-{k}",
            person_id=f"p-{k % 2}",
            kind=kind,
            date=dt.date(2022, 1, 1 + k),
            value=300 if kind == "students_reached" else None,
        )
        for k, kind in enumerate(kinds)
    ]


@pytest.mark.parametrize("url", ["memory://", "json:///o.json", "sqlite:///o.db"])
def test_outcomes_are_found_by_kind(url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "kind" in INDEXES["outcome"]
    with mk.open_store(url) as store:
        store.put_many(outcomes())
        found = store.find(mk.Outcome, kind="promotion")
        assert sorted(o.id for o in found) == ["o-0", "o-3"]
        assert [o.id for o in store.find(mk.Outcome, kind="promotion", person_id="p-1")] == ["o-3"]
        expected = {o.id for o in outcomes() if o.kind is mk.OutcomeKind.STUDENTS_REACHED}
        assert {o.id for o in store.find(mk.Outcome, kind="students_reached")} == expected


def test_a_bad_kind_names_the_field(tmp_path):
    with mk.open_store("memory://") as store, pytest.raises(mk.ValidationError) as err:
        store.find(mk.Outcome, kind=3)
    assert err.value.field == "kind"


def test_an_sqlite_file_written_before_the_kind_index_is_rekeyed_on_opening(tmp_path):
    path = tmp_path / "o.db"
    layout = INDEXES["outcome"]
    register_index("outcome", "person_id", replace=True)  # the layout before this change
    try:
        with mk.open_store(f"sqlite:///{path}") as store:
            store.put_many(outcomes())
    finally:
        register_index("outcome", *layout, replace=True)
    with mk.open_store(f"sqlite:///{path}") as store:
        assert sorted(o.id for o in store.find(mk.Outcome, kind="promotion")) == ["o-0", "o-3"]
