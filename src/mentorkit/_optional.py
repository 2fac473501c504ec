"""The one helper that imports an optional dependency, naming the extra that installs it."""

from __future__ import annotations

import importlib
from typing import Any

#: The extra that installs each optional module (by its top-level package).
EXTRAS = {
    "pandas": "notebook",
    "matplotlib": "notebook",
    "icalendar": "calendar",
    "scipy": "bench",  # only the benchmarks and tests compare against SciPy
    "psycopg": "postgres",
    "psycopg_pool": "postgres",
    "ortools": "ortools",
    "tqdm": "progress",
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
            command that provides it (and why it cannot be imported, when it is installed
            but one of its own imports fails). (Packages whose errors are their own, such as
            storage's StorageError, re-raise it as theirs with the same message.)
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        extra = extra or EXTRAS.get(module.partition(".")[0], "all")
        missing = exc.name is not None and (module + ".").startswith(exc.name + ".")
        if missing:
            why = f"{module} is needed for {purpose}; install it with"
        else:  # installed, but broken (one of its own imports failed): say so, not "install"
            why = (f"{module} is needed for {purpose} but cannot be imported ({exc}); "
                   "reinstall it with")  # fmt: skip
        raise ModuleNotFoundError(f'{why}: pip install "mentorkit[{extra}]"', name=module) from exc
