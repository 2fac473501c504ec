"""What the cohort commands (``adherence``, ``calendar``) share: the store and the cohort."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from mentorkit.cli._store import default_store, describe, open_cli_store

if TYPE_CHECKING:
    from mentorkit.model import Cohort
    from mentorkit.storage import Store


@contextlib.contextmanager
def open_cohort(args: argparse.Namespace) -> Iterator[tuple[Store, Cohort]]:
    """Open the command's store (it must exist) and find ``--cohort`` in it.

    An unknown cohort is one line naming it and the store (``no cohort 'x' in ...``).
    """
    from mentorkit.scheduling._adherence import find_cohort

    with open_cli_store(args, must_exist=True) as store:
        yield store, find_cohort(store, args.cohort, describe(args.store or default_store()))
