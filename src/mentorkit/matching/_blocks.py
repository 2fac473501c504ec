"""Whole-block helpers for scorers and constraints (mentees x mentors at once, NumPy).

Every helper gives exactly the numbers the per-pair methods give (the same IEEE
operations, in the same order), so a problem built block-wise equals one built pair by
pair.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any


def numpy() -> Any:
    """NumPy, imported on first use (``import mentorkit`` stays cheap)."""
    import numpy as np

    return np


def codes(left: Sequence[Hashable | None], right: Sequence[Hashable | None]) -> tuple[Any, Any]:
    """Shared integer codes for two lists of values; ``None`` is -1 on both sides."""
    np = numpy()
    table: dict[Hashable, int] = {}

    def encode(values: Sequence[Hashable | None]) -> Any:
        out = np.empty(len(values), dtype=np.int64)
        for k, value in enumerate(values):
            out[k] = -1 if value is None else table.setdefault(value, len(table))
        return out

    return encode(left), encode(right)


def equal(left: Sequence[Hashable | None], right: Sequence[Hashable | None]) -> Any:
    """``out[i, j]``: ``left[i] == right[j]``, both not ``None``."""
    a, b = codes(left, right)
    return (a[:, None] == b[None, :]) & (a[:, None] >= 0)


def share(wanted: Sequence[Iterable[Hashable]], offered: Sequence[Iterable[Hashable]]) -> Any:
    """``out[i, j]``: the share of ``wanted[i]`` found in ``offered[j]`` (0 when empty)."""
    np = numpy()
    want = [set(w) for w in wanted]
    table: dict[Hashable, int] = {}
    for w in want:
        for label in w:
            table.setdefault(label, len(table))
    if not table:  # nobody wants anything: every share is 0
        return np.zeros((len(want), len(offered)))
    a = np.zeros((len(want), len(table)))
    b = np.zeros((len(offered), len(table)))
    for i, w in enumerate(want):
        a[i, [table[label] for label in w]] = 1.0
    for j, o in enumerate(offered):
        cols = [table[label] for label in set(o) if label in table]
        b[j, cols] = 1.0
    counts = a @ b.T  # small whole numbers: exact
    size = a.sum(axis=1)[:, None]
    return np.where(size > 0, counts / np.maximum(size, 1.0), 0.0)


def offers_block(obj: object, block: str, pair: str) -> bool:
    """Whether ``obj``'s class defines ``block`` beside the ``pair`` method it uses.

    A subclass that overrides the per-pair method but not the block one would get its
    parent's block numbers; such an object is treated as per-pair only.
    """
    for cls in type(obj).__mro__:
        if pair in vars(cls):
            return callable(vars(cls).get(block))
    return False
