"""Figures of measurement reports with matplotlib (extra ``notebook``)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import attrs

from mentorkit._optional import require
from mentorkit.errors import ValidationError
from mentorkit.measurement._disclosure import Suppressed
from mentorkit.measurement._inquiry import TrendPoint
from mentorkit.measurement._outcomes import ALL_COHORTS, OutcomeRow
from mentorkit.measurement._targets import TargetProgress


def _axes(ax: Any, size: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    plt = require("matplotlib.pyplot")
    _, ax = plt.subplots(figsize=size)
    return ax


def plot_trends(
    points: Iterable[TrendPoint], *, condition: str | None = None, ax: Any = None
) -> Any:
    """Draw a condition's score across cycles, one line per org unit (withheld cycles left out).

    Args:
        points: A :func:`~mentorkit.measurement.trend` table.
        condition: The condition to draw (required when the table holds several).
        ax: A matplotlib ``Axes`` to draw on (default: a new figure).

    Returns:
        The ``Axes``.

    Raises:
        ValidationError: several conditions and none chosen.
    """
    rows = [p for p in points if condition is None or p.condition == condition]
    conditions = {p.condition for p in rows}
    if len(conditions) > 1:
        raise ValidationError(
            "the trend holds several conditions: choose one",
            field="condition",
            value=sorted(conditions),
        )
    ax = _axes(ax, (7.0, 4.0))
    cycles = sorted({p.cycle for p in rows})
    position = {cy: k for k, cy in enumerate(cycles)}
    lines: dict[str, list[tuple[int, float]]] = {}
    for p in rows:
        if not isinstance(p.score, Suppressed):
            lines.setdefault(p.org_unit_id, []).append((position[p.cycle], p.score))
    for unit, xy in sorted(lines.items()):
        xy.sort()
        ax.plot([x for x, _ in xy], [y for _, y in xy], marker="o", label=unit)
    ax.set_xticks(range(len(cycles)), cycles)
    ax.set_xlabel("cycle")
    ax.set_ylabel("score")
    ax.set_title(f"{next(iter(conditions), '')} by cycle")
    if lines:
        ax.legend(fontsize="small")
    return ax


def plot_cohorts(
    rows: Iterable[OutcomeRow], *, figure: str = "promotion_rate", ax: Any = None
) -> Any:
    """Compare cohorts on one figure of an outcome report, as bars (withheld ones marked ``*``).

    Args:
        rows: A :func:`~mentorkit.measurement.report_outcomes` table.
        figure: The field of [OutcomeRow][mentorkit.measurement.OutcomeRow] to compare.
        ax: A matplotlib ``Axes`` (default: a new figure).

    Returns:
        The ``Axes``.

    Raises:
        ValidationError: ``figure`` is not a field of the rows.
    """
    rows = [r for r in rows if r.cohort_id != ALL_COHORTS]
    labels_not_figures = {"program_id", "cohort_id", "group"}
    if figure not in {a.name for a in attrs.fields(OutcomeRow)} - labels_not_figures:
        raise ValidationError("is not a figure of the outcome report", field="figure", value=figure)
    ax = _axes(ax, (7.0, 4.0))
    labels = [r.cohort_id for r in rows]
    values = [getattr(r, figure) for r in rows]
    # A withheld figure gets no bar at all (only its ``*``): never a bar of height zero.
    heights = [math.nan if isinstance(v, Suppressed) or v is None else float(v) for v in values]
    bars = ax.bar(range(len(rows)), heights, color="tab:blue")
    for bar, v in zip(bars, values, strict=True):
        if isinstance(v, Suppressed):
            ax.annotate("*", (bar.get_x() + bar.get_width() / 2, 0), ha="center", va="bottom")
    ax.set_xticks(range(len(rows)), labels, rotation=30, ha="right")
    ax.set_ylabel(figure.replace("_", " "))
    ax.set_title(f"{figure.replace('_', ' ')} by cohort (* withheld)")
    return ax


def plot_progress(progress: TargetProgress, *, ax: Any = None) -> Any:
    """Draw a target's running count, the target line, and the projection at the pace so far.

    Returns:
        The ``Axes``.
    """
    ax = _axes(ax, (7.0, 4.0))
    shown = [(p.date, p.total) for p in progress.points if not isinstance(p.total, Suppressed)]
    ax.step([d for d, _ in shown], [t for _, t in shown], where="post", marker="o", label="reached")
    t = progress.target
    ax.axhline(t.count, color="tab:red", ls="--", label=f"target {t.count:,}")
    if isinstance(progress.projected, float) and isinstance(progress.reached, int):
        ax.plot(
            [progress.as_of, t.deadline],
            [progress.reached, progress.projected],
            ls=":",
            color="0.4",
            label="projected at the pace so far",
        )
    ax.set_title(t.name)
    ax.set_ylabel("people")
    ax.legend(fontsize="small")
    return ax
