"""The disclosure policy for every kind of figure: linked count tables, rates, means, sums.

Counts go through ``_from_counts`` (the crosstab's
primary and complementary suppression). Tables that count the same people by different
attributes share their row totals and grand total; ``linked_tables`` withholds a shared
margin in every table as soon as one withholds it. A rate, mean or median is published only
when every count it rests on is published and at least the minimum cell. Sums and chains
(totals of parts, running totals) are protected by ``protect``: more parts are withheld
until no withheld figure is a linear combination of published ones.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from fractions import Fraction

from mentorkit.measurement._disclosure import (
    SUPPRESSED,
    Count,
    Crosstab,
    DisclosurePolicy,
    Suppressed,
    _from_counts,
)

#: A published figure of any kind, or the marker of a withheld one.
Figure = int | float | Suppressed


def linked_tables(
    tables: Mapping[tuple[Hashable, Hashable], Mapping[tuple[Hashable, Hashable], int]],
    *,
    rows: Mapping[Hashable, Iterable[Hashable]],
    policy: DisclosurePolicy,
    given: Mapping[Hashable, Crosstab] | None = None,
) -> dict[tuple[Hashable, Hashable], Crosstab]:
    """Suppress count tables of the same people together.

    ``tables[partition, attribute]`` counts the same people by a row partition (cohorts,
    org units, a demographic attribute) and a column attribute (promoted or not). Tables
    of one partition share their row totals; tables of one attribute share their column
    totals; all share the grand total. A shared figure withheld by one table is withheld
    by every table that shows it, and their complementary suppression runs again, until
    they agree (each round only withholds more).

    Args:
        tables: ``(partition, attribute)`` -> counts per ``(row, col)``.
        rows: Each partition's row labels (rows without people are zeros).
        policy: The disclosure policy.
        given: Attribute -> a table of the same people another report publishes as it
            is: its withheld column totals and grand total are withheld here too, and its
            published ones are kept published (others are withheld to protect instead, as
            far as possible: see ``kept``).

    Returns:
        The suppressed tables, by the same keys.
    """
    labels = {p: tuple(r) for p, r in rows.items()}
    hidden_rows: dict[Hashable, set[Hashable]] = {p: set() for p, _ in tables}
    hidden_cols: dict[Hashable, set[Hashable]] = {a: set() for _, a in tables}
    hide_total = False
    keep_total, keep_cols = False, {a: set[Hashable]() for a in hidden_cols}
    for a, t in (given or {}).items():
        hide_total |= isinstance(t.total, Suppressed)
        keep_total |= not isinstance(t.total, Suppressed)
        if a in hidden_cols:
            hidden_cols[a] |= {c for c, v in t.col_totals.items() if isinstance(v, Suppressed)}
            keep_cols[a] |= {c for c, v in t.col_totals.items() if not isinstance(v, Suppressed)}
    while True:
        out = {
            (p, a): _from_counts(
                counts,
                policy=policy,
                rows=labels.get(p, ()),
                withhold_total=hide_total,
                withhold_rows=hidden_rows[p],
                withhold_cols=hidden_cols[a],
                keep_total=keep_total,
                keep_cols=keep_cols[a],
            )
            for (p, a), counts in tables.items()
        }
        before = (
            hide_total,
            sum(map(len, hidden_rows.values())),
            sum(map(len, hidden_cols.values())),
        )
        for (p, a), t in out.items():
            hide_total |= isinstance(t.total, Suppressed)
            hidden_rows[p] |= {r for r, v in t.row_totals.items() if isinstance(v, Suppressed)}
            hidden_cols[a] |= {c for c, v in t.col_totals.items() if isinstance(v, Suppressed)}
        after = (
            hide_total,
            sum(map(len, hidden_rows.values())),
            sum(map(len, hidden_cols.values())),
        )
        if after == before:
            return out


def kept(tables: Mapping[Hashable, Crosstab], given: Mapping[Hashable, Crosstab]) -> bool:
    """Whether ``tables`` (by attribute) publish every margin the ``given`` ones publish."""
    for a, t in tables.items():
        g = given[a]
        if isinstance(t.total, Suppressed) and not isinstance(g.total, Suppressed):
            return False
        for c, v in t.col_totals.items():
            if isinstance(v, Suppressed) and not isinstance(g.col_totals.get(c, 0), Suppressed):
                return False
    return True


def rate(part: Count, whole: Count, policy: DisclosurePolicy) -> float | Suppressed | None:
    """``part / whole`` when both are published and ``whole`` is not small; else withheld.

    ``None`` when ``whole`` is zero (no rate).
    """
    if isinstance(part, Suppressed) or isinstance(whole, Suppressed) or policy.is_small(whole):
        return SUPPRESSED
    if whole == 0:
        return None
    return part / whole


def mean(values: Sequence[float], shown: Count, policy: DisclosurePolicy) -> Figure | None:
    """The mean of ``values``, published when their count is and is not small."""
    if isinstance(shown, Suppressed) or policy.is_small(len(values)):
        return SUPPRESSED
    if not values:
        return None
    return sum(values) / len(values)


def median(values: Sequence[float], shown: Count, policy: DisclosurePolicy) -> Figure | None:
    """The median of ``values``, published when their count is and is not small."""
    if isinstance(shown, Suppressed) or policy.is_small(len(values)):
        return SUPPRESSED
    if not values:
        return None
    return float(statistics.median(values))


def count(n: int, policy: DisclosurePolicy) -> Count:
    """One count on its own: withheld when small."""
    return SUPPRESSED if policy.is_small(n) else n


def derivable(
    withheld: Iterable[Hashable],
    values: Mapping[Hashable, float],
    equations: Sequence[tuple[Hashable, Sequence[Hashable]]],
) -> list[Hashable]:
    """The withheld figures a reader can compute from the published ones.

    Each equation ``(total, parts)`` says ``values[total] == sum(values[p] for p in parts)``
    (``total`` may be ``None`` for a known zero). A withheld figure is derivable exactly when
    its indicator lies in the row space of the equations restricted to the withheld figures
    (exact rational elimination).
    """
    unknown = [k for k in dict.fromkeys(withheld) if k in values]
    if not unknown:
        return []
    index = {k: i for i, k in enumerate(unknown)}
    rows: list[list[Fraction]] = []
    for total, parts in equations:
        row = [Fraction(0)] * len(unknown)
        for p in parts:
            if p in index:
                row[index[p]] += 1
        if total is not None and total in index:
            row[index[total]] -= 1
        if any(row):
            rows.append(row)
    basis = _echelon(rows, len(unknown))
    found = []
    for k, i in index.items():
        probe = [Fraction(0)] * len(unknown)
        probe[i] = Fraction(1)
        if _in_span(basis, probe):
            found.append(k)
    return found


def _echelon(rows: list[list[Fraction]], width: int) -> list[tuple[int, list[Fraction]]]:
    """Reduced row echelon form: (pivot column, row) pairs."""
    basis: list[tuple[int, list[Fraction]]] = []
    for row in rows:
        row = _reduce(basis, row)
        pivot = next((j for j in range(width) if row[j]), None)
        if pivot is None:
            continue
        lead = row[pivot]
        row = [x / lead for x in row]
        basis = [(p, [a - b[pivot] * c for a, c in zip(b, row, strict=True)]) for p, b in basis]
        basis.append((pivot, row))
    return basis


def _reduce(basis: list[tuple[int, list[Fraction]]], row: list[Fraction]) -> list[Fraction]:
    row = list(row)
    for pivot, b in basis:
        if row[pivot]:
            factor = row[pivot]
            row = [a - factor * c for a, c in zip(row, b, strict=True)]
    return row


def _in_span(basis: list[tuple[int, list[Fraction]]], probe: list[Fraction]) -> bool:
    return not any(_reduce(basis, probe))


def protect(
    values: Mapping[Hashable, float],
    withheld: set[Hashable],
    equations: Sequence[tuple[Hashable, Sequence[Hashable]]],
    *,
    sizes: Mapping[Hashable, int] | None = None,
    min_cell: int = 1,
    fixed: Collection[Hashable] = (),
) -> set[Hashable]:
    """Withhold more figures until no withheld one can be derived from the published ones.

    While a withheld figure is derivable, the smallest published figure sharing an equation
    with a derivable one is withheld too.

    With ``sizes`` (how many people each figure rests on), also: where an equation's total
    is published, its withheld parts together follow from it (total less the published
    parts), so they must rest on no fewer than ``min_cell`` people (or none); if they do,
    the smallest published part (else the total) is withheld too.

    ``fixed`` figures (published elsewhere) are never withheld to protect another; when
    nothing else would do, the caller learns it from ``safe``.

    Returns:
        The grown ``withheld`` set (also changed in place).
    """
    while True:
        _protect_each(values, withheld, equations, fixed)
        if sizes is None:
            return withheld
        for total, parts in equations:
            if total is not None and total in withheld:
                continue
            together = sum(sizes.get(p, 0) for p in parts if p in withheld)
            if 0 < together < min_cell:
                spare = [
                    p
                    for p in parts
                    if p not in withheld and p in values and sizes.get(p) and p not in fixed
                ]
                if spare:
                    withheld.add(min(spare, key=lambda k: (sizes.get(k, 0), str(k))))
                elif total is not None and total not in fixed:
                    withheld.add(total)
                else:  # nothing more may be withheld: see safe()
                    continue
                break
        else:
            return withheld


def safe(
    values: Mapping[Hashable, float],
    withheld: set[Hashable],
    equations: Sequence[tuple[Hashable, Sequence[Hashable]]],
    sizes: Mapping[Hashable, int],
    min_cell: int,
) -> bool:
    """Whether nothing withheld follows from the published figures.

    Neither a withheld figure, nor the withheld parts of a published total together when
    they rest on 1 to ``min_cell - 1`` people.
    """
    if derivable(withheld, values, equations):
        return False
    for total, parts in equations:
        if total is not None and total in withheld:
            continue
        together = sum(sizes.get(p, 0) for p in parts if p in withheld)
        if 0 < together < min_cell:
            return False
    return True


def _protect_each(
    values: Mapping[Hashable, float],
    withheld: set[Hashable],
    equations: Sequence[tuple[Hashable, Sequence[Hashable]]],
    fixed: Collection[Hashable] = (),
) -> None:
    while True:
        found = derivable(withheld, values, equations)
        if not found:
            return
        pool: list[Hashable] = []
        for target in found:
            for total, parts in equations:
                members = [*parts, *([] if total is None else [total])]
                if target in members:
                    pool += [
                        p for p in members if p not in withheld and p in values and p not in fixed
                    ]
        if not pool:  # cannot happen for consistent equations; stop rather than loop
            return
        # A withheld zero protects little (figures here are never negative): zeros last.
        withheld.add(min(pool, key=lambda k: (values[k] == 0, abs(values[k]), str(k))))


def known_ids(ids: Iterable[str], limit: int = 20) -> str:
    """The ids a caller could have meant, for a not-found message: ``'a', 'b' (and 3 more)``."""
    shown = sorted(set(ids))
    if not shown:
        return "none stored"
    text = ", ".join(repr(i) for i in shown[:limit])
    return text + (f" (and {len(shown) - limit} more)" if len(shown) > limit else "")
