"""attrs validators that raise `ValidationError` naming the field."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from mentorkit.errors import ValidationError

_F = TypeVar("_F", bound=Callable[[Any], Any])


def lenient(convert: _F) -> _F:
    """Make an attrs converter pass on what it cannot convert, for the validator to refuse.

    The one place constructors turn a raw ``TypeError``/``ValueError`` of a converter
    (``tuple(None)``, ``dict([1])``, ``Activity("x")``) into a
    [`ValidationError`][mentorkit.errors.ValidationError]: the field's validator sees the
    unconverted value and names the field. A converter's own ``ValidationError`` passes through.
    """

    @functools.wraps(convert)
    def converter(value: Any) -> Any:
        try:
            return convert(value)
        except ValidationError:
            raise
        except (TypeError, ValueError, OverflowError, AttributeError, KeyError):
            return value

    return converter  # type: ignore[return-value]  # same signature, by functools.wraps


#: The longest id or indexed value a store keeps, in characters: every store indexes them,
#: and PostgreSQL's index entries hold about 2,700 bytes (255 characters take at most 1,020).
#: Checked when an entity is written (so data stored before the limit still reads).
MAX_KEY_LENGTH = 255


def identifier(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a non-empty string without surrounding white space."""
    if not isinstance(value, str) or not value or value.strip() != value:
        raise ValidationError(
            "must be a non-empty string without surrounding spaces",
            field=attribute.name,
            value=value,
        )


def optional_identifier(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Like `identifier`, but ``None`` is allowed."""
    if value is not None:
        identifier(inst, attribute, value)


def _finite(value: object) -> bool:
    """Whether ``value`` is an int or float a float can hold (``bool`` is not a number here).

    An int beyond 1.8e308 is refused too: every figure mentorkit computes from it (a mean,
    a score, a JSON number another program reads) would overflow or lose it.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def non_negative(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a finite number that is zero or more (``bool`` is not a number here)."""
    if not _finite(value) or value < 0:  # type: ignore[operator]
        raise ValidationError("must be a finite number >= 0", field=attribute.name, value=value)


def boolean(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require ``True`` or ``False`` (not a truthy string such as ``"yes"``)."""
    if not isinstance(value, bool):
        raise ValidationError("must be true or false", field=attribute.name, value=value)


#: The largest entity version (a signed 64-bit integer, what SQL stores can hold).
MAX_VERSION = 2**63 - 1


def version_number(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require an integer version from 0 to `MAX_VERSION` (``bool`` is not one)."""
    if type(value) is not int or not 0 <= value <= MAX_VERSION:
        raise ValidationError(
            f"must be an integer from 0 to {MAX_VERSION}", field=attribute.name, value=value
        )


#: The most mentees one mentor can take (matching solvers count places in 64-bit integers,
#: and a sum over many mentors must still fit).
MAX_CAPACITY = 2**31 - 1


def optional_capacity(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require ``None`` or a whole number of mentees from 0 to `MAX_CAPACITY` (not a bool)."""
    if value is not None and (type(value) is not int or not 0 <= value <= MAX_CAPACITY):
        raise ValidationError(
            f"must be a whole number from 0 to {MAX_CAPACITY:,}", field=attribute.name, value=value
        )


def aware(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a timezone-aware `datetime.datetime`."""
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise ValidationError(
            "must be a timezone-aware datetime", field=attribute.name, value=value
        )


def is_date(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a `datetime.date` that is not a datetime."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError("must be a date", field=attribute.name, value=value)


def optional_date(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Like `is_date`, but ``None`` is allowed."""
    if value is not None:
        is_date(inst, attribute, value)


def not_before(start: dt.date | None, end: dt.date | None, *, field: str = "end") -> None:
    """Reject a period whose end comes before its start."""
    if start is not None and end is not None and end < start:
        raise ValidationError(
            f"must not be before start {start.isoformat()}", field=field, value=end
        )


def distinct(a: str | None, b: str | None, *, field: str, other: str) -> None:
    """Reject two references that must differ (a mentor who is their own mentee)."""
    if a is not None and a == b:
        raise ValidationError(f"must differ from {other}", field=field, value=a)


def member_of(enum: type[Any]) -> Any:
    """Require a member of ``enum``."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, enum):
            allowed = ", ".join(repr(m.value) for m in enum)
            raise ValidationError(f"must be one of {allowed}", field=attribute.name, value=value)

    check.enum = enum  # type: ignore[attr-defined]  # read by the storage codec's shortcuts
    return check


def text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a string (which may be empty)."""
    if not isinstance(value, str):
        raise ValidationError("must be a string", field=attribute.name, value=value)


def not_blank(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a string with something besides white space in it."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("must not be blank", field=attribute.name, value=value)


def optional_text(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Like `text`, but ``None`` is allowed."""
    if value is not None:
        text(inst, attribute, value)


def optional_private_text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Like `optional_text`, for personal data (an e-mail): the value is never echoed."""
    if value is not None and not isinstance(value, str):
        raise ValidationError(
            f"must be a string (got a {type(value).__name__})", field=attribute.name
        )


def optional_number(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require ``None`` or a finite int or float (``bool`` is not a number here)."""
    if value is not None and not _finite(value):
        raise ValidationError("must be a finite number", field=attribute.name, value=value)


def identifiers(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a tuple of non-empty string ids."""
    if not isinstance(value, tuple) or not all(isinstance(v, str) and v for v in value):
        raise ValidationError("must be a tuple of non-empty ids", field=attribute.name, value=value)


def texts(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a tuple of strings."""
    if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError("must be a tuple of strings", field=attribute.name, value=value)


def tuple_of(cls: type[Any]) -> Any:
    """Require a tuple whose items are all instances of ``cls``."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise ValidationError(f"must be a list of {cls.__name__}", field=attribute.name,
                                  value=value)  # fmt: skip
        for index, item in enumerate(value):
            if not isinstance(item, cls):
                raise ValidationError(f"must be an instance of {cls.__name__}",
                                      field=f"{attribute.name}[{index}]", value=item)  # fmt: skip

    check.item = cls  # type: ignore[attr-defined]  # read by the storage codec's shortcuts
    return check


def private_mapping(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require ``None`` or a mapping of strings to strings, never echoing the value.

    For personal data (demographics): the error names the field and what is wrong, but
    leaves the value out, since error messages end up in logs.
    """
    if value is None:
        return
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationError("must be a mapping of strings to strings", field=attribute.name)


def flag(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require ``True`` or ``False``."""
    if not isinstance(value, bool):
        raise ValidationError("must be true or false", field=attribute.name, value=value)


def optional_aware(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Like `aware`, but ``None`` is allowed."""
    if value is not None:
        aware(inst, attribute, value)


def optional_count(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require ``None`` or a whole number >= 0."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ValidationError("must be a whole number >= 0", field=attribute.name, value=value)


def store_reader(
    value: object, field: str = "store", methods: tuple[str, ...] = ("all", "find")
) -> None:
    """Require something that reads like a store (has the ``methods`` a call reads with).

    Raises:
        ValidationError: anything else (``None``, a path, a URL...), named by its type only.
    """
    if not all(callable(getattr(value, name, None)) for name in methods):
        raise ValidationError(
            "must be a store (open one with mentorkit.storage.open_store)",
            field=field,
            value=type(value).__name__,
        )
