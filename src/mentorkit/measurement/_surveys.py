"""Surveys of school conditions: instruments, administrations, anonymous responses, results."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any, ClassVar

import attrs

from mentorkit._gc import collector_paused
from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.model import Entity, OrgUnit
from mentorkit.model import _checks as c
from mentorkit.serialization import register

if TYPE_CHECKING:
    from mentorkit.storage import Store

#: The columns a survey results CSV must have (others are ignored).
RESULT_COLUMNS = ("org_unit_id", "cycle", "condition", "score", "n")


def _tuple(value: Any) -> Any:
    # Lists become tuples; anything else is left for the validator to reject by name.
    return tuple(value) if isinstance(value, list | tuple) else value


def _number(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError("must be a finite number", field=attribute.name, value=value)


def _positive(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("must be a whole number >= 1", field=attribute.name, value=value)


@attrs.frozen(kw_only=True)
class SurveyItem:
    """One question of a survey, answered on the survey's scale."""

    id: str = attrs.field(validator=c.identifier)
    text: str = attrs.field(default="", validator=c.text)


def _items(value: Iterable[SurveyItem]) -> tuple[SurveyItem, ...]:
    converted: tuple[SurveyItem, ...] = _tuple(value)
    return converted


@attrs.frozen(kw_only=True)
class Condition:
    """A school condition a survey measures (e.g. transformative equity), by its items.

    A respondent's score on a condition is the mean of their answers to its items.
    """

    id: str = attrs.field(validator=c.identifier)
    title: str = attrs.field(validator=c.text)
    items: tuple[SurveyItem, ...] = attrs.field(
        default=(), converter=_items, validator=c.tuple_of(SurveyItem)
    )


def _conditions(value: Iterable[Condition]) -> tuple[Condition, ...]:
    converted: tuple[Condition, ...] = _tuple(value)
    return converted


@register(tag="survey")
@attrs.frozen(kw_only=True)
class Survey(Entity):
    """A survey instrument: the conditions it measures, their items, and the answer scale.

    Examples:
        >>> s = Survey(id="conditions", name="School conditions", conditions=[
        ...     Condition(id="equity", title="Transformative equity",
        ...               items=[SurveyItem(id="eq1", text="Adults here interrupt bias.")]),
        ...     Condition(id="trust", title="Relational trust"),
        ... ])
        >>> s.condition_ids, s.scale_min, s.scale_max
        (('equity', 'trust'), 1.0, 5.0)
    """

    collection: ClassVar[str] = "survey"

    name: str = attrs.field(validator=c.text)
    conditions: tuple[Condition, ...] = attrs.field(
        converter=_conditions, validator=c.tuple_of(Condition)
    )
    scale_min: float = attrs.field(default=1.0, validator=_number)
    scale_max: float = attrs.field(default=5.0, validator=_number)

    def __attrs_post_init__(self) -> None:
        if not self.conditions:
            raise ValidationError("must have at least one condition", field="conditions")
        seen: set[str] = set()
        for cond in self.conditions:
            if cond.id in seen:
                raise ValidationError(
                    "holds a condition id twice", field="conditions", value=cond.id
                )
            seen.add(cond.id)
        items = [i.id for cond in self.conditions for i in cond.items]
        if len(set(items)) != len(items):
            raise ValidationError("an item id appears twice", field="conditions")
        if not self.scale_min < self.scale_max:
            raise ValidationError(
                f"must be above scale_min {self.scale_min}", field="scale_max", value=self.scale_max
            )

    @property
    def condition_ids(self) -> tuple[str, ...]:
        """The condition ids, in order."""
        return tuple(cond.id for cond in self.conditions)

    def condition(self, condition_id: str) -> Condition:
        """The condition with this id.

        Raises:
            NotFoundError: the survey has no such condition.
        """
        for cond in self.conditions:
            if cond.id == condition_id:
                return cond
        raise NotFoundError(f"survey {self.id!r} has no condition {condition_id!r}")

    def check_score(self, score: float, *, field: str = "score") -> None:
        """Raise [ValidationError][mentorkit.errors.ValidationError] unless on the scale."""
        if not self.scale_min <= score <= self.scale_max:
            raise ValidationError(
                f"must be between {self.scale_min:g} and {self.scale_max:g}",
                field=field,
                value=score,
            )


@register(tag="survey_administration")
@attrs.frozen(kw_only=True)
class SurveyAdministration(Entity):
    """One round of a survey: which cycle, which org units, open when.

    ``cycle`` names the round (``"2022-23"``); cycles sort by name, so name them so that
    they sort in time.
    """

    collection: ClassVar[str] = "survey_administration"

    survey_id: str = attrs.field(validator=c.identifier)
    cycle: str = attrs.field(validator=c.identifier)
    org_unit_ids: tuple[str, ...] = attrs.field(
        default=(), converter=_tuple, validator=c.identifiers
    )
    opens: dt.date | None = attrs.field(default=None, validator=c.optional_date)
    closes: dt.date | None = attrs.field(default=None, validator=c.optional_date)

    def __attrs_post_init__(self) -> None:
        c.not_before(self.opens, self.closes, field="closes")


@attrs.frozen(kw_only=True)
class Answer:
    """One answer of a response: an item id and a value on the survey's scale."""

    item: str = attrs.field(validator=c.identifier)
    value: float = attrs.field(validator=_number)


def _answers(value: Iterable[Answer]) -> tuple[Answer, ...]:
    converted: tuple[Answer, ...] = _tuple(value)
    return converted


@register(tag="survey_response")
@attrs.frozen(kw_only=True)
class SurveyResponse(Entity):
    """One anonymous response: answers, the org unit and cycle, and no person id, by design.

    Nothing in a response names who gave it, so nothing stored can tie answers to a person;
    reports only ever show aggregates of at least the policy's minimum cell.
    """

    collection: ClassVar[str] = "survey_response"

    survey_id: str = attrs.field(validator=c.identifier)
    cycle: str = attrs.field(validator=c.identifier)
    org_unit_id: str = attrs.field(validator=c.identifier)
    answers: tuple[Answer, ...] = attrs.field(
        converter=_answers, validator=c.tuple_of(Answer), repr=False
    )
    administration_id: str | None = attrs.field(default=None, validator=c.optional_identifier)


@register(tag="survey_result")
@attrs.frozen(kw_only=True)
class SurveyResult(Entity):
    """An aggregate: the mean score of ``n`` respondents on one condition, unit and cycle.

    Imported from a survey provider's file
    ([read_results_csv][mentorkit.measurement.read_results_csv]) or computed from responses
    ([aggregate_responses][mentorkit.measurement.aggregate_responses]).

    Examples:
        >>> r = SurveyResult(id="r-1", survey_id="conditions", org_unit_id="net-7",
        ...                  cycle="2022-23", condition="equity", score=2.9, n=41)
        >>> r.score, r.n
        (2.9, 41)
    """

    collection: ClassVar[str] = "survey_result"

    survey_id: str = attrs.field(validator=c.identifier)
    org_unit_id: str = attrs.field(validator=c.identifier)
    cycle: str = attrs.field(validator=c.identifier)
    condition: str = attrs.field(validator=c.identifier)
    score: float = attrs.field(validator=_number)
    n: int = attrs.field(validator=_positive)


def result_id(survey_id: str, org_unit_id: str, cycle: str, condition: str) -> str:
    """The id ``aggregate_responses`` and the CSV import give a result (one per key)."""
    return f"{survey_id}/{cycle}/{org_unit_id}/{condition}"


@collector_paused
def aggregate_responses(responses: Iterable[SurveyResponse], survey: Survey) -> list[SurveyResult]:
    """Turn anonymous responses into results: per org unit, cycle and condition.

    A respondent's score on a condition is the mean of their answers to its items; the
    result is the mean over the respondents who answered at least one of them, and ``n``
    their number. Responses to other surveys are skipped.

    Raises:
        ValidationError: an answer names an item the survey does not have, or is off the
            scale (naming the response).

    Examples:
        >>> s = Survey(id="s", name="Conditions", conditions=[
        ...     Condition(id="equity", title="Equity", items=[SurveyItem(id="q1")])])
        >>> rs = [SurveyResponse(id=f"x{i}", survey_id="s", cycle="2023", org_unit_id="u",
        ...                      answers=[Answer(item="q1", value=v)])
        ...       for i, v in enumerate([2, 3, 4])]
        >>> [(r.condition, r.score, r.n) for r in aggregate_responses(rs, s)]
        [('equity', 3.0, 3)]
    """
    condition_of = {i.id: cond.id for cond in survey.conditions for i in cond.items}
    sums: dict[tuple[str, str, str], list[float]] = {}
    for response in responses:
        if response.survey_id != survey.id:
            continue
        mine: dict[str, list[float]] = {}
        for k, answer in enumerate(response.answers):
            cond = condition_of.get(answer.item)
            if cond is None:
                raise ValidationError(
                    f"response {response.id!r}: not an item of survey {survey.id!r}",
                    field=f"answers[{k}].item",
                    value=answer.item,
                )
            survey.check_score(answer.value, field=f"answers[{k}].value")
            mine.setdefault(cond, []).append(answer.value)
        for cond, values in mine.items():
            key = (response.org_unit_id, response.cycle, cond)
            sums.setdefault(key, []).append(sum(values) / len(values))
    return [
        SurveyResult(
            id=result_id(survey.id, unit, cycle, cond),
            survey_id=survey.id,
            org_unit_id=unit,
            cycle=cycle,
            condition=cond,
            score=sum(scores) / len(scores),
            n=len(scores),
        )
        for (unit, cycle, cond), scores in sorted(sums.items())
    ]


def _text_of(source: str | os.PathLike[str] | IO[str]) -> str:
    if not isinstance(source, str | os.PathLike):
        return str(source.read())
    path = os.fspath(source)
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            return f.read()
    except OSError as exc:
        raise ValidationError(
            f"cannot read the file: {exc.strerror}", field="source", value=path
        ) from None
    except UnicodeDecodeError:
        raise ValidationError("is not UTF-8 text", field="source", value=path) from None


def _records(text: str) -> Iterator[tuple[int, list[str] | None]]:
    """The CSV records of ``text``, each with the line it starts on; ``None`` when malformed.

    Blank lines are skipped (and still counted, so row numbers are the file's line numbers).
    """
    reader = csv.reader(io.StringIO(text))
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:  # e.g. a field beyond the csv module's size limit
            yield start, None
            return
        if cells:
            yield start, cells


def _shown(value: object, limit: int = 60) -> str:
    """A value for an error message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def read_results_csv(
    source: str | os.PathLike[str] | IO[str],
    *,
    survey: Survey,
    org_unit_ids: Collection[str],
) -> list[SurveyResult]:
    r"""Read survey results (aggregates) from a CSV file, checking every row.

    The file has a header with the columns ``org_unit_id, cycle, condition, score, n``
    (others are ignored). Every bad row is reported, each with its row number (the line of
    the file it starts on: the header is row 1; blank lines are skipped but counted), column
    and value: a missing column, a score that is not a number or is off the survey's scale,
    an ``n`` that is not a whole number >= 1, an unknown org unit or condition, a repeated
    key. A header naming a column twice, or text that is not CSV, is refused too.

    Args:
        source: A path, or an open text file.
        survey: The survey the results are of.
        org_unit_ids: The org units results may name.

    Returns:
        The results; each id is made of the survey, org unit, cycle and condition, so
        importing a corrected file replaces the results it repeats.

    Raises:
        ValidationError: listing one line per problem in ``errors`` (the message counts the
            bad rows); a header without the columns (with a hint when the file separates
            columns with ``;``); a file with a header but no rows. Nothing is returned.

    Examples:
        >>> import io
        >>> s = Survey(id="s", name="Conditions",
        ...            conditions=[Condition(id="equity", title="Equity")])
        >>> text = "org_unit_id,cycle,condition,score,n\nnet-7,2023,equity,2.9,41\n"
        >>> [r.score for r in read_results_csv(io.StringIO(text), survey=s,
        ...                                    org_unit_ids={"net-7"})]
        [2.9]
        >>> bad = "org_unit_id,cycle,condition,score,n\nnet-9,2023,equity,high,41\n"
        >>> try:
        ...     read_results_csv(io.StringIO(bad), survey=s, org_unit_ids={"net-7"})
        ... except ValidationError as err:
        ...     print("\n".join(err.errors))
        row 2, column org_unit_id: not a known org unit (got 'net-9')
        row 2, column score: not a number (got 'high')
    """
    text = _text_of(source).removeprefix("\ufeff")  # a byte-order mark from a stream
    lines = _records(text)
    # Column names match whatever their case ("Score", "N"), and spaces around them.
    header = [cell.strip().lower() for cell in next(lines, (1, []))[1] or ()]
    missing = [col for col in RESULT_COLUMNS if col not in header]
    if missing:
        hint = ""
        for sep in (";", "\t", "|"):
            if len(header) == 1 and sep in header[0]:
                hint = f"; the file seems to separate columns with {sep!r}: save it with commas"
        raise ValidationError(
            f"the header lacks the column(s) {', '.join(missing)} "
            f"(needs {', '.join(RESULT_COLUMNS)}){hint}",
            field="row 1",
            value=",".join(header)[:200],
        )
    twice = sorted({col for col in header if col and header.count(col) > 1})
    if twice:
        raise ValidationError(
            f"the header names the column(s) {', '.join(twice)} more than once",
            field="row 1",
            value=",".join(header)[:200],
        )
    units = set(org_unit_ids)
    conditions = set(survey.condition_ids)
    errors: list[str] = []
    out: list[SurveyResult] = []
    seen: dict[str, int] = {}

    bad_rows: set[int] = set()
    needed = max(header.index(col) for col in RESULT_COLUMNS) + 1

    def bad(row: int, column: str, message: str, value: object) -> None:
        bad_rows.add(row)
        errors.append(f"row {row}, column {column}: {message} (got {_shown(value)})")

    for number, cells in lines:
        if cells is None:
            bad_rows.add(number)
            errors.append(f"row {number}: not valid CSV (a field too long, or broken quoting)")
            break  # the parser cannot go on past it
        if len(cells) > len(header):  # more cells than header columns
            bad(number, "(extra)", "more cells than the header has columns", cells[len(header) :])
            continue
        if len(cells) < needed:  # a short row: say so, not "score: not a number (got '')"
            bad_rows.add(number)
            errors.append(
                f"row {number}: has {len(cells)} cell(s), the header has {len(header)} "
                "columns (a missing separator, or a line broken in two?)"
            )
            continue
        record = dict(zip(header, cells, strict=False))
        fields = {col: (record.get(col) or "").strip() for col in RESULT_COLUMNS}
        before = len(errors)
        for col in ("org_unit_id", "cycle", "condition"):
            if not fields[col]:
                bad(number, col, "is empty", fields[col])
        if fields["org_unit_id"] and fields["org_unit_id"] not in units:
            bad(number, "org_unit_id", "not a known org unit", fields["org_unit_id"])
        if fields["condition"] and fields["condition"] not in conditions:
            bad(
                number, "condition", f"not a condition of survey {survey.id!r}", fields["condition"]
            )
        score = math.nan
        try:
            score = float(fields["score"])
        except ValueError:
            bad(number, "score", "not a number", fields["score"])
        else:
            if not math.isfinite(score) or not survey.scale_min <= score <= survey.scale_max:
                bad(
                    number,
                    "score",
                    f"must be between {survey.scale_min:g} and {survey.scale_max:g}",
                    fields["score"],
                )
        n = 0
        try:
            n = int(fields["n"])
        except ValueError:
            bad(number, "n", "not a whole number", fields["n"])
        else:
            if n < 1:
                bad(number, "n", "must be >= 1", fields["n"])
        if len(errors) > before:
            continue
        rid = result_id(survey.id, fields["org_unit_id"], fields["cycle"], fields["condition"])
        if rid in seen:
            bad(
                number,
                "condition",
                f"repeats the org unit, cycle and condition of row {seen[rid]}",
                fields["condition"],
            )
            continue
        seen[rid] = number
        out.append(
            SurveyResult(
                id=rid,
                survey_id=survey.id,
                org_unit_id=fields["org_unit_id"],
                cycle=fields["cycle"],
                condition=fields["condition"],
                score=score,
                n=n,
            )
        )
    if errors:
        problems = "" if len(errors) == len(bad_rows) else f" ({len(errors)} problems)"
        raise ValidationError(
            f"{len(bad_rows)} bad row(s){problems} in the survey results file; nothing "
            "was imported",
            errors=errors,
        )
    if not out:
        raise ValidationError(
            "the survey results file has a header but no rows; nothing was imported",
            field="source",
        )
    return out


def import_results_csv(
    store: Store,
    source: str | os.PathLike[str] | IO[str],
    *,
    survey_id: str,
) -> list[SurveyResult]:
    """Read a survey results CSV and store it, all or nothing.

    The file is read as [read_results_csv][mentorkit.measurement.read_results_csv] reads it.

    The survey and the org units are read from the store. A result already stored for the
    same survey, cycle, org unit and condition is replaced (so a corrected file can be
    imported again). If any row is bad, or the write fails, nothing is stored.

    Args:
        store: A [Store][mentorkit.storage.Store].
        source: A path, or an open text file.
        survey_id: The id of a stored [Survey][mentorkit.measurement.Survey].

    Returns:
        The stored results.

    Raises:
        NotFoundError: no survey with that id.
        ValidationError: the file's bad rows, one line each in ``errors``.
    """
    survey = store.get(Survey, survey_id)
    units = {u.id for u in store.all(OrgUnit)}
    results = read_results_csv(source, survey=survey, org_unit_ids=units)
    stored: Mapping[str, SurveyResult] = {
        r.id: r for r in store.find(SurveyResult, survey_id=survey_id)
    }
    fresh = [
        attrs.evolve(r, version=stored[r.id].version) if r.id in stored else r for r in results
    ]
    with store.transaction():
        written: list[SurveyResult] = store.put_many(fresh)
    return written
