import datetime as dt

import pytest

from mentorkit.cycles import CoachingCycle, load_cycle
from mentorkit.errors import ConflictError
from mentorkit.frameworks import Assessment, Rater, current_levels, load_framework
from mentorkit.storage import open_store

T0 = dt.datetime(2024, 9, 2, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(params=["memory://", "sqlite", "json"])
def store(request, tmp_path):
    url = {
        "memory://": "memory://",
        "sqlite": f"sqlite:///{tmp_path / 'm.db'}",
        "json": f"json:///{tmp_path / 'm.json'}",
    }[request.param]
    with open_store(url) as s:
        yield s


def test_a_coaching_cycle_is_stored_moved_and_protected_against_lost_updates(store):
    cycle = load_cycle("equity-leadership-coaching").start(
        id="cc-1", person_id="p-1", coach_id="p-9", started=T0
    )
    stored = store.put(cycle.record("data_review", "deck"))
    moved = stored.advance("goal_setting", by="p-9", at=T0 + dt.timedelta(days=1))
    saved = store.put(moved)
    assert store.get(CoachingCycle, "cc-1") == saved
    assert store.get(CoachingCycle, "cc-1").history[-1].by == "p-9"
    with pytest.raises(ConflictError):
        # based on the version before the move
        store.put(stored.record("data_review", "another deck"))


def test_assessments_are_stored_and_queried_by_person(store):
    fw = load_framework("manager-of-self")
    for n, level in enumerate(("developing", "proficient"), start=1):
        store.put(
            Assessment(
                id=f"a-{n}",
                person_id="p-1",
                framework_id=fw.id,
                competency="communication",
                level=level,
                date=dt.date(2024 + n, 1, 1),
                rater=Rater.COACH,
                rater_id="p-9",
            )
        )
    mine = list(store.find(Assessment, person_id="p-1"))
    assert current_levels(fw, mine, "p-1") == {"communication": "proficient"}
