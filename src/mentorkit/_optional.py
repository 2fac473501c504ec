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
    "numpy": "scipy",
    "scipy": "scipy",
    "psycopg": "postgres",
    "ortools": "ortools",
}


def require(module: str) -> Any:
    """Import an optional dependency, or fail with the extra that installs it.

    Raises:
        ModuleNotFoundError: naming the module and the ``pip install "mentorkit[extra]"``
            command that provides it.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        extra = EXTRAS.get(module, "all")
        raise ModuleNotFoundError(
            f'{module} is needed for this; install it with: pip install "mentorkit[{extra}]"',
            name=module,
        ) from exc
