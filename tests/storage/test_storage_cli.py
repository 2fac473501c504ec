"""The commands that write and move stores: demo, export, import."""

import json

import attrs
import pytest

from mentorkit import Person, synthetic
from mentorkit.cli import main
from mentorkit.storage import SQLiteStore, export_store, open_store


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MENTORKIT_STORE", raising=False)


def test_demo_writes_the_district_into_mentorkit_db_and_says_where(capsys, tmp_path):
    assert main(["demo", "--seed", "3", "--staff", "80", "--years", "2"]) == 0
    out = capsys.readouterr().out
    assert f"to {tmp_path / 'mentorkit.db'} (sqlite:///mentorkit.db)" in out
    district = synthetic.district(seed=3, staff=80, years=2)
    with SQLiteStore(tmp_path / "mentorkit.db") as store:
        assert [p.id for p in store.all(Person)] == sorted(p.id for p in district.people)
        assert len(json.loads(export_store(store))["collections"]["session"]) == len(
            district.sessions
        )


def test_demo_refuses_to_mix_into_a_store_with_data(capsys):
    assert main(["demo", "--staff", "50", "--years", "1"]) == 0
    capsys.readouterr()
    assert main(["demo", "--staff", "60", "--years", "1"]) == 1
    assert "--overwrite" in capsys.readouterr().err
    assert main(["demo", "--staff", "60", "--years", "1", "--overwrite"]) == 0
    with open_store("sqlite:///mentorkit.db") as store:
        assert len(store.all(Person)) == 60


def test_demo_writes_where_the_environment_says(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("MENTORKIT_STORE", "json:///district.json")
    assert main(["demo", "--staff", "50", "--years", "1"]) == 0
    assert "district.json" in capsys.readouterr().out
    assert not (tmp_path / "mentorkit.db").exists()
    with open_store("json:///district.json") as store:
        assert len(store.all(Person)) == 50


def _people_store(url):
    with open_store(url) as store:
        ana = store.put(Person(id="p-1", name="Ana", demographics={"gender": "f"}))
        store.put(Person(id="p-2", name="Bo"))
        store.put(attrs.evolve(ana, title="Principal"))


def test_export_then_import_moves_a_store_losslessly(capsys, tmp_path):
    _people_store("sqlite:///source.db")
    assert main(["export", "--store", "sqlite:///source.db", "--with-personal-data",
                 "-o", "out.json"]) == 0  # fmt: skip
    assert "Exported 2 entities to out.json" in capsys.readouterr().err
    assert main(["import", "out.json", "--store", "json:///copy.json"]) == 0
    assert "Imported 2 entities" in capsys.readouterr().out
    assert main(["export", "--store", "json:///copy.json", "--with-personal-data"]) == 0
    assert capsys.readouterr().out == (tmp_path / "out.json").read_text()
    with open_store("json:///copy.json") as copy:
        ana = copy.get(Person, "p-1")
    assert (ana.version, ana.title, ana.demographics) == (2, "Principal", {"gender": "f"})


def test_export_leaves_demographics_out_by_default(capsys):
    _people_store("sqlite:///mentorkit.db")
    assert main(["export"]) == 0
    captured = capsys.readouterr()
    assert "gender" not in captured.out
    assert "demographics left out" in captured.err
    assert json.loads(captured.out)["collections"]["person"][0]["demographics"] is None


def test_import_into_a_store_holding_an_id_imports_nothing(capsys):
    _people_store("sqlite:///source.db")
    assert main(["export", "--store", "sqlite:///source.db", "-o", "out.json"]) == 0
    with open_store("sqlite:///mentorkit.db") as store:
        store.put(Person(id="p-2", name="Mine"))
    capsys.readouterr()
    assert main(["import", "out.json"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mentorkit import: error: person/p-2 already exists")
    with open_store("sqlite:///mentorkit.db") as store:
        assert [p.name for p in store.all(Person)] == ["Mine"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", "not JSON"),
        ('{"$type": "person"}', "not a mentorkit store document"),
        (
            '{"$type": "mentorkit.store", "$schema": 1, "collections": {"person": '
            '[{"$type": "person", "$schema": 1, "id": "p-1", "version": 1, "name": 5}]}}',
            "name",
        ),
    ],
)
def test_import_of_a_bad_file_says_why_and_writes_nothing(capsys, tmp_path, content, message):
    (tmp_path / "bad.json").write_text(content)
    assert main(["import", "bad.json"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mentorkit import: error:")
    assert message in err
    with open_store("sqlite:///mentorkit.db") as store:
        assert store.all(Person) == []


def test_import_of_a_missing_file_is_an_error_not_a_traceback(capsys):
    assert main(["import", "nowhere.json"]) == 1
    assert "cannot read nowhere.json" in capsys.readouterr().err


def test_help_explains_the_store_urls_and_privacy(capsys):
    for command in ("export", "import", "demo"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert "sqlite:///mentorkit.db" in out
        assert "MENTORKIT_STORE" in out
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert "--with-personal-data" in capsys.readouterr().out


def test_the_benchmark_runs_and_prints_its_ratios(tmp_path):
    import re
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_storage.py"
    result = subprocess.run(
        [sys.executable, str(script), "--n", "300", "--rounds", "2"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    for line in (
        "write vs sqlite3 + to_dict/dumps (entities):",
        "write vs sqlite3 docs table (text):",
        "write vs sqlite3 same rows and indexes:",
        "read  vs sqlite3 select + json.loads:",
    ):
        assert re.search(re.escape(line) + r"\s+\d+\.\d\dx", result.stdout), line
    assert result.stdout.count("round ") == 2


@pytest.mark.parametrize("enabled", [True, False])
def test_import_pauses_the_collector_from_check_to_write_and_leaves_it_as_it_was(
    capsys, monkeypatch, enabled
):
    import gc

    from mentorkit.storage import _transfer

    seen: list[bool] = []
    check = _transfer.check_document

    def watched(document):  # the collector's state between the check and the write
        checked = check(document)
        seen.append(gc.isenabled())
        return checked

    monkeypatch.setattr(_transfer, "check_document", watched)
    _people_store("sqlite:///source.db")
    assert main(["export", "--store", "sqlite:///source.db", "-o", "out.json"]) == 0
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert main(["import", "out.json", "--store", "sqlite:///copy.db"]) == 0
        assert gc.isenabled() is enabled
        assert main(["import", "out.json", "--store", "sqlite:///copy.db"]) == 1  # a conflict
        assert gc.isenabled() is enabled
        assert "person/p-1 already exists" in capsys.readouterr().err
        with open("bad.json", "w") as f:
            f.write("not json")
        assert main(["import", "bad.json", "--store", "sqlite:///other.db"]) == 1
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
    assert seen == [False, False]  # the bad file failed in the check itself
