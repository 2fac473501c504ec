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

    An unknown cohort is one line naming it, the store and the cohorts there are.
    """
    with open_cli_store(args, must_exist=True) as store:
        yield store, find_cohort(store, args.cohort, args.store or default_store())


def find_cohort(store: Store, cohort_id: str, url: str) -> Cohort:
    """The stored cohort, or one line naming it, the store and the cohorts there are."""
    from mentorkit.errors import NotFoundError
    from mentorkit.measurement._figures import known_ids
    from mentorkit.model import Cohort

    try:
        return store.get(Cohort, cohort_id)
    except NotFoundError:
        cohorts = known_ids(c.id for c in store.all(Cohort))
        raise NotFoundError(
            f"no cohort {cohort_id!r} in {describe(url)}; cohorts: {cohorts}"
        ) from None
