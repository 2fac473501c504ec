"""`mentorkit demo`: its tour shows what the other commands print for the file it leaves."""

import contextlib
import datetime as dt
import io
import re
import shlex
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.cli import main
from mentorkit.cli._demo import _CUT


def _sections(out: str) -> list[tuple[list[str], list[str]]]:
    """Each ``$ mentorkit ...`` line of the tour with the (indented) lines shown under it."""
    sections: list[tuple[list[str], list[str]]] = []
    for line in out.splitlines():
        if line.startswith("$ mentorkit "):
            sections.append((shlex.split(line)[2:], []))
        elif sections and line.startswith("  "):
            sections[-1][1].append(line[2:])
        elif sections and line:
            sections.append(([], []))  # a heading ends the lines of the command before
    return [s for s in sections if s[0]]


@pytest.fixture(scope="module")
def toured(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        mp.delenv("MENTORKIT_STORE", raising=False)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["demo"]) == 0
    return folder, out.getvalue()


def test_the_demo_tours_every_part_of_the_product(toured):
    _, out = toured
    commands = [argv[0] if argv[0] != "report" else f"report {argv[1]}"
                for argv, _ in _sections(out)]  # fmt: skip
    assert commands == ["match", "adherence", "report conditions", "report target",
                        "report outcomes", "graph"]  # fmt: skip
    assert "Synthetic district (seed 7)" in out
    assert re.search(r"Saved [\d,]+ entities to .*mentorkit\.db", out)
    assert "every pair with its reasons" in out
    assert "      - " in out  # a reason under a pair


def test_every_line_the_tour_shows_is_printed_by_the_command_it_names(toured, monkeypatch, capsys):
    folder, out = toured
    monkeypatch.chdir(folder)
    monkeypatch.delenv("MENTORKIT_STORE", raising=False)
    checked = 0
    for argv, shown in _sections(out):
        assert main(argv) == 0, argv
        printed = capsys.readouterr().out.splitlines()
        for line in shown:
            if line.lstrip().startswith(f"({_CUT}"):  # "(… and 28 more: run the command)"
                continue
            if line.endswith(_CUT):  # cut short to fit: the start of a printed line
                assert any(p.startswith(line[: -len(_CUT)]) for p in printed), (argv, line)
            else:
                assert line in printed, (argv, line)
            checked += 1
    assert checked > 30


def test_the_figures_agree_with_the_api_on_the_same_file(toured):
    import mentorkit as mk
    from mentorkit.graph import MentorshipGraph, cohort_report
    from mentorkit.scheduling import adherence

    folder, out = toured
    with mk.open_store(f"sqlite:///{folder}/mentorkit.db") as store:
        graph = MentorshipGraph.from_store(store)
        report = adherence(store, cohort_id="coh-fellows-2023", as_of=dt.date(2024, 3, 1))
        pairs = len(store.find(mk.Mentorship, cohort_id="coh-fellows-2023"))
    summary = graph.summary()
    assert f"{summary['mentorships']:,} mentorships" in out
    # The headline's "went on to mentor" is the total of the cohort table below it: the
    # cohorts known, by cohort_report's one definition.
    known = [r for r in cohort_report(graph) if r.paid_forward is not None]
    forward = sum(r.paid_forward for r in known)
    assert forward >= 10  # published (the demo's figure is not a small one)
    assert f"mentees who went on to mentor {forward:,} of {sum(r.mentees for r in known):,}" in out
    (rollup,) = report.rollup()
    assert f"{rollup.pairs} pairs" in out
    assert rollup.pairs == pairs
    assert f"{rollup.behind} falling behind" in out


def test_the_demo_runs_without_tqdm(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm -> ImportError
    assert main(["demo", "--staff", "60", "--years", "1"]) == 0
    captured = capsys.readouterr()
    assert "Saved" in captured.out
    assert captured.err == ""


def test_long_steps_move_a_tqdm_bar(tmp_path, monkeypatch, capsys):
    tqdm = pytest.importorskip("tqdm")
    bars = []

    class Recorder(tqdm.tqdm):
        def __init__(self, *args, **kwargs):
            kwargs["disable"] = False  # as on a terminal
            super().__init__(*args, **kwargs)
            bars.append(self)

    monkeypatch.setattr(tqdm, "tqdm", Recorder)
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--staff", "200", "--years", "1"]) == 0
    saving = [b for b in bars if b.unit == "entity"]
    assert saving
    assert saving[0].n == saving[0].total > 0
    assert "saving" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["demo", "--staff", "-5"], "--staff: must be a whole number"),
        (["demo", "--years", "0"], "--years: must be a whole number"),
        (["demo", "--staff", "many"], "argument --staff: invalid int value: 'many'"),
        (["demo", "--store", "nope://x"], "no store backend for nope://"),
    ],
)
def test_a_demo_mistake_is_one_line_and_a_nonzero_exit(tmp_path, monkeypatch, capsys, argv,
                                                       message):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    assert code != 0
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert message in err


def test_a_second_demo_in_the_same_folder_says_how_to_replace_it(toured, monkeypatch, capsys):
    folder, _ = toured
    monkeypatch.chdir(folder)
    monkeypatch.delenv("MENTORKIT_STORE", raising=False)
    assert main(["demo"]) == 1
    err = capsys.readouterr().err
    assert "already holds data: pass --overwrite" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.postgres
def test_the_tour_of_a_postgres_store_never_shows_its_password(capsys):
    import os
    import urllib.parse
    import uuid

    dsn = os.environ.get("MENTORKIT_TEST_POSTGRES_DSN", "")
    parts = urllib.parse.urlsplit(dsn)
    if not dsn.startswith("postgres") or not parts.password:
        pytest.skip("needs MENTORKIT_TEST_POSTGRES_DSN as a URL with a password")
    psycopg = pytest.importorskip("psycopg")
    schema = f"mk_demo_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
    except psycopg.OperationalError as exc:
        pytest.skip(f"the PostgreSQL server is unreachable: {exc}")
    options = urllib.parse.quote(f"-c search_path={schema}")
    url = f"{dsn}{'&' if parts.query else '?'}options={options}"
    try:
        assert main(["demo", "--staff", "60", "--years", "1", "--store", url]) == 0
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    captured = capsys.readouterr()
    # shlex quotes the URL when its query holds characters a shell would read
    assert re.search(r"\$ mentorkit graph --top 5 --store '?postgresql://", captured.out)
    assert "Mentorship graph:" in captured.out  # the tour read the database back
    assert f":{parts.password}@" not in captured.out + captured.err


def test_the_tour_shows_a_database_url_without_its_password():
    pytest.importorskip("psycopg")
    from mentorkit import synthetic
    from mentorkit.cli._demo import _tour

    district = synthetic.district(seed=1, staff=60, years=1)
    out = _tour(district, "postgresql://app:s3cr%40t@127.0.0.1:1/mentoring")  # nobody listens
    assert "--store 'postgresql://app:***@127.0.0.1:1/mentoring'" in out
    assert "s3cr" not in out
    assert "error:" in out  # each part says why it could not read the database


def _share_of_target(staff):
    """How far the demo district of ``staff`` people is towards its target on the tour's day."""
    from mentorkit import open_store, synthetic
    from mentorkit.cli._demo import _measurement
    from mentorkit.measurement import Target, progress

    district = synthetic.district(seed=7, staff=staff, years=3, sessions_per_mentorship=0)
    extras, notes = _measurement(district)
    (target,) = [e for e in extras if isinstance(e, Target)]
    last = max(c.start for c in district.cohorts if c.program_id == "prog-fellows")
    with open_store("memory://") as store:
        store.put_many([*district.entities(), *extras])
        reached = progress(target, store, as_of=dt.date(last.year + 1, 3, 1)).reached
    return target, notes, reached


@settings(max_examples=6, deadline=None)
@given(staff=st.integers(300, 6000))
def test_the_demo_target_grows_with_the_staff(staff):
    from mentorkit.cli._demo import _target_count

    target, notes, reached = _share_of_target(staff)
    assert target.count == _target_count(staff) >= 10
    assert target.name.startswith(f"{target.count:,} fellows supported by ")
    assert f"Target 't-150': {target.name} (150 per 400 staff" in "\n".join(notes)
    # As far from the target as the default district is: the target is never met at once.
    default, _, default_reached = _share_of_target(400)
    assert default.count == 150
    assert abs(reached / target.count - default_reached / default.count) < 0.1


def test_a_bigger_demo_tours_its_own_target(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'big.db'}"
    assert main(["demo", "--staff", "1000", "--store", url]) == 0
    out = capsys.readouterr().out
    assert "Target 't-150': 380 fellows supported by 2026 (150 per 400 staff" in out
    (shown,) = [lines for argv, lines in _sections(out) if argv[:2] == ["report", "target"]]
    assert re.match(r"380 fellows supported by 2026: \d+ of 380 by 2026-06-30", shown[0])


def test_the_readme_runs_the_very_commands_the_tour_shows(toured):
    # Same command, same figures: the README's command lines agree with the demo's tour.
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    listed = [shlex.split(line[2:], comments=True) for line in readme.splitlines()
              if line.startswith("$ mentorkit ")]  # fmt: skip
    _, out = toured
    shown = [argv for argv, _ in _sections(out)]
    assert len(shown) >= 6
    for argv in shown:
        assert ["mentorkit", *argv] in listed, shlex.join(argv)


def test_the_tour_never_shows_a_share_that_went_on_to_mentor_before_it_is_known(toured):
    # The district summary leaves its last school year out (it has no next one): the tour's
    # graph says "not yet known" for exactly the cohorts of that year, never "0 of 31 (0%)".
    from mentorkit import synthetic
    from mentorkit.graph._views import school_year

    _, out = toured
    (shown,) = [lines for argv, lines in _sections(out) if argv[0] == "graph"]
    cohorts = [line.split() for line in shown if line.startswith("  coh-")]
    district = synthetic.district(seed=7)
    year = {c.id: school_year(c.start) for c in district.cohorts}
    summary = district.summary()
    unknown = {c[0] for c in cohorts if c[1:4] == ["not", "yet", "known"]}
    assert unknown == {c for c, y in year.items() if y == max(year.values())}
    for cohort, y in year.items():
        assert (f"{y}-{(y + 1) % 100:02d} mentees:" in summary) == (cohort not in unknown)
    assert all("(0%)" not in " ".join(c) for c in cohorts if c[0] in unknown)
