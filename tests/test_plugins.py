"""One plugin loader, the same rules in every entry point group.

Each test installs a tiny distribution (a ``.dist-info`` with ``entry_points.txt`` and a
module) on ``sys.path``, as pip would, so ``importlib.metadata`` finds real entry points.
"""

from __future__ import annotations

import json
import keyword
import os
import subprocess
import sys
import textwrap
import uuid
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorkit import _plugins
from mentorkit.cycles import list_cycles, load_cycle
from mentorkit.errors import PluginWarning, ValidationError
from mentorkit.frameworks import list_frameworks, load_framework
from mentorkit.matching import _registry as matcher_registry
from mentorkit.matching import matchers
from mentorkit.serialization import entity_plugins, load_entity_plugins, registered_types
from mentorkit.storage import _url, open_store, registered_stores


def _install(tmp_path, monkeypatch, source, entry_points, dist="district-plugins"):
    module = f"mk_plugins_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{module}.py").write_text(textwrap.dedent(source))
    info = tmp_path / f"{dist.replace('-', '_')}-0.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.2\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points).format(module=module))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, module, raising=False)
    return module


@pytest.fixture
def fresh_registries(monkeypatch):
    """Registries that have not merged entry points yet, restored afterwards."""
    monkeypatch.setattr(_url, "_entry_points_loaded", False)
    monkeypatch.setattr(matcher_registry, "_entry_points_loaded", False)
    saved = dict(matcher_registry._registry), dict(_url._OPENERS)
    yield
    for registry, before in zip((matcher_registry._registry, _url._OPENERS), saved, strict=True):
        registry.clear()
        registry.update(before)


STORES = """
from mentorkit.storage import MemoryStore

def open_good(url, **options):
    return MemoryStore()
"""


def test_a_malformed_store_plugin_does_not_stop_the_others(tmp_path, monkeypatch, fresh_registries):
    _install(tmp_path, monkeypatch, STORES, """
        [mentorkit.stores]
        S3_Bucket = {module}:open_good
        good = {module}:open_good
        """)  # fmt: skip
    with pytest.warns(PluginWarning, match="S3_Bucket") as caught:
        store = open_store("good://")
    assert "district-plugins" in str(caught[0].message)
    store.close()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # warned once, not at every lookup
        open_store("memory://").close()
        open_store("good://").close()


def test_installed_stores_and_matchers_are_listed_before_any_lookup(
    tmp_path, monkeypatch, fresh_registries
):
    module = _install(tmp_path, monkeypatch, STORES + """
class Reverse:
    name = "district-reverse"
    def match(self, problem, *, seed=0):
        raise AssertionError("never called")
""", """
        [mentorkit.stores]
        district = {module}:open_good
        [mentorkit.matchers]
        district-reverse = {module}:Reverse
        """)  # fmt: skip
    assert registered_stores["district"] == f"{module}:open_good"
    assert "district" in registered_stores
    assert "district-reverse" in matchers
    assert matchers["district-reverse"] == f"{module}:Reverse"
    assert module not in sys.modules  # listed, not imported


def test_a_broken_framework_plugin_warns_and_the_others_are_listed(tmp_path, monkeypatch):
    _install(tmp_path, monkeypatch, """
from mentorkit.frameworks import CompetencyFramework
good = CompetencyFramework(id="district-good", title="Good")
""", """
        [mentorkit.frameworks]
        district-good = {module}:good
        district-missing = {module}:no_such_object
        """)  # fmt: skip
    with pytest.warns(PluginWarning, match="district-missing"):
        names = {e.name for e in list_frameworks()}
    assert "district-good" in names
    assert "district-missing" not in names
    assert load_framework("district-good").title == "Good"


ENTITY = """
import attrs
from mentorkit import Person

@attrs.frozen(kw_only=True)
class StaffPerson(Person):
    badge: str = ""

not_an_entity = 42
"""


def test_entity_plugins_are_listed_without_import_and_loaded_with_broken_ones_isolated(
    tmp_path, monkeypatch
):
    tag = f"district.StaffPerson{uuid.uuid4().hex[:6]}"
    module = _install(tmp_path, monkeypatch, ENTITY, f"""
        [mentorkit.entities]
        {tag} = {{module}}:StaffPerson
        district.Broken = {{module}}:not_an_entity
        """)  # fmt: skip
    assert entity_plugins() == {
        tag: f"{module}:StaffPerson", "district.Broken": f"{module}:not_an_entity"
    }
    assert module not in sys.modules
    with pytest.warns(PluginWarning, match="district.Broken"):
        loaded = load_entity_plugins()
    assert list(loaded) == [tag]
    assert registered_types[tag] is loaded[tag]
    with pytest.warns(PluginWarning):
        assert load_entity_plugins() == loaded  # again: nothing registered twice


def _run(args, env, cwd):
    return subprocess.run(
        [sys.executable, "-m", "mentorkit", *args],
        capture_output=True, text=True, env=env, cwd=cwd, check=False, timeout=120,
    )  # fmt: skip


def test_the_cli_exports_imports_and_matches_a_store_holding_plugin_entities(tmp_path):
    plugin = tmp_path / "plugin"
    plugin.mkdir()
    tag = "acme.StaffPerson"
    module = "acme_staff_entities"
    (plugin / f"{module}.py").write_text(textwrap.dedent(ENTITY))
    info = plugin / "acme_staff-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-staff\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[mentorkit.entities]\n{tag} = {module}:StaffPerson\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugin), *sys.path])}
    write = f"""
import sys
sys.path.insert(0, {str(plugin)!r})
from mentorkit.serialization import load_entity_plugins
from mentorkit.storage import open_store
from mentorkit import synthetic
cls = load_entity_plugins()[{tag!r}]
d = synthetic.district(seed=3, staff=60)
with open_store("sqlite:///team.db") as store:
    store.put_many(d.entities())
    store.put(cls(id="p-staff", name="Sam Staff", badge="B7"))
"""
    done = subprocess.run([sys.executable, "-c", write], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=False, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr

    exported = _run(["export", "--store", "sqlite:///team.db", "-o", "team.json"], env, tmp_path)
    assert exported.returncode == 0, exported.stderr
    doc = json.loads((tmp_path / "team.json").read_text())
    assert tag in json.dumps(doc)
    assert "B7" in json.dumps(doc)

    imported = _run(["import", "team.json", "--store", "sqlite:///copy.db"], env, tmp_path)
    assert imported.returncode == 0, imported.stderr
    again = _run(["export", "--store", "sqlite:///copy.db", "-o", "copy.json"], env, tmp_path)
    assert again.returncode == 0, again.stderr
    assert json.loads((tmp_path / "copy.json").read_text()) == doc

    matched = _run(["match", "--store", "sqlite:///team.db", "--cohort", "coh-fellows-2023"],
                   env, tmp_path)  # fmt: skip
    assert matched.returncode == 0, matched.stderr
    assert "not registered" not in matched.stderr
    assert "Traceback" not in matched.stderr

    # Without the plugin installed, importing the same document is refused, naming the type.
    bare = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    without = _run(["import", "team.json", "--store", "sqlite:///bare.db"], bare, tmp_path)
    assert without.returncode == 1
    assert tag in without.stderr


def test_framework_and_cycle_plugins_that_fail_when_built_are_isolated(tmp_path, monkeypatch):
    # A factory that raises (its database is down), one that needs an argument, a path to a
    # file that is not there: each used to escape as a raw error from list_frameworks() or
    # list_cycles() and hide every other plugin of the group.
    _install(tmp_path, monkeypatch, """
from mentorkit.frameworks import CompetencyFramework
good = CompetencyFramework(id="district-good", title="Good")
def boom():
    raise RuntimeError("db down")
def needs_arg(x):
    return x
missing_file = "/nonexistent/mk-plugin/definition.json"
""", """
        [mentorkit.frameworks]
        district-good = {module}:good
        district-boom = {module}:boom
        district-arg = {module}:needs_arg
        district-file = {module}:missing_file
        [mentorkit.cycles]
        district-cycle-boom = {module}:boom
        district-cycle-file = {module}:missing_file
        """)  # fmt: skip
    with pytest.warns(PluginWarning) as caught:
        names = {e.name for e in list_frameworks()}
    assert "district-good" in names
    assert not {"district-boom", "district-arg", "district-file"} & names
    said = " ".join(str(w.message) for w in caught)
    for name in ("district-boom", "district-arg", "district-file"):
        assert name in said
    with pytest.warns(PluginWarning) as caught:
        cycles = {e.name for e in list_cycles()}
    assert "cycle-of-inquiry" in cycles
    said = " ".join(str(w.message) for w in caught)
    assert "district-cycle-boom" in said
    assert "district-cycle-file" in said
    with pytest.raises(ValidationError, match=r"district-boom.*RuntimeError: db down"):
        load_framework("district-boom")
    with pytest.raises(ValidationError, match="district-cycle-file"):
        load_cycle("district-cycle-file")


def test_a_malformed_matcher_plugin_does_not_hide_the_others(
    tmp_path, monkeypatch, fresh_registries
):
    module = _install(tmp_path, monkeypatch, STORES, """
        [mentorkit.matchers]
        Bad_Name = {module}:open_good
        district-ok = {module}:open_good
        """)  # fmt: skip
    with pytest.warns(PluginWarning, match="Bad_Name.*district-plugins"):
        names = set(matchers)
    assert "district-ok" in names
    assert "Bad_Name" not in names
    assert matchers["district-ok"] == f"{module}:open_good"


# -- the redefinition rule every registry follows -------------------------------------------------

_NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda n: n not in keyword.kwlist and not keyword.issoftkeyword(n)
)


def _define(kind: str, name: str, module: str) -> object:
    """``name`` defined at module level of ``module``, as a notebook cell (re)defines it."""
    source = f"class {name}:\n    pass\n" if kind == "class" else f"def {name}():\n    pass\n"
    namespace: dict[str, object] = {"__name__": module}
    exec(compile(source, "<cell>", "exec"), namespace)
    return namespace[name]


def _made(kind: str, name: str, module: str) -> object:
    """``name`` made inside a factory function of ``module`` (a closure or a local class)."""
    inner = f"class {name}:\n" if kind == "class" else f"def {name}():\n"
    source = f"def factory():\n    {inner}        pass\n    return {name}\n"
    namespace: dict[str, object] = {"__name__": module}
    exec(compile(source, "<cell>", "exec"), namespace)
    factory = namespace["factory"]
    assert callable(factory)
    return factory()


@given(
    kind=st.sampled_from(["class", "function"]),
    names=st.tuples(_NAMES, _NAMES),
    modules=st.tuples(st.sampled_from(["__main__", "nb"]), st.sampled_from(["__main__", "nb"])),
)
def test_only_a_module_level_definition_of_one_name_in_one_module_is_redefined(
    kind: str, names: tuple[str, str], modules: tuple[str, str]
) -> None:
    old, new = (_define(kind, n, m) for n, m in zip(names, modules, strict=True))
    assert _plugins.redefined(old, new) is (names[0] == names[1] and modules[0] == modules[1])
    # Made inside a function: never "the same one again", whatever the names.
    made_old, made_new = (_made(kind, n, m) for n, m in zip(names, modules, strict=True))
    assert not _plugins.redefined(made_old, made_new)
    assert not _plugins.redefined(made_old, made_old)
    assert not _plugins.redefined(old, made_new)
    assert not _plugins.redefined(made_old, new)
    # A class is never a function defined again, nor a lambda ever anything.
    other = _define("function" if kind == "class" else "class", names[0], modules[0])
    assert not _plugins.redefined(old, other)
    assert not _plugins.redefined(lambda: None, lambda: None)
