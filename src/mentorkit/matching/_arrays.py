"""Optional NumPy support: the fast paths use it when it is installed, nothing requires it."""

from __future__ import annotations

import random
from typing import Any

from mentorkit import _optional
from mentorkit.errors import MatchingError


def numpy_or_none() -> Any:
    """NumPy when it can be imported, else ``None`` (the pure-Python paths take over)."""
    try:
        import numpy
    except ImportError:  # pragma: no cover - exercised only without the numpy extra
        return None
    return numpy


def require(module: str, extra: str, purpose: str) -> Any:
    """Import ``module`` or raise `MatchingError` naming the extra that provides it."""
    try:
        return _optional.require(module, extra=extra, purpose=purpose)
    except ModuleNotFoundError as exc:
        raise MatchingError(str(exc)) from None


def tie_ranks(size: int, seed: int, stream: int) -> list[int]:
    """A seeded random rank for each of ``size`` items: lower ranks win ties.

    Both the NumPy and the pure-Python paths draw their tie-breaks here, so they agree.
    ``stream`` separates the mentee-side and mentor-side draws of one seed.
    """
    order = list(range(size))
    random.Random(f"mentorkit:{seed}:{stream}").shuffle(order)  # noqa: S311 - not crypto
    ranks = [0] * size
    for position, item in enumerate(order):
        ranks[item] = position
    return ranks
