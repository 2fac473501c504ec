"""SQLiteStore bulk write and read-back against plain sqlite3 executemany.

    python benchmarks/bench_storage.py                      # 100,000 entities, 5 rounds
    python benchmarks/bench_storage.py --n 2000 --rounds 2  # a quick smoke run

Writes the same entities (persons, enrollments, mentorships) through ``SQLiteStore.put_many``
and through plain ``sqlite3`` (``executemany`` of the same JSON documents in one transaction,
same journal mode and synchronous setting), then reads everything back. Baselines:

* "entities": plain sqlite3 stores the entities as JSON documents: ``to_dict`` +
  ``json.dumps`` of each, then ``executemany`` into a (collection, id, doc) table. Both sides
  start from the same entities, so this is the ratio the goal is checked against.
* "text": the same ``executemany`` of document text made beforehand: only the database work
  is timed, none of the turning of entities into JSON.
* "same rows and indexes": ``executemany`` of the very rows SQLiteStore writes (documents
  and index keys, made beforehand) into its own table with its six key indexes: what is left
  is mentorkit's own cost (validation, encoding, version checks).
* reading back fetches the text and ``json.loads`` it (dicts; SQLiteStore returns validated
  entities).

SQLiteStore does more than the first two: it validates each entity before writing (every
field's type checked as the converter would, containers copied, the class's validators run),
writes index keys into indexed columns, checks versions, and reads back entities, not dicts.

The machine this was written on is shared and noisy (20-40% swings between runs), so every
contender runs once per round, in a fresh file, and each ratio is taken within a round; the
median over the rounds is the figure, the range shows the noise.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator

from mentorkit import Enrollment, Mentorship, Person, Role
from mentorkit.serialization import to_dict
from mentorkit.storage import SQLiteStore, _codec, _sql


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


@contextlib.contextmanager
def timed(out: dict[str, float], name: str) -> Iterator[None]:
    """Record the block's wall time as ``out[name]`` and its CPU time as ``out[name + "_cpu"]``."""
    w, c = time.perf_counter(), time.process_time()
    yield
    out[name] = time.perf_counter() - w
    out[name + "_cpu"] = time.process_time() - c


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    return conn


def plain_sqlite(path: str, texts: list[tuple[str, str, str]], out: dict[str, float]) -> None:
    """executemany of the documents into a (collection, id, doc) table; read them back."""
    conn = _connect(path)
    conn.execute(
        "CREATE TABLE docs (collection TEXT, id TEXT, doc TEXT, PRIMARY KEY (collection, id))"
    )
    with timed(out, "text_write"):
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", texts)
        conn.execute("COMMIT")
    docs = []
    with timed(out, "text_read"):
        for collection in ("enrollment", "mentorship", "person"):
            rows = conn.execute(
                "SELECT doc FROM docs WHERE collection = ? ORDER BY id", (collection,)
            )
            docs.extend(json.loads(doc) for (doc,) in rows)
    conn.close()
    assert len(docs) == len(texts)


def plain_layout(
    path: str, batches: list[tuple[str, list[tuple[object, ...]]]], out: dict[str, float]
) -> None:
    """executemany of the same rows (documents and index keys) into mentorkit's own table."""
    conn = _connect(path)
    conn.execute("PRAGMA cache_size=-65536")  # as SQLiteStore sets it
    for statement in _sql.create_statements():
        conn.execute(statement)
    with timed(out, "layout_write"):
        conn.execute("BEGIN")
        for sql, params in batches:  # the statements SQLiteStore runs
            conn.executemany(sql, params)
        conn.execute("COMMIT")
    conn.close()


def one_round(entities: list, folder: str, r: int) -> dict[str, float]:
    """Every contender once, each in a fresh database file."""
    out: dict[str, float] = {}
    with timed(out, "serialise"):
        texts = [(e.collection, e.id, json.dumps(to_dict(e), ensure_ascii=False)) for e in entities]
    plain_sqlite(os.path.join(folder, f"plain{r}.db"), texts, out)
    for clock in ("", "_cpu"):
        out["entities_write" + clock] = out["serialise" + clock] + out["text_write" + clock]

    rows = [_codec.encode(e) for e in entities]
    plain_layout(os.path.join(folder, f"layout{r}.db"), list(_sql.insert_batches("?", rows)), out)
    del rows

    with timed(out, "encode"):
        for e in entities:
            _codec.encode(e)

    store = SQLiteStore(os.path.join(folder, f"store{r}.db"))
    with timed(out, "write"):
        stored = store.put_many(entities)
    with timed(out, "read"):
        back = [*store.all(Enrollment), *store.all(Mentorship), *store.all(Person)]
    store.close()
    assert len(stored) == len(back) == len(entities)
    assert sorted(back, key=lambda e: (e.collection, e.id)) == sorted(
        stored, key=lambda e: (e.collection, e.id)
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="entities (default 100,000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    args = parser.parse_args()
    entities = make_entities(args.n)
    folder = tempfile.mkdtemp(prefix="mentorkit-bench-")
    rounds = []
    for r in range(args.rounds):
        rounds.append(one_round(entities, folder, r))
        x = rounds[-1]
        print(
            f"round {r + 1}: write {x['write']:.3f} s, read {x['read']:.3f} s; "
            f"ratios write/entities {x['write'] / x['entities_write']:.2f}x, "
            f"write/text {x['write'] / x['text_write']:.2f}x, "
            f"write/layout {x['write'] / x['layout_write']:.2f}x, "
            f"read {x['read'] / x['text_read']:.2f}x",
            flush=True,
        )

    def med(name: str) -> float:
        return statistics.median(x[name] for x in rounds)

    def ratio(num: str, den: str) -> str:
        text = []
        for clock, label in (("", "wall"), ("_cpu", "cpu")):
            each = sorted(x[num + clock] / x[den + clock] for x in rounds)
            text.append(f"{statistics.median(each):5.2f}x {label} ({each[0]:.2f}-{each[-1]:.2f})")
        return ", ".join(text)

    n = len(entities)
    print()
    print(f"{n:,} entities (persons, enrollments, mentorships), SQLite {sqlite3.sqlite_version}, "
          f"median of {len(rounds)} rounds; each ratio is taken within a round, "
          "its range over the rounds in brackets")  # fmt: skip
    print(f"  SQLiteStore put_many              write {med('write'):7.3f} s")
    print(f"    of which validate + encode            {med('encode'):7.3f} s")
    print(f"  SQLiteStore all()                 read  {med('read'):7.3f} s")
    print(f"  sqlite3 docs table (text)         write {med('text_write'):7.3f} s")
    print(f"  sqlite3 + to_dict/dumps           write {med('entities_write'):7.3f} s")
    print(f"  sqlite3 same rows, same indexes   write {med('layout_write'):7.3f} s")
    print(f"  sqlite3 select + json.loads       read  {med('text_read'):7.3f} s")
    print(f"  write vs sqlite3 + to_dict/dumps (entities): {ratio('write', 'entities_write')}")
    print(f"  write vs sqlite3 docs table (text):          {ratio('write', 'text_write')}")
    print(f"  write vs sqlite3 same rows and indexes:      {ratio('write', 'layout_write')}")
    print(f"  read  vs sqlite3 select + json.loads:        {ratio('read', 'text_read')}")
    print("  goal (issue 4): <= 1.5x on write and on read")


if __name__ == "__main__":
    main()
