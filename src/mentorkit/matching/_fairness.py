"""A fairness audit of a match: who got matched, and how well, by org unit and group."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from types import MappingProxyType

import attrs

from mentorkit.errors import ValidationError
from mentorkit.matching._result import MatchResult, UnmatchedReason
from mentorkit.measurement import Crosstab, DisclosurePolicy, Suppressed
from mentorkit.measurement._figures import linked_tables

UNKNOWN = "(unknown)"
#: The key of the org-unit table among the linked tables (never a demographic attribute).
_UNITS = "\x00org_unit"

#: A published figure, or the marker of a withheld one.
Figure = float | Suppressed


@attrs.frozen(kw_only=True)
class GroupFigures:
    """Match figures for one group of mentees.

    Attributes:
        group: The group's label (an org unit id, or a demographic value).
        mentees: How many mentees the group has (or withheld).
        matched: How many of them were matched (or withheld).
        match_rate: ``matched / mentees`` (or withheld).
        mean_score: The mean pair score of the matched ones (or withheld; ``nan`` when
            nobody was matched).
    """

    group: str
    mentees: int | Suppressed
    matched: int | Suppressed
    match_rate: Figure
    mean_score: Figure


@attrs.frozen(kw_only=True)
class FairnessReport:
    """Match rates and mean scores overall, by org unit, and by demographic group if asked.

    Attributes:
        overall: The whole cohort.
        by_org_unit: One row per org unit, under the same small-cell ``policy`` (a unit with
            few mentees identifies them as surely as a small demographic group does).
        by_demographic: Attribute -> one row per value, under the small-cell ``policy``.
        policy: The disclosure policy the demographic rows follow.
    """

    overall: GroupFigures
    by_org_unit: tuple[GroupFigures, ...]
    by_demographic: Mapping[str, tuple[GroupFigures, ...]]
    policy: DisclosurePolicy

    def to_text(self) -> str:
        """A plain-text report (``*`` marks a withheld figure), ready to paste."""
        lines = ["group                      mentees  matched   rate  mean score"]

        def row(label: str, g: GroupFigures) -> str:
            rate = _show(g.match_rate, "{:.0%}")
            mean = _show(g.mean_score, "{:.3g}")
            return f"{label[:26]:<26} {g.mentees!s:>8} {g.matched!s:>8} {rate!s:>6} {mean!s:>11}"

        lines.append(row("all mentees", self.overall))
        lines.append("by org unit")
        lines += [row("  " + g.group, g) for g in self.by_org_unit]
        for attribute, groups in self.by_demographic.items():
            lines.append(f"by {attribute} (groups under {self.policy.min_cell} withheld: *)")
            lines += [row("  " + g.group, g) for g in groups]
        return "\n".join(lines)


def _show(value: Figure, form: str) -> str:
    if isinstance(value, Suppressed):
        return str(value)
    return "-" if math.isnan(value) else form.format(value)


def _figures(group: str, scores: Sequence[float | None]) -> GroupFigures:
    matched = [s for s in scores if s is not None]
    return GroupFigures(
        group=group,
        mentees=len(scores),
        matched=len(matched),
        match_rate=len(matched) / len(scores) if scores else math.nan,
        mean_score=math.fsum(matched) / len(matched) if matched else math.nan,
    )


def _published(
    group: str,
    scores: Sequence[float | None],
    *,
    hide_mentees: bool,
    hide_matched: bool,
) -> GroupFigures:
    """`_figures`, with the counts a disclosure table withheld withheld here too.

    A rate or mean built on a withheld count is withheld with it; so is ``matched`` when
    ``mentees`` is (even a zero would describe every member).
    """
    figures = _figures(group, scores)
    hide_matched = hide_matched or hide_mentees
    if not (hide_mentees or hide_matched):
        return figures
    return GroupFigures(
        group=group,
        mentees=Suppressed() if hide_mentees else figures.mentees,
        matched=Suppressed(),
        match_rate=Suppressed(),
        mean_score=Suppressed(),
    )


def fairness_audit(
    result: MatchResult,
    org_units: Mapping[str, str | None],
    *,
    demographics: Mapping[str, Mapping[str, str] | None] | None = None,
    by: Iterable[str] = (),
    policy: DisclosurePolicy | None = None,
    include_excluded: bool = False,
) -> FairnessReport:
    """Audit a result: match rate and mean score overall, by org unit, by group if asked.

    Demographic rows are produced only for the attributes named in ``by``, and follow the
    small-cell rule: counts under ``policy.min_cell`` are withheld (with complementary
    suppression, see [`mentorkit.measurement.crosstab`][mentorkit.measurement.crosstab]), and so is
    every figure of a
    group whose size is withheld (even a zero matched would describe all its members), and
    every rate or mean built on a withheld or small count. The overall row and the org-unit
    rows add up to the same counts as the demographic tables, so a count those tables
    withhold (their grand total, or the total matched or unmatched) is withheld overall and
    for every org unit too, with the rates and means built on it: no withheld figure can be
    recovered by subtracting published rows.

    Args:
        result: The match to audit.
        org_units: Mentee id -> org unit id (e.g. ``{p.person_id: p.org_unit_id ...}``).
        demographics: Mentee id -> their demographic attributes (``Person.demographics``).
        by: The demographic attributes to report on (none unless asked).
        policy: The small-cell rule; defaults to ``DisclosurePolicy()`` (10).
        include_excluded: Count applicants excluded before matching (as unmatched).

    Returns:
        The report.

    Raises:
        ValidationError: ``by`` names attributes but no ``demographics`` were given.

    Examples:
        >>> from mentorkit.matching import MatchingProblem, match
        >>> p = MatchingProblem.from_matrix(["a", "b", "c"], ["x"], [[3], [2], [1]], 2)
        >>> units = {"a": "north", "b": "north", "c": "south"}
        >>> report = fairness_audit(match(p), units)
        >>> [(g.group, g.mentees, g.matched) for g in report.by_org_unit]
        [('north', Suppressed(), Suppressed()), ('south', Suppressed(), Suppressed())]
        >>> report = fairness_audit(match(p), units, policy=DisclosurePolicy(min_cell=1))
        >>> [(g.group, g.matched, g.match_rate) for g in report.by_org_unit]
        [('north', 2, 1.0), ('south', 0, 0.0)]
    """
    policy = policy or DisclosurePolicy()
    attributes = tuple(by)
    if attributes and demographics is None:
        raise ValidationError(
            "needs demographics= to report by demographic group", field="by", value=attributes
        )
    score: dict[str, float | None] = {p.mentee_id: p.score for p in result.pairs}
    for item in result.unmatched:
        if include_excluded or item.reason is not UnmatchedReason.EXCLUDED:
            score[item.mentee_id] = None
    demographic: dict[str, tuple[GroupFigures, ...]] = {}
    # The overall counts as the demographic tables publish them: a count any table withholds
    # is withheld overall too (else subtracting the published groups would recover it).
    # The tables of several attributes share these margins too, so what one withholds every
    # other must withhold: repeat until they agree (each round only withholds more).
    hide_mentees = hide_matched = False
    group_ofs: dict[str, dict[str, str]] = {}
    for attribute in attributes:
        assert demographics is not None  # checked above
        group_ofs[attribute] = {
            mentee: (demographics.get(mentee) or {}).get(attribute, UNKNOWN) for mentee in score
        }
    # The org units split the same mentees too: their table is linked like the others.
    unit_of = {mentee: org_units.get(mentee) or UNKNOWN for mentee in score}
    linked = {**group_ofs, _UNITS: unit_of}
    # One suppression over every table: they count the same mentees, so they share the
    # grand total and the matched / unmatched totals (see linked_tables).
    counts: dict[tuple[Hashable, Hashable], dict[tuple[Hashable, Hashable], int]] = {}
    for attribute, group_of in linked.items():
        table_counts = counts.setdefault((attribute, "matched"), {})
        for mentee, value in score.items():
            key = (group_of[mentee], value is not None)
            table_counts[key] = table_counts.get(key, 0) + 1
    suppressed = linked_tables(counts, rows=dict.fromkeys(linked, ()), policy=policy)
    tables: dict[str, Crosstab] = {str(a): t for (a, _), t in suppressed.items()}
    for table in tables.values():
        hide_mentees |= isinstance(table.total, Suppressed)
        hide_matched |= any(isinstance(table.col_totals[c], Suppressed) for c in table.cols)
    for attribute, table in tables.items():
        group_of = linked[attribute]
        groups = []
        for group in table.rows:
            total = table.row_totals[group]
            matched = table.cells.get((group, True), 0)
            values = [v for k, v in score.items() if group_of[k] == group]
            rate: Figure = Suppressed()
            mean: Figure = Suppressed()
            if isinstance(total, Suppressed):
                # Even a zero would tell something about everyone in a small group.
                matched = Suppressed()
            elif isinstance(matched, int):
                rate = matched / total if total else math.nan
                if matched == 0:
                    mean = math.nan
                elif not policy.is_small(matched):
                    mean = math.fsum(v for v in values if v is not None) / matched
            groups.append(
                GroupFigures(
                    group=str(group),
                    mentees=total,
                    matched=matched,
                    match_rate=rate,
                    mean_score=mean,
                )
            )
        demographic[attribute] = tuple(groups)
    by_unit = demographic.pop(_UNITS)
    overall = _published(
        "all mentees", list(score.values()), hide_mentees=hide_mentees, hide_matched=hide_matched
    )
    return FairnessReport(
        overall=overall,
        by_org_unit=by_unit,
        by_demographic=MappingProxyType(demographic),
        policy=policy,
    )
