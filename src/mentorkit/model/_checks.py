"""attrs validators that raise `ValidationError` naming the field."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import attrs

from mentorkit.errors import ValidationError


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


def non_negative(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a number that is zero or more (``bool`` is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValidationError("must be a number >= 0", field=attribute.name, value=value)


#: The largest entity version (a signed 64-bit integer, what SQL stores can hold).
MAX_VERSION = 2**63 - 1


def version_number(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require an integer version from 0 to `MAX_VERSION` (``bool`` is not one)."""
    if type(value) is not int or not 0 <= value <= MAX_VERSION:
        raise ValidationError(
            f"must be an integer from 0 to {MAX_VERSION}", field=attribute.name, value=value
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


def optional_text(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Like `text`, but ``None`` is allowed."""
    if value is not None:
        text(inst, attribute, value)


def optional_number(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require ``None`` or a finite int or float (``bool`` is not a number here)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
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
