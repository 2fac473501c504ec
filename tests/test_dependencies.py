"""Dependencies that are honest: every extra is used, the README promises only what extras
give, the floors are the ones CI tests, and the type checker sees networkx and pandas types."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
EXTRAS = PYPROJECT["project"]["optional-dependencies"]
SOURCE = "\n".join(p.read_text() for p in (REPO / "src").rglob("*.py"))
# Extras for tools around the library (not imported by it), or other extras' aliases.
TOOLING = {"test", "docs", "bench", "all", "scipy"}
# iCalendar export is being built (the scheduling issue); until it lands nothing imports it.
PENDING = {"calendar"}
IMPORT_NAME = {"psycopg[binary]": "psycopg", "psycopg-pool": "psycopg_pool"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ;]", requirement, maxsplit=1)[0]


def test_every_package_an_extra_installs_is_imported_by_mentorkit():
    for extra, requirements in EXTRAS.items():
        if extra in TOOLING | PENDING:
            continue
        for requirement in requirements:
            name = _name(requirement)
            if name.startswith("mentorkit"):
                continue
            module = IMPORT_NAME.get(name, name).replace("-", "_")
            assert re.search(rf"(import|from) {re.escape(module)}\b", SOURCE) or (
                f'"{module}' in SOURCE
            ), f"extra {extra!r} installs {name}, which mentorkit never imports"


def test_the_readme_promises_what_each_extra_installs():
    readme = (REPO / "README.md").read_text()
    lines = re.findall(r'pip install "mentorkit\[(\w+)\]"\s+# (.*)', readme)
    assert lines
    for extra, promise in lines:
        assert extra in EXTRAS, f"README installs an extra that does not exist: {extra}"
        if "optimal" in promise:
            assert any(_name(r) == "ortools" for r in EXTRAS[extra]), promise
    assert "scipy" not in dict(lines), "SciPy gives nothing to users; the README must not sell it"


def test_the_ci_tests_the_declared_floors():
    floors = {}
    for requirement in PYPROJECT["project"]["dependencies"]:
        name, _, low = requirement.partition(">=")
        floors[name] = low
    pinned = dict(
        line.split("==")
        for line in (REPO / ".ci" / "lowest-constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert set(pinned) == set(floors)
    assert all(Version(pinned[name]) == Version(low) for name, low in floors.items())
    assert "lowest-constraints.txt" in (REPO / ".ci" / "run").read_text()


def test_mypy_checks_against_networkx_and_pandas_stubs():
    test_extra = {_name(r) for r in EXTRAS["test"]}
    assert {"types-networkx", "pandas-stubs", "types-python-dateutil"} <= test_extra
    ignored = {
        module
        for override in PYPROJECT["tool"]["mypy"].get("overrides", [])
        if override.get("ignore_missing_imports")
        for module in override["module"]
    }
    assert not ignored & {"networkx.*", "pandas.*", "dateutil.*"}
