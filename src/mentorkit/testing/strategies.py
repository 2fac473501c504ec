"""Hypothesis strategies for every mentorkit entity, for your own property tests.

Needs the ``test`` extra (hypothesis). [`entities`][mentorkit.testing.strategies.entities] draws any
built-in entity;
[`entities_of`][mentorkit.testing.strategies.entities_of] one class; the rest build the pieces (ids,
dates, frameworks, coaching
cycles and legal walks through them, SMARTIE goals).

Examples:
    >>> from hypothesis import given
    >>> from mentorkit import from_dict, to_dict
    >>> from mentorkit.testing import strategies
    >>> @given(strategies.entities())
    ... def test_round_trip(entity):
    ...     assert from_dict(to_dict(entity)) == entity
    >>> test_round_trip()
"""

from mentorkit.testing._framework_strategies import (
    CASE_ASSOCIATION_TYPES,
    ENTITY_STRATEGIES,
    assessments,
    case_packages,
    coaching_cycles,
    competency_trees,
    cycle_definitions,
    entities,
    entities_of,
    frameworks,
    goals,
    legal_walks,
    proficiency_scales,
    smartie_goals,
)
from mentorkit.testing._measurement_strategies import (
    inquiries,
    survey_administrations,
    survey_responses,
    survey_results,
    surveys,
    targets,
)
from mentorkit.testing._scheduling_strategies import cadences, local_datetimes
from mentorkit.testing._strategies import (
    action_items,
    action_plans,
    action_steps,
    attendances,
    awards,
    aware_datetimes,
    capacities,
    cohorts,
    commitments,
    dates,
    engagements,
    enrollments,
    events,
    ids,
    lifecycle_walks,
    mentorships,
    milestones,
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
    "CASE_ASSOCIATION_TYPES",
    "ENTITY_STRATEGIES",
    "action_items",
    "action_plans",
    "action_steps",
    "assessments",
    "attendances",
    "awards",
    "aware_datetimes",
    "cadences",
    "capacities",
    "case_packages",
    "coaching_cycles",
    "cohorts",
    "commitments",
    "competency_trees",
    "cycle_definitions",
    "dates",
    "engagements",
    "enrollments",
    "entities",
    "entities_of",
    "events",
    "frameworks",
    "goals",
    "ids",
    "inquiries",
    "legal_walks",
    "lifecycle_walks",
    "local_datetimes",
    "mentorships",
    "milestones",
    "org_units",
    "outcomes",
    "persons",
    "proficiency_scales",
    "programs",
    "reflections",
    "role_spells",
    "sessions",
    "smartie_goals",
    "survey_administrations",
    "survey_responses",
    "survey_results",
    "surveys",
    "targets",
    "texts",
]
