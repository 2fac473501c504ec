"""Problems from profiles: scorers with breakdowns, constraints with names, eligibility."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorkit.errors import ValidationError
from mentorkit.frameworks import Assessment, Rater, load_framework
from mentorkit.matching import (
    ActivityOverlap,
    Applicant,
    AvailabilityOverlap,
    CompetencyFit,
    ExcludedPairs,
    MatchingProblem,
    MenteeProfile,
    MentorProfile,
    NoFlag,
    NoReportingLine,
    NotSameOrgUnit,
    NotSameSupervisor,
    NotSelf,
    OptInPreferences,
    OtherOrgUnit,
    PriorityIfRated,
    Require,
    TitleIn,
    UnmatchedReason,
    WeightedScorer,
    check_eligibility,
    default_scorer,
    match,
    no_previous_pairs,
    strengths_from_assessments,
)
from mentorkit.model import Activity, Mentorship

ANA = MenteeProfile(
    person_id="ana",
    focus=["data", "coaching"],
    activities=["shadowing", "role_play"],
    org_unit_id="north",
    supervisor_id="kim",
    availability={"tue-pm"},
    preferences={"experience": "10+"},
)
BEN = MenteeProfile(person_id="ben", focus=["coaching"], org_unit_id="south", supervisor_id="sue")
KIM = MentorProfile(person_id="kim", strengths={"data": 3, "coaching": 3}, capacity=2)
LEE = MentorProfile(
    person_id="lee",
    strengths={"data": 2, "coaching": 1},
    activities=["shadowing"],
    org_unit_id="south",
    supervisor_id="sue",
    availability={"tue-pm", "wed-am"},
    attributes={"experience": "10+"},
)
MAY = MentorProfile(person_id="may", strengths={"coaching": 3}, org_unit_id="north")


def test_breakdowns_add_up_to_the_score_and_appear_in_the_reasons():
    problem = MatchingProblem.from_profiles([ANA, BEN], [KIM, LEE, MAY])
    for mentee in ("ana", "ben"):
        for mentor in ("kim", "lee", "may"):
            if problem.allowed(mentee, mentor):
                parts = problem.breakdown(mentee, mentor)
                assert sum(parts.values()) == pytest.approx(problem.score(mentee, mentor))
                assert set(parts) == {
                    "competency_fit",
                    "activity_overlap",
                    "availability",
                    "opt_in_preferences",
                }
    result = match(problem, "optimal")
    pair = result.pair_of("ana")
    assert pair.mentor_id == "lee"
    assert pair.breakdown == problem.breakdown("ana", "lee")
    assert pair.reasons[0] == (
        "score 4.167 = competency_fit 1.667 + activity_overlap 0.5 + availability 1"
        " + opt_in_preferences 1"
    )
    assert result.criterion_totals["availability"] == pytest.approx(1.0)


def test_default_constraints_name_what_forbids_a_pair():
    problem = MatchingProblem.from_profiles([ANA, BEN], [KIM, LEE, MAY])
    assert problem.forbidden_by("ana", "kim") == ("no_reporting_line",)
    assert problem.forbidden_by("ben", "lee") == ("same_supervisor",)
    assert problem.forbidden_by("ben", "may") == ()
    only = MatchingProblem.from_profiles([ANA], [KIM], constraints=[NoReportingLine(), NotSelf()])
    (item,) = match(only).unmatched
    assert item.reason is UnmatchedReason.NO_ALLOWED_MENTOR
    assert item.detail == "every pair is forbidden (no_reporting_line: 1)"


def test_constraints_forbid_what_they_say():
    assert not NotSelf().allows(MenteeProfile(person_id="x"), MentorProfile(person_id="x"))
    assert not NoReportingLine().allows(BEN, MentorProfile(person_id="m", supervisor_id="ben"))
    assert not NotSameSupervisor().allows(BEN, LEE)
    assert NotSameSupervisor().allows(MenteeProfile(person_id="x"), MentorProfile(person_id="m"))
    assert not NotSameOrgUnit().allows(ANA, MAY)
    assert NotSameOrgUnit().allows(ANA, LEE)
    past = [Mentorship(id="m-1", mentor_id="may", mentee_id="ana", start=dt.date(2024, 1, 1))]
    rule = no_previous_pairs(past)
    assert rule.name == "previous_pair"
    assert not rule.allows(ANA, MAY)
    problem = MatchingProblem.from_profiles(
        [ANA], [MAY, LEE], constraints=[rule, ExcludedPairs([("ana", "lee")])]
    )
    assert problem.forbidden_by("ana", "may") == ("previous_pair",)
    assert problem.forbidden_by("ana", "lee") == ("excluded_pair",)
    with pytest.raises(ValidationError) as info:
        ExcludedPairs([("ana",)])
    assert info.value.field == "pairs[0]"


def test_scorers_measure_their_criterion():
    assert CompetencyFit(max_level=3, decay=0.5).score(ANA, KIM) == 1.0
    assert CompetencyFit(max_level=3, decay=1.0).score(ANA, LEE) == pytest.approx(0.5)
    assert CompetencyFit().score(MenteeProfile(person_id="x"), KIM) == 0.0
    assert ActivityOverlap().score(ANA, LEE) == 0.5
    assert AvailabilityOverlap().score(ANA, LEE) == 1.0
    assert OptInPreferences().score(ANA, LEE) == 1.0
    assert OptInPreferences().score(BEN, LEE) == 0.0
    assert OtherOrgUnit().score(ANA, LEE) == 1.0
    assert OtherOrgUnit().score(ANA, MAY) == 0.0


@given(
    st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True, max_size=4),
    st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.integers(0, 3)),
    st.floats(0.05, 1.0),
)
def test_competency_fit_lies_in_0_1_and_rewards_the_first_focus_most(focus, strengths, decay):
    mentee = MenteeProfile(person_id="e", focus=focus)
    fit = CompetencyFit(max_level=3, decay=decay)
    value = fit.score(mentee, MentorProfile(person_id="m", strengths=strengths))
    assert 0.0 <= value <= 1.0
    if len(focus) >= 2:
        first = fit.score(mentee, MentorProfile(person_id="m", strengths={focus[0]: 3}))
        second = fit.score(mentee, MentorProfile(person_id="m", strengths={focus[1]: 3}))
        assert first >= second


def test_a_scorer_of_your_own_plugs_in_with_a_weight():
    class SameNetwork:
        name = "same_network"

        def score(self, mentee, mentor):
            return 1.0 if mentee.org_unit_id == mentor.org_unit_id else 0.0

    scorer = WeightedScorer([(CompetencyFit(), 2.0), (SameNetwork(), -1.0)])
    problem = MatchingProblem.from_profiles([ANA], [LEE, MAY], scorer=scorer, constraints=())
    assert dict(problem.breakdown("ana", "may")) == {
        "competency_fit": pytest.approx(2 / 3),
        "same_network": -1.0,
    }
    assert scorer.criteria == ("competency_fit", "same_network")
    with pytest.raises(ValidationError) as info:
        WeightedScorer([CompetencyFit(), object()])
    assert info.value.field == "parts[1]"
    with pytest.raises(ValidationError) as info:
        WeightedScorer([(CompetencyFit(), float("nan"))])
    assert info.value.field == "parts[0].weight"
    with pytest.raises(ValidationError) as info:
        WeightedScorer([CompetencyFit(), CompetencyFit()])
    assert info.value.value == "competency_fit"


def test_a_scorer_returning_garbage_is_reported_with_the_pair():
    class Broken:
        name = "broken"

        def score(self, mentee, mentor):
            return "high"

    with pytest.raises(ValidationError) as info:
        MatchingProblem.from_profiles([ANA], [LEE], scorer=Broken(), constraints=())
    assert info.value.field == "scores[0][0]"


def test_profiles_validate_their_fields():
    with pytest.raises(ValidationError) as info:
        MenteeProfile(person_id="x", activities=["juggling"])
    assert (info.value.field, info.value.value) == ("activities", "juggling")
    with pytest.raises(ValidationError) as info:
        MentorProfile(person_id="x", strengths={"data": -1})
    assert info.value.field == "strengths['data']"
    with pytest.raises(ValidationError) as info:
        MentorProfile(person_id="x", capacity=-2)
    assert info.value.field == "capacity"
    with pytest.raises(ValidationError) as info:
        MatchingProblem.from_profiles([ANA, ANA], [KIM])
    assert info.value.field == "mentees[1]"
    assert "10+" not in repr(ANA)
    assert "10+" not in repr(LEE)
    assert Activity.SHADOWING in ANA.activities


def test_eligibility_explains_every_exclusion_and_ranks_by_priority():
    applicants = [
        Applicant(person_id="ana", title="Teacher", ratings={"data": 3}),
        Applicant(person_id="ben", title="Principal", flags={"misconduct"}),
        Applicant(person_id="cy", title="teacher", ratings={"data": 1}),
        Applicant(
            person_id="dee", title="Teacher", ratings={"data": 3, "equity": 3}, facts={"years": 1}
        ),
    ]
    rules = [
        TitleIn(["Teacher"], name="manager_of_self"),
        NoFlag("misconduct"),
        PriorityIfRated(level=3, points=2, label="exemplary"),
        Require(
            name="tenure", predicate=lambda a: a.facts.get("years", 5) >= 2, reason="under 2 years"
        ),
    ]
    report = check_eligibility(applicants, rules)
    assert report.eligible == ("ana", "cy")
    assert dict(report.excluded) == {
        "ben": "manager_of_self: title 'Principal' is not one of: teacher; "
        "no_misconduct: a record of misconduct",
        "dee": "tenure: under 2 years",
    }
    assert report.explain("ana").splitlines()[0] == "ana: eligible, priority 2"
    assert "rated exemplary in 'data' (+2 priority)" in report.explain("ana")
    assert "misconduct" not in repr(applicants[1])
    problem = MatchingProblem.from_profiles(
        [MenteeProfile(person_id=p) for p in ("ana", "ben", "cy", "eve")],
        [MentorProfile(person_id="kim", capacity=5)],
        eligibility=report,
    )
    assert problem.mentee_ids == ("ana", "cy")
    result = match(problem)
    reasons = {u.mentee_id: (u.reason, u.detail) for u in result.unmatched}
    assert reasons["ben"][0] is UnmatchedReason.EXCLUDED
    assert reasons["ben"][1].startswith("not eligible: manager_of_self")
    assert reasons["eve"][1] == "not among the applicants checked for eligibility"
    with pytest.raises(ValidationError) as info:
        check_eligibility(applicants, [object()])
    assert info.value.field == "rules[0]"
    with pytest.raises(ValidationError):
        check_eligibility([applicants[0], applicants[0]], rules)


def test_strengths_come_from_the_latest_assessments():
    fw = load_framework("manager-of-self")
    code = fw.codes[0]
    ratings = [
        Assessment(
            id="a-1",
            person_id="kim",
            framework_id=fw.id,
            competency=code,
            level="developing",
            date=dt.date(2024, 1, 1),
            rater=Rater.SUPERVISOR,
        ),
        Assessment(
            id="a-2",
            person_id="kim",
            framework_id=fw.id,
            competency=code,
            level="exemplary",
            date=dt.date(2025, 1, 1),
            rater=Rater.SUPERVISOR,
        ),
    ]
    assert strengths_from_assessments(fw, ratings, "kim") == {code: 3}
    assert strengths_from_assessments(fw, ratings, "kim", as_of=dt.date(2024, 6, 1)) == {code: 1}
    kim = MentorProfile(person_id="kim", strengths=strengths_from_assessments(fw, ratings, "kim"))
    assert default_scorer().score(MenteeProfile(person_id="ana", focus=[code]), kim) == 3.0


def test_scorers_and_constraints_of_the_wrong_shape_are_refused():
    for kwargs, field in [
        ({"scorer": object()}, "scorer"),
        ({"mentor_scorer": 3}, "mentor_scorer"),
        ({"constraints": [NotSelf(), "x"]}, "constraints[1]"),
    ]:
        with pytest.raises(ValidationError) as info:
            MatchingProblem.from_profiles([ANA], [KIM], **kwargs)
        assert info.value.field == field


def test_a_mentor_scorer_gives_the_mentors_their_own_view():
    class Seniority:
        name = "seniority"

        def score(self, mentee, mentor):
            return 1.0 if mentee.person_id == "ben" else 0.0

    problem = MatchingProblem.from_profiles(
        [ANA, BEN], [MAY], scorer=CompetencyFit(), mentor_scorer=Seniority(), constraints=()
    )
    assert problem.mentor_score("ben", "may") == 1.0
    assert problem.score("ben", "may") == 1.0
    assert problem.score("ana", "may") == pytest.approx(1 / 3)
    assert match(problem, "stable").assignment == {"ben": "may"}
