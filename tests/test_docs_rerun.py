"""README.md, the audience tutorials and the how-to guides run as written, twice in one folder.

A reader pastes a block, then pastes it again (or reruns the page from the top): every
```python block (one namespace per pass) and every `mentorkit` command of a ```bash or
```console block (``$ `` lines) runs in document order, and the whole page runs a second
time in the same folder over what the first pass left behind. Installing (pip) and the
test suite itself (pytest) are the only commands not run here.
"""

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

from mentorkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    ROOT / "README.md",
    ROOT / "docs" / "tutorials" / "program-lead.md",
    ROOT / "docs" / "tutorials" / "developer.md",
    ROOT / "docs" / "tutorials" / "analyst.md",
    ROOT / "docs" / "tutorials" / "getting-started.md",
]
#: The how-to guides are pasted the same way: their blocks and commands run twice too.
HOW_TOS = sorted((ROOT / "docs" / "how-to").glob("*.md"))
FENCE = re.compile(r"^```(python|bash|console)[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
NOT_RUN = ("pip", "pytest", "mkdocs", "python", "export")
#: A command naming a database server shows the form of a URL; no test server answers it.
SERVER = re.compile(r"postgres(ql)?://")


def _commands(kind: str, text: str) -> list[list[str]]:
    """The commands of a shell block, each split into words, comments dropped."""
    text = text.replace("\\\n", " ")  # a command continued on the next line is one command
    if kind == "console":
        lines = [line[2:] for line in text.splitlines() if line.startswith("$ ")]
    else:
        lines = [line for line in text.splitlines() if line.strip()]
    out = []
    for line in lines:
        for part in line.split("&&"):
            words = shlex.split(part, comments=True)
            if words:
                out.append(words)
    return out


def _run_page(page: Path) -> int:
    namespace: dict[str, object] = {"__name__": "__docs__"}
    ran = 0
    for number, (kind, text) in enumerate(FENCE.findall(page.read_text(encoding="utf-8")), 1):
        if kind == "python":
            exec(compile(text, f"{page.name}[block {number}]", "exec"), namespace)
            ran += 1
            continue
        for words in _commands(kind, text):
            if words[0] in NOT_RUN or any(SERVER.match(word) for word in words):
                continue
            if words[:2] == ["rm", "-f"]:  # starting over: files of the previous pass
                for name in words[2:]:
                    Path(name).unlink(missing_ok=True)
                continue
            assert words[0] == "mentorkit", f"{page.name}: a command the test cannot run: {words}"
            with (
                contextlib.redirect_stdout(io.StringIO()),
                contextlib.redirect_stderr(io.StringIO()) as err,
            ):
                code = main(words[1:])
            assert code == 0, f"{page.name}[block {number}]: {shlex.join(words)}: {err.getvalue()}"
            ran += 1
    return ran


@pytest.mark.parametrize("page", PAGES + HOW_TOS, ids=lambda p: p.name)
def test_the_page_runs_twice_in_the_same_folder(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MENTORKIT_STORE", raising=False)
    first = _run_page(page)
    assert first > 0
    assert _run_page(page) == first


def test_the_readme_starts_with_the_two_commands():
    blocks = FENCE.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert [text.strip() for _, text in blocks[:2]] == [
        'pip install ".[progress]" && mentorkit demo --overwrite',
        'pip install -e ".[test]" && pytest',
    ]


def test_the_tutorials_are_in_the_site_nav():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in PAGES[1:]:
        assert f"tutorials/{page.name}" in nav


#: Commands that need an optional extra, and the extra.
NEEDS_EXTRA = {"calendar": "calendar"}


@pytest.mark.parametrize(
    "page", PAGES + sorted((ROOT / "docs" / "how-to").glob("*.md")), ids=lambda p: p.name
)
def test_a_page_that_runs_a_command_needing_an_extra_says_which(page):
    text = page.read_text(encoding="utf-8")
    for kind, block in FENCE.findall(text):
        if kind == "python":
            continue
        for words in _commands(kind, block):
            extra = NEEDS_EXTRA.get(words[1]) if words[0] == "mentorkit" else None
            if extra is not None:
                assert f"mentorkit[{extra}]" in text, f"{page.name}: {shlex.join(words)}"


def test_a_command_whose_extra_is_missing_says_which_in_one_line(tmp_path, monkeypatch, capsys):
    import sys

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MENTORKIT_STORE", raising=False)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["demo", "--staff", "60", "--years", "1"]) == 0
    capsys.readouterr()
    monkeypatch.setitem(sys.modules, "icalendar", None)  # as if it were not installed
    code = main(["calendar", "--cohort", "coh-fellows-2021", "-o", "plan.ics"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [
        "mentorkit calendar: error: icalendar is needed for this; install it with: "
        'pip install "mentorkit[calendar]"'
    ]
    assert not (tmp_path / "plan.ics").exists()


def test_the_home_page_links_every_how_to():
    home = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    for page in sorted((ROOT / "docs" / "how-to").glob("*.md")):
        assert f"(how-to/{page.name})" in home, page.name
