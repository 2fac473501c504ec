"""Pins the types of mentorkit.frameworks and mentorkit.cycles. Type-checked, never executed."""

import datetime as dt
from collections.abc import Mapping
from typing import Any, assert_type

from mentorkit import Goal
from mentorkit.cycles import (
    CatalogueEntry,
    CoachingCycle,
    CycleDefinition,
    EvidenceRound,
    SmartieReport,
    SmartieRules,
    check_smartie,
    list_cycles,
    load_cycle,
)
from mentorkit.frameworks import (
    Assessment,
    CompetencyFramework,
    Growth,
    current_levels,
    growth,
    list_frameworks,
    load_framework,
    rated_at_least,
)
from mentorkit.frameworks.case import export_package, import_package

fw = load_framework("manager-of-self")
assert_type(fw, CompetencyFramework)
assert_type(import_package(export_package(fw)), CompetencyFramework)
assert_type(export_package(fw), dict[str, Any])
assert_type(list_frameworks(), tuple[CatalogueEntry, ...])
ratings: list[Assessment] = []
assert_type(current_levels(fw, ratings, "p"), dict[str, str])
assert_type(growth(fw, ratings, "p", dt.date(2024, 1, 1), dt.date(2025, 1, 1)), dict[str, Growth])
assert_type(rated_at_least(fw, ratings, "communication", "proficient"), set[str])

ecl = load_cycle("equity-leadership-coaching")
assert_type(ecl, CycleDefinition)
assert_type(list_cycles(), tuple[CatalogueEntry, ...])
cycle = ecl.start(id="c", person_id="p", started=dt.datetime(2024, 9, 1, tzinfo=dt.UTC))
assert_type(cycle, CoachingCycle)
assert_type(cycle.advance("goal_setting"), CoachingCycle)
assert_type(cycle.missing(), tuple[str, ...])
assert_type(check_smartie(Goal(id="g", person_id="p", statement="s")), SmartieReport)
assert_type(
    check_smartie(Goal(id="g", person_id="p", statement="s"), rules=SmartieRules(max_years=6)),
    SmartieReport,
)
assert_type(ecl.smartie.max_years, float)
assert_type(cycle.round, int)
assert_type(cycle.past_rounds, tuple[EvidenceRound, ...])
assert_type(cycle.rounds, tuple[Mapping[str, str], ...])
reviewed = cycle.record("recalibration_review", "notes", dimension="student discipline")
assert_type(reviewed, CoachingCycle)
assert_type(reviewed.by_dimension, Mapping[str, Mapping[str, str]])
assert_type(reviewed.evidence_for("recalibration_review", round=1), Mapping[str, str])
assert_type(reviewed.dimensions("recalibration_review", ecl), tuple[str, ...])
assert_type(reviewed.past_rounds[0].by_dimension, Mapping[str, Mapping[str, str]])
