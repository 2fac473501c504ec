"""Assessments: a person's rating on one competency of a framework, at a date, by a rater."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar

import attrs

from mentorkit.errors import ValidationError
from mentorkit.frameworks._model import CompetencyFramework
from mentorkit.model import Entity
from mentorkit.model import _checks as c


class Rater(StrEnum):
    """Who gave a rating."""

    SELF = "self"
    MENTOR = "mentor"
    COACH = "coach"
    SUPERVISOR = "supervisor"


@attrs.frozen(kw_only=True)
class Assessment(Entity):
    """A person's level on one competency of a framework, on a date, as seen by a rater.

    ``rater`` defaults to `Rater.SELF`; name the rater kind (and ``rater_id``) for a
    rating by someone else. ``competency`` is a competency code and ``level`` a level code
    of the framework's scale; [`check`][mentorkit.frameworks.Assessment.check] confirms both against the framework (the query
    helpers do so for every assessment they read). ``note`` is kept out of ``repr``.

    Examples:
        >>> import datetime as dt
        >>> Assessment(id="a-1", person_id="p-1", framework_id="manager-of-self",
        ...            competency="communication", level="developing",
        ...            date=dt.date(2024, 9, 15), rater=Rater.SELF)
        Assessment(id='a-1', person_id='p-1', framework_id='manager-of-self', competency='communication', level='developing', date=datetime.date(2024, 9, 15), rater=<Rater.SELF: 'self'>, rater_id=None)
    """  # noqa: E501

    collection: ClassVar[str] = "assessment"

    person_id: str = attrs.field(validator=c.identifier)
    framework_id: str = attrs.field(validator=c.identifier)
    competency: str = attrs.field(validator=c.identifier)
    level: str = attrs.field(validator=c.identifier)
    date: dt.date = attrs.field(validator=c.is_date)
    rater: Rater = attrs.field(default=Rater.SELF, validator=c.member_of(Rater))
    rater_id: str | None = attrs.field(default=None, validator=c.optional_identifier)
    note: str = attrs.field(default="", validator=c.text, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.rater is Rater.SELF and self.rater_id not in (None, self.person_id):
            raise ValidationError(
                "must be the person_id (or None) for a self-assessment",
                field="rater_id",
                value=self.rater_id,
            )
        if self.rater is not Rater.SELF and self.rater_id == self.person_id:
            raise ValidationError(
                f"must differ from person_id for a {self.rater.value} rating",
                field="rater_id",
                value=self.rater_id,
            )

    def check(self, framework: CompetencyFramework) -> Assessment:
        """Confirm the assessment fits ``framework``; return it unchanged.

        Raises:
            ValidationError: the framework id, competency code or level code does not fit,
                naming the field and the value.
        """
        if self.framework_id != framework.id:
            raise ValidationError(
                f"names another framework than {framework.id!r}",
                field="framework_id",
                value=self.framework_id,
            )
        if self.competency not in framework:
            raise ValidationError(
                f"is not a competency of {framework.id!r}",
                field="competency",
                value=self.competency,
            )
        framework.scale.rank(self.level)
        return self
