"""Every command: a user's mistake is one line on stderr and a non-zero exit; `match` defaults."""

import contextlib
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mentorkit as mk
from mentorkit.cli import main
from mentorkit.cli._match import cohort_capacity


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A folder holding the demo's mentorkit.db, a bad JSON file and a score matrix."""
    where = tmp_path_factory.mktemp("mistakes")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(where)
        mp.delenv("MENTORKIT_STORE", raising=False)
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["demo", "--staff", "200", "--years", "2"]) == 0
    (where / "bad.json").write_text("{not json", encoding="utf-8")
    (where / "s.csv").write_text("m,kim\nana,1\n", encoding="utf-8")
    return where


MISTAKES = [
    # a store that is not there, or not a store
    (["match", "--store", "sqlite:///missing.db", "--cohort", "coh-fellows-2022"], "no store at"),
    (["adherence", "--cohort", "coh-fellows-2022", "--store", "sqlite:///missing.db"],
     "no store at"),
    (["graph", "--store", "json:///missing.json"], "no store at"),
    (["report", "outcomes", "--store", "sqlite:///missing.db"], "no store at"),
    (["export", "--store", "nope://x"], "no store backend for nope://"),
    (["import", "missing.json"], "cannot read missing.json"),
    (["import", "bad.json"], "not a mentorkit store document"),
    # a cohort, survey or target that is not in the store
    (["match", "--store", "sqlite:///mentorkit.db", "--cohort", "coh-nope"],
     "no cohort 'coh-nope' in "),
    (["adherence", "--cohort", "coh-nope"], "no cohort 'coh-nope'"),
    (["calendar", "--cohort", "coh-nope", "--tz", "UTC", "-o", "x.ics"], "coh-nope"),
    (["report", "target", "--target", "t-nope"], "no target 't-nope'"),
    (["report", "conditions", "--survey", "s-nope"], "no survey 's-nope'"),
    # bad dates
    (["adherence", "--cohort", "coh-fellows-2022", "--as-of", "2024-13-01"],
     "--as-of: must be a valid date YYYY-MM-DD (month must be in 1..12)"),
    (["adherence", "--cohort", "coh-fellows-2022", "--as-of", "March"], "--as-of: must be"),
    (["graph", "--as-of", "2024-02-30"], "--as-of: must be a date"),
    (["report", "target", "--target", "t-150", "--as-of", "yesterday"], "--as-of: must be"),
    # bad flags and values
    (["match", "--store", "sqlite:///mentorkit.db", "--cohort", "coh-fellows-2022",
      "--capacity", "-1"], "--capacity: must be >= 0"),
    (["match", "--store", "sqlite:///mentorkit.db", "--cohort", "coh-fellows-2022",
      "--capacity", "two"], "argument --capacity: invalid int value: 'two'"),
    (["match", "--store", "sqlite:///mentorkit.db", "--cohort", "coh-fellows-2022",
      "--status", "hired"], "--status: must be one of"),
    (["match", "--store", "sqlite:///mentorkit.db", "--cohort", "coh-fellows-2022",
      "--strategy", "magic"], "no matcher named 'magic'"),
    (["match", "--store", "sqlite:///mentorkit.db"], "--cohort: is needed: the cohort to match"),
    (["match"], "--cohort: is needed: the cohort to match (or --scores FILE"),
    (["match", "--scores", "s.csv", "--cohort", "c"], "--cohort: goes with --store"),
    (["match", "--cohort", "c"], "no cohort 'c' in"),
    (["match", "--store", "x", "--scores", "s.csv"], "not allowed with argument"),
    (["graph", "--top", "-1"], "--top: must be >= 0"),
    (["graph", "--by", "fame"], "argument --by: invalid choice: 'fame'"),
    (["graph", "--out", "g.png"], "--out: must end in .graphml, .gexf or .json"),
    (["graph", "--bogus"], "unrecognized arguments: --bogus"),
    (["calendar", "--cohort", "coh-fellows-2022", "--tz", "Mars/Base", "-o", "x.ics"],
     "--tz: must be a time zone name"),
    (["demo"], "already holds data: pass --overwrite"),
    (["demo", "--staff", "3", "--store", "memory://"], "--staff: must be a whole number"),
    (["report"], "the following arguments are required: REPORT"),
    # a value the functions underneath refuse is named by the option the user typed
    (["report", "outcomes", "--min-cell", "0"], "mentorkit report outcomes: error: --min-cell"),
    (["graph", "--within-years", "-1"], "--within-years: must be a whole number >= 0"),
    (["report", "conditions", "--survey", "conditions", "--tolerance", "-1"],
     "--tolerance: must be a finite number >= 0"),
    (["report", "import-results", "missing.csv", "--survey", "conditions"],
     "mentorkit report import-results: error: "),
    (["conjure"], "invalid choice: 'conjure'"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "message"), MISTAKES, ids=lambda v: " ".join(v)[:60]
                         if isinstance(v, list) else None)  # fmt: skip
def test_a_mistake_is_one_clear_line_and_a_nonzero_exit(folder, monkeypatch, capsys, argv,
                                                        message):  # fmt: skip
    monkeypatch.chdir(folder)
    monkeypatch.delenv("MENTORKIT_STORE", raising=False)
    before = sorted(p.name for p in folder.iterdir())
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own checks
        code = exc.code
    captured = capsys.readouterr()
    assert code not in (0, None)
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("mentorkit")
    assert message in lines[0]
    assert "Traceback" not in captured.err
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing made, nothing lost


def test_a_usage_mistake_names_the_help_of_its_command(capsys):
    with pytest.raises(SystemExit) as info:
        main(["graph", "--top", "many"])
    assert info.value.code == 2
    assert capsys.readouterr().err == (
        "mentorkit graph: error: argument --top: invalid int value: 'many' "
        "(see: mentorkit graph --help)\n"
    )


@given(mentees=st.integers(0, 10_000), mentors=st.integers(0, 2_000))
def test_the_default_capacity_gives_every_mentee_a_place_and_no_more(mentees, mentors):
    places = cohort_capacity(mentees, mentors)
    assert places >= 1
    if mentors:
        assert places * mentors >= mentees
        assert places == 1 or (places - 1) * mentors < mentees


def test_match_by_default_uses_the_mentors_recorded_capacities(folder, monkeypatch, capsys):
    monkeypatch.chdir(folder)
    with mk.open_store("sqlite:///mentorkit.db") as store:
        enrolled = store.find(mk.Enrollment, cohort_id="coh-fellows-2022")
    mentees = sum(e.role is mk.Role.MENTEE for e in enrolled)
    recorded: dict[str, int] = {}
    for e in enrolled:
        if e.role is not mk.Role.MENTEE and e.capacity is not None:
            recorded.setdefault(e.person_id, e.capacity)
    mentors = len({e.person_id for e in enrolled if e.role is not mk.Role.MENTEE})
    assert len(recorded) == mentors  # the demo records every mentor's capacity
    places = sum(recorded.values())
    assert main(["match", "--store", "sqlite:///mentorkit.db", "--cohort", "coh-fellows-2022",
                 "--brief"]) == 0  # fmt: skip
    out = capsys.readouterr().out.splitlines()
    assert out[1] == (f"capacity from the mentors' records: {places} places ({mentees} mentees, "
                      f"{mentors} mentors; --capacity N to change)")  # fmt: skip
    assert f"{mentees} pairs, 0 unmatched" in out[0]
    assert main(["match", "--store", "sqlite:///mentorkit.db", "--cohort", "coh-fellows-2022",
                 "--capacity", "1", "--brief"]) == 0  # fmt: skip
    out = capsys.readouterr().out.splitlines()
    assert out[1] == f"capacity 1 per mentor (--capacity, over the records of {mentors})"
    assert f"{mentors} pairs, {mentees - mentors} unmatched" in out[0]


def test_match_without_records_gives_every_mentee_of_the_cohort_a_place(
    tmp_path, monkeypatch, capsys
):
    import attrs

    from mentorkit import synthetic

    monkeypatch.chdir(tmp_path)
    district = synthetic.district(seed=5, staff=200, years=2)
    entities = [attrs.evolve(e, capacity=None) if isinstance(e, mk.Enrollment) else e
                for e in district.entities()]  # fmt: skip
    with mk.open_store("sqlite:///d.db") as store:
        store.put_many(entities)
    enrolled = [e for e in district.enrollments if e.cohort_id == "coh-fellows-2022"]
    mentees = sum(e.role is mk.Role.MENTEE for e in enrolled)
    mentors = len({e.person_id for e in enrolled if e.role is not mk.Role.MENTEE})
    expected = -(-mentees // mentors)
    assert main(["match", "--store", "sqlite:///d.db", "--cohort", "coh-fellows-2022",
                 "--brief"]) == 0  # fmt: skip
    out = capsys.readouterr().out.splitlines()
    assert out[1] == (f"capacity {expected} per mentor ({mentees} mentees, {mentors} mentors; "
                      "--capacity N to change)")  # fmt: skip
    assert f"{mentees} pairs, 0 unmatched" in out[0]
    assert main(["match", "--store", "sqlite:///d.db", "--cohort", "coh-fellows-2022",
                 "--capacity", "1", "--brief"]) == 0  # fmt: skip
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "capacity 1 per mentor"


def test_match_leaves_out_people_who_only_applied(tmp_path, monkeypatch, capsys):
    import attrs

    from mentorkit import synthetic

    monkeypatch.chdir(tmp_path)
    district = synthetic.district(seed=3, staff=200, years=1)
    cohort = next(c.id for c in district.cohorts if "fellows" in c.id)
    applicant = next(e for e in district.enrollments
                     if e.cohort_id == cohort and e.role is mk.Role.MENTEE)  # fmt: skip
    entities = [attrs.evolve(e, status=mk.EnrollmentStatus.APPLIED) if e is applicant else e
                for e in district.entities()]  # fmt: skip
    with mk.open_store("sqlite:///d.db") as store:
        store.put_many(entities)
    argv = ["match", "--store", "sqlite:///d.db", "--cohort", cohort, "--brief"]
    assert main(argv) == 0
    assert f"({applicant.person_id})" not in capsys.readouterr().out
    assert main([*argv, "--all-statuses"]) == 0
    assert f"({applicant.person_id})" in capsys.readouterr().out


def test_the_import_benchmark_runs_and_prints_its_ratio(tmp_path):
    import re
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_import.py"
    result = subprocess.run(
        [sys.executable, str(script), "--staff", "100", "--years", "1", "--rounds", "2"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("round ") == 2
    assert re.search(r"mentorkit import / put_many: \d+\.\d\dx \(median of 2", result.stdout)


def test_an_import_keeps_every_entity_and_version_of_the_export(folder, tmp_path, capsys):
    source = f"sqlite:///{folder}/mentorkit.db"
    document = tmp_path / "d.json"
    assert main(["export", "--store", source, "--with-personal-data", "-o", str(document)]) == 0
    target = f"sqlite:///{tmp_path}/copy.db"
    assert main(["import", str(document), "--store", target]) == 0
    assert main(["import", str(document), "--store", target]) == 1  # the ids are there
    assert "already exists" in capsys.readouterr().err
    with mk.open_store(source) as a, mk.open_store(target) as b:
        for cls in (mk.Person, mk.Mentorship, mk.Session, mk.Enrollment):
            assert sorted(a.all(cls), key=lambda e: e.id) == sorted(b.all(cls), key=lambda e: e.id)


def test_a_scores_file_name_with_a_nul_character_is_one_clear_line(capsys):
    # Found by test_hostile_inputs' hypothesis search: open() raised a raw ValueError.
    assert main(["match", "--scores", "a\x00b"]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--scores: cannot be read" in err
    assert "Traceback" not in err
