"""Write a synthetic district into SQLite, query it, survive a conflict, and move it to JSON.

Run it from any folder: it works in a temporary directory and prints what it shows.
"""

import datetime as dt
import tempfile
from pathlib import Path

import attrs

import mentorkit as mk
from mentorkit import synthetic
from mentorkit.storage import Range, Recorder, export_store, import_store, open_store

folder = Path(tempfile.mkdtemp(prefix="mentorkit-storage-"))
district = synthetic.district(seed=11, staff=150, years=2)

# 1. The embedded default: one SQLite file (four slashes: an absolute path).
with open_store(f"sqlite:///{folder}/district.db") as store:
    stored = store.put_many(district.entities())
    print(f"Wrote {len(stored):,} entities to {folder / 'district.db'}")

    # 2. Indexed queries: one cohort's mentors, one mentorship's autumn sessions.
    cohort = district.cohorts[0]
    mentors = store.find(mk.Enrollment, cohort_id=cohort.id, role=mk.Role.MENTOR)
    print(f"{cohort.name}: {len(mentors)} mentors")
    pair = district.mentorships[0]
    autumn = Range(
        dt.datetime(pair.start.year, 9, 1, tzinfo=dt.UTC),
        dt.datetime(pair.start.year, 12, 1, tzinfo=dt.UTC),
    )
    sessions = store.find(mk.Session, mentorship_id=pair.id, start=autumn)
    print(f"Mentorship {pair.id}: {len(sessions)} sessions between September and November")

    # 3. Two edits from the same version: the second is refused, not silently lost.
    person = store.get(mk.Person, district.people[0].id)
    store.put(attrs.evolve(person, title="Principal"))
    try:
        store.put(attrs.evolve(person, title="Coach"))
    except mk.ConflictError as exc:
        print(f"Conflict caught: {exc}")

    # 4. A transaction that fails leaves nothing behind.
    try:
        with store.transaction():
            store.put(mk.Person(id="p-new", name="New Hire"))
            raise RuntimeError("changed our mind")
    except RuntimeError:
        pass
    try:
        store.get(mk.Person, "p-new")
    except mk.NotFoundError:
        print("After the failed transaction p-new is not stored: nothing was kept")

    # 5. Move everything, versions included, to a JSON file. Every built-in store is a
    #    Recorder (export_documents / restore): that is what keeps the versions.
    assert isinstance(store, Recorder)
    counts = {name: len(texts) for name, texts in store.export_documents().items()}
    print(f"Documents per collection: {dict(sorted(counts.items())[:3])} ...")
    document = export_store(store, personal_data=True)

with open_store(f"json:///{folder}/district.json") as copy:
    count = import_store(copy, document)
    moved = copy.get(mk.Person, person.id)
    print(f"Imported {count:,} entities into district.json; {moved.id} is at version "
          f"{moved.version} with title {moved.title!r}")  # fmt: skip
    assert export_store(copy, personal_data=True) == document  # lossless
print("The JSON file starts with:")
print("\n".join((folder / "district.json").read_text().splitlines()[:3]))
