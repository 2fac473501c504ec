"""Strategies by name: built-ins, registered ones, and the ``mentorkit.matchers`` entry points."""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Mapping
from typing import Any

from mentorkit import _plugins
from mentorkit.errors import MatchingError, NotFoundError, ValidationError
from mentorkit.matching._protocol import Matcher

#: A factory makes a matcher from keyword options (usually the matcher class itself).
MatcherFactory = Callable[..., Matcher]

ENTRY_POINT_GROUP = "mentorkit.matchers"

_NAME = re.compile(r"^[a-z][a-z0-9_.-]*$")
_PATH = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")

_registry: dict[str, MatcherFactory | str] = {
    "greedy": "mentorkit.matching.greedy:GreedyMatcher",
    "stable": "mentorkit.matching.stable:StableMatcher",
    "optimal": "mentorkit.matching.optimal:OptimalMatcher",
    "circles": "mentorkit.matching.circles:CircleMatcher",
}
_entry_points_loaded = False


def _merge_entry_points() -> None:
    """Add the installed ``mentorkit.matchers`` plugins, once, as paths imported on first use.

    A plugin with a malformed name or path is skipped with a ``PluginWarning`` naming it;
    the others are still registered.
    """
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    _plugins.register_installed(ENTRY_POINT_GROUP, _registry, register_matcher)


#: A read-only view of the registry, installed plugins included: name -> factory, or the
#: "module:attr" path not yet imported.
matchers: Mapping[str, MatcherFactory | str] = _plugins.view(_registry, _merge_entry_points)


def register_matcher(name: str, factory: MatcherFactory | str, *, replace: bool = False) -> None:
    """Register a strategy under ``name`` so that ``match(..., strategy=name)`` finds it.

    The factory is checked now, not when first used: it must be callable and, when it is a
    class, have a ``match(problem, *, seed)`` method. A ``"module:attr"`` string is imported
    lazily, on first use, and checked then.

    Args:
        name: Lower-case name (letters, digits, ``_ . -``).
        factory: The matcher class, or any callable taking keyword options and returning a
            matcher, or its ``"package.module:Name"`` path.
        replace: Allow replacing an existing registration. Not needed for the same class
            or function defined again (at module level, same module and qualified name: a
            notebook cell run twice), which takes its old definition's place; never for a
            lambda or for a class or function made inside another function.

    Raises:
        ValidationError: A bad name or a factory of the wrong shape.
        MatchingError: ``name`` is taken and ``replace`` is false.

    Examples:
        >>> from mentorkit.matching import GreedyMatcher, matchers
        >>> class Mine(GreedyMatcher):
        ...     name = "mine"
        >>> register_matcher("mine", Mine)
        >>> "mine" in matchers
        True
        >>> register_matcher("broken", object())
        Traceback (most recent call last):
        ...
        mentorkit.errors.ValidationError: factory: must be a matcher class, a callable returning a matcher, or a 'module:attr' path (got <object object at ...>)
    """  # noqa: E501
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValidationError(
            "must be a lower-case name (letters, digits, _ . -)", field="name", value=name
        )
    if name in _registry and not replace and not _plugins.redefined(_registry[name], factory):
        raise MatchingError(f"a matcher named {name!r} is already registered (replace=True?)")
    if isinstance(factory, str):
        if not _PATH.match(factory):
            raise ValidationError(
                "must look like 'package.module:Name'", field="factory", value=factory
            )
    else:
        _check_factory(factory)
    _registry[name] = factory


def unregister_matcher(name: str) -> None:
    """Remove a registration (built-ins included).

    Raises:
        NotFoundError: Nothing is registered under ``name``.
    """
    if _registry.pop(name, None) is None:
        raise NotFoundError(f"no matcher named {name!r}")


def get_matcher(name: str, **options: Any) -> Matcher:
    """Make the matcher registered under ``name`` with ``options``.

    Raises:
        NotFoundError: No matcher of that name (the message lists the known ones).
        ValidationError: The options do not suit the matcher.
    """
    factory = _resolve(name)
    try:
        matcher = factory(**options)
    except TypeError as exc:
        raise ValidationError(
            f"{name!r} does not take these options: {exc}", field="options", value=sorted(options)
        ) from None
    if not isinstance(matcher, Matcher):
        raise MatchingError(f"the factory of {name!r} returned {matcher!r}, which is not a Matcher")
    return matcher


def _resolve(name: str) -> MatcherFactory:
    if name not in _registry:
        _merge_entry_points()
    try:
        factory = _registry[name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(_registry))
        raise NotFoundError(f"no matcher named {name!r} (known: {known})") from None
    if isinstance(factory, str):
        module, _, attr = factory.partition(":")
        try:
            obj: Any = importlib.import_module(module)
            for part in attr.split("."):
                obj = getattr(obj, part)
        except (ImportError, AttributeError) as exc:
            raise MatchingError(f"cannot load matcher {name!r} from {factory!r}: {exc}") from None
        _check_factory(obj)
        _registry[name] = factory = obj
    return factory


def _check_factory(factory: object) -> None:
    message = "must be a matcher class, a callable returning a matcher, or a 'module:attr' path"
    if not callable(factory):
        raise ValidationError(message, field="factory", value=factory)
    if inspect.isclass(factory):
        method = getattr(factory, "match", None)
        if not callable(method):
            raise ValidationError("has no match() method", field="factory", value=factory)
        try:
            params = inspect.signature(method).parameters
        except (TypeError, ValueError):  # pragma: no cover - builtins without signatures
            return
        if "seed" not in params or params["seed"].kind not in (
            inspect.Parameter.KEYWORD_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        ):
            raise ValidationError(
                "match() must take (problem, *, seed)", field="factory", value=factory
            )
        if not isinstance(getattr(factory, "name", None), str):
            raise ValidationError("has no 'name' string", field="factory", value=factory)
