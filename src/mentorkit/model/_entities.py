"""The frozen attrs classes of the mentoring domain.

Every entity has a string ``id`` and a ``version`` that stores use for optimistic
concurrency (a store bumps it on each write). Change an entity with `attrs.evolve`
and put it back into the store. All fields are keyword-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any, ClassVar, TypeVar

import attrs

from mentorkit.errors import ValidationError
from mentorkit.model import _checks as c
from mentorkit.model._checks import lenient as _lenient
from mentorkit.model._enums import (
    Activity,
    EnrollmentStatus,
    MentorshipKind,
    MentorshipStatus,
    MilestoneKind,
    OrgUnitKind,
    OutcomeKind,
    Role,
    SessionStatus,
)
from mentorkit.model._schedule import _MOVES, Commitment, Milestone, TeamMember

_E = TypeVar("_E", bound=Enum)


@attrs.frozen(kw_only=True)
class Entity:
    """Base of every stored entity: a string ``id`` and a concurrency ``version``.

    ``version`` is 0 for an entity never stored; a store returns the stored entity with its
    new version from ``put``. Subclass an entity (not this base) to add fields of your own.
    """

    #: The name of the store collection this entity and its subclasses live in.
    collection: ClassVar[str] = "entity"

    id: str = attrs.field(validator=c.identifier)
    version: int = attrs.field(default=0, validator=c.version_number, repr=False)


# Enum fields also take their lower-case string values ("mentee"); anything else is left
# for the validator, which names the field and the allowed values.
def _member(enum: type[_E], value: object) -> Any:
    if isinstance(value, str) and not isinstance(value, enum):
        try:
            return enum(value)
        except ValueError:
            return value
    return value


def _org_unit_kind(value: OrgUnitKind | str) -> OrgUnitKind:
    converted: OrgUnitKind = _member(OrgUnitKind, value)
    return converted


def _role(value: Role | str) -> Role:
    converted: Role = _member(Role, value)
    return converted


def _enrollment_status(value: EnrollmentStatus | str) -> EnrollmentStatus:
    converted: EnrollmentStatus = _member(EnrollmentStatus, value)
    return converted


def _mentorship_kind(value: MentorshipKind | str) -> MentorshipKind:
    converted: MentorshipKind = _member(MentorshipKind, value)
    return converted


def _mentorship_status(value: MentorshipStatus | str) -> MentorshipStatus:
    converted: MentorshipStatus = _member(MentorshipStatus, value)
    return converted


def _changes(value: Iterable[LifecycleChange]) -> tuple[LifecycleChange, ...]:
    converted: tuple[LifecycleChange, ...] = _tuple(value)
    return converted


def _activity(value: Activity | str) -> Activity:
    converted: Activity = _member(Activity, value)
    return converted


def _session_status(value: SessionStatus | str) -> SessionStatus:
    converted: SessionStatus = _member(SessionStatus, value)
    return converted


def _outcome_kind(value: OutcomeKind | str) -> OutcomeKind:
    converted: OutcomeKind = _member(OutcomeKind, value)
    return converted


# The converters turn lists into tuples and leave anything else (a lone string, a number)
# alone, so that the field's validator rejects it naming the field: never split "abc" into
# ("a", "b", "c").
# The one place these converters are made lenient (see model._checks.lenient): what they
# cannot convert goes to the field's validator, which raises ValidationError naming the field.
@_lenient
def _as_tuple(value: Any) -> Any:
    if isinstance(value, list | tuple) or (
        isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping)
    ):
        return tuple(value)
    return value


def _tuple(value: Any) -> Any:
    return _as_tuple(value)


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    converted: tuple[str, ...] = _tuple(value)
    return converted


def _spells(value: Iterable[RoleSpell]) -> tuple[RoleSpell, ...]:
    converted: tuple[RoleSpell, ...] = _tuple(value)
    return converted


def _steps(value: Iterable[ActionStep]) -> tuple[ActionStep, ...]:
    converted: tuple[ActionStep, ...] = _tuple(value)
    return converted


def _activities(value: Iterable[Activity | str]) -> tuple[Activity, ...]:
    converted: tuple[Activity, ...] = _tuple(value)
    if isinstance(converted, tuple):
        converted = tuple(_activity(v) for v in converted)
    return converted


def _members(value: Iterable[TeamMember]) -> tuple[TeamMember, ...]:
    converted: tuple[TeamMember, ...] = _tuple(value)
    return converted


def _milestone_kind(value: MilestoneKind | str) -> MilestoneKind:
    converted: MilestoneKind = _member(MilestoneKind, value)
    return converted


@_lenient
def _dict(value: Any) -> Any:
    return dict(value) if isinstance(value, Mapping) else value


def _mapping(value: Mapping[str, str] | None) -> Mapping[str, str] | None:
    converted: Mapping[str, str] | None = _dict(value)
    return converted


@attrs.frozen(kw_only=True)
class OrgUnit(Entity):
    """A school, network, central office or the district itself.

    Examples:
        >>> OrgUnit(id="sch-1", name="Lincoln Elementary", kind=OrgUnitKind.SCHOOL,
        ...         parent_id="net-1")
        OrgUnit(id='sch-1', name='Lincoln Elementary', kind=<OrgUnitKind.SCHOOL: 'school'>, parent_id='net-1')
    """  # noqa: E501

    collection: ClassVar[str] = "org_unit"

    name: str = attrs.field(validator=c.text)
    kind: OrgUnitKind = attrs.field(converter=_org_unit_kind, validator=c.member_of(OrgUnitKind))
    parent_id: str | None = attrs.field(default=None, validator=c.optional_identifier)

    def __attrs_post_init__(self) -> None:
        c.distinct(self.parent_id, self.id, field="parent_id", other="id")


@attrs.frozen(kw_only=True)
class RoleSpell:
    """A period in which a person held a title in an org unit (part of their role history)."""

    title: str = attrs.field(validator=c.text)
    start: dt.date = attrs.field(validator=c.is_date)
    end: dt.date | None = attrs.field(default=None, validator=c.optional_date)
    org_unit_id: str | None = attrs.field(default=None, validator=c.optional_identifier)

    def __attrs_post_init__(self) -> None:
        c.not_before(self.start, self.end)


@attrs.frozen(kw_only=True)
class Person(Entity):
    """A member of staff: a mentee (fellow), mentor or coach, often several over the years.

    ``email`` and ``demographics`` are personal data: they are left out of ``repr`` and
    dropped or pseudonymised by exports unless asked for.

    Examples:
        >>> Person(id="p-1", name="Ada Ruiz", email="ada@example.org",
        ...        demographics={"gender": "f"})
        Person(id='p-1', name='Ada Ruiz', title='', org_unit_id=None, supervisor_id=None)
    """

    collection: ClassVar[str] = "person"

    name: str = attrs.field(validator=c.text)
    title: str = attrs.field(default="", validator=c.text)
    org_unit_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    supervisor_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    email: str | None = attrs.field(default=None, validator=c.optional_private_text, repr=False)
    roles: tuple[RoleSpell, ...] = attrs.field(
        default=(), converter=_spells, validator=c.tuple_of(RoleSpell), repr=False
    )
    demographics: Mapping[str, str] | None = attrs.field(
        default=None, converter=_mapping, validator=c.private_mapping, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        c.distinct(self.supervisor_id, self.id, field="supervisor_id", other="id")

    def role_on(self, day: dt.date) -> RoleSpell | None:
        """The role spell that covers ``day`` (the latest one if several overlap), if any."""
        current = [r for r in self.roles if r.start <= day and (r.end is None or day <= r.end)]
        return max(current, key=lambda r: r.start) if current else None


@attrs.frozen(kw_only=True)
class Program(Entity):
    """A mentoring or coaching program, run against a competency framework and cycle.

    ``commitments`` say what the program promises per period (see
    [Commitment][mentorkit.model.Commitment]); ``milestones`` its dated steps, which every
    cohort instantiates with its own dates.
    """

    collection: ClassVar[str] = "program"

    name: str = attrs.field(validator=c.text)
    description: str = attrs.field(default="", validator=c.text, repr=False)
    framework_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    cycle_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    commitments: tuple[Commitment, ...] = attrs.field(
        default=(), converter=_tuple, validator=c.tuple_of(Commitment), repr=False
    )
    milestones: tuple[Milestone, ...] = attrs.field(
        default=(), converter=_tuple, validator=c.tuple_of(Milestone), repr=False
    )

    def __attrs_post_init__(self) -> None:
        names = [k.name for k in self.commitments]
        for index, name in enumerate(names):
            if name in names[:index]:
                raise ValidationError(
                    "names must be unique", field=f"commitments[{index}].name", value=name
                )


@attrs.frozen(kw_only=True)
class Cohort(Entity):
    """One year (or other period) of a program."""

    collection: ClassVar[str] = "cohort"

    program_id: str = attrs.field(validator=c.identifier)
    name: str = attrs.field(validator=c.text)
    start: dt.date = attrs.field(validator=c.is_date)
    end: dt.date = attrs.field(validator=c.is_date)

    def __attrs_post_init__(self) -> None:
        c.not_before(self.start, self.end)


@attrs.frozen(kw_only=True)
class Enrollment(Entity):
    """A person's place in a cohort, in one role, with where the application stands.

    ``focus_competencies`` are the competency codes a mentee chose to grow, most important
    first. ``applied`` is the day the application came in, ``agreement_signed`` the day the
    participant signed the program's agreement (a memorandum of understanding).

    ``capacity`` is how many mentees a mentor (or coach) takes in this cohort, if they said;
    matching uses it before any default ([cohort_profiles][mentorkit.matching.cohort_profiles],
    ``mentorkit match``). ``None`` (the default, and what enrolments stored before the field
    existed read as) means not recorded; ``0`` means they take nobody this time. A mentee
    enrolment takes no capacity: one is refused.

    Examples:
        >>> Enrollment(id="e-1", person_id="p-1", cohort_id="c-1", role="mentor",
        ...            status="selected", capacity=2).capacity
        2
        >>> Enrollment(id="e-2", person_id="p-2", cohort_id="c-1", role="mentee", capacity=1)
        Traceback (most recent call last):
        ...
        mentorkit.errors.ValidationError: capacity: is for mentor and coach enrolments, not a mentee's (got 1)
    """  # noqa: E501

    collection: ClassVar[str] = "enrollment"

    person_id: str = attrs.field(validator=c.identifier)
    cohort_id: str = attrs.field(validator=c.identifier)
    role: Role = attrs.field(converter=_role, validator=c.member_of(Role))
    status: EnrollmentStatus = attrs.field(
        default=EnrollmentStatus.APPLIED,
        converter=_enrollment_status,
        validator=c.member_of(EnrollmentStatus),
    )
    focus_competencies: tuple[str, ...] = attrs.field(
        default=(), converter=_ids, validator=c.identifiers
    )
    applied: dt.date | None = attrs.field(default=None, validator=c.optional_date)
    agreement_signed: dt.date | None = attrs.field(default=None, validator=c.optional_date)
    capacity: int | None = attrs.field(default=None, validator=c.optional_capacity)

    def __attrs_post_init__(self) -> None:
        if self.capacity is not None and self.role is Role.MENTEE:
            raise ValidationError(
                "is for mentor and coach enrolments, not a mentee's",
                field="capacity",
                value=self.capacity,
            )


@attrs.frozen(kw_only=True)
class LifecycleChange:
    """One entry of a mentorship's status history: from which status to which, when, who, why.

    ``reason`` is kept out of ``repr`` (it may be personal).
    """

    source: MentorshipStatus = attrs.field(
        converter=_mentorship_status, validator=c.member_of(MentorshipStatus)
    )
    target: MentorshipStatus = attrs.field(
        converter=_mentorship_status, validator=c.member_of(MentorshipStatus)
    )
    at: dt.datetime = attrs.field(validator=c.aware)
    by: str | None = attrs.field(default=None, validator=c.optional_identifier)
    reason: str = attrs.field(default="", validator=c.text, repr=False)


@attrs.frozen(kw_only=True)
class Mentorship(Entity):
    """A mentor guiding a mentee for a period (an edge of the mentorship graph).

    Examples:
        >>> Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-1",
        ...            start=dt.date(2024, 8, 1))
        Traceback (most recent call last):
        ...
        mentorkit.errors.ValidationError: mentee_id: must differ from mentor_id (got 'p-1')
    """

    collection: ClassVar[str] = "mentorship"

    mentor_id: str = attrs.field(validator=c.identifier)
    mentee_id: str = attrs.field(validator=c.identifier)
    start: dt.date = attrs.field(validator=c.is_date)
    end: dt.date | None = attrs.field(default=None, validator=c.optional_date)
    kind: MentorshipKind = attrs.field(
        default=MentorshipKind.ONE_TO_ONE,
        converter=_mentorship_kind,
        validator=c.member_of(MentorshipKind),
    )
    program_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    cohort_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    group_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    # The lifecycle (documents written before it existed read as active, with no history);
    # mentorkit.scheduling.transition() moves it and checks the move.
    status: MentorshipStatus = attrs.field(
        default=MentorshipStatus.ACTIVE,
        converter=_mentorship_status,
        validator=c.member_of(MentorshipStatus),
    )
    end_reason: str | None = attrs.field(default=None, validator=c.optional_text, repr=False)
    history: tuple[LifecycleChange, ...] = attrs.field(
        default=(), converter=_changes, validator=c.tuple_of(LifecycleChange), repr=False
    )

    def __attrs_post_init__(self) -> None:
        c.distinct(self.mentee_id, self.mentor_id, field="mentee_id", other="mentor_id")
        c.not_before(self.start, self.end)
        _check_lifecycle(self)

    def active_on(self, day: dt.date) -> bool:
        """Whether the mentorship has begun by ``day`` and not yet ended."""
        return self.start <= day and (self.end is None or day <= self.end)


def _check_lifecycle(m: Mentorship) -> None:
    """An ended_early status has a reason (and only it); the history is one unbroken walk."""
    if m.status is MentorshipStatus.ENDED_EARLY:
        if not (isinstance(m.end_reason, str) and m.end_reason.strip()):
            raise ValidationError(
                "must say why an ended_early mentorship ended", field="end_reason"
            )
    elif m.end_reason is not None:
        raise ValidationError("is only for an ended_early mentorship", field="end_reason")
    for i, change in enumerate(m.history):
        before = m.history[i - 1] if i else None
        if before is not None and change.source is not before.target:
            raise ValidationError(
                f"must start where the change before it ended ({before.target.value!r})",
                field=f"history[{i}].source",
                value=change.source.value,
            )
        if change.target not in _MOVES[change.source]:
            raise ValidationError(
                f"is not a move the lifecycle allows from {change.source.value!r}",
                field=f"history[{i}].target",
                value=change.target.value,
            )
        if before is not None and change.at < before.at:
            raise ValidationError(
                f"must not be before {before.at.isoformat()}", field=f"history[{i}].at",
                value=change.at,
            )  # fmt: skip
    if m.history and m.history[-1].target is not m.status:
        raise ValidationError(
            f"must be where the last change ended ({m.history[-1].target.value!r})",
            field="status",
            value=m.status.value,
        )


@attrs.frozen(kw_only=True)
class Session(Entity):
    """A meeting of a mentorship: when, how long, doing what, and who took part.

    ``activity`` is the main activity, ``activities`` any further ones. A session of a team
    engagement names it in ``engagement_id`` (and the people present in ``participants``;
    none listed means the whole team); ``mentorship_id`` is the coaching mentorship it is
    filed under. An ``on_call`` session (an ad-hoc call) counts as contact, not as dose.

    ``topic`` is what the meeting was about, in the program's words: the dilemma or
    problem of practice brought, the focus skill worked on. ``protocol`` names the
    structured protocol the meeting followed ("Consultancy", "What? So What? Now What?");
    it is indexed, so ``store.find(Session, protocol="Consultancy")`` is one query. Both are
    optional (``None``: not recorded); a protocol is a non-empty name without surrounding
    spaces.

    Examples:
        >>> import datetime as dt
        >>> s = Session(id="s-1", mentorship_id="ms-1",
        ...             start=dt.datetime(2023, 9, 5, 16, tzinfo=dt.UTC), minutes=60,
        ...             activity="problem_of_practice",
        ...             topic="PLCs stay polite instead of looking at student data",
        ...             protocol="What? So What? Now What?")
        >>> s.protocol, s.end.hour
        ('What? So What? Now What?', 17)
    """

    collection: ClassVar[str] = "session"

    mentorship_id: str = attrs.field(validator=c.identifier)
    start: dt.datetime = attrs.field(validator=c.aware)
    minutes: int = attrs.field(validator=c.non_negative)
    activity: Activity = attrs.field(
        default=Activity.OTHER, converter=_activity, validator=c.member_of(Activity)
    )
    status: SessionStatus = attrs.field(
        default=SessionStatus.HELD, converter=_session_status, validator=c.member_of(SessionStatus)
    )
    participants: tuple[str, ...] = attrs.field(default=(), converter=_ids, validator=c.identifiers)
    notes: str = attrs.field(default="", validator=c.text, repr=False)
    engagement_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    activities: tuple[Activity, ...] = attrs.field(
        default=(), converter=_activities, validator=c.tuple_of(Activity)
    )
    on_call: bool = attrs.field(default=False, validator=c.flag)
    topic: str | None = attrs.field(default=None, validator=c.optional_text, repr=False)
    protocol: str | None = attrs.field(default=None, validator=c.optional_identifier)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.minutes, float):
            raise ValidationError(
                "must be a whole number of minutes", field="minutes", value=self.minutes
            )
        try:
            self.end  # noqa: B018 - the end must be a datetime Python can hold
        except OverflowError:
            raise ValidationError(
                "ends after the year 9999", field="minutes", value=self.minutes
            ) from None

    @property
    def end(self) -> dt.datetime:
        """When the session ends: ``start`` plus ``minutes``."""
        return self.start + dt.timedelta(minutes=self.minutes)


@attrs.frozen(kw_only=True)
class ActionItem(Entity):
    """A next step someone agreed to take, usually at the end of a session."""

    collection: ClassVar[str] = "action_item"

    owner_id: str = attrs.field(validator=c.identifier)
    text: str = attrs.field(validator=c.text, repr=False)
    due: dt.date | None = attrs.field(default=None, validator=c.optional_date)
    done: bool = attrs.field(default=False, validator=c.boolean)
    session_id: str | None = attrs.field(default=None, validator=c.optional_identifier)


@attrs.frozen(kw_only=True)
class Reflection(Entity):
    """A person's written reflection, on a mentorship or a session."""

    collection: ClassVar[str] = "reflection"

    person_id: str = attrs.field(validator=c.identifier)
    written: dt.date = attrs.field(validator=c.is_date)
    text: str = attrs.field(validator=c.text, repr=False)
    mentorship_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    session_id: str | None = attrs.field(default=None, validator=c.optional_identifier)


@attrs.frozen(kw_only=True)
class Goal(Entity):
    """An individual goal, ideally SMARTIE.

    A SMARTIE goal (strategic, measurable, attainable, realistic, time-bound, inclusive,
    equitable) serves a strategic priority, moves a measure from a baseline (taken on
    ``start``) to a target by a deadline, names the supports that make it attainable, and
    names the student group it serves, the stakeholders it includes and the gap it closes.
    [`mentorkit.cycles.check_smartie`][mentorkit.cycles.check_smartie] says which criteria a goal
    meets.
    """

    collection: ClassVar[str] = "goal"

    person_id: str = attrs.field(validator=c.identifier)
    statement: str = attrs.field(validator=c.text)
    measure: str | None = attrs.field(default=None, validator=c.optional_text)
    baseline: float | None = attrs.field(default=None, validator=c.optional_number)
    target: float | None = attrs.field(default=None, validator=c.optional_number)
    deadline: dt.date | None = attrs.field(default=None, validator=c.optional_date)
    student_group: str | None = attrs.field(default=None, validator=c.optional_text)
    strategic_priority: str | None = attrs.field(default=None, validator=c.optional_text)
    start: dt.date | None = attrs.field(default=None, validator=c.optional_date)
    supports: tuple[str, ...] = attrs.field(default=(), converter=_ids, validator=c.texts)
    stakeholders: tuple[str, ...] = attrs.field(default=(), converter=_ids, validator=c.texts)
    equity_focus: str | None = attrs.field(default=None, validator=c.optional_text)


@attrs.frozen(kw_only=True)
class ActionStep:
    """One step of an action plan."""

    text: str = attrs.field(validator=c.text)
    due: dt.date | None = attrs.field(default=None, validator=c.optional_date)
    owner_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    done: bool = attrs.field(default=False, validator=c.boolean)


@attrs.frozen(kw_only=True)
class ActionPlan(Entity):
    """The steps towards a goal, with the student outcomes that will show it worked."""

    collection: ClassVar[str] = "action_plan"

    person_id: str = attrs.field(validator=c.identifier)
    goal_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    steps: tuple[ActionStep, ...] = attrs.field(
        default=(), converter=_steps, validator=c.tuple_of(ActionStep)
    )
    student_outcomes: tuple[str, ...] = attrs.field(default=(), converter=_ids, validator=c.texts)


@attrs.frozen(kw_only=True)
class Outcome(Entity):
    """A result for a person: a promotion, a role change, or a number of students reached."""

    collection: ClassVar[str] = "outcome"

    person_id: str = attrs.field(validator=c.identifier)
    kind: OutcomeKind = attrs.field(converter=_outcome_kind, validator=c.member_of(OutcomeKind))
    date: dt.date = attrs.field(validator=c.is_date)
    value: float | None = attrs.field(default=None, validator=c.optional_number)
    note: str = attrs.field(default="", validator=c.text, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.kind is OutcomeKind.STUDENTS_REACHED and (self.value is None or self.value < 0):
            raise ValidationError(
                "students_reached needs a value >= 0", field="value", value=self.value
            )


@attrs.frozen(kw_only=True)
class Engagement(Entity):
    """A coach working with a school team (a principal and an assistant principal) at once.

    One joint session (``Session.engagement_id`` set, every member present) counts once for
    the team; a session with one member counts for that member alone.

    Examples:
        >>> Engagement(id="eng-1", coach_id="p-9", members=[])
        Traceback (most recent call last):
        ...
        mentorkit.errors.ValidationError: members: an engagement needs at least one member (got ())
    """

    collection: ClassVar[str] = "engagement"

    coach_id: str = attrs.field(validator=c.identifier)
    members: tuple[TeamMember, ...] = attrs.field(
        converter=_members, validator=c.tuple_of(TeamMember)
    )
    cohort_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    program_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    org_unit_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    start: dt.date | None = attrs.field(default=None, validator=c.optional_date)
    end: dt.date | None = attrs.field(default=None, validator=c.optional_date)

    def __attrs_post_init__(self) -> None:
        if not self.members:
            raise ValidationError(
                "an engagement needs at least one member", field="members", value=self.members
            )
        seen: set[str] = set()
        for index, member in enumerate(self.members):
            if member.person_id == self.coach_id or member.person_id in seen:
                raise ValidationError(
                    "must be a different person from the coach and every other member",
                    field=f"members[{index}].person_id",
                    value=member.person_id,
                )
            seen.add(member.person_id)
        mentorships = [m.mentorship_id for m in self.members]
        for index, ms in enumerate(mentorships):
            if ms is not None and ms in mentorships[:index]:
                raise ValidationError(
                    "must be this member's own coaching mentorship (another member names it)",
                    field=f"members[{index}].mentorship_id",
                    value=ms,
                )
        c.not_before(self.start, self.end)

    @property
    def person_ids(self) -> tuple[str, ...]:
        """The members' person ids, in order."""
        return tuple(m.person_id for m in self.members)


@attrs.frozen(kw_only=True)
class Event(Entity):
    """A cohort's milestone on a date: a deadline, an orientation, a celebration."""

    collection: ClassVar[str] = "event"

    cohort_id: str = attrs.field(validator=c.identifier)
    kind: MilestoneKind = attrs.field(
        converter=_milestone_kind, validator=c.member_of(MilestoneKind)
    )
    name: str = attrs.field(validator=c.text)
    date: dt.date = attrs.field(validator=c.is_date)
    start: dt.datetime | None = attrs.field(default=None, validator=c.optional_aware)
    minutes: int | None = attrs.field(default=None, validator=c.optional_count)
    program_id: str | None = attrs.field(default=None, validator=c.optional_identifier)


@attrs.frozen(kw_only=True)
class Attendance(Entity):
    """Whether one person attended one event."""

    collection: ClassVar[str] = "attendance"

    event_id: str = attrs.field(validator=c.identifier)
    person_id: str = attrs.field(validator=c.identifier)
    cohort_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    attended: bool = attrs.field(default=True, validator=c.flag)


@attrs.frozen(kw_only=True)
class Award(Entity):
    """A recognition given to one person in a cohort: an award, a certificate, a citation.

    A pair's (or a team's) award is one record per member, each with the same ``name`` and
    ``date`` and, for a pair, its ``mentorship_id``; ``event_id`` is the event where it was
    given (a closing celebration), ``reason`` what it was given for. Stores index awards by
    cohort, person and event: ``store.find(Award, cohort_id=...)`` lists a cohort's awards.

    Examples:
        >>> award = Award(id="aw-1", person_id="p-1", cohort_id="coh-2024",
        ...               name="Lead with CPS", date=dt.date(2025, 1, 23),
        ...               reason="kept all seven months")
        >>> award.name, award.event_id
        ('Lead with CPS', None)
        >>> Award(id="aw-2", person_id="p-1", cohort_id="coh-2024", name=" ",
        ...       date=dt.date(2025, 1, 23))
        Traceback (most recent call last):
        ...
        mentorkit.errors.ValidationError: name: must not be blank (got ' ')
    """

    collection: ClassVar[str] = "award"

    person_id: str = attrs.field(validator=c.identifier)
    cohort_id: str = attrs.field(validator=c.identifier)
    name: str = attrs.field(validator=[c.text, c.not_blank])
    date: dt.date = attrs.field(validator=c.is_date)
    event_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    mentorship_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    reason: str = attrs.field(default="", validator=c.text)
