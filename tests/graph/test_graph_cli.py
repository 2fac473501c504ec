"""``mentorkit graph``: summary, ranking, cohort lines, exports, errors."""

from __future__ import annotations

import json

import networkx as nx

from mentorkit import synthetic
from mentorkit.cli import main
from mentorkit.graph import MentorshipGraph
from mentorkit.storage import open_store


def fill(url):
    d = synthetic.district(seed=5, staff=300, years=3, sessions_per_mentorship=0)
    with open_store(url) as store:
        store.put_many([*d.people, *d.mentorships, *d.outcomes])
    return d


def test_graph_prints_summary_top_mentors_and_cohorts(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    d = fill("sqlite:///mentorkit.db")  # the default store
    assert main(["graph", "--top", "3", "--by", "descendants"]) == 0
    out = capsys.readouterr().out
    assert f"{len(d.mentorships):,} mentorships" in out
    best = (
        MentorshipGraph.from_mentorships(d.mentorships, people=d.people)
        .metrics()
        .top(1, by="descendants")[0]
    )
    assert best.person_id in out
    assert "Top 3 by descendants" in out
    assert "coh-fellows-2021" in out


def test_graph_exports_without_personal_data(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    d = fill("sqlite:///m.db")
    assert main(["graph", "--store", "sqlite:///m.db", "--out", "g.graphml"]) == 0
    text = (tmp_path / "g.graphml").read_text()
    assert d.people[0].email not in text
    assert nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True).number_of_edges() == len(
        d.mentorships
    )
    assert (
        main(["graph", "--store", "sqlite:///m.db", "--out", "g.json", "--program", "prog-fellows"])
        == 0
    )
    data = json.loads((tmp_path / "g.json").read_text())
    assert {e["program_id"] for e in data["links"]} == {"prog-fellows"}
    assert "Wrote g.json" in capsys.readouterr().out


def test_graph_errors_name_the_option(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    fill("sqlite:///m.db")
    assert main(["graph", "--store", "sqlite:///m.db", "--out", "g.png"]) == 1
    assert "--out" in capsys.readouterr().err
    assert main(["graph", "--store", "sqlite:///m.db", "--as-of", "last year"]) == 1
    assert "--as-of" in capsys.readouterr().err
    assert main(["graph", "--store", "sqlite:///missing.db"]) == 1
    assert "no store at " in capsys.readouterr().err
    assert not (tmp_path / "missing.db").exists()
    open_store("sqlite:///empty.db").close()
    assert main(["graph", "--store", "sqlite:///empty.db"]) == 1
    assert "no mentorships" in capsys.readouterr().err


def test_graph_refuses_an_unknown_program_or_kind_listing_the_known(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    fill("sqlite:///m.db")
    assert main(["graph", "--store", "sqlite:///m.db", "--program", "nope"]) == 1
    err = capsys.readouterr().err
    assert "--program: unknown id" in err
    assert "nope" in err
    assert "prog-fellows" in err
    assert main(["graph", "--store", "sqlite:///m.db", "--kind", "mentoring"]) == 1
    err = capsys.readouterr().err
    assert "--kind:" in err
    assert "one_to_one" in err


def test_graph_refuses_a_negative_top(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    fill("sqlite:///m.db")
    assert main(["graph", "--store", "sqlite:///m.db", "--top", "-1"]) == 1
    captured = capsys.readouterr()
    assert "--top" in captured.err
    assert "Top -1" not in captured.out


def test_graph_with_nothing_begun_by_as_of_names_the_day(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    fill("sqlite:///m.db")
    assert main(["graph", "--store", "sqlite:///m.db", "--as-of", "2000-01-01"]) == 1
    assert "2000-01-01" in capsys.readouterr().err


def test_graph_fails_on_an_unwritable_out_before_printing_the_report(tmp_path, monkeypatch,
                                                                    capsys):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    fill("sqlite:///m.db")
    out = tmp_path / "missing" / "g.gexf"
    assert main(["graph", "--store", "sqlite:///m.db", "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "Mentorship graph" not in captured.out
    assert "cannot write" in captured.err
