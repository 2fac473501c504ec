"""The built documentation renders: no Sphinx role left as text, no empty example, and a
command-line reference generated from the parser that lists every command and option."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from mentorkit.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
ROLE = re.compile(r":(class|meth|func|attr|mod|data|exc|obj):")
EXAMPLES = re.compile(r'doc-section-title">Examples?:</span>')


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    pytest.importorskip("mkdocs")
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return out


@pytest.mark.slow
def test_no_sphinx_role_is_left_as_text(site):
    found = {
        str(page.relative_to(site)): sorted(set(ROLE.findall(page.read_text(encoding="utf-8"))))
        for page in site.rglob("*.html")
    }
    assert {page: roles for page, roles in found.items() if roles} == {}


@pytest.mark.slow
def test_every_example_section_holds_code(site):
    sections = 0
    for page in (site / "reference").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'doc-section-title">Example:</span>' not in text, page  # renders as prose
        for match in EXAMPLES.finditer(text):
            sections += 1
            body = text[match.end() :]
            end = min(
                (i for i in (body.find("doc-section-title"), body.find("doc-heading")) if i >= 0),
                default=len(body),
            )
            assert '<div class="highlight">' in body[:end], f"{page}: an empty example section"
    assert sections >= 60  # the entry points' examples


@pytest.mark.slow
def test_the_cli_reference_lists_every_command_and_option(site):
    text = (site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert commands
    for name, sub in commands.items():
        assert f"mentorkit {name}" in text
        for action in sub._actions:
            for option in action.option_strings:
                assert option in text, f"{name} {option}"
    assert "build_parser" not in text  # the commands, not the Python functions behind them
