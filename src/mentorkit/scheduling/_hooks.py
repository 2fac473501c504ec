"""Events for services: callbacks registered by event name, checked when registered.

mentorkit sends no e-mail and keeps no global registry: a service builds a
[Hooks][mentorkit.scheduling.Hooks] object, registers its callbacks, and passes it to the
calls that fire events (``hooks=``, as httpx takes ``transport=``). The default everywhere is
``hooks=None``: nothing is fired.
"""

from __future__ import annotations

import datetime as dt
import inspect
import typing
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Literal, TypeAlias, TypeVar, overload

import attrs

from mentorkit import _plugins
from mentorkit.errors import ValidationError
from mentorkit.model import LifecycleChange, Mentorship
from mentorkit.model import _checks as c

if typing.TYPE_CHECKING:
    from mentorkit.scheduling._health import HealthStatus, PairHealth


@attrs.frozen(kw_only=True)
class LifecycleChanged:
    """Event ``lifecycle_changed``: a stored mentorship moved to another status.

    Attributes:
        mentorship: The mentorship as stored after the move.
        change: The move (also the last entry of ``mentorship.history``).
    """

    name: ClassVar[str] = "lifecycle_changed"

    mentorship: Mentorship
    change: LifecycleChange


@attrs.frozen(kw_only=True)
class HealthChanged:
    """Event ``health_changed``: a relationship's health differs from the previous check.

    Attributes:
        mentorship_id: The mentorship.
        before: Its status at the previous check (``ok`` when it was not checked then).
        after: Its status now.
        health: The full finding, with the reasons.
    """

    name: ClassVar[str] = "health_changed"

    mentorship_id: str
    before: HealthStatus
    after: HealthStatus
    health: PairHealth


@attrs.frozen(kw_only=True)
class ReminderDue:
    """Event ``reminder_due``: something people should be reminded of now.

    Attributes:
        kind: What it is about: ``"session"`` (a planned session), ``"action_item"`` (a next
            step falling due) or ``"milestone"`` (a program date such as orientation).
        subject_id: The id of the session, action item or milestone.
        due: When it happens or falls due (timezone-aware).
        remind_at: When the reminder became due (``due`` minus the lead time).
        people: The person ids to remind (mentor and mentee, the owner of an action item).
        title: A short plain-text description, fit for a message subject.
        mentorship_id: The mentorship it belongs to, when there is one.
        cohort_id: The cohort it belongs to, when known.
    """

    name: ClassVar[str] = "reminder_due"

    kind: Literal["session", "action_item", "milestone"]
    subject_id: str
    due: dt.datetime = attrs.field(validator=c.aware)
    remind_at: dt.datetime = attrs.field(validator=c.aware)
    people: tuple[str, ...] = ()
    title: str = ""
    mentorship_id: str | None = None
    cohort_id: str | None = None


HookEvent: TypeAlias = ReminderDue | LifecycleChanged | HealthChanged
"""An event any hook receives."""
EVENTS: Mapping[str, type[Any]] = MappingProxyType(
    {cls.name: cls for cls in (HealthChanged, LifecycleChanged, ReminderDue)}
)
"""The names of the events, and the event class each callback receives (read-only)."""
EventName: TypeAlias = Literal["health_changed", "lifecycle_changed", "reminder_due"]
"""The name of an event."""

_F = TypeVar("_F", bound=Callable[..., object])


def _named(callback: object) -> str:
    return str(getattr(callback, "__qualname__", None) or type(callback).__name__)


def _check_callback(event: str, callback: object) -> None:
    """Reject, at registration, a callback that could not take the event."""
    if not callable(callback):
        raise ValidationError("must be callable", field="callback", value=_named(callback))
    call = getattr(callback, "__call__", None)  # noqa: B004 - an async __call__ counts too
    if inspect.iscoroutinefunction(callback) or inspect.iscoroutinefunction(call):
        raise ValidationError(
            "must be a plain (not async) function: hooks are called synchronously; "
            "schedule your coroutine from a plain callback",
            field="callback",
            value=_named(callback),
        )
    try:
        signature = inspect.signature(callback)
    except (TypeError, ValueError):  # some built-ins have none: nothing to check
        return
    try:
        bound = signature.bind(object())
    except TypeError:
        raise ValidationError(
            f"must accept one argument, the event (def callback(event): ...): "
            f"{_named(callback)}{signature} {_why_not(signature)}",
            field="callback",
            value=_named(callback),
        ) from None
    # An annotation naming another event class is a wiring mistake worth catching early.
    try:
        hints = typing.get_type_hints(callback)
    except Exception:  # unresolvable annotations: nothing to check
        return
    (param,) = bound.arguments
    kind = signature.parameters[param].kind
    hint = hints.get(param) if kind is not inspect.Parameter.VAR_POSITIONAL else None
    expected = EVENTS[event]
    if isinstance(hint, type) and not issubclass(expected, hint):
        raise ValidationError(
            f"is annotated to take {hint.__name__}, but {event!r} passes {expected.__name__}",
            field="callback",
            value=_named(callback),
        )


def _why_not(signature: inspect.Signature) -> str:
    """Why a signature cannot take the event as its one positional argument."""
    params = list(signature.parameters.values())
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    required = [p.name for p in params if p.default is p.empty and p.kind in positional]
    keyword = [p.name for p in params
               if p.default is p.empty and p.kind is inspect.Parameter.KEYWORD_ONLY]  # fmt: skip
    if len(required) > 1:
        return f"needs {len(required)} arguments ({', '.join(required)})"
    if keyword:
        return f"needs keyword argument {keyword[0]!r}"
    return "takes no argument"


def check_hooks(hooks: object) -> None:
    """Reject a ``hooks=`` argument that is neither ``None`` nor a ``Hooks``."""
    if hooks is not None and not isinstance(hooks, Hooks):
        raise ValidationError("must be a Hooks object or None", field="hooks",
                              value=type(hooks).__name__)  # fmt: skip


class Hooks:
    """Callbacks by event name, for services to act on what mentorkit notices.

    Events: ``reminder_due`` ([ReminderDue][mentorkit.scheduling.ReminderDue]),
    ``lifecycle_changed`` ([LifecycleChanged][mentorkit.scheduling.LifecycleChanged]) and
    ``health_changed`` ([HealthChanged][mentorkit.scheduling.HealthChanged]). A callback
    takes the event as its one positional argument; it is checked when registered (like a
    pluggy hook implementation): an unknown event name, something not callable, an async
    function, a signature that cannot take one argument, or an annotation naming another
    event class raises [ValidationError][mentorkit.errors.ValidationError] at once.

    [fire][mentorkit.scheduling.Hooks.fire] calls every callback of the event in the order
    registered. A callback's exception does not stop the others: after all ran, the
    exceptions are raised together as an ``ExceptionGroup`` (catch with ``except*``).
    There is no global instance: pass yours as ``hooks=`` (the default, ``None``, fires
    nothing).

    Examples:
        >>> hooks = Hooks()
        >>> @hooks.on("lifecycle_changed")
        ... def tell_the_lead(event: LifecycleChanged) -> None:
        ...     print(event.mentorship.id, event.change.target.value)
        >>> hooks.register("reminder_due", lambda: None)
        Traceback (most recent call last):
        ...
        mentorkit.errors.ValidationError: callback: must accept one argument, the event (def callback(event): ...): <lambda>() takes no argument (got '<lambda>')
    """  # noqa: E501

    def __init__(self) -> None:
        self._callbacks: dict[str, list[Callable[[Any], object]]] = {name: [] for name in EVENTS}

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={len(v)}" for k, v in self._callbacks.items())
        return f"Hooks({counts})"

    def _event(self, event: object) -> str:
        if not isinstance(event, str) or event not in EVENTS:
            allowed = ", ".join(repr(n) for n in EVENTS)
            raise ValidationError(f"must be one of {allowed}", field="event", value=event)
        return event

    @overload
    def register(
        self, event: Literal["lifecycle_changed"], callback: Callable[[LifecycleChanged], object]
    ) -> None: ...
    @overload
    def register(
        self, event: Literal["health_changed"], callback: Callable[[HealthChanged], object]
    ) -> None: ...
    @overload
    def register(
        self, event: Literal["reminder_due"], callback: Callable[[ReminderDue], object]
    ) -> None: ...
    def register(self, event: str, callback: Callable[[Any], object]) -> None:
        """Call ``callback(event)`` whenever the named event fires.

        A function defined again (at module level, same module and qualified name, as when
        a notebook cell runs twice) takes its old definition's place, in the same calling
        order, so it is not called twice; lambdas, bound methods, callable objects and
        functions made inside another function (closures) are always added.

        Raises:
            ValidationError: An unknown event name, or a callback that cannot take the
                event (see the class), or one already registered for this event.
        """
        name = self._event(event)
        _check_callback(name, callback)
        registered = self._callbacks[name]
        if any(cb is callback or cb == callback for cb in registered):
            raise ValidationError(f"is already registered for {name!r}", field="callback",
                                  value=_named(callback))  # fmt: skip
        for i, cb in enumerate(registered):
            if _plugins.redefined(cb, callback):  # a notebook cell run twice: one callback
                registered[i] = callback
                return
        registered.append(callback)

    def on(self, event: EventName) -> Callable[[_F], _F]:
        """A decorator form of [register][mentorkit.scheduling.Hooks.register].

        Raises:
            ValidationError: As for ``register`` (the event name is checked at once, the
                callback when decorated).
        """
        name = self._event(event)

        def decorate(callback: _F) -> _F:
            self.register(name, callback)  # type: ignore[call-overload]
            return callback

        return decorate

    def unregister(self, event: EventName, callback: Callable[..., object]) -> None:
        """Stop calling ``callback`` for the event.

        Raises:
            ValidationError: An unknown event name, or a callback not registered for it.
        """
        name = self._event(event)
        for i, cb in enumerate(self._callbacks[name]):
            if cb is callback or cb == callback:
                del self._callbacks[name][i]
                return
        raise ValidationError(f"is not registered for {name!r}", field="callback",
                              value=_named(callback))  # fmt: skip

    def callbacks(self, event: EventName) -> tuple[Callable[..., object], ...]:
        """The callbacks registered for an event, in calling order."""
        return tuple(self._callbacks[self._event(event)])

    def fire(self, event: HookEvent) -> None:
        """Call every callback registered for the event's name with the event.

        Raises:
            ValidationError: ``event`` is not one of the event classes.
            ExceptionGroup: One or more callbacks raised (all were called).
        """
        cls = type(event)
        if cls not in EVENTS.values():
            raise ValidationError(
                "must be a ReminderDue, LifecycleChanged or HealthChanged event",
                field="event",
                value=cls.__name__,
            )
        errors: list[Exception] = []
        for callback in tuple(self._callbacks[cls.name]):
            try:
                callback(event)
            except Exception as exc:  # gathered and re-raised below
                errors.append(exc)
        if errors:
            raise ExceptionGroup(f"{len(errors)} {cls.name} callback(s) failed", errors)


def fire_each(hooks: Hooks, events: Iterable[HookEvent]) -> None:
    """Fire every event in turn; a failing callback keeps no later event from firing.

    Raises:
        ExceptionGroup: After all were fired, one group per event whose callbacks failed.
    """
    failed: list[Exception] = []
    for event in events:
        try:
            hooks.fire(event)
        except ExceptionGroup as group:
            failed.append(group)
    if failed:
        raise ExceptionGroup(f"callbacks failed for {len(failed)} event(s)", failed)
