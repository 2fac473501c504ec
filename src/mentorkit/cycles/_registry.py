"""The cycle catalogue: built-in data files, registrations, the entry point group."""

from __future__ import annotations

import os
from collections.abc import Mapping

from mentorkit._catalogue import Catalogue, CatalogueEntry
from mentorkit.cycles._definition import CycleDefinition

#: The entry point group third-party packages list their cycle definitions in.
ENTRY_POINT_GROUP = "mentorkit.cycles"

_CATALOGUE: Catalogue[CycleDefinition] = Catalogue(
    kind="cycle definition",
    cls=CycleDefinition,
    group=ENTRY_POINT_GROUP,
    data="mentorkit.cycles.data",
    name_of=lambda d: d.id,
    title_of=lambda d: d.title,
)

#: A read-only view of the cycle definitions registered in this process with
#: [`register`][mentorkit.cycles.register].
registered_cycles: Mapping[str, CycleDefinition] = _CATALOGUE.registered


def _at_hand(name: str) -> CycleDefinition | None:
    """The definition ``name`` registered in this process or built in, else ``None``."""
    return _CATALOGUE.at_hand(name)


def load_cycle(name_or_path: str | os.PathLike[str]) -> CycleDefinition:
    """Load a cycle definition by name, or read one from a JSON or TOML file.

    A name is looked up among definitions registered in this process, then the entry point
    group ``mentorkit.cycles``, then the built-ins (``equity-leadership-coaching``,
    ``cycle-of-inquiry``). A path (anything with a slash, or ending in ``.json`` or
    ``.toml``) is read as a definition document; it is not registered.

    Args:
        name_or_path: A cycle name, or the path of a cycle definition file.

    Returns:
        The definition.

    Raises:
        NotFoundError: no definition has this name (the message lists the known ones), or
            the file does not exist.
        ValidationError: the file or plugin does not hold a valid definition.

    Examples:
        >>> print(*(p.id for p in load_cycle("cycle-of-inquiry").phases), sep=" -> ")
        gather_data -> find_lowest_condition -> co_design_actions -> act -> re_measure
    """
    return _CATALOGUE.load(name_or_path)


def register(
    definition: CycleDefinition | str | os.PathLike[str], *, replace: bool = False
) -> CycleDefinition:
    """Register a cycle definition under its ``id`` for this process, from Python or a file.

    Args:
        definition: A [`CycleDefinition`][mentorkit.cycles.CycleDefinition], or the path of a JSON
            or TOML file to read.
        replace: Allow shadowing a definition of the same name.

    Returns:
        The registered definition.

    Raises:
        ValidationError: ``definition`` is not a cycle definition (checked now), the file is
            invalid, or the name is taken and ``replace`` is false.
    """
    return _CATALOGUE.register(definition, replace=replace)


def unregister(name: str) -> None:
    """Forget a cycle definition registered in this process (mainly for tests).

    Raises:
        NotFoundError: no definition of that name was registered with
            [`register`][mentorkit.cycles.register].
    """
    _CATALOGUE.unregister(name)


def list_cycles() -> tuple[CatalogueEntry, ...]:
    """Every cycle definition `load_cycle` can load by name, with its origin.

    Returns:
        Entries sorted by name, each with ``name``, ``title`` and ``origin``.

    Raises:
        ValidationError: an installed plugin is broken (naming the entry point).

    Examples:
        >>> for entry in list_cycles():
        ...     print(entry.name, entry.origin)
        cycle-of-inquiry builtin
        equity-leadership-coaching builtin
    """
    return _CATALOGUE.entries()
