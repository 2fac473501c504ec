"""Hostile values at every public boundary: only a ``MentorkitError`` (or argparse's usage
exit) may come out, never a raw exception or a traceback.

The boundaries: every public attrs class's constructor (a valid instance with one field
replaced, for the classes with strategies; every field hostile for the others),
``from_json``/``from_dict``, ``open_store``, ``MatchingProblem.from_matrix`` and ``match``,
``import_package``, ``import_store`` and the ``mentorkit`` command.
"""

import contextlib
import datetime as dt
import importlib
import io
import json
import os
import tempfile

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit import MentorkitError
from mentorkit.cli import main
from mentorkit.frameworks.case import import_package
from mentorkit.matching import MatchingProblem, match
from mentorkit.serialization import from_dict, from_json, to_dict
from mentorkit.storage import MemoryStore, import_store, open_store
from mentorkit.testing import strategies

# A handful of examples each: together they stay within a few tens of seconds.
FEW = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_UTC = dt.UTC
hostile_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**20, -(10**20), 2**63, 2**64, 10**400, -1, 0]),
    st.floats(),  # NaN and the infinities included
    st.sampled_from([1e-300, 1e308, -0.0]),
    st.text(),
    st.sampled_from(["", " ", "\x00", "\ud800", "a" * 10_000, "9" * 5000, "yes", "1e999"]),
    st.binary(max_size=20),
    st.dates(),
    st.sampled_from([dt.date.max, dt.date.min]),
    st.datetimes(timezones=st.sampled_from([None, _UTC])),
    st.sampled_from([dt.datetime.max.replace(tzinfo=_UTC), dt.datetime.min.replace(tzinfo=_UTC)]),
)
hostile = st.recursive(
    hostile_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.frozensets(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
    ),
    max_leaves=8,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _only_mentorkit_errors(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except MentorkitError:
        return None


def _public_attrs_classes():
    found = {}
    for name in (
        "mentorkit",
        "mentorkit.frameworks",
        "mentorkit.cycles",
        "mentorkit.matching",
        "mentorkit.scheduling",
        "mentorkit.measurement",
        "mentorkit.graph",
    ):
        with contextlib.suppress(ImportError):
            module = importlib.import_module(name)
            for attr in getattr(module, "__all__", ()):
                obj = getattr(module, attr, None)
                if isinstance(obj, type) and attrs.has(obj):
                    found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


PUBLIC_CLASSES = _public_attrs_classes()
WITH_STRATEGY = {
    cls: strategy()
    if callable(strategy) and not isinstance(strategy, st.SearchStrategy)
    else strategy
    for cls, strategy in strategies.ENTITY_STRATEGIES.items()
}


def test_the_public_classes_are_found():
    assert len(PUBLIC_CLASSES) >= 20


@FEW
@given(st.data())
def test_a_constructor_given_a_hostile_field_raises_only_mentorkit_errors(data):
    cls = data.draw(st.sampled_from(PUBLIC_CLASSES))
    fields = [f for f in attrs.fields(cls) if f.init]
    if not fields:
        return
    if cls in WITH_STRATEGY:
        valid = data.draw(WITH_STRATEGY[cls])
        field = data.draw(st.sampled_from(fields))
        value = data.draw(hostile)
        made = _only_mentorkit_errors(attrs.evolve, valid, **{field.alias: value})
        if made is not None:  # accepted: it must store and read back like any other
            store = MemoryStore()
            _only_mentorkit_errors(store.put, made)
    else:
        kwargs = {f.alias: data.draw(hostile) for f in fields}
        _only_mentorkit_errors(cls, **kwargs)


@FEW
@given(strategies.entities(), st.data())
def test_a_document_with_a_hostile_field_raises_only_mentorkit_errors(entity, data):
    doc = to_dict(entity)
    key = data.draw(st.sampled_from(sorted(doc)))
    doc[key] = data.draw(json_values)
    _only_mentorkit_errors(from_dict, doc)
    _only_mentorkit_errors(from_dict, data.draw(hostile))
    try:
        text = json.dumps(doc)
    except (ValueError, TypeError):
        return
    cut = data.draw(st.integers(0, len(text)))
    _only_mentorkit_errors(from_json, text[:cut] + data.draw(st.text(max_size=5)))
    _only_mentorkit_errors(from_json, data.draw(st.binary(max_size=30)))


@FEW
@given(
    st.sampled_from(["memory://", "json:///", "sqlite:///", "sqlite://", "json://", "x://", ""]),
    st.text(max_size=20),
    st.dictionaries(
        st.sampled_from(["timeout", "max_size", "min_size", "colour"]), hostile, max_size=2
    ),
)
def test_open_store_raises_only_mentorkit_errors(prefix, rest, options):
    with tempfile.TemporaryDirectory() as folder, _cwd(folder):
        store = _only_mentorkit_errors(open_store, prefix + rest, **options)
        if store is not None:
            store.close()


@FEW
@given(
    st.lists(hostile, max_size=3),
    st.integers(0, 3),
    hostile,
    hostile,
    st.sampled_from(["stable", "greedy", "optimal"]),
)
def test_matching_raises_only_mentorkit_errors(scores, size, capacity, seed, strategy):
    mentees = [f"m{i}" for i in range(len(scores))]
    mentors = [f"k{j}" for j in range(size)]
    problem = _only_mentorkit_errors(
        MatchingProblem.from_matrix, mentees, mentors, scores, capacity
    )
    if problem is not None:
        _only_mentorkit_errors(match, problem, strategy=strategy, seed=0)
        _only_mentorkit_errors(match, problem, strategy=strategy, seed=seed)
    _only_mentorkit_errors(match, scores)


@FEW
@given(st.one_of(hostile, json_values), hostile)
def test_import_package_raises_only_mentorkit_errors(package, id):
    if isinstance(package, bytes | str):
        _only_mentorkit_errors(import_package, package)
    doc = {"CFDocument": {"identifier": "d"}, "CFItems": package, "CFAssociations": package}
    _only_mentorkit_errors(import_package, doc)
    _only_mentorkit_errors(import_package, {"CFDocument": package})
    _only_mentorkit_errors(import_package, doc, id=id)


@FEW
@given(json_values, st.one_of(hostile, json_values))
def test_import_store_raises_only_mentorkit_errors(collection, entry):
    doc = {"$type": "mentorkit.store", "$schema": 1, "collections": {"person": [entry]}}
    for thing in (doc, collection):
        try:
            text = json.dumps(thing)
        except (TypeError, ValueError):  # not JSON-able: no document to import
            continue
        _only_mentorkit_errors(import_store, MemoryStore(), text)
    _only_mentorkit_errors(import_store, MemoryStore(), entry)


_ARGV = st.sampled_from(
    [
        ["demo", "--staff"],
        ["demo", "--years"],
        ["demo", "--seed"],
        ["graph", "--within-years"],
        ["graph", "--top"],
        ["graph", "--as-of"],
        ["graph", "--out"],
        ["match", "--capacity", "{v}", "--scores"],
        ["match", "--seed", "{v}", "--scores"],
        ["match", "--scores"],
        ["export", "--store"],
        ["export", "-o"],
        ["import"],
        ["import", "doc.json", "--store"],
    ]
)
_ARG_VALUES = st.one_of(
    st.integers().map(str),
    st.sampled_from(
        [
            "100000000000000000000",
            "-1",
            "0",
            "1e999",
            "nan",
            "99999-01-01",
            "sqlite://",
            "json:///",
            "postgresql://u:pw@127.0.0.1:1/x",
            "/",
            "x.csv",
            "doc.json",
            "a\x00b",
            "memory://",
        ]
    ),
    st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12
    ),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ARGV, _ARG_VALUES)
def test_the_command_line_never_shows_a_traceback(argv, value):
    with tempfile.TemporaryDirectory() as folder, _cwd(folder):
        with open("x.csv", "w") as f:
            f.write("mentee,kim,lee\nana,1,2\nben,3,\n")
        with open("doc.json", "w") as f:
            f.write('{"$type": "mentorkit.store", "$schema": 1, "collections": {}}')
        args = [a.replace("{v}", value) for a in argv]
        args = [*args, value] if "{v}" not in " ".join(argv) else [*args, "x.csv"]
        if args[0] in {"demo", "graph", "export"} and "--store" not in args:
            args += ["--store", "memory://"]
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = main(args)
            except SystemExit as exc:  # argparse's usage error
                code = 2 if exc.code == 2 else -1
        assert code in (0, 1, 2), args
        assert "Traceback" not in err.getvalue()


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    """A small synthetic district in SQLite, and the id of one of its cohorts."""
    from mentorkit.model import Cohort
    from mentorkit.storage import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('demo')}/d.db"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["demo", "--staff", "60", "--years", "2", "--store", url]) == 0
    with open_store(url) as store:
        return url, store.find(Cohort)[0].id


_STORE_ARGV = st.sampled_from(
    [
        ["calendar", "--cohort", "{c}", "-o", "o.ics", "--exclude"],
        ["calendar", "--cohort", "{c}", "-o", "o.ics", "--at"],
        ["calendar", "--cohort", "{c}", "-o", "o.ics", "--tz"],
        ["calendar", "--cohort", "{c}", "-o"],
        ["calendar", "--cohort"],
        ["adherence", "--cohort", "{c}", "--as-of"],
        ["adherence", "--cohort"],
        ["report", "outcomes", "--min-cell"],
        ["report", "outcomes", "--as-of"],
        ["report", "outcomes", "--csv", "r.csv", "--program"],
        ["report", "outcomes", "--csv"],
        ["report", "conditions", "--survey"],
        ["report", "target", "--target"],
        ["report", "import-results"],
    ]
)
_STORE_ARG_VALUES = st.one_of(
    _ARG_VALUES,
    st.sampled_from(
        [
            "9999-12-31",
            "0001-01-01",
            "9999-12-31..9999-12-31",
            "0001-01-01..0001-01-02",
            "2025-01-02..2025-01-01",
            "24:00",
            "23:59:59.999999",
            "Etc/GMT+14",
            "../x",
            "o.ics",
        ]
    ),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_STORE_ARGV, _STORE_ARG_VALUES)
def test_commands_on_a_store_never_show_a_traceback(demo_store, argv, value):
    url, cohort = demo_store
    with tempfile.TemporaryDirectory() as folder, _cwd(folder):
        args = [*(a.replace("{c}", cohort) for a in argv), value, "--store", url]
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = main(args)
            except SystemExit as exc:  # argparse's usage error
                code = 2 if exc.code == 2 else -1
        assert code in (0, 1, 2), args
        assert "Traceback" not in err.getvalue()


def test_a_calendar_excluding_the_last_day_of_the_calendar_is_written(demo_store, tmp_path):
    url, cohort = demo_store
    out = tmp_path / "o.ics"
    argv = ["calendar", "--cohort", cohort, "-o", str(out), "--exclude", "9999-12-31"]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main([*argv, "--store", url]) == 0
    assert "BEGIN:VCALENDAR" in out.read_text()


@contextlib.contextmanager
def _cwd(folder):
    old = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)


@pytest.mark.parametrize("cls", PUBLIC_CLASSES, ids=lambda c: c.__qualname__)
def test_every_public_class_refuses_all_fields_none_with_a_mentorkit_error(cls):
    fields = [f for f in attrs.fields(cls) if f.init and f.default is attrs.NOTHING]
    if fields:
        _only_mentorkit_errors(cls, **{f.alias: None for f in fields})


def _planning_calls():
    from mentorkit.model import Cohort, Program
    from mentorkit.scheduling import (
        NEXTGEN_COMMITMENTS,
        NEXTGEN_MILESTONES,
        due_reminders,
        milestone_events,
        plan_sessions,
    )

    program = Program(id="ng", name="NextGen", commitments=NEXTGEN_COMMITMENTS,
                      milestones=NEXTGEN_MILESTONES)  # fmt: skip
    cohort = Cohort(id="ng-1", program_id="ng", name="1", start=dt.date(2025, 6, 2),
                    end=dt.date(2025, 12, 31))  # fmt: skip
    late = Cohort(id="ng-2", program_id="ng", name="2", start=dt.date(9999, 6, 2),
                  end=dt.date(9999, 12, 31))  # fmt: skip
    utc = dt.UTC
    return {
        "milestone_events at=None": lambda: milestone_events(program, cohort, at=None),
        "milestone_events at='16:00'": lambda: milestone_events(program, cohort, at="16:00"),
        "milestone_events past 9999": lambda: milestone_events(program, late),
        "milestone_events program=None": lambda: milestone_events(None, cohort),
        "plan_sessions program=None": lambda: plan_sessions(None, cohort),
        "plan_sessions cohort=None": lambda: plan_sessions(program, None),
        "due_reminders until 9999-12-31": lambda: due_reminders(
            MemoryStore(), since=dt.datetime(2025, 1, 1, tzinfo=utc),
            until=dt.datetime(9999, 12, 31, 23, tzinfo=utc)),
        "due_reminders lead of millennia": lambda: due_reminders(
            MemoryStore(), since=dt.datetime(2025, 1, 1, tzinfo=utc),
            until=dt.datetime(2026, 1, 1, tzinfo=utc), lead=dt.timedelta.max),
    }  # fmt: skip


@pytest.mark.parametrize("case", sorted(_planning_calls()))
def test_planning_calls_raise_only_mentorkit_errors(case):
    _only_mentorkit_errors(_planning_calls()[case])


def _reading_calls():
    from mentorkit.measurement import Target, progress, report_outcomes
    from mentorkit.scheduling import adherence, check_health, due_reminders

    utc = dt.UTC
    return {
        "adherence": lambda store: adherence(store, cohort_id=None),
        "check_health": lambda store: check_health(store, as_of=dt.date(2025, 1, 1)),
        "due_reminders": lambda store: due_reminders(
            store, since=dt.datetime(2025, 1, 1, tzinfo=utc),
            until=dt.datetime(2025, 2, 1, tzinfo=utc)),
        "report_outcomes": lambda store: report_outcomes(store),
        "progress": lambda store: progress(
            Target(id="t", name="t", program_id="p", measure="mentees", count=1,
                   deadline=dt.date(2026, 1, 1)), store),
    }  # fmt: skip


@pytest.mark.parametrize("call", sorted(_reading_calls()))
@pytest.mark.parametrize("store", [None, "memory://", 5, {}], ids=repr)
def test_a_call_given_no_store_raises_a_mentorkit_error(call, store):
    with pytest.raises(MentorkitError):
        _reading_calls()[call](store)
    _only_mentorkit_errors(_reading_calls()[call], MemoryStore())  # a store is fine


def test_report_outcomes_refuses_a_program_id_that_is_no_string():
    from mentorkit.measurement import report_outcomes

    with pytest.raises(MentorkitError):
        report_outcomes(MemoryStore(), program_id={})


def test_a_report_csv_path_with_a_nul_byte_is_a_storage_error(demo_store, capsys):
    url, _ = demo_store
    assert main(["report", "outcomes", "--csv", "a\x00b", "--store", url]) == 1
    assert "Traceback" not in capsys.readouterr().err


class _Unreadable:
    """An iterable whose iteration fails (a closed cursor, a broken generator)."""

    def __iter__(self):
        raise TypeError("cannot iterate")


@pytest.mark.parametrize(
    ("cls", "field"),
    [
        ("Person", "roles"),
        ("Program", "commitments"),
        ("Program", "milestones"),
        ("Mentorship", "history"),
    ],
)
def test_a_collection_field_that_cannot_be_read_is_a_validation_error(cls, field):
    import mentorkit.model as model
    from mentorkit import ValidationError

    required = {
        "Person": {"id": "p", "name": "n"},
        "Program": {"id": "p", "name": "n"},
        "Mentorship": {"id": "m", "mentor_id": "a", "mentee_id": "b",
                       "start": dt.date(2024, 9, 1)},
    }  # fmt: skip
    with pytest.raises(ValidationError) as info:
        getattr(model, cls)(**required[cls], **{field: _Unreadable()})
    assert info.value.field == field


def _calendar_calls():
    from zoneinfo import ZoneInfo

    from mentorkit.scheduling import CalendarEvent, to_ical

    chicago = ZoneInfo("America/Chicago")

    def one(start, **kw):
        minutes = 30 if isinstance(start, dt.datetime) else None
        return to_ical([CalendarEvent(uid="u", summary="s", start=start, minutes=minutes, **kw)])

    return {
        "an all-day event on 9999-12-31": lambda: one(dt.date(9999, 12, 31)),
        "an all-day event in 9999": lambda: one(dt.date(9999, 6, 1)),
        "an all-day event on 0001-01-01": lambda: one(dt.date(1, 1, 1)),
        "a zoned meeting in 9999": lambda: one(dt.datetime(9999, 12, 31, 12, tzinfo=chicago)),
        "a zoned meeting in year 1": lambda: one(dt.datetime(1, 1, 1, 12, tzinfo=chicago)),
        "a summary with a lone surrogate": lambda: one(dt.date(2025, 1, 1), location="\udcff"),
        "a calendar name with a lone surrogate": lambda: to_ical([], name="x\udcff"),
    }


@pytest.mark.parametrize("case", sorted(_calendar_calls()))
def test_calendar_exports_raise_only_mentorkit_errors(case):
    pytest.importorskip("icalendar")
    _only_mentorkit_errors(_calendar_calls()[case])
