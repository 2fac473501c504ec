import datetime as dt
import math

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mentorkit as mk
from mentorkit.testing import strategies

UTC = dt.UTC


def test_a_mentor_cannot_mentor_themselves():
    with pytest.raises(mk.ValidationError) as info:
        mk.Mentorship(id="m", mentor_id="p", mentee_id="p", start=dt.date(2024, 1, 1))
    assert info.value.field == "mentee_id"
    assert info.value.value == "p"


@given(strategies.dates(), st.integers(1, 5000))
def test_an_end_before_the_start_is_rejected_naming_end(start, days):
    end = start - dt.timedelta(days=days)
    with pytest.raises(mk.ValidationError) as info:
        mk.Mentorship(id="m", mentor_id="a", mentee_id="b", start=start, end=end)
    assert info.value.field == "end"
    assert info.value.value == end
    with pytest.raises(mk.ValidationError, match="end"):
        mk.Cohort(id="c", program_id="p", name="x", start=start, end=end)


@given(st.integers(max_value=-1))
def test_a_negative_session_length_is_rejected(minutes):
    with pytest.raises(mk.ValidationError) as info:
        mk.Session(
            id="s", mentorship_id="m", start=dt.datetime(2024, 9, 1, tzinfo=UTC), minutes=minutes
        )
    assert info.value.field == "minutes"
    assert info.value.value == minutes


def test_session_start_must_be_timezone_aware():
    with pytest.raises(mk.ValidationError, match="start: must be a timezone-aware"):
        mk.Session(id="s", mentorship_id="m", start=dt.datetime(2024, 9, 1), minutes=60)


@pytest.mark.parametrize("bad", ["", " p", "p ", None, 3])
def test_ids_must_be_non_empty_strings(bad):
    with pytest.raises(mk.ValidationError) as info:
        mk.Person(id=bad, name="x")
    assert info.value.field == "id"


def test_enum_fields_name_the_allowed_values():
    with pytest.raises(mk.ValidationError, match="role: must be one of 'mentee', 'mentor'"):
        mk.Enrollment(id="e", person_id="p", cohort_id="c", role="boss")  # type: ignore[arg-type]


def test_students_reached_needs_a_non_negative_value():
    with pytest.raises(mk.ValidationError, match="value"):
        mk.Outcome(
            id="o", person_id="p", kind=mk.OutcomeKind.STUDENTS_REACHED, date=dt.date(2024, 6, 1)
        )


@pytest.mark.parametrize("bad", [math.nan, math.inf, True])
def test_goal_numbers_must_be_finite(bad):
    with pytest.raises(mk.ValidationError, match="baseline"):
        mk.Goal(id="g", person_id="p", statement="x", baseline=bad)


def test_a_person_is_not_their_own_supervisor():
    with pytest.raises(mk.ValidationError, match="supervisor_id"):
        mk.Person(id="p", name="x", supervisor_id="p")


@given(strategies.persons())
def test_personal_data_stays_out_of_repr(person):
    text = repr(person)
    if person.email:
        assert person.email not in text
    assert "demographics" not in text
    assert "email" not in text


def test_notes_and_reflection_text_stay_out_of_repr():
    session = mk.Session(
        id="s",
        mentorship_id="m",
        start=dt.datetime(2024, 9, 1, tzinfo=UTC),
        minutes=60,
        notes="confidential: struggling with staff",
    )
    reflection = mk.Reflection(
        id="r", person_id="p", written=dt.date(2024, 9, 1), text="private thoughts"
    )
    assert "confidential" not in repr(session)
    assert "private" not in repr(reflection)


@given(strategies.entities())
def test_entities_are_frozen(entity):
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        entity.id = "other"  # type: ignore[misc]


def test_role_history_answers_which_title_a_person_held_on_a_day():
    person = mk.Person(
        id="p",
        name="x",
        roles=[
            mk.RoleSpell(title="Teacher", start=dt.date(2015, 8, 1), end=dt.date(2020, 6, 30)),
            mk.RoleSpell(title="Assistant Principal", start=dt.date(2020, 7, 1)),
        ],
    )
    assert person.role_on(dt.date(2019, 1, 1)).title == "Teacher"
    assert person.role_on(dt.date(2024, 1, 1)).title == "Assistant Principal"
    assert person.role_on(dt.date(2010, 1, 1)) is None


def test_session_end_is_start_plus_minutes():
    s = mk.Session(
        id="s", mentorship_id="m", start=dt.datetime(2024, 9, 1, 15, tzinfo=UTC), minutes=180
    )
    assert s.end == dt.datetime(2024, 9, 1, 18, tzinfo=UTC)


def test_errors_form_one_hierarchy():
    for cls in (
        mk.ValidationError,
        mk.NotFoundError,
        mk.ConflictError,
        mk.TransitionError,
        mk.MatchingError,
        mk.StorageError,
    ):
        assert issubclass(cls, mk.MentorkitError)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (
            lambda: mk.Enrollment(
                id="e",
                person_id="p",
                cohort_id="c",
                role=mk.Role.MENTEE,
                focus_competencies="communication",
            ),
            "focus_competencies",
        ),
        (
            lambda: mk.Session(
                id="s",
                mentorship_id="m",
                minutes=1,
                participants="p-1",
                start=dt.datetime(2024, 1, 1, tzinfo=UTC),
            ),
            "participants",
        ),
        (lambda: mk.Person(id="p", name="x", roles=None), "roles"),
        (lambda: mk.ActionPlan(id="a", person_id="p", steps=["x"]), "steps[0]"),
        (lambda: mk.ActionPlan(id="a", person_id="p", student_outcomes="more"), "student_outcomes"),
    ],
)
def test_a_lone_string_or_wrong_item_for_a_list_field_is_rejected_not_split(build, field):
    with pytest.raises(mk.ValidationError) as info:
        build()
    assert info.value.field == field


@pytest.mark.parametrize("bad", ["x", {"ethnicity": 42}, {3: "y"}])
def test_bad_demographics_are_rejected_without_echoing_the_value(bad):
    with pytest.raises(mk.ValidationError) as info:
        mk.Person(id="p", name="x", demographics=bad)
    assert info.value.field == "demographics"
    assert not info.value.has_value
    assert "42" not in str(info.value)
