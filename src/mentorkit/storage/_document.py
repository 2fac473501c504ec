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
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from mentorkit.errors import StorageError
from mentorkit.model._checks import MAX_VERSION
from mentorkit.serialization import TAG_KEY

if TYPE_CHECKING:
    from collections.abc import Iterable

    from mentorkit.model import Entity
    from mentorkit.storage._codec import Row

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


def parse(text: str | bytes, where: str) -> dict[str, list[dict[str, Any]]]:
    """Parse a whole-store document once: its entries (JSON objects), by collection.

    Every entry has a string ``$type`` and ``id`` and a ``version`` from 1 to
    ``MAX_VERSION``, and no id appears twice in a collection; the entries are not decoded
    further (see ``_transfer.check_document``).

    Args:
        text: The document.
        where: What to call it in error messages (a path).

    Raises:
        StorageError: not JSON, not a mentorkit store document, a newer layout version, or
            a malformed entry (the message names its collection, position and id).
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
    if schema > STORE_SCHEMA:
        raise StorageError(
            f"{where} was written by a newer mentorkit (store schema {schema}); this one "
            f"reads schema {STORE_SCHEMA} and older: upgrade mentorkit"
        )
    if schema != STORE_SCHEMA:
        raise _fail(where, f'bad "$schema" {schema!r}')
    collections = doc.get("collections")
    if not isinstance(collections, dict):
        raise _fail(where, '"collections" must be an object')
    for name, entries in collections.items():
        if not isinstance(entries, list):
            raise _fail(where, f"collection {name!r} must be a list")
        ids: set[str] = set()
        for i, entry in enumerate(entries):
            ok = type(entry) is dict
            id = entry.get("id") if ok else None
            version = entry.get("version") if ok else None
            if (
                not ok
                or type(entry.get(TAG_KEY)) is not str
                or type(id) is not str
                or type(version) is not int
                or not 1 <= version <= MAX_VERSION
            ):
                named = f" (id {id!r})" if type(id) is str else ""
                raise _fail(
                    where,
                    f"collections.{name}[{i}]{named} needs a string $type and id and a "
                    f"version from 1 to {MAX_VERSION}",
                )
            if id in ids:
                raise _fail(where, f"collection {name!r} holds the id {id!r} twice")
            ids.add(id)
    return collections


def load(text: str | bytes, where: str) -> dict[str, list[Stored]]:
    """Parse a whole-store document into its documents (compact JSON text), by collection.

    Args:
        text: The document.
        where: What to call it in error messages (a path).

    Raises:
        StorageError: as `parse` does.
    """
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return {
        name: [Stored(e[TAG_KEY], e["id"], e["version"], dumps(e)) for e in entries]
        for name, entries in parse(text, where).items()
    }


class Checked(Sequence["Entity"]):
    """The entities of an imported document, made by the converter, with their stored rows.

    What ``_transfer.check_document`` returns, and hands to a store's ``restore``: to any
    [Recorder][mentorkit.storage.Recorder] it is a read-only sequence of entities; a
    built-in store (``BaseStore.restore``) writes the rows made with them instead of
    validating and encoding each entity a second time. ``rows[i]`` is the row of
    ``entities[i]`` at its own version, or ``None`` where the generated writer declined.
    ``layout`` is the index layout the rows' keys follow (``_codec.index_layout()``): a
    store opened since may have adopted another one, and then the rows are not used.
    """

    __slots__ = ("entities", "layout", "rows")

    def __init__(
        self, entities: tuple[Entity, ...], rows: tuple[Row | None, ...], layout: str
    ) -> None:
        self.entities = entities
        self.rows = rows
        self.layout = layout

    def __len__(self) -> int:
        return len(self.entities)

    @overload
    def __getitem__(self, index: int) -> Entity: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Entity, ...]: ...
    def __getitem__(self, index: int | slice) -> Entity | tuple[Entity, ...]:
        return self.entities[index]

    def __repr__(self) -> str:
        return f"<{len(self)} checked entities>"
