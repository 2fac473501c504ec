"""Hypothesis strategies for frameworks, assessments, coaching cycles and SMARTIE goals."""

from __future__ import annotations

from hypothesis import strategies as st

from mentorkit.frameworks import (
    Assessment,
    Competency,
    CompetencyFramework,
    Level,
    ProficiencyScale,
    Rater,
)
from mentorkit.testing._strategies import dates, ids, texts


def _uuids() -> st.SearchStrategy[str | None]:
    return st.none() | st.uuids().map(str)


def _statements() -> st.SearchStrategy[str]:
    return texts().filter(lambda t: bool(t.strip()))


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
    """Generated :class:`~mentorkit.frameworks.CompetencyFramework` objects.

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


@st.composite
def assessments(
    draw: st.DrawFn,
    framework: CompetencyFramework | None = None,
    *,
    person_ids: st.SearchStrategy[str] | None = None,
) -> Assessment:
    """Generated :class:`~mentorkit.frameworks.Assessment` entities.

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
