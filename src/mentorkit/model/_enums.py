"""Enumerations of the domain model; every value is a lower-case string."""

from __future__ import annotations

from enum import StrEnum


class OrgUnitKind(StrEnum):
    """The kind of an organisational unit."""

    SCHOOL = "school"
    NETWORK = "network"
    CENTRAL_OFFICE = "central_office"
    DISTRICT = "district"


class Role(StrEnum):
    """The role a person plays in a cohort."""

    MENTEE = "mentee"
    MENTOR = "mentor"
    COACH = "coach"


class EnrollmentStatus(StrEnum):
    """Where an enrolment stands, from application to completion."""

    APPLIED = "applied"
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"
    ACTIVE = "active"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class MentorshipKind(StrEnum):
    """The shape of a mentoring relationship."""

    ONE_TO_ONE = "one_to_one"
    GROUP = "group"
    COACHING = "coaching"
    PEER = "peer"
    REVERSE = "reverse"


class Activity(StrEnum):
    """What a session was spent on."""

    SHADOWING = "shadowing"
    PROBLEM_OF_PRACTICE = "problem_of_practice"
    ROLE_PLAY = "role_play"
    CLASSROOM_VISIT = "classroom_visit"
    NETWORK_CONNECTION = "network_connection"
    COACHING_MEETING = "coaching_meeting"
    SITE_WALKTHROUGH = "site_walkthrough"
    OTHER = "other"


class SessionStatus(StrEnum):
    """Whether a session was only planned, took place, or was cancelled."""

    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class OutcomeKind(StrEnum):
    """A measurable result of a program for a person."""

    PROMOTION = "promotion"
    ROLE_CHANGE = "role_change"
    STUDENTS_REACHED = "students_reached"


class MentorshipStatus(StrEnum):
    """Where a mentoring relationship stands in its lifecycle."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"


class Period(StrEnum):
    """The period a commitment is counted over (calendar weeks start on Monday)."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class Artefact(StrEnum):
    """What a commitment asks a participant to write each period."""

    REFLECTION = "reflection"


class MilestoneKind(StrEnum):
    """The dated steps of a cohort, from application to celebration."""

    APPLICATION_OPENS = "application_opens"
    APPLICATION_DEADLINE = "application_deadline"
    SELECTION_NOTICE = "selection_notice"
    AGREEMENT_SIGNED = "agreement_signed"
    ORIENTATION = "orientation"
    MENTOR_TRAINING = "mentor_training"
    CLOSING_CELEBRATION = "closing_celebration"
    OTHER = "other"
