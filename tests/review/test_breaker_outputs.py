"""Adversarial review of #17: an output file option pointed at the store the command reads.

Fails on main at the time of the review (strict xfail): the lead removes the mark with the fix.
"""

import contextlib
import io
import shutil

import attrs
import pytest

import mentorkit as mk
from mentorkit.cli import main


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    where = tmp_path_factory.mktemp("outputs")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(where)
        mp.delenv("MENTORKIT_STORE", raising=False)
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["demo", "--staff", "60", "--years", "1"]) == 0
    return where / "mentorkit.db"


def _count(url):
    with mk.open_store(url) as store:
        return len(store.find(mk.Person))


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "outcomes", "--csv", "mentorkit.db"],
        ["report", "conditions", "--survey", "conditions", "--csv", "mentorkit.db"],
        ["adherence", "--cohort", "coh-fellows-2021", "--csv", "mentorkit.db"],
        ["calendar", "--cohort", "coh-fellows-2021", "--tz", "UTC", "-o", "mentorkit.db"],
        ["export", "-o", "mentorkit.db"],
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_an_output_option_never_replaces_the_store_it_reads(demo_db, tmp_path, monkeypatch,
                                                            capsys, argv):  # fmt: skip
    shutil.copy(demo_db, tmp_path / "mentorkit.db")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MENTORKIT_STORE", raising=False)
    people = _count("sqlite:///mentorkit.db")
    code = main(argv)
    err = capsys.readouterr().err
    assert _count("sqlite:///mentorkit.db") == people  # the store is still there
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err


def test_graph_out_never_replaces_the_json_store_it_reads(demo_db, tmp_path, monkeypatch,
                                                          capsys):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    with mk.open_store(f"sqlite:///{demo_db}") as source, mk.open_store("json:///s.json") as dest:
        entities = source.find(mk.Person) + source.find(mk.Mentorship)
        dest.put_many([attrs.evolve(e, version=0) for e in entities])
    people = _count("json:///s.json")
    code = main(["graph", "--store", "json:///s.json", "--out", "s.json"])
    capsys.readouterr()
    assert _count("json:///s.json") == people
    assert code == 1
