"""A mentor's capacity recorded on their enrolment: kept, read, honoured, and bad ones refused."""

import contextlib
import datetime as dt
import io

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorkit as mk
from mentorkit.cli import main
from mentorkit.cli._match import _places
from mentorkit.matching import MatchingProblem, MenteeProfile, MentorProfile, cohort_profiles, match
from mentorkit.serialization import from_dict, to_dict
from mentorkit.testing import strategies

MAX = 2**31 - 1  # what MatchingProblem.from_matrix takes at most
STRATEGIES = ["greedy", "stable", "optimal", "circles"]
COUNTED = [mk.EnrollmentStatus.SELECTED, mk.EnrollmentStatus.ACTIVE]
NOT_COUNTED = [mk.EnrollmentStatus.APPLIED, mk.EnrollmentStatus.WITHDRAWN]


# -- the record ---------------------------------------------------------------------------


@given(strategies.enrollments())
def test_generated_enrolments_round_trip_with_their_capacity(enrollment):
    assert from_dict(to_dict(enrollment)) == enrollment
    if enrollment.role is mk.Role.MENTEE:
        assert enrollment.capacity is None


@given(strategies.entities_of(mk.Enrollment))
def test_an_enrolment_stored_before_the_field_existed_reads_as_not_recorded(enrollment):
    document = to_dict(attrs.evolve(enrollment, capacity=None))
    del document["capacity"]
    assert from_dict(document) == attrs.evolve(enrollment, capacity=None)


@given(st.sampled_from([mk.Role.MENTOR, mk.Role.COACH]), strategies.capacities())
def test_a_mentor_or_coach_enrolment_keeps_any_capacity_the_matchers_take(role, capacity):
    e = mk.Enrollment(id="e", person_id="p", cohort_id="c", role=role, capacity=capacity)
    assert e.capacity == capacity
    with mk.open_store("memory://") as store:
        assert store.get(mk.Enrollment, store.put(e).id).capacity == capacity


BAD_CAPACITIES = st.one_of(
    st.integers(max_value=-1),
    st.integers(min_value=MAX + 1),
    st.booleans(),
    st.floats(allow_nan=True),
    st.text(max_size=3),
    st.just([1]),
)


@given(BAD_CAPACITIES, st.sampled_from(mk.Role))
def test_a_bad_capacity_is_refused_naming_the_field(capacity, role):
    with pytest.raises(mk.ValidationError) as info:
        mk.Enrollment(id="e", person_id="p", cohort_id="c", role=role, capacity=capacity)
    assert info.value.field == "capacity"


@given(strategies.capacities())
def test_a_mentee_enrolment_takes_no_capacity(capacity):
    with pytest.raises(mk.ValidationError) as info:
        mk.Enrollment(id="e", person_id="p", cohort_id="c", role="mentee", capacity=capacity)
    assert info.value.field == "capacity"
    document = to_dict(mk.Enrollment(id="e", person_id="p", cohort_id="c", role="mentee"))
    document["capacity"] = capacity
    with pytest.raises(mk.ValidationError, match="capacity"):
        from_dict(document)


@given(BAD_CAPACITIES)
def test_a_bad_mentor_profile_capacity_is_a_validation_error(capacity):
    with pytest.raises(mk.ValidationError) as info:
        MentorProfile(person_id="m", capacity=capacity)
    assert info.value.field == "capacity"


# -- cohort_profiles and match honour the records --------------------------------------------


@st.composite
def cohorts(draw: st.DrawFn) -> tuple[list[mk.Person], list[mk.Enrollment], int]:
    """People, their enrolments in cohort "c" (some recorded, some not), a default capacity."""
    n_mentees = draw(st.integers(0, 8))
    n_mentors = draw(st.integers(1, 5))
    people = [mk.Person(id=f"e{i}", name="") for i in range(n_mentees)]
    people += [mk.Person(id=f"m{j}", name="") for j in range(n_mentors)]
    enrollments = [
        mk.Enrollment(id=f"x{i}", person_id=f"e{i}", cohort_id="c", role="mentee",
                      status=draw(st.sampled_from(COUNTED)))
        for i in range(n_mentees)
    ]  # fmt: skip
    for j in range(n_mentors):
        # Zero to two enrolments each, counted or not, with or without a capacity: one
        # mentor's counted records in "c" agree (disagreeing ones are refused, tested below).
        places = draw(st.integers(0, 3))
        for k in range(draw(st.integers(0, 2))):
            cohort = draw(st.sampled_from(["c", "d"]))
            status = draw(st.sampled_from(COUNTED + NOT_COUNTED))
            counted = cohort == "c" and status in COUNTED
            enrollments.append(mk.Enrollment(
                id=f"y{j}-{k}", person_id=f"m{j}", cohort_id=cohort,
                role=draw(st.sampled_from([mk.Role.MENTOR, mk.Role.COACH])), status=status,
                capacity=draw(st.none() | (st.just(places) if counted
                                           else st.integers(0, 3)))))  # fmt: skip
    order = draw(st.permutations(range(len(enrollments))))
    return people, [enrollments[i] for i in order], draw(st.integers(0, 3))


def _recorded(enrollments: list[mk.Enrollment]) -> dict[str, int]:
    """Mentor id -> the capacity their counted enrolments in "c" record (they agree)."""
    found: dict[str, int] = {}
    for e in enrollments:
        if e.cohort_id == "c" and e.status in COUNTED and e.capacity is not None:
            found.setdefault(e.person_id, e.capacity)
    return found


@given(cohorts())
def test_cohort_profiles_take_a_recorded_capacity_before_the_argument(cohort):
    people, enrollments, default = cohort
    recorded = _recorded(enrollments)
    _, mentors = cohort_profiles("c", people=people, enrollments=enrollments, capacity=default)
    assert {m.person_id: m.capacity for m in mentors} == {
        m.person_id: recorded.get(m.person_id, default) for m in mentors
    }
    assert set(recorded) <= {m.person_id for m in mentors}
    by_id = {m.person_id: m.capacity + 1 for m in mentors}
    _, mapped = cohort_profiles("c", people=people, enrollments=enrollments, capacity=by_id)
    assert [m.capacity for m in mapped] == [recorded.get(m.person_id, by_id[m.person_id])
                                            for m in mapped]  # fmt: skip


@settings(max_examples=30)
@given(cohorts(), st.sampled_from(STRATEGIES), st.integers(0, 3))
def test_no_strategy_gives_a_mentor_more_than_their_recorded_capacity(cohort, strategy, seed):
    people, enrollments, default = cohort
    recorded = _recorded(enrollments)
    mentees, mentors = cohort_profiles(
        "c", people=people, enrollments=enrollments, capacity=default
    )
    if not mentees or not mentors:
        return
    result = match(MatchingProblem.from_profiles(mentees, mentors), strategy=strategy, seed=seed)
    load: dict[str, int] = {}
    for pair in result.pairs:
        load[pair.mentor_id] = load.get(pair.mentor_id, 0) + 1
    for mentor in mentors:
        limit = recorded.get(mentor.person_id, default)
        assert load.get(mentor.person_id, 0) <= limit
        if limit == 0:
            assert mentor.person_id not in load


@given(BAD_CAPACITIES | st.none() | st.just("2") | st.just(2.5) | st.just([2]))
def test_cohort_profiles_refuses_a_bad_capacity_argument_naming_it(capacity):
    people = [mk.Person(id="kim", name="K")]
    mentor = mk.Enrollment(id="e", person_id="kim", cohort_id="c", role="mentor",
                           status="selected")  # fmt: skip
    with pytest.raises(mk.ValidationError) as info:
        cohort_profiles("c", people=people, enrollments=[mentor], capacity=capacity)
    assert info.value.field == "capacity"
    with pytest.raises(mk.ValidationError) as info:
        cohort_profiles("c", people=people, enrollments=[mentor], capacity={"kim": capacity})
    assert info.value.field == "capacity['kim']"


def test_cohort_profiles_refuses_a_mapping_keyed_by_other_than_ids():
    with pytest.raises(mk.ValidationError, match="mentor ids") as info:
        cohort_profiles("c", people=[], enrollments=[], capacity={1: 2})
    assert info.value.field == "capacity"


def test_cohort_profiles_takes_numpy_integers_for_capacity():
    np = pytest.importorskip("numpy")
    people = [mk.Person(id=i, name=i) for i in ("kim", "lee")]
    enrollments = [mk.Enrollment(id=f"e-{i}", person_id=i, cohort_id="c", role="mentor",
                                 status="selected") for i in ("kim", "lee")]  # fmt: skip
    _, mentors = cohort_profiles("c", people=people, enrollments=enrollments,
                                 capacity={"kim": np.int64(4)})  # fmt: skip
    assert [(m.person_id, m.capacity) for m in mentors] == [("kim", 4), ("lee", 1)]
    _, mentors = cohort_profiles("c", people=people, enrollments=enrollments,
                                 capacity=np.int32(2))  # fmt: skip
    assert [type(m.capacity) for m in mentors] == [int, int]
    assert [m.capacity for m in mentors] == [2, 2]


@given(
    st.lists(st.none() | st.integers(0, 4), min_size=1, max_size=4),
    st.sampled_from(COUNTED),
)
def test_disagreeing_capacity_records_are_refused_and_agreeing_ones_taken(records, status):
    """One mentor, several counted enrolments: records that disagree are a ValidationError
    naming capacity and every enrolment recording one; equal records (and None) are fine."""
    people = [mk.Person(id="kim", name="K")]
    enrollments = [
        mk.Enrollment(id=f"e-{k}", person_id="kim", cohort_id="c", role="mentor",
                      status=status, capacity=n)
        for k, n in enumerate(records)
    ]  # fmt: skip
    given_ = {n for n in records if n is not None}
    if len(given_) > 1:
        with pytest.raises(mk.ValidationError) as info:
            cohort_profiles("c", people=people, enrollments=enrollments)
        assert (info.value.field, info.value.value) == ("capacity", "kim")
        for k, n in enumerate(records):
            assert (f"'e-{k}': {n}" in str(info.value)) == (n is not None)
        return
    _, mentors = cohort_profiles("c", people=people, enrollments=enrollments, capacity=7)
    assert [m.capacity for m in mentors] == [given_.pop() if given_ else 7]


def test_a_disagreeing_record_not_counted_is_not_in_the_way():
    people = [mk.Person(id="kim", name="K")]
    enrollments = [
        mk.Enrollment(id="e-1", person_id="kim", cohort_id="c", role="mentor",
                      status="selected", capacity=3),
        mk.Enrollment(id="e-2", person_id="kim", cohort_id="c", role="mentor",
                      status="withdrawn", capacity=5),
        mk.Enrollment(id="e-3", person_id="kim", cohort_id="d", role="mentor",
                      status="selected", capacity=1),
    ]  # fmt: skip
    _, mentors = cohort_profiles("c", people=people, enrollments=enrollments)
    assert [m.capacity for m in mentors] == [3]


def test_mentorkit_match_names_disagreeing_records_in_one_line(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 's.db'}"
    with mk.open_store(url) as store:
        store.put(mk.Program(id="p", name="P"))
        store.put(mk.Cohort(id="c", program_id="p", name="C", start=dt.date(2025, 1, 1),
                            end=dt.date(2025, 6, 30)))  # fmt: skip
        for pid in ("ana", "kim"):
            store.put(mk.Person(id=pid, name=pid.title()))
        store.put(mk.Enrollment(id="e-ana", person_id="ana", cohort_id="c", role="mentee",
                                status="selected"))  # fmt: skip
        for k, n in ((1, 3), (2, 5)):
            store.put(mk.Enrollment(id=f"e-kim-{k}", person_id="kim", cohort_id="c",
                                    role="mentor", status="selected", capacity=n))  # fmt: skip
    assert main(["match", "--store", url, "--cohort", "c"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "'e-kim-1': 3, 'e-kim-2': 5" in err


# -- the command's default -------------------------------------------------------------------


@given(
    st.integers(0, 60),
    st.lists(st.integers(0, 5), max_size=6),
    st.integers(0, 6),
    st.none() | st.integers(0, 4),
)
def test_the_default_keeps_records_and_shares_the_rest_evenly(mentees, kept, others, capacity):
    # As cohort_profiles makes them: recorded capacities in place, the others at 1.
    mentors = [MentorProfile(person_id=f"r{j}", capacity=n) for j, n in enumerate(kept)]
    mentors += [MentorProfile(person_id=f"o{j}") for j in range(others)]
    recorded = {f"r{j}": n for j, n in enumerate(kept)}
    used, line = _places(mentees, mentors, recorded, capacity)
    assert [m.person_id for m in used] == [m.person_id for m in mentors]
    places = {m.person_id: m.capacity for m in used}
    if capacity is not None:  # --capacity: for everyone, over the records
        assert set(places.values()) <= {capacity}
        assert line.startswith(f"capacity {capacity} per mentor")
        return
    assert all(places[k] == n for k, n in recorded.items())
    rest = [places[f"o{j}"] for j in range(others)]
    assert len(set(rest)) <= 1  # an even share
    if others:
        share = rest[0]
        left = max(0, mentees - sum(kept))
        assert share >= 1
        assert share * others >= left  # every mentee has a place
        assert share == 1 or (share - 1) * others < left  # and no more than that
    assert ("mentors' records" in line) == bool(recorded)


def _store(path, capacities: list[int | None], mentees: int) -> None:
    people = [mk.Person(id=f"e{i}", name=f"Mentee {i}") for i in range(mentees)]
    people += [mk.Person(id=f"m{j}", name=f"Mentor {j}") for j in range(len(capacities))]
    with mk.open_store(f"sqlite:///{path}") as store:
        store.put_many([
            mk.Program(id="prog", name="P"),
            mk.Cohort(id="coh", program_id="prog", name="C", start=dt.date(2024, 8, 1),
                      end=dt.date(2025, 6, 30)),
            *people,
            *(mk.Enrollment(id=f"x{i}", person_id=f"e{i}", cohort_id="coh", role="mentee",
                            status="selected") for i in range(mentees)),
            *(mk.Enrollment(id=f"y{j}", person_id=f"m{j}", cohort_id="coh", role="mentor",
                            status="selected", capacity=n) for j, n in enumerate(capacities)),
        ])  # fmt: skip


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_match_uses_the_records_and_a_mentor_who_takes_none_gets_nobody(
    tmp_path, monkeypatch, capsys, strategy
):
    monkeypatch.chdir(tmp_path)
    _store("m.db", [0, 3, None, None], mentees=7)
    argv = ["match", "--store", "sqlite:///m.db", "--cohort", "coh", "--strategy", strategy]
    assert main([*argv, "--brief"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    # 7 mentees, 3 places on record: the 2 mentors without one share the other 4.
    assert lines[1] == (
        "capacity from the mentors' records for 2 (3 places), 2 each for the 2 without one "
        "(7 mentees, 4 mentors; --capacity N to change)"
    )
    pairs = [line for line in lines if " -> " in line]
    assert not any("(m0)" in line.split(" -> ")[1] for line in pairs)
    assert sum("(m1)" in line.split(" -> ")[1] for line in pairs) <= 3
    assert main([*argv, "--capacity", "1", "--brief"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "capacity 1 per mentor (--capacity, over the records of 2)"


@settings(max_examples=10)
@given(st.integers(min_value=MAX + 1) | st.integers(max_value=-1))
def test_a_capacity_out_of_bounds_is_one_line_naming_the_option(tmp_path_factory, value):
    where = tmp_path_factory.mktemp("bounds")
    _store(where / "m.db", [1], mentees=1)
    argv = ["match", "--store", f"sqlite:///{where / 'm.db'}", "--cohort", "coh"]
    err = io.StringIO()  # capsys is per test, not per example
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        assert main([*argv, "--capacity", str(value)]) == 1
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert "--capacity" in lines[0]


def test_the_largest_capacity_is_accepted_by_every_layer(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _store("m.db", [MAX], mentees=2)
    assert main(["match", "--store", "sqlite:///m.db", "--cohort", "coh", "--brief"]) == 0
    assert "2 pairs, 0 unmatched" in capsys.readouterr().out
    assert main(["match", "--store", "sqlite:///m.db", "--cohort", "coh", "--capacity", str(MAX),
                 "--brief"]) == 0  # fmt: skip
    problem = MatchingProblem.from_profiles(
        [MenteeProfile(person_id="a")], [MentorProfile(person_id="m", capacity=MAX)]
    )
    assert match(problem).assignment == {"a": "m"}
