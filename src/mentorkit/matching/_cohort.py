"""Profiles for a cohort, from the people, enrolments and assessments a store holds."""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.matching._problem import MenteeProfile, MentorProfile, strengths_from_assessments
from mentorkit.model import EnrollmentStatus, Role
from mentorkit.model._checks import MAX_CAPACITY

if TYPE_CHECKING:
    from mentorkit.frameworks import Assessment, CompetencyFramework
    from mentorkit.model import Enrollment, Person

#: The enrolment statuses matched by default: people selected for the cohort, or active in it.
SELECTED_OR_ACTIVE = (EnrollmentStatus.SELECTED, EnrollmentStatus.ACTIVE)


def _statuses(statuses: Iterable[EnrollmentStatus | str] | None) -> frozenset[EnrollmentStatus]:
    if statuses is None:
        left_out = {EnrollmentStatus.WITHDRAWN, EnrollmentStatus.NOT_SELECTED}
        return frozenset(s for s in EnrollmentStatus if s not in left_out)
    if isinstance(statuses, str):
        statuses = (statuses,)
    wanted = set()
    for status in statuses:
        try:
            wanted.add(EnrollmentStatus(status))
        except ValueError:
            allowed = ", ".join(repr(s.value) for s in EnrollmentStatus)
            raise ValidationError(
                f"must be among {allowed}", field="statuses", value=status
            ) from None
    return frozenset(wanted)


def _whole_capacity(value: object, field: str) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or not 0 <= int(value) <= MAX_CAPACITY
    ):
        raise ValidationError(
            f"must be a whole number from 0 to {MAX_CAPACITY:,} (or mentor id -> number)",
            field=field,
            value=value,
        )
    return int(value)


def _capacity(capacity: object) -> tuple[int, dict[str, int]]:
    """``capacity`` checked: the number for mentors not named, and the mentors named."""
    if isinstance(capacity, Mapping):
        per_mentor = {}
        for mentor, value in capacity.items():
            if not isinstance(mentor, str):
                raise ValidationError(
                    "must map mentor ids (strings) to numbers", field="capacity", value=mentor
                )
            per_mentor[mentor] = _whole_capacity(value, f"capacity[{mentor!r}]")
        return 1, per_mentor
    return _whole_capacity(capacity, "capacity"), {}


def _recorded_capacities(
    cohort_id: str, enrollments: Iterable[Enrollment], wanted: frozenset[EnrollmentStatus]
) -> dict[str, int]:
    """Mentor id -> the capacity their counted enrolments record; disagreeing records refused."""
    records: dict[str, list[tuple[str, int]]] = {}  # mentor -> (enrolment id, capacity)
    for enrollment in enrollments:
        if (
            enrollment.capacity is not None
            and enrollment.cohort_id == cohort_id
            and enrollment.status in wanted
            and enrollment.role is not Role.MENTEE
        ):
            records.setdefault(enrollment.person_id, []).append(
                (enrollment.id, enrollment.capacity)
            )
    recorded: dict[str, int] = {}
    for person_id, theirs in records.items():
        if len({capacity for _, capacity in theirs}) > 1:
            listed = ", ".join(f"{eid!r}: {capacity}" for eid, capacity in theirs)
            raise ValidationError(
                f"disagrees between the mentor enrolments of {person_id!r} in cohort "
                f"{cohort_id!r} ({listed}); record one capacity on all of them (or on one, "
                "leaving the others None)",
                field="capacity",
                value=person_id,
            )
        recorded[person_id] = theirs[0][1]
    return recorded


def cohort_profiles(
    cohort_id: str,
    *,
    people: Iterable[Person],
    enrollments: Iterable[Enrollment],
    assessments: Iterable[Assessment] = (),
    framework: CompetencyFramework | None = None,
    capacity: int | Mapping[str, int] = 1,
    as_of: dt.date | None = None,
    statuses: Iterable[EnrollmentStatus | str] | None = SELECTED_OR_ACTIVE,
) -> tuple[list[MenteeProfile], list[MentorProfile]]:
    """Mentee and mentor profiles of one cohort.

    Mentees are the cohort's mentee enrolments, with their focus competencies; mentors are
    its mentor and coach enrolments, with strengths from their latest assessments on
    ``framework``. Only selected and active enrolments count unless ``statuses`` says
    otherwise (applicants are not matched before they are selected); a person enrolled
    several times in one role gets one profile. Org unit and supervisor come from the
    person.

    A mentor's capacity is the one on their enrolment record
    ([`Enrollment.capacity`][mentorkit.model.Enrollment]) when it holds one; a mentor
    with several counted enrolments in the cohort may record it on any of them, but
    records that disagree are refused rather than one picked. ``capacity`` is only for
    mentors without a record. To override the records too, change the profiles:
    ``[attrs.evolve(m, capacity=n) for m in mentors]``.

    Args:
        cohort_id: The cohort.
        people: People (at least everyone enrolled in the cohort).
        enrollments: Enrolments (others' cohorts are skipped).
        assessments: Assessments giving the mentors' strengths (needs ``framework``).
        framework: The framework whose scale ranks the levels.
        capacity: Mentees per mentor without a recorded capacity: one whole number
            (numpy integers too), or mentor id -> number, 1 for mentors not named
            (default 1).
        as_of: Only assessments on or before this day.
        statuses: The enrolment statuses that count (default selected and active);
            ``None`` for every enrolment that is not withdrawn or not selected.

    Returns:
        ``(mentees, mentors)``, in enrolment order.

    Raises:
        NotFoundError: Someone enrolled is missing from ``people``.
        ValidationError: ``statuses`` names an unknown status; ``capacity`` is not a
            whole number from 0 to ``MAX_CAPACITY`` (or a mapping of them); the counted
            enrolments of one mentor record capacities that disagree (field
            ``capacity``, naming the enrolments).

    Examples:
        >>> from mentorkit import Enrollment, Person
        >>> people = [Person(id=i, name=i) for i in ("ana", "kim", "lee")]
        >>> enrollments = [
        ...     Enrollment(id="e1", person_id="ana", cohort_id="c", role="mentee",
        ...                status="selected"),
        ...     Enrollment(id="e2", person_id="kim", cohort_id="c", role="mentor",
        ...                status="selected", capacity=3),
        ...     Enrollment(id="e3", person_id="lee", cohort_id="c", role="mentor",
        ...                status="selected"),
        ... ]
        >>> mentees, mentors = cohort_profiles(
        ...     "c", people=people, enrollments=enrollments, capacity=1)
        >>> [(m.person_id, m.capacity) for m in mentors]
        [('kim', 3), ('lee', 1)]
    """
    wanted = _statuses(statuses)
    default, per_mentor = _capacity(capacity)
    enrollments = list(enrollments)  # read twice: the records first, then the profiles
    recorded = _recorded_capacities(cohort_id, enrollments, wanted)
    by_id = {p.id: p for p in people}
    ratings: dict[str, list[Assessment]] = {}  # one pass over the assessments, by person
    for rating in assessments:
        ratings.setdefault(rating.person_id, []).append(rating)
    mentees: list[MenteeProfile] = []
    mentors: list[MentorProfile] = []
    seen: set[tuple[str, bool]] = set()
    for enrollment in enrollments:
        if enrollment.cohort_id != cohort_id or enrollment.status not in wanted:
            continue
        key = (enrollment.person_id, enrollment.role is Role.MENTEE)
        if key in seen:
            continue
        seen.add(key)
        person = by_id.get(enrollment.person_id)
        if person is None:
            raise NotFoundError(f"person {enrollment.person_id!r} of cohort {cohort_id!r}")
        if enrollment.role is Role.MENTEE:
            mentees.append(
                MenteeProfile(
                    person_id=person.id,
                    focus=enrollment.focus_competencies,
                    org_unit_id=person.org_unit_id,
                    supervisor_id=person.supervisor_id,
                )
            )
        else:
            strengths = (
                strengths_from_assessments(
                    framework, ratings.get(person.id, ()), person.id, as_of=as_of
                )
                if framework is not None
                else {}
            )
            if person.id in recorded:
                places = recorded[person.id]
            else:
                places = per_mentor.get(person.id, default)
            mentors.append(
                MentorProfile(
                    person_id=person.id,
                    strengths=strengths,
                    capacity=places,
                    org_unit_id=person.org_unit_id,
                    supervisor_id=person.supervisor_id,
                )
            )
    return mentees, mentors
