"""Hypothesis strategies for scheduling: cadences (needs the ``test`` extra)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from mentorkit.scheduling import Cadence

#: Zones with and without daylight saving, north and south of the equator.
ZONES = ("America/Chicago", "America/New_York", "Europe/Berlin", "Australia/Sydney", "UTC")


@st.composite
def local_datetimes(draw: st.DrawFn) -> dt.datetime:
    """Aware datetimes in a `zoneinfo.ZoneInfo` zone, at a time that exists locally.

    Hours are 06:00 to 20:59, so no drawn time falls in a daylight-saving gap or overlap.
    """
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    day = draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
    time = dt.time(draw(st.integers(6, 20)), draw(st.sampled_from((0, 15, 30, 45))))
    return dt.datetime.combine(day, time, tzinfo=zone)


@st.composite
def cadences(draw: st.DrawFn, *, bounded: bool = True) -> Cadence:
    """Generated [`Cadence`][mentorkit.scheduling.Cadence] values, weekly or monthly.

    Perhaps on a weekday, with a count or an end date (always, when ``bounded``), and
    perhaps exclusions.
    """
    start = draw(local_datetimes())
    freq = draw(st.sampled_from(("WEEKLY", "MONTHLY")))
    parts = [f"FREQ={freq}"]
    interval = draw(st.integers(1, 3))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if bounded or draw(st.booleans()):
        if draw(st.booleans()):
            parts.append(f"COUNT={draw(st.integers(1, 30))}")
        else:
            until = start.date() + dt.timedelta(days=draw(st.integers(0, 700)))
            parts.append(f"UNTIL={until:%Y%m%d}")
    if draw(st.booleans()):
        day = draw(st.sampled_from(("MO", "TU", "WE", "TH", "FR", "SA", "SU")))
        nth = draw(st.sampled_from((None, 1, 2, -1))) if freq == "MONTHLY" else None
        parts.append(f"BYDAY={'' if nth is None else f'{nth:+d}'}{day}")
    excluded = draw(
        st.lists(st.integers(0, 400).map(lambda n: start.date() + dt.timedelta(days=n)), max_size=5)
    )
    return Cadence.from_rrule(
        ";".join(parts), start, draw(st.integers(1, 240)), exclusions=excluded
    )
