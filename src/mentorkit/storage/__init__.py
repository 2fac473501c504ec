"""Pluggable storage: one `Store` protocol, four backends, ``open_store(url)``.

Pick a backend by URL: ``memory://`` (tests, notebooks), ``json:///file.json`` (one
human-readable file), ``sqlite:///file.db`` (the embedded default), or
``postgresql://user:password@host/db`` (several processes and machines; the extra
``mentorkit[postgres]``). All of them validate every write, keep a ``version`` per entity
and raise [`ConflictError`][mentorkit.errors.ConflictError] on a stale one, and group writes with
``transaction()``.

Examples:
    >>> import datetime as dt
    >>> from mentorkit import Mentorship
    >>> from mentorkit.storage import open_store
    >>> with open_store("memory://") as store:
    ...     m = store.put(Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2",
    ...                              start=dt.date(2024, 8, 1)))
    ...     store.find(Mentorship, mentor_id="p-1")[0].id
    'm-1'
"""

from __future__ import annotations

import typing

from mentorkit.storage._codec import INDEXES, register_index
from mentorkit.storage._fields import read_fields
from mentorkit.storage._protocol import Range, Recorder, Store
from mentorkit.storage._transfer import export_store, import_store
from mentorkit.storage._url import (
    ENTRY_POINT_GROUP,
    open_store,
    register_store,
    registered_stores,
)
from mentorkit.storage.jsonfile import JsonStore
from mentorkit.storage.memory import MemoryStore
from mentorkit.storage.sqlite import SQLiteStore

if typing.TYPE_CHECKING:
    from mentorkit.storage.postgres import PostgresStore

__all__ = [
    "ENTRY_POINT_GROUP",
    "INDEXES",
    "JsonStore",
    "MemoryStore",
    "PostgresStore",
    "Range",
    "Recorder",
    "SQLiteStore",
    "Store",
    "export_store",
    "import_store",
    "open_store",
    "read_fields",
    "register_index",
    "register_store",
    "registered_stores",
]


def __getattr__(name: str) -> typing.Any:
    # psycopg is optional: import the PostgreSQL backend only when it is asked for.
    if name == "PostgresStore":
        from mentorkit.storage.postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module 'mentorkit.storage' has no attribute {name!r}")
