"""Hypothesis strategies for every mentorkit entity, for your own property tests.

Needs the ``test`` extra (hypothesis).

Example:
    >>> from hypothesis import given
    >>> from mentorkit import from_dict, to_dict
    >>> from mentorkit.testing import strategies
    >>> @given(strategies.entities())
    ... def test_round_trip(entity):
    ...     assert from_dict(to_dict(entity)) == entity
    >>> test_round_trip()
"""

from mentorkit.testing._strategies import (
    ENTITY_STRATEGIES,
    action_items,
    action_plans,
    action_steps,
    aware_datetimes,
    cohorts,
    dates,
    enrollments,
    entities,
    entities_of,
    goals,
    ids,
    mentorships,
    org_units,
    outcomes,
    persons,
    programs,
    reflections,
    role_spells,
    sessions,
    texts,
)

__all__ = [
    "ENTITY_STRATEGIES",
    "action_items",
    "action_plans",
    "action_steps",
    "aware_datetimes",
    "cohorts",
    "dates",
    "enrollments",
    "entities",
    "entities_of",
    "goals",
    "ids",
    "mentorships",
    "org_units",
    "outcomes",
    "persons",
    "programs",
    "reflections",
    "role_spells",
    "sessions",
    "texts",
]
