"""``StoreContract``: the test suite every [`Store`][mentorkit.storage.Store] passes."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from mentorkit.errors import (
    ConflictError,
    MentorkitError,
    NotFoundError,
    StorageError,
    ValidationError,
)
from mentorkit.model import (
    Enrollment,
    EnrollmentStatus,
    Entity,
    Mentorship,
    Person,
    Role,
    Session,
)
from mentorkit.serialization import register, registered_types
from mentorkit.storage import MemoryStore, Range, Recorder, export_store, import_store
from mentorkit.testing import strategies

if TYPE_CHECKING:
    from collections.abc import Callable

    from mentorkit.storage import Store

__all__ = ["ContractStaffPerson", "StoreContract", "StoreMachine"]

_TAG = "mentorkit.testing.StaffPerson"


@attrs.frozen(kw_only=True)
class ContractStaffPerson(Person):
    """A plugin entity type (a registered subclass of ``Person``) the contract stores.

    ``badge`` deliberately has no attrs validator, so the contract can build an instance
    only the converter rejects.
    """

    badge: str = ""


if _TAG not in registered_types:
    register(ContractStaffPerson, tag=_TAG)


@attrs.frozen(kw_only=True)
class _Unregistered(Person):
    """A subclass nobody registered: stores must refuse it."""


_UTC = dt.UTC
_EAST = dt.timezone(dt.timedelta(hours=5, minutes=30))
_WEST = dt.timezone(dt.timedelta(hours=-7))
_unique = itertools.count()


def _when(day: int, hour: int = 12, tz: dt.tzinfo = _UTC) -> dt.datetime:
    return dt.datetime(2024, 9, day, hour, tzinfo=tz)


def _outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("ok", call())
    except MentorkitError as exc:
        return (type(exc).__name__, None)


class StoreContract:
    """The behaviour every store backend must show, as a pytest test class.

    Subclass it in your test suite (the class name must start with ``Test``) and override
    the ``store`` fixture to yield an empty store of your backend; every test then runs
    against it. A backend whose data several handles share (a file, a database server)
    subclasses [`SharedStoreContract`][mentorkit.testing.SharedStoreContract] instead, which adds
    the cross-handle tests.

    The suite covers versions and conflicts, validation before writing, plugin subclasses,
    every indexed ``find``, deletes, transactions and savepoints, export and import, and a
    hypothesis state machine that drives your store and a
    [`MemoryStore`][mentorkit.storage.MemoryStore] with the same operations and compares them.

    Examples:
        In your test suite (``tests/test_my_store.py``):

        ```python
        import pytest
        from mentorkit.testing import StoreContract
        from mycompany.store import RedisStore

        class TestRedisStore(StoreContract):
            @pytest.fixture
            def store(self):
                with RedisStore("redis://localhost/15") as store:
                    store.clear()
                    yield store
        ```
    """

    #: How hard the state machine works (examples, steps per example).
    machine_examples = 20
    machine_steps = 20

    @pytest.fixture
    def store(self) -> Store:
        """An empty store of the backend under test: override this fixture."""
        raise NotImplementedError("override the `store` fixture to yield an empty store")

    # -- put, get, versions ---------------------------------------------------------------

    def test_put_of_a_new_entity_returns_it_at_version_1(self, store: Store) -> None:
        ana = Person(id="p-1", name="Ana", email="ana@example.org")
        stored = store.put(ana)
        assert stored == attrs.evolve(ana, version=1)
        assert store.get(Person, "p-1") == stored

    def test_each_update_bumps_the_version(self, store: Store) -> None:
        ana = store.put(Person(id="p-1", name="Ana"))
        ana2 = store.put(attrs.evolve(ana, title="Principal"))
        ana3 = store.put(attrs.evolve(ana2, title="Director"))
        assert (ana2.version, ana3.version) == (2, 3)
        assert store.get(Person, "p-1") == ana3

    def test_inserting_an_existing_id_conflicts_and_keeps_the_stored_one(
        self, store: Store
    ) -> None:
        first = store.put(Person(id="p-1", name="Ana"))
        with pytest.raises(ConflictError, match="p-1"):
            store.put(Person(id="p-1", name="Impostor"))
        assert store.get(Person, "p-1") == first

    def test_a_stale_update_conflicts_and_loses_nothing(self, store: Store) -> None:
        read_by_a = read_by_b = store.put(Person(id="p-1", name="Ana"))
        won = store.put(attrs.evolve(read_by_a, title="A's change"))
        with pytest.raises(ConflictError, match="p-1"):
            store.put(attrs.evolve(read_by_b, title="B's change"))
        assert store.get(Person, "p-1") == won

    def test_updating_an_entity_deleted_meanwhile_conflicts(self, store: Store) -> None:
        ana = store.put(Person(id="p-1", name="Ana"))
        store.delete(ana)
        with pytest.raises(ConflictError):
            store.put(attrs.evolve(ana, title="late"))
        with pytest.raises(NotFoundError):
            store.get(Person, "p-1")

    def test_get_of_a_missing_id_is_not_found(self, store: Store) -> None:
        with pytest.raises(NotFoundError, match="nobody"):
            store.get(Person, "nobody")

    def test_ids_are_per_collection(self, store: Store) -> None:
        store.put(Person(id="x-1", name="Ana"))
        store.put(Enrollment(id="x-1", person_id="x-1", cohort_id="c", role=Role.MENTEE))
        assert store.get(Person, "x-1").name == "Ana"
        assert store.get(Enrollment, "x-1").person_id == "x-1"

    def test_put_many_writes_all_and_returns_them_as_stored(self, store: Store) -> None:
        people = [Person(id=f"p-{i}", name=f"N{i}") for i in range(5)]
        stored = store.put_many(people)
        assert stored == [attrs.evolve(p, version=1) for p in people]
        assert store.all(Person) == stored
        assert store.put_many([]) == []

    def test_put_many_is_all_or_nothing_on_a_conflict(self, store: Store) -> None:
        taken = store.put(Person(id="p-2", name="Taken"))
        with pytest.raises(ConflictError, match="p-2"):
            store.put_many([Person(id="p-1", name="A"), Person(id="p-2", name="B")])
        assert store.all(Person) == [taken]

    def test_put_many_rejects_one_id_twice(self, store: Store) -> None:
        with pytest.raises(ValidationError) as info:
            store.put_many([Person(id="p-1", name="A"), Person(id="p-1", name="B")])
        assert info.value.field == "id"
        assert info.value.value == "p-1"
        assert store.all(Person) == []

    # -- validation before writing --------------------------------------------------------

    def test_an_entity_the_converter_rejects_is_not_written(self, store: Store) -> None:
        bad = ContractStaffPerson(id="p-2", name="Bad", badge=7)  # type: ignore[arg-type]
        with pytest.raises(ValidationError) as info:
            store.put_many([ContractStaffPerson(id="p-1", name="Good"), bad])
        assert "badge" in str(info.value)
        assert store.all(Person) == []

    def test_an_invalid_update_leaves_the_stored_entity(self, store: Store) -> None:
        good = store.put(ContractStaffPerson(id="p-1", name="Good", badge="B1"))
        with pytest.raises(ValidationError, match="badge"):
            store.put(attrs.evolve(good, badge=None))  # type: ignore[arg-type]
        assert store.get(Person, "p-1") == good

    def test_an_unregistered_subclass_is_refused(self, store: Store) -> None:
        with pytest.raises(ValidationError, match="registered"):
            store.put(_Unregistered(id="p-1", name="Ghost"))
        assert store.all(Person) == []

    def test_something_that_is_not_an_entity_is_refused(self, store: Store) -> None:
        with pytest.raises(ValidationError) as info:
            store.put({"id": "p-1"})  # type: ignore[type-var]
        assert info.value.field == "entity"

    def test_an_id_with_a_nul_character_is_refused(self, store: Store) -> None:
        with pytest.raises(ValidationError) as info:
            store.put(Person(id="p\x00", name="Nul"))
        assert info.value.field == "id"
        assert store.all(Person) == []

    def test_any_entity_round_trips(self, store: Store) -> None:
        @settings(max_examples=40, deadline=None)
        @given(entity=strategies.entities())
        def round_trip(entity: Entity) -> None:
            # A prefix no generated id contains keeps examples apart in the one store.
            entity = attrs.evolve(entity, id=f"rt#{next(_unique)}:{entity.id}")
            stored = store.put(entity)
            assert stored == attrs.evolve(entity, version=1)
            assert store.get(type(entity), stored.id) == stored

        round_trip()

    # -- plugin subclasses ----------------------------------------------------------------

    def test_a_plugin_subclass_comes_back_as_its_own_class(self, store: Store) -> None:
        staff = store.put(ContractStaffPerson(id="p-2", name="Bo", badge="B7"))
        plain = store.put(Person(id="p-1", name="Ana"))
        got = store.get(Person, "p-2")
        assert type(got) is ContractStaffPerson
        assert got == staff
        assert store.all(Person) == [plain, staff]
        assert store.all(ContractStaffPerson) == [staff]

    def test_a_base_entity_is_not_found_as_the_subclass(self, store: Store) -> None:
        store.put(Person(id="p-1", name="Ana"))
        with pytest.raises(NotFoundError):
            store.get(ContractStaffPerson, "p-1")
        with pytest.raises(NotFoundError):
            store.delete((ContractStaffPerson, "p-1"))
        assert store.get(Person, "p-1").name == "Ana"

    def test_an_entity_can_be_replaced_by_a_subclass_at_its_version(self, store: Store) -> None:
        ana = store.put(Person(id="p-1", name="Ana"))
        promoted = ContractStaffPerson(id="p-1", name="Ana", badge="B1", version=ana.version)
        stored = store.put(promoted)
        assert store.get(ContractStaffPerson, "p-1") == stored

    # -- find -----------------------------------------------------------------------------

    def _enrollments(self, store: Store) -> list[Enrollment]:
        return store.put_many(
            [
                Enrollment(id="e-1", person_id="p-1", cohort_id="c-24", role=Role.MENTEE),
                Enrollment(id="e-2", person_id="p-2", cohort_id="c-24", role=Role.MENTOR),
                Enrollment(
                    id="e-3",
                    person_id="p-1",
                    cohort_id="c-25",
                    role=Role.MENTOR,
                    status=EnrollmentStatus.ACTIVE,
                ),
            ]
        )

    def test_find_enrollments_by_cohort_person_and_role(self, store: Store) -> None:
        e1, e2, e3 = self._enrollments(store)
        assert store.find(Enrollment, cohort_id="c-24") == [e1, e2]
        assert store.find(Enrollment, person_id="p-1") == [e1, e3]
        assert store.find(Enrollment, role=Role.MENTOR) == [e2, e3]
        assert store.find(Enrollment, role="mentor", cohort_id="c-25") == [e3]
        assert store.find(Enrollment, cohort_id="c-99") == []
        assert store.find(Enrollment) == [e1, e2, e3]

    def test_find_follows_updates_and_deletes(self, store: Store) -> None:
        e1, e2, _ = self._enrollments(store)
        moved = store.put(attrs.evolve(e1, cohort_id="c-25"))
        store.delete(e2)
        assert store.find(Enrollment, cohort_id="c-24") == []
        assert moved in store.find(Enrollment, cohort_id="c-25")

    def test_find_mentorships_by_mentor_mentee_cohort_and_program(self, store: Store) -> None:
        day = dt.date(2024, 8, 1)
        m1, m2, m3 = store.put_many(
            [
                Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2", start=day,
                           cohort_id="c-24", program_id="prog-a"),
                Mentorship(id="m-2", mentor_id="p-1", mentee_id="p-3", start=day,
                           cohort_id="c-25", program_id="prog-a"),
                Mentorship(id="m-3", mentor_id="p-2", mentee_id="p-3", start=day),
            ]
        )  # fmt: skip
        assert store.find(Mentorship, mentor_id="p-1") == [m1, m2]
        assert store.find(Mentorship, mentee_id="p-3") == [m2, m3]
        assert store.find(Mentorship, cohort_id="c-24") == [m1]
        assert store.find(Mentorship, program_id="prog-a", mentee_id="p-3") == [m2]
        assert store.find(Mentorship, cohort_id=None) == [m3]

    def test_find_sessions_by_mentorship_and_time_range_across_offsets(self, store: Store) -> None:
        s1, s2, s3, s4 = store.put_many(
            [
                Session(id="s-1", mentorship_id="m-1", start=_when(1, 10), minutes=30),
                # 2024-09-02 04:00 in India is 2024-09-01 22:30 UTC: still September 1st.
                Session(id="s-2", mentorship_id="m-1", start=_when(2, 4, _EAST), minutes=30),
                # 2024-09-01 20:00 at UTC-7 is 2024-09-02 03:00 UTC.
                Session(id="s-3", mentorship_id="m-2", start=_when(1, 20, _WEST), minutes=45),
                Session(id="s-4", mentorship_id="m-1", start=_when(9), minutes=60),
            ]
        )
        first = Range(_when(1, 0), _when(2, 0))
        assert store.find(Session, start=first) == [s1, s2]
        assert store.find(Session, mentorship_id="m-1", start=Range(_when(2, 0))) == [s4]
        assert store.find(Session, start=Range(end=_when(2, 3))) == [s1, s2]
        assert store.find(Session, start=Range(_when(2, 3), _when(9))) == [s3]
        assert store.find(Session, mentorship_id="m-2") == [s3]
        assert store.find(Session, start=s2.start) == [s2]

    def test_find_names_an_unknown_or_unindexed_field(self, store: Store) -> None:
        with pytest.raises(ValidationError) as info:
            store.find(Session, colour="red")
        assert (info.value.field, info.value.value) == ("colour", "red")
        with pytest.raises(ValidationError, match="not an indexed field") as info:
            store.find(Session, minutes=30)
        assert info.value.field == "minutes"

    def test_find_rejects_a_value_of_the_wrong_type(self, store: Store) -> None:
        with pytest.raises(ValidationError) as info:
            store.find(Session, start=Range(dt.date(2024, 9, 1), dt.date(2024, 9, 2)))
        assert info.value.field == "start"
        with pytest.raises(ValidationError) as info:
            store.find(Session, start=dt.datetime(2024, 9, 1))
        assert info.value.field == "start"
        with pytest.raises(ValidationError) as info:
            store.find(Enrollment, role="janitor")
        assert (info.value.field, info.value.value) == ("role", "janitor")
        with pytest.raises(ValidationError) as info:
            store.find(Enrollment, person_id=7)
        assert info.value.field == "person_id"

    def test_all_is_ordered_by_id(self, store: Store) -> None:
        ids = ["b", "a", "c-10", "c-9", "A", "é", "z"]
        store.put_many([Person(id=i, name=i) for i in ids])
        assert [p.id for p in store.all(Person)] == sorted(ids)

    # -- delete ---------------------------------------------------------------------------

    def test_delete_an_entity_at_its_version(self, store: Store) -> None:
        ana = store.put(Person(id="p-1", name="Ana"))
        store.delete(ana)
        assert store.all(Person) == []
        with pytest.raises(NotFoundError):
            store.delete(ana)

    def test_delete_of_a_stale_entity_conflicts(self, store: Store) -> None:
        ana = store.put(Person(id="p-1", name="Ana"))
        newer = store.put(attrs.evolve(ana, title="Principal"))
        with pytest.raises(ConflictError, match="p-1"):
            store.delete(ana)
        assert store.get(Person, "p-1") == newer

    def test_delete_by_class_and_id_takes_any_version(self, store: Store) -> None:
        ana = store.put(Person(id="p-1", name="Ana"))
        store.put(attrs.evolve(ana, title="Principal"))
        store.delete((Person, "p-1"))
        with pytest.raises(NotFoundError):
            store.delete((Person, "p-1"))

    def test_delete_of_something_else_is_a_validation_error(self, store: Store) -> None:
        with pytest.raises(ValidationError) as info:
            store.delete("p-1")  # type: ignore[arg-type]
        assert info.value.field == "target"

    # -- transactions ---------------------------------------------------------------------

    def test_a_transaction_keeps_all_its_writes(self, store: Store) -> None:
        with store.transaction():
            ana = store.put(Person(id="p-1", name="Ana"))
            store.put(attrs.evolve(ana, title="Principal"))
            store.put(Person(id="p-2", name="Bo"))
            assert store.get(Person, "p-1").version == 2  # reads see the writes
        assert [(p.id, p.version) for p in store.all(Person)] == [("p-1", 2), ("p-2", 1)]

    def test_an_exception_undoes_the_whole_transaction(self, store: Store) -> None:
        kept = store.put(Person(id="p-0", name="Kept"))
        gone = store.put(Person(id="p-5", name="Deleted, then restored"))

        def change_then_fail() -> None:
            with store.transaction():
                store.put(Person(id="p-1", name="Ana"))
                store.put(attrs.evolve(kept, title="changed"))
                store.delete(gone)
                raise _AbortError

        with pytest.raises(_AbortError):
            change_then_fail()
        assert store.all(Person) == [kept, gone]

    def test_a_conflict_inside_a_transaction_undoes_it(self, store: Store) -> None:
        taken = store.put(Person(id="p-9", name="Taken"))

        def insert_two() -> None:
            with store.transaction():
                store.put(Person(id="p-1", name="Ana"))
                store.put(Person(id="p-9", name="Again"))

        with pytest.raises(ConflictError):
            insert_two()
        assert store.all(Person) == [taken]

    def test_a_caught_conflict_leaves_the_transaction_usable(self, store: Store) -> None:
        store.put(Person(id="p-9", name="Taken"))
        with store.transaction():
            store.put(Person(id="p-1", name="Ana"))
            with pytest.raises(ConflictError):
                store.put_many([Person(id="p-2", name="Bo"), Person(id="p-9", name="Again")])
            store.put(Person(id="p-3", name="Cy"))
        assert [p.id for p in store.all(Person)] == ["p-1", "p-3", "p-9"]

    def test_a_nested_transaction_is_a_savepoint(self, store: Store) -> None:
        def inner_fails() -> None:
            with store.transaction():
                store.put(Person(id="p-2", name="Inner"))
                raise _AbortError

        with store.transaction():
            store.put(Person(id="p-1", name="Outer"))
            with pytest.raises(_AbortError):
                inner_fails()
            with store.transaction():
                store.put(Person(id="p-3", name="Inner, kept"))
        assert [p.id for p in store.all(Person)] == ["p-1", "p-3"]

    def test_an_exception_after_a_nested_block_undoes_it_too(self, store: Store) -> None:
        def outer_fails() -> None:
            with store.transaction():
                with store.transaction():
                    store.put(Person(id="p-1", name="Inner"))
                raise _AbortError

        with pytest.raises(_AbortError):
            outer_fails()
        assert store.all(Person) == []

    # -- export and import ----------------------------------------------------------------

    def test_export_then_import_is_lossless(self, store: Store) -> None:
        ana = store.put(Person(id="p-1", name="Ana", demographics={"g": "f"}))
        store.put(attrs.evolve(ana, title="Principal"))
        store.put(ContractStaffPerson(id="p-2", name="Bo", badge="B7"))
        store.put(Session(id="s-1", mentorship_id="m-1", start=_when(2, 4, _EAST), minutes=5))
        text = export_store(store, personal_data=True)
        copy = MemoryStore()
        assert import_store(copy, text) == 3
        assert export_store(copy, personal_data=True) == text
        assert copy.all(Person) == store.all(Person)
        assert copy.get(Person, "p-1").version == 2
        # And back into a fresh store of the backend under test.
        store.delete((Person, "p-1"))
        store.delete((Person, "p-2"))
        store.delete((Session, "s-1"))
        assert import_store(store, text) == 3
        if isinstance(store, Recorder):  # a Recorder (every built-in backend) keeps versions
            assert export_store(store, personal_data=True) == text
        else:  # other stores get plain puts: the same entities, versions restarted at 1
            assert store.all(Person) == [attrs.evolve(p, version=1) for p in copy.all(Person)]

    def test_export_leaves_out_personal_data_unless_asked(self, store: Store) -> None:
        store.put(Person(id="p-1", name="Ana", email="ana@example.org",
                         demographics={"gender": "f"}))  # fmt: skip
        store.put(ContractStaffPerson(id="p-2", name="Bo", email="bo@example.org",
                                      demographics={"race": "x"}))  # fmt: skip
        text = export_store(store)
        assert "gender" not in text
        assert '"race"' not in text
        assert "example.org" not in text
        copy = MemoryStore()
        import_store(copy, text)
        assert [p.demographics for p in copy.all(Person)] == [None, None]
        assert [p.email for p in copy.all(Person)] == [None, None]
        assert "ana@example.org" in export_store(store, personal_data=True)
        assert [p.name for p in copy.all(Person)] == ["Ana", "Bo"]

    def test_import_into_a_store_holding_an_id_imports_nothing(self, store: Store) -> None:
        source = MemoryStore()
        source.put_many([Person(id="p-1", name="Ana"), Person(id="p-2", name="Bo")])
        kept = store.put(Person(id="p-2", name="Mine"))
        with pytest.raises(ConflictError, match="p-2"):
            import_store(store, export_store(source))
        assert store.all(Person) == [kept]

    # -- life cycle -----------------------------------------------------------------------

    def test_a_closed_store_says_so(self, store: Store) -> None:
        store.close()
        store.close()
        with pytest.raises(StorageError, match="closed"):
            store.all(Person)

    # -- the state machine ----------------------------------------------------------------

    def test_behaves_like_the_memory_store(self, store: Store) -> None:
        settings_ = settings(
            max_examples=self.machine_examples,
            stateful_step_count=self.machine_steps,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        run_state_machine_as_test(
            lambda: StoreMachine(store),  # type: ignore[arg-type]
            settings=settings_,
        )


_IDS = st.sampled_from(["a", "b", "c", "d"])
_NAMES = st.sampled_from(["Ana", "Bo", "Cy", "Élodie", "李"])
_STARTS = st.sampled_from(
    [_when(1, 10), _when(2, 4, _EAST), _when(1, 20, _WEST), _when(3), _when(9, 23, _WEST)]
)


class StoreMachine(RuleBasedStateMachine):
    """Drive a store and a [`MemoryStore`][mentorkit.storage.MemoryStore] with the same operations.

    Every operation must have the same outcome in both (the same stored entity, or the same
    error class), and after every step both must hold the same entities and answer ``find``
    alike. Ids carry a per-run prefix, so runs can share one store.
    """

    known = Bundle("known")

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.sut = store
        self.ref = MemoryStore()
        self.prefix = f"sm{next(_unique)}-"

    def _both(self, op: Callable[[Store], Any]) -> Any:
        expected = _outcome(lambda: op(self.ref))
        actual = _outcome(lambda: op(self.sut))
        assert actual == expected
        return expected[1]

    def _make(self, kind: int, n: str, name: str, start: dt.datetime) -> Entity:
        p = self.prefix
        if kind == 0:
            return Person(id=f"{p}p{n}", name=name, supervisor_id=f"{p}boss")
        if kind == 1:
            return ContractStaffPerson(id=f"{p}p{n}", name=name, badge=name)
        if kind == 2:
            role = Role.MENTOR if name < "C" else Role.MENTEE
            return Enrollment(
                id=f"{p}e{n}", person_id=f"{p}p{n}", cohort_id=f"{p}c{len(name)}", role=role
            )
        return Session(id=f"{p}s{n}", mentorship_id=f"{p}m{len(name)}", start=start, minutes=30)

    @initialize()
    def start_empty(self) -> None:
        for cls in (Person, Enrollment, Session):
            assert [e for e in self.sut.all(cls) if e.id.startswith(self.prefix)] == []

    @rule(
        target=known,
        kind=st.integers(0, 3),
        n=_IDS,
        name=_NAMES,
        start=_STARTS,
    )
    def insert(self, kind: int, n: str, name: str, start: dt.datetime) -> Entity:
        entity = self._make(kind, n, name, start)
        stored = self._both(lambda s: s.put(entity))
        return stored if stored is not None else entity

    @rule(target=known, entity=known, name=_NAMES)
    def update(self, entity: Entity, name: str) -> Entity:
        if isinstance(entity, Person):
            changed: Entity = attrs.evolve(entity, name=name)
        elif isinstance(entity, Enrollment):
            changed = attrs.evolve(entity, cohort_id=f"{self.prefix}c{len(name)}")
        else:
            assert isinstance(entity, Session)
            changed = attrs.evolve(entity, mentorship_id=f"{self.prefix}m{len(name)}")
        stored = self._both(lambda s: s.put(changed))
        return stored if stored is not None else entity

    @rule(target=known, entity=known)
    def read_again(self, entity: Entity) -> Entity:
        got = self._both(lambda s: s.get(type(entity), entity.id))
        return got if got is not None else entity

    @rule(entity=known, by_key=st.booleans())
    def delete(self, entity: Entity, by_key: bool) -> None:
        target: Any = (type(entity), entity.id) if by_key else entity
        self._both(lambda s: s.delete(target))

    @rule(
        entities=st.lists(st.tuples(st.integers(0, 3), _IDS, _NAMES, _STARTS), max_size=3),
        fail=st.booleans(),
    )
    def batch(self, entities: list[tuple[int, str, str, dt.datetime]], fail: bool) -> None:
        made = [self._make(*args) for args in entities]

        def write(s: Store) -> None:
            try:
                with s.transaction():
                    for entity in made:
                        with contextlib.suppress(ConflictError):  # the transaction goes on
                            s.put(entity)
                    if fail:
                        raise _AbortError
            except _AbortError:
                pass

        self._both(write)

    @rule(entities=st.lists(st.tuples(st.integers(0, 3), _IDS, _NAMES, _STARTS), max_size=3))
    def put_many(self, entities: list[tuple[int, str, str, dt.datetime]]) -> None:
        made = [self._make(*args) for args in entities]
        self._both(lambda s: s.put_many(made))

    @invariant()
    def same_contents(self) -> None:
        for cls in (Person, ContractStaffPerson, Enrollment, Session):
            mine = [e for e in self.sut.all(cls) if e.id.startswith(self.prefix)]
            assert mine == self.ref.all(cls)

    @invariant()
    def same_answers(self) -> None:
        p = self.prefix
        for cohort in (2, 3, 6):
            query = {"cohort_id": f"{p}c{cohort}"}
            assert self.sut.find(Enrollment, **query) == self.ref.find(Enrollment, **query)
        assert self.sut.find(Enrollment, role=Role.MENTOR, cohort_id=f"{p}c2") == self.ref.find(
            Enrollment, role=Role.MENTOR, cohort_id=f"{p}c2"
        )
        window = Range(_when(1, 12), _when(3, 12))
        mine = [e for e in self.sut.find(Session, start=window) if e.id.startswith(p)]
        assert mine == self.ref.find(Session, start=window)


class _AbortError(Exception):
    """Raised to leave a transaction block."""


class SharedStoreContract(StoreContract):
    """The contract for a backend whose data several handles (processes, services) share.

    Everything [`StoreContract`][mentorkit.testing.StoreContract] checks, plus what a second handle
    on the same data
    must see: committed writes, and a ``ConflictError`` for an update from a stale version.
    Override ``store`` and ``reopen`` (a callable opening a second handle on the data
    ``store`` holds).
    """

    @pytest.fixture
    def reopen(self) -> Callable[[], Store]:
        """A callable that opens a second handle on the same data: override this fixture."""
        raise NotImplementedError("override the `reopen` fixture to open a second handle")

    def test_a_second_handle_sees_committed_writes(
        self, store: Store, reopen: Callable[[], Store]
    ) -> None:
        ana = store.put(Person(id="p-1", name="Ana"))
        with reopen() as other:
            assert other.get(Person, "p-1") == ana
            other.put(attrs.evolve(ana, title="Principal"))
        assert store.get(Person, "p-1").title == "Principal"

    def test_two_handles_updating_from_one_version_conflict(
        self, store: Store, reopen: Callable[[], Store]
    ) -> None:
        ana = store.put(Person(id="p-1", name="Ana"))
        with reopen() as other:
            won = other.put(attrs.evolve(ana, title="from the other handle"))
            with pytest.raises(ConflictError):
                store.put(attrs.evolve(ana, title="from this handle"))
        assert store.get(Person, "p-1") == won
