"""Pins the public API's types. Type-checked by ``mypy --strict``, never executed."""

import datetime as dt
from typing import assert_type

from hypothesis.strategies import SearchStrategy

import mentorkit as mk
from mentorkit import serialization, synthetic
from mentorkit.measurement import DisclosurePolicy
from mentorkit.testing import strategies

person = mk.Person(id="p", name="Ana")
assert_type(mk.from_json(mk.to_json(person), mk.Person), mk.Person)
assert_type(mk.from_dict(mk.to_dict(person), mk.Person), mk.Person)
assert_type(mk.to_json(person), str)
assert_type(person.role_on(dt.date(2024, 1, 1)), mk.RoleSpell | None)
assert_type(serialization.register(mk.Person, tag="x"), type[mk.Person])
assert_type(synthetic.district(seed=1), synthetic.District)
assert_type(synthetic.district(seed=1).summary(policy=DisclosurePolicy(min_cell=5)), str)
assert_type(mk.__version__, str)
err = mk.ValidationError("bad", field="x")
assert_type(err.field, str | None)
assert_type(err.paths, tuple[str, ...])
line = mk.errors.FieldError("expected a string", "goals[0].text")
assert_type(line.path, str | None)
assert_type(line.message, str)
award = mk.Award(id="aw", person_id="p", cohort_id="c", name="Lead", date=dt.date(2025, 1, 1))
assert_type(award.event_id, str | None)
assert_type(award.date, dt.date)
mentor = mk.Enrollment(id="e", person_id="p", cohort_id="c", role=mk.Role.MENTOR, capacity=2)
assert_type(mentor.capacity, int | None)
assert_type(strategies.capacities(), SearchStrategy[int])
