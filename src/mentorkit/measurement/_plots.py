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

#: More org units than this get no legend (it would cover the figure): label fewer.
LEGEND_LIMIT = 30


def _axes(ax: Any, size: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    plt = require("matplotlib.pyplot")
    # Constrained layout keeps rotated labels and an outside legend inside the figure.
    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def plot_trends(
    points: Iterable[TrendPoint], *, condition: str | None = None, ax: Any = None
) -> Any:
    """Draw a condition's score across cycles, one line per org unit (withheld cycles left out).

    The legend sits outside the axes, right of them; with more than 30 org units it is left
    out (the title says how many): draw a network's schools, or group them with ``by=``.

    Args:
        points: A [trend][mentorkit.measurement.trend] table.
        condition: The condition to draw (required when the table holds several).
        ax: A matplotlib ``Axes`` to draw on (default: a new figure).

    Returns:
        The ``Axes``.

    Raises:
        ValidationError: several conditions and none chosen, or no point of ``condition``.
    """
    points = list(points)
    rows = [p for p in points if condition is None or p.condition == condition]
    conditions = {p.condition for p in rows}
    if not rows:
        known = sorted({p.condition for p in points})
        raise ValidationError(
            f"the trend holds no points of this condition (conditions: {known or 'none'})",
            field="condition",
            value=condition,
        )
    if len(conditions) > 1:
        raise ValidationError(
            "the trend holds several conditions: choose one",
            field="condition",
            value=sorted(conditions),
        )
    ax = _axes(ax, (8.0, 4.5))
    cycles = list(dict.fromkeys(p.cycle for p in rows))  # the trend's own order
    cycles.sort(key=lambda cy: min(k for k, p in enumerate(rows) if p.cycle == cy))
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
    title = f"{next(iter(conditions))} by cycle"
    if len(lines) > LEGEND_LIMIT:
        title += f" ({len(lines)} org units)"
    elif lines:
        ax.legend(
            fontsize="small",
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            ncols=1 if len(lines) <= 15 else 2,
            frameon=False,
        )
    if any(isinstance(p.score, Suppressed) for p in rows):
        title += "\n(withheld cycles left out)"
    ax.set_title(title)
    return ax


def plot_cohorts(
    rows: Iterable[OutcomeRow], *, figure: str = "promotion_rate", ax: Any = None
) -> Any:
    """Compare cohorts on one figure of an outcome report, as bars (withheld ones marked ``*``).

    Each program's cohorts sit together in a colour of their own; rates are drawn as
    percentages. Total and demographic rows are left out.

    Args:
        rows: A [report_outcomes][mentorkit.measurement.report_outcomes] table.
        figure: The field of [OutcomeRow][mentorkit.measurement.OutcomeRow] to compare.
        ax: A matplotlib ``Axes`` (default: a new figure).

    Returns:
        The ``Axes``.

    Raises:
        ValidationError: ``figure`` is not a figure of the rows.
    """
    rows = sorted(
        (r for r in rows if r.cohort_id != ALL_COHORTS and not r.total),
        key=lambda r: r.program_id,  # stable: each program's cohorts keep their order
    )
    labels_not_figures = {"program_id", "cohort_id", "group", "total"}
    if figure not in {a.name for a in attrs.fields(OutcomeRow)} - labels_not_figures:
        raise ValidationError("is not a figure of the outcome report", field="figure", value=figure)
    ax = _axes(ax, (8.0, 4.5))
    labels = [r.cohort_id for r in rows]
    values = [getattr(r, figure) for r in rows]
    # A withheld figure gets no bar at all (only its ``*``): never a bar of height zero.
    heights = [math.nan if isinstance(v, Suppressed) or v is None else float(v) for v in values]
    programs = list(dict.fromkeys(r.program_id for r in rows))
    palette = [f"C{k % 10}" for k in range(len(programs))]
    colour = dict(zip(programs, palette, strict=True))
    bars = ax.bar(range(len(rows)), heights, color=[colour[r.program_id] for r in rows])
    withheld = False
    for bar, v in zip(bars, values, strict=True):
        if isinstance(v, Suppressed):
            withheld = True
            ax.annotate("*", (bar.get_x() + bar.get_width() / 2, 0), ha="center", va="bottom")
    if len(programs) > 1:
        require("matplotlib")
        from matplotlib.patches import Patch

        ax.legend(
            handles=[Patch(color=colour[p], label=p) for p in programs],
            fontsize="small",
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
        )
    ax.set_xticks(range(len(rows)), labels, rotation=30, ha="right")
    name = figure.replace("_", " ")
    if figure.endswith("rate"):
        from matplotlib.ticker import PercentFormatter

        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel(name)
    ax.set_title(f"{name} by cohort" + (" (* withheld)" if withheld else ""))
    return ax


def plot_progress(progress: TargetProgress, *, ax: Any = None) -> Any:
    """Draw a target's running count, the target line, and the projection at the pace so far.

    The running count steps up on each day people qualified and runs on to ``as_of`` (or
    to the deadline, once it has passed). A withheld count is a gap in the line, marked
    ``*``, never drawn as "no change".

    Args:
        progress: A [progress][mentorkit.measurement.progress] result.
        ax: A matplotlib ``Axes`` (default: a new figure).

    Returns:
        The ``Axes``.
    """
    ax = _axes(ax, (8.0, 4.5))
    t = progress.target
    days = [p.date for p in progress.points]
    totals = [
        math.nan if isinstance(p.total, Suppressed) else float(p.total) for p in progress.points
    ]
    end = min(progress.as_of, t.deadline)
    if days and end > days[-1]:
        days.append(end)
        totals.append(totals[-1])
    (line,) = ax.step(days, totals, where="post", label="reached")
    real = len(progress.points)  # the days people qualified (not the run-on to as_of)
    ax.plot(days[:real], totals[:real], ls="none", marker="o", color=line.get_color())
    withheld = [p.date for p in progress.points if isinstance(p.total, Suppressed)]
    if withheld:  # marked on the axis (and keeping the axis wide enough to show them)
        ax.plot(withheld, [0] * len(withheld), ls="none", marker="$*$", ms=9, color="0.3",
                label="withheld (*)")  # fmt: skip
    ax.axhline(t.count, color="tab:red", ls="--", label=f"target {t.count:,}")
    if (
        isinstance(progress.projected, float)
        and isinstance(progress.reached, int)
        and not progress.final
    ):
        ax.plot(
            [progress.as_of, t.deadline],
            [progress.reached, progress.projected],
            ls=":",
            color="0.4",
            label="projected at the pace so far",
        )
    verdict = "" if progress.verdict is None else f" ({progress.verdict})"
    ax.set_title(t.name + verdict + (" (* withheld)" if withheld else ""))
    ax.set_ylabel("people")
    top = max([t.count, *(v for v in totals if not math.isnan(v))])
    if isinstance(progress.projected, float):
        top = max(top, progress.projected)
    ax.set_ylim(0, top * 1.1)
    ax.legend(fontsize="small", loc="lower right")
    return ax
