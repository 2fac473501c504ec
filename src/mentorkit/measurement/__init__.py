"""Measurement: counts about people that are safe to share (small-cell suppression).

Examples:
    >>> from mentorkit.measurement import DisclosurePolicy, crosstab
    >>> t = crosstab([{"unit": "a", "ok": True}] * 3, row="unit", col="ok",
    ...              policy=DisclosurePolicy(min_cell=5))
    >>> str(t.cells["a", True]), str(t.total)
    ('*', '*')
"""

from mentorkit.measurement._disclosure import (
    Crosstab,
    DisclosurePolicy,
    Suppressed,
    crosstab,
)

__all__ = [
    "Crosstab",
    "DisclosurePolicy",
    "Suppressed",
    "crosstab",
]
