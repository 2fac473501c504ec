"""The public surface: what ``__all__`` lists is exactly what is public, and all documented."""

import importlib
import importlib.resources
import inspect
import pkgutil
import subprocess
import sys

import pytest

import mentorkit

PACKAGES = [
    *sorted(
        m.name
        for m in pkgutil.walk_packages(mentorkit.__path__, "mentorkit.")
        if m.ispkg and not m.name.rsplit(".", 1)[1].startswith("_")
    ),
    "mentorkit",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_lists_exactly_the_public_names(name):
    module = importlib.import_module(name)
    listed = module.__all__
    assert listed == sorted(listed)
    public = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_") and not inspect.ismodule(v) and n != "annotations"
    }
    assert set(listed) >= public, f"public but not in __all__: {public - set(listed)}"
    for n in listed:
        assert hasattr(module, n), f"{name}.__all__ lists missing {n}"


@pytest.mark.parametrize("name", PACKAGES)
def test_every_public_name_has_a_docstring(name):
    module = importlib.import_module(name)
    assert module.__doc__
    for n in module.__all__:
        obj = getattr(module, n)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), f"{name}.{n} has no docstring"


def test_importing_mentorkit_loads_no_optional_dependency():
    code = (
        "import sys, mentorkit, mentorkit.serialization, mentorkit.synthetic; "
        "heavy = {'numpy', 'scipy', 'pandas', 'matplotlib', 'psycopg', 'icalendar', "
        "'hypothesis'} & set(sys.modules); print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_version_comes_from_package_metadata():
    from importlib.metadata import version

    assert mentorkit.__version__ == version("mentorkit")


def test_the_package_ships_py_typed():
    assert (importlib.resources.files("mentorkit") / "py.typed").is_file()
