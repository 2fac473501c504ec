"""history=None and past_rounds=None are refused by name, not with a raw TypeError."""

import datetime as dt

import pytest

from mentorkit import ValidationError
from mentorkit.cycles import CoachingCycle


@pytest.mark.parametrize("name", ["history", "past_rounds"])
def test_none_sequence_is_refused_by_name(name: str) -> None:
    cycle = CoachingCycle(
        id="c-1",
        person_id="p-1",
        definition_id="d",
        phase="goal_setting",
        started=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )
    kwargs = {
        "id": cycle.id,
        "person_id": cycle.person_id,
        "definition_id": cycle.definition_id,
        "phase": cycle.phase,
        "started": cycle.started,
        name: None,
    }
    with pytest.raises(ValidationError) as info:
        CoachingCycle(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == name
