"""Questions about assessments: current levels, growth between dates, who is rated how high."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from mentorkit.errors import ValidationError
from mentorkit.frameworks._assessment import Assessment, Rater
from mentorkit.frameworks._model import CompetencyFramework


@attrs.frozen(kw_only=True)
class Growth:
    """How a person's level on one competency moved between two dates.

    Attributes:
        competency: The competency code.
        before: The level code on the first date.
        after: The level code on the second date.
        steps: ``rank(after) - rank(before)`` on the framework's scale (negative for a drop).
    """

    competency: str
    before: str
    after: str
    steps: int


def _latest(
    framework: CompetencyFramework,
    assessments: Iterable[Assessment],
    *,
    person_id: str | None,
    as_of: dt.date | None,
    rater: Rater | None,
) -> dict[tuple[str, str], Assessment]:
    """The latest fitting assessment per (person, competency); same-day ties go to the larger id."""
    best: dict[tuple[str, str], Assessment] = {}
    for a in assessments:
        if a.framework_id != framework.id:
            continue
        if person_id is not None and a.person_id != person_id:
            continue
        if rater is not None and a.rater is not rater:
            continue
        if as_of is not None and a.date > as_of:
            continue
        a.check(framework)
        key = (a.person_id, a.competency)
        seen = best.get(key)
        if seen is None or (a.date, a.id) > (seen.date, seen.id):
            best[key] = a
    return best


def current_levels(
    framework: CompetencyFramework,
    assessments: Iterable[Assessment],
    person_id: str,
    *,
    as_of: dt.date | None = None,
    rater: Rater | None = None,
) -> dict[str, str]:
    """A person's current level per competency: the latest rating on or before ``as_of``.

    Assessments of other frameworks and other people are skipped. Two ratings on the same day
    are ordered by assessment id, so the answer never depends on input order.

    Args:
        framework: The framework whose competencies and scale apply.
        assessments: Any assessments (a store query, a list).
        person_id: Whose levels.
        as_of: The day to look from; ``None`` for the latest of all.
        rater: Only count ratings by this kind of rater (``Rater.SUPERVISOR``); ``None`` for all.

    Returns:
        A mapping from competency code to level code, in framework order.

    Raises:
        ValidationError: an assessment of this framework names an unknown competency or level.

    Examples:
        >>> import datetime as dt
        >>> from mentorkit.frameworks import Assessment, Rater, load_framework
        >>> fw = load_framework("manager-of-self")
        >>> ratings = [
        ...     Assessment(id="a-1", person_id="p-1", framework_id=fw.id,
        ...                competency="communication", level="developing",
        ...                date=dt.date(2024, 9, 1), rater=Rater.SELF),
        ...     Assessment(id="a-2", person_id="p-1", framework_id=fw.id,
        ...                competency="communication", level="proficient",
        ...                date=dt.date(2025, 5, 1), rater=Rater.COACH, rater_id="p-9"),
        ... ]
        >>> current_levels(fw, ratings, "p-1")
        {'communication': 'proficient'}
        >>> current_levels(fw, ratings, "p-1", as_of=dt.date(2024, 12, 31))
        {'communication': 'developing'}
    """
    latest = _latest(framework, assessments, person_id=person_id, as_of=as_of, rater=rater)
    by_code = {code: a.level for (_, code), a in latest.items()}
    return {code: by_code[code] for code in framework.codes if code in by_code}


def growth(
    framework: CompetencyFramework,
    assessments: Iterable[Assessment],
    person_id: str,
    start: dt.date,
    end: dt.date,
    *,
    rater: Rater | None = None,
) -> dict[str, Growth]:
    """How far a person moved on each competency rated both by ``start`` and by ``end``.

    The level "at" a date is the latest rating on or before it (see
    [`current_levels`][mentorkit.frameworks.current_levels]).

    Args:
        framework: The framework whose scale ranks the levels.
        assessments: Any assessments.
        person_id: Whose growth.
        start: The earlier date.
        end: The later date (not before ``start``).
        rater: Only count ratings by this kind of rater.

    Returns:
        A mapping from competency code to [`Growth`][mentorkit.frameworks.Growth], in framework
        order.

    Raises:
        ValidationError: ``end`` is before ``start``, or an assessment does not fit.
    """
    if end < start:
        raise ValidationError(
            f"must not be before start {start.isoformat()}", field="end", value=end
        )
    assessments = tuple(assessments)
    before = current_levels(framework, assessments, person_id, as_of=start, rater=rater)
    after = current_levels(framework, assessments, person_id, as_of=end, rater=rater)
    rank = framework.scale.rank
    return {
        code: Growth(
            competency=code,
            before=before[code],
            after=after[code],
            steps=rank(after[code]) - rank(before[code]),
        )
        for code in after
        if code in before
    }


def rated_at_least(
    framework: CompetencyFramework,
    assessments: Iterable[Assessment],
    competency: str,
    level: str,
    *,
    as_of: dt.date | None = None,
    rater: Rater | None = None,
) -> set[str]:
    """The people whose current level on ``competency`` is ``level`` or higher.

    Useful to find mentors strong in a mentee's focus competency.

    Args:
        framework: The framework whose scale ranks the levels.
        assessments: Any assessments.
        competency: A competency code of the framework.
        level: A level code of the framework's scale.
        as_of: The day to look from; ``None`` for the latest of all.
        rater: Only count ratings by this kind of rater.

    Returns:
        The set of person ids.

    Raises:
        ValidationError: ``competency`` or ``level`` is not in the framework (naming which),
            or an assessment does not fit.
    """
    if competency not in framework:
        raise ValidationError(
            f"is not a competency of {framework.id!r}", field="competency", value=competency
        )
    floor = framework.scale.rank(level)
    latest = _latest(framework, assessments, person_id=None, as_of=as_of, rater=rater)
    return {
        person
        for (person, code), a in latest.items()
        if code == competency and framework.scale.rank(a.level) >= floor
    }
