"""Hypothesis strategies for every entity of the model (needs the ``test`` extra)."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from hypothesis import strategies as st

from mentorkit import model as m

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


def programs() -> st.SearchStrategy[m.Program]:
    """Generated [`Program`][mentorkit.model.Program] entities."""
    return st.builds(
        m.Program,
        id=ids(),
        name=texts(),
        description=texts(),
        framework_id=st.none() | ids(),
        cycle_id=st.none() | ids(),
    )


@st.composite
def cohorts(draw: st.DrawFn) -> m.Cohort:
    """Generated [`Cohort`][mentorkit.model.Cohort] entities."""
    start, end = draw(_period(optional_end=False))
    assert end is not None
    return m.Cohort(
        id=draw(ids()), program_id=draw(ids()), name=draw(texts()), start=start, end=end
    )


def enrollments() -> st.SearchStrategy[m.Enrollment]:
    """Generated [`Enrollment`][mentorkit.model.Enrollment] entities."""
    return st.builds(
        m.Enrollment,
        id=ids(),
        person_id=ids(),
        cohort_id=ids(),
        role=st.sampled_from(m.Role),
        status=st.sampled_from(m.EnrollmentStatus),
        focus_competencies=st.lists(ids(), max_size=3).map(tuple),
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
    )


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
