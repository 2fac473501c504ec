"""Typed report tables: rows of attrs records, with text, CSV, HTML and pandas views."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import html
import io
import math
import os
import typing
from collections.abc import Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

import attrs

from mentorkit._optional import require
from mentorkit.measurement._disclosure import DisclosurePolicy, Suppressed

R = TypeVar("R")


def _decimals(column: str, values: Sequence[object]) -> int:
    """How many decimals a column's numbers print with: the same for every row."""
    floats = [v for v in values if isinstance(v, float) and not math.isnan(v)]
    if all(v.is_integer() for v in floats):
        return 0
    return 1 if "days" in column else 2


def withheld_note(min_cell: int) -> str:
    """The footnote under a table with a withheld figure: ``(* withheld: fewer than ...)``."""
    people = "1 person" if min_cell == 1 else f"{min_cell:,} people"
    return f"(* withheld: fewer than {people}, or would reveal one)"


def cell_text(value: object, column: str = "", decimals: int | None = None) -> str:
    """One figure as a person reads it: ``*`` withheld, ``-`` none, rates as percentages.

    ``decimals`` (the column's, see ``_decimals``) keeps a column's numbers alike.
    """
    if isinstance(value, Suppressed):
        return str(value)
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "-"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        if column.endswith("rate"):
            return f"{value:.0%}"
        if decimals is None:
            decimals = 0 if value.is_integer() and abs(value) >= 100 else 2
        text = f"{value:,.{decimals}f}"
        # A change that rounds to nothing prints as 0, never as -0.
        if text.startswith("-") and not any(ch in "123456789" for ch in text):
            return text[1:]
        return text
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _hinted_dtype(hint: object) -> str | None:
    """The pandas dtype a field's annotation asks for (``int | Suppressed`` -> ``Int64``)."""
    kinds = set(typing.get_args(hint)) or {hint}
    kinds -= {type(None), Suppressed}
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "Int64"
    if kinds and kinds <= {int, float}:
        return "Float64"
    if kinds == {dt.date}:
        return "datetime64[ns]"
    return None


def _dtype(values: Sequence[object], hint: object = None) -> str:
    """The pandas dtype of a column: nullable numbers and booleans, dates, else objects."""
    hinted = _hinted_dtype(hint)
    if hinted is not None:
        return hinted
    present = [v for v in values if v is not None]
    if not present:
        return "object"
    if all(isinstance(v, bool) for v in present):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "Int64"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "Float64"
    if all(isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in present):
        return "datetime64[ns]"
    return "object"


#: What a spreadsheet reads as the start of a formula in a text cell.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value: object) -> str:
    if isinstance(value, Suppressed):
        return "*"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        # Whole numbers as integers; others without float noise (0.020000000000000018).
        if value.is_integer():
            return str(int(value))
        return repr(round(value, 10))
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        value = ";".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # a label such as "=HYPERLINK(...)" stays text in a spreadsheet
    return str(value)


def write_private(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` with mentorkit's one atomic, owner-only file writer.

    Raises:
        StorageError: the file cannot be written (the path's file is then unchanged).
    """
    from mentorkit._files import write_file

    write_file(os.fspath(path), text, label=repr(os.fspath(path)))


class ReportTable(Sequence[R], Generic[R]):
    """Rows of one report (attrs records), with the disclosure policy they follow.

    Every figure is a number, ``None`` where it does not apply, or
    [Suppressed][mentorkit.measurement.Suppressed] where the policy withholds it (shown as
    ``*``, never as zero). Index it, iterate it, print
    [to_text][mentorkit.measurement.ReportTable.to_text], write
    [to_csv][mentorkit.measurement.ReportTable.to_csv], or get a DataFrame with
    [to_pandas][mentorkit.measurement.ReportTable.to_pandas] (extra ``notebook``); in
    Jupyter it shows as an HTML table.

    Attributes:
        title: What the table shows.
        columns: The field names of the rows, in order.
        policy: The disclosure policy its figures follow.
        notes: Lines printed under the text and HTML tables (which figures are not yet
            known, and why).
    """

    def __init__(
        self,
        rows: Sequence[R],
        *,
        row_type: type[R],
        title: str,
        policy: DisclosurePolicy,
        notes: Sequence[str] = (),
    ) -> None:
        self._rows = tuple(rows)
        self._type = row_type
        self.title = title
        self.notes: tuple[str, ...] = tuple(notes)
        self.columns: tuple[str, ...] = tuple(a.name for a in attrs.fields(row_type))  # type: ignore[arg-type]
        self.policy = policy

    @overload
    def __getitem__(self, index: int) -> R: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[R]: ...
    def __getitem__(self, index: int | slice) -> R | Sequence[R]:
        return self._rows[index]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[R]:
        return iter(self._rows)

    def __repr__(self) -> str:
        return f"<ReportTable {self.title!r}: {len(self)} {self._type.__name__} rows>"

    def _values(self, row: R) -> list[object]:
        return [getattr(row, c) for c in self.columns]

    def to_text(self) -> str:
        """A plain-text table (``*`` marks a withheld figure), ready to paste into an e-mail."""
        values = [self._values(r) for r in self._rows]
        numeric = [
            all(isinstance(line[k], int | float | Suppressed) or line[k] is None for line in values)
            for k in range(len(self.columns))
        ]
        decimals = [_decimals(c, [line[k] for line in values]) for k, c in enumerate(self.columns)]
        table = [[c.replace("_", " ") for c in self.columns]]
        table += [
            [cell_text(v, c, d) for v, c, d in zip(line, self.columns, decimals, strict=True)]
            for line in values
        ]
        widths = [max(len(line[k]) for line in table) for k in range(len(self.columns))]
        lines = [self.title]
        for line in table:
            cells = [
                cell.rjust(w) if right else cell.ljust(w)
                for cell, w, right in zip(line, widths, numeric, strict=True)
            ]
            lines.append("  ".join(cells).rstrip())
        if self.policy.min_cell > 1 or any(isinstance(v, Suppressed) for x in values for v in x):
            lines.append(withheld_note(self.policy.min_cell))  # the policy, said once
        lines += self.notes
        return "\n".join(lines)

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str:
        """The rows as CSV (``*`` marks a withheld figure, an empty cell none).

        A text label that a spreadsheet would run as a formula (starting with ``=``, ``+``,
        ``-``, ``@``, a tab or a carriage return) is written with a leading ``'``.

        Args:
            path: Also write the text to this file (owner-only permissions).

        Returns:
            The CSV text.

        Raises:
            StorageError: the file cannot be written.
        """
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        for r in self._rows:
            writer.writerow([_csv_value(v) for v in self._values(r)])
        text = out.getvalue()
        if path is not None:
            write_private(path, text)
        return text

    def to_pandas(self) -> Any:
        """The rows as a ``pandas.DataFrame`` (extra ``notebook``).

        Numeric columns have pandas' nullable dtypes (``Int64`` for counts, ``Float64`` for
        rates, means and sums) and dates are ``datetime64``, whether or not anything is
        withheld, so ``df.plot`` and arithmetic work. Withheld figures are ``pandas.NA``
        and the ``withheld`` attribute of the frame (``df.attrs["withheld"]``) lists
        ``(row index, column)`` of each, so a withheld figure is never mistaken for a zero.
        A total row (``total`` column true, where the rows have one) repeats the sum of
        the others: filter it out (``df[~df.total]``) before adding rows up.
        """
        pd = require("pandas")
        withheld: list[tuple[int, str]] = []
        data: dict[str, list[object]] = {c: [] for c in self.columns}
        for i, r in enumerate(self._rows):
            for c, v in zip(self.columns, self._values(r), strict=True):
                if isinstance(v, Suppressed):
                    withheld.append((i, c))
                    v = None
                elif isinstance(v, enum.Enum):
                    v = v.value
                data[c].append(v)
        try:
            hints = typing.get_type_hints(self._type)
        except (NameError, TypeError):  # a row type whose annotations cannot be resolved
            hints = {}
        columns = {
            c: pd.Series(values, dtype=_dtype(values, hints.get(c))) for c, values in data.items()
        }
        frame = pd.DataFrame(columns, columns=list(self.columns), index=range(len(self._rows)))
        frame.attrs["withheld"] = withheld
        frame.attrs["min_cell"] = self.policy.min_cell
        return frame

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c.replace('_', ' '))}</th>" for c in self.columns)
        body = "".join(
            "<tr>"
            + "".join(
                f"<td>{html.escape(cell_text(v, c))}</td>"
                for v, c in zip(self._values(r), self.columns, strict=True)
            )
            + "</tr>"
            for r in self._rows[:200]
        )
        more = f" (first 200 of {len(self)})" if len(self) > 200 else ""
        withheld = self.policy.min_cell > 1 or any(
            isinstance(v, Suppressed) for r in self._rows for v in self._values(r)
        )
        note = "; ".join([withheld_note(self.policy.min_cell)[1:-1]] * withheld + list(self.notes))
        return (
            f"<table><caption>{html.escape(self.title)}{more}</caption><thead><tr>{head}</tr>"
            f"</thead><tbody>{body}</tbody><tfoot><tr><td colspan='{len(self.columns)}'>"
            f"{html.escape(note)}</td></tr></tfoot></table>"
        )
