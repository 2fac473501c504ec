"""``open_store(url)`` and the registry of store URL schemes.

Third-party backends register a scheme with ``register_store`` or the entry point group
``mentorkit.stores``.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import urllib.parse
from typing import TYPE_CHECKING, Any

from mentorkit import _plugins
from mentorkit._plugins import view as _plugin_view
from mentorkit.errors import MentorkitError, NotFoundError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from mentorkit.storage._protocol import Store

    Opener = Callable[..., Store]

#: The entry point group third-party backends register their URL scheme under: the entry
#: point's name is the scheme, its value an opener ``"package.module:open_url"``.
ENTRY_POINT_GROUP = "mentorkit.stores"

# A password in a key=value DSN ends at white space that no backslash escapes, or at the
# closing quote of a quoted value (libpq's rules: ``password=a\\ b`` is "a b", and ``&`` is
# part of the value); in a URL's query it ends at ``&`` or ``#``.
_KEY_PASSWORD = re.compile(
    r"(password\s*=\s*)('(?:[^'\\]|\\.)*'?|(?:[^\s\\]|\\.)*\\?)", re.IGNORECASE
)
_QUERY_PASSWORD = re.compile(r"(password\s*=\s*)([^&#]*)", re.IGNORECASE)
_ESCAPED = re.compile(r"\\(.)")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*$")
_DOTTED = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")

_OPENERS: dict[str, Opener | str] = {
    "memory": "mentorkit.storage._url:_open_memory",
    "json": "mentorkit.storage._url:_open_json",
    "sqlite": "mentorkit.storage._url:_open_sqlite",
    "postgresql": "mentorkit.storage._url:_open_postgres",
    "postgres": "mentorkit.storage._url:_open_postgres",
}
_entry_points_loaded = False


def _passwords(url: str) -> list[str]:
    """The passwords a store URL or ``key=value`` DSN carries, as written and decoded."""
    _, sep, rest = url.partition("://")
    pattern = _QUERY_PASSWORD if sep else _KEY_PASSWORD
    found = [m.group(2) for m in pattern.finditer(url)]
    found += [_ESCAPED.sub(r"\1", p.strip("'")) for p in found]
    if sep and "@" in rest:
        userinfo = rest[: rest.rindex("@")]
        if ":" in userinfo:
            found.append(userinfo[userinfo.index(":") + 1 :])
    out = []
    for p in found:
        out += [p, urllib.parse.unquote(p)]
    return sorted({p for p in out if p}, key=len, reverse=True)


def redact(url: str) -> str:
    """A store URL (or libpq ``key=value`` DSN) with its password replaced by ``***``.

    The one redaction every message naming a store goes through: ``repr`` of a store,
    errors of [`open_store`][mentorkit.storage.open_store], the command line. A password may
    contain ``@``, ``:`` or ``/``; everything between the user name and the last ``@`` is hidden.

    Examples:
        >>> redact("postgresql://app:s3cr@t@db.example.org/mentoring")
        'postgresql://app:***@db.example.org/mentoring'
        >>> redact("host=db user=app password='s3 cret' dbname=m")
        'host=db user=app password=*** dbname=m'
    """
    if not isinstance(url, str):
        return f"a {type(url).__name__}"
    out = (_QUERY_PASSWORD if "://" in url else _KEY_PASSWORD).sub(r"\1***", url)
    head, sep, rest = out.partition("://")
    if sep and "@" in rest:
        at = rest.rindex("@")
        userinfo = rest[:at]
        if ":" in userinfo:
            user = userinfo[: userinfo.index(":")]
            out = f"{head}://{user}:***{rest[at:]}"
    return out


#: ``scheme://user:secret@``: the userinfo of any URL a driver message quotes.
_URL_USERINFO = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)\S*@", re.IGNORECASE)
#: What a driver's message says instead when it would show the password.
WITHHELD = "(the driver's details are withheld: they would show the password)"


def scrub(text: str, url: str) -> str:
    """``text`` (a driver's error message, say) that shows no password of ``url``.

    The store URL and ``password=`` settings it quotes are redacted. If the password (or a
    piece of one the driver split at ``@``, ``:`` or ``/``) still appears anywhere, the
    whole text is withheld: masking each occurrence would show where the password's
    letters stand in the message (a password ``e`` turned "connect" into "conn***ct").
    """
    shown = redact(url) if isinstance(url, str) and url else ""
    if shown:
        text = text.replace(url, shown)
    text = _KEY_PASSWORD.sub(r"\1***", text)
    text = _URL_USERINFO.sub(r"\1***@", text)
    # The redacted URL is already fit to show (its user or database may spell the password:
    # that says nothing a reader of the URL did not know), so it is left out of the search.
    rest = text.replace(shown, "") if shown else text
    for secret in _passwords(url) if isinstance(url, str) else ():
        pieces = [secret, *(p for p in re.split(r"[@:/?#]", secret) if len(p) >= 3)]
        if any(piece in rest for piece in pieces):
            return WITHHELD
    return text


def _merge_entry_points() -> None:
    """Add the installed ``mentorkit.stores`` plugins, once, as paths imported on first use.

    A plugin with a malformed scheme or opener is skipped with a ``PluginWarning`` naming it;
    the others are still registered.
    """
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    _plugins.register_installed(ENTRY_POINT_GROUP, _OPENERS, register_store)


#: A read-only view of the registered URL schemes and their openers (a callable, or a
#: ``"module:attribute"`` path imported on first use), installed plugins included.
registered_stores: Mapping[str, Opener | str] = _plugin_view(_OPENERS, _merge_entry_points)


def register_store(scheme: str, opener: Opener | str, *, replace: bool = False) -> None:
    """Register a store backend under a URL scheme, for `open_store`.

    The opener is called as ``opener(url, **options)`` and returns a
    [`Store`][mentorkit.storage.Store]. It is checked now (not at first use): it must be
    callable with one positional argument, or a ``"package.module:attribute"`` path to such
    a callable (imported on first use, so registering stays cheap).

    Args:
        scheme: The URL scheme, lower case (``"redis"`` for ``redis://...``).
        opener: The callable or its dotted path.
        replace: Allow replacing an existing scheme (built-in ones included). Registering
            the same opener again, or a named function defined again at module level under
            the same module and qualified name (a notebook cell run twice), needs no
            ``replace``; a function made inside another function (a closure) always does.

    Raises:
        ValidationError: a malformed scheme or opener, or a scheme already taken.

    Examples:
        >>> from mentorkit.storage import MemoryStore
        >>> register_store("scratch", lambda url, **options: MemoryStore())
        >>> open_store("scratch://")
        MemoryStore()
    """
    if not isinstance(scheme, str) or not _SCHEME.match(scheme):
        raise ValidationError(
            "must be a lower-case URL scheme (letters, digits, '+', '-', '.')",
            field="scheme",
            value=scheme,
        )
    _check_opener(opener)
    taken = _OPENERS.get(scheme, opener)
    if taken != opener and not replace and not _plugins.redefined(taken, opener):
        raise ValidationError(
            "is already registered (pass replace=True to replace it)", field="scheme", value=scheme
        )
    _OPENERS[scheme] = opener


def _check_opener(opener: object) -> None:
    if isinstance(opener, str):
        if not _DOTTED.match(opener):
            raise ValidationError(
                "must be a callable or a 'package.module:attribute' path",
                field="opener",
                value=opener,
            )
        return
    if not callable(opener):
        raise ValidationError("must be callable", field="opener", value=opener)
    try:
        inspect.signature(opener).bind("memory://")
    except TypeError:
        raise ValidationError(
            "must accept the URL as its one positional argument: opener(url, **options)",
            field="opener",
            value=opener,
        ) from None
    except ValueError:  # no signature to inspect (some builtins): trust it
        return


def _resolve(scheme: str) -> Opener:
    opener = _OPENERS[scheme]
    if not isinstance(opener, str):
        return opener
    module, _, attribute = opener.partition(":")
    try:
        found: Any = importlib.import_module(module)
        for part in attribute.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError) as exc:
        raise NotFoundError(
            f"the store opener {opener!r} for {scheme}:// cannot be loaded: {exc}"
        ) from exc
    _check_opener(found)
    _OPENERS[scheme] = found
    return found  # type: ignore[no-any-return]


def open_store(url: str, **options: Any) -> Store:
    """Open the store a URL names.

    ``memory://``; ``json:///people.json`` and ``sqlite:///mentorkit.db`` (three slashes then
    a path relative to the current folder; four for an absolute one:
    ``sqlite:////srv/data/mentorkit.db``, as in SQLAlchemy); ``postgresql://user:pw@host/db``;
    and any scheme registered with [`register_store`][mentorkit.storage.register_store] or the
    ``mentorkit.stores`` entry
    point group.

    Args:
        url: The store URL.
        **options: Passed to the backend (``timeout=`` for every file or database store,
            ``max_size=`` for the PostgreSQL pool).

    Returns:
        The open store; close it (or use it in a ``with`` block) when done.

    Raises:
        ValidationError: a malformed URL (or a path no file can have), or an option the
            backend does not take or a bad value for it. A password in the URL never
            appears in the message of any error raised here.
        NotFoundError: no backend registered for the URL's scheme.
        StorageError: the backend cannot open the store.

    Examples:
        >>> from mentorkit import Person
        >>> with open_store("memory://") as store:
        ...     store.put(Person(id="p-1", name="Ana")).version
        1
    """
    if not isinstance(url, str) or "://" not in url:
        raise ValidationError(
            "must be a store URL such as sqlite:///mentorkit.db or memory://",
            field="url",
            value=redact(url),
        )
    scheme = url.split("://", 1)[0].lower()
    if scheme not in _OPENERS:
        _merge_entry_points()
    if scheme not in _OPENERS:
        known = ", ".join(f"{s}://" for s in sorted(_OPENERS))
        raise NotFoundError(f"no store backend for {scheme}:// (known: {known})")
    opener = _resolve(scheme)
    _check_options(opener, f"{scheme}://", options, skip=1)
    try:
        return opener(url, **options)
    except MentorkitError as exc:
        # A backend (third-party ones too) may quote the URL: never its password.
        if _passwords(url) and any(p in str(exc) for p in _passwords(url)):
            raise type(exc)(scrub(str(exc), url)) from None
        raise


def _check_options(target: Any, what: str, options: Mapping[str, Any], *, skip: int) -> None:
    """Refuse options ``target`` does not take, naming the first (after ``skip`` arguments).

    Raises:
        ValidationError: an option ``target`` does not accept.
    """
    try:
        params = list(inspect.signature(target).parameters.values())
    except (TypeError, ValueError):  # no signature to inspect: trust it
        return
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return
    named = {
        p.name: p
        for p in params[skip:]
        if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    }
    for name, value in options.items():
        if name not in named:
            takes = ", ".join(sorted(named)) or "none"
            raise ValidationError(
                f"is not an option of {what} stores (options: {takes})", field=name, value=value
            )


def file_path(url: str) -> str:
    """The file path of a ``scheme:///relative`` or ``scheme:////absolute`` URL.

    Raises:
        ValidationError: the URL names a host, or no path.
    """
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as exc:  # an unbalanced "[" (IPv6 host), a bad port...
        raise ValidationError(f"is not a URL: {exc}", field="url", value=redact(url)) from None
    if parts.netloc:
        raise ValidationError(
            f"a {parts.scheme}:// URL takes no host: write {parts.scheme}:///relative/path "
            f"or {parts.scheme}:////absolute/path",
            field="url",
            value=redact(url),
        )
    path = urllib.parse.unquote(parts.path)
    if not path.startswith("/") or path == "/":
        raise ValidationError(
            f"needs a path: {parts.scheme}:///relative/path or {parts.scheme}:////absolute/path",
            field="url",
            value=url,
        )
    if parts.query or parts.fragment:
        raise ValidationError("takes no query or fragment", field="url", value=url)
    try:
        os.fsencode(path)
    except UnicodeError:
        path = ""
    if "\0" in path or not path:
        raise ValidationError(
            "names a path no file can have (a NUL byte, or text the file system cannot encode)",
            field="url",
            value=url,
        )
    return path[1:]


def _open_memory(url: str, **options: Any) -> Store:
    from mentorkit.storage.memory import MemoryStore

    if url.rstrip("/") != "memory:":
        raise ValidationError("a memory store URL is just memory://", field="url", value=url)
    _check_options(MemoryStore, "memory://", options, skip=0)
    return MemoryStore(**options)


def _open_json(url: str, **options: Any) -> Store:
    from mentorkit.storage.jsonfile import JsonStore

    _check_options(JsonStore, "json://", options, skip=1)
    return JsonStore(file_path(url), **options)


def _open_sqlite(url: str, **options: Any) -> Store:
    from mentorkit.storage.sqlite import SQLiteStore

    _check_options(SQLiteStore, "sqlite://", options, skip=1)
    if url in ("sqlite://", "sqlite:///:memory:"):
        return SQLiteStore(":memory:", **options)
    return SQLiteStore(file_path(url), **options)


def _open_postgres(url: str, **options: Any) -> Store:
    from mentorkit.storage.postgres import PostgresStore

    _check_options(PostgresStore, "postgresql://", options, skip=1)
    return PostgresStore(url, **options)
