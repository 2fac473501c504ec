"""mentorkit: a typed Python SDK for mentoring and leadership-coaching programs.

Examples:
    >>> import datetime as dt
    >>> import mentorkit
    >>> ana = mentorkit.Person(id="p-1", name="Ana Ruiz", title="Assistant Principal")
    >>> mentorkit.from_json(mentorkit.to_json(ana)) == ana
    True
"""

from __future__ import annotations

import typing as _typing

from mentorkit.cycles import CoachingCycle, CycleDefinition, check_smartie, load_cycle
from mentorkit.errors import (
    ConflictError,
    MatchingError,
    MentorkitError,
    NotFoundError,
    StorageError,
    TransitionError,
    ValidationError,
)
from mentorkit.frameworks import Assessment, CompetencyFramework, load_framework
from mentorkit.matching import MatchingProblem, MatchResult, match
from mentorkit.measurement import DisclosurePolicy
from mentorkit.model import (
    ActionItem,
    ActionPlan,
    ActionStep,
    Activity,
    Artefact,
    Attendance,
    Award,
    Cohort,
    Commitment,
    Engagement,
    Enrollment,
    EnrollmentStatus,
    Entity,
    Event,
    Goal,
    LifecycleChange,
    Mentorship,
    MentorshipKind,
    MentorshipStatus,
    Milestone,
    MilestoneKind,
    OrgUnit,
    OrgUnitKind,
    Outcome,
    OutcomeKind,
    Period,
    Person,
    Program,
    Reflection,
    Role,
    RoleSpell,
    Session,
    SessionStatus,
    TeamMember,
)
from mentorkit.serialization import from_dict, from_json, to_dict, to_json
from mentorkit.storage import Store, open_store

__all__ = [
    "ActionItem",
    "ActionPlan",
    "ActionStep",
    "Activity",
    "Artefact",
    "Assessment",
    "Attendance",
    "Award",
    "CoachingCycle",
    "Cohort",
    "Commitment",
    "CompetencyFramework",
    "ConflictError",
    "CycleDefinition",
    "DisclosurePolicy",
    "Engagement",
    "Enrollment",
    "EnrollmentStatus",
    "Entity",
    "Event",
    "Goal",
    "LifecycleChange",
    "MatchResult",
    "MatchingError",
    "MatchingProblem",
    "MentorkitError",
    "Mentorship",
    "MentorshipKind",
    "MentorshipStatus",
    "Milestone",
    "MilestoneKind",
    "NotFoundError",
    "OrgUnit",
    "OrgUnitKind",
    "Outcome",
    "OutcomeKind",
    "Period",
    "Person",
    "Program",
    "Reflection",
    "Role",
    "RoleSpell",
    "Session",
    "SessionStatus",
    "StorageError",
    "Store",
    "TeamMember",
    "TransitionError",
    "ValidationError",
    "check_smartie",
    "from_dict",
    "from_json",
    "load_cycle",
    "load_framework",
    "match",
    "open_store",
    "to_dict",
    "to_json",
]


if _typing.TYPE_CHECKING:
    __version__: str
else:

    def __getattr__(name: str) -> str:
        # Read lazily so that `import mentorkit` does not touch package metadata.
        if name == "__version__":
            from importlib.metadata import version

            return version("mentorkit")
        raise AttributeError(f"module 'mentorkit' has no attribute {name!r}")
