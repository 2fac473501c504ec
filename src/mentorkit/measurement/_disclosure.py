"""Small-cell suppression for shareable counts: primary and complementary suppression."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

from mentorkit.errors import ValidationError


@attrs.frozen
class Suppressed:
    """The marker standing in for a withheld count (printed as ``*``).

    Every suppressed figure looks the same: whether it was small or withheld to protect a
    small one is not disclosed.
    """

    def __str__(self) -> str:
        return "*"


#: The [Suppressed][mentorkit.measurement.Suppressed] instance tables use (all instances are equal).
SUPPRESSED: Final = Suppressed()

#: A published count, or the marker.
Count = int | Suppressed


def _min_cell(_inst: object, _attr: object, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("must be a whole number >= 1", field="min_cell", value=value)


def _flag(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError("must be True or False", field=attribute.name, value=value)


@attrs.frozen(kw_only=True)
class DisclosurePolicy:
    """When counts about people may be shared.

    Attributes:
        min_cell: Counts from 1 to ``min_cell - 1`` are withheld (primary suppression).
            Zero is shown: it describes nobody.
        complementary: Also withhold other counts (few, small, never zeros) so that no
            withheld count can be worked out by subtraction from the published ones and the
            totals, and no small withheld count is pinned to one value by them together with
            non-negativity (see [crosstab][mentorkit.measurement.crosstab]).

    Examples:
        >>> DisclosurePolicy().min_cell
        10
    """

    min_cell: int = attrs.field(default=10, validator=_min_cell)
    complementary: bool = attrs.field(default=True, validator=_flag)

    def is_small(self, count: int) -> bool:
        """Whether ``count`` must be withheld on its own."""
        return 0 < count < self.min_cell


Key = Callable[[Any], Hashable] | str


def _reader(key: Key, field: str) -> Callable[[Any], Hashable]:
    if callable(key):
        return key
    if not isinstance(key, str):
        raise ValidationError("must be a field name or a function", field=field, value=key)

    def read(record: Any) -> Hashable:
        if isinstance(record, Mapping):
            if key not in record:
                raise ValidationError(f"a record has no {key!r}", field=field, value=key)
            value: Hashable = record[key]
            return value
        try:
            value = getattr(record, key)
        except AttributeError:
            raise ValidationError(f"a record has no {key!r}", field=field, value=key) from None
        return value

    return read


def _hashable(label: Any, field: str) -> Hashable:
    try:
        hash(label)
    except TypeError:
        raise ValidationError(
            f"gives an unhashable label ({type(label).__name__}); a label must be hashable, "
            "e.g. a str, number or tuple",
            field=field,
            value=type(label).__name__,
        ) from None
    result: Hashable = label
    return result


def _order(values: Iterable[Hashable]) -> tuple[Hashable, ...]:
    unique = list(dict.fromkeys(values))
    try:
        return tuple(sorted(unique))  # type: ignore[type-var]
    except TypeError:  # mixed types: keep first-seen order
        return tuple(unique)


@attrs.frozen(kw_only=True)
class Crosstab:
    """Counts by row and column label, with totals, some withheld under a policy.

    Attributes:
        rows: Row labels, sorted.
        cols: Column labels, sorted.
        cells: ``(row, col)`` -> count or a [Suppressed][mentorkit.measurement.Suppressed]
            marker (every pair present).
        row_totals: Row label -> count or a [Suppressed][mentorkit.measurement.Suppressed] marker.
        col_totals: Column label -> count or a
            [Suppressed][mentorkit.measurement.Suppressed] marker.
        total: The grand total, or a [Suppressed][mentorkit.measurement.Suppressed] marker.
        policy: The policy applied.
    """

    rows: tuple[Hashable, ...]
    cols: tuple[Hashable, ...]
    cells: Mapping[tuple[Hashable, Hashable], Count]
    row_totals: Mapping[Hashable, Count]
    col_totals: Mapping[Hashable, Count]
    total: Count
    policy: DisclosurePolicy

    def to_text(self) -> str:
        """A plain-text table (``*`` marks a withheld count), ready to paste."""
        head = ["", *map(str, self.cols), "total"]
        body = [
            [str(r), *(str(self.cells[r, c]) for c in self.cols), str(self.row_totals[r])]
            for r in self.rows
        ]
        body.append(["total", *(str(self.col_totals[c]) for c in self.cols), str(self.total)])
        table = [head, *body]
        widths = [max(len(line[k]) for line in table) for k in range(len(head))]
        return "\n".join(
            "  ".join(
                cell.rjust(w) if k else cell.ljust(w)
                for k, (cell, w) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
            for line in table
        )


def crosstab(
    records: Iterable[Any],
    *,
    row: Key,
    col: Key,
    policy: DisclosurePolicy | None = None,
) -> Crosstab:
    """Count records by two keys and withhold what would identify small groups.

    Primary suppression withholds every count from 1 to ``min_cell - 1`` (cells and totals).
    Complementary suppression then withholds further counts, small ones first and never a
    zero (a withheld zero protects nothing: counts cannot be negative), until

    - no withheld count can be derived by adding and subtracting published ones: viewing
      cells and totals as a circulation (row hub -> row -> column -> column hub -> row hub),
      a withheld count is derivable exactly when it is a bridge among the withheld ones, so
      withholding goes on until no bridge is left; and
    - no small withheld count is pinned to a single value by the published figures and
      the fact that counts are non-negative: its exact feasible range (the least and
      greatest value consistent with everything published, computed as min-cost flows)
      is checked, and more is withheld while any range is a single value.

    What is promised is exactly that: every withheld small count could take at least two
    values. The published figures may still bound it (e.g. "at most 11").

    Args:
        records: Mappings or objects.
        row: The row key: a field name or a function of a record.
        col: The column key: a field name or a function of a record.
        policy: Defaults to ``DisclosurePolicy()`` (``min_cell=10``, complementary).

    Returns:
        The table.

    Raises:
        ValidationError: A record without the named field, a bad key, or a key giving an
            unhashable label (a list, dict, ...).

    Examples:
        >>> people = ([{"unit": "north", "promoted": True}] * 12
        ...           + [{"unit": "north", "promoted": False}] * 14
        ...           + [{"unit": "south", "promoted": True}] * 3
        ...           + [{"unit": "south", "promoted": False}] * 20)
        >>> t = crosstab(people, row="unit", col="promoted")
        >>> t.cells["south", True], t.row_totals["south"], t.cells["north", True]
        (Suppressed(), 23, Suppressed())
        >>> print(t.to_text())
               False  True  total
        north      *     *     26
        south      *     *     23
        total     34    15     49
    """
    return _crosstab(records, row=row, col=col, policy=policy)


def _crosstab(
    records: Iterable[Any],
    *,
    row: Key,
    col: Key,
    policy: DisclosurePolicy | None,
    withhold_total: bool = False,
    withhold_cols: Iterable[Hashable] = (),
) -> Crosstab:
    """``crosstab``, also withholding the given margins from the start.

    For tables linked by shared margins (the same people counted by different attributes):
    a margin one table withholds must be withheld by the others too.
    """
    read_row, read_col = _reader(row, "row"), _reader(col, "col")
    counts: dict[tuple[Hashable, Hashable], int] = {}
    for record in records:
        key = (_hashable(read_row(record), "row"), _hashable(read_col(record), "col"))
        counts[key] = counts.get(key, 0) + 1
    return _from_counts(
        counts, policy=policy, withhold_total=withhold_total, withhold_cols=withhold_cols
    )


def _from_counts(
    counts: Mapping[tuple[Hashable, Hashable], int],
    *,
    policy: DisclosurePolicy | None,
    rows: Iterable[Hashable] = (),
    cols: Iterable[Hashable] = (),
    withhold_total: bool = False,
    withhold_cols: Iterable[Hashable] = (),
    withhold_rows: Iterable[Hashable] = (),
    keep_total: bool = False,
    keep_cols: Iterable[Hashable] = (),
    withhold_cells: Iterable[tuple[Hashable, Hashable]] = (),
) -> Crosstab:
    """The table of known counts per ``(row, col)``: the one suppression every report uses.

    ``withhold_cells`` names cells withheld from the start whatever their count (a zero
    too: a report that hides a withheld group's figures hides even its zeros), protected
    like any other.

    ``rows`` and ``cols`` add labels that have no count (their cells are zeros).
    ``keep_total`` and ``keep_cols`` name margins another table publishes: complementary
    suppression protects with other figures instead (as far as it can; a kept margin
    withheld all the same shows as withheld, and the caller must check).
    """
    policy = policy or DisclosurePolicy()
    rows = _order([*rows, *(r for r, _ in counts)])
    cols = _order([*cols, *(c for _, c in counts)])
    cell = {(r, c): counts.get((r, c), 0) for r in rows for c in cols}
    row_total = {r: sum(cell[r, c] for c in cols) for r in rows}
    col_total = {c: sum(cell[r, c] for r in rows) for c in cols}
    grand = sum(row_total.values())

    # Edges of the circulation, each with its true count.
    value: dict[tuple[Hashable, Hashable], int] = {}
    for (r, c), n in cell.items():
        value[("row", r), ("col", c)] = n
    for r, n in row_total.items():
        value[("rows",), ("row", r)] = n
    for c, n in col_total.items():
        value[("col", c), ("cols",)] = n
    value[("cols",), ("rows",)] = grand
    withheld = {edge for edge, n in value.items() if policy.is_small(n)}
    if withhold_total:
        withheld.add((("cols",), ("rows",)))
    withheld |= {(("col", c), ("cols",)) for c in withhold_cols if c in col_total}
    withheld |= {(("rows",), ("row", r)) for r in withhold_rows if r in row_total}
    withheld |= {(("row", r), ("col", c)) for r, c in withhold_cells if (r, c) in cell}
    fixed: set[tuple[Hashable, Hashable]] = {
        (("col", c), ("cols",)) for c in keep_cols if c in col_total
    }
    if keep_total:
        fixed.add((("cols",), ("rows",)))
    if policy.complementary:
        _complete(value, withheld, policy.min_cell, fixed - withheld)

    def shown(edge: tuple[Hashable, Hashable]) -> Count:
        return SUPPRESSED if edge in withheld else value[edge]

    return Crosstab(
        rows=rows,
        cols=cols,
        cells=MappingProxyType({(r, c): shown((("row", r), ("col", c))) for r, c in cell}),
        row_totals=MappingProxyType({r: shown((("rows",), ("row", r))) for r in rows}),
        col_totals=MappingProxyType({c: shown((("col", c), ("cols",))) for c in cols}),
        total=shown((("cols",), ("rows",))),
        policy=policy,
    )


def _complete(
    value: Mapping[tuple[Hashable, Hashable], int],
    withheld: set[tuple[Hashable, Hashable]],
    min_cell: int,
    fixed: set[tuple[Hashable, Hashable]] = frozenset(),  # type: ignore[assignment]
) -> None:
    """Withhold more edges until no small withheld count is pinned to one value.

    First, as long as a withheld edge is a bridge among the withheld (then the published
    figures determine it by subtraction), close it into a cycle along the cheapest path
    between its ends, where a withheld edge costs nothing, a published one its count plus
    one, and a zero never serves (a withheld zero is no protection: counts cannot be
    negative, so a total equal to its published part forces its withheld cells to 0).

    Then, because counts are non-negative, a withheld count may still be pinned (its
    feasible range given the published figures is one value): for each small withheld
    count the exact range is computed as two min-cost flows, and while one is pinned the
    smallest published positive count next to it is withheld too, and the loop repeats.
    """
    if not withheld:  # nothing small: nothing to protect
        return
    import networkx as nx  # lazily: networkx costs a third of a second to import

    full: nx.Graph[Any] = nx.Graph()
    for edge, n in value.items():
        full.add_edge(*edge, count=n)
    small = [edge for edge in value if 0 < value[edge] < min_cell]
    while True:
        _close_bridges(nx, full, value, withheld, fixed)
        pinned = next((e for e in small if e in withheld and _pinned(nx, value, withheld, e)), None)
        if pinned is None:
            return
        _widen(value, withheld, pinned, fixed)


def _close_bridges(
    nx: Any,
    full: Any,
    value: Mapping[tuple[Hashable, Hashable], int],
    withheld: set[tuple[Hashable, Hashable]],
    fixed: set[tuple[Hashable, Hashable]],
) -> None:
    while True:
        held = nx.Graph()
        held.add_edges_from(withheld)
        bridge = next(iter(nx.bridges(held)), None)
        if bridge is None:
            return
        u, v = bridge
        for a, b in full.edges:
            key = _key(a, b, value)
            n = full[a][b]["count"]
            full[a][b]["cost"] = 0 if key in withheld else n + 1
            full[a][b]["nonzero"] = 0 if key in withheld else (n + 1 if n else None)
            full[a][b]["fixed"] = key in fixed
        full.remove_edge(u, v)
        try:
            path = None
            # Never through a figure another table publishes; zeros only when nothing else
            # closes it; a kept figure only as the last resort (the caller then checks).
            for weight in (
                lambda a, b, d: None if d["fixed"] else d["nonzero"],
                lambda a, b, d: None if d["fixed"] else d["cost"],
                lambda a, b, d: d["cost"],
            ):
                try:
                    path = nx.dijkstra_path(full, u, v, weight=weight)
                    break
                except nx.NetworkXNoPath:
                    continue
            assert path is not None  # the circulation graph is 2-edge-connected
        finally:
            full.add_edge(u, v, count=value[_key(u, v, value)])
        for a, b in itertools.pairwise(path):
            withheld.add(_key(a, b, value))


def _feasible_range(
    nx: Any,
    value: Mapping[tuple[Hashable, Hashable], int],
    withheld: set[tuple[Hashable, Hashable]],
    edge: tuple[Hashable, Hashable],
) -> tuple[int, float]:
    """The least and greatest value a withheld edge can take given everything published.

    The edges form a circulation (every count flows row hub -> row -> column -> column
    hub -> row hub), so the withheld counts are exactly the non-negative flows on the
    withheld edges that balance the published ones at every node: a min-cost flow problem,
    integral and exact (network simplex on integers). ``inf`` when unbounded above.
    """
    graph = nx.DiGraph()
    demand: dict[Hashable, int] = {}
    for (a, b), n in value.items():
        if (a, b) in withheld:
            graph.add_edge(a, b, weight=0)
        else:  # published: flows out of a and into b are known
            demand[a] = demand.get(a, 0) + n
            demand[b] = demand.get(b, 0) - n
    for node in graph.nodes:
        graph.nodes[node]["demand"] = demand.get(node, 0)
    bounds: list[float] = []
    for sign in (1, -1):
        graph.edges[edge]["weight"] = sign
        try:
            cost, _ = nx.network_simplex(graph)
        except nx.NetworkXUnbounded:
            bounds.append(math.inf)
            continue
        bounds.append(sign * cost)
    graph.edges[edge]["weight"] = 0
    return int(bounds[0]), bounds[1]


def _pinned(
    nx: Any,
    value: Mapping[tuple[Hashable, Hashable], int],
    withheld: set[tuple[Hashable, Hashable]],
    edge: tuple[Hashable, Hashable],
) -> bool:
    low, high = _feasible_range(nx, value, withheld, edge)
    return high <= low


def _widen(
    value: Mapping[tuple[Hashable, Hashable], int],
    withheld: set[tuple[Hashable, Hashable]],
    pinned: tuple[Hashable, Hashable],
    fixed: set[tuple[Hashable, Hashable]] = frozenset(),  # type: ignore[assignment]
) -> None:
    """Withhold one more published positive count: beside ``pinned`` if one is, else any.

    Not one of ``fixed`` (published by another table) unless nothing else is left.
    """
    published = [e for e, n in value.items() if e not in withheld and n > 0]
    if any(e not in fixed for e in published):
        published = [e for e in published if e not in fixed]
    if not published:  # cannot happen: with every positive count withheld nothing is pinned
        return
    ends = set(pinned)
    near = [e for e in published if ends & set(e)]
    # Also the counts beside the withheld edges sharing an end with it (same row or column).
    for e in list(withheld):
        if ends & set(e):
            near += [f for f in published if set(f) & set(e) and f not in near]
    pool = near or published
    withheld.add(min(pool, key=lambda e: (value[e], str(e))))


def _key(
    a: Hashable, b: Hashable, value: Mapping[tuple[Hashable, Hashable], int]
) -> tuple[Hashable, Hashable]:
    return (a, b) if (a, b) in value else (b, a)
