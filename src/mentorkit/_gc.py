"""One helper that pauses CPython's cyclic garbage collector around allocation-heavy work."""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a block that makes no reference cycles.

    Encoding, decoding and aggregating make many small objects and no reference cycles, so
    reference counting frees all they drop, but the cyclic collector still runs every few
    hundred allocations and each of its full passes walks every object of the process. The
    collector is switched back on when the block ends (if it was on: a caller that had
    switched it off keeps it off).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def collector_paused(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` with the collector `paused` (a decorator for report builders)."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused():
            return fn(*args, **kwargs)

    return run
