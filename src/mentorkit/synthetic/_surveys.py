"""Synthetic survey results for a synthetic district: conditions per school, three cycles."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from mentorkit.measurement import Condition, Survey, SurveyItem, SurveyResult
from mentorkit.measurement._surveys import result_id
from mentorkit.model import OrgUnitKind
from mentorkit.synthetic._district import District

_CONDITIONS = (
    ("transformative_equity", "Transformative equity"),
    ("relational_trust", "Relational trust"),
    ("collective_efficacy", "Collective efficacy"),
    ("instructional_coherence", "Instructional coherence"),
    ("student_voice", "Student voice"),
)


def conditions_survey() -> Survey:
    """The synthetic conditions survey: five conditions, three items each, a 1-5 scale."""
    return Survey(
        id="conditions",
        name="School conditions survey",
        conditions=[
            Condition(
                id=cid,
                title=title,
                items=[SurveyItem(id=f"{cid}_{k}", text=f"{title}, item {k}") for k in (1, 2, 3)],
            )
            for cid, title in _CONDITIONS
        ],
    )


def survey_results(
    district: District,
    *,
    cycles: Sequence[str] = ("2021-22", "2022-23", "2023-24"),
    seed: int = 0,
) -> tuple[Survey, list[SurveyResult]]:
    """Conditions survey results for every school of a district, for each cycle.

    Each school's respondents are the share of its staff who answered (15% to 95%, so
    some schools fall under the disclosure minimum); transformative equity starts lowest and, in
    the first network, climbs by the third cycle, as in a cycle of inquiry that worked.

    Args:
        district: A [district][mentorkit.synthetic.district].
        cycles: The cycle names, oldest first.
        seed: Same seed, same results.

    Returns:
        The survey and its results.

    Examples:
        >>> from mentorkit import synthetic
        >>> survey, results = synthetic.survey_results(synthetic.district(seed=1, staff=400))
        >>> len(results) == 3 * len(survey.conditions) * 10
        True
    """
    rng = random.Random(f"{seed}/surveys")  # noqa: S311 - reproducible fake data
    survey = conditions_survey()
    staff = Counter(p.org_unit_id for p in district.people)
    schools = [u for u in district.org_units if u.kind is OrgUnitKind.SCHOOL]
    first_network = min((u.parent_id or "" for u in schools), default="")
    results: list[SurveyResult] = []
    for school in schools:
        base = {cid: rng.uniform(2.6, 4.1) for cid, _ in _CONDITIONS}
        base["transformative_equity"] = rng.uniform(2.1, 2.7)
        for k, cycle in enumerate(cycles):
            responded = max(1, round(staff.get(school.id, 0) * rng.uniform(0.15, 0.95)))
            for cid, _ in _CONDITIONS:
                lift = 0.0
                if cid == "transformative_equity" and school.parent_id == first_network:
                    lift = (0.05, 0.1, 0.6)[min(k, 2)]
                score = min(5.0, max(1.0, base[cid] + lift + rng.gauss(0, 0.08)))
                results.append(
                    SurveyResult(
                        id=result_id(survey.id, school.id, cycle, cid),
                        survey_id=survey.id,
                        org_unit_id=school.id,
                        cycle=cycle,
                        condition=cid,
                        score=round(score, 2),
                        n=responded,
                    )
                )
    return survey, results
