"""Coaching cycle definitions as data: phases, their artefacts, and the allowed moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs

from mentorkit.cycles._smartie import SmartieRules
from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.model import _checks as c
from mentorkit.model._checks import lenient as _lenient

if TYPE_CHECKING:
    from mentorkit.cycles._cycle import CoachingCycle


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _names = _lenient(_names)


@attrs.frozen(kw_only=True)
class Phase:
    """One phase of a coaching cycle.

    Attributes:
        id: The phase's name (``"goal_setting"``), unique in its cycle.
        ordinal: Its place in the cycle (0 for the first), unique in its cycle.
        title: The human title (``"Goal-setting"``).
        purpose: What the phase is for.
        requires: The artefacts the phase needs before it may be left. ``"goal"``,
            ``"smartie_goal"``, ``"action_plan"`` and ``"student_outcomes"`` are checked
            against the cycle's goal and action plan; any other name must be recorded as
            evidence with [`CoachingCycle.record`][mentorkit.cycles.CoachingCycle.record].
        reviews: What the phase reviews (for recalibration: practices, outcomes...).
    """

    id: str = attrs.field(validator=c.identifier)
    ordinal: int = attrs.field(validator=c.non_negative)
    title: str = attrs.field(validator=c.text)
    purpose: str = attrs.field(default="", validator=c.text, repr=False)
    requires: tuple[str, ...] = attrs.field(default=(), converter=_names, validator=c.identifiers)
    reviews: tuple[str, ...] = attrs.field(
        default=(), converter=_names, validator=c.texts, repr=False
    )

    def __attrs_post_init__(self) -> None:
        if isinstance(self.ordinal, bool) or not isinstance(self.ordinal, int):
            raise ValidationError("must be a whole number", field="ordinal", value=self.ordinal)


@attrs.frozen(kw_only=True)
class Transition:
    """An allowed move from one phase to another."""

    source: str = attrs.field(validator=c.identifier)
    target: str = attrs.field(validator=c.identifier)


def _phases(value: Iterable[Phase]) -> tuple[Phase, ...]:
    return tuple(value)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _phases = _lenient(_phases)


def _transitions(value: Iterable[Transition]) -> tuple[Transition, ...]:
    return tuple(value)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _transitions = _lenient(_transitions)


@attrs.frozen(kw_only=True)
class CycleDefinition:
    """A coaching cycle as data: ordered phases and the transitions allowed between them.

    Load a built-in one with [`load_cycle`][mentorkit.cycles.load_cycle], read one from a JSON or
    TOML file, or build one in Python. Start an engagement with
    [`start`][mentorkit.cycles.CycleDefinition.start].

    Attributes:
        id: The cycle's name (``"equity-leadership-coaching"``).
        title: Its human title.
        version: The publisher's version string.
        description: What it is for.
        phases: The phases (kept in ``ordinal`` order).
        transitions: The allowed moves; anything else is illegal.
        initial: The phase an engagement starts in (default: the lowest ordinal).
        smartie: The thresholds its ``smartie_goal`` requirement checks goals against
            (``[smartie] max_years = 6`` in a TOML file; default: a three-year window).

    Examples:
        >>> cycle = CycleDefinition(
        ...     id="mini", title="Mini",
        ...     phases=[Phase(id="plan", ordinal=0, title="Plan"),
        ...             Phase(id="do", ordinal=1, title="Do")],
        ...     transitions=[Transition(source="plan", target="do"),
        ...                  Transition(source="do", target="plan")])
        >>> cycle.initial, cycle.allowed_from("plan")
        ('plan', ('do',))
    """

    id: str = attrs.field(validator=c.identifier)
    title: str = attrs.field(validator=c.text)
    version: str = attrs.field(default="1", validator=c.text)
    description: str = attrs.field(default="", validator=c.text, repr=False)
    phases: tuple[Phase, ...] = attrs.field(converter=_phases, repr=False)
    transitions: tuple[Transition, ...] = attrs.field(
        default=(), converter=_transitions, repr=False
    )
    initial: str = attrs.field(default="", validator=c.text)
    smartie: SmartieRules = attrs.field(factory=SmartieRules, repr=False)
    _by_id: Mapping[str, Phase] = attrs.field(
        init=False, repr=False, eq=False, hash=False, alias="_by_id"
    )
    _moves: Mapping[str, tuple[str, ...]] = attrs.field(
        init=False, repr=False, eq=False, hash=False, alias="_moves"
    )

    def __attrs_post_init__(self) -> None:
        if not self.phases:
            raise ValidationError("must have at least one phase", field="phases", value=())
        if not isinstance(self.smartie, SmartieRules):
            raise ValidationError(
                "must be SmartieRules", field="smartie", value=type(self.smartie).__name__
            )
        by_id: dict[str, Phase] = {}
        ordinals: set[int] = set()
        for phase in self.phases:
            if not isinstance(phase, Phase):
                raise ValidationError("must hold Phase objects", field="phases", value=phase)
            if phase.id in by_id:
                raise ValidationError("holds a phase id twice", field="phases", value=phase.id)
            if phase.ordinal in ordinals:
                raise ValidationError("holds an ordinal twice", field="phases", value=phase.ordinal)
            by_id[phase.id] = phase
            ordinals.add(phase.ordinal)
        moves: dict[str, list[str]] = {p: [] for p in by_id}
        for move in self.transitions:
            if not isinstance(move, Transition):
                raise ValidationError(
                    "must hold Transition objects", field="transitions", value=move
                )
            for end in (move.source, move.target):
                if end not in by_id:
                    raise ValidationError(
                        "names a phase that is not in the cycle", field="transitions", value=end
                    )
            if move.source == move.target:
                raise ValidationError(
                    "must move to another phase", field="transitions", value=move.source
                )
            if move.target in moves[move.source]:
                raise ValidationError(
                    "lists a move twice",
                    field="transitions",
                    value=f"{move.source} -> {move.target}",
                )
            moves[move.source].append(move.target)
        ordered = tuple(sorted(self.phases, key=lambda p: p.ordinal))
        object.__setattr__(self, "phases", ordered)
        if not self.initial:
            object.__setattr__(self, "initial", ordered[0].id)
        elif self.initial not in by_id:
            raise ValidationError(
                "must name a phase of the cycle", field="initial", value=self.initial
            )
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_moves", {k: tuple(v) for k, v in moves.items()})

    def __contains__(self, phase_id: object) -> bool:
        return phase_id in self._by_id

    def phase(self, phase_id: str) -> Phase:
        """The phase with this id.

        Raises:
            NotFoundError: the cycle has no such phase.
        """
        try:
            return self._by_id[phase_id]
        except (KeyError, TypeError):
            raise NotFoundError(
                f"cycle {self.id!r} has no phase {phase_id!r} "
                f"(phases: {', '.join(p.id for p in self.phases)})"
            ) from None

    def allowed_from(self, phase_id: str) -> tuple[str, ...]:
        """The phases one may move to from ``phase_id``, in the order the cycle lists them.

        Raises:
            NotFoundError: the cycle has no such phase.
        """
        self.phase(phase_id)
        return self._moves[phase_id]

    def start(
        self,
        *,
        id: str,
        person_id: str,
        started: dt.datetime,
        coach_id: str | None = None,
        mentorship_id: str | None = None,
        program_id: str | None = None,
    ) -> CoachingCycle:
        """Start an engagement: a `CoachingCycle` in the first phase.

        Args:
            id: The new cycle's id.
            person_id: The person being coached.
            started: When the engagement began (timezone-aware).
            coach_id: The coach, if known.
            mentorship_id: The coaching mentorship this cycle belongs to, if any.
            program_id: The program the engagement is part of, if any.

        Returns:
            The new cycle, in `initial` with an empty history.

        Raises:
            ValidationError: a field is invalid (naming it).
        """
        from mentorkit.cycles._cycle import CoachingCycle

        return CoachingCycle(
            id=id,
            definition_id=self.id,
            phase=self.initial,
            person_id=person_id,
            started=started,
            coach_id=coach_id,
            mentorship_id=mentorship_id,
            program_id=program_id,
        )
