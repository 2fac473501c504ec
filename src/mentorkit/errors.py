"""The one error hierarchy of mentorkit.

Every public call raises a subclass of [`MentorkitError`][mentorkit.errors.MentorkitError]; no
driver exception
(``sqlite3``, ``psycopg``, ``json``, ``cattrs``) escapes. Services can map them to HTTP
statuses: [`ValidationError`][mentorkit.errors.ValidationError] -> 422,
[`NotFoundError`][mentorkit.errors.NotFoundError] -> 404,
[`ConflictError`][mentorkit.errors.ConflictError] -> 409,
[`TransitionError`][mentorkit.errors.TransitionError] -> 409.

Examples:
    >>> from mentorkit.errors import ValidationError, MentorkitError
    >>> err = ValidationError("must not be empty", field="name", value="")
    >>> isinstance(err, MentorkitError), isinstance(err, ValueError)
    (True, True)
    >>> str(err)
    "name: must not be empty (got '')"
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ConflictError",
    "FieldError",
    "MatchingError",
    "MentorkitError",
    "NotFoundError",
    "PluginWarning",
    "StorageError",
    "TransitionError",
    "ValidationError",
]

_MISSING = object()


class MentorkitError(Exception):
    """Base class of every error mentorkit raises on purpose."""


def _shown(value: object) -> str:
    """``repr(value)``, or a description where the repr itself fails (an int too long)."""
    try:
        return repr(value)
    except ValueError:
        if isinstance(value, int):
            return f"an integer of {value.bit_length()} bits"
        return f"a {type(value).__qualname__}"


class FieldError(str):
    """One problem of a [`ValidationError`][mentorkit.errors.ValidationError], with its path.

    It is the readable line itself (a ``str``: ``"expected an integer @ $.minutes"``), and
    carries the parts an API needs without parsing it.

    Attributes:
        path: The path of the offending field, in the form the rest of mentorkit names
            fields (``"start"``, ``"goals[0].text"``, ``"labels['team']"``), or ``None``
            when the problem is about the input as a whole.
        message: What is wrong, without the path (never a personal value).

    Examples:
        >>> line = FieldError("expected an integer", path="sessions[2].minutes")
        >>> line
        'expected an integer @ $.sessions[2].minutes'
        >>> line.path, line.message
        ('sessions[2].minutes', 'expected an integer')
    """

    path: str | None
    message: str

    def __new__(cls, message: str, path: str | None = None) -> FieldError:
        """The line ``"{message} @ $.{path}"`` (``"@ $"`` for the whole input)."""
        where = "$" if path is None else "$" + ("" if path.startswith("[") else ".") + path
        self = super().__new__(cls, f"{message} @ {where}")
        self.path = path
        self.message = message
        return self

    def __getnewargs__(self) -> tuple[str, str | None]:  # type: ignore[override]
        return (self.message, self.path)


class ValidationError(MentorkitError, ValueError):
    """Input that cannot be true or cannot be read: a bad field, a malformed document.

    Attributes:
        field: The path of the offending field (``"end"``, ``"sessions[2].minutes"``), or
            ``None`` when the error is about the whole input. Where there are several
            problems (a document read by [`from_dict`][mentorkit.serialization.from_dict]),
            it is the first one's.
        value: The offending value, when there is one (kept out of logs by the caller).
        errors: One human-readable line per problem, each naming the path to a bad field.
            Lines from a document are [`FieldError`][mentorkit.errors.FieldError]s: plain
            strings that also carry their ``path`` and ``message``.

    Examples:
        >>> import mentorkit as mk
        >>> try:
        ...     mk.from_dict({"$type": "person", "$schema": 1, "id": "p-1", "name": 7})
        ... except mk.ValidationError as err:
        ...     print(err.field, err.paths, err.errors[0].message)
        name ('name',) expected a string (got 7)
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        value: object = _MISSING,
        errors: Sequence[str] = (),
    ) -> None:
        self.field = field
        self.value = None if value is _MISSING else value
        #: Whether the error carries the offending value (personal data never does).
        self.has_value = value is not _MISSING
        self.message = message
        # Lines that carry their own paths name the fields; the first line need not.
        named = any(isinstance(e, FieldError) for e in errors)
        text = message if field is None or named else f"{field}: {message}"
        if value is not _MISSING:
            text = f"{text} (got {_shown(value)})"
        self.errors: tuple[str, ...] = tuple(errors) or (text,)
        if errors:
            text = text + "\n" + "\n".join(f"  - {e}" for e in self.errors)
        super().__init__(text)

    @property
    def paths(self) -> tuple[str, ...]:
        """The path of every offending field named in `errors`, in order, each once.

        ``field`` alone where the error has no [`FieldError`][mentorkit.errors.FieldError]
        lines (one bad argument), and ``()`` where nothing names a field.
        """
        found = [e.path for e in self.errors if isinstance(e, FieldError) and e.path]
        if not found and self.field is not None:
            found.append(self.field)
        return tuple(dict.fromkeys(found))


class NotFoundError(MentorkitError, LookupError):
    """An entity, framework, cycle or plugin that does not exist."""


class ConflictError(MentorkitError):
    """A write based on a stale version: somebody else changed the entity first."""


class TransitionError(MentorkitError):
    """An illegal coaching-phase move, or leaving a phase without its artefacts."""


class MatchingError(MentorkitError):
    """A matching problem that cannot be built or solved as asked."""


class StorageError(MentorkitError):
    """A store that cannot be opened, read or written (not a mentorkit store, newer schema...)."""


class PluginWarning(UserWarning):
    """An installed plugin (entry point) is broken and was skipped; the message names it.

    The other plugins still load. Turn it into an error where a broken plugin must stop
    everything: ``warnings.simplefilter("error", PluginWarning)``.
    """
