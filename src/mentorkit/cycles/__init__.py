"""Coaching cycles as data, engagements that walk through them, and SMARTIE goal checks.

A [`CycleDefinition`][mentorkit.cycles.CycleDefinition] lists phases (with the artefacts each needs
before it may be left)
and the allowed transitions between them. A [`CoachingCycle`][mentorkit.cycles.CoachingCycle] is one
engagement: its
current phase and a timestamped history of who moved it, when and why. Built-in definitions
ship as data files; third parties add their own from a file, a Python object
([`register`][mentorkit.cycles.register]) or the entry point group ``mentorkit.cycles``.

Examples:
    >>> import datetime as dt
    >>> from mentorkit.cycles import load_cycle
    >>> ecl = load_cycle("equity-leadership-coaching")
    >>> for phase in ecl.phases:
    ...     print(phase.ordinal, phase.title)
    0 Listening & learning
    1 Goal-setting
    2 Action planning
    3 Implementing
    4 Progress monitoring
    5 Recalibrating
    >>> ecl.allowed_from("recalibrating")
    ('goal_setting', 'action_planning', 'implementing')
"""

from mentorkit._catalogue import CatalogueEntry
from mentorkit.cycles._cycle import CoachingCycle, EvidenceRound, PhaseChange
from mentorkit.cycles._definition import CycleDefinition, Phase, Transition
from mentorkit.cycles._registry import (
    list_cycles,
    load_cycle,
    register,
    registered_cycles,
    unregister,
)
from mentorkit.cycles._smartie import (
    CriterionResult,
    SmartieCriterion,
    SmartieReport,
    SmartieRules,
    check_smartie,
)

__all__ = [
    "CatalogueEntry",
    "CoachingCycle",
    "CriterionResult",
    "CycleDefinition",
    "EvidenceRound",
    "Phase",
    "PhaseChange",
    "SmartieCriterion",
    "SmartieReport",
    "SmartieRules",
    "Transition",
    "check_smartie",
    "list_cycles",
    "load_cycle",
    "register",
    "registered_cycles",
    "unregister",
]
