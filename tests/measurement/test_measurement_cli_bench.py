"""`mentorkit report` on the command line, and the benchmark at tiny size."""

import runpy
import sys
from pathlib import Path

import pytest

from mentorkit import synthetic
from mentorkit.cli import main
from mentorkit.storage import SQLiteStore

BENCH = Path(__file__).parents[2] / "benchmarks" / "bench_measurement.py"


def test_report_commands_print_tables_and_refuse_bad_files(tmp_path, capsys):
    db = tmp_path / "d.db"
    store = SQLiteStore(db)
    store.put_many(synthetic.district(seed=3, staff=400, years=2).entities())
    store.put(synthetic.conditions_survey())
    store.close()
    url = f"sqlite:///{db}"
    assert main(["report", "outcomes", "--store", url, "--csv", str(tmp_path / "o.csv")]) == 0
    out = capsys.readouterr().out
    assert "Outcomes by program and cohort" in out
    assert (tmp_path / "o.csv").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("org_unit_id,cycle,condition,score,n\nou-sch-0001,2023,relational_trust,x,30\n")
    assert (
        main(["report", "import-results", str(bad), "--survey", "conditions", "--store", url]) == 1
    )
    err = capsys.readouterr().err
    assert "row 2, column score: not a number" in err
    good = tmp_path / "good.csv"
    good.write_text("org_unit_id,cycle,condition,score,n\nou-sch-0001,2023,relational_trust,3,30\n")
    assert (
        main(["report", "import-results", str(good), "--survey", "conditions", "--store", url]) == 0
    )
    assert main(["report", "conditions", "--survey", "conditions", "--store", url]) == 0
    assert "relational_trust" in capsys.readouterr().out
    with pytest.raises(SystemExit) as info:  # a required option: a usage error
        main(["report", "target", "--store", url])
    assert info.value.code == 2
    assert "--target" in capsys.readouterr().err


def test_the_benchmark_runs_at_tiny_size(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["bench_measurement.py", "--staff", "400", "--repeat", "1"])
    with pytest.raises(SystemExit) as info:
        runpy.run_path(str(BENCH), run_name="__main__")
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "ratio mentorkit / pandas from entities" in out


def test_report_refuses_an_unknown_program_and_a_missing_store(tmp_path, capsys):
    db = tmp_path / "d.db"
    store = SQLiteStore(db)
    store.put_many(synthetic.district(seed=3, staff=400, years=2).entities())
    store.close()
    url = f"sqlite:///{db}"
    # A mistyped program id is an error, not an empty table and exit code 0.
    assert main(["report", "outcomes", "--program", "prog-felows", "--store", url]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "prog-felows" in err
    # Importing into a store that does not exist fails without creating one.
    good = tmp_path / "good.csv"
    good.write_text("org_unit_id,cycle,condition,score,n\nou-sch-0001,2023,relational_trust,3,30\n")
    missing = tmp_path / "missing.db"
    args = ["report", "import-results", str(good), "--survey", "conditions"]
    assert main([*args, "--store", f"sqlite:///{missing}"]) == 1
    assert not missing.exists()
