"""Evidence kept dimension by dimension: the recalibration review of each dimension."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_cycle_rounds import _at_progress_monitoring  # tests/cycles is on sys.path

from mentorkit import ValidationError, from_dict, to_dict
from mentorkit.cycles import CoachingCycle, EvidenceRound, load_cycle
from mentorkit.errors import TransitionError
from mentorkit.storage import open_store

T0 = dt.datetime(2024, 9, 2, 15, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
ECL = load_cycle("equity-leadership-coaching")
DIMENSIONS = ECL.phase("recalibrating").reviews


def _recalibrating() -> CoachingCycle:
    """A cycle in the recalibrating phase (the artefacts before it recorded as evidence)."""
    cycle = _at_progress_monitoring().record("progress_check", "December check")
    return cycle.advance("recalibrating", at=T0 + 5 * DAY)


REFS = st.text(max_size=20).filter(lambda t: bool(t.strip()))
BLANKS = st.text(st.sampled_from(" \t\n\r\u00a0\u2003\u3000"), max_size=6)


@given(st.lists(st.tuples(st.sampled_from(DIMENSIONS), REFS), max_size=12))
def test_each_dimension_keeps_its_own_entry_and_the_last_record_of_it(records):
    cycle = _recalibrating()
    expected: dict[str, str] = {}
    for dimension, text in records:
        cycle = cycle.record("recalibration_review", text, dimension=dimension)
        expected[dimension] = text  # a dimension recorded again is replaced, the others kept
    assert cycle.evidence_for("recalibration_review") == expected
    assert dict(cycle.by_dimension.get("recalibration_review", {})) == expected
    assert "recalibration_review" not in cycle.evidence  # no joined text anywhere
    assert from_dict(to_dict(cycle)) == cycle


def test_the_dimensions_are_the_phases_reviews_and_one_of_them_is_enough_to_leave():
    cycle = _recalibrating()
    assert cycle.dimensions("recalibration_review") == DIMENSIONS
    with pytest.raises(TransitionError, match="recalibration_review"):
        cycle.advance("implementing", at=T0 + 6 * DAY)
    cycle = cycle.record("recalibration_review", "fewer referrals", dimension="student discipline")
    assert cycle.missing() == ()


def test_an_unknown_dimension_is_refused_naming_it_and_the_phases_dimensions():
    cycle = _recalibrating()
    for bad in ("bus routes", "", 3):
        with pytest.raises(ValidationError, match="student discipline") as info:
            cycle.record("recalibration_review", "x", dimension=bad)  # type: ignore[arg-type]
        assert info.value.field == "dimension"
        assert info.value.value == bad
    assert cycle.by_dimension == {}


def test_an_artefact_no_phase_reviews_has_no_dimensions():
    cycle = ECL.start(id="cc-1", person_id="p-1", started=T0)
    assert cycle.dimensions("data_review") == ()
    with pytest.raises(ValidationError, match=r"phase 'listening_and_learning', which names no"):
        cycle.record("data_review", "deck", dimension="instructional practices")


@pytest.mark.parametrize("artefact", ["progress_check", "data_review"])
def test_only_the_artefact_a_phase_reviews_by_dimension_has_dimensions(artefact):
    """In recalibrating, the phase's reviews are recalibration_review's, no other artefact's."""
    cycle = _recalibrating()
    assert cycle.dimensions(artefact) == ()
    for built_in in ("goal", "smartie_goal", "action_plan", "student_outcomes"):
        assert cycle.dimensions(built_in) == ()
    with pytest.raises(ValidationError) as info:
        cycle.record(artefact, "x", dimension="student discipline")
    assert info.value.field == "dimension"
    assert cycle.record(artefact, "x").evidence[artefact] == "x"  # recorded whole: fine


@pytest.mark.parametrize("nonsense", ["recalibraton_review", "bus_routes", "notes"])
def test_dimensions_of_an_artefact_no_phase_requires_is_refused_naming_the_known_ones(nonsense):
    cycle = _recalibrating()
    with pytest.raises(ValidationError, match="recalibration_review") as info:
        cycle.dimensions(nonsense)
    assert info.value.field == "artefact"
    for bad in (["recalibration_review"], None, 3, "", " padded "):
        with pytest.raises(ValidationError) as info:
            cycle.dimensions(bad)  # type: ignore[arg-type]
        assert info.value.field == "artefact"


@given(
    artefact=st.sampled_from(["data_review", "progress_check", "recalibration_review"]),
    blank=BLANKS,
    dimension=st.none() | st.sampled_from(DIMENSIONS),
)
def test_a_blank_reference_is_refused_naming_ref_and_nothing_is_recorded(
    artefact, blank, dimension
):
    cycle = _recalibrating()
    with pytest.raises(ValidationError) as info:
        cycle.record(artefact, blank, dimension=dimension)
    assert info.value.field == "ref"


@given(artefact=st.from_regex(r"[a-z][a-z_]{0,20}", fullmatch=True))
def test_record_takes_exactly_the_artefacts_the_phases_require(artefact):
    """Recorded artefacts are the non-built-in ``requires`` of the definition's phases."""
    cycle = _recalibrating()
    known = {"data_review", "progress_check", "recalibration_review"}
    built_in = {"goal", "smartie_goal", "action_plan", "student_outcomes"}
    if artefact in known:
        assert cycle.record(artefact, "ref").evidence[artefact] == "ref"
        return
    with pytest.raises(ValidationError) as info:
        cycle.record(artefact, "ref")
    assert info.value.field == "artefact"
    if artefact not in built_in:
        assert all(k in str(info.value) for k in known)


def test_each_round_keeps_its_own_review_and_a_second_never_overwrites_the_first():
    first = _recalibrating()
    for dimension in DIMENSIONS[:3]:
        first = first.record("recalibration_review", f"round 1: {dimension}", dimension=dimension)
    cycle = first.advance("implementing", at=T0 + 6 * DAY)  # loops back: round 2
    assert cycle.round == 2
    assert cycle.evidence_for("recalibration_review") == {}
    assert cycle.evidence_for("recalibration_review", round=1) == first.evidence_for(
        "recalibration_review"
    )
    cycle = cycle.advance("progress_monitoring", at=T0 + 7 * DAY)
    cycle = cycle.record("progress_check", "March").advance("recalibrating", at=T0 + 8 * DAY)
    with pytest.raises(TransitionError, match="no evidence recorded in round 2"):
        cycle.advance("implementing", at=T0 + 9 * DAY)
    cycle = cycle.record("recalibration_review", "round 2", dimension=DIMENSIONS[0])
    assert cycle.evidence_for("recalibration_review", round=1)[DIMENSIONS[0]] == (
        f"round 1: {DIMENSIONS[0]}"
    )
    assert cycle.evidence_for("recalibration_review", round=2) == {DIMENSIONS[0]: "round 2"}


@pytest.mark.parametrize("bad", [0, 3, -1, True, "1", 1.0])
def test_a_round_the_cycle_has_not_had_is_refused_naming_round(bad):
    cycle = _recalibrating().record("recalibration_review", "x", dimension=DIMENSIONS[0])
    cycle = cycle.advance("implementing", at=T0 + 6 * DAY)
    with pytest.raises(ValidationError) as info:
        cycle.evidence_for("recalibration_review", round=bad)
    assert info.value.field == "round"


def test_reviews_by_dimension_round_trip_through_every_store(tmp_path):
    cycle = _recalibrating().record("recalibration_review", "a", dimension=DIMENSIONS[1])
    cycle = cycle.advance("implementing", at=T0 + 6 * DAY)
    cycle = cycle.record("recalibration_review", "b", dimension=DIMENSIONS[2])
    urls = ("memory://", f"sqlite:///{tmp_path / 'm.db'}", f"json:///{tmp_path / 'm.json'}")
    for url in urls:
        with open_store(url) as store:
            stored = store.put(cycle)
            back = store.get(CoachingCycle, cycle.id)
        assert back == stored
        assert back.evidence_for("recalibration_review", round=1) == {DIMENSIONS[1]: "a"}
        assert back.evidence_for("recalibration_review") == {DIMENSIONS[2]: "b"}


def test_cycles_stored_before_dimensions_existed_still_read():
    cycle = _recalibrating().record("recalibration_review", "joined text")
    cycle = cycle.advance("implementing", at=T0 + 6 * DAY)
    doc = to_dict(cycle)
    del doc["by_dimension"]
    for past in doc["past_rounds"]:
        del past["by_dimension"]
    old = from_dict(doc)
    assert old == cycle
    assert old.by_dimension == {}
    assert old.past_rounds[0].by_dimension == {}
    assert old.rounds[0]["recalibration_review"] == "joined text"


@pytest.mark.parametrize(
    "bad", [{"recalibration_review": "text"}, {"": {"d": "x"}}, {"a": {}}, {"a": {"d": 3}}]
)
def test_malformed_reviews_are_refused_naming_the_field(bad):
    with pytest.raises(ValidationError) as info:
        EvidenceRound(number=1, evidence={}, ended=T0, by_dimension=bad)
    assert info.value.field == "by_dimension"
    doc = to_dict(_recalibrating())
    doc["by_dimension"] = bad
    with pytest.raises(ValidationError, match="by_dimension"):
        from_dict(doc)


@pytest.mark.parametrize("bad", [["recalibration_review"], None, 3, "", " padded "])
def test_evidence_for_refuses_what_is_not_an_artefact_name_naming_artefact(bad):
    with pytest.raises(ValidationError) as info:
        _recalibrating().evidence_for(bad)
    assert info.value.field == "artefact"
