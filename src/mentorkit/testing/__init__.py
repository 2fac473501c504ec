"""Test helpers that are public API: hypothesis strategies and contract test suites.

Import ``mentorkit.testing.strategies`` for entity strategies; subclass
[`StoreContract`][mentorkit.testing.StoreContract] to prove a store backend and
[`MatcherContract`][mentorkit.testing.MatcherContract] to prove a
matching strategy. Needs the ``test`` extra.
"""

from mentorkit.testing import strategies
from mentorkit.testing._matcher_contract import MatcherContract, matching_problems
from mentorkit.testing._store_contract import SharedStoreContract, StoreContract

__all__ = [
    "MatcherContract",
    "SharedStoreContract",
    "StoreContract",
    "matching_problems",
    "strategies",
]
