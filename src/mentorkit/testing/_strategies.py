"""Hypothesis strategies for every entity of the model (needs the ``test`` extra)."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from hypothesis import strategies as st

from mentorkit import model as m
from mentorkit.model._checks import MAX_CAPACITY

E = TypeVar("E", bound=m.Entity)

_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-_.:"


def ids() -> st.SearchStrategy[str]:
    """Entity ids: short, non-empty strings of URL-safe characters."""
    return st.text(_ID_ALPHABET, min_size=1, max_size=12)


def texts(max_size: int = 40) -> st.SearchStrategy[str]:
    """Free text, any Unicode except lone surrogates (which no UTF-8 file can hold)."""
    return st.text(st.characters(exclude_categories=["Cs"]), max_size=max_size)


def dates() -> st.SearchStrategy[dt.date]:
    """Calendar dates between 1990 and 2060."""
    return st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31))


def aware_datetimes() -> st.SearchStrategy[dt.datetime]:
    """Timezone-aware date-times with fixed UTC offsets in whole minutes."""
    offsets = st.integers(-14 * 60, 14 * 60).map(
        lambda mins: dt.timezone(dt.timedelta(minutes=mins))
    )
    return st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2060, 12, 31), timezones=offsets)


def _numbers() -> st.SearchStrategy[float | None]:
    return st.none() | st.floats(allow_nan=False, allow_infinity=False, width=64)


@st.composite
def _period(draw: st.DrawFn, *, optional_end: bool = True) -> tuple[dt.date, dt.date | None]:
    start = draw(dates())
    if optional_end and draw(st.booleans()):
        return start, None
    return start, start + dt.timedelta(days=draw(st.integers(0, 3000)))


def _other_id(avoid: str) -> st.SearchStrategy[str]:
    return ids().filter(lambda i: i != avoid)


@st.composite
def org_units(draw: st.DrawFn) -> m.OrgUnit:
    """Generated [`OrgUnit`][mentorkit.model.OrgUnit] entities."""
    uid = draw(ids())
    return m.OrgUnit(
        id=uid,
        name=draw(texts()),
        kind=draw(st.sampled_from(m.OrgUnitKind)),
        parent_id=draw(st.none() | _other_id(uid)),
    )


@st.composite
def role_spells(draw: st.DrawFn) -> m.RoleSpell:
    """Generated entries of a person's role history."""
    start, end = draw(_period())
    return m.RoleSpell(
        title=draw(texts()), start=start, end=end, org_unit_id=draw(st.none() | ids())
    )


@st.composite
def persons(draw: st.DrawFn) -> m.Person:
    """Generated [`Person`][mentorkit.model.Person] entities, demographics included."""
    pid = draw(ids())
    spells: st.SearchStrategy[m.RoleSpell] = role_spells()
    return m.Person(
        id=pid,
        name=draw(texts()),
        title=draw(texts()),
        org_unit_id=draw(st.none() | ids()),
        supervisor_id=draw(st.none() | _other_id(pid)),
        email=draw(st.none() | st.emails()),
        roles=draw(st.lists(spells, max_size=3).map(tuple)),
        demographics=draw(st.none() | st.dictionaries(texts(10), texts(10), max_size=3)),
    )


@st.composite
def commitments(draw: st.DrawFn) -> m.Commitment:
    """Generated [`Commitment`][mentorkit.model.Commitment] values (meetings, minutes or both)."""
    which = draw(st.sampled_from(("times", "minutes", "both")))
    times = None if which == "minutes" else draw(st.integers(1, 8))
    minutes = None if which == "times" else draw(st.integers(1, 600))
    return m.Commitment(
        name=draw(ids()),
        per=draw(st.sampled_from(m.Period)),
        times=times,
        minutes=minutes,
        activities=tuple(draw(st.lists(st.sampled_from(m.Activity), max_size=3, unique=True))),
        roles=tuple(draw(st.lists(ids(), max_size=3))),
        together=draw(st.booleans()),
        artefact=draw(st.none() | st.sampled_from(m.Artefact)),
        periods=draw(st.none() | st.integers(1, 12)),
    )


def milestones() -> st.SearchStrategy[m.Milestone]:
    """Generated [`Milestone`][mentorkit.model.Milestone] values."""
    return st.builds(
        m.Milestone,
        name=ids(),
        kind=st.sampled_from(m.MilestoneKind),
        days=st.integers(-400, 400),
        from_end=st.booleans(),
        minutes=st.none() | st.integers(1, 600),
        roles=st.lists(ids(), max_size=2).map(tuple),
    )


def programs() -> st.SearchStrategy[m.Program]:
    """Generated [`Program`][mentorkit.model.Program] entities."""
    return st.builds(
        m.Program,
        id=ids(),
        name=texts(),
        description=texts(),
        framework_id=st.none() | ids(),
        cycle_id=st.none() | ids(),
        commitments=st.lists(commitments(), max_size=3, unique_by=lambda k: k.name).map(tuple),
        milestones=st.lists(milestones(), max_size=3).map(tuple),
    )


@st.composite
def cohorts(draw: st.DrawFn) -> m.Cohort:
    """Generated [`Cohort`][mentorkit.model.Cohort] entities."""
    start, end = draw(_period(optional_end=False))
    assert end is not None
    return m.Cohort(
        id=draw(ids()), program_id=draw(ids()), name=draw(texts()), start=start, end=end
    )


def capacities() -> st.SearchStrategy[int]:
    """Valid mentor capacities: 0 to the bound the matchers take, small ones most often."""
    return st.integers(0, 3) | st.integers(0, MAX_CAPACITY)


def enrollments() -> st.SearchStrategy[m.Enrollment]:
    """Generated [`Enrollment`][mentorkit.model.Enrollment] entities.

    Mentor and coach enrolments carry a ``capacity`` or ``None``; mentee ones never do.
    """
    return st.sampled_from(m.Role).flatmap(
        lambda role: st.builds(
            m.Enrollment,
            id=ids(),
            person_id=ids(),
            cohort_id=ids(),
            role=st.just(role),
            status=st.sampled_from(m.EnrollmentStatus),
            focus_competencies=st.lists(ids(), max_size=3).map(tuple),
            applied=st.none() | dates(),
            agreement_signed=st.none() | dates(),
            capacity=st.none() if role is m.Role.MENTEE else st.none() | capacities(),
        )
    )


@st.composite
def mentorships(
    draw: st.DrawFn,
    people: st.SearchStrategy[str] | None = None,
    starts: st.SearchStrategy[dt.date] | None = None,
) -> m.Mentorship:
    """Generated [`Mentorship`][mentorkit.model.Mentorship] entities.

    Args:
        draw: Supplied by hypothesis.
        people: Where mentor and mentee ids come from (default: any id), e.g.
            ``st.sampled_from(["a", "b", "c"])`` for dense little graphs.
        starts: Where start dates come from (default: any date).
    """
    pick = people if people is not None else ids()
    mentor = draw(pick)
    mentee = draw(pick.filter(lambda i: i != mentor))
    start = draw(starts if starts is not None else dates())
    end = draw(st.none() | st.integers(0, 3000).map(lambda d: start + dt.timedelta(days=d)))
    status, history = draw(lifecycle_walks())
    return m.Mentorship(
        id=draw(ids()),
        mentor_id=mentor,
        mentee_id=mentee,
        start=start,
        end=end,
        kind=draw(st.sampled_from(m.MentorshipKind)),
        program_id=draw(st.none() | ids()),
        cohort_id=draw(st.none() | ids()),
        group_id=draw(st.none() | ids()),
        status=status,
        end_reason=history[-1].reason if status is m.MentorshipStatus.ENDED_EARLY else None,
        history=history,
    )


@st.composite
def lifecycle_walks(
    draw: st.DrawFn, max_moves: int = 4
) -> tuple[m.MentorshipStatus, tuple[m.LifecycleChange, ...]]:
    """A mentorship's status and a legal history leading to it (each move allowed).

    Returns ``(status, history)``; an ``ended_early`` walk ends with a non-blank reason.
    """
    from mentorkit.scheduling import TRANSITIONS

    status = draw(st.sampled_from([m.MentorshipStatus.PROPOSED, m.MentorshipStatus.ACTIVE]))
    at = draw(aware_datetimes())
    history: list[m.LifecycleChange] = []
    for _ in range(draw(st.integers(0, max_moves))):
        allowed = sorted(TRANSITIONS[status])
        if not allowed:
            break
        target = draw(st.sampled_from(allowed))
        at = at + dt.timedelta(minutes=draw(st.integers(0, 200_000)))
        reason = draw(texts())
        if target is m.MentorshipStatus.ENDED_EARLY:
            reason = draw(texts().filter(lambda t: bool(t.strip())))
        history.append(m.LifecycleChange(source=status, target=target, at=at,
                                         by=draw(st.none() | ids()), reason=reason))  # fmt: skip
        status = target
    return status, tuple(history)


def sessions() -> st.SearchStrategy[m.Session]:
    """Generated [`Session`][mentorkit.model.Session] entities."""
    return st.builds(
        m.Session,
        id=ids(),
        mentorship_id=ids(),
        start=aware_datetimes(),
        minutes=st.integers(0, 24 * 60),
        activity=st.sampled_from(m.Activity),
        status=st.sampled_from(m.SessionStatus),
        participants=st.lists(ids(), max_size=4).map(tuple),
        notes=texts(),
        engagement_id=st.none() | ids(),
        activities=st.lists(st.sampled_from(m.Activity), max_size=2).map(tuple),
        on_call=st.booleans(),
        topic=st.none() | texts(),
        # An indexed key: a name as people write one (stores refuse control characters
        # such as NUL in keys).
        protocol=st.none()
        | st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=30)
        .map(str.strip)
        .filter(bool),
    )


@st.composite
def engagements(draw: st.DrawFn) -> m.Engagement:
    """Generated [`Engagement`][mentorkit.model.Engagement] entities (a coach and 1-3 members)."""
    people = draw(st.lists(ids(), min_size=2, max_size=4, unique=True))
    # Each member's own coaching mentorship (or none): never one named by two members.
    coaching = draw(st.lists(ids(), min_size=len(people), max_size=len(people), unique=True))
    start, end = draw(_period())
    return m.Engagement(
        id=draw(ids()),
        coach_id=people[0],
        members=tuple(
            m.TeamMember(
                person_id=p,
                role=draw(st.sampled_from(("principal", "assistant_principal", "member"))),
                mentorship_id=draw(st.none() | st.just(ms)),
            )
            for p, ms in zip(people[1:], coaching, strict=False)
        ),
        cohort_id=draw(st.none() | ids()),
        program_id=draw(st.none() | ids()),
        org_unit_id=draw(st.none() | ids()),
        start=draw(st.none() | st.just(start)),
        end=end,
    )


def events() -> st.SearchStrategy[m.Event]:
    """Generated [`Event`][mentorkit.model.Event] entities."""
    return st.builds(
        m.Event,
        id=ids(),
        cohort_id=ids(),
        kind=st.sampled_from(m.MilestoneKind),
        name=texts(),
        date=dates(),
        start=st.none() | aware_datetimes(),
        minutes=st.none() | st.integers(0, 600),
        program_id=st.none() | ids(),
    )


def attendances() -> st.SearchStrategy[m.Attendance]:
    """Generated [`Attendance`][mentorkit.model.Attendance] entities."""
    return st.builds(
        m.Attendance,
        id=ids(),
        event_id=ids(),
        person_id=ids(),
        cohort_id=st.none() | ids(),
        attended=st.booleans(),
    )


def awards() -> st.SearchStrategy[m.Award]:
    """Generated [`Award`][mentorkit.model.Award] entities."""
    return st.builds(
        m.Award,
        id=ids(),
        person_id=ids(),
        cohort_id=ids(),
        name=texts().filter(str.strip),
        date=dates(),
        event_id=st.none() | ids(),
        mentorship_id=st.none() | ids(),
        reason=texts(),
    )


def action_items() -> st.SearchStrategy[m.ActionItem]:
    """Generated [`ActionItem`][mentorkit.model.ActionItem] entities."""
    return st.builds(
        m.ActionItem,
        id=ids(),
        owner_id=ids(),
        text=texts(),
        due=st.none() | dates(),
        done=st.booleans(),
        session_id=st.none() | ids(),
    )


def reflections() -> st.SearchStrategy[m.Reflection]:
    """Generated [`Reflection`][mentorkit.model.Reflection] entities."""
    return st.builds(
        m.Reflection,
        id=ids(),
        person_id=ids(),
        written=dates(),
        text=texts(200),
        mentorship_id=st.none() | ids(),
        session_id=st.none() | ids(),
    )


def action_steps() -> st.SearchStrategy[m.ActionStep]:
    """Generated steps of an action plan."""
    return st.builds(
        m.ActionStep,
        text=texts(),
        due=st.none() | dates(),
        owner_id=st.none() | ids(),
        done=st.booleans(),
    )


def action_plans() -> st.SearchStrategy[m.ActionPlan]:
    """Generated [`ActionPlan`][mentorkit.model.ActionPlan] entities."""
    return st.builds(
        m.ActionPlan,
        id=ids(),
        person_id=ids(),
        goal_id=st.none() | ids(),
        steps=st.lists(action_steps(), max_size=3).map(tuple),
        student_outcomes=st.lists(texts(), max_size=3).map(tuple),
    )


@st.composite
def outcomes(draw: st.DrawFn) -> m.Outcome:
    """Generated [`Outcome`][mentorkit.model.Outcome] entities."""
    kind = draw(st.sampled_from(m.OutcomeKind))
    value = (
        float(draw(st.integers(0, 10_000)))
        if kind is m.OutcomeKind.STUDENTS_REACHED
        else draw(_numbers())
    )
    return m.Outcome(
        id=draw(ids()),
        person_id=draw(ids()),
        kind=kind,
        date=draw(dates()),
        value=value,
        note=draw(texts()),
    )
