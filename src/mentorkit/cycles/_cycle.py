"""One coaching engagement walking through a cycle: current phase, history, artefacts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from mentorkit.cycles._definition import CycleDefinition
from mentorkit.cycles._smartie import SmartieRules, check_smartie
from mentorkit.errors import NotFoundError, TransitionError, ValidationError
from mentorkit.model import ActionPlan, Entity, Goal
from mentorkit.model import _checks as c
from mentorkit.model._checks import lenient as _lenient


@attrs.frozen(kw_only=True)
class PhaseChange:
    """One entry of a cycle's history: who moved it from which phase to which, when and why.

    ``why`` is kept out of ``repr``.
    """

    source: str = attrs.field(validator=c.identifier)
    target: str = attrs.field(validator=c.identifier)
    at: dt.datetime = attrs.field(validator=c.aware)
    by: str | None = attrs.field(default=None, validator=c.optional_identifier)
    why: str = attrs.field(default="", validator=c.text, repr=False)


def _evidence(value: Mapping[str, str]) -> Mapping[str, str]:
    return dict(value)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _evidence = _lenient(_evidence)


def _check_evidence(_inst: object, attribute: attrs.Attribute[object], value: object) -> None:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and k and k.strip() == k and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationError(
            "must map artefact names to references (strings)", field=attribute.name, value=value
        )


def _by_dimension(value: Mapping[str, Mapping[str, str]]) -> Mapping[str, Mapping[str, str]]:
    return {artefact: dict(refs) for artefact, refs in value.items()}


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _by_dimension = _lenient(_by_dimension)


def _check_by_dimension(_inst: object, attribute: attrs.Attribute[object], value: object) -> None:
    ok = isinstance(value, dict) and all(
        isinstance(artefact, str) and artefact and artefact.strip() == artefact
        and isinstance(refs, dict) and refs
        and all(isinstance(d, str) and d and isinstance(r, str) for d, r in refs.items())
        for artefact, refs in value.items()
    )  # fmt: skip
    if not ok:
        raise ValidationError(
            "must map artefact names to non-empty mappings of review dimensions to "
            "references (strings)",
            field=attribute.name,
            value=type(value).__name__,
        )


def _check_round_number(_inst: object, attribute: attrs.Attribute[int], value: object) -> None:
    """A round's number: a whole number (an ``int``, not a bool or float), from 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(
            "must be a whole number from 1 (rounds count from 1)",
            field=attribute.name,
            value=value,
        )


def _optional(kind: type) -> Any:
    """A validator: ``None`` or an instance of ``kind``, else a ValidationError naming it."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, kind):
            raise ValidationError(f"must be a {kind.__name__}", field=attribute.name, value=value)

    return check


@attrs.frozen(kw_only=True)
class EvidenceRound:
    """The evidence a cycle recorded in one round, kept when the cycle loops back.

    A round ends when the cycle moves back to an earlier phase (recalibrating to
    implementing, re-measuring to finding the lowest condition): the next pass through a
    phase needs evidence of its own, and this record of the round before stays readable.
    A cycle checks that each of its past rounds ends at a move back of its history, a move
    of its own (by the phase ordinals of its definition, when that is registered or built
    in).

    Attributes:
        number: The round, a whole number counting from 1.
        evidence: The artefacts recorded in that round and their references.
        ended: When the cycle looped back (the move that began the next round).
        by_dimension: The artefacts recorded dimension by dimension in that round: artefact
            -> review dimension -> reference (see
            [`CoachingCycle.record`][mentorkit.cycles.CoachingCycle.record]).
        goal: The goal the round worked to (the cycle's goal when it looped back); a
            revised goal attached in the next round does not change it.
        action_plan: The action plan the round followed, kept the same way.
    """

    number: int = attrs.field(validator=_check_round_number)
    evidence: Mapping[str, str] = attrs.field(
        converter=_evidence, validator=_check_evidence, hash=False, repr=False
    )
    ended: dt.datetime = attrs.field(validator=c.aware)
    by_dimension: Mapping[str, Mapping[str, str]] = attrs.field(
        factory=dict, converter=_by_dimension, validator=_check_by_dimension, hash=False,
        repr=False,
    )  # fmt: skip
    goal: Goal | None = attrs.field(default=None, validator=_optional(Goal), repr=False)
    action_plan: ActionPlan | None = attrs.field(
        default=None, validator=_optional(ActionPlan), repr=False
    )


def _history(value: tuple[PhaseChange, ...] | list[PhaseChange]) -> tuple[PhaseChange, ...]:
    return tuple(value)


def _rounds(value: tuple[EvidenceRound, ...] | list[EvidenceRound]) -> tuple[EvidenceRound, ...]:
    return tuple(value)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _history = _lenient(_history)
    _rounds = _lenient(_rounds)


#: Artefacts whose presence is read from the cycle's goal and action plan.
BUILT_IN_ARTEFACTS = ("goal", "smartie_goal", "action_plan", "student_outcomes")


def _check_artefact(artefact: object) -> None:
    """An artefact's name: a non-empty string without surrounding spaces."""
    if not isinstance(artefact, str) or not artefact or artefact.strip() != artefact:
        raise ValidationError(
            "must be a non-empty name without surrounding spaces",
            field="artefact",
            value=artefact if isinstance(artefact, str) else type(artefact).__name__,
        )


def _recorded_artefacts(definition: CycleDefinition) -> tuple[str, ...]:
    """The artefacts the phases of ``definition`` require that are recorded as evidence.

    In phase order, each once; the built-in ones (read from the goal and action plan) left
    out.
    """
    return tuple(
        dict.fromkeys(
            a for phase in definition.phases for a in phase.requires if a not in BUILT_IN_ARTEFACTS
        )
    )


def _check_required(artefact: str, definition: CycleDefinition) -> None:
    """Refuse an artefact no phase of ``definition`` requires, listing the ones there are."""
    known = _recorded_artefacts(definition)
    if artefact not in known:
        listed = ", ".join(repr(a) for a in known) or "none"
        raise ValidationError(
            f"is not an artefact any phase of cycle {definition.id!r} requires "
            f"(artefacts: {listed})",
            field="artefact",
            value=artefact,
        )


def _reviewed(
    artefact: str, definition: CycleDefinition, current: str | None = None
) -> tuple[str, tuple[str, ...]]:
    """The phase that requires ``artefact`` and the dimensions it reviews it by.

    The ``current`` phase, when it requires it and names reviews (two phases may review
    one artefact by dimensions of their own); else the first phase requiring it that names
    reviews; else the first requiring it, with none.
    """
    requiring = [p for p in definition.phases if artefact in p.requires]
    here = [p for p in requiring if p.id == current and any(p.reviews)]
    for phase in (*here, *requiring):
        if any(phase.reviews):
            return phase.id, phase.reviews
    return (requiring[0].id if requiring else ""), ()


@attrs.frozen(kw_only=True)
class CoachingCycle(Entity):
    """One engagement's walk through a [`CycleDefinition`][mentorkit.cycles.CycleDefinition].

    A cycle is a stored entity. It knows its current ``phase``, the timestamped ``history``
    of every move (who, when, why), the attached ``goal`` and ``action_plan``, and the
    ``evidence`` recorded for other artefacts in the current round. Every change returns a
    new cycle; put it back into the store.

    An artefact that reviews several dimensions (recalibration reviews instructional
    practices, student discipline, hiring practices... as the phase's
    [`reviews`][mentorkit.cycles.Phase] name them) is recorded one dimension at a time:
    ``record("recalibration_review", text, dimension="student discipline")`` keeps one entry
    per dimension in ``by_dimension``, and
    [`evidence_for`][mentorkit.cycles.CoachingCycle.evidence_for] reads them back, for the
    current round or an earlier one.

    Evidence is kept per round: when the cycle loops back to an earlier phase (after
    recalibrating, or a progress check that sends it back to implementing), the evidence of
    the round that ends moves to ``past_rounds`` and the next pass needs new evidence. The
    goal and action plan stay attached across rounds until you attach new ones.

    Start one with [`CycleDefinition.start`][mentorkit.cycles.CycleDefinition.start]. [`advance`][mentorkit.cycles.CoachingCycle.advance] checks the move against the
    definition (looked up by ``definition_id`` with [`load_cycle`][mentorkit.cycles.load_cycle]
    unless passed in) and raises [`TransitionError`][mentorkit.errors.TransitionError], changing
    nothing, when the move is not allowed or the current phase lacks an artefact.

    Examples:
        >>> import datetime as dt
        >>> from mentorkit.cycles import load_cycle
        >>> ecl = load_cycle("equity-leadership-coaching")
        >>> cycle = ecl.start(id="cc-1", person_id="p-1", coach_id="p-9",
        ...                   started=dt.datetime(2024, 9, 2, tzinfo=dt.UTC))
        >>> cycle.phase
        'listening_and_learning'
        >>> cycle.advance("goal_setting", by="p-9")
        Traceback (most recent call last):
        ...
        mentorkit.errors.TransitionError: cannot leave 'listening_and_learning' for 'goal_setting': missing data_review (no evidence recorded)
    """  # noqa: E501

    collection: ClassVar[str] = "coaching_cycle"

    definition_id: str = attrs.field(validator=c.identifier)
    person_id: str = attrs.field(validator=c.identifier)
    phase: str = attrs.field(validator=c.identifier)
    started: dt.datetime = attrs.field(validator=c.aware)
    coach_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    mentorship_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    program_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    history: tuple[PhaseChange, ...] = attrs.field(default=(), converter=_history, repr=False)
    goal: Goal | None = attrs.field(default=None, repr=False)
    action_plan: ActionPlan | None = attrs.field(default=None, repr=False)
    evidence: Mapping[str, str] = attrs.field(
        factory=dict, converter=_evidence, validator=_check_evidence, repr=False, hash=False
    )
    past_rounds: tuple[EvidenceRound, ...] = attrs.field(default=(), converter=_rounds, repr=False)
    by_dimension: Mapping[str, Mapping[str, str]] = attrs.field(
        factory=dict, converter=_by_dimension, validator=_check_by_dimension, hash=False,
        repr=False,
    )  # fmt: skip

    def __attrs_post_init__(self) -> None:
        c.distinct(self.coach_id, self.person_id, field="coach_id", other="person_id")
        for name, value, kind in (
            ("goal", self.goal, Goal),
            ("action_plan", self.action_plan, ActionPlan),
        ):
            if value is None:
                continue
            if not isinstance(value, kind):
                raise ValidationError(f"must be a {kind.__name__}", field=name, value=value)
            if value.person_id != self.person_id:
                raise ValidationError(
                    f"must belong to person_id {self.person_id!r}",
                    field=f"{name}.person_id",
                    value=value.person_id,
                )
        for name in ("history", "past_rounds"):
            if not isinstance(getattr(self, name), tuple):
                raise ValidationError(
                    "must be a sequence", field=name, value=type(getattr(self, name)).__name__
                )
        previous_at = self.started
        for i, change in enumerate(self.history):
            if not isinstance(change, PhaseChange):
                raise ValidationError(
                    "must hold PhaseChange objects", field=f"history[{i}]", value=change
                )
            if i and change.source != self.history[i - 1].target:
                raise ValidationError(
                    f"must start where the move before it ended ({self.history[i - 1].target!r})",
                    field=f"history[{i}].source",
                    value=change.source,
                )
            if change.at < previous_at:
                raise ValidationError(
                    f"must not be before {previous_at.isoformat()}",
                    field=f"history[{i}].at",
                    value=change.at,
                )
            previous_at = change.at
        for i, past in enumerate(self.past_rounds, 1):
            if not isinstance(past, EvidenceRound):
                raise ValidationError(
                    "must hold EvidenceRound objects", field=f"past_rounds[{i - 1}]", value=past
                )
            if past.number != i:
                raise ValidationError(
                    f"must be round {i} (rounds count from 1, in order)",
                    field=f"past_rounds[{i - 1}].number",
                    value=past.number,
                )
            if i > 1 and past.ended < self.past_rounds[i - 2].ended:
                raise ValidationError(
                    "must not be before the round before it ended",
                    field=f"past_rounds[{i - 1}].ended",
                    value=past.ended,
                )
        self._check_round_ends()
        if self.history and self.history[-1].target != self.phase:
            raise ValidationError(
                f"must be where the last move ended ({self.history[-1].target!r})",
                field="phase",
                value=self.phase,
            )

    def _check_round_ends(self) -> None:
        """Each past round ends at a move back of the history, a move of its own.

        Rounds are matched in order to the moves at their ``ended`` moments, each to the
        earliest move after the one the round before ended at. A move goes back when its
        target's ordinal is not above its source's, by the definition registered or built in
        under ``definition_id``; without one at hand (a plugin's, not imported here) the
        moves are only required to be distinct and in order.
        """
        if not self.past_rounds:
            return
        from mentorkit.cycles._registry import _at_hand

        definition = _at_hand(self.definition_id)

        def goes_back(change: PhaseChange) -> bool:
            if definition is None or change.source not in definition:
                return True
            if change.target not in definition:
                return True  # a phase the definition no longer has: not ours to judge
            source, target = definition.phase(change.source), definition.phase(change.target)
            return target.ordinal <= source.ordinal

        after = 0  # the history index the next round's move may be found from
        for i, past in enumerate(self.past_rounds):
            at_that_moment = [
                j for j in range(after, len(self.history)) if self.history[j].at == past.ended
            ]
            back = [j for j in at_that_moment if goes_back(self.history[j])]
            if not back:
                if at_that_moment:
                    why = "a move forward"
                elif any(change.at == past.ended for change in self.history):
                    why = "a move that already ends the round before"
                else:
                    why = "no move of the history"
                raise ValidationError(
                    f"must be the moment of a move back in the history, a move of its own (a "
                    f"round ends when the cycle moves back); at that moment there is {why}",
                    field=f"past_rounds[{i}].ended",
                    value=past.ended,
                )
            after = back[0] + 1

    # -- artefacts -------------------------------------------------------------------------

    @property
    def round(self) -> int:
        """The current round, counting from 1 (one more than ``len(past_rounds)``)."""
        return len(self.past_rounds) + 1

    @property
    def rounds(self) -> tuple[Mapping[str, str], ...]:
        """The evidence of every round, the first first and the current one last."""
        return (*(r.evidence for r in self.past_rounds), self.evidence)

    def evidence_for(self, artefact: str, *, round: int | None = None) -> Mapping[str, str]:
        """What was recorded for ``artefact`` dimension by dimension in one round.

        Args:
            artefact: The artefact (``"recalibration_review"``).
            round: The round, counting from 1 (default: the current one).

        Returns:
            Review dimension -> reference, in the order recorded; empty when the artefact
            was recorded without dimensions (read that from ``rounds``) or not at all.

        Raises:
            ValidationError: ``artefact`` is not a non-empty name, no phase of the cycle's
                definition requires it (when the definition is at hand; the message lists
                the artefacts there are), or ``round`` is not a round of this cycle (1 to
                ``self.round``).

        Examples:
            >>> import datetime as dt
            >>> from mentorkit.cycles import load_cycle
            >>> cycle = load_cycle("cycle-of-inquiry").start(
            ...     id="cc-1", person_id="p-1", started=dt.datetime(2024, 9, 2, tzinfo=dt.UTC))
            >>> cycle.evidence_for("survey_results")
            {}
        """
        _check_artefact(artefact)
        if artefact not in BUILT_IN_ARTEFACTS:
            try:  # a misspelt artefact is refused as record() refuses it, not read as empty
                known = self._definition(None)
            except NotFoundError:  # a definition this process does not have: read as stored
                known = None
            if known is not None:
                _check_required(artefact, known)
        number = self.round if round is None else round
        if isinstance(number, bool) or not isinstance(number, int) or not 0 < number <= self.round:
            raise ValidationError(
                f"must be a round of this cycle, 1 to {self.round}", field="round", value=number
            )
        if number == self.round:
            return dict(self.by_dimension.get(artefact, {}))
        return dict(self.past_rounds[number - 1].by_dimension.get(artefact, {}))

    def attach(
        self, *, goal: Goal | None = None, action_plan: ActionPlan | None = None
    ) -> CoachingCycle:
        """A copy with the goal and/or action plan attached (replacing any before)."""
        changes: dict[str, object] = {}
        if goal is not None:
            changes["goal"] = goal
        if action_plan is not None:
            changes["action_plan"] = action_plan
        return attrs.evolve(self, **changes)  # type: ignore[arg-type]

    def record(
        self,
        artefact: str,
        ref: str,
        *,
        dimension: str | None = None,
        definition: CycleDefinition | None = None,
    ) -> CoachingCycle:
        """A copy with evidence of an artefact recorded (``ref``: a document id, link, note).

        Evidence belongs to the current round (see ``past_rounds``). Recording an artefact
        (or one of its dimensions) again in the same round replaces the earlier reference.

        Args:
            artefact: The artefact's name (``"progress_check"``): one a phase of the
                definition requires.
            ref: A document id, link or note (not blank: it is the evidence).
            dimension: Record the review of one dimension of the artefact (kept in
                ``by_dimension``, one entry per dimension): one of the ``reviews`` of the
                phase that requires ``artefact``, for an artefact that phase reviews
                dimension by dimension (see
                [`dimensions`][mentorkit.cycles.CoachingCycle.dimensions]). Either a plain
                record or one dimension's makes the artefact present for the phase.
            definition: The cycle definition, for checking ``artefact`` and ``dimension``;
                default: ``load_cycle(self.definition_id)``.

        Raises:
            ValidationError: ``artefact`` is not a non-empty name, is one of the built-in
                artefacts read from the goal and action plan (attach those instead), or is
                required by no phase of the definition (the message lists the ones there
                are); ``ref`` is blank; ``dimension`` is not a review dimension of that
                phase, or the artefact is not reviewed by dimension (the message lists the
                dimensions); ``definition`` is not this cycle's.
            NotFoundError: ``definition`` is not given and no definition of
                ``definition_id`` can be loaded.

        Examples:
            >>> import datetime as dt
            >>> from mentorkit.cycles import load_cycle
            >>> ecl = load_cycle("equity-leadership-coaching")
            >>> cycle = ecl.start(id="cc-1", person_id="p-1",
            ...                   started=dt.datetime(2024, 9, 2, tzinfo=dt.UTC))
            >>> cycle = cycle.record("recalibration_review", "fewer referrals",
            ...                      dimension="student discipline")
            >>> cycle.evidence_for("recalibration_review")
            {'student discipline': 'fewer referrals'}
            >>> cycle.record("recalibration_review", "x", dimension="bus routes")
            Traceback (most recent call last):
            ...
            mentorkit.errors.ValidationError: dimension: is not a review dimension of phase 'recalibrating' (dimensions: 'instructional practices', 'social-emotional learning', 'student discipline', 'student and family engagement', 'hiring practices', 'community partnerships', 'measurable student outcomes') (got 'bus routes')
        """  # noqa: E501
        _check_artefact(artefact)
        if not isinstance(ref, str):
            raise ValidationError("must be a string", field="ref", value=type(ref).__name__)
        if not ref.strip():
            raise ValidationError(
                "must not be blank: a document id, link or note is the evidence",
                field="ref",
                value=ref,
            )
        if artefact in BUILT_IN_ARTEFACTS:
            raise ValidationError(
                "is read from the cycle's goal or action plan; attach() it instead",
                field="artefact",
                value=artefact,
            )
        cycle = self._definition(definition)
        _check_required(artefact, cycle)
        if dimension is None:
            return attrs.evolve(self, evidence={**self.evidence, artefact: ref})
        phase, allowed = _reviewed(artefact, cycle, self.phase)
        if not allowed:
            raise ValidationError(
                f"is not reviewed by dimension: {artefact!r} is required by phase {phase!r}, "
                "which names no reviews (record it without dimension=)",
                field="dimension",
                value=dimension,
            )
        if not isinstance(dimension, str) or not dimension or dimension not in allowed:
            listed = ", ".join(repr(d) for d in allowed)
            raise ValidationError(
                f"is not a review dimension of phase {phase!r} (dimensions: {listed})",
                field="dimension",
                value=dimension,
            )
        refs = {**self.by_dimension.get(artefact, {}), dimension: ref}
        return attrs.evolve(self, by_dimension={**self.by_dimension, artefact: refs})

    def dimensions(
        self, artefact: str, definition: CycleDefinition | None = None
    ) -> tuple[str, ...]:
        """The review dimensions ``artefact`` may be recorded by (see ``record``).

        The ``reviews`` of the cycle's current phase when it requires ``artefact`` and names
        any, else of the first phase that does: the artefact that phase reviews dimension by
        dimension. Empty for an artefact recorded
        whole (its phase names no reviews) and for the built-in artefacts read from the goal
        and action plan.

        Args:
            artefact: The artefact (``"recalibration_review"``).
            definition: The cycle definition; default: ``load_cycle(self.definition_id)``.

        Raises:
            ValidationError: ``artefact`` is not a non-empty name, or no phase of the
                definition requires it (the message lists the artefacts there are).

        Examples:
            >>> import datetime as dt
            >>> from mentorkit.cycles import load_cycle
            >>> cycle = load_cycle("equity-leadership-coaching").start(
            ...     id="cc-1", person_id="p-1", started=dt.datetime(2024, 9, 2, tzinfo=dt.UTC))
            >>> cycle.dimensions("recalibration_review")[:2]
            ('instructional practices', 'social-emotional learning')
            >>> cycle.dimensions("progress_check")
            ()
        """
        _check_artefact(artefact)
        cycle = self._definition(definition)
        if artefact in BUILT_IN_ARTEFACTS:
            return ()
        _check_required(artefact, cycle)
        return tuple(d for d in _reviewed(artefact, cycle, self.phase)[1] if d)

    def _lacks(self, artefact: str, rules: SmartieRules) -> str | None:
        """Why ``artefact`` is not there yet, or ``None`` when it is."""
        if artefact == "goal":
            return None if self.goal is not None else "no goal attached"
        if artefact == "smartie_goal":
            if self.goal is None:
                return "no goal attached"
            report = check_smartie(self.goal, rules=rules)
            if report.met:
                return None
            return "the goal is not SMARTIE: " + report.explain().replace("\n", "; ")
        if artefact == "action_plan":
            if self.action_plan is None:
                return "no action plan attached"
            return None if self.action_plan.steps else "the action plan has no steps"
        if artefact == "student_outcomes":
            if self.action_plan is None or not self.action_plan.student_outcomes:
                return "no measurable student outcome in the action plan"
            return None
        if artefact in self.evidence or artefact in self.by_dimension:
            return None
        if self.past_rounds:
            return f"no evidence recorded in round {self.round}"
        return "no evidence recorded"

    # -- moving ----------------------------------------------------------------------------

    def _definition(self, definition: CycleDefinition | None) -> CycleDefinition:
        if definition is None:
            from mentorkit.cycles._registry import load_cycle

            definition = load_cycle(self.definition_id)
        elif not isinstance(definition, CycleDefinition):
            raise ValidationError(
                "must be a CycleDefinition", field="definition", value=type(definition).__name__
            )
        if definition.id != self.definition_id:
            raise ValidationError(
                f"is not this cycle's definition ({self.definition_id!r})",
                field="definition",
                value=definition.id,
            )
        return definition

    def missing(self, definition: CycleDefinition | None = None) -> tuple[str, ...]:
        """What the current phase still needs before it may be left (empty when ready).

        Args:
            definition: The cycle definition; default: ``load_cycle(self.definition_id)``.

        Returns:
            One entry per missing artefact, ``"name (why)"``, e.g.
            ``"smartie_goal (the goal is not SMARTIE: time_bound: no deadline)"``.
        """
        cycle = self._definition(definition)
        phase = cycle.phase(self.phase)
        return tuple(
            f"{name} ({why})"
            for name, why in ((a, self._lacks(a, cycle.smartie)) for a in phase.requires)
            if why is not None
        )

    def allowed(self, definition: CycleDefinition | None = None) -> tuple[str, ...]:
        """The phases the definition allows moving to from the current phase."""
        return self._definition(definition).allowed_from(self.phase)

    def advance(
        self,
        to: str,
        *,
        by: str | None = None,
        why: str = "",
        at: dt.datetime | None = None,
        definition: CycleDefinition | None = None,
    ) -> CoachingCycle:
        """Move to another phase, returning the moved cycle (this one is unchanged).

        Args:
            to: The phase to move to.
            by: Who moved it (a person id).
            why: The reason, kept in the history (out of ``repr``).
            at: When (timezone-aware, not before the last move); default: now, in UTC.
            definition: The cycle definition; default: ``load_cycle(self.definition_id)``.

        Returns:
            A new cycle in phase ``to`` with the move appended to its history. A move back to
            a phase of the same or a lower ordinal begins a new round: the current evidence
            is kept in ``past_rounds`` and ``evidence`` starts empty.

        Raises:
            TransitionError: the definition does not allow the move, or the current phase
                lacks artefacts; the message lists what is allowed or what is missing.
            ValidationError: ``at`` is naive or before the last move, or ``by`` is invalid.
        """
        cycle = self._definition(definition)
        if to not in cycle:
            raise TransitionError(
                f"cannot move to {to!r}: cycle {cycle.id!r} has no such phase "
                f"(phases: {', '.join(p.id for p in cycle.phases)})"
            )
        allowed = cycle.allowed_from(self.phase)
        if to not in allowed:
            options = ", ".join(repr(a) for a in allowed) or "none"
            raise TransitionError(
                f"cannot move from {self.phase!r} to {to!r}: not an allowed transition "
                f"(allowed: {options})"
            )
        lacking = self.missing(cycle)
        if lacking:
            raise TransitionError(
                f"cannot leave {self.phase!r} for {to!r}: missing {'; '.join(lacking)}"
            )
        when = at if at is not None else dt.datetime.now(dt.UTC)
        c.aware(None, attrs.fields(PhaseChange).at, when)
        last = self.history[-1].at if self.history else self.started
        if when < last:
            raise ValidationError(
                f"must not be before the last move ({last.isoformat()})", field="at", value=when
            )
        change = PhaseChange(source=self.phase, target=to, at=when, by=by, why=why)
        if cycle.phase(to).ordinal > cycle.phase(self.phase).ordinal:
            return attrs.evolve(self, phase=to, history=(*self.history, change))
        ended = EvidenceRound(
            number=self.round, evidence=self.evidence, ended=when,
            by_dimension=self.by_dimension, goal=self.goal, action_plan=self.action_plan,
        )  # fmt: skip
        return attrs.evolve(
            self,
            phase=to,
            history=(*self.history, change),
            evidence={},
            by_dimension={},
            past_rounds=(*self.past_rounds, ended),
        )
