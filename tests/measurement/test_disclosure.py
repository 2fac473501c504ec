"""Small-cell suppression: small counts withheld, nothing withheld can be worked out."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.errors import ValidationError
from mentorkit.measurement import DisclosurePolicy, Suppressed, crosstab

SUPPRESSED = Suppressed()

tables = st.lists(
    st.tuples(st.sampled_from("abcd"), st.sampled_from("xyz"), st.integers(1, 25)),
    min_size=1,
    max_size=8,
)


def records_of(spec):
    return [{"row": r, "col": c} for r, c, n in spec for _ in range(n)]


def edges(table):
    """Every published figure as an edge of the circulation, with its shown value."""
    out = {}
    for (r, c), v in table.cells.items():
        out[("row", r), ("col", c)] = v
    for r, v in table.row_totals.items():
        out[("rows",), ("row", r)] = v
    for c, v in table.col_totals.items():
        out[("col", c), ("cols",)] = v
    out[("cols",), ("rows",)] = table.total
    return out


def derivable(table):
    """Withheld figures a reader can compute exactly from the published ones and the totals.

    Independent of the implementation: linear algebra on the table's own equations (each
    row's cells add up to its total, each column's likewise, totals to the grand total).
    """
    unknown = [e for e, v in edges(table).items() if isinstance(v, Suppressed)]
    index = {e: k for k, e in enumerate(unknown)}
    equations = []
    for r in table.rows:
        eq = np.zeros(len(unknown))
        for c in table.cols:
            if (e := (("row", r), ("col", c))) in index:
                eq[index[e]] += 1
        if (e := (("rows",), ("row", r))) in index:
            eq[index[e]] -= 1
        equations.append(eq)
    for c in table.cols:
        eq = np.zeros(len(unknown))
        for r in table.rows:
            if (e := (("row", r), ("col", c))) in index:
                eq[index[e]] += 1
        if (e := (("col", c), ("cols",))) in index:
            eq[index[e]] -= 1
        equations.append(eq)
    for lines in (
        [(("rows",), ("row", r)) for r in table.rows],
        [(("col", c), ("cols",)) for c in table.cols],
    ):
        eq = np.zeros(len(unknown))
        for e in lines:
            if e in index:
                eq[index[e]] += 1
        if (g := (("cols",), ("rows",))) in index:
            eq[index[g]] -= 1
        equations.append(eq)
    if not unknown:
        return []
    a = np.array(equations)
    rank = np.linalg.matrix_rank(a)
    found = []
    for e, k in index.items():
        probe = np.zeros(len(unknown))
        probe[k] = 1
        if np.linalg.matrix_rank(np.vstack([a, probe])) == rank:
            found.append(e)
    return found


@given(tables, st.integers(2, 12))
def test_no_withheld_count_can_be_worked_out_from_the_published_ones(spec, min_cell):
    table = crosstab(
        records_of(spec), row="row", col="col", policy=DisclosurePolicy(min_cell=min_cell)
    )
    assert derivable(table) == []


@given(tables, st.integers(2, 12), st.booleans())
def test_small_counts_are_withheld_and_the_rest_are_true(spec, min_cell, complementary):
    records = records_of(spec)
    policy = DisclosurePolicy(min_cell=min_cell, complementary=complementary)
    table = crosstab(records, row="row", col="col", policy=policy)
    true = {}
    for rec in records:
        true[rec["row"], rec["col"]] = true.get((rec["row"], rec["col"]), 0) + 1
    for key, shown in table.cells.items():
        n = true.get(key, 0)
        if 0 < n < min_cell:
            assert shown == SUPPRESSED
        elif not complementary:
            assert shown == n
        else:
            assert shown in (n, SUPPRESSED)
    for r, shown in table.row_totals.items():
        n = sum(v for (rr, _), v in true.items() if rr == r)
        assert shown == n or (shown == SUPPRESSED and (n < min_cell or complementary))
    assert table.total in (len(records), SUPPRESSED)


def test_without_complementary_suppression_a_lone_small_cell_is_derivable():
    records = [{"row": "a", "col": "x"}] * 3 + [{"row": "a", "col": "y"}] * 30
    table = crosstab(records, row="row", col="col", policy=DisclosurePolicy(complementary=False))
    assert derivable(table)  # the checker is not vacuous
    assert crosstab(records, row="row", col="col").cells["a", "y"] == SUPPRESSED


def test_keys_may_be_attributes_or_functions():
    class Rec:
        def __init__(self, unit):
            self.unit = unit

    table = crosstab([Rec("n")] * 11, row="unit", col=lambda r: "all")
    assert table.cells["n", "all"] == 11
    assert str(SUPPRESSED) == "*"


def test_bad_keys_and_policies_name_the_field():
    with pytest.raises(ValidationError) as info:
        crosstab([{"a": 1}], row="b", col="a")
    assert (info.value.field, info.value.value) == ("row", "b")
    with pytest.raises(ValidationError) as info:
        crosstab([object()], row="a", col="a")
    assert info.value.field == "row"
    with pytest.raises(ValidationError) as info:
        DisclosurePolicy(min_cell=0)
    assert (info.value.field, info.value.value) == ("min_cell", 0)
    with pytest.raises(ValidationError):
        crosstab([], row=3, col="a")


@pytest.mark.parametrize(
    ("record", "field", "kind"),
    [
        ({"a": ["x"], "b": 1}, "row", "list"),
        ({"a": "x", "b": {"k": 1}}, "col", "dict"),
        ({"a": {1}, "b": [2]}, "row", "set"),
    ],
)
def test_an_unhashable_label_is_a_validation_error_naming_the_key(record, field, kind):
    with pytest.raises(ValidationError) as info:
        crosstab([record], row="a", col="b")
    assert (info.value.field, info.value.value) == (field, kind)
    assert "unhashable" in info.value.message


def feasible_ranges(table):
    """Least and greatest value of every withheld cell given the published figures.

    Independent of the implementation: a linear program over the cells (SciPy ``linprog``)
    with the published cells and totals as equalities and cells >= 0.
    """
    from scipy.optimize import linprog

    cells = [(r, c) for r in table.rows for c in table.cols]
    index = {v: k for k, v in enumerate(cells)}
    a_eq, b_eq = [], []

    def equation(members, shown):
        if not isinstance(shown, Suppressed):
            row = np.zeros(len(cells))
            row[[index[v] for v in members]] = 1
            a_eq.append(row)
            b_eq.append(shown)

    for v in cells:
        equation([v], table.cells[v])
    for r in table.rows:
        equation([(r, c) for c in table.cols], table.row_totals[r])
    for c in table.cols:
        equation([(r, c) for r in table.rows], table.col_totals[c])
    equation(cells, table.total)
    out = {}
    for v in cells:
        if not isinstance(table.cells[v], Suppressed):
            continue
        goal = np.zeros(len(cells))
        goal[index[v]] = 1
        options = {"A_eq": np.array(a_eq), "b_eq": b_eq} if a_eq else {}
        low = linprog(goal, bounds=(0, None), **options)
        high = linprog(-goal, bounds=(0, None), **options)
        assert low.status == 0
        out[v] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return out


def test_a_row_equal_to_its_one_published_cell_does_not_pin_the_small_cells():
    # The reviewer's case: row b's total 29 equals its published cell (b, w), so b's
    # withheld cells must be 0, and then (a, y) = 8 and (a, z) = 3 follow from the totals.
    counts = {
        ("a", "w"): 0, ("a", "x"): 14, ("a", "y"): 8, ("a", "z"): 3,
        ("b", "w"): 29, ("b", "x"): 0, ("b", "y"): 0, ("b", "z"): 0,
        ("c", "w"): 18, ("c", "x"): 0, ("c", "y"): 11, ("c", "z"): 0,
    }  # fmt: skip
    records = [{"row": r, "col": c} for (r, c), n in counts.items() for _ in range(n)]
    table = crosstab(records, row="row", col="col")
    ranges = feasible_ranges(table)
    for key, n in counts.items():
        if 0 < n < 10:
            assert table.cells[key] == SUPPRESSED
            low, high = ranges[key]
            assert high - low >= 1 - 1e-7, (key, low, high)
    # No zero cell is withheld to protect anything.
    assert all(table.cells[k] == 0 for k, n in counts.items() if n == 0)


sparse_tables = st.lists(
    st.tuples(
        st.sampled_from("abcd"),
        st.sampled_from("wxyz"),
        st.one_of(st.integers(1, 9), st.integers(10, 30)),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=60, deadline=None)
@given(sparse_tables, st.integers(2, 12))
def test_no_withheld_small_cell_is_pinned_to_one_value(spec, min_cell):
    table = crosstab(
        records_of(spec), row="row", col="col", policy=DisclosurePolicy(min_cell=min_cell)
    )
    true = {}
    for r, c, n in spec:
        true[r, c] = true.get((r, c), 0) + n
    for key, (low, high) in feasible_ranges(table).items():
        if 0 < true.get(key, 0) < min_cell:
            assert high - low >= 1 - 1e-7, (key, true[key], low, high, table.to_text())


@settings(deadline=None)
@given(tables, st.integers(2, 12), st.data())
def test_cells_withheld_from_the_start_are_protected_like_any_other(spec, min_cell, data):
    # A report that hides a withheld group's figures (zeros too) names them: they stay
    # withheld and, like every withheld count, none can be worked out from the rest.
    from mentorkit.measurement._disclosure import _from_counts

    counts = {}
    for r, c, n in spec:
        counts[r, c] = counts.get((r, c), 0) + n
    cells = [(r, c) for r in sorted({r for r, _ in counts}) for c in sorted({c for _, c in counts})]
    hidden = data.draw(st.lists(st.sampled_from(cells), max_size=3))
    table = _from_counts(counts, policy=DisclosurePolicy(min_cell=min_cell), withhold_cells=hidden)
    assert all(isinstance(table.cells[cell], Suppressed) for cell in hidden)
    assert derivable(table) == []
