"""Adversarial review of #17: what SQLite stores, PostgreSQL refuses as 'cannot be reached'.

Found failing on main at the review: a 9,000-character id was kept by SQLite and JSON but
broke PostgreSQL's index ('the server cannot be reached'). Every store now refuses to
write an id or indexed value of more than 255 characters (data stored before still reads).
"""

import os
import random
import string

import pytest

import mentorkit as mk

DSN = os.environ.get("MENTORKIT_TEST_POSTGRES_DSN", "")


@pytest.mark.parametrize("field", ["id", "org_unit_id"])
@pytest.mark.parametrize("url", ["memory://", "sqlite:///s.db", "json:///s.json"])
def test_a_too_long_id_is_refused_by_every_store_naming_its_field(field, url, tmp_path,
                                                                  monkeypatch):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    rng = random.Random(1)
    long = "".join(rng.choice(string.ascii_letters) for _ in range(9000))
    person = mk.Person(**{"id": "p-1", "name": "X", field: long})  # an entity may hold it
    with mk.open_store(url) as store:
        with pytest.raises(mk.ValidationError) as info:
            store.put(person)
        assert store.find(mk.Person) == []  # nothing written
        with pytest.raises(mk.ValidationError):
            store.put_many([mk.Person(id="p-0", name="Y"), person])
        assert store.find(mk.Person) == []  # all or nothing
    assert info.value.field == field
    assert "at most 255 characters" in str(info.value)
    assert long not in str(info.value)  # the value itself is not echoed


@pytest.mark.postgres
@pytest.mark.parametrize("field", ["id", "org_unit_id"])
def test_the_longest_id_is_kept_by_postgresql_and_sqlite(schema_dsn, tmp_path, field):
    # 255 characters of 4 bytes each: the widest id an index entry must hold.
    long = "\U0001f600" * 255
    person = mk.Person(**{"id": "p-1", "name": "X", field: long})
    from mentorkit.storage import PostgresStore

    with mk.open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        store.put(person)
        assert getattr(store.get(mk.Person, person.id), field) == long
    with PostgresStore(schema_dsn) as store:
        store.put(person)
        assert getattr(store.get(mk.Person, person.id), field) == long
        assert [p.id for p in store.find(mk.Person, org_unit_id=person.org_unit_id)] == [person.id]
