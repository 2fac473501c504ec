"""Pins the public types of mentorkit.scheduling (type-checked by mypy, never executed)."""

import datetime as dt
from typing import assert_type

from dateutil import rrule

from mentorkit.scheduling import Cadence

start = dt.datetime(2025, 6, 3, 15, tzinfo=dt.UTC)
cadence = Cadence.from_rrule("FREQ=MONTHLY;COUNT=7", start, 180)
assert_type(cadence, Cadence)
assert_type(cadence.rrule, str)
assert_type(cadence.dtstart, dt.datetime)
assert_type(cadence.minutes, int)
assert_type(cadence.exclusions, tuple[dt.date, ...])
assert_type(cadence.occurrences(), list[dt.datetime])
assert_type(cadence.occurrences(between=(start, start)), list[dt.datetime])
assert_type(cadence.recurrence, rrule.rrule)
assert_type(cadence.excluding(dt.date(2025, 7, 1)), Cadence)
assert_type(Cadence.monthly(start, 60, until=dt.date(2025, 12, 31)), Cadence)
assert_type(Cadence.weekly(start, 60, count=3), Cadence)
assert_type(Cadence.quarterly(start, 60, count=3), Cadence)
assert_type(Cadence.by_weekday("TU", start, 60, nth=2), Cadence)
