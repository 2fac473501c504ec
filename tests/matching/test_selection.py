"""select_applicants: the best-ranked eligible applicants get the seats, recorded atomically."""

import datetime as dt
import math
import re

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mentorkit as mk
from mentorkit.cli import main
from mentorkit.matching import (
    Applicant,
    Decision,
    EligibilityReport,
    NoFlag,
    PriorityIfRated,
    RuleOutcome,
    check_eligibility,
    select_applicants,
)
from mentorkit.storage import MemoryStore, open_store
from mentorkit.testing import strategies

COHORT = mk.Cohort(
    id="c", program_id="p", name="2024", start=dt.date(2024, 6, 1), end=dt.date(2024, 12, 31)
)
RULES = [NoFlag("misconduct"), PriorityIfRated(level=3)]


def _applicant(pid, *, excluded=False, rated=False):
    return Applicant(
        person_id=pid,
        ratings={"data": 3} if rated else {},
        flags={"misconduct"} if excluded else set(),
    )


def _store(people, *, statuses=None, extra=()):
    """A store with the cohort and one mentee enrolment per person (status ``applied``)."""
    store = MemoryStore()
    store.put(COHORT)
    for pid in people:
        status = (statuses or {}).get(pid, "applied")
        store.put(
            mk.Enrollment(id=f"e-{pid}", person_id=pid, cohort_id="c", role="mentee", status=status)
        )
    store.put_many(list(extra))
    return store


def _statuses(store):
    return {e.person_id: e.status.value for e in store.find(mk.Enrollment, cohort_id="c")}


def _snapshot(store):
    return sorted((e.id, e.version, e.status.value) for e in store.all(mk.Enrollment))


@st.composite
def scenarios(draw):
    """Applicants with drawn eligibility, priority and withdrawals, and a number of seats."""
    people = draw(st.lists(strategies.ids(), unique=True, max_size=12))
    applicants = [
        _applicant(pid, excluded=draw(st.booleans()), rated=draw(st.booleans())) for pid in people
    ]
    withdrawn = set(draw(st.lists(st.sampled_from(people), unique=True))) if people else set()
    previous = {
        pid: draw(st.sampled_from(["applied", "selected", "not_selected"]))
        for pid in people
        if pid not in withdrawn
    }
    seats = draw(st.integers(0, len(people) + 2))
    return applicants, withdrawn, previous, seats


@given(scenarios())
def test_every_applicant_ends_with_one_status_and_the_best_ranked_eligible_get_the_seats(scenario):
    applicants, withdrawn, previous, seats = scenario
    people = [a.person_id for a in applicants]
    store = _store(people, statuses={**previous, **dict.fromkeys(withdrawn, "withdrawn")})
    report = check_eligibility(applicants, RULES)
    chosen = select_applicants(store, "c", report, seats=seats)

    eligible = [pid for pid in report.eligible if pid not in withdrawn]
    assert len(chosen.selected) == min(seats, len(eligible))
    assert list(chosen.selected + chosen.waitlist) == eligible  # rank order, seats first
    groups = [chosen.selected, chosen.waitlist, chosen.not_eligible, chosen.withdrawn]
    assert sorted(pid for group in groups for pid in group) == sorted(people)  # a partition
    assert set(chosen.withdrawn) == withdrawn
    assert _statuses(store) == {
        **dict.fromkeys(chosen.selected, "selected"),
        **dict.fromkeys(chosen.not_selected, "not_selected"),
        **dict.fromkeys(chosen.withdrawn, "withdrawn"),
    }
    assert sorted(chosen.changed) == sorted(
        f"e-{pid}"
        for pid in people
        if pid not in withdrawn
        and previous[pid] != ("selected" if pid in chosen.selected else "not_selected")
    )
    # Rerun: the same verdicts, nothing written.
    before = _snapshot(store)
    again = select_applicants(store, "c", report, seats=seats)
    assert attrs.evolve(again, changed=chosen.changed) == chosen
    assert again.changed == ()
    assert _snapshot(store) == before


def test_priority_decides_the_seats_and_more_seats_move_the_waitlist_up():
    applicants = [
        _applicant("ana"),
        _applicant("ben", rated=True),
        _applicant("cy", excluded=True),
        _applicant("di"),
    ]
    store = _store(["ana", "ben", "cy", "di"])
    report = check_eligibility(applicants, RULES)
    first = select_applicants(store, "c", report, seats=2)
    assert (first.selected, first.waitlist, first.not_eligible) == (
        ("ben", "ana"),
        ("di",),
        ("cy",),
    )
    assert (
        first.summary() == "c: 4 applicants, 3 eligible, 2 selected for 2 seats, 1 on the waitlist"
    )
    later = select_applicants(store, "c", report, seats=3)
    assert later.selected == ("ben", "ana", "di")
    assert later.changed == ("e-di",)
    assert _statuses(store)["di"] == "selected"


def test_an_applicant_who_withdrew_keeps_the_status_and_leaves_the_seat_to_the_next():
    applicants = [_applicant("ana", rated=True), _applicant("ben"), _applicant("cy")]
    store = _store(["ana", "ben", "cy"], statuses={"ana": "withdrawn"})
    chosen = select_applicants(store, "c", check_eligibility(applicants, RULES), seats=1)
    assert (chosen.selected, chosen.waitlist, chosen.withdrawn) == (("ben",), ("cy",), ("ana",))
    assert chosen.summary().endswith(", 1 withdrawn")
    assert _statuses(store) == {"ana": "withdrawn", "ben": "selected", "cy": "not_selected"}


def test_mentor_enrolments_and_other_cohorts_are_left_alone():
    mentor = mk.Enrollment(id="e-kim", person_id="kim", cohort_id="c", role="mentor",
                           status="active")  # fmt: skip
    elsewhere = mk.Enrollment(id="e-old", person_id="ana", cohort_id="c-2023", role="mentee")
    store = _store(["ana"], extra=[mentor, elsewhere])
    select_applicants(store, "c", check_eligibility([_applicant("ana")], RULES), seats=0)
    assert store.get(mk.Enrollment, "e-kim").status is mk.EnrollmentStatus.ACTIVE
    assert store.get(mk.Enrollment, "e-old").status is mk.EnrollmentStatus.APPLIED
    assert store.get(mk.Enrollment, "e-ana").status is mk.EnrollmentStatus.NOT_SELECTED


def _report(*people):
    return check_eligibility([_applicant(pid) for pid in people], RULES)


@pytest.mark.parametrize(
    ("setup", "call", "field", "value", "message"),
    [
        (["ana"], {"seats": -1}, "seats", -1, "whole number >= 0"),
        (["ana"], {"seats": True}, "seats", True, "whole number >= 0"),
        (["ana"], {"seats": 2.0}, "seats", 2.0, "whole number >= 0"),
        (["ana"], {"cohort_id": "nowhere"}, "cohort_id", "nowhere", "not a cohort"),
        (["ana"], {"report": _report("ana", "ben")}, "report", "ben", "no mentee enrolment"),
        (["ana", "ben"], {"report": _report("ana")}, "report", "ben", "no decision"),
        (["ana"], {"report": ["ana"]}, "report", "list", "EligibilityReport"),
        (["ana"], {"store": "sqlite:///x.db"}, "store", "str", "must be a store"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(setup, call, field, value, message):
    store = _store(setup)
    before = _snapshot(store)
    args = {"store": store, "cohort_id": "c", "report": _report(*setup), "seats": 1, **call}
    with pytest.raises(mk.ValidationError, match=message) as info:
        select_applicants(args["store"], args["cohort_id"], args["report"], seats=args["seats"])
    assert (info.value.field, info.value.value) == (field, value)
    assert _snapshot(store) == before


@pytest.mark.parametrize("status", ["active", "completed"])
def test_an_applicant_already_under_way_is_refused(status):
    store = _store(["ana", "ben"], statuses={"ben": status})
    before = _snapshot(store)
    with pytest.raises(mk.ValidationError, match=f"already {status}") as info:
        select_applicants(store, "c", _report("ana", "ben"), seats=1)
    assert (info.value.field, info.value.value) == ("report", "ben")
    assert _snapshot(store) == before


def test_two_mentee_enrolments_of_one_applicant_are_refused():
    twin = mk.Enrollment(id="e-ana-2", person_id="ana", cohort_id="c", role="mentee")
    store = _store(["ana"], extra=[twin])
    with pytest.raises(mk.ValidationError, match="more than one mentee enrolment") as info:
        select_applicants(store, "c", _report("ana"), seats=1)
    assert (info.value.field, info.value.value) == ("report", "ana")


class FailingWrites:
    """A store whose bulk write stores the first entity, then fails (a crash mid-write)."""

    def __init__(self, inner):
        self.inner = inner

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def put_many(self, entities):
        entities = list(entities)
        self.inner.put(entities[0])
        raise mk.StorageError("the disk is full")


@pytest.mark.parametrize("url", ["memory://", "sqlite:///selection.db"])
def test_the_statuses_are_written_all_or_nothing(url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_store(url) as inner:
        inner.put(COHORT)
        for pid in ("ana", "ben", "cy"):
            inner.put(mk.Enrollment(id=f"e-{pid}", person_id=pid, cohort_id="c", role="mentee"))
        before = _snapshot(inner)
        with pytest.raises(mk.StorageError, match="disk is full"):
            select_applicants(FailingWrites(inner), "c", _report("ana", "ben", "cy"), seats=2)
        assert _snapshot(inner) == before


def test_mentorkit_match_then_matches_exactly_the_selected_applicants(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'program.db'}"  # an absolute path: four slashes
    people = [f"applicant-{k}" for k in range(6)]
    with open_store(url) as store:
        store.put(mk.Program(id="p", name="Program"))
        store.put(COHORT)
        for pid in [*people, "kim", "lee"]:
            store.put(mk.Person(id=pid, name=pid.title()))
        for pid in ("kim", "lee"):
            store.put(mk.Enrollment(id=f"e-{pid}", person_id=pid, cohort_id="c", role="mentor",
                                    status="active"))  # fmt: skip
        for pid in people:
            store.put(mk.Enrollment(id=f"e-{pid}", person_id=pid, cohort_id="c", role="mentee"))
        applicants = [_applicant(pid, excluded=pid.endswith("2"), rated=pid.endswith("5"))
                      for pid in people]  # fmt: skip
        chosen = select_applicants(store, "c", check_eligibility(applicants, RULES), seats=3)
    assert chosen.selected[0] == "applicant-5"
    assert main(["match", "--store", url, "--cohort", "c", "--brief"]) == 0
    out = capsys.readouterr().out
    assert set(re.findall(r"\((applicant-\d)\)", out)) == set(chosen.selected)
    assert "3 pairs, 0 unmatched" in out


# -- seats count the cohort's places; withdrawn enrolments are history (review of #17) --------


def _selected_in_cohort(store):
    return [
        e.person_id
        for e in store.find(mk.Enrollment, cohort_id="c", role="mentee")
        if e.status is mk.EnrollmentStatus.SELECTED
    ]


@st.composite
def call_sequences(draw):
    """People, then a run of steps: a selection on some of them, a withdrawal, a reapplication."""
    people = draw(st.lists(strategies.ids(), min_size=1, unique=True, max_size=8))
    steps = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["select", "select", "withdraw", "reapply"]))
        if kind == "select":
            subset = draw(st.lists(st.sampled_from(people), unique=True))
            eligibility = {pid: (draw(st.booleans()), draw(st.booleans())) for pid in people}
            steps.append(("select", subset, eligibility, draw(st.integers(0, len(people) + 1))))
        else:
            steps.append((kind, draw(st.sampled_from(people))))
    return people, steps


@given(call_sequences())
def test_no_sequence_of_selections_leaves_more_selected_than_seats(sequence):
    """After any call the cohort has at most ``seats`` selected; a withdrawn enrolment beside
    a new application never blocks a selection; a refused call writes nothing."""
    people, steps = sequence
    store = _store(people)
    serial = 0
    for step in steps:
        live = {
            e.person_id: e
            for e in store.find(mk.Enrollment, cohort_id="c")
            if e.status is not mk.EnrollmentStatus.WITHDRAWN
        }
        if step[0] == "withdraw":
            if step[1] in live:
                store.put(attrs.evolve(live[step[1]], status="withdrawn"))
            continue
        if step[0] == "reapply":
            if step[1] not in live:  # withdrew (or never came back): a new application
                serial += 1
                store.put(mk.Enrollment(id=f"e-{step[1]}-again-{serial}", person_id=step[1],
                                        cohort_id="c", role="mentee"))  # fmt: skip
            continue
        _, subset, eligibility, seats = step
        waiting = [pid for pid, e in live.items() if e.status is mk.EnrollmentStatus.APPLIED]
        in_report = list(dict.fromkeys([*subset, *waiting]))  # everyone who applied is decided
        applicants = [
            _applicant(pid, excluded=eligibility[pid][0], rated=eligibility[pid][1])
            for pid in in_report
        ]
        report = check_eligibility(applicants, RULES)
        held = [pid for pid in _selected_in_cohort(store) if pid not in in_report]
        before = _snapshot(store)
        if len(held) > seats:
            with pytest.raises(mk.ValidationError) as info:
                select_applicants(store, "c", report, seats=seats)
            assert info.value.field == "seats"
            assert _snapshot(store) == before
            continue
        chosen = select_applicants(store, "c", report, seats=seats)
        withdrawn = {pid for pid in in_report if pid not in live}
        eligible = [pid for pid in report.eligible if pid not in withdrawn]
        assert sorted(chosen.held) == sorted(held)
        assert len(chosen.selected) == min(seats - len(held), len(eligible))
        assert len(_selected_in_cohort(store)) <= seats
        assert sorted(_selected_in_cohort(store)) == sorted([*held, *chosen.selected])


def test_a_second_selection_on_other_applicants_fills_only_the_places_left():
    store = _store(["ana", "ben", "cy", "di", "eli"])
    first = select_applicants(store, "c", _report("ana", "ben", "cy", "di", "eli"), seats=3)
    assert first.selected == ("ana", "ben", "cy")
    # A later report on the two waitlisted: one place is left of 4.
    later = select_applicants(store, "c", _report("di", "eli"), seats=4)
    assert (later.held, later.selected, later.waitlist) == (("ana", "ben", "cy"), ("di",), ("eli",))
    assert later.summary() == (
        "c: 2 applicants, 2 eligible, 1 selected for 4 seats (3 held already, outside this "
        "report), 1 on the waitlist"
    )
    assert sorted(_selected_in_cohort(store)) == ["ana", "ben", "cy", "di"]


def test_more_places_held_outside_the_report_than_seats_is_refused_naming_seats():
    store = _store(["ana", "ben", "cy"], statuses={"ana": "active", "ben": "selected"})
    before = _snapshot(store)
    with pytest.raises(mk.ValidationError, match="must be at least 2") as info:
        select_applicants(store, "c", _report("cy"), seats=1)
    assert (info.value.field, info.value.value) == ("seats", 1)
    assert "'ana', 'ben'" in str(info.value)
    assert _snapshot(store) == before


def test_a_reapplication_after_a_withdrawal_is_decided_and_the_withdrawal_kept():
    again = mk.Enrollment(id="e-ana-2", person_id="ana", cohort_id="c", role="mentee")
    store = _store(["ana", "ben"], statuses={"ana": "withdrawn"}, extra=[again])
    chosen = select_applicants(store, "c", _report("ana", "ben"), seats=1)
    assert (chosen.selected, chosen.waitlist, chosen.withdrawn) == (("ana",), ("ben",), ())
    assert store.get(mk.Enrollment, "e-ana").status is mk.EnrollmentStatus.WITHDRAWN
    assert store.get(mk.Enrollment, "e-ana-2").status is mk.EnrollmentStatus.SELECTED


def test_only_withdrawn_enrolments_leave_the_applicant_withdrawn():
    twice = mk.Enrollment(id="e-ana-2", person_id="ana", cohort_id="c", role="mentee",
                          status="withdrawn")  # fmt: skip
    store = _store(["ana", "ben"], statuses={"ana": "withdrawn"}, extra=[twice])
    chosen = select_applicants(store, "c", _report("ana", "ben"), seats=1)
    assert (chosen.selected, chosen.withdrawn) == (("ben",), ("ana",))


def test_two_live_enrolments_beside_a_withdrawn_one_are_still_refused():
    extra = [
        mk.Enrollment(id="e-ana-2", person_id="ana", cohort_id="c", role="mentee"),
        mk.Enrollment(id="e-ana-3", person_id="ana", cohort_id="c", role="mentee",
                      status="withdrawn"),
    ]  # fmt: skip
    store = _store(["ana"], extra=extra)
    with pytest.raises(mk.ValidationError, match="'e-ana', 'e-ana-2'") as info:
        select_applicants(store, "c", _report("ana"), seats=1)
    assert (info.value.field, info.value.value) == ("report", "ana")


def _decision(pid, *, priority=0.0, eligible=True):
    return Decision(person_id=pid, eligible=eligible, priority=priority, reasons=(),
                    exclusions=())  # fmt: skip


@pytest.mark.parametrize(
    ("decisions", "message"),
    [
        (None, "tuple of Decisions"),
        ({"ana": 1}, "tuple of Decisions"),
        (("ana",), r"decisions\[0\] must be a Decision"),
        ((_decision("ana"), _decision("ana")), r"decisions\[1\]: the applicant is listed twice"),
        ((_decision("ana", priority=math.nan),), "finite number"),
        ((_decision("ana", priority=math.inf),), "finite number"),
        ((_decision("ana", priority="1"),), "finite number"),
        ((_decision("ana", eligible="yes"),), "true or false"),
        ((_decision(3),), "person id"),
    ],
)
def test_a_hand_built_report_is_checked_before_anything_is_written(decisions, message):
    store = _store(["ana"])
    before = _snapshot(store)
    with pytest.raises(mk.ValidationError, match=message) as info:
        select_applicants(store, "c", EligibilityReport(decisions=decisions), seats=1)
    assert info.value.field == "report"
    assert _snapshot(store) == before


def test_seats_may_be_a_numpy_integer():
    store = _store(["ana", "ben"])
    chosen = select_applicants(store, "c", _report("ana", "ben"), seats=np.int64(1))
    assert chosen.selected == ("ana",)
    assert type(chosen.seats) is int


# -- priorities are finite numbers (review of #17) --------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"level": 3, "points": math.nan}, "points"),
        ({"level": 3, "points": math.inf}, "points"),
        ({"level": 3, "points": -math.inf}, "points"),
        ({"level": 3, "points": True}, "points"),
        ({"level": 3, "points": "1"}, "points"),
        ({"level": 3, "points": 10**400}, "points"),
        ({"level": True}, "level"),
        ({"level": 2.5}, "level"),
        ({"level": "3"}, "level"),
    ],
)
def test_priority_if_rated_refuses_what_is_not_a_finite_number(kwargs, field):
    with pytest.raises(mk.ValidationError) as info:
        PriorityIfRated(**kwargs)
    assert info.value.field == field


def test_priority_if_rated_takes_numpy_numbers_and_negative_points():
    rule = PriorityIfRated(level=np.int64(3), points=np.float64(-0.5))
    assert rule.evaluate(_applicant("ana", rated=True)).priority == -0.5


class _Rule:
    """A rule of one's own that returns whatever it is given."""

    name = "mine"

    def __init__(self, outcome):
        self.outcome = outcome

    def evaluate(self, applicant):
        return self.outcome


@pytest.mark.parametrize(
    "outcome",
    [RuleOutcome(passed=True, reason="x", priority=math.nan), "yes", None],
    ids=["nan", "str", "None"],
)
def test_a_rule_of_ones_own_returning_no_finite_priority_is_named(outcome):
    with pytest.raises(mk.ValidationError, match="'mine' must return a RuleOutcome") as info:
        check_eligibility([_applicant("ana")], [NoFlag("misconduct"), _Rule(outcome)])
    assert info.value.field == "rules[1]"


def test_priority_points_adding_up_beyond_a_float_are_refused():
    rules = [PriorityIfRated(level=0, points=1e308), PriorityIfRated(level=0, points=1e308)]
    with pytest.raises(mk.ValidationError, match="add up beyond a float"):
        check_eligibility([_applicant("ana", rated=True)], rules)


@given(
    st.lists(
        st.tuples(st.booleans(), st.floats(-1e6, 1e6, allow_nan=False)), min_size=1, max_size=8
    ),
    st.integers(0, 9),
)
def test_the_seats_go_to_the_highest_priorities(rated_points, seats):
    """Whatever the finite points, no selected applicant ranks below a waitlisted one."""
    people = [f"p{k}" for k in range(len(rated_points))]
    applicants = [
        Applicant(person_id=pid, ratings={"data": 3} if rated else {})
        for pid, (rated, _) in zip(people, rated_points, strict=True)
    ]
    rules = [PriorityIfRated(level=3, points=rated_points[0][1])]
    report = check_eligibility(applicants, rules)
    chosen = select_applicants(_store(people), "c", report, seats=seats)
    priority = {d.person_id: d.priority for d in report.decisions}
    if chosen.selected and chosen.waitlist:
        assert min(priority[p] for p in chosen.selected) >= max(
            priority[p] for p in chosen.waitlist
        )


# -- mentorkit match says who waits for selection (review of #17) -----------------------------


@pytest.mark.parametrize(
    ("selected", "options", "hint"),
    [
        (0, [], "3 applicants (status applied) not matched, waiting for selection"),
        (2, [], "1 applicant (status applied) not matched, waiting for selection"),
        (3, [], None),
        (0, ["--status", "applied", "--status", "selected", "--status", "active"], None),
        (0, ["--all-statuses"], None),
    ],
)
def test_mentorkit_match_says_how_many_applicants_wait_for_selection(
    tmp_path, capsys, selected, options, hint
):
    url = f"sqlite:///{tmp_path / 'program.db'}"
    people = ["ana", "ben", "cy"]
    with open_store(url) as store:
        store.put(mk.Program(id="p", name="Program"))
        store.put(COHORT)
        for pid in [*people, "kim"]:
            store.put(mk.Person(id=pid, name=pid.title()))
        store.put(mk.Enrollment(id="e-kim", person_id="kim", cohort_id="c", role="mentor",
                                status="active", capacity=3))  # fmt: skip
        for k, pid in enumerate(people):
            status = "selected" if k < selected else "applied"
            store.put(mk.Enrollment(id=f"e-{pid}", person_id=pid, cohort_id="c", role="mentee",
                                    status=status))  # fmt: skip
    assert main(["match", "--store", url, "--cohort", "c", "--brief", *options]) == 0
    out = capsys.readouterr().out
    if hint is None:
        assert "waiting for selection" not in out
        assert f"{3 if options else selected} pairs" in out
    else:
        assert hint in out
        assert "select_applicants" in out
