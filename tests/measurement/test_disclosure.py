"""Small-cell suppression: small counts withheld, nothing withheld can be worked out."""

import numpy as np
import pytest
from hypothesis import given
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
