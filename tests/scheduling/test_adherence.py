"""Adherence: planned against held, per pair, team and member, commitment and period."""

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit import NotFoundError, ValidationError, synthetic
from mentorkit.model import (
    ActionItem,
    Activity,
    Cohort,
    Commitment,
    Engagement,
    Mentorship,
    Program,
    Reflection,
    Session,
    SessionStatus,
    TeamMember,
)
from mentorkit.scheduling import OEIB_COMMITMENTS, AdherenceStatus, adherence
from mentorkit.storage import MemoryStore, SQLiteStore
from mentorkit.testing import strategies

UTC = dt.UTC
START, END = dt.date(2025, 6, 1), dt.date(2025, 12, 31)


def _world(commitments, *, mentorships=(), engagements=(), sessions=(), others=()):
    store = MemoryStore()
    store.put(Program(id="prog", name="Program", commitments=tuple(commitments)))
    store.put(Cohort(id="coh", program_id="prog", name="2025", start=START, end=END))
    store.put_many([*mentorships, *engagements, *sessions, *others])
    return store


def _team(members=("pr", "ap"), roles=("principal", "assistant_principal")):
    return Engagement(
        id="team", coach_id="coach", cohort_id="coh", start=START,
        members=tuple(TeamMember(person_id=p, role=r, mentorship_id=f"ms-{p}")
                      for p, r in zip(members, roles, strict=True)),
    )  # fmt: skip


def _member_mentorships(members=("pr", "ap")):
    return [Mentorship(id=f"ms-{p}", mentor_id="coach", mentee_id=p, start=START,
                       cohort_id="coh", kind="coaching") for p in members]  # fmt: skip


def _at(day, hour=16):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


# --- a joint team session counts once for the team ---------------------------------------


@given(
    joint=st.integers(0, 3),
    alone_pr=st.integers(0, 3),
    alone_ap=st.integers(0, 3),
    filed_under_mentorship=st.booleans(),
)
def test_a_joint_session_counts_once_for_the_team_and_never_for_a_member_alone(
    joint, alone_pr, alone_ap, filed_under_mentorship
):
    sessions = []
    for n in range(joint):
        sessions.append(Session(id=f"j{n}", mentorship_id="ms-pr", engagement_id="team",
                                start=_at(dt.date(2025, 7, 1 + n)), minutes=60,
                                participants=("coach", "pr", "ap")))  # fmt: skip
    for person, count in (("pr", alone_pr), ("ap", alone_ap)):
        for n in range(count):
            # An individual meeting, filed either on the team or under the member's mentorship.
            link = {} if filed_under_mentorship else {"engagement_id": "team"}
            sessions.append(Session(id=f"{person}{n}", mentorship_id=f"ms-{person}",
                                    start=_at(dt.date(2025, 7, 10 + n)), minutes=60,
                                    participants=("coach", person), **link))  # fmt: skip
    store = _world(OEIB_COMMITMENTS[:2], mentorships=_member_mentorships(),
                   engagements=[_team()], sessions=sessions)  # fmt: skip
    rows = [r for r in adherence(store, cohort_id="coh", as_of=END).rows if r.period == "2025-07"]
    joint_rows = [r for r in rows if r.commitment == "joint meeting"]
    assert len(joint_rows) == 1
    assert joint_rows[0].unit == "team"
    assert joint_rows[0].delivered.times == joint
    assert joint_rows[0].delivered.minutes == 60 * joint
    alone = {r.person_id: r for r in rows if r.commitment == "individual meeting"}
    assert set(alone) == {"pr", "ap"}
    assert alone["pr"].delivered.times == alone_pr
    assert alone["ap"].delivered.times == alone_ap
    assert alone["pr"].met == (alone_pr >= 1)
    # The members' coaching mentorships are part of the team, never pairs of their own.
    assert not [r for r in rows if r.unit == "pair"]


def test_a_joint_meeting_with_one_member_missing_is_not_joint():
    partial = Session(id="s", mentorship_id="ms-pr", engagement_id="team", minutes=60,
                      start=_at(dt.date(2025, 7, 3)), participants=("coach", "pr"))  # fmt: skip
    store = _world(OEIB_COMMITMENTS[:2], mentorships=_member_mentorships(),
                   engagements=[_team()], sessions=[partial])  # fmt: skip
    july = {(r.commitment, r.person_id): r for r in
            adherence(store, cohort_id="coh", as_of=END).rows if r.period == "2025-07"}  # fmt: skip
    assert july["joint meeting", None].status is AdherenceStatus.SHORT
    assert july["individual meeting", "pr"].met


# --- never counted twice, and consistent totals -------------------------------------------


@st.composite
def worlds(draw):
    """A cohort with pairs and a team, and sessions linked every way the model allows."""
    commitments = draw(st.lists(strategies.commitments(), min_size=1, max_size=3,
                                unique_by=lambda k: k.name))  # fmt: skip
    members = ("pr", "ap")
    mentorships = _member_mentorships(members) + [
        Mentorship(id=f"pair{n}", mentor_id=f"mentor{n}", mentee_id=f"mentee{n}",
                   start=START + dt.timedelta(days=draw(st.integers(0, 60))), cohort_id="coh")
        for n in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    homes = [m.id for m in mentorships]
    sessions = []
    for n in range(draw(st.integers(0, 25))):
        home = draw(st.sampled_from(homes))
        team = home.startswith("ms-") and draw(st.booleans())
        people = draw(st.lists(st.sampled_from(("coach", "pr", "ap", "x")), max_size=4,
                               unique=True))  # fmt: skip
        sessions.append(Session(
            id=f"s{n}", mentorship_id=home, engagement_id="team" if team else None,
            start=_at(START + dt.timedelta(days=draw(st.integers(-20, 240)))),
            minutes=draw(st.integers(0, 200)), activity=draw(st.sampled_from(Activity)),
            activities=tuple(draw(st.lists(st.sampled_from(Activity), max_size=2))),
            status=draw(st.sampled_from(SessionStatus)), participants=tuple(people),
            on_call=draw(st.booleans())))  # fmt: skip
    as_of = START + dt.timedelta(days=draw(st.integers(0, 260)))
    return commitments, mentorships, sessions, as_of


@settings(max_examples=60)
@given(worlds())
def test_adherence_never_counts_a_session_twice(world):
    commitments, mentorships, sessions, as_of = world
    store = _world(commitments, mentorships=mentorships, engagements=[_team()],
                   sessions=sessions)  # fmt: skip
    report = adherence(store, cohort_id="coh", as_of=as_of)
    by_id = {s.id: s for s in sessions}
    for name in {k.name for k in commitments}:
        counted = Counter(i for r in report.rows if r.commitment == name for i in r.session_ids)
        assert all(n == 1 for n in counted.values()), f"{name}: {counted}"
    for row in report.rows:
        held = [by_id[i] for i in row.session_ids]
        assert row.delivered.times == len(held)
        assert row.delivered.minutes == sum(s.minutes for s in held if not s.on_call)
        for s in held:
            assert s.status is SessionStatus.HELD
            assert row.start <= s.start.date() <= min(row.end, as_of)


@settings(max_examples=60)
@given(worlds())
def test_a_period_that_has_not_ended_is_never_short(world):
    commitments, mentorships, sessions, as_of = world
    store = _world(commitments, mentorships=mentorships, engagements=[_team()],
                   sessions=sessions)  # fmt: skip
    for row in adherence(store, cohort_id="coh", as_of=as_of).rows:
        assert row.start <= as_of
        if row.end >= as_of:
            assert row.status is not AdherenceStatus.SHORT
        else:
            assert row.status is not AdherenceStatus.IN_PROGRESS


def _district(seed, staff):
    """A synthetic district of three yearly cohorts, and a memory store holding it."""
    d = synthetic.district(seed=seed, staff=staff, years=3)
    store = MemoryStore()
    store.put_many(list(d.entities()))
    return d, store


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**16), st.dates(dt.date(2021, 9, 1), dt.date(2024, 8, 1)))
def test_one_cohort_through_find_agrees_with_every_cohort_at_once(seed, as_of):
    d, store = _district(seed, 120)
    everything = adherence(store, cohort_id=None, as_of=as_of)
    for cohort in d.cohorts:
        one = adherence(store, cohort_id=cohort.id, as_of=as_of)
        assert list(one.rows) == [r for r in everything.rows if r.cohort_id == cohort.id]
        assert list(one.overdue) == [o for o in everything.overdue if o.cohort_id == cohort.id]


def test_sqlite_and_memory_give_the_same_report(tmp_path):
    d = synthetic.district(seed=5, staff=150, years=2)
    memory, sqlite = MemoryStore(), SQLiteStore(tmp_path / "d.db")
    for store in (memory, sqlite):
        store.put_many(list(d.entities()))
    day = dt.date(2023, 2, 15)
    for cohort in d.cohorts:
        assert adherence(memory, cohort_id=cohort.id, as_of=day) == adherence(
            sqlite, cohort_id=cohort.id, as_of=day
        )
    sqlite.close()


# --- doses, activities, artefacts, action items -------------------------------------------


def test_on_call_sessions_count_as_contact_but_not_as_dose():
    k = Commitment(name="k", per="month", times=2, minutes=120)
    pair = Mentorship(id="m", mentor_id="a", mentee_id="b", start=START, cohort_id="coh")
    sessions = [
        Session(id="s1", mentorship_id="m", start=_at(dt.date(2025, 6, 3)), minutes=120),
        Session(id="s2", mentorship_id="m", start=_at(dt.date(2025, 6, 9)), minutes=30,
                on_call=True),
    ]  # fmt: skip
    row = adherence(_world([k], mentorships=[pair], sessions=sessions), cohort_id="coh",
                    as_of=END).rows[0]  # fmt: skip
    assert (row.delivered.times, row.delivered.minutes) == (2, 120)
    assert row.met


def test_activities_filter_and_a_missing_reflection_make_a_period_short():
    k = Commitment(name="k", per="month", minutes=60, activities=["role_play"],
                   artefact="reflection")  # fmt: skip
    pair = Mentorship(id="m", mentor_id="a", mentee_id="b", start=START, cohort_id="coh")
    sessions = [
        Session(id="s1", mentorship_id="m", start=_at(dt.date(2025, 6, 3)), minutes=90,
                activity="shadowing"),
        Session(id="s2", mentorship_id="m", start=_at(dt.date(2025, 7, 3)), minutes=90,
                activity="shadowing", activities=["role_play"]),
        Session(id="s3", mentorship_id="m", start=_at(dt.date(2025, 8, 3)), minutes=90,
                activity="role_play"),
    ]  # fmt: skip
    notes = [Reflection(id="r1", person_id="b", written=dt.date(2025, 6, 20), text="."),
             Reflection(id="r2", person_id="b", written=dt.date(2025, 7, 20), text=".",
                        mentorship_id="m")]  # fmt: skip
    store = _world([k], mentorships=[pair], sessions=sessions, others=notes)
    rows = {r.period: r for r in adherence(store, cohort_id="coh", as_of=dt.date(2025, 9, 1)).rows}
    assert rows["2025-06"].delivered.minutes == 0
    assert not rows["2025-06"].missing_artefacts
    assert rows["2025-07"].met
    assert rows["2025-08"].missing_artefacts == ("b",)
    assert rows["2025-08"].status is AdherenceStatus.SHORT
    assert rows["2025-09"].status is AdherenceStatus.IN_PROGRESS


def test_overdue_action_items_of_the_cohorts_sessions_are_reported():
    k = Commitment(name="k", per="month", times=1)
    pair = Mentorship(id="m", mentor_id="a", mentee_id="b", start=START, cohort_id="coh")
    s = Session(id="s1", mentorship_id="m", start=_at(dt.date(2025, 6, 3)), minutes=60)
    items = [
        ActionItem(id="late", owner_id="b", text=".", due=dt.date(2025, 6, 20), session_id="s1"),
        ActionItem(id="done", owner_id="b", text=".", due=dt.date(2025, 6, 20), done=True,
                   session_id="s1"),
        ActionItem(id="later", owner_id="a", text=".", due=dt.date(2025, 9, 20), session_id="s1"),
    ]  # fmt: skip
    report = adherence(_world([k], mentorships=[pair], sessions=[s], others=items),
                       cohort_id="coh", as_of=dt.date(2025, 7, 1))  # fmt: skip
    assert [(o.action_item_id, o.days_overdue) for o in report.overdue] == [("late", 11)]
    assert report.behind() == []
    assert [b.who for b in report.behind(overdue=True)] == ["m"]


def test_the_rollup_and_the_pandas_frame_agree_with_the_rows():
    d = synthetic.district(seed=3, staff=200, years=2)
    store = MemoryStore()
    store.put_many(list(d.entities()))
    report = adherence(store, cohort_id="coh-fellows-2022", as_of=dt.date(2023, 3, 15))
    (rollup,) = report.rollup()
    statuses = Counter(r.status for r in report.rows)
    assert (rollup.met, rollup.short, rollup.in_progress) == (
        statuses[AdherenceStatus.MET], statuses[AdherenceStatus.SHORT],
        statuses[AdherenceStatus.IN_PROGRESS])  # fmt: skip
    assert rollup.behind == len(report.behind())
    assert rollup.pairs == len([m for m in d.mentorships if m.cohort_id == "coh-fellows-2022"])
    frame = report.to_pandas()
    assert len(frame) == len(report.rows)
    assert frame["met"].sum() == rollup.met
    # An in-progress period is neither met nor short: NA, left out of a share of met.
    assert frame["met"].isna().sum() == rollup.in_progress > 0
    assert (frame["met"] == False).sum() == rollup.short  # noqa: E712
    assert "Adherence as of 2023-03-15" in str(report)


# --- bad input ------------------------------------------------------------------------------


def test_bad_arguments_are_validation_errors_naming_the_argument():
    store = _world([Commitment(name="k", per="month", times=1)])
    with pytest.raises(ValidationError) as info:
        adherence(store, cohort_id=5, as_of=END)
    assert info.value.field == "cohort_id"
    with pytest.raises(ValidationError) as info:
        adherence(store, cohort_id="coh", as_of=dt.datetime(2025, 1, 1, tzinfo=UTC))
    assert info.value.field == "as_of"
    with pytest.raises(NotFoundError):
        adherence(store, cohort_id="nope", as_of=END)


def test_a_commitment_with_neither_meetings_nor_minutes_is_refused_naming_times():
    with pytest.raises(ValidationError) as info:
        Commitment(name="k", per="month", activities=["shadowing"])
    assert info.value.field == "times"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"per": "fortnight", "times": 1}, "per"), ({"per": "month", "times": 0}, "times"),
    ({"per": "month", "minutes": -5}, "minutes"), ({"per": "month", "times": True}, "times"),
    ({"per": "month", "times": 1, "activities": ["knitting"]}, "activities[0]"),
    ({"per": "month", "times": 1, "artefact": "essay"}, "artefact"),
    ({"per": "month", "times": 1, "together": "yes"}, "together"),
    ({"per": "month", "times": 1, "periods": 0}, "periods"),
])  # fmt: skip
def test_bad_commitment_fields_are_named(kwargs, field):
    with pytest.raises(ValidationError) as info:
        Commitment(name="k", **kwargs)
    assert info.value.field == field


def test_an_engagement_without_members_is_refused_naming_members():
    with pytest.raises(ValidationError) as info:
        Engagement(id="e", coach_id="c", members=())
    assert info.value.field == "members"
    with pytest.raises(ValidationError) as info:
        Engagement(id="e", coach_id="c", members=[TeamMember(person_id="c")])
    assert info.value.field == "members[0].person_id"


def test_program_commitment_names_must_be_unique():
    k = Commitment(name="k", per="month", times=1)
    with pytest.raises(ValidationError) as info:
        Program(id="p", name="P", commitments=[k, k])
    assert info.value.field == "commitments[1].name"


class _FindOnly(MemoryStore):
    """A store that refuses whole-collection reads."""

    def all(self, cls):
        raise AssertionError(f"adherence for one cohort read every {cls.__name__}")


def test_one_cohort_is_read_through_indexed_finds_only():
    d = synthetic.district(seed=4, staff=150, years=2)
    store = _FindOnly()
    store.put_many(list(d.entities()))
    report = adherence(store, cohort_id="coh-fellows-2022", as_of=dt.date(2023, 5, 1))
    assert report.rows


def test_to_pandas_without_pandas_names_the_extra(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    report = adherence(_world([Commitment(name="k", per="month", times=1)]), cohort_id="coh",
                       as_of=END)  # fmt: skip
    with pytest.raises(ModuleNotFoundError, match=r"mentorkit\[notebook\]"):
        report.to_pandas()


def test_a_reflection_written_after_the_report_day_does_not_count_yet():
    # Sessions after as_of are left out; reflections written after it must be too, or a
    # report for a past day (or today's, with reflections back-dated later) says "met" for
    # what had not been written then.
    monthly = Commitment(name="monthly", per="month", times=1, artefact="reflection")
    pair = Mentorship(id="m", mentor_id="a", mentee_id="b", start=START, cohort_id="coh")
    store = _world(
        [monthly],
        mentorships=[pair],
        sessions=[Session(id="s", mentorship_id="m", start=_at(dt.date(2025, 6, 3)), minutes=60)],
        others=[Reflection(id="r", person_id="b", written=dt.date(2025, 6, 28), text="t",
                           mentorship_id="m")],
    )  # fmt: skip
    early = adherence(store, cohort_id="coh", as_of=dt.date(2025, 6, 10)).rows[0]
    assert (early.status, early.missing_artefacts) == (AdherenceStatus.IN_PROGRESS, ("b",))
    late = adherence(store, cohort_id="coh", as_of=dt.date(2025, 6, 28)).rows[0]
    assert (late.status, late.missing_artefacts) == (AdherenceStatus.MET, ())
    every = adherence(store, cohort_id=None, as_of=dt.date(2025, 6, 10)).rows[0]
    assert every.status is AdherenceStatus.IN_PROGRESS


def test_overdue_items_owned_by_someone_outside_the_pair_are_reported_for_one_cohort_too():
    # An action item agreed in the pair's session may be owned by anyone (a program lead,
    # a principal invited to the session): one cohort's report must list what the report
    # over every cohort lists.
    k = Commitment(name="k", per="month", times=1)
    pair = Mentorship(id="m", mentor_id="a", mentee_id="b", start=START, cohort_id="coh")
    s = Session(id="s1", mentorship_id="m", start=_at(dt.date(2025, 6, 3)), minutes=60)
    items = [
        ActionItem(id="lead", owner_id="lead", text=".", due=dt.date(2025, 6, 20), session_id="s1"),
        ActionItem(id="mentee", owner_id="b", text=".", due=dt.date(2025, 6, 21), session_id="s1"),
    ]  # fmt: skip
    store = _world([k], mentorships=[pair], sessions=[s], others=items)
    one = adherence(store, cohort_id="coh", as_of=dt.date(2025, 7, 1)).overdue
    every = adherence(store, cohort_id=None, as_of=dt.date(2025, 7, 1)).overdue
    assert sorted(o.action_item_id for o in one) == ["lead", "mentee"]
    assert sorted(one, key=lambda o: o.action_item_id) == sorted(
        every, key=lambda o: o.action_item_id
    )


def test_two_team_members_sharing_one_coaching_mentorship_are_refused():
    # Each member's own sessions are found through their coaching mentorship: two members
    # naming the same one would have one member's individual meetings credited to the other.
    with pytest.raises(ValidationError) as info:
        Engagement(id="e", coach_id="c", members=[
            TeamMember(person_id="pr", role="principal", mentorship_id="ms"),
            TeamMember(person_id="ap", role="assistant_principal", mentorship_id="ms"),
        ])  # fmt: skip
    assert info.value.field == "members[1].mentorship_id"
    unrecorded = [TeamMember(person_id="pr"), TeamMember(person_id="ap")]
    assert len(Engagement(id="e", coach_id="c", members=unrecorded).members) == 2


# --- paused spells and part-way periods ----------------------------------------------------


def _pair(start=START, **kw):
    return Mentorship(id="ms", mentor_id="mr", mentee_id="me", start=start, cohort_id="coh", **kw)


def _paused(pause, resume=None):
    from mentorkit.scheduling import transition

    m = transition(_pair(), "paused", at=_at(pause))
    return m if resume is None else transition(m, "active", at=_at(resume))


@settings(max_examples=60, deadline=None)
@given(
    pause=st.dates(dt.date(2025, 6, 2), dt.date(2025, 12, 1)),
    length=st.one_of(st.none(), st.integers(1, 150)),
    as_of=st.dates(dt.date(2025, 6, 1), dt.date(2026, 2, 1)),
)
def test_no_period_is_owed_whose_middle_falls_in_a_pause(pause, length, as_of):
    resume = None if length is None else pause + dt.timedelta(length)
    store = _world([Commitment(name="k", per="month", times=1)],
                   mentorships=[_paused(pause, resume)])  # fmt: skip
    for row in adherence(store, cohort_id="coh", as_of=as_of).rows:
        middle = row.start + (row.end + dt.timedelta(1) - row.start) / 2
        assert not (pause <= middle < (resume or dt.date.max)), row


def test_a_pair_paused_in_september_owes_nothing_until_it_is_active_again():
    # Paused 25 Sep, active again 5 Nov: October is not owed; November is.
    store = _world([Commitment(name="k", per="month", times=1)],
                   mentorships=[_paused(dt.date(2025, 9, 25), dt.date(2025, 11, 5))])  # fmt: skip
    periods = [r.period for r in adherence(store, cohort_id="coh", as_of=END).rows]
    assert "2025-10" not in periods
    assert {"2025-09", "2025-11", "2025-12"} <= set(periods)
    still = _world([Commitment(name="k", per="month", times=1)],
                   mentorships=[_paused(dt.date(2025, 9, 25))])  # fmt: skip
    rows = adherence(still, cohort_id="coh", as_of=dt.date(2025, 11, 20)).rows
    assert [r.period for r in rows][-1] == "2025-09"


@pytest.mark.parametrize("held", [True, False])
def test_a_period_begun_part_way_is_credited_when_met_and_never_owed(held):
    # The pair starts 1 Sep: the quarter's middle (mid-August) is before it.
    k = Commitment(name="walkthrough", per="quarter", times=1)
    sessions = [Session(id="w", mentorship_id="ms", start=_at(dt.date(2025, 9, 18)),
                        minutes=60)] if held else []  # fmt: skip
    store = _world([k], mentorships=[_pair(start=dt.date(2025, 9, 1))], sessions=sessions)
    rows = adherence(store, cohort_id="coh", as_of=END).rows
    q3 = [r for r in rows if r.period == "2025-Q3"]
    if held:
        (row,) = q3
        assert row.status is AdherenceStatus.MET
        assert row.delivered.times == 1
    else:
        assert q3 == []
    assert [r.period for r in rows if r.period != "2025-Q3"] == ["2025-Q4"]


def test_a_pair_that_ended_early_is_marked_ended_among_those_behind():
    store = _world([Commitment(name="k", per="month", times=1)],
                   mentorships=[_pair(end=dt.date(2025, 8, 20))])  # fmt: skip
    report = adherence(store, cohort_id="coh", as_of=END)
    (behind,) = report.behind()
    assert behind.ended == dt.date(2025, 8, 20)
    assert str(behind).startswith("pair ms (ended 2025-08-20): ")
    on_time = adherence(_world([Commitment(name="k", per="month", times=1)],
                               mentorships=[_pair()]), cohort_id="coh", as_of=END)  # fmt: skip
    assert [b.ended for b in on_time.behind()] == [None]


def test_sessions_of_an_activity_no_commitment_asks_for_are_shown_not_counted():
    k = Commitment(name="three hours", per="month", minutes=180, activities=(Activity.SHADOWING,))
    sessions = [Session(id=f"s{n}", mentorship_id="ms", start=_at(dt.date(2025, 6, 2 + n)),
                        minutes=60, activity=a)
                for n, a in enumerate(("shadowing", "shadowing", "other"))]  # fmt: skip
    report = adherence(_world([k], mentorships=[_pair()], sessions=sessions),
                       cohort_id="coh", as_of=END)  # fmt: skip
    june = next(r for r in report.rows if r.period == "2025-06")
    assert june.delivered.minutes == 120
    assert report.uncounted == {"coh": {"other": 1}}
    assert "coh: not counted (no commitment asks for it): 1 session of other" in str(report)
    everything = Commitment(name="any", per="month", times=1)
    both = adherence(_world([k, everything], mentorships=[_pair()], sessions=sessions),
                     cohort_id="coh", as_of=END)  # fmt: skip
    assert both.uncounted == {}


# --- the headline and the list agree on who is falling behind ------------------------------


def _sections(text):
    """The report's headline counts per cohort and the pairs listed under each heading."""
    counts, listed, heading = {}, {}, None
    for line in text.splitlines():
        if line.startswith("  coh") and "falling behind" in line:
            cohort = line.split(":")[0].strip()
            tail = line.rsplit(";", 1)[1]
            behind = int(tail.split("falling behind")[0])
            more = tail.split(", ")[1].split()[0] if ", " in tail else "0"
            counts[cohort] = (behind, int(more))
        elif not line.startswith("  "):
            heading = line
            listed.setdefault(heading, [])
        elif heading is not None and heading.endswith(":"):  # a list's heading
            listed[heading].append(line.split(":")[0].split()[1])
    return counts, listed


@settings(max_examples=40)
@given(worlds(), st.lists(st.tuples(st.integers(0, 24), st.integers(-30, 200), st.booleans()),
                          max_size=6))  # fmt: skip
def test_the_headline_counts_exactly_the_pairs_listed_as_falling_behind(world, items):
    commitments, mentorships, sessions, as_of = world
    extra = [ActionItem(id=f"a{k}", owner_id="pr", text=".", done=done, session_id=f"s{n}",
                        due=START + dt.timedelta(days=days))
             for k, (n, days, done) in enumerate(items) if n < len(sessions)]  # fmt: skip
    store = _world(commitments, mentorships=mentorships, engagements=[_team()],
                   sessions=sessions, others=extra)  # fmt: skip
    report = adherence(store, cohort_id="coh", as_of=as_of)
    counts, listed = _sections(report.format())
    behind = listed.get("Falling behind:", [])
    late = listed.get("Not falling behind, but with action items past due:", [])
    (rollup,) = report.rollup()
    assert counts["coh"] == (rollup.behind, len(late))
    assert len(behind) == rollup.behind == len(report.behind())
    assert sorted(behind) == sorted(b.who for b in report.behind())
    assert not set(behind) & set(late)
    assert sorted(behind + late) == sorted(b.who for b in report.behind(overdue=True))


def test_a_pair_with_only_an_overdue_action_item_is_listed_apart_not_as_behind():
    k = Commitment(name="k", per="month", times=1)
    pair = Mentorship(id="m", mentor_id="a", mentee_id="b", start=START, cohort_id="coh")
    held = [Session(id=f"s{m}", mentorship_id="m", start=_at(dt.date(2025, m, 3)), minutes=60)
            for m in (6, 7)]  # fmt: skip
    late = ActionItem(id="late", owner_id="b", text=".", due=dt.date(2025, 6, 20), session_id="s6")
    report = adherence(_world([k], mentorships=[pair], sessions=held, others=[late]),
                       cohort_id="coh", as_of=dt.date(2025, 7, 10))  # fmt: skip
    text = report.format()
    assert "0 falling behind, 1 more with overdue action items only" in text
    assert "Falling behind:" not in text
    assert "Nobody is falling behind." in text
    assert "Not falling behind, but with action items past due:\n  pair m: 1 overdue" in text


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**16), st.dates(dt.date(2021, 10, 1), dt.date(2024, 6, 1)))
def test_the_headline_and_the_lists_agree_on_a_synthetic_district(seed, as_of):
    # Synthetic pairs often meet every month yet leave a next step overdue.
    _, store = _district(seed, 150)
    report = adherence(store, cohort_id=None, as_of=as_of)
    counts, listed = _sections(report.format())
    behind = listed.get("Falling behind:", [])
    late = listed.get("Not falling behind, but with action items past due:", [])
    assert sum(b for b, _ in counts.values()) == len(behind) == len(report.behind())
    assert sum(more for _, more in counts.values()) == len(late)
    for r in report.rollup():
        assert counts[r.cohort_id][0] == r.behind


# --- kept: who kept every promise ------------------------------------------------------


@settings(max_examples=60)
@given(worlds())
def test_kept_lists_exactly_the_units_whose_every_row_is_met_and_none_behind(world):
    commitments, mentorships, sessions, as_of = world
    store = _world(commitments, mentorships=mentorships, engagements=[_team()],
                   sessions=sessions)  # fmt: skip
    report = adherence(store, cohort_id="coh", as_of=as_of)
    rows: dict[str, list[bool]] = {}
    for row in report.rows:
        rows.setdefault(row.who, []).append(row.met)
    expected = {who for who, met in rows.items() if all(met) and who not in report.ended}
    kept = report.kept()
    assert set(kept) == expected
    assert len(kept) == len(set(kept))
    assert not set(kept) & {b.who for b in report.behind()}
    assert report.kept(cohort_id="coh") == kept
    assert report.kept(cohort_id="another") == ()


def test_kept_leaves_out_a_period_in_progress_and_a_pair_that_ended_early():
    k = Commitment(name="k", per="month", times=1)
    held = [Session(id=f"s{m}", mentorship_id="ms", start=_at(dt.date(2025, m, 9)), minutes=60)
            for m in range(6, 13)]  # fmt: skip
    store = _world([k], mentorships=[_pair()], sessions=held)
    assert adherence(store, cohort_id="coh", as_of=END).kept() == ("ms",)
    assert adherence(store, cohort_id="coh", as_of=dt.date(2026, 1, 5)).kept() == ("ms",)
    # Mid-December the month is in progress, but met already; mid-month with nothing yet: not.
    assert adherence(store, cohort_id="coh", as_of=dt.date(2025, 12, 20)).kept() == ("ms",)
    assert adherence(store, cohort_id="coh", as_of=dt.date(2025, 12, 5)).kept() == ()
    early = _world([k], mentorships=[_pair(end=dt.date(2025, 8, 20))], sessions=held[:3])
    assert adherence(early, cohort_id="coh", as_of=END).kept() == ()
