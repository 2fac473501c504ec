"""One catalogue implementation for frameworks and cycles: built-ins, registrations, plugins.

A catalogue resolves a name from three sources: objects registered in this process (from
Python or a file), the package's entry point group, and the data files shipped inside the
package. Registrations live in a private dict behind a read-only ``MappingProxyType``.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from mentorkit import _plugins
from mentorkit.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from importlib import metadata

T = TypeVar("T")

_SUFFIXES = (".json", ".toml")


@attrs.frozen(kw_only=True)
class CatalogueEntry:
    """One framework or cycle definition that can be loaded by name.

    Attributes:
        name: The name to load it by.
        title: Its human title.
        origin: Where it comes from: ``"builtin"``, ``"python"`` (registered from code),
            ``"file: <path>"``, or ``"entry point: <dist> <version> (<module:object>)"``.
    """

    name: str
    title: str
    origin: str


def read_document(path: Path) -> Any:
    """Parse a JSON or TOML file into plain data.

    Raises:
        NotFoundError: the file does not exist.
        ValidationError: the file is not JSON or TOML, or cannot be parsed (naming the path).
    """
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        raise ValidationError("must name a .json or .toml file", field="path", value=str(path))
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"no such file: {path}") from None
    except OSError as exc:
        raise ValidationError(
            f"cannot be read: {exc.strerror}", field="path", value=str(path)
        ) from None
    try:
        if suffix == ".json":
            return json.loads(raw)
        return tomllib.loads(raw.decode("utf-8"))
    except (json.JSONDecodeError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(
            f"is not valid {suffix[1:].upper()}: {exc}", field="path", value=str(path)
        ) from None


def _is_path(name_or_path: str) -> bool:
    return "/" in name_or_path or os.sep in name_or_path or name_or_path.endswith(_SUFFIXES)


#: How plain data becomes an object of a catalogue's class: the one converter's reader,
#: installed by ``mentorkit.serialization`` when it is imported. Frameworks and cycles use
#: this module and sit a layer below serialization, so it must not import serialization.
_READERS: list[Callable[[Mapping[str, Any], type[Any]], Any]] = []


def install_reader(read: Callable[[Mapping[str, Any], type[Any]], Any]) -> None:
    """Set how catalogues structure data (``read(data, cls)``, tagged or not)."""
    _READERS[:] = [read]


class Catalogue(Generic[T]):
    """Built-in data files, registrations and an entry point group for one kind of object."""

    def __init__(
        self,
        *,
        kind: str,
        cls: type[T],
        group: str,
        data: str,
        name_of: Callable[[T], str],
        title_of: Callable[[T], str],
    ) -> None:
        self.kind = kind
        self.cls = cls
        self.group = group
        self._data = data
        self._name_of = name_of
        self._title_of = title_of
        self._registered: dict[str, T] = {}
        self._origins: dict[str, str] = {}
        #: A read-only view of the objects registered in this process, by name.
        self.registered: Mapping[str, T] = MappingProxyType(self._registered)
        self._builtins: dict[str, T] = {}

    # -- documents -------------------------------------------------------------------------

    def from_data(self, data: Any, *, where: str) -> T:
        """Structure plain data (tagged or not) into the catalogue's class."""
        if not isinstance(data, Mapping):
            raise ValidationError(
                f"must hold a {self.kind} (a JSON object / TOML table)",
                field=where,
                value=type(data).__name__,
            )
        if not _READERS:  # pragma: no cover - importing mentorkit imports serialization
            raise RuntimeError("import mentorkit.serialization first: it reads catalogue data")
        try:
            read: Callable[[Mapping[str, Any], type[T]], T] = _READERS[0]
            return read(data, self.cls)
        except ValidationError as exc:
            raise ValidationError(
                f"{where}: not a valid {self.kind}", field=exc.field, errors=exc.errors
            ) from exc

    def read(self, path: str | os.PathLike[str]) -> T:
        """Read one object from a JSON or TOML file."""
        where = Path(path)
        return self.from_data(read_document(where), where=str(where))

    # -- built-ins -------------------------------------------------------------------------

    def _builtin_files(self) -> dict[str, Any]:
        package, _, folder = self._data.rpartition(".")
        root = resources.files(package) / folder
        return {
            Path(item.name).stem: item for item in root.iterdir() if item.name.endswith(_SUFFIXES)
        }

    def _builtin(self, name: str) -> T | None:
        if name in self._builtins:
            return self._builtins[name]
        item = self._builtin_files().get(name)
        if item is None:
            return None
        text = item.read_text(encoding="utf-8")
        data = json.loads(text) if item.name.endswith(".json") else tomllib.loads(text)
        obj = self.from_data(data, where=f"built-in {self.kind} {name!r}")
        self._builtins[name] = obj
        return obj

    # -- entry points ----------------------------------------------------------------------

    def _entry_points(self) -> dict[str, metadata.EntryPoint]:
        return _plugins.installed(self.group)

    def _ep_origin(self, ep: metadata.EntryPoint) -> str:
        return _plugins.origin(ep)

    def _load_entry_point(self, ep: metadata.EntryPoint) -> T:
        def check(name: str, obj: Any) -> T:
            if isinstance(obj, str | os.PathLike):
                obj = self.read(obj)
            elif not isinstance(obj, self.cls) and callable(obj):
                obj = obj()
            return self._check(obj, name=name, where=f"entry point {name!r}")

        found: T = _plugins.load(ep, check)
        return found

    def _check(self, obj: object, *, name: str | None, where: str) -> T:
        if not isinstance(obj, self.cls):
            raise ValidationError(
                f"{where} must provide a {self.cls.__name__}, not a {type(obj).__qualname__}",
                field=self.kind.replace(" ", "_"),
                value=type(obj).__qualname__,
            )
        if name is not None and self._name_of(obj) != name:
            raise ValidationError(
                f"{where} provides {self.kind} {self._name_of(obj)!r}; the names must match",
                field="id",
                value=self._name_of(obj),
            )
        return obj

    # -- public operations -----------------------------------------------------------------

    def register(self, obj: T | str | os.PathLike[str], *, replace: bool = False) -> T:
        """Register an object (or read and register a file) under its own name."""
        if isinstance(obj, str | os.PathLike):
            origin = f"file: {Path(obj).resolve()}"
            value = self.read(obj)
        else:
            origin = "python"
            value = self._check(obj, name=None, where=f"register({type(obj).__qualname__})")
        name = self._name_of(value)
        if not replace:
            taken = self._origin_of(name)
            if taken is not None:
                raise ValidationError(
                    f"is already a {self.kind} ({taken}); pass replace=True to shadow it",
                    field="id",
                    value=name,
                )
        self._registered[name] = value
        self._origins[name] = origin
        return value

    def at_hand(self, name: str) -> T | None:
        """The object of this name registered in this process or built in, else ``None``.

        Imports no plugin and raises nothing (a broken built-in is ``None`` too): for checks
        that use an object when one is at hand and do without it otherwise.
        """
        if name in self._registered:
            return self._registered[name]
        try:
            return self._builtin(name)
        except ValidationError:
            return None

    def unregister(self, name: str) -> None:
        """Forget a registration made in this process (built-ins and plugins stay)."""
        if name not in self._registered:
            raise NotFoundError(f"no {self.kind} {name!r} was registered in this process")
        del self._registered[name]
        del self._origins[name]

    def _origin_of(self, name: str) -> str | None:
        if name in self._registered:
            return self._origins[name]
        eps = self._entry_points()
        if name in eps:
            return self._ep_origin(eps[name])
        if name in self._builtin_files():
            return "builtin"
        return None

    def names(self) -> list[str]:
        """Every name that can be loaded, sorted."""
        return sorted({*self._registered, *self._entry_points(), *self._builtin_files()})

    def load(self, name_or_path: str | os.PathLike[str]) -> T:
        """Load by name (registered, entry point, built-in, in that order) or from a file."""
        if not isinstance(name_or_path, str | os.PathLike):
            raise ValidationError(
                "must be a name or a path", field="name_or_path", value=name_or_path
            )
        if isinstance(name_or_path, os.PathLike) or _is_path(name_or_path):
            return self.read(name_or_path)
        name = name_or_path
        if name in self._registered:
            return self._registered[name]
        eps = self._entry_points()
        if name in eps:
            if name in self._builtin_files():
                raise ValidationError(
                    f"{self._ep_origin(eps[name])} clashes with the built-in {self.kind} "
                    f"{name!r}; rename the plugin",
                    field="entry_point",
                    value=eps[name].value,
                )
            return self._load_entry_point(eps[name])
        found = self._builtin(name)
        if found is None:
            known = ", ".join(self.names()) or "none"
            raise NotFoundError(f"no {self.kind} named {name!r} (known: {known})")
        return found

    def entries(self) -> tuple[CatalogueEntry, ...]:
        """Every loadable object with its title and origin, sorted by name.

        A broken plugin is left out with a ``PluginWarning`` naming it; the rest are listed.
        """
        out = []
        for name in self.names():
            try:
                obj = self.load(name)
            except ValidationError as exc:
                if name in self._registered or name not in self._entry_points():
                    raise
                _plugins.warn_broken(exc)
                continue
            origin = self._origin_of(name)
            assert origin is not None  # names() lists only resolvable names
            out.append(CatalogueEntry(name=name, title=self._title_of(obj), origin=origin))
        return tuple(out)
