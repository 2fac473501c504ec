"""Selection: seat the best-ranked eligible applicants and record every applicant's status."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.matching._eligibility import EligibilityReport
from mentorkit.model import Cohort, Enrollment, EnrollmentStatus, Role
from mentorkit.model._checks import store_reader as _check_reader

if TYPE_CHECKING:
    from mentorkit.storage import Store

#: The statuses a selection may overwrite: an application, or an earlier selection's verdict.
_UNDECIDED_OR_DECIDED = frozenset(
    {EnrollmentStatus.APPLIED, EnrollmentStatus.SELECTED, EnrollmentStatus.NOT_SELECTED}
)


@attrs.frozen(kw_only=True)
class Selection:
    """What [`select_applicants`][mentorkit.matching.select_applicants] recorded.

    Every applicant of the report is in exactly one of ``selected``, ``waitlist``,
    ``not_eligible`` and ``withdrawn``.

    Attributes:
        cohort_id: The cohort.
        seats: The places there were.
        selected: The applicants given a place (status ``selected``), best-ranked first.
        waitlist: Eligible applicants beyond the seats (status ``not_selected``), in rank
            order: the next to offer a place when someone selected withdraws.
        not_eligible: Applicants the eligibility rules excluded (status ``not_selected``),
            in the report's order.
        withdrawn: Applicants who had withdrawn before the selection: left ``withdrawn``,
            given no place.
        changed: The ids of the enrolments this call wrote (none when the statuses
            stored already said the same, as on a rerun).
    """

    cohort_id: str
    seats: int
    selected: tuple[str, ...]
    waitlist: tuple[str, ...]
    not_eligible: tuple[str, ...]
    withdrawn: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def not_selected(self) -> tuple[str, ...]:
        """Everyone recorded ``not_selected``: the waitlist, then the ineligible."""
        return self.waitlist + self.not_eligible

    def summary(self) -> str:
        """One line: applicants, eligible, selected for how many seats, waitlisted."""
        applicants = len(self.selected + self.not_selected + self.withdrawn)
        eligible = len(self.selected) + len(self.waitlist)
        line = (
            f"{self.cohort_id}: {applicants} applicants, {eligible} eligible, "
            f"{len(self.selected)} selected for {self.seats} seat{'s' if self.seats != 1 else ''}, "
            f"{len(self.waitlist)} on the waitlist"
        )
        if self.withdrawn:
            line += f", {len(self.withdrawn)} withdrawn"
        return line


def _mentee_enrollments(
    store: Store, cohort_id: str, report: EligibilityReport
) -> dict[str, Enrollment]:
    """The one mentee enrolment of each applicant, checked against the report."""
    applicants = {d.person_id for d in report.decisions}
    found: dict[str, Enrollment] = {}
    for enrollment in store.find(Enrollment, cohort_id=cohort_id, role=Role.MENTEE):
        pid = enrollment.person_id
        if pid in found:
            raise ValidationError(
                f"has more than one mentee enrolment in cohort {cohort_id!r} "
                f"({found[pid].id!r}, {enrollment.id!r}); withdraw or delete one",
                field="report",
                value=pid,
            )
        if pid not in applicants and enrollment.status is EnrollmentStatus.APPLIED:
            raise ValidationError(
                f"applied to cohort {cohort_id!r} but has no decision in the report "
                "(check every applicant's eligibility first)",
                field="report",
                value=pid,
            )
        found[pid] = enrollment
    for decision in report.decisions:
        mine = found.get(decision.person_id)
        if mine is None:
            raise ValidationError(
                f"has no mentee enrolment in cohort {cohort_id!r}",
                field="report",
                value=decision.person_id,
            )
        status = mine.status
        if status is not EnrollmentStatus.WITHDRAWN and status not in _UNDECIDED_OR_DECIDED:
            raise ValidationError(
                f"is already {status.value} in cohort {cohort_id!r}; a selection changes "
                "applied, selected and not_selected enrolments only",
                field="report",
                value=decision.person_id,
            )
    return found


def select_applicants(
    store: Store, cohort_id: str, report: EligibilityReport, *, seats: int
) -> Selection:
    """Give the ``seats`` best-ranked eligible applicants a place, and record it.

    Each applicant of ``report`` must have one mentee enrolment in the cohort. The first
    ``seats`` of ``report.eligible`` (highest priority first) become ``selected``; every
    other applicant becomes ``not_selected`` (eligible ones are the waitlist), except one
    who has withdrawn, who stays ``withdrawn`` and takes no place. All enrolments are
    written in one store transaction: all of them or, on any error, none. A rerun with
    the same report and seats writes nothing; with more seats it moves the waitlist up.

    The matching step then reads exactly these statuses:
    [`cohort_profiles`][mentorkit.matching.cohort_profiles] and ``mentorkit match`` take
    selected (and active) mentees only.

    Args:
        store: The store holding the cohort and its enrolments.
        cohort_id: The cohort.
        report: The eligibility report on the cohort's applicants
            ([`check_eligibility`][mentorkit.matching.check_eligibility]).
        seats: How many applicants of this report to select (0 or more).

    Returns:
        Who was selected, waitlisted, not eligible or withdrawn, and what was written.

    Raises:
        ValidationError: ``store`` is not a store, ``seats`` is not a whole number >= 0,
            ``report`` is not an eligibility report, the cohort is not in the store, an
            applicant has no mentee enrolment in it (or more than one, or one already
            active, completed), or someone who applied has no decision in the report.
            Nothing is written then.
        ConflictError: Another writer changed an enrolment meanwhile (nothing is written).

    Examples:
        >>> import datetime as dt
        >>> from mentorkit import Cohort, Enrollment, open_store
        >>> from mentorkit.matching import Applicant, NoFlag, check_eligibility
        >>> store = open_store("memory://")
        >>> _ = store.put(Cohort(id="c", program_id="p", name="2024",
        ...                      start=dt.date(2024, 6, 1), end=dt.date(2024, 12, 31)))
        >>> for pid in ("ana", "ben", "cy"):
        ...     _ = store.put(Enrollment(id=f"e-{pid}", person_id=pid, cohort_id="c",
        ...                              role="mentee"))
        >>> report = check_eligibility(
        ...     [Applicant(person_id="ana"), Applicant(person_id="ben", flags={"misconduct"}),
        ...      Applicant(person_id="cy")], [NoFlag("misconduct")])
        >>> chosen = select_applicants(store, "c", report, seats=1)
        >>> chosen.selected, chosen.waitlist, chosen.not_eligible
        (('ana',), ('cy',), ('ben',))
        >>> store.get(Enrollment, "e-cy").status.value
        'not_selected'
        >>> select_applicants(store, "c", report, seats=1).changed  # a rerun writes nothing
        ()
    """
    _check_reader(store, methods=("find", "get", "put_many", "transaction"))
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 0:
        raise ValidationError("must be a whole number >= 0", field="seats", value=seats)
    if not isinstance(report, EligibilityReport):
        raise ValidationError(
            "must be an EligibilityReport (from check_eligibility)",
            field="report",
            value=type(report).__name__,
        )
    if not isinstance(cohort_id, str):
        raise ValidationError("must be a cohort id", field="cohort_id", value=cohort_id)
    with store.transaction():
        try:
            store.get(Cohort, cohort_id)
        except NotFoundError:
            raise ValidationError(
                "is not a cohort in this store", field="cohort_id", value=cohort_id
            ) from None
        found = _mentee_enrollments(store, cohort_id, report)
        withdrawn = {pid for pid, e in found.items() if e.status is EnrollmentStatus.WITHDRAWN}
        ranked = [pid for pid in report.eligible if pid not in withdrawn]
        selected, waitlist = ranked[:seats], ranked[seats:]
        chosen = set(selected)
        changes = []
        for decision in report.decisions:
            pid = decision.person_id
            if pid in withdrawn:
                continue
            enrollment = found[pid]
            status = EnrollmentStatus.SELECTED if pid in chosen else EnrollmentStatus.NOT_SELECTED
            if enrollment.status is not status:
                changes.append(attrs.evolve(enrollment, status=status))
        store.put_many(changes)
    return Selection(
        cohort_id=cohort_id,
        seats=seats,
        selected=tuple(selected),
        waitlist=tuple(waitlist),
        not_eligible=tuple(
            d.person_id for d in report.decisions if not d.eligible and d.person_id not in withdrawn
        ),
        withdrawn=tuple(d.person_id for d in report.decisions if d.person_id in withdrawn),
        changed=tuple(e.id for e in changes),
    )
