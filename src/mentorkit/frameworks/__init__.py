"""Competency frameworks, proficiency scales and assessments, as pluggable data.

A [`CompetencyFramework`][mentorkit.frameworks.CompetencyFramework] is a tree of
[`Competency`][mentorkit.frameworks.Competency] rated on a
[`ProficiencyScale`][mentorkit.frameworks.ProficiencyScale]. Built-in frameworks ship as data files;
third parties add their
own from a JSON or TOML file, a Python object ([`register`][mentorkit.frameworks.register]), the
entry point group
``mentorkit.frameworks``, or an IMS CASE package
([`mentorkit.frameworks.case`][mentorkit.frameworks.case]).
An [`Assessment`][mentorkit.frameworks.Assessment] is a stored rating of one person on one
competency.

Examples:
    >>> import datetime as dt
    >>> from mentorkit.frameworks import Assessment, Rater, load_framework
    >>> fw = load_framework("leader-growth")
    >>> fw.parent_of("empathy").title
    'Social-emotional'
    >>> a = Assessment(id="a-1", person_id="p-1", framework_id=fw.id, competency="empathy",
    ...                level="proficient", date=dt.date(2025, 1, 10), rater=Rater.COACH)
    >>> a.check(fw) is a
    True
"""

from mentorkit._catalogue import CatalogueEntry
from mentorkit.frameworks._assessment import Assessment, Rater
from mentorkit.frameworks._model import Competency, CompetencyFramework, Level, ProficiencyScale
from mentorkit.frameworks._queries import Growth, current_levels, growth, rated_at_least
from mentorkit.frameworks._registry import (
    list_frameworks,
    load_framework,
    register,
    registered_frameworks,
    unregister,
)

__all__ = [
    "Assessment",
    "CatalogueEntry",
    "Competency",
    "CompetencyFramework",
    "Growth",
    "Level",
    "ProficiencyScale",
    "Rater",
    "current_levels",
    "growth",
    "list_frameworks",
    "load_framework",
    "rated_at_least",
    "register",
    "registered_frameworks",
    "unregister",
]
