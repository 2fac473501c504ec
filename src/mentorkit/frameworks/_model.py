"""Competency frameworks as data: a tree of competencies rated on an ordered proficiency scale."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.model import _checks as c
from mentorkit.model._checks import lenient as _lenient


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _texts = _lenient(_texts)


def _all_text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValidationError(
            "must be a list of non-empty strings", field=attribute.name, value=value
        )


@attrs.frozen(kw_only=True)
class Level:
    """One level of a proficiency scale.

    Attributes:
        code: The short, stable name assessments use (``"proficient"``).
        title: The human label (``"Proficient"``).
        description: What performance at this level looks like.
    """

    code: str = attrs.field(validator=c.identifier)
    title: str = attrs.field(validator=c.text)
    description: str = attrs.field(default="", validator=c.text, repr=False)


def _levels(value: Iterable[Level]) -> tuple[Level, ...]:
    return tuple(value)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _levels = _lenient(_levels)


@attrs.frozen(kw_only=True)
class ProficiencyScale:
    """An ordered set of levels, lowest first.

    Every framework carries one; replace it per framework (a three-point or a six-point scale
    works just as well as the default four-point one).

    Examples:
        >>> scale = ProficiencyScale.default()
        >>> scale.codes
        ('needs_improvement', 'developing', 'proficient', 'exemplary')
        >>> scale.rank("proficient") > scale.rank("developing")
        True
    """

    id: str = attrs.field(validator=c.identifier)
    title: str = attrs.field(validator=c.text)
    levels: tuple[Level, ...] = attrs.field(converter=_levels)
    _ranks: Mapping[str, int] = attrs.field(
        init=False, repr=False, eq=False, hash=False, alias="_ranks"
    )

    @levels.validator
    def _check_levels(self, attribute: attrs.Attribute[Any], value: tuple[Level, ...]) -> None:
        if not value:
            raise ValidationError("must have at least one level", field="levels", value=value)
        seen: set[str] = set()
        for level in value:
            if not isinstance(level, Level):
                raise ValidationError("must hold Level objects", field="levels", value=level)
            if level.code in seen:
                raise ValidationError("holds a level code twice", field="levels", value=level.code)
            seen.add(level.code)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_ranks", {lv.code: i for i, lv in enumerate(self.levels)})

    @classmethod
    def default(cls) -> ProficiencyScale:
        """The four-point scale: needs improvement < developing < proficient < exemplary."""
        return _DEFAULT_SCALE

    @property
    def codes(self) -> tuple[str, ...]:
        """The level codes, lowest first."""
        return tuple(lv.code for lv in self.levels)

    def __contains__(self, code: object) -> bool:
        return code in self._ranks

    def rank(self, code: str) -> int:
        """The position of a level on the scale, 0 for the lowest.

        Raises:
            ValidationError: ``code`` is not a level of this scale.
        """
        try:
            return self._ranks[code]
        except (KeyError, TypeError):
            raise ValidationError(
                f"is not a level of scale {self.id!r} (levels: {', '.join(self.codes)})",
                field="level",
                value=code,
            ) from None

    def level(self, code: str) -> Level:
        """The [`Level`][mentorkit.frameworks.Level] with this code.

        Raises:
            ValidationError: ``code`` is not a level of this scale.
        """
        return self.levels[self.rank(code)]


_DEFAULT_SCALE = ProficiencyScale(
    id="four-point",
    title="Four-point proficiency scale",
    levels=(
        Level(code="needs_improvement", title="Needs improvement"),
        Level(code="developing", title="Developing"),
        Level(code="proficient", title="Proficient"),
        Level(code="exemplary", title="Exemplary"),
    ),
)


def _competencies(value: Iterable[Competency]) -> tuple[Competency, ...]:
    return tuple(value)


if not TYPE_CHECKING:  # mypy's attrs plugin types __init__ from the plain function
    _competencies = _lenient(_competencies)


def _optional_uuid(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not (isinstance(value, str) and value and value.strip() == value):
        raise ValidationError(
            "must be None or a non-empty identifier", field=attribute.name, value=value
        )


def _optional_text(value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise ValidationError(
            "must be None or the package's JSON text", field="source", value=type(value).__name__
        )


@attrs.frozen(kw_only=True)
class Competency:
    """A competency of a framework, possibly with sub-competencies.

    Attributes:
        code: Unique within its framework; assessments and focus competencies name it.
        title: A short title (``"Relationship Building"``).
        description: What the competency means, in a sentence or two.
        indicators: Observable behaviours that show it.
        children: Sub-competencies, in order.
        uuid: The globally unique identifier of this competency where it came from (a CASE
            ``CFItem`` identifier), or ``None`` to let exports derive a stable one.
    """

    code: str = attrs.field(validator=c.identifier)
    title: str = attrs.field(validator=c.text)
    description: str = attrs.field(default="", validator=c.text, repr=False)
    indicators: tuple[str, ...] = attrs.field(
        default=(), converter=_texts, validator=_all_text, repr=False
    )
    children: tuple[Competency, ...] = attrs.field(default=(), converter=_competencies, repr=False)
    uuid: str | None = attrs.field(default=None, validator=_optional_uuid, repr=False)

    @children.validator
    def _check_children(self, _: attrs.Attribute[Any], value: tuple[Competency, ...]) -> None:
        for child in value:
            if not isinstance(child, Competency):
                raise ValidationError("must hold Competency objects", field="children", value=child)

    def walk(self) -> Iterator[Competency]:
        """This competency and all below it, depth first, in order."""
        yield self
        for child in self.children:
            yield from child.walk()


@attrs.frozen(kw_only=True)
class CompetencyFramework:
    """A named, versioned tree of competencies and the scale they are rated on.

    Frameworks are data: load one with [`load_framework`][mentorkit.frameworks.load_framework],
    build
    one in Python, or import a CASE package with
    [`mentorkit.frameworks.case.import_package`][mentorkit.frameworks.case.import_package].

    Attributes:
        id: The framework's name (``"manager-of-self"``), unique in the catalogue.
        title: Its human title.
        version: The publisher's version string.
        description: What it is for.
        competencies: The top-level competencies, in order.
        scale: The proficiency scale its competencies are rated on.
        uuid: The framework's globally unique identifier where it came from (a CASE
            ``CFDocument`` identifier), or ``None`` to let exports derive a stable one.
        source: The CASE CFPackage the framework was imported from, as JSON text, or
            ``None``. A re-export starts from it, so everything CASE holds and mentorkit
            does not model (other association types, ``CFDefinitions``, item types,
            languages, URIs, dates, creator) is written back as it came. Left out of
            equality and ``repr``.

    Examples:
        >>> fw = CompetencyFramework(
        ...     id="mini", title="Mini",
        ...     competencies=[Competency(code="listening", title="Listening")])
        >>> fw.get("listening").title
        'Listening'
        >>> fw.scale.codes[-1]
        'exemplary'
    """

    id: str = attrs.field(validator=c.identifier)
    title: str = attrs.field(validator=c.text)
    version: str = attrs.field(default="1", validator=c.text)
    description: str = attrs.field(default="", validator=c.text, repr=False)
    competencies: tuple[Competency, ...] = attrs.field(
        default=(), converter=_competencies, repr=False
    )
    scale: ProficiencyScale = attrs.field(
        default=_DEFAULT_SCALE, validator=attrs.validators.instance_of(ProficiencyScale), repr=False
    )
    uuid: str | None = attrs.field(default=None, validator=_optional_uuid, repr=False)
    source: str | None = attrs.field(
        default=None,
        validator=lambda _inst, _attr, value: _optional_text(value),
        repr=False,
        eq=False,
    )
    _index: Mapping[str, tuple[Competency, str | None]] = attrs.field(
        init=False, repr=False, eq=False, hash=False, alias="_index"
    )

    def __attrs_post_init__(self) -> None:
        index: dict[str, tuple[Competency, str | None]] = {}

        def visit(node: object, parent: str | None) -> None:
            if not isinstance(node, Competency):
                raise ValidationError(
                    "must hold Competency objects", field="competencies", value=node
                )
            if node.code in index:
                raise ValidationError(
                    "holds a competency code twice", field="competencies", value=node.code
                )
            index[node.code] = (node, parent)
            for child in node.children:
                visit(child, node.code)

        for top in self.competencies:
            visit(top, None)
        object.__setattr__(self, "_index", index)

    @property
    def codes(self) -> tuple[str, ...]:
        """Every competency code, depth first, in order."""
        return tuple(self._index)

    def __contains__(self, code: object) -> bool:
        return code in self._index

    def __len__(self) -> int:
        return len(self._index)

    def walk(self) -> Iterator[Competency]:
        """Every competency, depth first, in order."""
        for top in self.competencies:
            yield from top.walk()

    def get(self, code: str) -> Competency:
        """The competency with this code, at any depth.

        Raises:
            NotFoundError: no competency has this code.
        """
        try:
            return self._index[code][0]
        except (KeyError, TypeError):
            raise NotFoundError(f"framework {self.id!r} has no competency {code!r}") from None

    def parent_of(self, code: str) -> Competency | None:
        """The competency directly above ``code``, or ``None`` for a top-level one.

        Raises:
            NotFoundError: no competency has this code.
        """
        self.get(code)
        parent = self._index[code][1]
        return None if parent is None else self._index[parent][0]

    def leaves(self) -> tuple[Competency, ...]:
        """The competencies without sub-competencies, in order."""
        return tuple(comp for comp in self.walk() if not comp.children)
