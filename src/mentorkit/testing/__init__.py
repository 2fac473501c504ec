"""Test helpers that are public API: hypothesis strategies and contract test suites.

Import ``mentorkit.testing.strategies`` for entity strategies. Needs the ``test`` extra.
"""

from mentorkit.testing import strategies

__all__ = ["strategies"]
