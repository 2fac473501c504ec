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
        # Zero to two enrolments each, counted or not, with or without a capacity.
        for k in range(draw(st.integers(0, 2))):
            enrollments.append(mk.Enrollment(
                id=f"y{j}-{k}", person_id=f"m{j}", cohort_id=draw(st.sampled_from(["c", "d"])),
                role=draw(st.sampled_from([mk.Role.MENTOR, mk.Role.COACH])),
                status=draw(st.sampled_from(COUNTED + NOT_COUNTED)),
                capacity=draw(st.none() | st.integers(0, 3))))  # fmt: skip
    order = draw(st.permutations(range(len(enrollments))))
    return people, [enrollments[i] for i in order], draw(st.integers(0, 3))


def _recorded(enrollments: list[mk.Enrollment]) -> dict[str, int]:
    """Mentor id -> the capacity of their first counted enrolment in "c" that records one."""
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
