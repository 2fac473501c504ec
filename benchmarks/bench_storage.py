"""SQLiteStore bulk write and read-back against plain sqlite3 executemany.

    python benchmarks/bench_storage.py            # 100,000 entities
    python benchmarks/bench_storage.py --n 2000   # a quick smoke run

Writes the same entities (persons, enrollments, mentorships) through ``SQLiteStore.put_many``
and through plain ``sqlite3`` (``executemany`` of the same JSON documents in one transaction,
same journal mode and synchronous setting), then reads everything back. Two baselines:

* "text": executemany of document text made beforehand (the strict reading: only the
  database work is timed); reading back fetches the text and ``json.loads`` it.
* "entities": the baseline also turns entities into JSON with ``to_dict`` + ``json.dumps``,
  as any application storing entities must; reading back is the same as above.

SQLiteStore does more than either: it validates each entity before writing (every field's
type checked as the converter would, containers round tripped through the converter, the
class's validators re-run), keeps index keys in six indexes, checks versions, and reads back
entities (structured and validated), not dicts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import tempfile
import time

from mentorkit import Enrollment, Mentorship, Person, Role
from mentorkit.serialization import to_dict
from mentorkit.storage import SQLiteStore


def make_entities(n: int) -> list:
    people = n * 2 // 5
    enrollments = (n - people) // 2
    mentorships = n - people - enrollments
    out: list = []
    for i in range(people):
        out.append(
            Person(
                id=f"p-{i:07d}",
                name=f"Person {i}",
                title="Teacher" if i % 7 else "Assistant Principal",
                org_unit_id=f"sch-{i % 120:03d}",
                supervisor_id=f"p-{i // 20:07d}" if i >= 20 else None,
                email=f"person{i}@district.example",
            )
        )
    for i in range(enrollments):
        out.append(
            Enrollment(
                id=f"e-{i:07d}",
                person_id=f"p-{i % people:07d}",
                cohort_id=f"c-{2020 + i % 5}",
                role=Role.MENTEE if i % 3 else Role.MENTOR,
                focus_competencies=("equity", "instruction"),
            )
        )
    start = dt.date(2020, 8, 1)
    for i in range(mentorships):
        out.append(
            Mentorship(
                id=f"m-{i:07d}",
                mentor_id=f"p-{i % people:07d}",
                mentee_id=f"p-{(i + 1) % people:07d}",
                start=start + dt.timedelta(days=365 * (i % 5)),
                cohort_id=f"c-{2020 + i % 5}",
                program_id="prog-1",
            )
        )
    return out


def plain_sqlite(path: str, texts: list[tuple[str, str, str]]) -> tuple[float, float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        "CREATE TABLE docs (collection TEXT, id TEXT, doc TEXT, PRIMARY KEY (collection, id))"
    )
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", texts)
    conn.execute("COMMIT")
    write = time.perf_counter() - t0
    t0 = time.perf_counter()
    docs = []
    for collection in ("enrollment", "mentorship", "person"):
        rows = conn.execute("SELECT doc FROM docs WHERE collection = ? ORDER BY id", (collection,))
        docs.extend(json.loads(doc) for (doc,) in rows)
    read = time.perf_counter() - t0
    conn.close()
    assert len(docs) == len(texts)
    return write, read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="entities (default 100,000)")
    args = parser.parse_args()
    entities = make_entities(args.n)
    folder = tempfile.mkdtemp(prefix="mentorkit-bench-")

    # Baseline "entities": serialise and insert, timed together.
    t0 = time.perf_counter()
    texts = [(e.collection, e.id, json.dumps(to_dict(e), ensure_ascii=False)) for e in entities]
    serialise = time.perf_counter() - t0
    base_write, base_read = plain_sqlite(os.path.join(folder, "plain.db"), texts)

    store = SQLiteStore(os.path.join(folder, "store.db"))
    t0 = time.perf_counter()
    stored = store.put_many(entities)
    write = time.perf_counter() - t0
    t0 = time.perf_counter()
    back = [*store.all(Enrollment), *store.all(Mentorship), *store.all(Person)]
    read = time.perf_counter() - t0
    store.close()
    assert len(stored) == len(back) == len(entities)
    assert sorted(back, key=lambda e: (e.collection, e.id)) == sorted(
        stored, key=lambda e: (e.collection, e.id)
    )

    # Where SQLiteStore's write time goes: validating and encoding (field checks,
    # validators, index keys, JSON) versus the database.
    from mentorkit.storage import _codec

    t0 = time.perf_counter()
    for e in entities:
        _codec.encode(e)
    encode = time.perf_counter() - t0

    n = len(entities)
    ratio = "{:5.2f}x  (goal <= 1.5x)".format
    print(f"{n:,} entities (persons, enrollments, mentorships), SQLite {sqlite3.sqlite_version}")
    print(f"  SQLiteStore put_many         write {write:7.3f} s   ({n / write:,.0f}/s)")
    print(f"    of which validate + encode       {encode:7.3f} s   (checks, keys, JSON)")
    print(f"  SQLiteStore all()            read  {read:7.3f} s   ({n / read:,.0f}/s)")
    print(f"  sqlite3 executemany (text)   write {base_write:7.3f} s")
    print(f"  sqlite3 + to_dict/dumps      write {base_write + serialise:7.3f} s")
    print(f"  sqlite3 select + json.loads  read  {base_read:7.3f} s")
    print(f"  ratio write vs text baseline:      {ratio(write / base_write)}")
    print(f"  ratio write vs entities baseline:  {ratio(write / (base_write + serialise))}")
    print(f"  ratio read  vs baseline:           {ratio(read / base_read)}")


if __name__ == "__main__":
    main()
