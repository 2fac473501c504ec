"""``mentorkit match``: from a CSV score matrix or a store's cohort, with reasons."""

import pytest

from mentorkit import synthetic
from mentorkit.cli import main
from mentorkit.storage import open_store


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_matching_a_csv_prints_pairs_reasons_and_how_to_rerun(tmp_path, capsys):
    scores = write(tmp_path / "s.csv", "mentee,kim,lee\nana,0.9,0.4\nben,0.8,\ncy,0.7,0.6\n")
    assert main(["match", "--scores", str(scores), "--strategy", "optimal", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "optimal (seed 4): 2 pairs, 1 unmatched, total score 1.5"
    assert "rerun with: --strategy optimal --seed 4" in out
    assert "  ana -> kim  (score 0.9)" in out
    assert "      - mentee's 2nd choice of 2 allowed mentors" in out
    assert "  ben: mentors_full: the one allowed mentor was full" in out


def test_mentor_scores_and_capacity_change_the_stable_answer(tmp_path, capsys):
    scores = write(tmp_path / "s.csv", "m,kim,lee\nana,2,1\nben,2,1\n")
    theirs = write(tmp_path / "t.csv", "m,lee,kim\nben,1,9\nana,1,1\n")
    assert main(["match", "--scores", str(scores), "--mentor-scores", str(theirs), "--brief"]) == 0
    out = capsys.readouterr().out
    assert "  ben -> kim  (score 2)" in out
    assert "  ana -> lee  (score 1)" in out
    assert main(["match", "--scores", str(scores), "--capacity", "2", "--brief"]) == 0
    assert "2 pairs, 0 unmatched, total score 4" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("m,kim\nana,high\n", "s.csv: row 2, column 'kim': not a number (got 'high')"),
        ("m,kim\nana,1,2\n", "s.csv: row 2 has 3 cells, the header 2"),
        (
            "m,kim\nana,1\nana,2\n",
            "s.csv: row 3: duplicate mentee id, already in row 2 (got 'ana')",
        ),
        (
            "m,kim\n\nana,1\n\nana,2\n",
            "s.csv: row 5: duplicate mentee id, already in row 3 (got 'ana')",
        ),
        ("m,kim,kim\nana,1,2\n", "s.csv: row 1: duplicate mentor id in the header (got 'kim')"),
        ("m,kim,lee\n\nana,0.9,0.4\n\nben,0.8,x\n", "s.csv: row 5, column 'lee': not a number"),
        ("m,kim\n\n\nana,1,2\n", "s.csv: row 4 has 3 cells, the header 2"),
        ("", "s.csv: is empty"),
        ("m,kim\nana,inf\n", "row 2, column 'kim': not a number"),
    ],
)
def test_a_bad_csv_names_the_row_and_column(tmp_path, capsys, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "s.csv", text)
    assert main(["match", "--scores", "s.csv"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mentorkit match: error: ")
    assert message in err


def test_bad_combinations_are_explained(tmp_path, capsys):
    scores = write(tmp_path / "s.csv", "m,kim\nana,1\n")
    other = write(tmp_path / "t.csv", "m,lee\nana,1\n")
    assert main(["match", "--scores", str(scores), "--mentor-scores", str(other)]) == 1
    assert "must list the same mentees and mentors" in capsys.readouterr().err
    assert main(["match", "--scores", str(scores), "--cohort", "c-1"]) == 1
    assert "--cohort: goes with --store" in capsys.readouterr().err
    assert main(["match", "--store", "memory://"]) == 1
    assert "--cohort: is needed: the cohort to match" in capsys.readouterr().err
    assert main(["match", "--scores", str(scores), "--strategy", "magic"]) == 1
    assert "no matcher named 'magic'" in capsys.readouterr().err
    assert main(["match"]) == 1  # the default store, but which cohort?
    assert "(or --scores FILE for a score matrix)" in capsys.readouterr().err


def test_matching_a_cohort_from_a_store_uses_names_and_assessments(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    district = synthetic.district(seed=7, staff=200, years=1)
    with open_store("sqlite:///d.db") as store:
        store.put_many(list(district.entities()))
    cohort = next(c.id for c in district.cohorts if "fellows" in c.id)
    argv = ["match", "--store", "sqlite:///d.db", "--cohort", cohort, "--capacity", "2"]
    assert main([*argv, "--strategy", "optimal"]) == 0
    out = capsys.readouterr().out
    names = {p.id: p.name for p in district.people}
    mentee = next(
        e.person_id for e in district.enrollments if e.cohort_id == cohort and e.role == "mentee"
    )
    assert f"{names[mentee]} ({mentee})" in out
    assert "competency_fit" in out
    assert main([*argv[:-2], "--capacity", "0"]) == 0
    assert "unmatched" in capsys.readouterr().out
    assert main(["match", "--store", "sqlite:///d.db", "--cohort", "nope"]) == 1
    assert "nope" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["match", "--store", "sqlite:///nonexist.db", "--cohort", "c1"],
        ["match", "--store", "json:///nonexist.json", "--cohort", "c1"],
        ["export", "--store", "sqlite:///nonexist.db"],
        ["export", "--store", "json:///nonexist.json"],
        ["graph", "--store", "sqlite:///nonexist.db"],
    ],
)
def test_read_only_commands_refuse_a_missing_store_and_create_nothing(
    tmp_path, capsys, monkeypatch, argv
):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "no store at " in err
    assert str(tmp_path / argv[2].split("///", 1)[1]) in err
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_cohort_is_named_with_the_store(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--store", "sqlite:///d.db"]) == 0
    capsys.readouterr()
    assert main(["match", "--store", "sqlite:///d.db", "--cohort", "c1"]) == 1
    err = capsys.readouterr().err
    assert "no cohort 'c1' in " in err
    assert "cohorts: 'coh-coaching-2021', " in err  # the ids there are
    assert str(tmp_path / "d.db") in err
