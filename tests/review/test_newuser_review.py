"""Defects a new user met following README.md and the tutorials (issue 17 review).

Each test states what the docs promise; each fails today (strict xfail), so fixing the
defect turns it into an unexpected pass that must be un-marked.
"""

import contextlib
import io
import re
from pathlib import Path

import pytest

from mentorkit.cli import main

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```python[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A folder holding a small demo district in ./mentorkit.db."""
    where = tmp_path_factory.mktemp("newuser")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(where)
        mp.delenv("MENTORKIT_STORE", raising=False)
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["demo", "--staff", "200", "--years", "2"]) == 0
    return where


def _run(argv):
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


def test_match_reads_the_default_store_like_every_other_command(folder, monkeypatch, capsys):
    monkeypatch.chdir(folder)
    monkeypatch.delenv("MENTORKIT_STORE", raising=False)
    assert _run(["match", "--cohort", "coh-fellows-2022", "--brief"]) == 0
    assert "pairs" in capsys.readouterr().out


def test_match_reads_the_store_named_by_the_environment(folder, monkeypatch, capsys):
    monkeypatch.chdir(folder)
    monkeypatch.setenv("MENTORKIT_STORE", "sqlite:///mentorkit.db")
    assert _run(["match", "--cohort", "coh-fellows-2022", "--brief"]) == 0
    assert "pairs" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["match", "--store", "sqlite:///mentorkit.db", "--cohort", "coh-fellows-2022",
          "--capcity", "2"], "match"),
        (["graph", "--bogus"], "graph"),
        (["report", "outcomes", "--bogus"], "report outcomes"),
    ],
)  # fmt: skip
def test_a_misspelt_option_names_its_command_and_its_help(folder, monkeypatch, capsys, argv,
                                                          command):  # fmt: skip
    monkeypatch.chdir(folder)
    monkeypatch.delenv("MENTORKIT_STORE", raising=False)
    assert _run(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"mentorkit {command}: error:"), err
    assert f"mentorkit {command} --help" in err, err


@pytest.mark.parametrize(
    "argv",
    [
        ["adherence", "--cohort", "coh-fellows-2030"],
        ["calendar", "--cohort", "coh-fellows-2030", "--tz", "UTC", "-o", "x.ics"],
        ["match", "--store", "sqlite:///mentorkit.db", "--cohort", "coh-fellows-2030"],
    ],
)
def test_an_unknown_cohort_is_named_with_the_cohorts_there_are(folder, monkeypatch, capsys,
                                                               argv):  # fmt: skip
    monkeypatch.chdir(folder)
    monkeypatch.delenv("MENTORKIT_STORE", raising=False)
    assert _run(argv) == 1
    err = capsys.readouterr().err
    assert "coh-fellows-2022" in err, err


def _readme_blocks():
    return FENCE.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def test_every_readme_block_runs_alone_in_an_empty_folder(tmp_path, monkeypatch):
    blocks = _readme_blocks()
    assert len(blocks) > 1
    failures = []
    for number, text in enumerate(blocks, 1):
        where = tmp_path / f"block{number}"
        where.mkdir()
        monkeypatch.chdir(where)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(text, f"README.md[python block {number}]", "exec"),
                     {"__name__": "__readme__"})  # fmt: skip
        except Exception as exc:  # the review collects every block's failure
            failures.append(f"block {number}: {type(exc).__name__}: {exc}")
    assert not failures, failures


def test_a_json_file_that_is_not_a_store_leaves_nothing_behind(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.json").write_text('{"a": 1}', encoding="utf-8")
    assert _run(["export", "--store", "json:///bad.json"]) == 1
    assert "not a mentorkit store document" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_report_outcomes_shows_the_adherence_the_adherence_command_reports(folder, monkeypatch,
                                                                          capsys):  # fmt: skip
    import csv

    monkeypatch.chdir(folder)
    monkeypatch.delenv("MENTORKIT_STORE", raising=False)
    assert _run(["adherence", "--cohort", "coh-fellows-2021"]) == 0
    assert "(met " in capsys.readouterr().out
    assert _run(["report", "outcomes", "--program", "prog-fellows", "--csv", "o.csv"]) == 0
    with (folder / "o.csv").open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["cohort_id"] == "coh-fellows-2021")
    assert row["adherence_rate"] not in ("", "-"), row


def test_the_calendar_covers_every_month_adherence_counts(folder, monkeypatch, capsys):
    import csv

    pytest.importorskip("icalendar")
    monkeypatch.chdir(folder)
    monkeypatch.delenv("MENTORKIT_STORE", raising=False)
    cohort = "coh-fellows-2022"
    assert _run(["calendar", "--cohort", cohort, "--tz", "UTC", "-o", "plan.ics"]) == 0
    wrote = capsys.readouterr().out
    last_meeting = re.search(r"meetings from \d{4}-\d\d-\d\d to (\d{4}-\d\d)-\d\d", wrote)
    assert last_meeting, wrote
    assert _run(["adherence", "--cohort", cohort, "--csv", "a.csv"]) == 0
    with (folder / "a.csv").open(encoding="utf-8") as f:
        periods = {r["period"] for r in csv.DictReader(f) if r["unit"] == "pair"}
    assert max(periods) <= last_meeting.group(1), (max(periods), wrote)
