"""Adversarial review of #17's `mentorkit match` default: capacity from the mentors' records.

Fails on main at the time of the review (strict xfail): the lead removes the mark with the fix.
"""

import attrs
import pytest

import mentorkit as mk


@pytest.mark.xfail(
    strict=True,
    reason="#17 asks for capacity from the mentors' records; no entity records how many "
    "mentees a mentor takes (cli._match.cohort_capacity: 'mentorkit keeps no capacity per "
    "mentor'), so `match` gives every mentor ceil(mentees / mentors), including one who "
    "can take none",
)
def test_a_mentor_record_holds_a_capacity():
    fields = [*attrs.fields_dict(mk.Enrollment), *attrs.fields_dict(mk.Person)]
    assert any("capacity" in name for name in fields)
