"""Test helpers that are public API: hypothesis strategies and contract test suites.

Import ``mentorkit.testing.strategies`` for entity strategies. Subclass
:class:`MatcherContract` to prove a matching strategy. Needs the ``test`` extra.
"""

from mentorkit.testing import strategies
from mentorkit.testing._matcher_contract import MatcherContract, matching_problems

__all__ = ["MatcherContract", "matching_problems", "strategies"]
