"""The commitments and milestones of two real programs, as data to copy and adapt."""

from __future__ import annotations

from mentorkit.model import Activity, Artefact, Commitment, Milestone, MilestoneKind, Period

#: NextGen-like: three hours every month for seven months (June to December) of shadowing,
#: problems of practice, role play and network connection, with a reflection each month.
NEXTGEN_COMMITMENTS: tuple[Commitment, ...] = (
    Commitment(
        name="three hours a month",
        per=Period.MONTH,
        minutes=180,
        activities=(
            Activity.SHADOWING,
            Activity.PROBLEM_OF_PRACTICE,
            Activity.ROLE_PLAY,
            Activity.NETWORK_CONNECTION,
        ),
        roles=("mentor", "mentee"),
        artefact=Artefact.REFLECTION,
        periods=7,
    ),
)

#: NextGen-like dates, relative to a cohort that starts on June 1 and ends on December 31:
#: applications close on March 25, selection in April, the agreement (a memorandum of
#: understanding) signed in May, mentor training and orientation in June, and a closing
#: award event in January.
NEXTGEN_MILESTONES: tuple[Milestone, ...] = (
    Milestone(name="Applications open", kind=MilestoneKind.APPLICATION_OPENS, days=-92),
    Milestone(name="Applications close", kind=MilestoneKind.APPLICATION_DEADLINE, days=-68),
    Milestone(name="Selection notice", kind=MilestoneKind.SELECTION_NOTICE, days=-46),
    Milestone(name="Agreement signed", kind=MilestoneKind.AGREEMENT_SIGNED, days=-21),
    Milestone(
        name="Mentor training",
        kind=MilestoneKind.MENTOR_TRAINING,
        days=2,
        minutes=180,
        roles=("mentor",),
    ),
    Milestone(name="Orientation", kind=MilestoneKind.ORIENTATION, days=9, minutes=120),
    Milestone(
        name="Closing celebration",
        kind=MilestoneKind.CLOSING_CELEBRATION,
        days=22,
        from_end=True,
        minutes=120,
    ),
)

#: OEIB-like school leadership coaching: each month the coach meets the principal and the
#: assistant principal together for an hour and each of them alone for an hour; a site
#: walkthrough at least once a quarter.
OEIB_COMMITMENTS: tuple[Commitment, ...] = (
    Commitment(
        name="joint meeting",
        per=Period.MONTH,
        times=1,
        minutes=60,
        roles=("coach", "principal", "assistant_principal"),
        together=True,
    ),
    Commitment(
        name="individual meeting",
        per=Period.MONTH,
        times=1,
        minutes=60,
        roles=("principal", "assistant_principal"),
        together=False,
    ),
    Commitment(
        name="site walkthrough",
        per=Period.QUARTER,
        times=1,
        activities=(Activity.SITE_WALKTHROUGH, Activity.CLASSROOM_VISIT),
        roles=("coach", "principal"),
        together=True,
    ),
)

#: OEIB-like dates: an orientation in the first week, a closing reflection at the end.
OEIB_MILESTONES: tuple[Milestone, ...] = (
    Milestone(name="Coaching orientation", kind=MilestoneKind.ORIENTATION, days=7, minutes=90),
    Milestone(
        name="Closing celebration",
        kind=MilestoneKind.CLOSING_CELEBRATION,
        days=-14,
        from_end=True,
        minutes=90,
    ),
)
