import datetime as dt

import pytest

import mentorkit as mk


def test_a_mentor_cannot_mentor_themselves():
    with pytest.raises(mk.ValidationError) as info:
        mk.Mentorship(id="m", mentor_id="p", mentee_id="p", start=dt.date(2024, 1, 1))
    assert info.value.field == "mentee_id"
    assert info.value.value == "p"
