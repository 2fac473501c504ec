"""The typed domain model: frozen attrs entities with string ids, and their enums.

Examples:
    >>> import datetime as dt
    >>> from mentorkit.model import Mentorship, MentorshipKind
    >>> m = Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2", start=dt.date(2024, 8, 1),
    ...                kind=MentorshipKind.ONE_TO_ONE)
    >>> m.active_on(dt.date(2025, 1, 1))
    True
"""

from mentorkit.model._entities import (
    ActionItem,
    ActionPlan,
    ActionStep,
    Cohort,
    Enrollment,
    Entity,
    Goal,
    Mentorship,
    OrgUnit,
    Outcome,
    Person,
    Program,
    Reflection,
    RoleSpell,
    Session,
)
from mentorkit.model._enums import (
    Activity,
    EnrollmentStatus,
    MentorshipKind,
    OrgUnitKind,
    OutcomeKind,
    Role,
    SessionStatus,
)

__all__ = [
    "ActionItem",
    "ActionPlan",
    "ActionStep",
    "Activity",
    "Cohort",
    "Enrollment",
    "EnrollmentStatus",
    "Entity",
    "Goal",
    "Mentorship",
    "MentorshipKind",
    "OrgUnit",
    "OrgUnitKind",
    "Outcome",
    "OutcomeKind",
    "Person",
    "Program",
    "Reflection",
    "Role",
    "RoleSpell",
    "Session",
    "SessionStatus",
]
