"""What a program promises over time: commitments, milestones, and team members.

These are values carried by entities (a :class:`~mentorkit.model.Program` carries its
commitments and milestones, an :class:`~mentorkit.model.Engagement` its members), not
entities of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from mentorkit.errors import ValidationError
from mentorkit.model import _checks as c
from mentorkit.model._enums import Activity, Artefact, MentorshipStatus, MilestoneKind, Period

_S = MentorshipStatus
# The moves a mentorship may make (mentorkit.scheduling.TRANSITIONS publishes this table;
# a Mentorship checks its history against it).
_MOVES: Mapping[MentorshipStatus, frozenset[MentorshipStatus]] = MappingProxyType(
    {
        _S.PROPOSED: frozenset({_S.ACTIVE, _S.ENDED_EARLY}),
        _S.ACTIVE: frozenset({_S.PAUSED, _S.COMPLETED, _S.ENDED_EARLY}),
        _S.PAUSED: frozenset({_S.ACTIVE, _S.COMPLETED, _S.ENDED_EARLY}),
        _S.COMPLETED: frozenset(),
        _S.ENDED_EARLY: frozenset(),
    }
)


def _enum_of(enum: type[Any]) -> Any:
    def convert(value: Any) -> Any:
        if isinstance(value, str) and not isinstance(value, enum):
            try:
                return enum(value)
            except ValueError:
                return value
        return value

    return convert


def _period(value: Period | str) -> Period:
    converted: Period = _enum_of(Period)(value)
    return converted


def _milestone_kind(value: MilestoneKind | str) -> MilestoneKind:
    converted: MilestoneKind = _enum_of(MilestoneKind)(value)
    return converted


def _artefact(value: Artefact | str | None) -> Artefact | None:
    converted: Artefact | None = None if value is None else _enum_of(Artefact)(value)
    return converted


def _activities(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_enum_of(Activity)(v) for v in value)
    return value


def _strings(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(value)
    return value


def _optional_count(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("must be a whole number >= 1", field=attribute.name, value=value)


def _whole(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("must be a whole number", field=attribute.name, value=value)


def _optional_member(enum: type[Any]) -> Any:
    check = c.member_of(enum)

    def optional(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            check(inst, attribute, value)

    return optional


@attrs.frozen(kw_only=True)
class Commitment:
    """What a program promises per period: at least ``times`` meetings and/or ``minutes``.

    A commitment is data: NextGen's "three hours every month of shadowing, problems of
    practice, role play and network connection, with a monthly reflection" is
    ``Commitment(name="monthly time", per="month", minutes=180, activities=(...),
    artefact="reflection", periods=7)``. It applies to every pair (a mentorship) and every
    team (an [Engagement][mentorkit.model.Engagement]) of a cohort:

    * ``together=True``: the meeting counts once for the pair or team, and a team meeting
      counts only when every member whose role is in ``roles`` took part (every member when
      ``roles`` names none of the team's roles).
    * ``together=False``: it is counted for each member alone (for a pair, the mentee): only
      sessions with that member and no other member of the team count for them.

    Attributes:
        name: A short name, unique within the program ("joint meeting").
        per: The period it is counted over: week, month, quarter or year.
        times: Meetings at least, per period (``None``: no count promised).
        minutes: Minutes at least, per period (``None``: no dose promised). On-call
            sessions count as meetings but not as minutes.
        activities: Which session activities count (empty: any).
        roles: Who meets, by role ("mentor", "mentee"; "coach", "principal",
            "assistant_principal").
        together: Whether it is a joint meeting (see above) or one per member.
        artefact: What each mentee or member writes every period (a reflection), if any.
        periods: For how many periods from the pair's or team's start it runs (``None``:
            until the cohort ends).

    Raises:
        ValidationError: neither ``times`` nor ``minutes`` (naming ``times``), or a bad
            field.

    Examples:
        >>> Commitment(name="monthly time", per="month", minutes=180).per
        <Period.MONTH: 'month'>
        >>> Commitment(name="nothing", per="month")
        Traceback (most recent call last):
        ...
        mentorkit.errors.ValidationError: times: a commitment needs times (meetings) or minutes, or both
    """  # noqa: E501

    name: str = attrs.field(validator=c.identifier)
    per: Period = attrs.field(converter=_period, validator=c.member_of(Period))
    times: int | None = attrs.field(default=None, validator=_optional_count)
    minutes: int | None = attrs.field(default=None, validator=_optional_count)
    activities: tuple[Activity, ...] = attrs.field(
        default=(), converter=_activities, validator=c.tuple_of(Activity)
    )
    roles: tuple[str, ...] = attrs.field(default=(), converter=_strings, validator=c.identifiers)
    together: bool = attrs.field(default=True, validator=c.flag)
    artefact: Artefact | None = attrs.field(
        default=None, converter=_artefact, validator=_optional_member(Artefact)
    )
    periods: int | None = attrs.field(default=None, validator=_optional_count)

    def __attrs_post_init__(self) -> None:
        if self.times is None and self.minutes is None:
            raise ValidationError(
                "a commitment needs times (meetings) or minutes, or both", field="times"
            )

    def counts(self, activities: Iterable[Activity]) -> bool:
        """Whether a session of these activities counts towards this commitment."""
        return not self.activities or any(a in self.activities for a in activities)


@attrs.frozen(kw_only=True)
class Milestone:
    """A dated step of every cohort of a program, relative to the cohort's start or end.

    NextGen's application deadline of March 25 for a cohort starting on June 1 is
    ``Milestone(name="Applications close", kind="application_deadline", days=-68)``; its
    closing award event a month after the December end is ``days=30, from_end=True``.

    Attributes:
        name: What it is called on the calendar.
        kind: Which step it is.
        days: Days after the cohort's start (or end, with ``from_end``); negative for before.
        from_end: Count ``days`` from the cohort's end instead of its start.
        minutes: How long it lasts, for events people attend (``None``: a deadline).
        roles: Who is expected to attend (empty: everyone enrolled).

    Examples:
        >>> Milestone(name="Mentor training", kind="mentor_training", days=7, minutes=120).kind
        <MilestoneKind.MENTOR_TRAINING: 'mentor_training'>
    """

    name: str = attrs.field(validator=c.identifier)
    kind: MilestoneKind = attrs.field(
        converter=_milestone_kind, validator=c.member_of(MilestoneKind)
    )
    days: int = attrs.field(default=0, validator=_whole)
    from_end: bool = attrs.field(default=False, validator=c.flag)
    minutes: int | None = attrs.field(default=None, validator=_optional_count)
    roles: tuple[str, ...] = attrs.field(default=(), converter=_strings, validator=c.identifiers)


@attrs.frozen(kw_only=True)
class TeamMember:
    """A member of a coaching team: a person, their role on the team, their mentorship.

    Attributes:
        person_id: The member.
        role: Their role on the team ("principal", "assistant_principal").
        mentorship_id: The member's coaching mentorship with the coach, if one is recorded:
            sessions of that mentorship without an ``engagement_id`` count as the member's
            individual meetings.
    """

    person_id: str = attrs.field(validator=c.identifier)
    role: str = attrs.field(default="member", validator=c.identifier)
    mentorship_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
