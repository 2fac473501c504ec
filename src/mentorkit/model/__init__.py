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
    Attendance,
    Award,
    Cohort,
    Engagement,
    Enrollment,
    Entity,
    Event,
    Goal,
    LifecycleChange,
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
    Artefact,
    EnrollmentStatus,
    MentorshipKind,
    MentorshipStatus,
    MilestoneKind,
    OrgUnitKind,
    OutcomeKind,
    Period,
    Role,
    SessionStatus,
)
from mentorkit.model._schedule import Commitment, Milestone, TeamMember

__all__ = [
    "ActionItem",
    "ActionPlan",
    "ActionStep",
    "Activity",
    "Artefact",
    "Attendance",
    "Award",
    "Cohort",
    "Commitment",
    "Engagement",
    "Enrollment",
    "EnrollmentStatus",
    "Entity",
    "Event",
    "Goal",
    "LifecycleChange",
    "Mentorship",
    "MentorshipKind",
    "MentorshipStatus",
    "Milestone",
    "MilestoneKind",
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
    "TeamMember",
]
