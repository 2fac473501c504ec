"""The packages keep to their layers (DESIGN.md), and each imports alone.

An import-linter style contract, read from the source with ``ast`` (every import counts:
at module level, inside functions, and under ``TYPE_CHECKING``):

    model <- frameworks | cycles <- serialization <- storage
          <- graph, matching, scheduling, measurement <- synthetic, cli, testing

A package may import its own layer's siblings (``|`` marks siblings that must not import
each other) and any layer below, never a layer above; below ``model`` sit the shared
private helpers (``errors``, ``_files``, ``_optional``, ``_plugins``, ``_gc``,
``_catalogue``). No module but ``__main__`` imports ``cli``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import mentorkit

SRC = Path(mentorkit.__file__).parent

#: Lowest first. A set's members are siblings; a tuple's members are independent siblings.
LAYERS: list[set[str] | tuple[str, ...]] = [
    {"errors", "_files", "_optional", "_plugins", "_gc", "_catalogue"},
    {"model"},
    ("frameworks", "cycles"),
    {"serialization"},
    {"storage"},
    {"graph", "matching", "scheduling", "measurement"},
    {"synthetic", "cli", "testing"},
    {"mentorkit", "__main__"},  # the package's own __init__, and ``python -m mentorkit``
]
LAYER = {name: i for i, layer in enumerate(LAYERS) for name in layer}
PACKAGES = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").exists())


def _unit(module: str) -> str:
    """The layered unit of a dotted module name: ``mentorkit.storage._codec`` -> ``storage``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "mentorkit"


def _module_name(path: Path, root: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def imports(root: Path = SRC) -> list[tuple[str, str, str, int]]:
    """Every import of a mentorkit module in ``root``: (importer, imported, file, line)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        module, is_package = _module_name(path, root)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: resolve against the importing module's package
                    base = module.split(".")
                    base = base[: len(base) - node.level + (1 if is_package else 0)]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                # ``from mentorkit import storage`` imports the package storage.
                names = [target, *(f"{target}.{alias.name}" for alias in node.names)]
                if target == "mentorkit":
                    names = [f"mentorkit.{alias.name}" for alias in node.names]
            else:
                continue
            for name in names:
                if name.startswith("mentorkit."):
                    found.append((module, name, str(path.relative_to(root.parent)), node.lineno))
    return found


def violations(root: Path = SRC) -> list[str]:
    """The imports that break the contract, one line each."""
    out = []
    for importer, imported, file, line in imports(root):
        a, b = _unit(importer), _unit(imported)
        if a == b or b not in LAYER:  # own package; ``mentorkit.__version__`` and the like
            continue
        where = f"{file}:{line}: {importer} imports mentorkit.{b}"
        if b == "cli" and a != "__main__":
            out.append(f"{where} (no module imports cli)")
        elif LAYER[a] < LAYER[b]:
            out.append(f"{where} ({a} is below {b})")
        elif LAYER[a] == LAYER[b] and isinstance(LAYERS[LAYER[a]], tuple):
            out.append(f"{where} ({a} and {b} are independent)")
    return sorted(set(out))


def test_every_package_and_top_level_module_has_a_layer():
    units = set(PACKAGES) | {p.stem for p in SRC.glob("*.py") if p.stem != "__init__"}
    assert units - set(LAYER) == set(), "add the new package to LAYERS"


def test_no_package_imports_a_layer_above_it():
    assert violations() == []


def test_the_contract_sees_imports_of_every_kind():
    # The checker is not vacuous: it finds the imports it is meant to judge.
    found = {(_unit(a), _unit(b)) for a, b, _, _ in imports()}
    assert ("storage", "serialization") in found  # from mentorkit.serialization import ...
    assert ("serialization", "frameworks") in found  # from mentorkit import frameworks
    assert ("__main__", "cli") in found


def test_an_upward_import_is_reported(tmp_path):
    package = tmp_path / "mentorkit"
    (package / "model").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "model" / "__init__.py").write_text("")
    (package / "model" / "_x.py").write_text(
        "def f():\n    from mentorkit.storage import open_store\n"
    )
    (package / "frameworks").mkdir()
    (package / "frameworks" / "__init__.py").write_text("from .. import cycles\n")
    (found,) = [v for v in violations(package) if "model" in v]
    assert "mentorkit.model._x imports mentorkit.storage (model is below storage)" in found
    assert any("frameworks and cycles are independent" in v for v in violations(package))


@pytest.mark.parametrize("name", PACKAGES)
def test_each_package_imports_alone_in_a_fresh_interpreter(name):
    result = subprocess.run(
        [sys.executable, "-c", f"import mentorkit.{name}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
