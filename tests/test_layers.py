"""The packages keep to their layers (DESIGN.md), and each imports alone.

An import-linter style contract, read from the source with ``ast`` (every import counts:
at module level, inside functions, and under ``TYPE_CHECKING``; so do a name imported from
``mentorkit`` that ``mentorkit/__init__.py`` re-exports from a package, an attribute of
``mentorkit`` reached after ``import mentorkit``, and a string naming a mentorkit module,
``"mentorkit.storage"`` or ``"mentorkit.storage._url:opener"``, as ``importlib`` and plugin
registries import them):

    model <- frameworks | cycles <- serialization <- storage
          <- graph, matching, scheduling, measurement <- synthetic, cli, testing

A package may import its own layer's siblings (``|`` marks siblings that must not import
each other) and any layer below, never a layer above; below ``model`` sit the shared
private helpers (``errors``, ``_files``, ``_optional``, ``_plugins``, ``_gc``,
``_catalogue``). No module but ``__main__`` imports ``cli``.
"""

from __future__ import annotations

import ast
import json
import re
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


#: A string naming a mentorkit module (for ``importlib.import_module``), maybe with an
#: attribute (a ``"module:attribute"`` plugin path).
_MODULE_STRING = re.compile(r"^(mentorkit(?:\.[A-Za-z_]\w*)+)(?::[\w.]+)?$")


def _reexports(root: Path) -> dict[str, str]:
    """The names ``mentorkit/__init__.py`` imports from its modules: name -> module."""
    init = root / "__init__.py"
    out: dict[str, str] = {}
    if not init.exists():
        return out
    for node in ast.walk(ast.parse(init.read_text(encoding="utf-8"), str(init))):
        if (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").startswith("mentorkit.")
        ):
            for alias in node.names:
                out[alias.asname or alias.name] = str(node.module)
    return out


def imports(root: Path = SRC) -> list[tuple[str, str, str, int]]:
    """Every import of a mentorkit module in ``root``: (importer, imported, file, line)."""
    found = []
    reexported = _reexports(root)

    def top(name: str) -> str:
        """``mentorkit.<name>``, through a re-export of ``mentorkit/__init__.py``."""
        return reexported.get(name, f"mentorkit.{name}")

    for path in sorted(root.rglob("*.py")):
        module, is_package = _module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        # The names ``import mentorkit`` (or ``import mentorkit as mk``) binds here.
        bound = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
            if alias.name == "mentorkit"
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id in bound and module != "mentorkit":
                    names = [top(node.attr)]
                else:
                    continue
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                match = _MODULE_STRING.match(node.value)
                if match is None:
                    continue
                names = [match.group(1)]
            elif isinstance(node, ast.Import):
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
                    names = [top(alias.name) for alias in node.names]
            else:
                continue
            line = getattr(node, "lineno", 0)
            for name in names:
                if name.startswith("mentorkit."):
                    found.append((module, name, str(path.relative_to(root.parent)), line))
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


@pytest.mark.parametrize(
    "source",
    [
        "from mentorkit.storage import open_store\n",
        "def f():\n    import mentorkit.storage._codec as c\n",
        "from ..storage import open_store\n",
        "from .. import storage\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from mentorkit import storage\n",
        # a name mentorkit/__init__.py re-exports from storage
        "from mentorkit import open_store\n",
        # ``import mentorkit`` then an attribute: the package's __init__ imports storage
        "import mentorkit\n\ndef f():\n    return mentorkit.open_store\n",
        "import mentorkit as mk\n\ndef f():\n    return mk.storage.MemoryStore\n",
        # strings that importlib or a plugin registry imports
        "import importlib\n\nstore = importlib.import_module('mentorkit.storage')\n",
        "store = __import__('mentorkit.storage._url')\n",
        "OPENERS = {'memory': 'mentorkit.storage._url:_open_memory'}\n",
    ],
)
def test_an_upward_import_of_any_spelling_is_reported(tmp_path, source):
    package = tmp_path / "mentorkit"
    (package / "model").mkdir(parents=True)
    (package / "storage").mkdir()
    (package / "__init__.py").write_text("from mentorkit.storage import open_store\n")
    (package / "storage" / "__init__.py").write_text("def open_store(): ...\n")
    (package / "model" / "__init__.py").write_text("")
    (package / "model" / "_x.py").write_text(source)
    assert [v for v in violations(package) if "model is below storage" in v], source


def test_strings_and_attributes_that_name_no_upper_layer_are_not_reported(tmp_path):
    package = tmp_path / "mentorkit"
    (package / "model").mkdir(parents=True)
    (package / "__init__.py").write_text("__version__ = '1'\n")
    (package / "model" / "__init__.py").write_text("")
    (package / "model" / "_x.py").write_text(
        "import mentorkit\n\nV = mentorkit.__version__\n"
        "WHERE = 'see mentorkit.storage for stores'  # prose, not a module path\n"
        "OWN = 'mentorkit.model._x:V'\n"
    )
    assert violations(package) == []


#: Imports one mentorkit module without running ``mentorkit/__init__.py`` (which imports
#: every core package first, in one fixed order, and so would hide a cycle or an upward
#: import that only shows when a package is imported first), then prints the units loaded.
_ALONE = """
import importlib, importlib.util, json, sys, types
spec = importlib.util.find_spec("mentorkit")
package = types.ModuleType("mentorkit")
package.__path__ = list(spec.submodule_search_locations)
package.__file__ = spec.origin
sys.modules["mentorkit"] = package
importlib.import_module("mentorkit." + sys.argv[1])
print(json.dumps(sorted({m.split(".")[1] for m in sys.modules if m.startswith("mentorkit.")})))
"""
#: Every package and top-level module (``__main__`` would run the command).
UNITS = PACKAGES + sorted(p.stem for p in SRC.glob("*.py") if not p.stem.startswith("__"))


@pytest.mark.parametrize("name", UNITS)
def test_each_package_imports_alone_in_a_fresh_interpreter_and_loads_no_layer_above(name):
    result = subprocess.run(
        [sys.executable, "-c", _ALONE, name],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout.splitlines()[-1])) - {name}
    above = sorted(u for u in loaded if u in LAYER and LAYER[u] > LAYER[name])
    assert above == [], f"importing mentorkit.{name} alone loads {above}"
    if isinstance(LAYERS[LAYER[name]], tuple):
        assert not loaded & set(LAYERS[LAYER[name]]), "independent siblings"


def test_importing_mentorkit_loads_no_optional_dependency_and_no_cli():
    code = "import json, sys, mentorkit\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout))
    optional = {"pandas", "numpy", "matplotlib", "icalendar", "psycopg", "psycopg_pool",
                "scipy", "ortools"}  # fmt: skip
    assert sorted(loaded & optional) == []
    assert not any(m.startswith("mentorkit.cli") for m in loaded)
