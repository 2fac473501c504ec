"""Hypothesis strategies for the measurement entities: surveys, results, inquiries, targets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from mentorkit.measurement import (
    Answer,
    Condition,
    Inquiry,
    Survey,
    SurveyAdministration,
    SurveyItem,
    SurveyResponse,
    SurveyResult,
    Target,
    TargetMeasure,
)
from mentorkit.model import Entity
from mentorkit.testing._strategies import dates, ids, texts

_SCORES = st.floats(1, 5, allow_nan=False)


@st.composite
def surveys(draw: st.DrawFn) -> Survey:
    """Generated [Survey][mentorkit.measurement.Survey] instruments (1-5 scale)."""
    codes = draw(st.lists(ids(), min_size=1, max_size=4, unique=True))
    items = iter(draw(st.lists(ids(), min_size=8, max_size=8, unique=True)))
    conditions = [
        Condition(
            id=code,
            title=draw(texts(20)),
            items=[
                SurveyItem(id=next(items), text=draw(texts(20)))
                for _ in range(draw(st.integers(0, 2)))
            ],
        )
        for code in codes
    ]
    return Survey(id=draw(ids()), name=draw(texts(20)), conditions=conditions)


def survey_results() -> st.SearchStrategy[SurveyResult]:
    """Generated [SurveyResult][mentorkit.measurement.SurveyResult] aggregates."""
    return st.builds(
        SurveyResult,
        id=ids(),
        survey_id=ids(),
        org_unit_id=ids(),
        cycle=ids(),
        condition=ids(),
        score=_SCORES,
        n=st.integers(1, 10_000),
    )


def survey_responses() -> st.SearchStrategy[SurveyResponse]:
    """Generated anonymous [SurveyResponse][mentorkit.measurement.SurveyResponse]s."""
    answers = st.lists(st.builds(Answer, item=ids(), value=_SCORES), max_size=4)
    return st.builds(
        SurveyResponse,
        id=ids(),
        survey_id=ids(),
        cycle=ids(),
        org_unit_id=ids(),
        answers=answers,
        administration_id=st.none() | ids(),
    )


@st.composite
def survey_administrations(draw: st.DrawFn) -> SurveyAdministration:
    """Generated [SurveyAdministration][mentorkit.measurement.SurveyAdministration]s."""
    opens = draw(st.none() | dates())
    closes = None if opens is None else opens + dt.timedelta(days=draw(st.integers(0, 90)))
    return SurveyAdministration(
        id=draw(ids()),
        survey_id=draw(ids()),
        cycle=draw(ids()),
        org_unit_ids=draw(st.lists(ids(), max_size=3)),
        opens=opens,
        closes=closes,
    )


def inquiries() -> st.SearchStrategy[Inquiry]:
    """Generated [Inquiry][mentorkit.measurement.Inquiry] links."""
    return st.builds(
        Inquiry,
        id=ids(),
        survey_id=ids(),
        org_unit_id=ids(),
        condition=ids(),
        cycle=ids(),
        coaching_cycle_id=st.none() | ids(),
        action_plan_id=st.none() | ids(),
        next_step_ids=st.lists(ids(), max_size=3),
        co_designed_with=st.lists(ids(), max_size=3),
        note=texts(),
    )


@st.composite
def targets(draw: st.DrawFn) -> Target:
    """Generated [Target][mentorkit.measurement.Target]s."""
    deadline = draw(dates())
    start = draw(st.none() | st.just(deadline - dt.timedelta(days=draw(st.integers(0, 3000)))))
    return Target(
        id=draw(ids()),
        name=draw(texts(30)),
        program_id=draw(ids()),
        measure=draw(st.sampled_from(TargetMeasure)),
        count=draw(st.integers(1, 10_000)),
        deadline=deadline,
        start=start,
    )


#: One strategy per measurement entity class (part of ``ENTITY_STRATEGIES``).
MEASUREMENT_STRATEGIES: dict[type[Entity], Any] = {
    Survey: surveys,
    SurveyAdministration: survey_administrations,
    SurveyResponse: survey_responses,
    SurveyResult: survey_results,
    Inquiry: inquiries,
    Target: targets,
}
