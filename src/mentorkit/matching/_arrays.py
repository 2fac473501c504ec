"""Helpers shared by the strategies: optional solvers and the seeded tie-breaks."""

from __future__ import annotations

import random
from typing import Any

from mentorkit import _optional
from mentorkit.errors import MatchingError


def require(module: str, extra: str, purpose: str) -> Any:
    """Import ``module`` or raise `MatchingError` naming the extra that provides it."""
    try:
        return _optional.require(module, extra=extra, purpose=purpose)
    except ModuleNotFoundError as exc:
        raise MatchingError(str(exc)) from None


def tie_ranks(size: int, seed: int, stream: int) -> list[int]:
    """A seeded random rank for each of ``size`` items: lower ranks win ties.

    Every strategy draws its tie-breaks here, so strategies agree on ties.
    ``stream`` separates the mentee-side and mentor-side draws of one seed.
    """
    order = list(range(size))
    random.Random(f"mentorkit:{seed}:{stream}").shuffle(order)  # noqa: S311 - not crypto
    ranks = [0] * size
    for position, item in enumerate(order):
        ranks[item] = position
    return ranks
