"""The one helper that imports an optional dependency or names the extra that installs it."""

from __future__ import annotations

import importlib
from typing import Any

_EXTRAS = {"pandas": "notebook", "matplotlib": "notebook", "matplotlib.pyplot": "notebook"}


def require(module: str) -> Any:
    """Import an optional dependency, or fail with the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        extra = _EXTRAS.get(module, "all")
        raise ModuleNotFoundError(
            f'{module} is needed for this; install it with: pip install "mentorkit[{extra}]"',
            name=module,
        ) from exc
