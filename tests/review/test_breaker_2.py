"""Adversarial review of #17, second round (breaker-2).

Every test here fails on main at the time of the review (strict xfail): the lead removes the
mark with the fix. Each docstring says what was expected and what happened.
"""

import contextlib
import datetime as dt
import json
import os
import sqlite3

import pytest

import mentorkit as mk
from mentorkit.cli import main
from mentorkit.matching import (
    Applicant,
    Decision,
    EligibilityReport,
    PriorityIfRated,
    check_eligibility,
    select_applicants,
)

LONG_ID = "p" + "x" * 300  # what a store accepted before ids were capped at 255 characters


def _old_sqlite_store_with_a_long_id(path):
    """A SQLite store as a release before the 255-character cap wrote it: one person, long id."""
    with mk.open_store(f"sqlite:///{path}") as store:
        store.put(mk.Person(id="short", name="Ann"))
        store.put(mk.Person(id="other", name="Bo"))
    con = sqlite3.connect(path)
    (doc,) = con.execute("SELECT doc FROM mentorkit_entities WHERE id = 'short'").fetchone()
    con.execute(
        "UPDATE mentorkit_entities SET id = ?, doc = ? WHERE id = 'short'",
        (LONG_ID, doc.replace('"short"', json.dumps(LONG_ID))),
    )
    con.commit()
    con.close()


def test_a_store_written_before_the_id_cap_still_reads(tmp_path, monkeypatch):
    """Expected: entities already stored stay readable (the cap is for new writes; nothing
    already stored is lost). Actual: ``find(Person)`` raises ``StorageError: stored document
    person/pxxx... is not valid: must be at most 255 characters`` - every person, not just the
    long one, is unreadable, so every command that reads people fails on the old store."""
    monkeypatch.chdir(tmp_path)
    _old_sqlite_store_with_a_long_id("old.db")
    with mk.open_store("sqlite:///old.db") as store:
        assert {p.id for p in store.find(mk.Person)} == {LONG_ID, "other"}


def test_a_pre_cap_store_exports_and_its_import_names_the_long_id(tmp_path, monkeypatch, capsys):
    """Found: export succeeds and import refused the document with a two-line message.
    Decided: ids over 255 characters are refused by every store when written (PostgreSQL
    cannot index them), so the old data reads and exports, and an import says in one line
    which entry and field to shorten, writing nothing."""
    monkeypatch.chdir(tmp_path)
    _old_sqlite_store_with_a_long_id("old.db")
    assert main(["export", "--store", "sqlite:///old.db", "-o", "dump.json"]) == 0
    capsys.readouterr()
    assert main(["import", "dump.json", "--store", "sqlite:///new.db"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "(id)" in err
    assert "at most 255 characters" in err
    if (tmp_path / "new.db").exists():  # nothing written
        with mk.open_store("sqlite:///new.db") as store:
            assert store.find(mk.Person) == []


def test_an_invalid_imported_entry_is_one_readable_line(tmp_path, monkeypatch, capsys):
    """Expected: one line with the problems joined by '; '. Actual: ``...is not valid: not a
    valid Person document\\n  - must be at most 255 characters (got 301) @ $.id`` (the
    newline escaped, not joined)."""
    monkeypatch.chdir(tmp_path)
    _old_sqlite_store_with_a_long_id("old.db")
    assert main(["export", "--store", "sqlite:///old.db", "-o", "dump.json"]) == 0
    capsys.readouterr()
    assert main(["import", "dump.json", "--store", "sqlite:///new.db"]) == 1
    err = capsys.readouterr().err
    assert "\\n" not in err, err


@pytest.mark.parametrize("scheme", ["SQLITE", "Sqlite", "JSON"])
def test_an_upper_case_scheme_does_not_bypass_the_output_check(tmp_path, monkeypatch, capsys,
                                                               scheme):  # fmt: skip
    """Expected: exit 1, 'is the store this command reads', the store intact. Actual: exit 0,
    'Wrote s.db', and s.db is now a CSV file (the database is gone)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MENTORKIT_STORE", raising=False)
    name = "s.json" if scheme == "JSON" else "s.db"
    with mk.open_store(f"{scheme.lower()}:///{name}") as store:
        store.put(mk.Person(id="p-1", name="Ann"))
    code = main(["report", "outcomes", "--store", f"{scheme}:///{name}", "--csv", name])
    capsys.readouterr()
    with mk.open_store(f"{scheme.lower()}:///{name}") as store:
        assert [p.id for p in store.find(mk.Person)] == ["p-1"]
    assert code == 1


def test_an_upper_case_default_store_does_not_bypass_the_output_check(tmp_path, monkeypatch,
                                                                      capsys):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MENTORKIT_STORE", "SQLITE:///s.db")
    with mk.open_store("sqlite:///s.db") as store:
        store.put(mk.Person(id="p-1", name="Ann"))
    code = main(["export", "-o", "s.db"])
    capsys.readouterr()
    with mk.open_store("sqlite:///s.db") as store:
        assert [p.id for p in store.find(mk.Person)] == ["p-1"]
    assert code == 1


def _cohort_store():
    store = mk.open_store("memory://")
    store.put(mk.Cohort(id="c", program_id="p", name="2024",
                        start=dt.date(2024, 6, 1), end=dt.date(2024, 12, 31)))  # fmt: skip
    for pid in ("ana", "ben", "cy"):
        store.put(mk.Enrollment(id=f"e-{pid}", person_id=pid, cohort_id="c", role="mentee"))
    return store


def test_select_applicants_never_seats_a_nan_priority_ahead_of_a_real_one():
    """Expected: ``PriorityIfRated(points=nan)`` refused (ValidationError naming points), or
    the seat going to the applicant with the highest real priority. Actual: ana (priority nan)
    and cy are selected, ben (priority 1.0) is waitlisted - the order depends on where the
    NaN sits in the input."""
    store = _cohort_store()
    applicants = [
        Applicant(person_id="ana", ratings={"data": 3}),
        Applicant(person_id="ben", ratings={"equity": 2}),
        Applicant(person_id="cy"),
    ]
    try:
        rules = [
            PriorityIfRated(level=3, points=float("nan")),
            PriorityIfRated(level=2, points=1.0, name="second"),
        ]
        report = check_eligibility(applicants, rules)
    except mk.ValidationError:
        return
    chosen = select_applicants(store, "c", report, seats=1)
    assert chosen.selected == ("ben",)


@pytest.mark.parametrize("decisions", [None, "abc", (1, 2)], ids=["None", "str", "ints"])
def test_select_applicants_refuses_a_malformed_report_with_a_validation_error(decisions):
    store = _cohort_store()
    with pytest.raises(mk.ValidationError) as info:
        select_applicants(store, "c", EligibilityReport(decisions=decisions), seats=1)
    assert info.value.field == "report"


def test_select_applicants_names_an_applicant_listed_twice():
    """check_eligibility refuses an applicant listed twice; a report built by hand (the class
    is public) is not checked. Expected: ValidationError on field 'report' naming 'ana'.
    Actual: field 'id', value 'e-ana', about put_many (an internal step)."""
    store = _cohort_store()

    def decide(pid):
        return Decision(person_id=pid, eligible=True, priority=0.0, reasons=(), exclusions=())

    twice = (decide("ana"), decide("ana"), decide("ben"), decide("cy"))
    report = EligibilityReport(decisions=twice)
    with pytest.raises(mk.ValidationError) as info:
        select_applicants(store, "c", report, seats=2)
    assert info.value.field == "report"


def _calendar_store(url, cohort_id):
    with mk.open_store(url) as store:
        store.put(mk.Program(id="p", name="P"))
        store.put(mk.Cohort(id=cohort_id, program_id="p", name="2024",
                            start=dt.date(2024, 6, 1), end=dt.date(2024, 12, 31)))  # fmt: skip


def test_calendar_default_output_never_replaces_the_store(tmp_path, monkeypatch, capsys):
    """Expected: refused in one line like ``-o coh.ics``. Actual: exit 0, 'Wrote coh.ics',
    the JSON store is now an iCalendar file."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MENTORKIT_STORE", raising=False)
    _calendar_store("json:///coh.ics", "coh")
    code = main(["calendar", "--store", "json:///coh.ics", "--cohort", "coh", "--tz", "UTC"])
    capsys.readouterr()
    with mk.open_store("json:///coh.ics") as store:
        assert [c.id for c in store.find(mk.Cohort)] == ["coh"]
    assert code == 1


def test_calendar_default_output_stays_in_the_current_folder(tmp_path, monkeypatch, capsys):
    """Ids may hold '/' (an imported document decides them). Expected: the default file
    lands in the current folder (the id's slashes replaced) or the command asks for -o.
    Actual: 'Wrote ../escaped.ics' - a file written in the parent folder."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("MENTORKIT_STORE", raising=False)
    _calendar_store("sqlite:///s.db", "../escaped")
    main(["calendar", "--store", "sqlite:///s.db", "--cohort", "../escaped", "--tz", "UTC"])
    capsys.readouterr()
    assert not (tmp_path / "escaped.ics").exists()


def test_check_smartie_on_a_goal_near_year_9999_is_not_a_raw_error():
    """Expected: a report (the deadline is within the horizon, or the date refused with a
    ValidationError). Actual: ``ValueError: year 10001 is out of range``."""
    from mentorkit.cycles import check_smartie

    goal = mk.Goal(id="g", person_id="p", statement="Raise reading", measure="x", baseline=1,
                   target=2, start=dt.date(9998, 6, 1), deadline=dt.date(9999, 12, 31))  # fmt: skip
    with contextlib.suppress(mk.ValidationError):
        check_smartie(goal)


def test_two_hooks_made_by_one_factory_are_both_called():
    """``notify(who)`` returns a ``send(event)`` closure; both have qualname
    ``notify.<locals>.send``. Expected: both callbacks registered (they are two callbacks, not
    a notebook cell run twice). Actual: ``Hooks(reminder_due=1)`` - the coordinator's
    notification is dropped without a word."""
    from mentorkit.scheduling import Hooks

    def notify(who):
        def send(event):
            return who

        return send

    hooks = Hooks()
    hooks.register("reminder_due", notify("coordinator"))
    hooks.register("reminder_due", notify("principal"))
    assert len(hooks.callbacks("reminder_due")) == 2


def test_register_matcher_refuses_another_class_from_one_factory():
    """Expected: MatchingError ('already registered (replace=True?)'), as for any other
    matcher. Actual: the first matcher is silently replaced."""
    from mentorkit.errors import MatchingError
    from mentorkit.matching import GreedyMatcher, register_matcher, unregister_matcher

    def make(weight):
        class Weighted(GreedyMatcher):
            name = "weighted-review"
            bonus = weight

        return Weighted

    register_matcher("weighted-review", make(1))
    try:
        with pytest.raises(MatchingError):
            register_matcher("weighted-review", make(2))
    finally:
        unregister_matcher("weighted-review")


DSN = os.environ.get("MENTORKIT_TEST_POSTGRES_DSN", "")


def test_postgres_get_with_a_surrogate_id_is_not_a_raw_error(schema_url):
    with mk.open_store(schema_url) as store, pytest.raises((mk.NotFoundError, mk.ValidationError)):
        store.get(mk.Cohort, "coh-\udcff")


def test_cli_cohort_not_in_utf8_on_postgres_is_one_line(schema_url, monkeypatch, capsys):
    """``mentorkit adherence --cohort $'\\xff'`` (a Latin-1 terminal typing 'é') with
    MENTORKIT_STORE on PostgreSQL. Expected: exit 1, one line ('no cohort ...'), as on
    SQLite. Actual: a psycopg traceback ending in UnicodeEncodeError."""
    with mk.open_store(schema_url) as store:
        store.put(mk.Program(id="p", name="P"))
    monkeypatch.setenv("MENTORKIT_STORE", schema_url)
    code = main(["adherence", "--cohort", "\udcff"])
    err = capsys.readouterr().err
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err


def test_postgres_lookup_with_a_nul_agrees_with_the_other_stores(schema_url):
    with mk.open_store(schema_url) as store:
        store.put(mk.Person(id="p", name="A"))
        with pytest.raises((mk.NotFoundError, mk.ValidationError)):
            store.get(mk.Person, "a\x00b")
        assert store.find(mk.Person, org_unit_id="a\x00") == []


def test_from_dict_with_swapped_arguments_does_not_echo_personal_data():
    """``from_dict(Person, doc)`` (instead of ``from_dict(doc, Person)``) is an easy slip.
    Expected: 'cls: must be a class' without the document's personal values. Actual: the
    message is ``cls: must be a class (got {... 'email': 'ann.secret@example.org', ...
    'demographics': {'gender': 'SECRETGENDER'}})``. (Older than this session's changes.)"""
    from mentorkit.serialization import from_dict, to_dict

    person = mk.Person(id="p", name="A", email="ann.secret@example.org",
                       demographics={"gender": "SECRETGENDER"})  # fmt: skip
    with pytest.raises(mk.ValidationError) as info:
        from_dict(mk.Person, to_dict(person))
    assert "ann.secret" not in str(info.value)
    assert "SECRETGENDER" not in str(info.value)


def test_a_round_must_end_at_a_move_back():
    """The rule (90a48a9): 'a round ends when the cycle moves back'. Expected: a
    ValidationError for rounds 1 and 2 both ending at the one forward move
    listening_and_learning -> goal_setting. Actual: accepted, ``cycle.round == 3``."""
    import attrs

    from mentorkit.cycles import EvidenceRound, PhaseChange, load_cycle

    start = dt.datetime(2024, 9, 2, tzinfo=dt.UTC)
    cycle = load_cycle("equity-leadership-coaching").start(id="cc-1", person_id="p-1",
                                                           started=start)  # fmt: skip
    moved = start + dt.timedelta(days=1)
    forward = PhaseChange(source="listening_and_learning", target="goal_setting", at=moved)
    rounds = (EvidenceRound(number=1, evidence={}, ended=moved),
              EvidenceRound(number=2, evidence={}, ended=moved))  # fmt: skip
    with pytest.raises(mk.ValidationError):
        attrs.evolve(cycle, phase="goal_setting", history=(forward,), past_rounds=rounds)


def test_report_outcomes_as_of_a_day_before_every_cohort_counts_no_mentee():
    """'The report that day would have given' (its docstring). Expected: as of 2000-01-01,
    before the 2021 cohorts began, no mentees (or no rows for cohorts not begun). Actual:
    coh-fellows-2021 with 4 mentees; on the demo store ``--as-of 2023-01-01`` lists 9 mentees
    for coh-fellows-2023, which began 2023-08-01 from applications dated May 2023."""
    from mentorkit.measurement import DisclosurePolicy, report_outcomes
    from mentorkit.synthetic import district

    store = mk.open_store("memory://")
    store.put_many(district(seed=0, staff=60, years=1).entities())
    table = report_outcomes(store, as_of=dt.date(2000, 1, 1), policy=DisclosurePolicy(min_cell=1))
    assert all(row.mentees == 0 for row in table)


def test_a_registered_index_on_free_text_agrees_between_sqlite_and_postgres(schema_url, tmp_path):
    """The 255-character cap (ids, protocol) exists because PostgreSQL's index entries are
    bounded; an index registered on free text (``register_index("award", "name", ...)``)
    escapes it. Expected: both stores keep it, or both refuse with a ValidationError naming
    the field. Actual: SQLite keeps it; PostgreSQL raises 'index row requires 9024 bytes,
    maximum size is 8191'."""
    import random
    import string

    from mentorkit.storage import INDEXES, register_index

    rng = random.Random(1)
    name = "".join(rng.choice(string.ascii_letters) for _ in range(9000))
    award = mk.Award(id="aw", person_id="p", cohort_id="c", name=name, date=dt.date(2025, 1, 1))
    before = INDEXES["award"]
    register_index("award", "name", "cohort_id", "person_id", replace=True)
    try:
        outcomes = []
        for url in (f"sqlite:///{tmp_path / 'a.db'}", schema_url):
            with mk.open_store(url) as store:
                try:
                    store.put(award)
                    outcomes.append("kept")
                except mk.ValidationError:
                    outcomes.append("refused")
        assert outcomes[0] == outcomes[1]
    finally:
        register_index("award", *before, replace=True)


def _cycle():
    from mentorkit.cycles import load_cycle

    return load_cycle("equity-leadership-coaching").start(
        id="cc-1", person_id="p-1", started=dt.datetime(2024, 9, 2, tzinfo=dt.UTC)
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda: _cycle().evidence_for(["recalibration_review"]),
        lambda: __import__("mentorkit.cycles").cycles.SmartieRules().latest_deadline("2024-01-01"),
        lambda: __import__("mentorkit.cycles").cycles.SmartieRules().latest_deadline(None),
    ],
    ids=["evidence_for-list", "latest_deadline-str", "latest_deadline-None"],
)
def test_new_public_calls_refuse_wrong_types_with_a_validation_error(call):
    """Expected: ValidationError naming artefact / start. Actual: ``TypeError: unhashable type:
    'list'``; ``TypeError: can only concatenate str (not "relativedelta") to str``."""
    with pytest.raises(mk.ValidationError):
        call()


def test_select_applicants_takes_a_reapplication_after_a_withdrawal():
    """Expected: the withdrawn enrolment is history; the new application is decided (ana
    selected). Actual: ValidationError telling the user to withdraw one of the two - one
    is withdrawn already; the only way on is deleting the record of the withdrawal."""
    store = mk.open_store("memory://")
    store.put(mk.Cohort(id="c", program_id="p", name="2024",
                        start=dt.date(2024, 6, 1), end=dt.date(2024, 12, 31)))  # fmt: skip
    store.put(mk.Enrollment(id="e-ana-1", person_id="ana", cohort_id="c", role="mentee",
                            status="withdrawn"))  # fmt: skip
    store.put(mk.Enrollment(id="e-ana-2", person_id="ana", cohort_id="c", role="mentee"))
    store.put(mk.Enrollment(id="e-ben", person_id="ben", cohort_id="c", role="mentee"))
    report = check_eligibility([Applicant(person_id="ana"), Applicant(person_id="ben")], [])
    chosen = select_applicants(store, "c", report, seats=1)
    assert chosen.selected == ("ana",)
    assert store.get(mk.Enrollment, "e-ana-2").status.value == "selected"


def test_an_evidence_round_number_is_a_whole_number():
    """Expected: ValidationError at construction, as the stores refuse it. Actual: the cycle
    is built (round 2) and every ``put`` then fails."""
    from mentorkit.cycles import EvidenceRound

    with pytest.raises(mk.ValidationError):
        EvidenceRound(number=1.0, evidence={}, ended=dt.datetime(2024, 9, 2, tzinfo=dt.UTC))


@pytest.mark.parametrize("capacity", ["2", None, 2.5])
def test_cohort_profiles_refuses_a_bad_capacity_naming_it(capacity):
    from mentorkit.matching import cohort_profiles

    people = [mk.Person(id="kim", name="K")]
    enrollments = [mk.Enrollment(id="e", person_id="kim", cohort_id="c", role="mentor",
                                 status="selected")]  # fmt: skip
    with pytest.raises(mk.ValidationError) as info:
        cohort_profiles("c", people=people, enrollments=enrollments, capacity=capacity)
    assert info.value.field == "capacity"
