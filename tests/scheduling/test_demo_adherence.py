"""The demo's district, read back by ``mentorkit adherence``: realistic, and the same figures."""

import datetime as dt

from mentorkit import synthetic
from mentorkit.cli import main
from mentorkit.scheduling import adherence
from mentorkit.storage import MemoryStore


def _report_of_the_cli(capsys, tmp_path, monkeypatch, cohort, day):
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert main(["adherence", "--cohort", cohort, "--as-of", day]) == 0
    return capsys.readouterr().out


def test_the_demo_cohort_shows_a_few_pairs_behind_and_the_cli_agrees(
    capsys, tmp_path, monkeypatch
):
    cohort, day = "coh-fellows-2023", "2024-08-01"
    out = _report_of_the_cli(capsys, tmp_path, monkeypatch, cohort, day)
    # The demo's defaults: seed 7, 400 staff, 3 years.
    store = MemoryStore()
    store.put_many(list(synthetic.district(seed=7).entities()))
    report = adherence(store, cohort_id=cohort, as_of=dt.date.fromisoformat(day))
    # The same report, people named as a lead knows them (ids kept in brackets).
    district = synthetic.district(seed=7)
    people = {p.id: p.name for p in district.people}
    names = {pid: f"{name} ({pid})" for pid, name in people.items()}
    names |= {m.id: f"{people[m.mentee_id]} with {people[m.mentor_id]} ({m.id})"
              for m in district.mentorships if m.cohort_id == cohort}  # fmt: skip
    assert out.strip() == report.format(names)
    for b in report.behind():
        assert f"pair {names[b.who]}" in out  # every pair behind, by name
    (rollup,) = report.rollup()
    assert f"{rollup.pairs} pairs" in out
    # Monthly reflections and made-up meetings: a minority falls behind, not all, not none.
    assert 0 < rollup.behind < rollup.pairs / 2
    assert rollup.share_met is not None
    assert rollup.share_met > 0.75
    missing = [r for r in report.rows if r.missing_artefacts]
    assert 0 < len(missing) < len(report.rows) / 10
