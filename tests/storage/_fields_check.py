"""What read_fields must give: the named fields of the entities find/all decode, same types."""

from __future__ import annotations

from typing import Any


def decoded_fields(store: Any, cls: type, names: tuple[str, ...], **filters: Any) -> list[tuple]:
    """The ``names`` of each entity ``find`` (or ``all``) returns, in its order."""
    found = store.find(cls, **filters) if filters else store.all(cls)
    return [tuple(getattr(e, n) for n in names) for e in found]


def assert_same(got: list[tuple], want: list[tuple]) -> None:
    """Equal, and of the same types too: an enum member (not its value), a date (not its
    text), a tuple (not a list)."""
    assert got == want
    for g, w in zip(got, want, strict=True):
        assert [type(x) for x in g] == [type(x) for x in w]
