"""Read a few fields of every session of a synthetic district, without building entities.

For a report over a large store (see benchmarks/bench_scheduling.py for figures).

Run it from any folder: it works in a temporary directory and prints what it shows.
"""

import tempfile
from pathlib import Path

from mentorkit import synthetic
from mentorkit.model import Session
from mentorkit.storage import SQLiteStore, read_fields

folder = Path(tempfile.mkdtemp(prefix="mentorkit-fields-"))
district = synthetic.district(seed=3, staff=300, years=2)
with SQLiteStore(folder / "district.db") as store:
    store.put_many(district.mentorships)
    store.put_many(district.sessions)

    sessions = store.all(Session)
    rows = read_fields(store, Session, ("mentorship_id", "start", "minutes"))

    # The same values, in the same order, as the entities hold.
    assert rows == [(s.mentorship_id, s.start, s.minutes) for s in sessions]
    minutes: dict[str, int] = {}
    for mentorship_id, _, spent in rows:
        minutes[mentorship_id] = minutes.get(mentorship_id, 0) + spent
    print(f"{len(rows)} sessions of {len(minutes)} mentorships, "
          f"{sum(minutes.values()) / 60:.0f} hours in all")  # fmt: skip
