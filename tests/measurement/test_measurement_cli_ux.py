"""`mentorkit report` as a newcomer meets it: subcommands, the demo, errors, files, graph."""

import csv
import datetime as dt
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.cli import main
from mentorkit.measurement import report_outcomes
from mentorkit.storage import SQLiteStore

DOCUMENTED = [
    ["report", "outcomes"],
    ["report", "outcomes", "--program", "prog-fellows"],
    ["report", "conditions", "--survey", "conditions", "--by-parent"],
    ["report", "conditions", "--survey", "conditions", "--tolerance", "0.1"],
    ["report", "target", "--target", "t-150"],
    ["report", "target", "--target", "t-150", "--as-of", "2024-06-30"],
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'demo.db'}"
    assert main(["demo", "--store", url]) == 0
    return folder, url


@pytest.mark.parametrize("argv", DOCUMENTED, ids=" ".join)
def test_the_demo_database_runs_every_documented_report(demo, argv, capsys):
    _, url = demo
    assert main([*argv, "--store", url]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "withheld" in out


def test_the_demo_target_reads_as_a_150_by_a_year_target(demo, capsys):
    _, url = demo
    assert main(["report", "target", "--target", "t-150", "--as-of", "2024-06-30",
                 "--store", url]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert re.search(r"150 fellows supported by \d{4}: 83 of 150", out)
    assert "(behind)" in out


@pytest.mark.parametrize("kind", ["outcomes", "conditions", "target", "import-results"])
def test_each_report_has_its_own_help(kind, capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", kind, "--help"])
    assert info.value.code == 0
    assert f"usage: mentorkit report {kind}" in capsys.readouterr().out


def test_an_option_of_another_report_is_a_usage_error(demo, capsys):
    _, url = demo
    with pytest.raises(SystemExit) as info:
        main(["report", "conditions", "--survey", "conditions", "--program", "x",
              "--store", url])  # fmt: skip
    assert info.value.code == 2
    assert "--program" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "listed"),
    [
        (["report", "outcomes", "--program", "prog-fellow"], "'prog-coaching', 'prog-fellows'"),
        (["report", "outcomes", "--program", "coh-fellows-2021"], "cohort of program"),
        (["report", "conditions", "--survey", "catalyst"], "surveys: 'conditions'"),
        (["report", "target", "--target", "t-100"], "targets: 't-150'"),
        (["report", "outcomes", "--by", "genderr"], "'gender', 'race_ethnicity'"),
    ],
)
def test_a_wrong_id_is_an_error_listing_what_there_is(demo, argv, listed, capsys):
    _, url = demo
    assert main([*argv, "--store", url]) == 1
    assert listed in capsys.readouterr().err


class _ClosedPipe(io.StringIO):
    def write(self, text):
        raise BrokenPipeError

    def fileno(self):
        return 1


@pytest.mark.parametrize(
    "argv",
    [["report", "outcomes"], ["report", "target", "--target", "t-150"]],
    ids=" ".join,
)
def test_the_csv_file_is_written_even_when_the_output_pipe_closes(demo, argv, monkeypatch):
    folder, url = demo
    out = folder / f"{argv[1]}.csv"
    monkeypatch.setattr("sys.stdout", _ClosedPipe())
    monkeypatch.setattr("os.dup2", lambda *a: None)
    main([*argv, "--store", url, "--csv", str(out)])
    assert out.read_text().count("\n") > 2


def test_the_target_csv_holds_the_headline_figures_and_the_points(demo, capsys):
    folder, url = demo
    out = folder / "target.csv"
    assert main(["report", "target", "--target", "t-150", "--as-of", "2024-06-30",
                 "--store", url, "--csv", str(out)]) == 0  # fmt: skip
    head, points = out.read_text().split("\n\n")
    figures = dict(csv.reader(io.StringIO(head)))
    assert figures["reached"] == "83"
    assert figures["verdict"] == "behind"
    for name in ("pace_so_far", "pace_needed", "projected", "deadline", "count"):
        assert figures[name]
    assert points.splitlines()[0] == "date,label,new,total"


def test_graph_withholds_the_cohort_figures_the_outcome_report_withholds(demo, capsys):
    _, url = demo
    assert main(["graph", "--store", url]) == 0
    lines = capsys.readouterr().out.split("by cohort:")[1].splitlines()
    shown = {line.split()[0]: line.split()[3] for line in lines
             if line.startswith("  coh-") and "not yet known" not in line}  # fmt: skip
    store = SQLiteStore(url.removeprefix("sqlite:///"))
    try:
        outcomes = {r.cohort_id: r.mentees for r in report_outcomes(store)}
    finally:
        store.close()
    for cohort, size in shown.items():
        assert size == "*" or int(size) >= 10
        if str(outcomes.get(cohort)) == "*":
            assert size == "*", cohort


def test_conditions_follow_the_stored_administrations_dates_not_the_names(tmp_path, capsys):
    import datetime as dt

    from mentorkit.measurement import Condition, Survey, SurveyAdministration, SurveyResult
    from mentorkit.model import OrgUnit

    db = tmp_path / "seasons.db"
    store = SQLiteStore(db)
    store.put(Survey(id="s", name="S", conditions=[Condition(id="equity", title="Equity")]))
    store.put(OrgUnit(id="u", name="U", kind="school"))
    store.put_many(
        SurveyAdministration(id=f"a{k}", survey_id="s", cycle=cycle, opens=opens)
        for k, (cycle, opens) in enumerate(
            [("Fall 2023", dt.date(2023, 9, 1)), ("Spring 2023", dt.date(2023, 3, 1))]
        )
    )
    store.put_many(
        SurveyResult(id=f"r{k}", survey_id="s", org_unit_id="u", cycle=cycle,
                     condition="equity", score=score, n=30)
        for k, (cycle, score) in enumerate([("Spring 2023", 2.0), ("Fall 2023", 3.0)])
    )  # fmt: skip
    store.close()
    assert main(["report", "conditions", "--survey", "s", "--store", f"sqlite:///{db}"]) == 0
    out = capsys.readouterr().out.split("Condition scores across cycles")[1]
    (fall,) = [line for line in out.splitlines() if "Fall 2023" in line]
    assert fall.split()[-1] == "up"


def test_graph_cohort_lines_withhold_small_cohorts_and_keep_mentorships_without_one():
    import datetime as dt

    from mentorkit.cli._graph import render
    from mentorkit.graph import MentorshipGraph
    from mentorkit.model import Mentorship

    cohort_of = ["c21"] * 20 + ["c22"] * 3 + [None] * 12
    graph = MentorshipGraph.from_mentorships(
        [Mentorship(id=f"m{k}", mentor_id=f"a{k}", mentee_id=f"b{k}", start=dt.date(2021, 9, 1),
                    cohort_id=c, program_id="f")
         for k, c in enumerate(cohort_of)]
        # the school year after is in the data: c21's window (to June 2023) is observed
        + [Mentorship(id="m-late", mentor_id="x", mentee_id="y", start=dt.date(2022, 9, 1),
                      cohort_id="c23", program_id="f")]
    )  # fmt: skip
    lines = render(graph, top=1, by="reach", within_years=1).split("by cohort:")[1].splitlines()
    rows = {line.split()[0]: line.split() for line in lines if line.strip()}
    assert rows["c22"][1:4] == ["*", "of", "*"]
    assert rows["(no"][4] in {"12", "*"}  # "(no cohort)": its own row
    assert rows["c23"][1:4] == ["not", "yet", "known"]
    assert "withheld" in lines[-2]
    note = "the data runs to 2023-06-30, the end of the school year the last mentorship began in"
    assert lines[-1] == f"  (not yet known: {note})"


def _render_cohorts(starts, as_of, within_years):
    import datetime as dt

    from mentorkit.cli._graph import render
    from mentorkit.graph import MentorshipGraph
    from mentorkit.model import Mentorship

    ms = [Mentorship(id=f"m{k}", mentor_id=f"a{k}", mentee_id=f"b{k}",
                     start=dt.date(2020 + year, 9, 1), cohort_id=f"c{year}")
          for k, year in enumerate(starts)]  # fmt: skip
    # Some mentees go on to mentor the following year, so a count is more than 0.
    ms += [Mentorship(id=f"f{k}", mentor_id=f"b{k}", mentee_id=f"z{k}",
                      start=dt.date(2021 + year, 10, 1), cohort_id=f"c{year + 1}")
           for k, year in enumerate(starts) if k % 2]  # fmt: skip
    graph = MentorshipGraph.from_mentorships(ms)
    text = render(graph, top=0, by="reach", within_years=within_years, as_of=as_of)
    return ms, text.split("by cohort:")[1].splitlines()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=1, max_size=60), st.integers(0, 2),
       st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2027, 1, 1))))  # fmt: skip
def test_a_cohort_whose_window_outruns_the_data_is_never_given_a_count(starts, within, as_of):
    from mentorkit.graph._views import end_of_school_year

    ms, lines = _render_cohorts(starts, as_of, within)
    last = max(m.start for m in ms)
    until = min(end_of_school_year(last), as_of or dt.date.today())
    shown = {line.split()[0]: line for line in lines if line.startswith("  c")}
    assert set(shown) == {m.cohort_id for m in ms}
    for cohort, line in shown.items():
        window = end_of_school_year(max(m.start for m in ms if m.cohort_id == cohort), within)
        if window > until:
            assert line.split()[1:4] == ["not", "yet", "known"], line
            assert "%" not in line
            assert " of " not in line
        else:
            assert " of " in line, line
    if any("not yet known" in line for line in shown.values()):
        assert f"the data runs to {until}" in lines[-1]


def test_report_conditions_shows_a_unit_whose_every_score_is_withheld(tmp_path, capsys):
    from mentorkit.measurement import Condition, Survey, SurveyResult

    db = tmp_path / "nets.db"
    store = SQLiteStore(db)
    conditions = [Condition(id="equity", title="Equity"), Condition(id="trust", title="Trust")]
    store.put(Survey(id="s", name="S", conditions=conditions))
    store.put_many(
        SurveyResult(id=f"r{k}", survey_id="s", org_unit_id=unit, cycle="2023",
                     condition=cond, score=2.5 + k / 10, n=n)
        for k, (unit, cond, n) in enumerate([("net-7", "equity", 26), ("net-7", "trust", 26),
                                             ("net-14", "equity", 7), ("net-14", "trust", 7)])
    )  # fmt: skip
    store.close()
    assert main(["report", "conditions", "--survey", "s", "--store", f"sqlite:///{db}"]) == 0
    lowest = capsys.readouterr().out.split("\n\n")[0]
    (row,) = [line for line in lowest.splitlines() if " net-14 " in line]
    assert row.split() == ["s", "net-14", "2023", "*", "*", "*", "-", "-", "2", "-"]
    assert any(" net-7 " in line and "equity" in line for line in lowest.splitlines())
