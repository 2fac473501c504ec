"""The framework catalogue: built-in data files, registrations, the entry point group."""

from __future__ import annotations

import os
from collections.abc import Mapping

from mentorkit._catalogue import Catalogue, CatalogueEntry
from mentorkit.frameworks._model import CompetencyFramework

#: The entry point group third-party packages list their frameworks in.
ENTRY_POINT_GROUP = "mentorkit.frameworks"

_CATALOGUE: Catalogue[CompetencyFramework] = Catalogue(
    kind="framework",
    cls=CompetencyFramework,
    group=ENTRY_POINT_GROUP,
    data="mentorkit.frameworks.data",
    name_of=lambda fw: fw.id,
    title_of=lambda fw: fw.title,
)

#: A read-only view of the frameworks registered in this process with
#: [`register`][mentorkit.frameworks.register].
registered_frameworks: Mapping[str, CompetencyFramework] = _CATALOGUE.registered


def load_framework(name_or_path: str | os.PathLike[str]) -> CompetencyFramework:
    """Load a framework by name, or read one from a JSON or TOML file.

    A name is looked up among frameworks registered in this process, then the entry point
    group ``mentorkit.frameworks``, then the built-in catalogue (``manager-of-self``,
    ``leader-growth``). A path (anything with a slash, or ending in ``.json`` or ``.toml``)
    is read as a framework document; it is not registered.

    Args:
        name_or_path: A framework name, or the path of a framework file.

    Returns:
        The framework.

    Raises:
        NotFoundError: no framework has this name (the message lists the known ones), or the
            file does not exist.
        ValidationError: the file or plugin does not hold a valid framework (naming the path
            to each bad field).

    Examples:
        >>> fw = load_framework("manager-of-self")
        >>> for competency in fw.competencies:
        ...     print(competency.title)
        Relationship Building
        Interpersonal Effectiveness
        Planning and Organization
        Communication
        Develops Talent
    """
    return _CATALOGUE.load(name_or_path)


def register(
    framework: CompetencyFramework | str | os.PathLike[str], *, replace: bool = False
) -> CompetencyFramework:
    """Register a framework under its ``id`` for this process, from Python or a file.

    Args:
        framework: A [`CompetencyFramework`][mentorkit.frameworks.CompetencyFramework], or the path
            of a JSON or TOML framework
            file to read.
        replace: Allow shadowing a framework of the same name (built-in, plugin or earlier
            registration). Without it, a taken name is an error.

    Returns:
        The registered framework.

    Raises:
        ValidationError: ``framework`` is not a framework (checked now, not when first
            used), the file is invalid, or the name is taken and ``replace`` is false.

    Examples:
        >>> from mentorkit.frameworks import Competency, CompetencyFramework, unregister
        >>> fw = register(CompetencyFramework(
        ...     id="coaching-basics", title="Coaching basics",
        ...     competencies=[Competency(code="listening", title="Listening")]))
        >>> load_framework("coaching-basics") is fw
        True
        >>> unregister("coaching-basics")
    """
    return _CATALOGUE.register(framework, replace=replace)


def unregister(name: str) -> None:
    """Forget a framework registered in this process (mainly for tests).

    Raises:
        NotFoundError: no framework of that name was registered with
            [`register`][mentorkit.frameworks.register].
    """
    _CATALOGUE.unregister(name)


def list_frameworks() -> tuple[CatalogueEntry, ...]:
    """Every framework that `load_framework` can load by name, with its origin.

    Plugins are loaded (and so validated) to read their titles.

    Returns:
        Entries sorted by name, each with ``name``, ``title`` and ``origin``
        (``"builtin"``, ``"python"``, ``"file: ..."`` or ``"entry point: ..."``).

    Raises:
        ValidationError: an installed plugin is broken (naming the entry point).

    Examples:
        >>> for entry in list_frameworks():
        ...     print(entry.name, entry.origin)
        leader-growth builtin
        manager-of-self builtin
    """
    return _CATALOGUE.entries()
