"""Measurement: surveys and cycles of inquiry, program targets, outcome reports, all shareable.

Every figure a report publishes (count, rate, mean, median, sum) follows one
[DisclosurePolicy][mentorkit.measurement.DisclosurePolicy]: figures resting on fewer than
``min_cell`` people are withheld (marked [Suppressed][mentorkit.measurement.Suppressed],
printed ``*``, never zero), and complementary suppression keeps a withheld figure from being
worked out of the published ones. Demographic breakdowns exist only when asked for.

- Surveys: [Survey][mentorkit.measurement.Survey] instruments, administrations, anonymous
  [SurveyResponse][mentorkit.measurement.SurveyResponse]s (no person id, by design) and
  [SurveyResult][mentorkit.measurement.SurveyResult] aggregates, imported from CSV.
- Cycles of inquiry: [lowest_conditions][mentorkit.measurement.lowest_conditions],
  [trend][mentorkit.measurement.trend], an [Inquiry][mentorkit.measurement.Inquiry]
  linking a finding to the coaching cycle or action plan that responds, and
  [follow_up][mentorkit.measurement.follow_up] ("did the condition move after we acted?").
- Targets: [Target][mentorkit.measurement.Target] and [progress][mentorkit.measurement.progress].
- Outcomes: [report_outcomes][mentorkit.measurement.report_outcomes] per program and cohort.

Examples:
    >>> from mentorkit.measurement import DisclosurePolicy, crosstab
    >>> t = crosstab([{"unit": "a", "ok": True}] * 3, row="unit", col="ok",
    ...              policy=DisclosurePolicy(min_cell=5))
    >>> str(t.cells["a", True]), str(t.total)
    ('*', '*')
"""

from mentorkit.measurement._disclosure import (
    Crosstab,
    DisclosurePolicy,
    Suppressed,
    crosstab,
)
from mentorkit.measurement._inquiry import (
    ConditionScore,
    Direction,
    Finding,
    FollowUp,
    Inquiry,
    TrendPoint,
    condition_scores,
    follow_up,
    lowest_conditions,
    report_conditions,
    trend,
)
from mentorkit.measurement._outcomes import ALL_COHORTS, OutcomeRow, report_outcomes
from mentorkit.measurement._plots import plot_cohorts, plot_progress, plot_trends
from mentorkit.measurement._surveys import (
    Answer,
    Condition,
    Survey,
    SurveyAdministration,
    SurveyItem,
    SurveyResponse,
    SurveyResult,
    aggregate_responses,
    import_results_csv,
    read_results_csv,
)
from mentorkit.measurement._table import ReportTable
from mentorkit.measurement._targets import (
    ProgressPoint,
    Target,
    TargetMeasure,
    TargetProgress,
    progress,
)

__all__ = [
    "ALL_COHORTS",
    "Answer",
    "Condition",
    "ConditionScore",
    "Crosstab",
    "Direction",
    "DisclosurePolicy",
    "Finding",
    "FollowUp",
    "Inquiry",
    "OutcomeRow",
    "ProgressPoint",
    "ReportTable",
    "Suppressed",
    "Survey",
    "SurveyAdministration",
    "SurveyItem",
    "SurveyResponse",
    "SurveyResult",
    "Target",
    "TargetMeasure",
    "TargetProgress",
    "TrendPoint",
    "aggregate_responses",
    "condition_scores",
    "crosstab",
    "follow_up",
    "import_results_csv",
    "lowest_conditions",
    "plot_cohorts",
    "plot_progress",
    "plot_trends",
    "progress",
    "read_results_csv",
    "report_conditions",
    "report_outcomes",
    "trend",
]
