"""Hypothesis strategies for frameworks, assessments, coaching cycles and SMARTIE goals."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from hypothesis import strategies as st

from mentorkit.cycles import (
    CoachingCycle,
    CycleDefinition,
    Phase,
    Transition,
    load_cycle,
)
from mentorkit.cycles._cycle import BUILT_IN_ARTEFACTS
from mentorkit.frameworks import (
    Assessment,
    Competency,
    CompetencyFramework,
    Level,
    ProficiencyScale,
    Rater,
)
from mentorkit.model import (
    ActionItem,
    ActionPlan,
    ActionStep,
    Attendance,
    Award,
    Cohort,
    Engagement,
    Enrollment,
    Entity,
    Event,
    Goal,
    Mentorship,
    OrgUnit,
    Outcome,
    Person,
    Program,
    Reflection,
    Session,
)
from mentorkit.testing._measurement_strategies import MEASUREMENT_STRATEGIES
from mentorkit.testing._strategies import (
    action_items,
    action_plans,
    attendances,
    awards,
    aware_datetimes,
    cohorts,
    dates,
    engagements,
    enrollments,
    events,
    ids,
    mentorships,
    org_units,
    outcomes,
    persons,
    programs,
    reflections,
    sessions,
    texts,
)

E = TypeVar("E", bound=Entity)


def _uuids() -> st.SearchStrategy[str | None]:
    return _UUIDS


def _statements() -> st.SearchStrategy[str]:
    return _STATEMENTS


# Built once: building strategies inside every draw costs more than drawing from them.
_UUIDS: st.SearchStrategy[str | None] = st.none() | st.uuids().map(str)
_STATEMENTS = texts().filter(lambda t: bool(t.strip()))
_TEXTS = texts()
_SHORT = texts(max_size=12)
#: A recorded reference: a document id, link or note, never blank.
_REFS = texts(max_size=12).filter(lambda t: bool(t.strip()))
_IDS = ids()
_MAYBE_IDS = st.none() | ids()


@st.composite
def proficiency_scales(draw: st.DrawFn, *, max_levels: int = 6) -> ProficiencyScale:
    """Generated scales of 1 to ``max_levels`` levels with unique codes."""
    codes = draw(st.lists(ids(), min_size=1, max_size=max_levels, unique=True))
    return ProficiencyScale(
        id=draw(ids()),
        title=draw(texts()),
        levels=[Level(code=c, title=draw(texts()), description=draw(texts())) for c in codes],
    )


@st.composite
def competency_trees(draw: st.DrawFn, *, max_size: int = 12) -> tuple[Competency, ...]:
    """Generated forests of competencies with codes unique across the whole tree."""
    codes = draw(st.lists(ids(), max_size=max_size, unique=True))
    parents = [draw(st.none() | st.integers(0, i - 1)) if i else None for i in range(len(codes))]
    built: dict[int, Competency] = {}
    for i in reversed(range(len(codes))):
        kids = [built.pop(k) for k in sorted(k for k in built if parents[k] == i)]
        built[i] = Competency(
            code=codes[i],
            title=draw(texts()),
            description=draw(texts()),
            indicators=draw(st.lists(_statements(), max_size=3)),
            children=kids,
            uuid=draw(_uuids()),
        )
    return tuple(built[i] for i in sorted(built))


@st.composite
def frameworks(draw: st.DrawFn, *, max_size: int = 12) -> CompetencyFramework:
    """Generated [`CompetencyFramework`][mentorkit.frameworks.CompetencyFramework] objects.

    Trees up to ``max_size`` competencies deep and wide, with indicators, optional CASE
    identifiers and either the default or a generated scale.
    """
    return CompetencyFramework(
        id=draw(ids()),
        title=draw(texts()),
        version=draw(texts(max_size=8)),
        description=draw(texts()),
        competencies=draw(competency_trees(max_size=max_size)),
        scale=draw(st.just(ProficiencyScale.default()) | proficiency_scales()),
        uuid=draw(_uuids()),
    )


#: The CASE 1.0/1.1 association types (``isChildOf`` builds the tree; the rest are links).
CASE_ASSOCIATION_TYPES = (
    "isChildOf", "isPeerOf", "isPartOf", "exactMatchOf", "precedes", "isRelatedTo",
    "replacedBy", "exemplar", "hasSkillLevel", "isTranslationOf",
)  # fmt: skip
_CASE_DEFINITIONS = (
    "CFConcepts", "CFSubjects", "CFLicenses", "CFItemTypes", "CFAssociationGroupings",
)  # fmt: skip
_STAMPS = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2040, 1, 1)).map(
    lambda d: d.replace(microsecond=0).isoformat() + "+00:00"
)


@st.composite
def case_packages(draw: st.DrawFn, *, max_size: int = 8) -> dict[str, Any]:
    """Generated IMS CASE CFPackages (JSON-ready dicts) using what CASE holds beyond a tree.

    A generated framework's export, then: links of every association type (with their
    own identifiers, some inside an association grouping), ``CFDefinitions`` of every kind,
    item types, languages, education levels, notes, document adoption status, creator and
    URIs as a publisher would set them, and sometimes no rubric.
    """
    from mentorkit.frameworks.case import export_package

    fw = draw(frameworks(max_size=max_size))
    pkg = export_package(
        fw,
        base_uri=draw(st.sampled_from(["https://case.example.org/uri", "urn:case"])),
        creator=draw(_STATEMENTS),
        last_change=dt.datetime(2024, 5, 1, tzinfo=dt.UTC),
    )
    doc = pkg["CFDocument"]
    doc["lastChangeDateTime"] = draw(_STAMPS)
    doc["adoptionStatus"] = draw(st.sampled_from(["Draft", "Adopted", "Deprecated"]))
    doc["language"] = draw(st.sampled_from(["en", "es", "fr-CA"]))
    if draw(st.booleans()):
        doc["publisher"] = draw(_STATEMENTS)
    uid = st.uuids().map(str)
    definitions: dict[str, list[dict[str, Any]]] = {}
    for kind in draw(st.lists(st.sampled_from(_CASE_DEFINITIONS), unique=True)):
        definitions[kind] = [
            {"identifier": ident, "uri": f"urn:{kind}:{ident}", "title": draw(_STATEMENTS),
             "lastChangeDateTime": draw(_STAMPS)}
            for ident in draw(st.lists(uid, min_size=1, max_size=2, unique=True))
        ]  # fmt: skip
    if definitions:
        pkg["CFDefinitions"] = definitions
    items = pkg["CFItems"]
    for item in items:
        if item.get("CFItemType") is None and draw(st.booleans()):
            item["CFItemType"] = draw(st.sampled_from(["Standard", "Domain", "Cluster"]))
        if draw(st.booleans()):
            item["language"] = draw(st.sampled_from(["en", "es"]))
            item["educationLevel"] = draw(st.lists(st.sampled_from(["09", "10", "11"]),
                                                   min_size=1, unique=True))  # fmt: skip
            item["notes"] = draw(_TEXTS)
    ends = [{"identifier": i["identifier"], "uri": i["uri"], "title": i["fullStatement"][:20]}
            for i in items] + [{"identifier": doc["identifier"], "uri": doc["uri"],
                                "title": doc["title"]}]  # fmt: skip
    groupings = [g["identifier"] for g in definitions.get("CFAssociationGroupings", [])]
    links = draw(st.lists(uid, max_size=6 if items else 0, unique=True))
    for ident in links:
        link: dict[str, Any] = {
            "identifier": ident,
            "uri": f"urn:assoc:{ident}",
            "associationType": draw(st.sampled_from(CASE_ASSOCIATION_TYPES[1:])),
            "originNodeURI": draw(st.sampled_from(ends[:-1])),
            "destinationNodeURI": draw(st.sampled_from(ends)),
            "lastChangeDateTime": draw(_STAMPS),
        }
        if draw(st.booleans()) and groupings:
            link["CFAssociationGroupingURI"] = {"identifier": groupings[0], "uri": "urn:g",
                                                "title": "group"}  # fmt: skip
        pkg["CFAssociations"].append(link)
    if draw(st.booleans()):
        pkg["CFAssociations"] = draw(st.permutations(pkg["CFAssociations"]))
    if fw.scale == ProficiencyScale.default() and draw(st.booleans()):
        del pkg["CFRubrics"]
        del doc["extensions"]
    return pkg


@st.composite
def assessments(
    draw: st.DrawFn,
    framework: CompetencyFramework | None = None,
    *,
    person_ids: st.SearchStrategy[str] | None = None,
) -> Assessment:
    """Generated [`Assessment`][mentorkit.frameworks.Assessment] entities.

    Args:
        draw: Supplied by hypothesis.
        framework: When given, assessments fit it (its id, a competency code, a level code);
            it must have at least one competency. Otherwise any ids.
        person_ids: Where person ids come from (default: any id).
    """
    person = draw(person_ids if person_ids is not None else ids())
    if framework is None:
        fw_id, code, level = draw(ids()), draw(ids()), draw(ids())
    else:
        fw_id = framework.id
        code = draw(st.sampled_from(framework.codes))
        level = draw(st.sampled_from(framework.scale.codes))
    rater = draw(st.sampled_from(Rater))
    rater_id = (
        draw(st.none() | st.just(person))
        if rater is Rater.SELF
        else draw(st.none() | ids().filter(lambda i: i != person))
    )
    return Assessment(
        id=draw(ids()),
        person_id=person,
        framework_id=fw_id,
        competency=code,
        level=level,
        date=draw(dates()),
        rater=rater,
        rater_id=rater_id,
        note=draw(texts()),
    )


# -- SMARTIE goals -------------------------------------------------------------------------


def _numbers() -> st.SearchStrategy[float]:
    return st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@st.composite
def smartie_goals(draw: st.DrawFn, *, person_id: str | None = None) -> Goal:
    """Generated goals that meet all seven SMARTIE criteria."""
    baseline = draw(_numbers())
    target = draw(_numbers().filter(lambda t: t != baseline))
    start = draw(dates())
    deadline = start + dt.timedelta(days=draw(st.integers(1, 3 * 365)))
    return Goal(
        id=draw(ids()),
        person_id=person_id if person_id is not None else draw(ids()),
        statement=draw(texts()),
        strategic_priority=draw(_statements()),
        measure=draw(_statements()),
        baseline=baseline,
        target=target,
        start=start,
        deadline=deadline,
        supports=draw(st.lists(_statements(), min_size=1, max_size=3)),
        student_group=draw(_statements()),
        stakeholders=draw(st.lists(_statements(), min_size=1, max_size=3)),
        equity_focus=draw(_statements()),
    )


def goals() -> st.SearchStrategy[Goal]:
    """Generated goals with every field, the SMARTIE ones included, set or not."""
    optional_text = st.none() | texts()
    return st.builds(
        Goal,
        id=ids(),
        person_id=ids(),
        statement=texts(),
        measure=optional_text,
        baseline=st.none() | _numbers(),
        target=st.none() | _numbers(),
        deadline=st.none() | dates(),
        student_group=optional_text,
        strategic_priority=optional_text,
        start=st.none() | dates(),
        supports=st.lists(texts(), max_size=3),
        stakeholders=st.lists(texts(), max_size=3),
        equity_focus=optional_text,
    )


# -- coaching cycles -----------------------------------------------------------------------


def _evidence_names() -> st.SearchStrategy[str]:
    return ids().filter(lambda n: n not in BUILT_IN_ARTEFACTS)


_REQUIRES = st.lists(
    st.sampled_from(BUILT_IN_ARTEFACTS) | _evidence_names(), max_size=3, unique=True
)
_REVIEWS = st.lists(_SHORT, max_size=2)
_MINUTES = st.integers(0, 60 * 24 * 60)


@st.composite
def cycle_definitions(draw: st.DrawFn, *, max_phases: int = 6) -> CycleDefinition:
    """Generated [`CycleDefinition`][mentorkit.cycles.CycleDefinition] objects.

    Up to ``max_phases`` phases with unique ids and ordinals, required artefacts drawn from
    the built-in ones and evidence names, and any set of transitions between distinct phases.
    """
    names = draw(st.lists(ids(), min_size=1, max_size=max_phases, unique=True))
    ordinals = draw(st.permutations(range(len(names) + 3)))[: len(names)]
    requires = st.lists(
        st.sampled_from(BUILT_IN_ARTEFACTS) | _evidence_names(), max_size=3, unique=True
    )
    phases = [
        Phase(
            id=name,
            ordinal=ordinal,
            title=draw(_SHORT),
            purpose=draw(_SHORT),
            requires=draw(requires),
            reviews=draw(_REVIEWS),
        )
        for name, ordinal in zip(names, ordinals, strict=True)
    ]
    pairs = [(a, b) for a in names for b in names if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    return CycleDefinition(
        id=draw(ids()),
        title=draw(texts()),
        version=draw(texts(max_size=8)),
        description=draw(texts()),
        phases=phases,
        transitions=[Transition(source=a, target=b) for a, b in chosen],
        initial=draw(st.sampled_from(names)),
    )


@st.composite
def _satisfy(draw: st.DrawFn, cycle: CoachingCycle, definition: CycleDefinition) -> CoachingCycle:
    for artefact in definition.phase(cycle.phase).requires:
        if artefact in ("goal", "smartie_goal"):
            if cycle.goal is None:
                cycle = cycle.attach(goal=draw(smartie_goals(person_id=cycle.person_id)))
        elif artefact in ("action_plan", "student_outcomes"):
            if cycle.action_plan is None:
                plan = ActionPlan(
                    id=draw(ids()),
                    person_id=cycle.person_id,
                    steps=[
                        ActionStep(text=t) for t in draw(st.lists(texts(), min_size=1, max_size=3))
                    ],
                    student_outcomes=draw(st.lists(_statements(), min_size=1, max_size=2)),
                )
                cycle = cycle.attach(action_plan=plan)
        else:
            dimensions = cycle.dimensions(artefact, definition)
            one_by_one: bool = draw(st.booleans())
            if dimensions and one_by_one:  # reviewed dimension by dimension
                for d in draw(st.lists(st.sampled_from(dimensions), min_size=1, max_size=3)):
                    cycle = cycle.record(artefact, draw(_REFS), dimension=d, definition=definition)
            else:
                cycle = cycle.record(artefact, draw(_REFS), definition=definition)
    return cycle


@st.composite
def legal_walks(
    draw: st.DrawFn, definition: CycleDefinition | None = None, *, max_moves: int = 8
) -> tuple[CycleDefinition, tuple[CoachingCycle, ...]]:
    """A definition and the successive states of one engagement making only legal moves.

    The first state is the freshly started cycle; before each move the walk supplies the
    artefacts the phase requires (a SMARTIE goal, an action plan, recorded evidence), so
    every move is legal. Without ``definition``, one is generated.
    """
    if definition is None:
        definition = draw(cycle_definitions())
    person = draw(ids())
    cycle = definition.start(
        id=draw(ids()),
        person_id=person,
        coach_id=draw(st.none() | ids().filter(lambda i: i != person)),
        started=draw(aware_datetimes()),
    )
    states = [cycle]
    for _ in range(draw(st.integers(0, max_moves))):
        options = definition.allowed_from(cycle.phase)
        if not options:
            break
        cycle = draw(_satisfy(cycle, definition))
        last = cycle.history[-1].at if cycle.history else cycle.started
        cycle = cycle.advance(
            draw(st.sampled_from(options)),
            by=draw(_MAYBE_IDS),
            why=draw(_SHORT),
            at=last + dt.timedelta(minutes=draw(_MINUTES)),
            definition=definition,
        )
        states.append(cycle)
    return definition, tuple(states)


def coaching_cycles(name: str = "equity-leadership-coaching") -> st.SearchStrategy[CoachingCycle]:
    """Generated `CoachingCycle` entities of a built-in definition.

    Each is the end of a legal walk, so it can keep advancing without passing a definition.
    """
    return legal_walks(load_cycle(name)).map(lambda walk: walk[1][-1])


#: One strategy per built-in entity class.
ENTITY_STRATEGIES: dict[type[Entity], Any] = {
    OrgUnit: org_units,
    Person: persons,
    Program: programs,
    Cohort: cohorts,
    Enrollment: enrollments,
    Mentorship: mentorships,
    Session: sessions,
    ActionItem: action_items,
    Reflection: reflections,
    Goal: goals,
    ActionPlan: action_plans,
    Outcome: outcomes,
    Assessment: assessments,
    CoachingCycle: coaching_cycles,
    Engagement: engagements,
    Event: events,
    Attendance: attendances,
    Award: awards,
}
ENTITY_STRATEGIES.update(MEASUREMENT_STRATEGIES)


def entities_of(cls: type[E]) -> st.SearchStrategy[E]:
    """The strategy for one entity class."""
    strategy: st.SearchStrategy[E] = ENTITY_STRATEGIES[cls]()
    return strategy


def entities() -> st.SearchStrategy[Entity]:
    """Any entity of any built-in class (version 0, as never stored)."""
    return st.one_of([factory() for factory in ENTITY_STRATEGIES.values()])
