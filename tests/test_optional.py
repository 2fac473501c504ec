"""The one optional-dependency helper: its message names an extra that installs the module."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest

from mentorkit import _optional

REPO = Path(__file__).resolve().parents[1]
EXTRAS = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]


def _installs(extra: str) -> set[str]:
    """The import names of the packages an extra installs (through the extras it names)."""
    out: set[str] = set()
    for requirement in EXTRAS[extra]:
        name = re.split(r"[<>=!~ ;\[]", requirement, maxsplit=1)[0]
        if name == "mentorkit":
            for inner in re.findall(r"\[(.*)\]", requirement)[0].split(","):
                out |= _installs(inner.strip())
        else:
            out.add(name.replace("-", "_"))
    return out


@pytest.mark.parametrize("module", sorted(_optional.EXTRAS))
def test_the_extra_named_for_each_module_installs_it(module):
    extra = _optional.EXTRAS[module]
    assert extra in EXTRAS, f"{module}: no extra {extra!r} in pyproject.toml"
    assert module in _installs(extra), f"mentorkit[{extra}] does not install {module}"


def test_a_missing_module_names_the_extra_that_installs_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "icalendar", None)  # an import of it now fails
    with pytest.raises(ModuleNotFoundError, match=r'pip install "mentorkit\[calendar\]"'):
        _optional.require("icalendar", purpose="iCalendar export")
    monkeypatch.setitem(sys.modules, "ortools", None)
    with pytest.raises(ModuleNotFoundError, match=r'pip install "mentorkit\[ortools\]"'):
        _optional.require("ortools")


def test_an_installed_module_that_fails_to_import_is_not_called_missing(tmp_path, monkeypatch):
    broken = tmp_path / "icalendar"
    broken.mkdir()
    (broken / "__init__.py").write_text("import mentorkit_no_such_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "icalendar", raising=False)
    with pytest.raises(ModuleNotFoundError) as info:
        _optional.require("icalendar", purpose="iCalendar export")
    message = str(info.value)
    assert "cannot be imported" in message
    assert "mentorkit_no_such_dependency" in message
    assert 'pip install "mentorkit[calendar]"' in message
