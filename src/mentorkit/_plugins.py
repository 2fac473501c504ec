"""The one plugin loader behind every entry point group mentorkit reads.

Groups: ``mentorkit.frameworks``, ``mentorkit.cycles``, ``mentorkit.stores``,
``mentorkit.matchers`` and ``mentorkit.entities``. The same rules everywhere:

- Listing is cheap: `installed` reads the installed distributions' metadata and
  imports nothing, so registries can list installed plugins before any is used.
- Loading is lazy and checked: `load` imports one entry point and runs the group's
  check on it; any failure is a ``ValidationError`` naming the entry point, its value and
  its distribution.
- A broken plugin is isolated: `load_each` (and every registry that merges a whole
  group) warns with a ``PluginWarning`` naming it, skips it, and goes on with the rest.
  Asking for a broken plugin by name still raises.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Container, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from mentorkit.errors import PluginWarning, ValidationError

if TYPE_CHECKING:  # importlib.metadata costs milliseconds: imported when plugins are looked up
    from importlib import metadata

T = TypeVar("T")


def installed(group: str) -> dict[str, metadata.EntryPoint]:
    """The entry points of ``group`` by name (the first one of a name wins); imports nothing."""
    from importlib.metadata import entry_points

    found: dict[str, metadata.EntryPoint] = {}
    for ep in entry_points(group=group):
        found.setdefault(ep.name, ep)
    return found


def origin(ep: metadata.EntryPoint) -> str:
    """``"entry point: <dist> <version> (<module:object>)"``, for messages and listings."""
    dist = ep.dist
    who = f"{dist.name} {dist.version} " if dist is not None else ""
    return f"entry point: {who}({ep.value})"


def describe(ep: metadata.EntryPoint) -> str:
    """How messages name a plugin: its name, group, value and distribution."""
    dist = ep.dist
    where = f" (from {dist.name} {dist.version})" if dist is not None else ""
    return f"plugin {ep.name!r} = {ep.value!r} of group {ep.group!r}{where}"


def load(ep: metadata.EntryPoint, check: Callable[[str, Any], T] | None = None) -> T | Any:
    """Import one entry point and run ``check(name, obj)`` on what it names.

    Raises:
        ValidationError: the import fails, or ``check`` refuses the object or fails in any
            other way (a factory it calls raises, a file it reads is gone); always naming
            the plugin.
    """
    try:
        obj: Any = ep.load()
    except Exception as exc:  # any failure of third-party code is reported, not raised raw
        raise ValidationError(
            f"{describe(ep)} cannot be loaded: {type(exc).__name__}: {exc}",
            field="entry_point",
            value=ep.value,
        ) from exc
    if check is None:
        return obj
    try:
        return check(ep.name, obj)
    except ValidationError as exc:
        kept: dict[str, Any] = {"value": exc.value} if exc.has_value else {}
        raise ValidationError(
            f"{describe(ep)} is not usable: {exc.message}",
            field=exc.field,
            errors=exc.errors if len(exc.errors) > 1 else (),
            **kept,
        ) from exc
    except Exception as exc:  # a plugin factory that raises, a file it names that is gone
        raise ValidationError(
            f"{describe(ep)} is not usable: {type(exc).__name__}: {exc}",
            field="entry_point",
            value=ep.value,
        ) from exc


def warn_broken(exc: Exception, *, stacklevel: int = 3) -> None:
    """Report a plugin skipped because of ``exc`` (whose message names it)."""
    warnings.warn(f"skipped a broken plugin: {exc}", PluginWarning, stacklevel=stacklevel)


def load_each(
    group: str,
    check: Callable[[str, Any], T] | None = None,
    *,
    skip: Container[str] = (),
) -> dict[str, T | Any]:
    """Load every entry point of ``group`` not in ``skip``; broken ones warn and are left out."""
    out: dict[str, T | Any] = {}
    for name, ep in installed(group).items():
        if name in skip:
            continue
        try:
            out[name] = load(ep, check)
        except ValidationError as exc:
            warn_broken(exc)
    return out


def register_installed(
    group: str, registry: Container[str], register: Callable[[str, str], object]
) -> None:
    """Register each installed plugin of ``group`` not in ``registry`` by its path.

    ``register(name, "module:attr")`` imports nothing yet; a plugin it refuses (a malformed
    name or path) is skipped with a ``PluginWarning`` naming it, and the others still count.
    """
    for name, ep in installed(group).items():
        if name in registry:
            continue
        try:
            register(name, ep.value)
        except ValidationError as exc:
            warn_broken(ValidationError(f"{describe(ep)}: {exc}", field="entry_point"))


class _View(Mapping[str, T]):
    """A read-only view of a registry that first merges its group's installed plugins."""

    __slots__ = ("_merge", "_registry")

    def __init__(self, registry: Mapping[str, T], merge: Callable[[], None]) -> None:
        self._registry = registry
        self._merge = merge

    def __getitem__(self, name: str) -> T:
        self._merge()
        return self._registry[name]

    def __iter__(self) -> Iterator[str]:
        self._merge()
        return iter(dict(self._registry))

    def __len__(self) -> int:
        self._merge()
        return len(self._registry)

    def __repr__(self) -> str:
        self._merge()
        return f"mappingproxy({self._registry!r})"


def view(registry: Mapping[str, T], merge: Callable[[], None]) -> Mapping[str, T]:
    """A read-only view of ``registry`` that calls ``merge`` (add installed plugins) first."""
    return _View(registry, merge)


def redefined(old: object, new: object) -> bool:
    """Whether ``new`` is ``old`` defined again: a notebook cell run twice, a module reloaded.

    Both are classes, or both plain functions, defined at module level in the same module
    under the same qualified name. Nothing made inside a function is (a qualified name with
    ``<locals>``: two closures or two classes one factory returns are two objects, however
    alike their names), nor a wrapper (``functools.wraps`` copies the wrapped function's
    name), nor are two lambdas, nor anything else (a dotted path, a callable
    object, a bound method: two objects' ``save`` methods share a name but are two
    callbacks). A registry may let such a definition take the old one's place without
    ``replace=True``.
    """
    if not (
        (inspect.isclass(old) and inspect.isclass(new))
        or (inspect.isfunction(old) and inspect.isfunction(new))
    ):
        return False
    if hasattr(old, "__wrapped__") or hasattr(new, "__wrapped__"):
        return False  # functools.wraps copies the wrapped name: two wrappers are two callbacks
    names = [(getattr(x, "__module__", None), getattr(x, "__qualname__", None)) for x in (old, new)]
    qualname = names[0][1]
    return (
        names[0] == names[1]
        and isinstance(qualname, str)
        and "<lambda>" not in qualname
        and "<locals>" not in qualname
    )
