"""Due reminders: each fires once across consecutive runs, through the hooks given."""

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mentorkit as mk
from mentorkit import ActionItem, Mentorship, Session, ValidationError
from mentorkit.scheduling import Hooks, due_reminders

T0 = dt.datetime(2024, 10, 1, tzinfo=dt.UTC)


def fill(store, offsets, due_days):
    store.put(
        Mentorship(
            id="m-1", mentor_id="p-1", mentee_id="p-2", start=dt.date(2024, 9, 1), cohort_id="c-1"
        )
    )
    store.put(
        Mentorship(
            id="m-2", mentor_id="p-3", mentee_id="p-4", start=dt.date(2024, 9, 1), cohort_id="c-2"
        )
    )
    for i, (minutes, status, pair) in enumerate(offsets):
        store.put(
            Session(
                id=f"s-{i}",
                mentorship_id=pair,
                minutes=60,
                status=status,
                start=T0 + dt.timedelta(minutes=minutes),
            )
        )
    for i, (days, done) in enumerate(due_days):
        store.put(
            ActionItem(
                id=f"a-{i}",
                owner_id="p-2",
                text="call the principal",
                due=T0.date() + dt.timedelta(days),
                done=done,
                session_id="s-0" if offsets else None,
            )
        )


OFFSETS = st.lists(
    st.tuples(
        st.integers(0, 20 * 24 * 60),
        st.sampled_from(["planned", "held", "cancelled"]),
        st.sampled_from(["m-1", "m-2"]),
    ),
    max_size=8,
)
DUE = st.lists(st.tuples(st.integers(0, 20), st.booleans()), max_size=4)


@given(
    offsets=OFFSETS,
    due_days=DUE,
    cuts=st.lists(st.integers(1, 25 * 24 * 60), max_size=6).map(sorted),
    lead_hours=st.integers(0, 72),
)
def test_consecutive_runs_fire_each_due_reminder_exactly_once(offsets, due_days, cuts, lead_hours):
    lead = dt.timedelta(hours=lead_hours)
    hooks, fired = Hooks(), []
    hooks.register("reminder_due", fired.append)
    end = T0 + dt.timedelta(days=25)
    bounds = [T0 - dt.timedelta(days=4), *(T0 + dt.timedelta(minutes=c) for c in cuts), end]
    with mk.open_store("memory://") as store:
        fill(store, offsets, due_days)
        for since, until in zero_or_more_windows(bounds):
            due_reminders(store, since=since, until=until, lead=lead, hooks=hooks)
        once = due_reminders(store, since=bounds[0], until=end, lead=lead)
    expected = sorted(
        [
            ("session", f"s-{i}")
            for i, (_, status, _) in enumerate(offsets)
            if status == "planned"
            and bounds[0] < T0 + dt.timedelta(minutes=offsets[i][0]) - lead <= end
        ]
        + [
            ("action_item", f"a-{i}")
            for i, (days, done) in enumerate(due_days)
            if not done and bounds[0] < T0 + dt.timedelta(days) - lead <= end
        ]
    )
    assert sorted((r.kind, r.subject_id) for r in fired) == expected
    assert sorted((r.kind, r.subject_id) for r in once) == expected
    for r in fired:
        assert r.remind_at == r.due - lead


def zero_or_more_windows(bounds):
    return list(itertools.pairwise(bounds))


def test_a_session_reminder_names_the_pair_and_a_cohort_filter_keeps_its_own():
    with mk.open_store("memory://") as store:
        fill(store, [(60, "planned", "m-1"), (90, "planned", "m-2")], [(1, False)])
        reminders = due_reminders(store, since=T0 - dt.timedelta(days=2), until=T0, cohort_id="c-1")
    assert [(r.kind, r.subject_id, r.people, r.mentorship_id) for r in reminders] == [
        ("session", "s-0", ("p-1", "p-2"), "m-1"),
        ("action_item", "a-0", ("p-2",), "m-1"),
    ]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"since": dt.datetime(2024, 10, 1)}, "since"),
        ({"until": "now"}, "until"),
        ({"until": T0 - dt.timedelta(days=9)}, "until"),
        ({"lead": -dt.timedelta(hours=1)}, "lead"),
        ({"lead": 24}, "lead"),
        ({"tz": "Europe/Paris"}, "tz"),
        ({"cohort_id": ""}, "cohort_id"),
        ({"hooks": []}, "hooks"),
    ],
)
def test_bad_reminder_arguments_name_the_field(kwargs, field):
    kwargs = {"since": T0 - dt.timedelta(days=1), "until": T0, **kwargs}
    with mk.open_store("memory://") as store, pytest.raises(ValidationError) as info:
        due_reminders(store, **kwargs)
    assert info.value.field == field


def test_a_milestone_reminds_the_cohorts_selected_and_active_people():
    from mentorkit.model import Enrollment, Event

    with mk.open_store("memory://") as store:
        fill(store, [], [])
        store.put_many([
            Enrollment(id="e-1", person_id="p-1", cohort_id="c-1", role="mentor",
                       status="active"),
            Enrollment(id="e-2", person_id="p-2", cohort_id="c-1", role="mentee",
                       status="selected"),
            Enrollment(id="e-3", person_id="p-9", cohort_id="c-1", role="mentee",
                       status="not_selected"),
            Event(id="c-1:orientation", cohort_id="c-1", kind="orientation",
                  name="Orientation", date=dt.date(2024, 10, 2),
                  start=dt.datetime(2024, 10, 2, 15, tzinfo=dt.UTC), minutes=90),
            Event(id="c-1:deadline", cohort_id="c-1", kind="application_deadline",
                  name="", date=dt.date(2024, 10, 3)),
            Event(id="c-2:orientation", cohort_id="c-2", kind="orientation",
                  name="Orientation", date=dt.date(2024, 10, 3)),
            Event(id="c-1:late", cohort_id="c-1", kind="other", name="Too late",
                  date=dt.date(2024, 10, 5)),
        ])  # fmt: skip
        everyone = due_reminders(store, since=T0, until=T0 + dt.timedelta(days=2))
        mine = due_reminders(store, since=T0, until=T0 + dt.timedelta(days=2), cohort_id="c-1")
    assert [(r.subject_id, r.people, r.title, r.cohort_id) for r in mine] == [
        ("c-1:orientation", ("p-1", "p-2"), "Orientation", "c-1"),
        ("c-1:deadline", ("p-1", "p-2"), "application deadline", "c-1"),
    ]
    assert {r.subject_id for r in everyone} == {"c-1:orientation", "c-1:deadline",
                                                "c-2:orientation"}  # fmt: skip


def test_a_callback_failing_on_one_reminder_does_not_keep_the_others_from_firing():
    # Hooks.fire lets every callback run before raising; a batch of reminders must too, or
    # one broken message (a bad address) silences every later reminder of the run.
    at = dt.datetime(2024, 10, 3, 16, tzinfo=dt.UTC)
    hooks, seen = Hooks(), []

    def send(event):
        seen.append(event.subject_id)
        if event.subject_id == "s-1":
            raise RuntimeError("smtp refused")

    hooks.register("reminder_due", send)
    with mk.open_store("memory://") as store:
        store.put(Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2", start=dt.date(2024, 9, 1)))
        store.put_many([
            Session(id=f"s-{n}", mentorship_id="m-1", start=at + dt.timedelta(hours=n),
                    minutes=60, status="planned")
            for n in range(3)
        ])  # fmt: skip
        with pytest.raises(ExceptionGroup) as info:
            due_reminders(store, since=at - dt.timedelta(days=2), until=at, hooks=hooks)
    assert seen == ["s-0", "s-1", "s-2"]
    assert [type(e) for e in info.value.exceptions] == [ExceptionGroup]
