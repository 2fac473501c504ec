"""`mentorkit --version`, and a `--help` that starts fast because it imports little.

The speed itself is measured by ``python benchmarks/bench_cli.py``; these tests hold the
cause: building the parser imports no heavy module, for every module in ``_COMMANDS``.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from typing import get_args

from mentorkit.cli import _main

# Imported only when a command runs (each costs tens of milliseconds or more).
HEAVY = ("networkx", "mentorkit.graph", "mentorkit.synthetic", "pandas", "numpy",
         "matplotlib", "psycopg", "importlib.metadata")  # fmt: skip


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)  # fmt: skip
    return done.stdout


def test_version_prints_the_installed_version():
    done = subprocess.run([sys.executable, "-m", "mentorkit", "--version"], capture_output=True,
                          text=True, check=False, timeout=120)  # fmt: skip
    assert done.returncode == 0
    assert done.stdout == f"mentorkit {version('mentorkit')}\n"


def test_building_the_parser_imports_no_heavy_module():
    loaded = _run(
        "import sys\n"
        "from mentorkit.cli import build_parser\n"
        "build_parser().format_help()\n"
        "print('\\n'.join(sys.modules))\n"
    ).split()
    heavy = sorted(m for m in loaded if m.startswith(HEAVY))
    assert heavy == []


def test_every_command_module_is_light_at_import():
    for name in _main._COMMANDS:
        loaded = _run(f"import sys, {name}\nprint('\\n'.join(sys.modules))\n").split()
        heavy = sorted(m for m in loaded if m.startswith(HEAVY))
        assert heavy == [], f"{name} imports {heavy} at module level"


def test_the_graph_command_offers_every_metric():
    from mentorkit.cli._graph import METRIC_NAMES
    from mentorkit.graph._metrics import MetricName

    assert tuple(sorted(get_args(MetricName))) == METRIC_NAMES
