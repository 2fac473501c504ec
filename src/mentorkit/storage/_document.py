"""The whole-store JSON document: the file format of ``JsonStore`` and of exports.

.. code-block:: text

    {"$type": "mentorkit.store", "$schema": 1, "collections": {
      "person": [
        {"$type": "person", "$schema": 1, "id": "p-1", "version": 3, ...},
        ...
      ], ...}}

Collections are sorted by name and documents by id, one document per line, so files diff
well. Each document is exactly what ``mentorkit.serialization.to_dict`` writes.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from mentorkit.errors import StorageError
from mentorkit.model._checks import MAX_VERSION
from mentorkit.serialization import TAG_KEY

if TYPE_CHECKING:
    from collections.abc import Iterable

#: The ``$type`` of a whole-store document.
STORE_TAG = "mentorkit.store"
#: The version of the whole-store document layout this mentorkit writes and reads.
STORE_SCHEMA = 1


class Stored(NamedTuple):
    """One document of a whole-store document, as found."""

    type: str
    id: str
    version: int
    text: str


#: The key of a JSON store's change counter: every commit writes the next number, so another
#: process can tell the file changed even when its size, inode and (coarse) timestamp repeat.
GENERATION_KEY = "$generation"
_HEAD = re.compile(
    rb'^\{"\$type": "mentorkit\.store", "\$schema": \d+, "\$generation": (\d{1,19}),'
)
#: A counter starts below this (at random): up to 19 digits leave room for 10**18 commits.
GENERATION_START = 9 * 10**18
#: How many leading bytes of a file `generation` needs.
HEAD_SIZE = 96


def dump(collections: Iterable[tuple[str, Iterable[str]]], *, generation: int | None = None) -> str:
    """The whole-store document of ``(collection, document texts)`` pairs (already sorted).

    ``generation`` (a JSON store's change counter) goes on the first line, where
    `generation` finds it without reading the rest; exports have none.
    """
    counter = "" if generation is None else f' "{GENERATION_KEY}": {generation},'
    parts = [f'{{"$type": "{STORE_TAG}", "$schema": {STORE_SCHEMA},{counter} "collections": {{']
    groups = []
    for name, texts in collections:
        body = ",\n  ".join(texts)
        if body:
            groups.append(f"\n {json.dumps(name)}: [\n  {body}\n ]")
    parts.append(",".join(groups))
    parts.append("\n}}\n" if groups else "}}\n")
    return "".join(parts)


def generation(head: bytes) -> int | None:
    """The change counter on the first line of a JSON store file, or ``None``.

    ``None`` when the first line has none (an export, or a file edited by hand): such a
    file is always re-read.
    """
    found = _HEAD.match(head)
    return None if found is None else int(found.group(1))


def _fail(where: str, why: str) -> StorageError:
    return StorageError(f"{where} is not a mentorkit store document: {why}")


def load(text: str | bytes, where: str) -> dict[str, list[Stored]]:
    """Parse a whole-store document into its documents, by collection.

    Args:
        text: The document.
        where: What to call it in error messages (a path).

    Raises:
        StorageError: not JSON, not a mentorkit store document, a newer layout version, or
            a malformed entry (the message says which).
    """
    try:
        doc: Any = json.loads(text)
    except (ValueError, UnicodeDecodeError, RecursionError, TypeError) as exc:
        raise _fail(where, f"not JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get(TAG_KEY) != STORE_TAG:
        raise _fail(where, f'its "$type" is not "{STORE_TAG}"')
    schema = doc.get("$schema")
    if type(schema) is not int:  # true == 1 in Python: a bool or float is no schema number
        raise _fail(where, f'bad "$schema" {schema!r}')
    if isinstance(schema, int) and not isinstance(schema, bool) and schema > STORE_SCHEMA:
        raise StorageError(
            f"{where} was written by a newer mentorkit (store schema {schema}); this one "
            f"reads schema {STORE_SCHEMA} and older: upgrade mentorkit"
        )
    if schema != STORE_SCHEMA:
        raise _fail(where, f'bad "$schema" {schema!r}')
    collections = doc.get("collections")
    if not isinstance(collections, dict):
        raise _fail(where, '"collections" must be an object')
    out: dict[str, list[Stored]] = {}
    for name, entries in collections.items():
        if not isinstance(entries, list):
            raise _fail(where, f"collection {name!r} must be a list")
        found = out[name] = []
        for i, entry in enumerate(entries):
            tag = entry.get(TAG_KEY) if isinstance(entry, dict) else None
            id = entry.get("id") if isinstance(entry, dict) else None
            version = entry.get("version") if isinstance(entry, dict) else None
            if (
                not isinstance(tag, str)
                or not isinstance(id, str)
                or isinstance(version, bool)
                or not isinstance(version, int)
                or not 1 <= version <= MAX_VERSION
            ):
                raise _fail(
                    where,
                    f"collections.{name}[{i}] needs a string $type and id and a version from 1 to "
                    f"{MAX_VERSION}",
                )
            text_ = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
            found.append(Stored(tag, id, version, text_))
        ids = [s.id for s in found]
        if len(set(ids)) != len(ids):
            raise _fail(where, f"collection {name!r} holds an id twice")
    return out
