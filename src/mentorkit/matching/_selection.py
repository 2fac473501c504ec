"""Selection: seat the best-ranked eligible applicants and record every applicant's status."""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import attrs

from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.matching._eligibility import Decision, EligibilityReport, _finite_number
from mentorkit.model import Cohort, Enrollment, EnrollmentStatus, Role
from mentorkit.model._checks import store_reader as _check_reader

if TYPE_CHECKING:
    from mentorkit.storage import Store

#: The statuses a selection may overwrite: an application, or an earlier selection's verdict.
_UNDECIDED_OR_DECIDED = frozenset(
    {EnrollmentStatus.APPLIED, EnrollmentStatus.SELECTED, EnrollmentStatus.NOT_SELECTED}
)

#: The statuses of a mentee who has a place in the cohort: a seat counted against ``seats``.
_HOLDING_A_PLACE = frozenset(
    {EnrollmentStatus.SELECTED, EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED}
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
        held: Mentees outside the report who already had a place in the cohort
            (``selected``, ``active`` or ``completed``, from an earlier selection, say):
            they count against ``seats``, and this call left them as they were.
    """

    cohort_id: str
    seats: int
    selected: tuple[str, ...]
    waitlist: tuple[str, ...]
    not_eligible: tuple[str, ...]
    withdrawn: tuple[str, ...]
    changed: tuple[str, ...]
    held: tuple[str, ...] = ()

    @property
    def not_selected(self) -> tuple[str, ...]:
        """Everyone recorded ``not_selected``: the waitlist, then the ineligible."""
        return self.waitlist + self.not_eligible

    def summary(self) -> str:
        """One line: applicants, eligible, selected for how many seats, waitlisted."""
        applicants = len(self.selected + self.not_selected + self.withdrawn)
        eligible = len(self.selected) + len(self.waitlist)
        held = f" ({len(self.held)} held already, outside this report)" if self.held else ""
        line = (
            f"{self.cohort_id}: {applicants} applicant{'s' if applicants != 1 else ''}, "
            f"{eligible} eligible, "
            f"{len(self.selected)} selected for {self.seats} seat{'s' if self.seats != 1 else ''}"
            f"{held}, {len(self.waitlist)} on the waitlist"
        )
        if self.withdrawn:
            line += f", {len(self.withdrawn)} withdrawn"
        return line


def _checked_report(report: object) -> EligibilityReport:
    """``report`` itself, once it is an eligibility report a selection can rank.

    The class is public, so a report may be built by hand: its decisions must be
    [`Decision`][mentorkit.matching.Decision]s, one per applicant, each with a finite
    priority (a NaN would rank nowhere and everywhere).
    """
    if not isinstance(report, EligibilityReport):
        raise ValidationError(
            "must be an EligibilityReport (from check_eligibility)",
            field="report",
            value=type(report).__name__,
        )
    decisions = report.decisions
    if not isinstance(decisions, tuple | list):
        raise ValidationError(
            "must hold a tuple of Decisions (report.decisions)",
            field="report",
            value=type(decisions).__name__,
        )
    seen: set[str] = set()
    for k, decision in enumerate(decisions):
        where = f"report.decisions[{k}]"
        if not isinstance(decision, Decision):
            raise ValidationError(
                f"{where} must be a Decision", field="report", value=type(decision).__name__
            )
        pid = decision.person_id
        if not isinstance(pid, str) or not pid:
            raise ValidationError(
                f"{where}.person_id must be a person id", field="report", value=pid
            )
        if pid in seen:
            raise ValidationError(
                f"{where}: the applicant is listed twice (one decision per applicant)",
                field="report",
                value=pid,
            )
        seen.add(pid)
        if not isinstance(decision.eligible, bool):
            raise ValidationError(
                f"{where}.eligible must be true or false", field="report", value=pid
            )
        priority = decision.priority
        if not _finite_number(priority):
            raise ValidationError(
                f"{where}.priority must be a finite number (got {priority!r})",
                field="report",
                value=pid,
            )
    return report


def _mentee_enrollments(
    store: Store, cohort_id: str, report: EligibilityReport
) -> dict[str, Enrollment]:
    """The mentee enrolment of each person in the cohort, checked against the report.

    A withdrawn enrolment is history: someone who withdrew and applied again has the new
    application decided. Only someone with two enrolments neither of which is withdrawn
    is refused (which one would the verdict go to?).
    """
    applicants = {d.person_id for d in report.decisions}
    mine: dict[str, list[Enrollment]] = {}
    for enrollment in store.find(Enrollment, cohort_id=cohort_id, role=Role.MENTEE):
        mine.setdefault(enrollment.person_id, []).append(enrollment)
    found: dict[str, Enrollment] = {}
    for pid, theirs in mine.items():
        live = [e for e in theirs if e.status is not EnrollmentStatus.WITHDRAWN]
        if len(live) > 1:
            raise ValidationError(
                f"has more than one mentee enrolment in cohort {cohort_id!r} that is not "
                f"withdrawn ({', '.join(repr(e.id) for e in live)}); withdraw or delete all "
                "but one",
                field="report",
                value=pid,
            )
        enrollment = live[0] if live else theirs[0]
        if pid not in applicants and enrollment.status is EnrollmentStatus.APPLIED:
            raise ValidationError(
                f"applied to cohort {cohort_id!r} but has no decision in the report "
                "(check every applicant's eligibility first)",
                field="report",
                value=pid,
            )
        found[pid] = enrollment
    for decision in report.decisions:
        theirs_now = found.get(decision.person_id)
        if theirs_now is None:
            raise ValidationError(
                f"has no mentee enrolment in cohort {cohort_id!r}",
                field="report",
                value=decision.person_id,
            )
        status = theirs_now.status
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

    Each applicant of ``report`` must have one mentee enrolment in the cohort that is not
    withdrawn (a withdrawn enrolment beside a new application is history and is left
    alone). ``seats`` is the cohort's places: mentees outside the report who already hold
    one (``selected``, ``active`` or ``completed``, say from an earlier selection on
    another report) count against it, so the cohort never has more than ``seats``
    selected after the call; the places left go to the best-ranked of
    ``report.eligible`` (highest priority first), who become ``selected``; every other
    applicant becomes ``not_selected`` (eligible ones are the waitlist), except one who
    has withdrawn, who stays ``withdrawn`` and takes no place. All enrolments are
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
        seats: How many places the cohort has (a whole number >= 0; numpy integers
            too), those already held outside the report included.

    Returns:
        Who was selected, waitlisted, not eligible or withdrawn, and what was written.

    Raises:
        ValidationError: ``store`` is not a store, ``seats`` is not a whole number >= 0,
            ``report`` is not an eligibility report (or, built by hand, lists an
            applicant twice or holds something other than decisions with a finite
            priority), the cohort is not in the store, an applicant has no mentee
            enrolment in it (or more than one not withdrawn, or one already active,
            completed), someone who applied has no decision in the report, or more
            mentees outside the report hold a place than ``seats`` (field ``seats``).
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
    if isinstance(seats, bool) or not isinstance(seats, numbers.Integral) or seats < 0:
        raise ValidationError("must be a whole number >= 0", field="seats", value=seats)
    seats = int(seats)  # a numpy integer from a notebook, say
    report = _checked_report(report)
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
        in_report = {d.person_id for d in report.decisions}
        held = tuple(
            pid for pid, e in found.items() if pid not in in_report and e.status in _HOLDING_A_PLACE
        )
        if len(held) > seats:
            raise ValidationError(
                f"{len(held)} mentees outside this report already hold a place in cohort "
                f"{cohort_id!r} ({', '.join(repr(pid) for pid in held[:5])}"
                f"{', ...' if len(held) > 5 else ''}): seats counts the cohort's places, "
                f"so it must be at least {len(held)} (or put them in the report)",
                field="seats",
                value=seats,
            )
        withdrawn = {pid for pid, e in found.items() if e.status is EnrollmentStatus.WITHDRAWN}
        ranked = [pid for pid in report.eligible if pid not in withdrawn]
        free = seats - len(held)
        selected, waitlist = ranked[:free], ranked[free:]
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
        held=held,
    )
