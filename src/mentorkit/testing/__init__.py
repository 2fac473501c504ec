"""Test helpers that are public API: hypothesis strategies and contract test suites.

Import ``mentorkit.testing.strategies`` for entity strategies; subclass
:class:`StoreContract` to prove a store backend. Needs the ``test`` extra.
"""

from mentorkit.testing import strategies
from mentorkit.testing._store_contract import StoreContract

__all__ = ["StoreContract", "strategies"]
