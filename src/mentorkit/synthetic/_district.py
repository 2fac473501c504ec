"""A deterministic synthetic school district: no real person's data, same seed, same district."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator

import attrs

from mentorkit import model as m
from mentorkit.errors import ValidationError
from mentorkit.frameworks import Assessment, Rater, load_framework
from mentorkit.measurement import DisclosurePolicy, Suppressed, crosstab
from mentorkit.measurement._figures import rate
from mentorkit.measurement._table import cell_text
from mentorkit.model._checks import MAX_CAPACITY
from mentorkit.scheduling import (
    NEXTGEN_COMMITMENTS,
    NEXTGEN_MILESTONES,
    OEIB_COMMITMENTS,
    OEIB_MILESTONES,
    milestone_events,
)
from mentorkit.scheduling._periods import due_periods, next_start

_FIRST = (
    "Ada", "Amara", "Ana", "Ben", "Carmen", "Chen", "Dara", "Diego", "Elena", "Femi", "Grace",
    "Hana", "Ibrahim", "Imani", "Jamal", "Jin", "Kai", "Lena", "Luis", "Maya", "Mei", "Nadia",
    "Noor", "Omar", "Priya", "Rosa", "Sam", "Sofia", "Tariq", "Uma", "Vera", "Wei", "Yara", "Zoe",
)  # fmt: skip
_LAST = (
    "Adams", "Baker", "Chavez", "Diaz", "Edwards", "Fofana", "Garcia", "Haddad", "Ito", "Johnson",
    "Khan", "Lopez", "Mensah", "Nguyen", "Okafor", "Patel", "Quinn", "Rivera", "Santos", "Tanaka",
    "Usman", "Vargas", "Walker", "Xu", "Young", "Zhang",
)  # fmt: skip
_SCHOOL_WORDS = (
    "Lincoln", "Roosevelt", "Riverside", "Oak Grove", "Maple", "Cesar Chavez", "Harbor",
    "Hillcrest", "Sunrise", "Douglass", "Parkview", "Lakeside", "Westside", "Eastgate",
)  # fmt: skip
_SCHOOL_KINDS = ("Elementary", "Middle", "High", "Academy", "K-8")
_TEACHER_TITLES = ("Teacher", "Instructional Coach", "Dean of Students", "Teacher Leader")
# Five focus competencies per program, codes of the program's built-in framework.
_FOCUS = {
    "prog-fellows": (
        "relationship_building",
        "interpersonal_effectiveness",
        "planning_and_organization",
        "communication",
        "develops_talent",
    ),
    "prog-coaching": (
        "trusting_relationships",
        "strategic_vision",
        "problem_solving",
        "perseverance_and_drive",
        "self_awareness",
    ),
}
_ACTIVITIES = (
    m.Activity.SHADOWING,
    m.Activity.PROBLEM_OF_PRACTICE,
    m.Activity.ROLE_PLAY,
    m.Activity.CLASSROOM_VISIT,
    m.Activity.NETWORK_CONNECTION,
)
_DEMOGRAPHICS = {
    "gender": ("female", "male", "nonbinary"),
    "race_ethnicity": ("asian", "black", "hispanic", "multiracial", "white", "other"),
}
_UTC = dt.UTC


@attrs.frozen(kw_only=True)
class District:
    """Everything a synthetic district holds, as lists of model entities.

    Use [`entities`][mentorkit.synthetic.District.entities] to put it all into a store; the lists
    are in a stable order.
    """

    seed: int
    org_units: list[m.OrgUnit] = attrs.field(repr=False)
    people: list[m.Person] = attrs.field(repr=False)
    programs: list[m.Program] = attrs.field(repr=False)
    cohorts: list[m.Cohort] = attrs.field(repr=False)
    enrollments: list[m.Enrollment] = attrs.field(repr=False)
    mentorships: list[m.Mentorship] = attrs.field(repr=False)
    sessions: list[m.Session] = attrs.field(repr=False)
    action_items: list[m.ActionItem] = attrs.field(repr=False)
    reflections: list[m.Reflection] = attrs.field(repr=False)
    outcomes: list[m.Outcome] = attrs.field(repr=False)
    assessments: list[Assessment] = attrs.field(repr=False, factory=list)
    engagements: list[m.Engagement] = attrs.field(repr=False, factory=list)
    events: list[m.Event] = attrs.field(repr=False, factory=list)
    attendances: list[m.Attendance] = attrs.field(repr=False, factory=list)

    def entities(self) -> Iterator[m.Entity]:
        """Every entity, referenced ones before those that refer to them."""
        for group in (
            self.org_units,
            self.people,
            self.programs,
            self.cohorts,
            self.enrollments,
            self.mentorships,
            self.sessions,
            self.action_items,
            self.reflections,
            self.outcomes,
            self.assessments,
            self.engagements,
            self.events,
            self.attendances,
        ):
            yield from group

    def counts(self) -> dict[str, int]:
        """How many entities of each collection the district holds."""
        return {
            "org_units": len(self.org_units),
            "people": len(self.people),
            "programs": len(self.programs),
            "cohorts": len(self.cohorts),
            "enrollments": len(self.enrollments),
            "mentorships": len(self.mentorships),
            "sessions": len(self.sessions),
            "action_items": len(self.action_items),
            "reflections": len(self.reflections),
            "outcomes": len(self.outcomes),
            "assessments": len(self.assessments),
            "engagements": len(self.engagements),
            "events": len(self.events),
            "attendances": len(self.attendances),
        }

    def summary(self, *, policy: DisclosurePolicy | None = None) -> str:
        """A plain-text summary of the district, fit to paste into an e-mail.

        The share of each school year's mentees who went on to mentor follows the disclosure
        policy every report follows (``policy``, by default ``DisclosurePolicy()``): a count
        about fewer than ``min_cell`` people is withheld (``*``), and so is any count that
        would give a withheld one away.

        Examples:
            >>> print(district(seed=1, staff=120, years=2).summary().splitlines()[-3])
              2021-22 mentees: * of * (*)
        """
        counts = self.counts()
        lines = [f"Synthetic district (seed {self.seed})"]
        lines += [f"  {name.replace('_', ' '):<14}{n:>8,}" for name, n in counts.items()]
        # "Went on to mentor" as the graph's cohort_report counts it (within_years=1), with
        # every program's mentees of one school year pooled; the last year has no next one.
        from mentorkit.graph._views import school_year, went_on_to_mentor

        began_by_year: dict[int, dict[str, dt.date]] = {}
        mentoring: dict[str, list[dt.date]] = {}
        for ms in sorted(self.mentorships, key=lambda x: x.start):
            began_by_year.setdefault(school_year(ms.start), {}).setdefault(ms.mentee_id, ms.start)
            mentoring.setdefault(ms.mentor_id, []).append(ms.start)
        years = sorted(began_by_year)
        if len(years) > 1:
            lines.append("Went on to mentor by the end of the following school year "
                         "(all programs pooled):")  # fmt: skip
            # One record per mentee of a school year: (year, went on to mentor), counted and
            # withheld as every report's table is.
            records = []
            for year in years[:-1]:
                mentees = began_by_year[year]
                forward = went_on_to_mentor(mentees, mentoring, 1)
                records += [(year, person in forward) for person in mentees]
            table = crosstab(records, row=lambda r: r[0], col=lambda r: r[1],
                             policy=policy or DisclosurePolicy())  # fmt: skip
            for year in years[:-1]:
                size = table.row_totals[year]
                shown = size if isinstance(size, Suppressed) else table.cells.get((year, True), 0)
                share = rate(shown, size, table.policy)
                lines.append(f"  {year}-{(year + 1) % 100:02d} mentees: {cell_text(shown)} of "
                             f"{cell_text(size)} ({cell_text(share, 'rate')})")  # fmt: skip
            withheld = (*table.cells.values(), *table.row_totals.values())
            if any(isinstance(v, Suppressed) for v in withheld):
                lines.append(f"  (* withheld: fewer than {table.policy.min_cell} people, or "
                             "would reveal one)")  # fmt: skip
        held = Counter(s.status.value for s in self.sessions)
        if held:
            total = sum(held.values())
            lines.append(
                f"Sessions held: {held['held']:,} of {total:,} planned ({held['held'] / total:.0%})"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in self.counts().items())
        return f"District(seed={self.seed}, {counts})"


def district(
    *,
    seed: int = 0,
    staff: int = 400,
    years: int = 3,
    first_year: int = 2021,
    mentee_share: float = 0.08,
    pay_it_forward: float = 0.45,
    mentor_capacity: int = 3,
    sessions_per_mentorship: int = 7,
    session_minutes: int = 180,
) -> District:
    """Build a deterministic synthetic district.

    A district has networks of schools and a central office; staff are teachers, school
    leaders and network leaders with supervisors. Two programs (a fellowship and a principal
    coaching program) run yearly cohorts from ``first_year``. Each year a share of staff
    become mentees; mentors are school leaders and, with probability ``pay_it_forward``, last
    year's mentees, so mentorship chains grow across years. Sessions follow the program's
    cadence (by default 3 h monthly for 7 months) and mentees write the monthly reflection
    the fellowship asks for; most pairs keep up, a minority fall behind (cancelled
    meetings not made up, reflections skipped). Some mentees are promoted; school leaders
    and mentors reach students. Mentees rate themselves on their two focus competencies of
    the program's framework (``manager-of-self`` or ``leader-growth``) when a cohort starts
    and their mentor or coach rates them when it ends; supervisors rate school and network
    leaders on ``manager-of-self`` once. Names and e-mails are made up.

    Args:
        seed: Same seed, same district (across runs and machines).
        staff: Number of people.
        years: Number of yearly cohorts per program.
        first_year: The school year the first cohort starts (in August).
        mentee_share: Share of staff who are mentees in a given year.
        pay_it_forward: Chance that a mentee of last year mentors this year.
        mentor_capacity: Most mentees one mentor takes in a year, recorded on their
            enrolments (``Enrollment.capacity``), where matching reads it.
        sessions_per_mentorship: Monthly sessions planned per mentorship (0 for none, to
            stay light); a cancelled one is often made up the week after.
        session_minutes: Length of each session.

    Returns:
        The district's entities.

    Examples:
        >>> d = district(seed=1, staff=120, years=2)
        >>> d.counts()["people"]
        120
        >>> d == district(seed=1, staff=120, years=2)
        True
    """
    _whole(staff, "staff", 10, 10**7)
    _whole(first_year, "first_year", dt.MINYEAR, dt.MAXYEAR - 1)
    _whole(years, "years", 1, dt.MAXYEAR - 1 - first_year)
    _whole(mentor_capacity, "mentor_capacity", 0, MAX_CAPACITY)
    if not isinstance(mentee_share, int | float) or not 0 < mentee_share <= 1:
        raise ValidationError("must be in (0, 1]", field="mentee_share", value=mentee_share)
    rng = random.Random(seed)  # noqa: S311 - reproducible fake data, not secrets
    gen = _Generator(rng, staff=staff)
    gen.org_and_people(first_year)
    gen.programs_and_cohorts(first_year, years)
    gen.mentoring(first_year, years, mentee_share, pay_it_forward, mentor_capacity)
    # Its own stream too: the sessions' shape can change without changing other entities.
    sessions_rng = random.Random(f"{seed}/sessions")  # noqa: S311
    gen.sessions(sessions_rng, sessions_per_mentorship, session_minutes)
    gen.outcomes(first_year, years)
    # Its own random stream, so adding assessments left every other entity unchanged.
    gen.assessments(random.Random(f"{seed}/assessments"), first_year)  # noqa: S311
    gen.engagements()
    gen.events(random.Random(f"{seed}/attendance"))  # noqa: S311 - likewise
    return District(
        seed=seed,
        org_units=gen.org_units,
        people=gen.people,
        programs=gen.programs,
        cohorts=gen.cohorts,
        enrollments=gen.enrollments,
        mentorships=gen.mentorships,
        sessions=gen.session_list,
        action_items=gen.action_items,
        reflections=gen.reflections,
        outcomes=gen.outcome_list,
        assessments=gen.assessment_list,
        engagements=gen.engagement_list,
        events=gen.event_list,
        attendances=gen.attendance_list,
    )


class _Generator:
    """The mutable state of one generation run (kept out of the public API)."""

    def __init__(self, rng: random.Random, *, staff: int) -> None:
        self.rng = rng
        self.staff = staff
        self.org_units: list[m.OrgUnit] = []
        self.people: list[m.Person] = []
        self.programs: list[m.Program] = []
        self.cohorts: list[m.Cohort] = []
        self.enrollments: list[m.Enrollment] = []
        self.mentorships: list[m.Mentorship] = []
        self.session_list: list[m.Session] = []
        self.action_items: list[m.ActionItem] = []
        self.reflections: list[m.Reflection] = []
        self.outcome_list: list[m.Outcome] = []
        self.assessment_list: list[Assessment] = []
        self.engagement_list: list[m.Engagement] = []
        self.event_list: list[m.Event] = []
        self.attendance_list: list[m.Attendance] = []
        self.leaders: list[str] = []  # school and network leaders: mentors from the start
        self.school_size: dict[str, int] = {}
        self.person_school: dict[str, str] = {}
        self.cohort_of: dict[tuple[str, int], m.Cohort] = {}

    def org_and_people(self, first_year: int) -> None:
        rng = self.rng
        schools_n = max(2, self.staff // 40)
        networks_n = max(1, schools_n // 12)
        self.org_units.append(
            m.OrgUnit(id="ou-district", name="Synthetic Unified", kind=m.OrgUnitKind.DISTRICT)
        )
        self.org_units.append(
            m.OrgUnit(
                id="ou-central",
                name="Central Office",
                kind=m.OrgUnitKind.CENTRAL_OFFICE,
                parent_id="ou-district",
            )
        )
        networks = [f"ou-net-{n + 1:03d}" for n in range(networks_n)]
        for n, net in enumerate(networks):
            self.org_units.append(
                m.OrgUnit(
                    id=net,
                    name=f"Network {n + 1}",
                    kind=m.OrgUnitKind.NETWORK,
                    parent_id="ou-district",
                )
            )
        schools = [f"ou-sch-{n + 1:04d}" for n in range(schools_n)]
        network_of = {sch: networks[n % networks_n] for n, sch in enumerate(schools)}
        for n, sch in enumerate(schools):
            word = _SCHOOL_WORDS[n % len(_SCHOOL_WORDS)]
            kind = _SCHOOL_KINDS[(n // len(_SCHOOL_WORDS)) % len(_SCHOOL_KINDS)]
            suffix = f" {n // (len(_SCHOOL_WORDS) * len(_SCHOOL_KINDS)) + 1}" if n >= 70 else ""
            self.org_units.append(
                m.OrgUnit(
                    id=sch,
                    name=f"{word} {kind}{suffix}",
                    kind=m.OrgUnitKind.SCHOOL,
                    parent_id=networks[n % networks_n],
                )
            )
            self.school_size[sch] = rng.randrange(250, 1400)

        hired = dt.date(first_year - 12, 8, 1)
        index = 0

        def person(title: str, unit: str, supervisor: str | None) -> str:
            nonlocal index
            index += 1
            pid = f"p-{index:06d}"
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            start = hired + dt.timedelta(days=rng.randrange(0, 12 * 365))
            demographics = {k: rng.choice(v) for k, v in _DEMOGRAPHICS.items()}
            self.people.append(m.Person(
                id=pid, name=f"{first} {last}", title=title, org_unit_id=unit,
                supervisor_id=supervisor,
                email=f"{first.lower()}.{last.lower()}.{index}@district.example",
                roles=(m.RoleSpell(title=title, start=start, org_unit_id=unit),),
                demographics=demographics,
            ))  # fmt: skip
            return pid

        superintendent = person("Superintendent", "ou-central", None)
        directors = {net: person("Network Director", net, superintendent) for net in networks}
        self.leaders.extend(directors.values())
        for sch in schools:
            if len(self.people) >= self.staff:
                break
            principal = person("Principal", sch, directors[network_of[sch]])
            self.leaders.append(principal)
            self.person_school[principal] = sch
        aps: dict[str, str] = {}
        principals = {s: p for p, s in self.person_school.items()}
        for sch in schools:
            if len(self.people) >= self.staff:
                break
            aps[sch] = person("Assistant Principal", sch, principals.get(sch))
            self.leaders.append(aps[sch])
            self.person_school[aps[sch]] = sch
        while len(self.people) < self.staff:
            sch = rng.choice(schools)
            pid = person(rng.choice(_TEACHER_TITLES), sch, aps.get(sch))
            self.person_school[pid] = sch

    def programs_and_cohorts(self, first_year: int, years: int) -> None:
        self.programs = [
            m.Program(id="prog-fellows", name="Aspiring Leaders Fellowship",
                      description="Year-long mentoring for emerging school leaders.",
                      framework_id="manager-of-self", commitments=NEXTGEN_COMMITMENTS,
                      milestones=NEXTGEN_MILESTONES),
            m.Program(id="prog-coaching", name="School Leader Coaching",
                      description="Coaching cycles for principals and assistant principals.",
                      framework_id="leader-growth", cycle_id="equity-leadership-coaching",
                      commitments=OEIB_COMMITMENTS, milestones=OEIB_MILESTONES),
        ]  # fmt: skip
        for program in self.programs:
            for year in range(first_year, first_year + years):
                cohort = m.Cohort(
                    id=f"coh-{program.id.removeprefix('prog-')}-{year}",
                    program_id=program.id,
                    name=f"{program.name} {year}-{(year + 1) % 100:02d}",
                    start=dt.date(year, 8, 1),
                    end=dt.date(year + 1, 6, 30),
                )
                self.cohorts.append(cohort)
                self.cohort_of[program.id, year] = cohort

    def mentoring(
        self, first_year: int, years: int, share: float, forward: float, capacity: int
    ) -> None:
        rng = self.rng
        everyone = [p.id for p in self.people]
        previous: list[str] = []
        n = 0
        for year in range(first_year, first_year + years):
            last_year = year == first_year + years - 1
            mentees_n = max(1, int(self.staff * share))
            mentees = rng.sample(everyone, mentees_n)
            mentee_set = set(mentees)
            leaders = set(self.leaders)
            forward_mentors = [
                p for p in previous if p not in mentee_set and rng.random() < forward
            ]
            pool = forward_mentors + [p for p in self.leaders if p not in mentee_set]
            load: dict[str, int] = {}
            for mentee in mentees:
                program = "prog-coaching" if mentee in leaders else "prog-fellows"
                cohort = self.cohort_of[program, year]
                mentor = None
                for _ in range(8):
                    candidate = rng.choice(pool) if pool else None
                    if (
                        candidate is not None
                        and candidate != mentee
                        and load.get(candidate, 0) < capacity
                    ):
                        mentor = candidate
                        break
                n += 1
                status = m.EnrollmentStatus.ACTIVE if last_year else m.EnrollmentStatus.COMPLETED
                focus = tuple(rng.sample(_FOCUS[program], 2))
                self.enrollments.append(m.Enrollment(
                    id=f"enr-{n:07d}-e", person_id=mentee, cohort_id=cohort.id,
                    role=m.Role.MENTEE, status=status, focus_competencies=focus,
                    applied=cohort.start - dt.timedelta(days=70 + n % 21),
                    agreement_signed=cohort.start - dt.timedelta(days=21)))  # fmt: skip
                if mentor is None:
                    continue
                load[mentor] = load.get(mentor, 0) + 1
                role = m.Role.COACH if program == "prog-coaching" else m.Role.MENTOR
                self.enrollments.append(m.Enrollment(
                    id=f"enr-{n:07d}-m", person_id=mentor, cohort_id=cohort.id, role=role,
                    status=status, capacity=capacity))  # fmt: skip
                start = cohort.start + dt.timedelta(days=rng.randrange(14, 60))
                self.mentorships.append(m.Mentorship(
                    id=f"ms-{n:07d}", mentor_id=mentor, mentee_id=mentee, start=start,
                    end=None if last_year else cohort.end,
                    kind=m.MentorshipKind.COACHING if program == "prog-coaching"
                    else m.MentorshipKind.ONE_TO_ONE,
                    program_id=program, cohort_id=cohort.id))  # fmt: skip
            previous = mentees

    def sessions(self, rng: random.Random, per_mentorship: int, minutes: int) -> None:
        """Monthly sessions, their next steps, and the reflections the program asks for.

        Each pair meets once a month in the months its program's monthly commitment is owed
        (the months it is active at the middle of, as adherence counts them), on its own
        day; a cancelled meeting is usually made up a week later. Most pairs keep the
        rhythm; a minority (about one in ten) struggle: they cancel more, make up less,
        leave next steps undone and skip reflections. Where a commitment asks for a
        reflection per period, the mentee writes one in most periods, a few days after the
        meeting.
        """
        programs = {p.id: p for p in self.programs}
        cohorts = {c.id: c for c in self.cohorts}
        for ms in self.mentorships:
            if not per_mentorship:
                break
            program = programs[ms.program_id or ""]
            cohort = cohorts[ms.cohort_id or ""]
            monthly = next((k for k in program.commitments if k.per is m.Period.MONTH), None)
            reflective = [k for k in program.commitments if k.artefact is m.Artefact.REFLECTION]
            asked = monthly.activities if monthly is not None and monthly.activities else ()
            first = max(ms.start, cohort.start)
            last = min(ms.end or cohort.end, cohort.end)
            months = [p[1] for p in due_periods(first, last, m.Period.MONTH, None)]
            if not months:
                months = [first.replace(day=1)]
            while len(months) < per_mentorship:  # beyond the cohort: keep meeting monthly
                months.append(next_start(months[-1], m.Period.MONTH))
            struggling = rng.random() < 0.1
            cancel, make_up = (0.3, 0.25) if struggling else (0.08, 0.9)
            done_share = 0.6 if struggling else 0.99
            day = min(ms.start.day, 21)  # a make-up a week later stays in the month
            meetings: list[dt.datetime] = []
            for k, month in enumerate(months[:per_mentorship]):
                when = dt.datetime.combine(month.replace(day=day), dt.time(15, 30), tzinfo=_UTC)
                if ms.kind is m.MentorshipKind.COACHING and k % 3 == 0:
                    activity = m.Activity.CLASSROOM_VISIT  # a walkthrough each quarter
                else:
                    activity = rng.choice(asked or _ACTIVITIES)
                held = rng.random() >= cancel
                tries = [(f"{ms.id}-s{k + 1:02d}", when, held)]
                if not held and rng.random() < make_up:
                    tries.append((f"{ms.id}-s{k + 1:02d}b", when + dt.timedelta(days=7), True))
                for sid, start, ok in tries:
                    self.session_list.append(m.Session(
                        id=sid, mentorship_id=ms.id, start=start, minutes=minutes,
                        activity=activity,
                        status=m.SessionStatus.HELD if ok else m.SessionStatus.CANCELLED,
                        participants=(ms.mentor_id, ms.mentee_id)))  # fmt: skip
                    if ok:
                        meetings.append(start)
                        self.action_items.append(m.ActionItem(
                            id=f"{sid}-a1", owner_id=ms.mentee_id,
                            text="Try the protocol we practised.",
                            due=(start + dt.timedelta(days=21)).date(),
                            done=rng.random() < done_share, session_id=sid))  # fmt: skip
            if not reflective:
                self.reflections.append(m.Reflection(
                    id=f"{ms.id}-r1", person_id=ms.mentee_id,
                    written=ms.start + dt.timedelta(days=90),
                    text="What shifted for me this term.", mentorship_id=ms.id))  # fmt: skip
                continue
            written = 0.7 if struggling else 0.99
            periods = sorted({
                p[1] for k in reflective for p in due_periods(first, last, k.per, k.periods)
            })  # fmt: skip
            for n, period in enumerate(periods):
                if rng.random() >= written:
                    continue
                after = next_start(period, m.Period.MONTH)
                held_in = [t.date() for t in meetings if period <= t.date() < after]
                # A few days after the month's meeting (or its start), within the month.
                base = held_in[0] if held_in else period
                when_written = min(base + dt.timedelta(days=rng.randrange(1, 6)),
                                   after - dt.timedelta(days=1))  # fmt: skip
                self.reflections.append(m.Reflection(
                    id=f"{ms.id}-r{n + 1:02d}", person_id=ms.mentee_id, written=when_written,
                    text="What I tried this month, and what I will try next.",
                    mentorship_id=ms.id))  # fmt: skip

    def outcomes(self, first_year: int, years: int) -> None:
        rng = self.rng
        mentors = {ms.mentor_id for ms in self.mentorships}
        n = 0
        for ms in self.mentorships:
            if rng.random() < 0.15:
                n += 1
                self.outcome_list.append(m.Outcome(
                    id=f"out-{n:07d}", person_id=ms.mentee_id, kind=m.OutcomeKind.PROMOTION,
                    date=ms.start + dt.timedelta(days=rng.randrange(200, 700)),
                    note="Promoted to a leadership role."))  # fmt: skip
        reached_on = dt.date(first_year + years, 6, 30)
        for pid in sorted(mentors | set(self.leaders)):
            school = self.person_school.get(pid)
            value = self.school_size[school] if school else rng.randrange(20, 160)
            n += 1
            self.outcome_list.append(m.Outcome(
                id=f"out-{n:07d}", person_id=pid, kind=m.OutcomeKind.STUDENTS_REACHED,
                date=reached_on, value=float(value)))  # fmt: skip

    def assessments(self, rng: random.Random, first_year: int) -> None:
        framework_of = {p.id: load_framework(p.framework_id or "") for p in self.programs}
        program_of = {c.id: c.program_id for c in self.cohorts}
        cohort_by_id = {c.id: c for c in self.cohorts}
        mentor_of = {(ms.mentee_id, ms.cohort_id): ms.mentor_id for ms in self.mentorships}
        n = 0

        def add(
            person: str,
            fw_id: str,
            code: str,
            level: str,
            day: dt.date,
            rater: Rater,
            rater_id: str | None,
        ) -> None:
            nonlocal n
            n += 1
            self.assessment_list.append(Assessment(
                id=f"as-{n:07d}", person_id=person, framework_id=fw_id, competency=code,
                level=level, date=day, rater=rater, rater_id=rater_id))  # fmt: skip

        for e in self.enrollments:
            if e.role is not m.Role.MENTEE:
                continue
            program = program_of[e.cohort_id]
            cohort = cohort_by_id[e.cohort_id]
            fw = framework_of[program]
            levels = fw.scale.codes
            mentor = mentor_of.get((e.person_id, e.cohort_id))
            for code in e.focus_competencies:
                start_rank = rng.choice((0, 1, 1, 2))
                add(e.person_id, fw.id, code, levels[start_rank],
                    cohort.start + dt.timedelta(days=21), Rater.SELF, None)  # fmt: skip
                if mentor is not None and e.status is m.EnrollmentStatus.COMPLETED:
                    end_rank = min(len(levels) - 1, start_rank + rng.choice((0, 1, 1, 2)))
                    rater = Rater.COACH if program == "prog-coaching" else Rater.MENTOR
                    add(e.person_id, fw.id, code, levels[end_rank],
                        cohort.end - dt.timedelta(days=14), rater, mentor)  # fmt: skip
        mos = framework_of["prog-fellows"]
        supervisor = {p.id: p.supervisor_id for p in self.people}
        for leader in self.leaders:
            for code in mos.codes:
                level = mos.scale.codes[rng.choice((1, 2, 2, 3))]
                add(leader, mos.id, code, level, dt.date(first_year, 8, 15), Rater.SUPERVISOR,
                    supervisor.get(leader))  # fmt: skip

    def engagements(self) -> None:
        """Coaching teams: a coach's coachees of one school in one cohort are one team."""
        role_of = {"Principal": "principal", "Assistant Principal": "assistant_principal"}
        title = {p.id: p.title for p in self.people}
        teams: dict[tuple[str, str, str], list[m.Mentorship]] = {}
        for ms in self.mentorships:
            if ms.kind is m.MentorshipKind.COACHING and ms.cohort_id is not None:
                school = self.person_school.get(ms.mentee_id, ms.mentee_id)
                teams.setdefault((ms.cohort_id, ms.mentor_id, school), []).append(ms)
        for (cohort_id, coach, school), members in teams.items():
            self.engagement_list.append(m.Engagement(
                id=f"eng-{members[0].id}", coach_id=coach, cohort_id=cohort_id,
                program_id="prog-coaching",
                org_unit_id=school if school in self.school_size else None,
                start=min(ms.start for ms in members),
                members=tuple(m.TeamMember(
                    person_id=ms.mentee_id, role=role_of.get(title[ms.mentee_id], "leader"),
                    mentorship_id=ms.id) for ms in members)))  # fmt: skip

    def events(self, rng: random.Random) -> None:
        """Each cohort's milestones, and who attended those that are meetings."""
        programs = {p.id: p for p in self.programs}
        enrolled: dict[str, list[m.Enrollment]] = {}
        for e in self.enrollments:
            enrolled.setdefault(e.cohort_id, []).append(e)
        n = 0
        for cohort in self.cohorts:
            for event in milestone_events(programs[cohort.program_id], cohort):
                self.event_list.append(event)
                if event.minutes is None:
                    continue
                for e in enrolled.get(cohort.id, ()):
                    n += 1
                    self.attendance_list.append(m.Attendance(
                        id=f"att-{n:07d}", event_id=event.id, person_id=e.person_id,
                        cohort_id=cohort.id, attended=rng.random() < 0.85))  # fmt: skip

def _whole(value: object, field: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(f"must be a whole number from {low} to {high}", field=field,
                              value=value)  # fmt: skip
