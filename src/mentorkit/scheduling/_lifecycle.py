"""A mentorship's lifecycle: proposed, active, paused, completed, ended early; audited moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from mentorkit.errors import TransitionError, ValidationError
from mentorkit.model import LifecycleChange, Mentorship, MentorshipStatus
from mentorkit.model import _checks as c
from mentorkit.model._schedule import _MOVES

if TYPE_CHECKING:
    from mentorkit.scheduling._hooks import Hooks
    from mentorkit.storage import Store

_S = MentorshipStatus

# One table: a Mentorship checks its history against the same moves.
TRANSITIONS: Mapping[MentorshipStatus, frozenset[MentorshipStatus]] = _MOVES
"""The moves a mentorship may make, from each status (read-only).

Completed and ended early are final; a proposed pairing that never starts ends early (with
a reason).
"""

_FINAL = frozenset({_S.COMPLETED, _S.ENDED_EARLY})


def _status(value: object, field: str) -> MentorshipStatus:
    if isinstance(value, MentorshipStatus):
        return value
    if isinstance(value, str):
        try:
            return MentorshipStatus(value)
        except ValueError:
            pass
    allowed = ", ".join(repr(s.value) for s in MentorshipStatus)
    raise ValidationError(f"must be one of {allowed}", field=field, value=value)


def transition(
    mentorship: Mentorship,
    to: MentorshipStatus | str,
    *,
    at: dt.datetime | None = None,
    by: str | None = None,
    reason: str | None = None,
) -> Mentorship:
    """Move a mentorship to another status, returning the moved copy (audited in ``history``).

    The move is checked against [TRANSITIONS][mentorkit.scheduling.TRANSITIONS]; an illegal
    one raises and changes nothing. Moving to ``completed`` or ``ended_early`` also sets
    ``end`` to the day of ``at`` (in ``at``'s time zone; never before ``start``) unless the
    mentorship already ended earlier. This function only computes: put the result into your
    store, or use [change_status][mentorkit.scheduling.change_status], which also fires the
    ``lifecycle_changed`` hook.

    Args:
        mentorship: The mentorship to move.
        to: The new status (a [MentorshipStatus][mentorkit.model.MentorshipStatus] or its
            value, ``"paused"``).
        at: When (timezone-aware, not before the last recorded change); default: now, UTC.
        by: Who made the change (a person id), kept in the history.
        reason: Why; required for ``ended_early`` (it becomes ``end_reason``). Kept out of
            ``repr``.

    Returns:
        A new [Mentorship][mentorkit.model.Mentorship] with the new status and one more
        [LifecycleChange][mentorkit.model.LifecycleChange] in its history.

    Raises:
        TransitionError: The move is not allowed from the current status.
        ValidationError: A bad argument (naming it): not a mentorship, an unknown status, a
            naive or out-of-order ``at``, a malformed ``by``, ``ended_early`` without a reason.

    Examples:
        >>> import datetime as dt
        >>> from mentorkit import Mentorship
        >>> m = Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2",
        ...                start=dt.date(2024, 9, 1), status="proposed")
        >>> at = dt.datetime(2024, 9, 2, 9, tzinfo=dt.UTC)
        >>> m = transition(m, "active", at=at, by="lead-1")
        >>> m = transition(m, "ended_early", at=at + dt.timedelta(days=60),
        ...                reason="mentor changed district")
        >>> m.status.value, m.end, len(m.history)
        ('ended_early', datetime.date(2024, 11, 1), 2)
        >>> transition(m, "active", at=at + dt.timedelta(days=90))
        Traceback (most recent call last):
        ...
        mentorkit.errors.TransitionError: mentorship 'm-1' cannot move from 'ended_early' to 'active' (ended_early is final)
    """  # noqa: E501
    if not isinstance(mentorship, Mentorship):
        raise ValidationError(
            "must be a Mentorship", field="mentorship", value=type(mentorship).__name__
        )
    target = _status(to, "to")
    if at is None:
        at = dt.datetime.now(dt.UTC)
    c.aware(None, attrs.fields(LifecycleChange).at, at)
    if mentorship.history and at < mentorship.history[-1].at:
        raise ValidationError(
            f"must not be before the last change ({mentorship.history[-1].at.isoformat()})",
            field="at",
            value=at,
        )
    c.optional_identifier(None, attrs.fields(LifecycleChange).by, by)
    if reason is not None and not isinstance(reason, str):
        raise ValidationError("must be a string", field="reason", value=type(reason).__name__)
    if target is _S.ENDED_EARLY and not (reason and reason.strip()):
        raise ValidationError("must say why the mentorship ended early", field="reason")
    source = mentorship.status
    allowed = TRANSITIONS[source]
    if target not in allowed:
        options = ", ".join(sorted(s.value for s in allowed))
        why = f"allowed: {options}" if options else f"{source.value} is final"
        raise TransitionError(
            f"mentorship {mentorship.id!r} cannot move from {source.value!r} to "
            f"{target.value!r} ({why})"
        )
    change = LifecycleChange(source=source, target=target, at=at, by=by, reason=reason or "")
    end = mentorship.end
    if target in _FINAL:
        day = max(mentorship.start, at.date())
        end = day if end is None else min(end, day)
        end = max(end, mentorship.start)
    return attrs.evolve(
        mentorship,
        status=target,
        end=end,
        end_reason=reason if target is _S.ENDED_EARLY else None,
        history=(*mentorship.history, change),
    )


def change_status(
    store: Store,
    mentorship: Mentorship | str,
    to: MentorshipStatus | str,
    *,
    at: dt.datetime | None = None,
    by: str | None = None,
    reason: str | None = None,
    hooks: Hooks | None = None,
) -> Mentorship:
    """Move a stored mentorship to another status, store it, then fire ``lifecycle_changed``.

    The hook fires only after the store accepted the write, so a service never announces a
    change that a concurrent writer made impossible.

    Args:
        store: The store holding the mentorship.
        mentorship: The mentorship (its ``version`` is checked by the store: a stale copy
            raises [ConflictError][mentorkit.errors.ConflictError]) or its id (read fresh).
        to: The new status.
        at: When (timezone-aware); default: now, UTC.
        by: Who made the change (a person id).
        reason: Why; required for ``ended_early``.
        hooks: Where to announce the change; default ``None``: nobody is told.

    Returns:
        The mentorship as stored (new version).

    Raises:
        NotFoundError: No mentorship with that id.
        ConflictError: The mentorship changed in the store since it was read.
        TransitionError: The move is not allowed; nothing is written or fired.
        ValidationError: A bad argument, naming it; nothing is written or fired.

    Examples:
        >>> import datetime as dt
        >>> from mentorkit import Mentorship, open_store
        >>> from mentorkit.scheduling import Hooks
        >>> hooks = Hooks()
        >>> seen = []
        >>> hooks.register("lifecycle_changed", seen.append)
        >>> with open_store("memory://") as store:
        ...     _ = store.put(Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2",
        ...                              start=dt.date(2024, 9, 1)))
        ...     m = change_status(store, "m-1", "paused", by="lead-1", hooks=hooks,
        ...                       at=dt.datetime(2024, 12, 20, tzinfo=dt.UTC))
        >>> m.status.value, m.version, seen[0].change.source.value
        ('paused', 2, 'active')
    """
    from mentorkit.scheduling._hooks import LifecycleChanged, check_hooks

    check_hooks(hooks)
    if isinstance(mentorship, str):
        current = store.get(Mentorship, mentorship)
    elif isinstance(mentorship, Mentorship):
        if mentorship.version == 0:
            raise ValidationError("must be a stored mentorship (version 0 was never stored)",
                                  field="mentorship", value=mentorship.id)  # fmt: skip
        current = mentorship
    else:
        raise ValidationError(
            "must be a Mentorship or its id", field="mentorship", value=type(mentorship).__name__
        )
    moved = transition(current, to, at=at, by=by, reason=reason)
    stored = store.put(moved)
    if hooks is not None:
        hooks.fire(LifecycleChanged(mentorship=stored, change=stored.history[-1]))
    return stored
