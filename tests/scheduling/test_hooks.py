"""Hooks: callbacks by event name, checked when registered, all called when fired."""

import datetime as dt
import functools

import pytest

from mentorkit import LifecycleChange, Mentorship, ValidationError
from mentorkit.scheduling import (
    EVENTS,
    HealthChanged,
    HealthStatus,
    Hooks,
    LifecycleChanged,
    PairHealth,
    ReminderDue,
)

AT = dt.datetime(2024, 9, 2, 9, tzinfo=dt.UTC)
M = Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2", start=dt.date(2024, 9, 1))
EXAMPLES = {
    "lifecycle_changed": LifecycleChanged(
        mentorship=M, change=LifecycleChange(source="proposed", target="active", at=AT)
    ),
    "health_changed": HealthChanged(
        mentorship_id="m-1",
        before=HealthStatus.OK,
        after=HealthStatus.AT_RISK,
        health=PairHealth(mentorship_id="m-1", status=HealthStatus.AT_RISK),
    ),
    "reminder_due": ReminderDue(kind="session", subject_id="s-1", due=AT, remind_at=AT),
}


def test_every_event_has_an_example_and_its_name():
    assert set(EXAMPLES) == set(EVENTS)
    for name, event in EXAMPLES.items():
        assert type(event).name == name


class Counter:
    def __init__(self):
        self.events = []

    def __call__(self, event):
        self.events.append(event)


def takes_two(event, other):
    return None


def keyword_only(*, event):
    return None


async def asynchronous(event):
    return None


def wrong_annotation(event: ReminderDue) -> None:
    return None


class AsyncCallable:
    async def __call__(self, event):
        return None


@pytest.mark.parametrize(
    ("event", "callback", "field", "says"),
    [
        ("session_held", print, "event", "must be one of"),
        (None, print, "event", "must be one of"),
        ("reminder_due", "print", "callback", "callable"),
        ("reminder_due", takes_two, "callback", "one argument, the event .*needs 2 arguments"),
        ("reminder_due", keyword_only, "callback", "needs keyword argument"),
        ("reminder_due", lambda: None, "callback", r"one argument, the event .*takes no arg"),
        ("reminder_due", asynchronous, "callback", "async"),
        ("reminder_due", AsyncCallable(), "callback", "async"),
        ("lifecycle_changed", wrong_annotation, "callback", "annotated to take ReminderDue"),
    ],
)
def test_a_callback_that_cannot_take_the_event_is_refused_when_registered(
    event, callback, field, says
):
    hooks = Hooks()
    with pytest.raises(ValidationError, match=says) as info:
        hooks.register(event, callback)
    assert info.value.field == field
    assert all(hooks.callbacks(name) == () for name in EVENTS)


@pytest.mark.parametrize(
    "callback",
    [
        lambda event: None,
        lambda *args: None,
        lambda event, extra=None: None,
        Counter(),
        functools.partial(takes_two, other=1),
        wrong_annotation,  # registered for the event it names
        [].append,
    ],
)
def test_callbacks_that_can_take_the_event_are_accepted(callback):
    hooks = Hooks()
    hooks.register("reminder_due", callback)
    assert hooks.callbacks("reminder_due") == (callback,)
    hooks.fire(EXAMPLES["reminder_due"])


def test_registering_the_same_callback_twice_is_refused():
    hooks, counter = Hooks(), Counter()
    hooks.register("health_changed", counter)
    with pytest.raises(ValidationError, match="already registered"):
        hooks.register("health_changed", counter)
    hooks.register("reminder_due", counter)  # another event is fine


_NOTEBOOK_CELL = """
def tell_the_lead(event):
    calls.append(("lead", event))
"""


def _run_cell(calls: list[object], module: str = "__main__") -> object:
    """Run a cell's source as a notebook does: each run defines its function anew."""
    namespace: dict[str, object] = {"__name__": module, "calls": calls}
    exec(compile(_NOTEBOOK_CELL, "<cell>", "exec"), namespace)
    return namespace["tell_the_lead"]


def test_a_function_defined_again_takes_its_old_place_and_is_called_once():
    hooks, calls = Hooks(), []
    hooks.register("reminder_due", lambda e: calls.append(("before", e)))
    first = _run_cell(calls)
    hooks.register("reminder_due", first)
    hooks.register("reminder_due", lambda e: calls.append(("after", e)))
    second = _run_cell(calls)  # the cell run again
    assert second is not first
    hooks.register("reminder_due", second)
    assert hooks.callbacks("reminder_due")[1] is second
    assert len(hooks.callbacks("reminder_due")) == 3
    event = EXAMPLES["reminder_due"]
    hooks.fire(event)
    assert calls == [("before", event), ("lead", event), ("after", event)]


def test_only_the_same_function_redefined_replaces_not_namesakes_or_methods():
    hooks, calls = Hooks(), []
    hooks.register("reminder_due", _run_cell(calls))
    hooks.register("reminder_due", _run_cell(calls, module="another_notebook"))
    hooks.register("reminder_due", lambda e: None)
    hooks.register("reminder_due", lambda e: None)  # two lambdas are never "the same"
    first, second = Counter(), Counter()
    hooks.register("reminder_due", first.__call__)
    hooks.register("reminder_due", second.__call__)  # two objects' methods: two callbacks
    assert len(hooks.callbacks("reminder_due")) == 6
    hooks.fire(EXAMPLES["reminder_due"])
    assert len(calls) == 2
    assert (len(first.events), len(second.events)) == (1, 1)


def test_fire_calls_only_that_events_callbacks_in_order():
    hooks, calls = Hooks(), []
    for name in EVENTS:
        for tag in ("a", "b"):
            hooks.register(name, lambda e, name=name, tag=tag: calls.append((name, tag, e)))
    for name, event in EXAMPLES.items():
        calls.clear()
        hooks.fire(event)
        assert calls == [(name, "a", event), (name, "b", event)]


def test_the_decorator_registers_and_returns_the_function():
    hooks = Hooks()

    @hooks.on("lifecycle_changed")
    def tell(event: LifecycleChanged) -> None:
        return None

    assert hooks.callbacks("lifecycle_changed") == (tell,)
    with pytest.raises(ValidationError):
        hooks.on("lifecycle_chnaged")


def test_a_failing_callback_does_not_stop_the_others_and_all_failures_surface():
    hooks, counter = Hooks(), Counter()

    def broken(event):
        raise RuntimeError("smtp down")

    def also_broken(event):
        raise KeyError("x")

    hooks.register("reminder_due", broken)
    hooks.register("reminder_due", counter)
    hooks.register("reminder_due", also_broken)
    with pytest.raises(ExceptionGroup) as info:
        hooks.fire(EXAMPLES["reminder_due"])
    assert [type(e) for e in info.value.exceptions] == [RuntimeError, KeyError]
    assert counter.events == [EXAMPLES["reminder_due"]]


def test_unregister_stops_the_calls_and_refuses_strangers():
    hooks, counter = Hooks(), Counter()
    hooks.register("reminder_due", counter)
    hooks.unregister("reminder_due", counter)
    hooks.fire(EXAMPLES["reminder_due"])
    assert counter.events == []
    with pytest.raises(ValidationError) as info:
        hooks.unregister("reminder_due", counter)
    assert info.value.field == "callback"


@pytest.mark.parametrize("event", ["reminder_due", {"name": "reminder_due"}, None])
def test_firing_something_that_is_not_an_event_is_refused(event):
    with pytest.raises(ValidationError) as info:
        Hooks().fire(event)
    assert info.value.field == "event"


def test_hooks_objects_share_nothing():
    one, two = Hooks(), Hooks()
    counter = Counter()
    one.register("reminder_due", counter)
    two.fire(EXAMPLES["reminder_due"])
    assert counter.events == []
    assert "reminder_due=1" in repr(one)


def test_a_reminder_needs_aware_times():
    with pytest.raises(ValidationError) as info:
        ReminderDue(kind="session", subject_id="s", due=AT.replace(tzinfo=None), remind_at=AT)
    assert info.value.field == "due"


@pytest.mark.parametrize("method", ["callbacks", "on"])
def test_asking_about_an_unknown_event_is_refused(method):
    with pytest.raises(ValidationError) as info:
        getattr(Hooks(), method)("reminder")
    assert info.value.field == "event"
