"""Frameworks and cycle definitions plugged in through installed entry points.

Each test writes a tiny installed distribution (a ``.dist-info`` with ``entry_points.txt``
and a module) into a temporary directory on ``sys.path``, so ``importlib.metadata`` finds
real :class:`importlib.metadata.EntryPoint` objects, exactly as for a pip-installed plugin.
"""

import datetime as dt
import sys
import textwrap
import uuid
from importlib import metadata

import pytest

from mentorkit import from_json, to_json
from mentorkit.cycles import list_cycles, load_cycle
from mentorkit.errors import PluginWarning, TransitionError, ValidationError
from mentorkit.frameworks import list_frameworks, load_framework


def _install_plugin(tmp_path, monkeypatch, *, module_source, entry_points):
    """Write a tiny installed distribution (a dist-info and a module) onto sys.path."""
    module = f"mk_plugin_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{module}.py").write_text(textwrap.dedent(module_source))
    info = tmp_path / "district_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: district-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(entry_points.format(module=module))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, module, raising=False)
    return module


PLUGIN = """
import pathlib

from mentorkit.cycles import CycleDefinition, Phase, Transition
from mentorkit.frameworks import Competency, CompetencyFramework

framework = CompetencyFramework(
    id="district-ep", title="From a plugin",
    competencies=[Competency(code="equity", title="Equity")])

def make_framework():
    return CompetencyFramework(id="district-factory", title="From a factory")

def make_cycle():
    return CycleDefinition(
        id="district-cycle", title="District cycle",
        phases=[Phase(id="plan", ordinal=0, title="Plan", requires=["plan_doc"]),
                Phase(id="do", ordinal=1, title="Do")],
        transitions=[Transition(source="plan", target="do")])

cycle_file = str(pathlib.Path(__file__).with_name("cycle.toml"))

not_a_framework = {"id": "district-bad"}
"""

CYCLE_TOML = """
id = "district-file-cycle"
title = "From a data file named by a plugin"
[[phases]]
id = "only"
ordinal = 0
title = "Only"
"""


def test_a_framework_and_a_cycle_plug_in_from_an_installed_distribution(tmp_path, monkeypatch):
    (tmp_path / "cycle.toml").write_text(CYCLE_TOML)
    module = _install_plugin(
        tmp_path,
        monkeypatch,
        module_source=PLUGIN,
        entry_points=(
            "[mentorkit.frameworks]\n"
            "district-ep = {module}:framework\n"
            "district-factory = {module}:make_framework\n"
            "[mentorkit.cycles]\n"
            "district-cycle = {module}:make_cycle\n"
            "district-file-cycle = {module}:cycle_file\n"
        ),
    )
    eps = metadata.entry_points(group="mentorkit.frameworks")
    assert isinstance(eps["district-ep"], metadata.EntryPoint)
    assert eps["district-ep"].dist.name == "district-plugin"

    fw = load_framework("district-ep")
    assert fw.get("equity").title == "Equity"
    assert load_framework("district-factory").title == "From a factory"
    frameworks = {e.name: e for e in list_frameworks()}
    assert frameworks["district-ep"].origin == (
        f"entry point: district-plugin 0.1 ({module}:framework)"
    )

    cycle_def = load_cycle("district-cycle")
    assert load_cycle("district-file-cycle").phases[0].id == "only"
    assert {e.name for e in list_cycles()} >= {"district-cycle", "district-file-cycle"}

    # An engagement on the plugin's cycle finds its definition by name.
    cycle = cycle_def.start(id="c", person_id="p", started=dt.datetime(2025, 1, 6, tzinfo=dt.UTC))
    with pytest.raises(TransitionError, match="plan_doc"):
        cycle.advance("do")
    moved = cycle.record("plan_doc", "doc-1").advance("do", by="coach")
    assert from_json(to_json(moved)) == moved


def test_plugins_disappear_with_their_distribution(tmp_path, monkeypatch):
    with monkeypatch.context() as patch:
        _install_plugin(
            tmp_path,
            patch,
            module_source=PLUGIN,
            entry_points="[mentorkit.cycles]\ndistrict-cycle = {module}:make_cycle\n",
        )
        assert "district-cycle" in {e.name for e in list_cycles()}
    assert "district-cycle" not in {e.name for e in list_cycles()}


def test_a_plugin_that_is_not_a_framework_is_rejected_naming_the_entry_point(tmp_path, monkeypatch):
    _install_plugin(
        tmp_path,
        monkeypatch,
        module_source=PLUGIN,
        entry_points="[mentorkit.frameworks]\ndistrict-bad = {module}:not_a_framework\n",
    )
    with pytest.raises(ValidationError) as info:
        load_framework("district-bad")
    assert "district-bad" in str(info.value)
    assert info.value.value == "dict"
    # Listing isolates it: a warning naming it, the other frameworks still listed.
    with pytest.warns(PluginWarning, match="district-bad"):
        names = {e.name for e in list_frameworks()}
    assert names == {"leader-growth", "manager-of-self"}


def test_a_cycle_plugin_that_provides_a_framework_is_rejected(tmp_path, monkeypatch):
    _install_plugin(
        tmp_path,
        monkeypatch,
        module_source=PLUGIN,
        entry_points="[mentorkit.cycles]\ndistrict-ep = {module}:framework\n",
    )
    with pytest.raises(ValidationError, match="CycleDefinition") as info:
        load_cycle("district-ep")
    assert info.value.value == "CompetencyFramework"


def test_a_plugin_whose_name_differs_from_its_framework_id_is_rejected(tmp_path, monkeypatch):
    _install_plugin(
        tmp_path,
        monkeypatch,
        module_source=PLUGIN,
        entry_points="[mentorkit.frameworks]\nsomething-else = {module}:framework\n",
    )
    with pytest.raises(ValidationError) as info:
        load_framework("something-else")
    assert info.value.field == "id"
    assert info.value.value == "district-ep"


def test_a_plugin_that_fails_to_import_is_reported_not_raised_raw(tmp_path, monkeypatch):
    _install_plugin(
        tmp_path,
        monkeypatch,
        module_source="raise RuntimeError('boom')\n",
        entry_points="[mentorkit.frameworks]\ndistrict-boom = {module}:framework\n",
    )
    with pytest.raises(ValidationError, match="boom") as info:
        load_framework("district-boom")
    assert info.value.field == "entry_point"


def test_a_plugin_cannot_take_a_built_in_name(tmp_path, monkeypatch):
    _install_plugin(
        tmp_path,
        monkeypatch,
        module_source=PLUGIN,
        entry_points="[mentorkit.cycles]\ncycle-of-inquiry = {module}:make_cycle\n",
    )
    with pytest.raises(ValidationError, match="clashes with the built-in"):
        load_cycle("cycle-of-inquiry")
