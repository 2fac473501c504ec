"""The one helper that imports an optional dependency, naming the extra that installs it."""

from __future__ import annotations

import importlib
from typing import Any

#: The extra that installs each optional module.
EXTRAS = {
    "pandas": "notebook",
    "matplotlib": "notebook",
    "matplotlib.pyplot": "notebook",
    "icalendar": "calendar",
    "scipy": "scipy",
    "psycopg": "postgres",
    "psycopg_pool": "postgres",
    "ortools": "ortools",
}


def require(module: str, *, extra: str | None = None, purpose: str = "this") -> Any:
    """Import an optional dependency, or fail with the extra that installs it.

    Args:
        module: The module to import.
        extra: The extra to name (by default the one that installs ``module``; a feature
            may need it through another extra, such as numpy for ``ortools``).
        purpose: What needs it, for the message.

    Raises:
        ModuleNotFoundError: naming the module and the ``pip install "mentorkit[extra]"``
            command that provides it. (Packages whose errors are their own, such as
            storage's StorageError, re-raise it as theirs with the same message.)
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        extra = extra or EXTRAS.get(module.partition(".")[0], "all")
        raise ModuleNotFoundError(
            f'{module} is needed for {purpose}; install it with: pip install "mentorkit[{extra}]"',
            name=module,
        ) from exc
