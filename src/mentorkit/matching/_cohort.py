"""Profiles for a cohort, from the people, enrolments and assessments a store holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.matching._problem import MenteeProfile, MentorProfile, strengths_from_assessments
from mentorkit.model import EnrollmentStatus, Role

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
    ([`Enrollment.capacity`][mentorkit.model.Enrollment]) when it holds one (the first of
    their counted enrolments that does); ``capacity`` is only for mentors without a
    record. To override the records too, change the profiles:
    ``[attrs.evolve(m, capacity=n) for m in mentors]``.

    Args:
        cohort_id: The cohort.
        people: People (at least everyone enrolled in the cohort).
        enrollments: Enrolments (others' cohorts are skipped).
        assessments: Assessments giving the mentors' strengths (needs ``framework``).
        framework: The framework whose scale ranks the levels.
        capacity: Mentees per mentor without a recorded capacity: one number, or mentor
            id -> number (default 1).
        as_of: Only assessments on or before this day.
        statuses: The enrolment statuses that count (default selected and active);
            ``None`` for every enrolment that is not withdrawn or not selected.

    Returns:
        ``(mentees, mentors)``, in enrolment order.

    Raises:
        NotFoundError: Someone enrolled is missing from ``people``.
        ValidationError: ``statuses`` names an unknown status.

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
    enrollments = list(enrollments)  # read twice: the records first, then the profiles
    recorded: dict[str, int] = {}
    for enrollment in enrollments:
        if (
            enrollment.capacity is not None
            and enrollment.cohort_id == cohort_id
            and enrollment.status in wanted
            and enrollment.role is not Role.MENTEE
        ):
            recorded.setdefault(enrollment.person_id, enrollment.capacity)
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
            elif isinstance(capacity, int):
                places = capacity
            else:
                places = capacity.get(person.id, 1)
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
