"""Deterministic synthetic districts for demos, docs, tests and benchmarks.

No real person's data: names are drawn from short lists, e-mails use ``district.example``.

Examples:
    >>> from mentorkit import synthetic
    >>> synthetic.district(seed=7, staff=200, years=2).counts()["people"]
    200
"""

from mentorkit.synthetic._district import District, district
from mentorkit.synthetic._surveys import conditions_survey, survey_results

__all__ = ["District", "conditions_survey", "district", "survey_results"]
