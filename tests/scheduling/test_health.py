"""Relationship health: the default rules, pluggable rules, the report, duplicate sessions."""

import datetime as dt
import itertools

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mentorkit as mk
from mentorkit import Mentorship, Session, ValidationError
from mentorkit.scheduling import (
    HealthFinding,
    HealthStatus,
    Hooks,
    NoRecentSession,
    PeriodResult,
    ShortPeriods,
    assess_health,
    check_health,
    duplicate_sessions,
    transition,
)
from mentorkit.testing import strategies

START = dt.date(2024, 9, 1)
M = Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2", start=START)


def session(
    sid,
    day,
    *,
    hour=16,
    minutes=60,
    mentorship_id="m-1",
    status="held",
    tz=dt.UTC,
    activity="shadowing",
):
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=tz)
    return Session(
        id=sid,
        mentorship_id=mentorship_id,
        start=start,
        minutes=minutes,
        status=status,
        activity=activity,
    )


@given(
    offsets=st.lists(st.integers(0, 200), max_size=6),
    as_of=st.integers(0, 240),
    days=st.integers(1, 90),
)
def test_no_recent_session_flags_exactly_a_gap_longer_than_the_limit(offsets, as_of, days):
    sessions = [session(f"s{i}", START + dt.timedelta(d)) for i, d in enumerate(offsets)]
    day = START + dt.timedelta(as_of)
    health = assess_health(M, sessions, as_of=day, rules=[NoRecentSession(days=days)])
    last = max([START, *(s.start.date() for s in sessions if s.start.date() <= day)])
    expected = (day - last).days > days
    assert (health.status is HealthStatus.NEEDS_CHECK_IN) is expected
    assert len(health.findings) == int(expected)


def test_paused_and_finished_relationships_are_not_chased_and_resuming_restarts_the_clock():
    day = dt.date(2025, 1, 15)
    at = dt.datetime(2024, 9, 20, tzinfo=dt.UTC)
    paused = transition(M, "paused", at=at)
    assert assess_health(paused, [], as_of=day).status is HealthStatus.OK
    resumed = transition(paused, "active", at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC))
    assert assess_health(resumed, [], as_of=day).status is HealthStatus.OK
    assert assess_health(M, [], as_of=day).status is HealthStatus.NEEDS_CHECK_IN
    ended = attrs.evolve(M, end=dt.date(2024, 12, 1))
    assert assess_health(ended, [], as_of=day).status is HealthStatus.OK


def test_after_a_pause_the_reason_counts_from_the_last_session_too():
    # Last session 20 Jun, paused, active again 1 Aug: on 5 Oct the real gap is 107 days.
    m = attrs.evolve(M, start=dt.date(2025, 1, 6))
    paused = transition(m, "paused", at=dt.datetime(2025, 7, 1, tzinfo=dt.UTC))
    resumed = transition(paused, "active", at=dt.datetime(2025, 8, 1, tzinfo=dt.UTC))
    held = [session("s1", dt.date(2025, 6, 20))]
    (finding,) = assess_health(resumed, held, as_of=dt.date(2025, 10, 5)).findings
    assert finding.reason == (
        "no session in 107 days (last 2025-06-20; active again since 2025-08-01, 65 days; "
        "limit 30)"
    )


def test_cancelled_planned_later_and_other_pairs_sessions_are_not_contact():
    day = dt.date(2024, 11, 15)
    ignored = [
        session("c", dt.date(2024, 11, 10), status="cancelled"),
        session("p", dt.date(2024, 11, 10), status="planned"),
        session("o", dt.date(2024, 11, 10), mentorship_id="m-2"),
        session("f", dt.date(2024, 11, 20)),
    ]
    assert assess_health(M, ignored, as_of=day).status is HealthStatus.NEEDS_CHECK_IN
    held = [*ignored, session("h", dt.date(2024, 11, 1))]
    assert assess_health(M, held, as_of=day).status is HealthStatus.OK


def period(label, end, met):
    return PeriodResult(label=label, end=end, met=met)


@given(verdicts=st.lists(st.booleans(), max_size=8), need=st.integers(1, 4))
def test_short_periods_flags_exactly_when_the_last_n_closed_periods_were_all_short(verdicts, need):
    periods = [
        period(f"p{i}", START + dt.timedelta(30 * (i + 1)), met) for i, met in enumerate(verdicts)
    ]
    day = START + dt.timedelta(30 * len(verdicts))
    open_one = period("open", day + dt.timedelta(10), False)  # not closed yet: ignored
    health = assess_health(
        M,
        [session("s", day)],
        as_of=day,
        periods=[*periods, open_one],
        rules=[ShortPeriods(periods=need)],
    )
    expected = len(verdicts) >= need and not any(verdicts[-need:])
    assert (health.status is HealthStatus.AT_RISK) is expected


def test_the_worst_finding_wins_and_every_finding_is_kept():
    periods = [
        period("2024-09", dt.date(2024, 9, 30), False),
        period("2024-10", dt.date(2024, 10, 31), False),
    ]
    health = assess_health(M, [], as_of=dt.date(2024, 11, 5), periods=periods)
    assert health.status is HealthStatus.AT_RISK
    assert [f.rule for f in health.findings] == ["no_recent_session", "short_periods"]
    assert "2024-09, 2024-10" in health.findings[1].reason


@attrs.frozen
class NoSessionOnFriday:
    name: str = "no_friday"

    def check(self, context):
        if any(s.start.weekday() == 4 for s in context.sessions):
            return HealthFinding(
                rule=self.name, status=HealthStatus.NEEDS_CHECK_IN, reason="met on a Friday"
            )
        return None


def test_a_rule_of_your_own_plugs_in():
    friday = session("s", dt.date(2024, 9, 6))
    health = assess_health(M, [friday], as_of=dt.date(2024, 9, 7), rules=[NoSessionOnFriday()])
    assert health.findings == (
        HealthFinding(
            rule="no_friday", status=HealthStatus.NEEDS_CHECK_IN, reason="met on a Friday"
        ),
    )


class ReturnsText:
    name = "bad"

    def check(self, context):
        return "at risk"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: assess_health("m-1", [], as_of=START), "mentorship"),
        (lambda: assess_health(M, [], as_of=dt.datetime(2024, 9, 1)), "as_of"),
        (lambda: assess_health(M, "sessions", as_of=START), "sessions"),
        (lambda: assess_health(M, [M], as_of=START), "sessions[0]"),
        (lambda: assess_health(M, [], as_of=START, periods=[1]), "periods[0]"),
        (lambda: assess_health(M, [], as_of=START, rules=[print]), "rules[0]"),
        (lambda: assess_health(M, [], as_of=START, rules=NoRecentSession()), "rules"),
        (lambda: assess_health(M, [], as_of=START, rules=[ReturnsText()]), "rules[0]"),
        (lambda: NoRecentSession(days=0), "days"),
        (lambda: NoRecentSession(days=True), "days"),
        (lambda: ShortPeriods(periods=-1), "periods"),
    ],
)
def test_bad_health_arguments_name_the_field(call, field):
    with pytest.raises(ValidationError) as info:
        call()
    assert info.value.field == field


def district_store():
    store = mk.open_store("memory://")
    store.put(attrs.evolve(M, cohort_id="c-1"))
    store.put(Mentorship(id="m-2", mentor_id="p-3", mentee_id="p-4", start=START, cohort_id="c-1"))
    store.put(Mentorship(id="m-3", mentor_id="p-5", mentee_id="p-6", start=START, cohort_id="c-2"))
    store.put(
        transition(
            Mentorship(id="m-4", mentor_id="p-7", mentee_id="p-8", start=START, cohort_id="c-1"),
            "completed",
            at=dt.datetime(2024, 9, 5, tzinfo=dt.UTC),
        )
    )
    store.put(session("s-1", dt.date(2024, 10, 20), mentorship_id="m-2"))
    return store


def test_check_health_reports_current_relationships_and_fires_only_changes():
    hooks, seen = Hooks(), []
    hooks.register("health_changed", seen.append)
    with district_store() as store:
        first = check_health(store, cohort_id="c-1", as_of=dt.date(2024, 11, 1), hooks=hooks)
        assert first.statuses() == {"m-1": "needs_check_in", "m-2": "ok"}
        assert [(e.mentorship_id, e.before, e.after) for e in seen] == [
            ("m-1", HealthStatus.OK, HealthStatus.NEEDS_CHECK_IN)
        ]
        seen.clear()
        again = check_health(
            store,
            cohort_id="c-1",
            as_of=dt.date(2024, 11, 2),
            hooks=hooks,
            previous=first.statuses(),
        )
        assert seen == []
        later = check_health(
            store, cohort_id="c-1", as_of=dt.date(2024, 12, 1), hooks=hooks, previous=again
        )
        assert [(e.mentorship_id, e.after) for e in seen] == [("m-2", HealthStatus.NEEDS_CHECK_IN)]
        assert [p.mentorship_id for p in later.flagged()] == ["m-1", "m-2"]
        everyone = check_health(store, as_of=dt.date(2024, 11, 1))
        assert set(everyone.statuses()) == {"m-1", "m-2", "m-3"}
        assert everyone["m-3"].status is HealthStatus.NEEDS_CHECK_IN
        with pytest.raises(mk.NotFoundError, match="m-4"):
            everyone["m-4"]


def test_check_health_takes_period_results_for_the_short_periods_rule():
    periods = {
        "m-2": [
            period("2024-09", dt.date(2024, 9, 30), False),
            period("2024-10", dt.date(2024, 10, 31), False),
        ]
    }
    with district_store() as store:
        report = check_health(store, cohort_id="c-1", as_of=dt.date(2024, 11, 1), periods=periods)
    assert report["m-2"].status is HealthStatus.AT_RISK


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"as_of": "2024-11-01"}, "as_of"),
        ({"cohort_id": ""}, "cohort_id"),
        ({"rules": 3}, "rules"),
        ({"periods": [1]}, "periods"),
        ({"previous": ["m-1"]}, "previous"),
        ({"previous": {"m-1": "dying"}}, "previous['m-1']"),
        ({"hooks": print}, "hooks"),
    ],
)
def test_bad_check_health_arguments_name_the_field(kwargs, field):
    kwargs = {"as_of": dt.date(2024, 11, 1), **kwargs}
    with district_store() as store, pytest.raises(ValidationError) as info:
        check_health(store, **kwargs)
    assert info.value.field == field


# -- duplicate sessions ------------------------------------------------------------------------

ZONES = st.sampled_from(
    [dt.UTC, dt.timezone(dt.timedelta(hours=-6)), dt.timezone(dt.timedelta(hours=9))]
)
SESSIONS = st.builds(
    Session,
    id=strategies.ids(),
    mentorship_id=st.sampled_from(["m-1", "m-2", "m-3"]),
    start=st.builds(
        lambda minute, tz: (
            dt.datetime(2024, 10, 1, tzinfo=dt.UTC).astimezone(tz) + dt.timedelta(minutes=minute)
        ),
        st.integers(0, 3 * 24 * 60 // 15).map(lambda q: q * 15),
        ZONES,
    ),
    minutes=st.sampled_from([0, 30, 60, 90, 180]),
    status=st.sampled_from(mk.SessionStatus),
)


def brute_force(sessions, pair_of):
    found = set()
    for (i, a), (j, b) in itertools.combinations(enumerate(sessions), 2):
        if (a.start, a.id, i) > (b.start, b.id, j):
            a, b = b, a
        if "cancelled" in (a.status, b.status):
            continue
        if pair_of(a) != pair_of(b):
            continue
        overlap = a.start == b.start or (a.start < b.end and b.start < a.end)
        same_day = b.start.astimezone(a.start.tzinfo).date() == a.start.date()
        if overlap and same_day:
            found.add((id(a), id(b)))
    return found


@given(sessions=st.lists(SESSIONS, max_size=12), joined=st.booleans())
def test_duplicates_are_exactly_the_overlapping_same_day_pairs(sessions, joined):
    # With ``joined``, m-1 and m-2 are the same two people (two cohorts).
    mentorships = [
        Mentorship(id="m-1", mentor_id="a", mentee_id="b", start=START),
        Mentorship(id="m-2", mentor_id="b" if joined else "c", mentee_id="a", start=START),
    ]
    people = {m.id: frozenset((m.mentor_id, m.mentee_id)) for m in mentorships}
    found = duplicate_sessions(sessions, mentorships=mentorships)
    assert {(id(d.first), id(d.second)) for d in found} == brute_force(
        sessions, lambda s: people.get(s.mentorship_id, s.mentorship_id)
    )
    unjoined = duplicate_sessions(sessions)
    assert {(id(d.first), id(d.second)) for d in unjoined} == brute_force(
        sessions, lambda s: s.mentorship_id
    )


def test_back_to_back_sessions_are_not_duplicates_but_the_same_start_is():
    day = dt.date(2024, 10, 3)
    back_to_back = [session("a", day, hour=16), session("b", day, hour=17)]
    assert duplicate_sessions(back_to_back) == ()
    same = [session("a", day, minutes=0), session("b", day, minutes=0)]
    assert [(d.first.id, d.second.id) for d in duplicate_sessions(same)] == [("a", "b")]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sessions": None}, "sessions"),
        ({"sessions": [M]}, "sessions[0]"),
        ({"sessions": [], "mentorships": [session("a", START)]}, "mentorships[0]"),
        ({"sessions": [], "mentorships": "m-1"}, "mentorships"),
    ],
)
def test_bad_duplicate_session_arguments_name_the_field(kwargs, field):
    with pytest.raises(ValidationError) as info:
        duplicate_sessions(**kwargs)
    assert info.value.field == field


def test_by_default_the_short_periods_come_from_adherence():
    from mentorkit.scheduling import NEXTGEN_COMMITMENTS

    store = mk.open_store("memory://")
    store.put(mk.Program(id="ng", name="NextGen", commitments=NEXTGEN_COMMITMENTS))
    store.put(
        mk.Cohort(
            id="ng-25",
            program_id="ng",
            name="2025",
            start=dt.date(2025, 6, 1),
            end=dt.date(2025, 12, 31),
        )
    )
    for mid, mentee in (("m-kept", "p-2"), ("m-behind", "p-4")):
        store.put(
            Mentorship(
                id=mid,
                mentor_id=f"{mentee}-mentor",
                mentee_id=mentee,
                start=dt.date(2025, 6, 1),
                cohort_id="ng-25",
            )
        )
    for month in (6, 7, 8):
        day = dt.date(2025, month, 10)
        store.put(session(f"s-{month}", day, minutes=180, mentorship_id="m-kept"))
        store.put(
            mk.Reflection(
                id=f"r-{month}", person_id="p-2", written=day, text="...", mentorship_id="m-kept"
            )
        )
    store.put(session("s-b", dt.date(2025, 8, 10), minutes=30, mentorship_id="m-behind"))
    report = check_health(store, cohort_id="ng-25", as_of=dt.date(2025, 8, 20))
    assert report["m-kept"].status is HealthStatus.OK
    behind = report["m-behind"]
    assert behind.status is HealthStatus.AT_RISK
    assert [f.rule for f in behind.findings] == ["short_periods"]
    assert "2025-06, 2025-07" in behind.findings[0].reason
    assert check_health(store, as_of=dt.date(2025, 8, 20)).statuses() == report.statuses()


def test_a_period_that_ended_while_paused_is_not_held_against_the_pair():
    paused = transition(M, "paused", at=dt.datetime(2024, 10, 15, tzinfo=dt.UTC))
    back = transition(paused, "active", at=dt.datetime(2024, 11, 5, tzinfo=dt.UTC))
    periods = [
        period("2024-09", dt.date(2024, 9, 30), False),
        period("2024-10", dt.date(2024, 10, 31), False),
        period("2024-11", dt.date(2024, 11, 30), True),
    ]
    day = dt.date(2024, 12, 2)
    sessions = [session("s", dt.date(2024, 11, 28))]
    rules = [ShortPeriods()]
    assert assess_health(back, sessions, as_of=day, periods=periods[:2], rules=rules).status is (
        HealthStatus.OK
    )
    assert assess_health(M, sessions, as_of=day, periods=periods[:2], rules=rules).status is (
        HealthStatus.AT_RISK
    )
    assert assess_health(M, sessions, as_of=day, periods=periods, rules=rules).status is (
        HealthStatus.OK
    )


@pytest.mark.parametrize("participants", [(), ("pr", "ap")])
def test_a_team_member_who_attends_the_joint_sessions_is_not_flagged(participants):
    # OEIB: the joint sessions are filed under the principal's coaching mentorship; the
    # assistant principal attends every one of them (none listed = the whole team) and
    # must not read as "no session in N days".
    from mentorkit.model import Engagement, TeamMember

    members = [
        TeamMember(person_id="pr", role="principal", mentorship_id="ms-pr"),
        TeamMember(person_id="ap", role="assistant_principal", mentorship_id="ms-ap"),
    ]
    joint = [
        Session(id=f"j-{n}", mentorship_id="ms-pr", engagement_id="team", minutes=60,
                participants=participants,
                start=dt.datetime(2024, 9, 5, 16, tzinfo=dt.UTC) + dt.timedelta(days=25 * n))
        for n in range(5)
    ]  # fmt: skip
    with mk.open_store("memory://") as store:
        store.put_many([
            Mentorship(id="ms-pr", mentor_id="co", mentee_id="pr", start=START, cohort_id="c"),
            Mentorship(id="ms-ap", mentor_id="co", mentee_id="ap", start=START, cohort_id="c"),
            Mentorship(id="ms-x", mentor_id="co", mentee_id="x", start=START, cohort_id="c"),
            Engagement(id="team", coach_id="co", cohort_id="c", members=members),
            *joint,
        ])  # fmt: skip
        as_of = dt.date(2025, 1, 5)  # 22 days after the last joint session
        for cohort_id in ("c", None):
            report = check_health(store, as_of=as_of, cohort_id=cohort_id, periods={})
            assert report.statuses() == {
                "ms-ap": "ok", "ms-pr": "ok", "ms-x": "needs_check_in"
            }  # fmt: skip
            assert [s.id for s in report["ms-ap"].findings] == []


def test_a_team_short_two_months_running_puts_its_members_at_risk():
    # The short-periods rule must see a team's periods too (OEIB: the joint meeting and each
    # member's own), not only pairs': the team below has met the coach on the 5th of each
    # month jointly, but the assistant principal's own meeting never happened.
    from mentorkit.model import Cohort, Commitment, Engagement, Program, TeamMember

    joint = Commitment(name="joint", per="month", times=1)
    own = Commitment(name="own", per="month", times=1, together=False)
    members = [
        TeamMember(person_id="pr", role="principal", mentorship_id="ms-pr"),
        TeamMember(person_id="ap", role="assistant_principal", mentorship_id="ms-ap"),
    ]
    held = [
        Session(id=f"j-{m}", mentorship_id="ms-pr", engagement_id="team", minutes=60,
                start=dt.datetime(2024, m, 5, 16, tzinfo=dt.UTC))
        for m in (9, 10, 11)
    ] + [
        Session(id=f"pr-{m}", mentorship_id="ms-pr", minutes=60,
                start=dt.datetime(2024, m, 12, 16, tzinfo=dt.UTC))
        for m in (9, 10, 11)
    ]  # fmt: skip
    with mk.open_store("memory://") as store:
        store.put_many([
            Program(id="oeib", name="OEIB", commitments=[joint, own]),
            Cohort(id="c", program_id="oeib", name="24-25", start=START,
                   end=dt.date(2025, 6, 30)),
            Mentorship(id="ms-pr", mentor_id="co", mentee_id="pr", start=START, cohort_id="c"),
            Mentorship(id="ms-ap", mentor_id="co", mentee_id="ap", start=START, cohort_id="c"),
            Engagement(id="team", coach_id="co", cohort_id="c", members=members),
            *held,
        ])  # fmt: skip
        for cohort_id in ("c", None):
            report = check_health(store, as_of=dt.date(2024, 11, 20), cohort_id=cohort_id)
            assert report.statuses() == {"ms-ap": "at_risk", "ms-pr": "ok"}
            assert "2024-09, 2024-10" in report["ms-ap"].findings[0].reason


def test_periods_of_a_pairing_not_yet_active_are_not_held_against_it():
    # A proposed pairing has not started: like a paused one, its short periods (adherence
    # counts them from the planned start) must not make it at_risk; once active, they do.
    periods = [
        period("2024-09", dt.date(2024, 9, 30), False),
        period("2024-10", dt.date(2024, 10, 31), False),
        period("2024-11", dt.date(2024, 11, 30), False),
    ]
    day = dt.date(2024, 12, 5)
    proposed = attrs.evolve(M, status="proposed")
    rules = [ShortPeriods()]
    assert assess_health(proposed, [], as_of=day, periods=periods, rules=rules).status is (
        HealthStatus.OK
    )
    started = transition(proposed, "active", at=dt.datetime(2024, 10, 15, tzinfo=dt.UTC))
    assert assess_health(started, [], as_of=day, periods=periods, rules=rules).status is (
        HealthStatus.AT_RISK
    )
    late = transition(proposed, "active", at=dt.datetime(2024, 11, 15, tzinfo=dt.UTC))
    assert assess_health(late, [], as_of=day, periods=periods, rules=rules).status is (
        HealthStatus.OK
    )
