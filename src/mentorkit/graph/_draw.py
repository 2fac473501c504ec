"""A lineage tree drawn with matplotlib, laid out by generation (extra ``notebook``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mentorkit.errors import ValidationError
from mentorkit.graph._export import require

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from mentorkit.graph._graph import MentorshipGraph


def layout_by_generation(
    graph: MentorshipGraph, person_id: str, *, max_generations: int | None = None
) -> dict[str, tuple[float, float]]:
    """Positions for a lineage drawing: generation ``k`` on the row ``y = -k``.

    The root sits at ``(0, 0)``. Each person hangs under their first mentor in the row above
    (their *parent* in the drawing): a tidy tree, where people without drawn mentees take the
    next free column and everyone else is centred over their own mentees, so lines run
    straight down rather than across the width. Two people of one row are at least one
    column apart.

    Raises:
        NotFoundError: ``person_id`` is not in the graph.
        ValidationError: ``max_generations`` is negative.
    """
    if max_generations is not None and max_generations < 0:
        raise ValidationError("must be >= 0", field="max_generations", value=max_generations)
    gens = graph.generations(person_id)
    level = {person_id: 0}
    children: dict[str, list[str]] = {person_id: []}
    previous = [person_id]
    for k, members in gens.items():
        if max_generations is not None and k > max_generations:
            break
        rank = {p: i for i, p in enumerate(previous)}

        def parent_rank(p: str, rank: dict[str, int] = rank) -> tuple[float, str]:
            above = [rank[u] for u in graph.nx.predecessors(p) if u in rank]
            return (min(above) if above else float(len(rank)), p)

        row = sorted(members, key=parent_rank)
        for p in row:
            level[p] = k
            children[p] = []
            r = parent_rank(p)[0]
            children[previous[int(r)] if r < len(previous) else previous[-1]].append(p)
        previous = row
    xs: dict[str, float] = {}
    column = 0
    stack: list[tuple[str, bool]] = [(person_id, False)]
    while stack:  # depth-first, children in row order; a parent after its children
        p, done = stack.pop()
        kids = children[p]
        if not kids:
            xs[p] = float(column)
            column += 1
        elif done:
            xs[p] = (xs[kids[0]] + xs[kids[-1]]) / 2
        else:
            stack.append((p, True))
            stack.extend((c, False) for c in reversed(kids))
    shift = xs[person_id]
    return {p: (xs[p] - shift, float(-level[p])) for p in xs}


#: The most people a generation shows with horizontal names.
_SIDE_BY_SIDE = 8
#: Inches per person in a crowded generation (an 8-point line is about 0.11 in).
_VERTICAL_SLOT = 0.22
#: Inches per character of an 8-point name, with room for the axes' margins.
_CHAR = 0.1


def draw_lineage(
    graph: MentorshipGraph,
    person_id: str,
    *,
    ax: Any = None,
    max_generations: int | None = None,
    label: Callable[[str], str] | None = None,
) -> Axes:
    """Draw ``person_id``'s descendants by generation; see ``MentorshipGraph.draw_lineage``."""
    pos = layout_by_generation(graph, person_id, max_generations=max_generations)
    plt = require("matplotlib.pyplot")
    people = graph.people
    if label is None:
        names = {p: people[p].name if p in people and people[p].name else p for p in pos}
        seen = Counter(names.values())
        # Two people of one name would read as one person twice: add each one's id.
        names = {p: f"{n} ({p})" if seen[n] > 1 else n for p, n in names.items()}
        text: Callable[[str], str] = names.__getitem__
    else:
        text = label
    rows: dict[float, int] = {}
    for _, y in pos.values():
        rows[y] = rows.get(y, 0) + 1
    widest = max(rows.values())
    span = max(x for x, _ in pos.values()) - min(x for x, _ in pos.values()) + 1
    # Side by side, names need about an inch each; with a crowded generation (more than
    # eight) every name turns vertical, hanging below its node a line height apart from the
    # next, and each generation gets the height of the longest name, so none collide.
    crowded = widest > _SIDE_BY_SIDE
    longest = max(len(text(p)) for p in pos)
    if ax is None:
        slot = _VERTICAL_SLOT if crowded else max(0.9, 0.075 * longest)
        row = 0.8 + (_CHAR * longest if crowded else 0.4)
        # Constrained layout keeps the generation labels and names inside the figure, so
        # ``ax.figure.savefig(...)`` writes all of it.
        _, ax = plt.subplots(figsize=(max(4.0, slot * span + 1.5), row * len(rows) + 0.8),
                             layout="constrained")  # fmt: skip
    # Draw the mentorships that chains from the root use between consecutive generations:
    # the tree, not every shortcut, and never a mentorship that came too early to count.
    arrival = graph._arrivals(person_id)
    drawn: set[tuple[str, str]] = set()
    for m in graph.mentorships:
        u, v = m.mentor_id, m.mentee_id
        if u not in pos or v not in pos or pos[v][1] != pos[u][1] - 1 or (u, v) in drawn:
            continue
        if u == person_id or m.start.toordinal() >= arrival.get(u, 1 << 40):
            drawn.add((u, v))
            ax.plot([pos[u][0], pos[v][0]], [pos[u][1], pos[v][1]], color="0.6", lw=0.8,
                    zorder=1)  # fmt: skip
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.scatter(xs, ys, s=60, color="tab:blue", zorder=2)
    ax.scatter([0.0], [0.0], s=90, color="tab:orange", zorder=3)
    for p, (x, y) in pos.items():
        if crowded:
            ax.annotate(text(p), (x, y), textcoords="offset points", xytext=(0, -7),
                        ha="center", va="top", rotation=90, fontsize=8, zorder=4,
                        bbox={"fc": "white", "ec": "none", "alpha": 0.8, "pad": 0.3})  # fmt: skip
        else:
            ax.annotate(text(p), (x, y), textcoords="offset points", xytext=(0, 7),
                        ha="center", fontsize=8)  # fmt: skip
    depth = int(-min(ys))
    ax.set_yticks([-k for k in range(depth + 1)])
    ax.set_yticklabels(["root"] + [f"generation {k}" for k in range(1, depth + 1)])
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(f"Lineage of {text(person_id)}")
    drawn_on: Axes = ax
    return drawn_on
