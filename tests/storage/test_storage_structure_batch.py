"""``_codec.structure_batch``: what the converter's hook gives, or ``None`` (the import's path).

`mentorkit import` structures each run of entries of one type with it and, where it
declines, with the converter's hook entry by entry (which names what is wrong). Whatever the
entries hold, the batch must give exactly the hook's entities, of the same types, or decline.
"""

from __future__ import annotations

import copy
import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorkit.model import Mentorship, Person
from mentorkit.serialization import SCHEMA_KEY, TAG_KEY, to_dict
from mentorkit.storage import _codec
from mentorkit.testing import strategies
from mentorkit.testing._framework_strategies import ENTITY_STRATEGIES


def entries_of(entities):
    """Parsed export entries as the import holds them: type tag and schema removed."""
    out = []
    for e in entities:
        doc = to_dict(e)
        del doc[TAG_KEY], doc[SCHEMA_KEY]
        out.append(doc)
    return out


def by_hook(docs, cls):
    """The reference: the converter's hook, entry by entry (or what it raises)."""
    hook = _codec.info(cls).structure
    try:
        return "answer", [hook(copy.deepcopy(d), cls) for d in docs]
    except Exception as exc:  # compared, not swallowed
        return "raises", type(exc)


def same_as_the_hook(docs, cls):
    want = by_hook(docs, cls)
    got = _codec.structure_batch(copy.deepcopy(docs), cls)
    if want[0] == "raises":
        assert got is None  # the batch never answers where the hook refuses
        return None
    if got is not None:
        assert got == want[1]
        for g, w in zip(got, want[1], strict=True):
            assert type(g) is type(w)
            for f in attrs.fields(type(w)):
                assert type(getattr(g, f.name)) is type(getattr(w, f.name)), f.name
    return got


@given(st.sampled_from(sorted(ENTITY_STRATEGIES, key=lambda c: c.__name__)).flatmap(
    lambda cls: st.tuples(st.just(cls), st.lists(strategies.entities_of(cls), max_size=6))
))  # fmt: skip
def test_the_batch_gives_the_hooks_entities_for_every_class(drawn):
    cls, entities = drawn
    docs = entries_of([e for e in entities if type(e) is cls])
    got = same_as_the_hook(docs, cls)
    # The built-in entities are all read by the batch (the import's speed rests on it).
    assert got is not None


#: Ways an entry can differ from what an export writes.
CHANGES = {
    "an extra key": lambda d: {**d, "extra": 1},
    "a field missing (its default)": lambda d: {k: v for k, v in d.items() if k != "title"},
    "a bad id": lambda d: {**d, "id": " p "},
    "a bad name": lambda d: {**d, "name": 7},
    "a person its own supervisor": lambda d: {**d, "supervisor_id": d["id"]},
    "a bad version": lambda d: {**d, "version": 0},
    "roles not a list": lambda d: {**d, "roles": "mentor"},
    "a bad role": lambda d: {**d, "roles": ["chief"]},
}


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize("where", [0, 1, 2])
def test_a_changed_entry_gives_what_the_hook_gives_or_declines(change, where):
    people = [Person(id=f"p-{i}", name=f"P {i}", title="T", version=i + 1) for i in range(3)]
    docs = entries_of(people)
    docs[where] = CHANGES[change](docs[where])
    same_as_the_hook(docs, Person)


def test_repeated_values_are_shared_only_when_immutable():
    day = dt.date(2024, 1, 1)
    ms = [Mentorship(id=f"m{i}", mentor_id="a", mentee_id=f"b{i}", start=day) for i in range(3)]
    people = [Person(id=f"p{i}", name="N", demographics={"g": "f"}) for i in range(2)]
    got_ms = _codec.structure_batch(entries_of(ms), Mentorship)
    got_people = _codec.structure_batch(entries_of(people), Person)
    assert got_ms is not None
    assert got_people is not None
    assert got_ms[0].start is got_ms[1].start  # a date: shared
    assert got_people[0].demographics == got_people[1].demographics
    assert got_people[0].demographics is not got_people[1].demographics


def test_no_entries_give_no_entities():
    assert _codec.structure_batch([], Person) == []
