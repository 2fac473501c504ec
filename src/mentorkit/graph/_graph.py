"""``MentorshipGraph``: the mentorship network over a networkx ``MultiDiGraph``."""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import hmac
import html
import itertools
import math
import operator
import types
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar, cast, overload

import attrs
import networkx as nx
from networkx import MultiDiGraph

from mentorkit._gc import collector_paused
from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.graph._metrics import MetricsTable, compute_sorted
from mentorkit.model import (
    Entity,
    Mentorship,
    MentorshipKind,
    Outcome,
    OutcomeKind,
    Person,
    Program,
)

if TYPE_CHECKING:
    import os

    import pandas as pd
    from matplotlib.axes import Axes

    from mentorkit.storage import Store

__all__ = ["GraphProblem", "Lineage", "MentorshipGraph", "StoreReader"]

E = TypeVar("E", bound=Entity)


class StoreReader(Protocol):
    """Protocol: the read side of a mentorkit store that the graph needs.

    Every ``mentorkit.storage`` store satisfies it.
    """

    def all(self, cls: type[E]) -> Iterable[E]:
        """Every stored entity of ``cls`` (and its subclasses)."""
        ...

    def find(self, cls: type[E], **filters: Any) -> Iterable[E]:
        """The stored entities of ``cls`` whose fields equal the given values."""
        ...


@attrs.frozen(kw_only=True)
class Lineage:
    """A person's time-respecting lineage.

    Attributes:
        person_id: Whose lineage this is.
        ancestors: People from whom a chain of mentorships reaches the person.
        descendants: People a chain starting at the person reaches.
        generations: Descendants by generation: ``generations[k]`` holds the people whose
            shortest chain from the person has ``k`` mentorships (``1``: direct mentees).
    """

    person_id: str
    ancestors: frozenset[str]
    descendants: frozenset[str]
    generations: Mapping[int, frozenset[str]]


ProblemCode = Literal["reciprocal_overlap", "unknown_person"]


@attrs.frozen(kw_only=True)
class GraphProblem:
    """Something in the mentorships that cannot be true, found by ``problems()``.

    Attributes:
        code: ``"reciprocal_overlap"`` (A mentors B while B mentors A, same kind, overlapping
            periods, not a peer mentorship) or ``"unknown_person"`` (a mentorship names a
            person the graph was not given).
        message: One line for a human.
        mentorship_ids: The mentorships involved.
        person_ids: The people involved.
    """

    code: ProblemCode
    message: str
    mentorship_ids: tuple[str, ...]
    person_ids: tuple[str, ...]


_FAR = dt.date.max


def _overlap(a: Mentorship, b: Mentorship) -> bool:
    return a.start <= (b.end or _FAR) and b.start <= (a.end or _FAR)


def _pseudonym(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:20]


T = TypeVar("T")


class _Built(Generic[T]):
    """A graph attribute built from what the graph was given, on first use, then cached.

    ``graph._given[name]`` holds what a store gave for one entity class (rows of field
    values, or the entities); the first read builds the entities (`_entities`), shapes them
    (``shape(graph, entities)``), keeps the result in ``graph._built[name]`` and drops what
    was given.
    """

    def __init__(self, cls: type[Entity], shape: Callable[[Any, list[Any]], T]) -> None:
        self._cls = cls
        self._shape = shape
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, graph: None, owner: type) -> _Built[T]: ...
    @overload
    def __get__(self, graph: MentorshipGraph, owner: type | None = None) -> T: ...
    def __get__(self, graph: MentorshipGraph | None, owner: type | None = None) -> T | _Built[T]:
        if graph is None:  # looked up on the class
            return self
        built = graph._built
        name = self._name
        if name not in built:
            given = graph._given.pop(name, (None, []))
            built[name] = self._shape(graph, _entities(self._cls, given))
        value: T = built[name]
        return value


class MentorshipGraph:
    """The mentorship network: people as nodes, one mentor -> mentee edge per mentorship.

    Build one with [`from_mentorships`][mentorkit.graph.MentorshipGraph.from_mentorships] or
    [`from_store`][mentorkit.graph.MentorshipGraph.from_store]. The graph is immutable:
    [`as_of`][mentorkit.graph.MentorshipGraph.as_of],
    [`filter`][mentorkit.graph.MentorshipGraph.filter] and
    [`pseudonymise`][mentorkit.graph.MentorshipGraph.pseudonymise] return new graphs. ``.nx`` is the
    underlying `networkx.MultiDiGraph` for notebook exploration (edges keyed by
    mentorship id, with ``program_id``, ``cohort_id``, ``group_id``, ``kind``, ``start`` and
    ``end``; nodes with ``name``, ``title``, ``org_unit_id``, ``supervisor_id`` and
    ``students_reached`` when known). Personal data (e-mail, demographics) is never put on
    ``.nx``; exports add it only when asked to. The methods read the mentorships the graph
    was built from, so changing ``.nx`` in place does not change their answers.

    Examples:
        >>> import datetime as dt
        >>> from mentorkit.model import Mentorship
        >>> day = dt.date(2022, 9, 1)
        >>> g = MentorshipGraph.from_mentorships([
        ...     Mentorship(id="m1", mentor_id="ana", mentee_id="ben", start=dt.date(2021, 9, 1)),
        ...     Mentorship(id="m2", mentor_id="ben", mentee_id="cy", start=day),
        ...     Mentorship(id="m3", mentor_id="ben", mentee_id="dee", start=dt.date(2020, 9, 1)),
        ... ])
        >>> " ".join(sorted(g.lineage("ana").descendants))  # ben mentored dee before ana met ben
        'ben cy'
        >>> g.as_of(dt.date(2021, 12, 31)).nx.number_of_edges()
        2
    """

    def __init__(
        self,
        mentorships: Iterable[Mentorship],
        *,
        people: Iterable[Person] = (),
        outcomes: Iterable[Outcome] = (),
        _restrict_people: bool = False,
    ) -> None:
        items = list(mentorships)
        if all(map(isinstance, items, itertools.repeat(Mentorship))):
            ms = dict(zip(map(_ID, items), items, strict=True))
        else:
            ms = {}
        if len(ms) != len(items):  # a wrong type or a repeated id: find the first, name it
            ms = {}
            for i, m in enumerate(items):
                _check(m, Mentorship, f"mentorships[{i}]")
                if m.id in ms:
                    raise ValidationError(
                        "duplicate mentorship id", field=f"mentorships[{i}].id", value=m.id
                    )
                ms[m.id] = m
        # By start, then id: two stable sorts on plain keys are several times quicker than
        # one on ``(start, id)`` tuples.
        ordered = sorted(ms.values(), key=_ID)
        ordered.sort(key=_START)
        people = list(people)
        if not all(map(isinstance, people, itertools.repeat(Person))):
            for i, p in enumerate(people):
                _check(p, Person, f"people[{i}]")
        outs = tuple(outcomes)
        if not all(map(isinstance, outs, itertools.repeat(Outcome))):
            for i, o in enumerate(outs):
                _check(o, Outcome, f"outcomes[{i}]")
        reached: dict[str, float] = defaultdict(float)
        for o in outs:
            if o.kind is OutcomeKind.STUDENTS_REACHED and o.value is not None:
                reached[o.person_id] += o.value
        self._setup(
            list(map(_START, ordered)),
            itertools.chain.from_iterable(map(_ENDS, ordered)),
            list(map(_ID, people)),
            dict(reached),
            restrict_people=_restrict_people,
        )
        self._built: dict[str, Any] = {"_ms": tuple(ordered), "_outcomes": outs}
        self._given: dict[str, _Given] = {"_people": (None, people)}

    def _setup(
        self,
        starts: list[dt.date],
        ends: Iterable[str],
        person_ids: list[str],
        reached: dict[str, float],
        *,
        restrict_people: bool,
    ) -> None:
        """Index what the searches and metrics need: the mentorships' days and ends, ids."""
        self._starts = starts
        # Everyone named by a mentorship, in order of first appearance (by start), with the
        # position of that first appearance among the ends (mentor, mentee, mentor, ...) and,
        # for every end, the position of its person's first appearance: the metrics number
        # people from these without looking any id up again.
        first: dict[str, int] = {}
        self._codes = list(map(first.setdefault, ends, itertools.count()))
        self._first = first
        if restrict_people:
            person_ids = [p for p in person_ids if p in first]
        self._restrict_people = restrict_people
        self._reached = reached
        # Built on first use of ``.nx``: the metrics and searches do not need it.
        self._graph: MultiDiGraph[str] | None = None
        nodes = dict.fromkeys(person_ids)
        nodes.update(first)
        self._nodes = list(nodes)
        self._node_set = frozenset(self._nodes)
        self._metrics: MetricsTable | None = None
        self._out: dict[str, list[Mentorship]] | None = None
        self._in: dict[str, list[Mentorship]] | None = None

    @classmethod
    @collector_paused
    def _from_rows(
        cls, ms: _Given, people: _Given, outcomes: _Given, *, restrict_people: bool
    ) -> MentorshipGraph:
        """A graph of a store's ``read_fields`` rows (or entities), each class in id order.

        Rows hold every field of their class: the entities are built from them when
        something other than the metrics and the searches by id needs them.
        """
        self = cls.__new__(cls)
        start = _getter(ms[0], "start")
        ordered = sorted(ms[1], key=start)
        reached: dict[str, float] = defaultdict(float)
        who, kind, value = (_getter(outcomes[0], f) for f in ("person_id", "kind", "value"))
        for o in outcomes[1]:
            if kind(o) is OutcomeKind.STUDENTS_REACHED and value(o) is not None:
                reached[who(o)] += value(o)
        self._setup(
            list(map(start, ordered)),
            itertools.chain.from_iterable(map(_getter(ms[0], "mentor_id", "mentee_id"), ordered)),
            list(map(_getter(people[0], "id"), people[1])),
            dict(reached),
            restrict_people=restrict_people,
        )
        self._built = {}
        self._given = {"_ms": (ms[0], ordered), "_people": people, "_outcomes": outcomes}
        return self

    def _people_by_id(self, people: list[Person]) -> dict[str, Person]:
        if self._restrict_people:
            keep = self._first
            return {p.id: p for p in people if p.id in keep}
        return dict(zip(map(_ID, people), people, strict=True))

    #: The mentorships by start then id, the people by id and the outcomes: built from the
    #: stored rows on first use (the metrics and the searches by id do not need them).
    _ms = _Built(Mentorship, lambda graph, items: tuple(items))
    _people = _Built(Person, _people_by_id)
    _outcomes = _Built(Outcome, lambda graph, items: tuple(items))

    # --- construction ------------------------------------------------------------------

    @classmethod
    def from_mentorships(
        cls,
        mentorships: Iterable[Mentorship],
        *,
        people: Iterable[Person] | None = None,
        outcomes: Iterable[Outcome] | None = None,
    ) -> MentorshipGraph:
        """Build the graph from mentorships (and optionally the people and their outcomes).

        Args:
            mentorships: The edges; ids must be unique.
            people: People to use as nodes with their attributes; every person given becomes
                a node, also those without mentorships.
            outcomes: Outcomes; ``students_reached`` ones feed ``reach``, ``promotion`` ones
                the cohort views.

        Returns:
            The graph.

        Raises:
            ValidationError: An item is not of the expected type, or a mentorship id repeats.

        Examples:
            >>> import datetime as dt
            >>> from mentorkit.model import Mentorship
            >>> g = MentorshipGraph.from_mentorships(
            ...     [Mentorship(id="m1", mentor_id="a", mentee_id="b", start=dt.date(2024, 9, 1))])
            >>> g
            <MentorshipGraph: 2 people, 1 mentorships>
        """
        return cls(mentorships, people=people or (), outcomes=outcomes or ())

    @classmethod
    def from_store(
        cls,
        store: StoreReader,
        *,
        programs: Iterable[str] | None = None,
        kinds: Iterable[MentorshipKind | str] | None = None,
    ) -> MentorshipGraph:
        """Build the graph from a store's mentorships, people and outcomes.

        Everything is read at once, so the graph stays whole after the store is closed. The
        store's field values are read with
        [`read_fields`][mentorkit.storage.read_fields], without building entities: the
        metrics and searches need only ids and start days, and the mentorships, people and
        outcomes are built from those values when first asked for (``.mentorships``,
        ``.nx``, the exports). A class with a registered subclass (an entity plugin's
        ``StaffPerson``) is read as entities, which keeps the subclass and its fields.

        Args:
            store: Any mentorkit store (``MemoryStore``, ``SQLiteStore``, ...).
            programs: Keep only the mentorships of these program ids.
            kinds: Keep only the mentorships of these kinds.

        Returns:
            The graph. Without filters every stored person is a node; with filters, only the
            people of the selected mentorships.

        Raises:
            ValidationError: ``store`` is not a store (a URL: open it with
                ``mentorkit.storage.open_store`` first), ``programs`` or ``kinds`` is a
                single string, a kind is not a ``MentorshipKind``, or a program id is
                neither a stored program nor named by a stored mentorship (the message
                lists the known ones).

        Examples:
            >>> import datetime as dt
            >>> from mentorkit.model import Mentorship
            >>> from mentorkit.storage import MemoryStore
            >>> with MemoryStore() as store:
            ...     _ = store.put(Mentorship(id="m1", mentor_id="a", mentee_id="b",
            ...                              start=dt.date(2024, 9, 1)))
            ...     g = MentorshipGraph.from_store(store)
            >>> g.metrics()["a"].descendants, g.mentorships[0].id  # after the store is closed
            (1, 'm1')
        """
        if not callable(getattr(store, "all", None)) or not callable(getattr(store, "find", None)):
            hint = " (a URL or path: open it with mentorkit.storage.open_store first)" if (
                isinstance(store, str) or hasattr(store, "__fspath__")) else ""  # fmt: skip
            raise ValidationError(f"must be a mentorkit store{hint}", field="store",
                                  value=type(store).__name__)  # fmt: skip
        wanted_kinds = None if kinds is None else _kinds(kinds)
        from mentorkit.storage import read_fields

        # The stored field values only, without building the entities (a quarter less time
        # for a SQLite district): the metrics and searches need just a few of them, and the
        # graph builds the entities from the rows when something asks for them. A class with
        # a registered subclass (an entity plugin's StaffPerson) is read whole: rows would
        # lose the subclass and its fields.
        def read(kind: type[Entity], **filters: Any) -> _Given:
            names = _names(kind)
            if names is None:
                return None, list(store.find(kind, **filters) if filters else store.all(kind))
            return names, read_fields(cast("Store", store), kind, names, **filters)

        names = _names(Mentorship)
        if programs is None:
            ms = read(Mentorship)[1]
        else:
            wanted = _ids(programs, "programs")
            ms = [m for p in wanted for m in read(Mentorship, program_id=p)[1]]
            found = set(map(_getter(names, "program_id"), ms))
            if any(p not in found for p in wanted):
                known = {p.id for p in store.all(Program)}
                known.update(m.program_id for m in store.all(Mentorship) if m.program_id)
                _refuse_unknown(wanted, known, "programs")
            ms.sort(key=_getter(names, "id"))  # in id order, as a store reads them
        if wanted_kinds is not None:
            kind_of = _getter(names, "kind")
            ms = [m for m in ms if kind_of(m) in wanted_kinds]
        return cls._from_rows(
            (names, ms), read(Person), read(Outcome),
            restrict_people=programs is not None or kinds is not None,
        )  # fmt: skip

    def _build_nx(self) -> MultiDiGraph[str]:
        g: MultiDiGraph[str] = nx.MultiDiGraph()
        for pid, p in self._people.items():
            g.add_node(pid, **_node_attrs(p))
        for m in self._ms:
            g.add_edge(m.mentor_id, m.mentee_id, key=m.id, **_edge_attrs(m))
        for pid, value in self._reached.items():
            if pid in g:
                g.nodes[pid]["students_reached"] = value
        return g

    def _derive(
        self, mentorships: Iterable[Mentorship], *, people: Iterable[Person] | None = None,
        outcomes: Iterable[Outcome] | None = None,
    ) -> MentorshipGraph:  # fmt: skip
        return MentorshipGraph(
            mentorships,
            people=self._people.values() if people is None else people,
            outcomes=self._outcomes if outcomes is None else outcomes,
        )

    # --- plain accessors ---------------------------------------------------------------

    @property
    def nx(self) -> MultiDiGraph[str]:
        """The underlying networkx graph (mentor -> mentee, one edge per mentorship).

        Built on first access and cached.
        """
        if self._graph is None:
            self._graph = self._build_nx()
        return self._graph

    @property
    def mentorships(self) -> tuple[Mentorship, ...]:
        """The mentorships, by start date then id."""
        return self._ms

    @property
    def people(self) -> Mapping[str, Person]:
        """The people the graph was given, by id."""
        return dict(self._people)

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """The outcomes the graph was given."""
        return self._outcomes

    def __contains__(self, person_id: object) -> bool:
        return person_id in self._node_set

    def __len__(self) -> int:
        return len(self._nodes)

    @property
    def person_ids(self) -> tuple[str, ...]:
        """The node ids: the people given, then anyone else named by a mentorship."""
        return tuple(self._nodes)

    def __repr__(self) -> str:
        return f"<MentorshipGraph: {len(self)} people, {len(self._starts)} mentorships>"

    def _require(self, person_id: str) -> None:
        if person_id not in self._node_set:
            raise NotFoundError(f"person_id: no person {person_id!r} in the graph")

    def _adjacency(self) -> tuple[dict[str, list[Mentorship]], dict[str, list[Mentorship]]]:
        if self._out is None or self._in is None:
            out: dict[str, list[Mentorship]] = defaultdict(list)
            inn: dict[str, list[Mentorship]] = defaultdict(list)
            for m in self._ms:  # already by start: adjacency lists come out sorted
                out[m.mentor_id].append(m)
                inn[m.mentee_id].append(m)
            self._out, self._in = dict(out), dict(inn)
        return self._out, self._in

    # --- snapshots and filters -----------------------------------------------------------

    def as_of(self, day: dt.date | str, *, active_only: bool = False) -> MentorshipGraph:
        """The graph as it stood on ``day``: the mentorships begun by then.

        Args:
            day: The snapshot date (a ``datetime.date`` or ``"YYYY-MM-DD"``).
            active_only: Keep only the mentorships still active on ``day`` (not yet ended).

        Returns:
            A new graph with the same people and the outcomes dated on or before ``day``.

        Raises:
            ValidationError: ``day`` is neither a date nor an ISO ``YYYY-MM-DD`` string.
        """
        if isinstance(day, str):
            try:
                day = dt.date.fromisoformat(day)
            except ValueError:
                raise ValidationError("must be a date YYYY-MM-DD", field="day",
                                      value=day) from None  # fmt: skip
        if isinstance(day, dt.datetime):
            raise ValidationError("must be a datetime.date, not a datetime (pass .date())",
                                  field="day", value=day)  # fmt: skip
        if not isinstance(day, dt.date):
            raise ValidationError("must be a datetime.date or a YYYY-MM-DD string", field="day",
                                  value=type(day).__name__)  # fmt: skip
        keep = (m for m in self._ms if (m.active_on(day) if active_only else m.start <= day))
        return self._derive(keep, outcomes=[o for o in self._outcomes if o.date <= day])

    def filter(
        self,
        *,
        programs: Iterable[str] | None = None,
        cohorts: Iterable[str] | None = None,
        kinds: Iterable[MentorshipKind | str] | None = None,
    ) -> MentorshipGraph:
        """The graph of the mentorships of some programs, cohorts or kinds.

        Args:
            programs: Program ids to keep (``None``: all).
            cohorts: Cohort ids to keep (``None``: all).
            kinds: Mentorship kinds to keep (``None``: all).

        Returns:
            A new graph with the same people and outcomes: every person stays a node, also
            those left without mentorships (``from_store(programs=...)`` keeps only the
            people of the selected mentorships).

        Raises:
            ValidationError: ``programs``, ``cohorts`` or ``kinds`` is a single string, a
                kind is not a ``MentorshipKind``, or a program or cohort id is named by no
                mentorship of the graph (the message lists the known ones).
        """
        ps = cs = None
        if programs is not None:
            ps = set(_ids(programs, "programs"))
            _refuse_unknown(ps, {m.program_id for m in self._ms if m.program_id}, "programs")
        if cohorts is not None:
            cs = set(_ids(cohorts, "cohorts"))
            _refuse_unknown(cs, {m.cohort_id for m in self._ms if m.cohort_id}, "cohorts")
        ks = None if kinds is None else {k.value for k in _kinds(kinds)}
        keep = [
            m
            for m in self._ms
            if (ps is None or m.program_id in ps)
            and (cs is None or m.cohort_id in cs)
            and (ks is None or m.kind.value in ks)
        ]
        return self._derive(keep)

    # --- chains and lineages -------------------------------------------------------------

    def chains(
        self, person_id: str | None = None, *, max_chains: int | None = None
    ) -> Iterator[tuple[Mentorship, ...]]:
        """Maximal chains: time-respecting paths that cannot be extended.

        A chain is a sequence of distinct mentorships, each starting no earlier than the one
        before it, the mentee of each being the mentor of the next. Without ``person_id``
        the chains start at mentorships no chain leads into; with it, at the person's own
        mentorships as mentor. A chain ends when no unused mentorship can follow it.
        Chains are yielded lazily: their number can grow exponentially with the graph.

        Args:
            person_id: Yield only the chains starting at this person.
            max_chains: Stop after this many chains.

        Yields:
            Each chain as a tuple of mentorships.

        Raises:
            NotFoundError: ``person_id`` is not in the graph.
        """
        out, inn = self._adjacency()
        if person_id is not None:
            self._require(person_id)
            starts = list(out.get(person_id, ()))
        else:
            starts = [
                m for m in self._ms if not any(p.start <= m.start for p in inn.get(m.mentor_id, ()))
            ]
        count = 0
        for first in starts:
            stack: list[tuple[tuple[Mentorship, ...], frozenset[str]]] = [
                ((first,), frozenset((first.id,)))
            ]
            while stack:
                chain, used = stack.pop()
                last = chain[-1]
                nexts = [
                    m for m in out.get(last.mentee_id, ()) if m.start >= last.start
                    and m.id not in used
                ]  # fmt: skip
                if not nexts:
                    yield chain
                    count += 1
                    if max_chains is not None and count >= max_chains:
                        return
                    continue
                for m in reversed(nexts):
                    stack.append(((*chain, m), used | {m.id}))

    def descendants(self, person_id: str) -> frozenset[str]:
        """People reached by the chains starting at ``person_id`` (never the person).

        Raises:
            NotFoundError: ``person_id`` is not in the graph.
        """
        return frozenset(self._arrivals(person_id)) - {person_id}

    def _arrivals(self, person_id: str) -> dict[str, int]:
        """The earliest day (ordinal) a chain from ``person_id`` reaches each descendant."""
        self._require(person_id)
        out, _ = self._adjacency()
        # Earliest arrival: the earlier a chain reaches someone, the more can follow.
        arrival: dict[str, int] = {}
        heap: list[tuple[int, str]] = [(-(1 << 40), person_id)]
        while heap:
            t, v = heapq.heappop(heap)
            if t > arrival.get(v, 1 << 40):
                continue
            for m in out.get(v, ()):
                s = m.start.toordinal()
                if s >= t and s < arrival.get(m.mentee_id, 1 << 40):
                    arrival[m.mentee_id] = s
                    heapq.heappush(heap, (s, m.mentee_id))
        return arrival

    def ancestors(self, person_id: str) -> frozenset[str]:
        """People from whom a chain reaches ``person_id`` (never the person).

        Raises:
            NotFoundError: ``person_id`` is not in the graph.
        """
        self._require(person_id)
        _, inn = self._adjacency()
        # Latest departure, the mirror of earliest arrival.
        departure: dict[str, int] = {}
        heap: list[tuple[int, str]] = [(-(1 << 40), person_id)]  # negated days
        while heap:
            neg, v = heapq.heappop(heap)
            t = -neg
            if t < departure.get(v, -(1 << 40)):
                continue
            for m in inn.get(v, ()):
                s = m.start.toordinal()
                if s <= t and s > departure.get(m.mentor_id, -(1 << 40)):
                    departure[m.mentor_id] = s
                    heapq.heappush(heap, (-s, m.mentor_id))
        return frozenset(departure) - {person_id}

    def generations(self, person_id: str) -> dict[int, frozenset[str]]:
        """Descendants grouped by distance: the fewest mentorships in a chain reaching them.

        Args:
            person_id: Whose descendants.

        Returns:
            ``{1: direct mentees, 2: ..., ...}``; empty for someone who mentored nobody.

        Raises:
            NotFoundError: ``person_id`` is not in the graph.
        """
        self._require(person_id)
        out, _ = self._adjacency()
        best: dict[str, int] = {}
        level_of: dict[str, int] = {}
        frontier: dict[str, int] = {person_id: -(1 << 40)}
        level = 0
        while frontier:
            level += 1
            reached: dict[str, int] = {}
            for v, t in frontier.items():
                for m in out.get(v, ()):
                    s = m.start.toordinal()
                    if s >= t and s < reached.get(m.mentee_id, 1 << 40):
                        reached[m.mentee_id] = s
            # A later arrival with more steps can reach nothing new: drop it.
            frontier = {w: s for w, s in reached.items() if s < best.get(w, 1 << 40)}
            for w, s in frontier.items():
                best[w] = s
                if w != person_id:
                    level_of.setdefault(w, level)
        grouped: dict[int, set[str]] = defaultdict(set)
        for w, k in level_of.items():
            grouped[k].add(w)
        return {k: frozenset(grouped[k]) for k in sorted(grouped)}

    def lineage(self, person_id: str) -> Lineage:
        """A person's ancestors, descendants and generations, all time-respecting.

        A mentor's mentee's *earlier* mentees are not descendants: no chain reaches them.

        Args:
            person_id: Whose lineage.

        Returns:
            The lineage.

        Raises:
            NotFoundError: ``person_id`` is not in the graph.
        """
        return Lineage(
            person_id=person_id,
            ancestors=self.ancestors(person_id),
            descendants=self.descendants(person_id),
            generations=self.generations(person_id),
        )

    # --- metrics ------------------------------------------------------------------------

    def metrics(self) -> MetricsTable:
        """Genealogy metrics of every person, computed together (cached).

        One sweep over the mentorships from the latest start to the earliest, with set
        unions, gives every person's descendants, longest chain and chain edges; counting
        who is in those sets gives the ancestors. See
        [`GenealogyMetrics`][mentorkit.graph.GenealogyMetrics] for the definitions.

        Returns:
            A read-only mapping from person id to
            [`GenealogyMetrics`][mentorkit.graph.GenealogyMetrics].
        """
        if self._metrics is None:
            rows = compute_sorted(
                self._nodes, self._starts, self._reached, (self._first, self._codes)
            )
            self._metrics = MetricsTable(rows)
        return self._metrics

    # --- validation and reciprocity ------------------------------------------------------

    def problems(self) -> list[GraphProblem]:
        """What cannot be true in time: reciprocal mentorships of one kind that overlap.

        A mentoring B while B mentors A, in the same kind and overlapping periods, is
        reported unless the kind is ``peer``. With people given, mentorships naming someone
        unknown are reported too.

        Returns:
            The problems found, in a stable order (empty when all is well).
        """
        found: list[GraphProblem] = []
        out, _ = self._adjacency()
        for m in self._ms:
            if m.kind is MentorshipKind.PEER:
                continue
            for back in out.get(m.mentee_id, ()):
                if (
                    back.mentee_id == m.mentor_id
                    and back.kind is m.kind
                    and (m.start, m.id) < (back.start, back.id)
                    and _overlap(m, back)
                ):
                    found.append(GraphProblem(
                        code="reciprocal_overlap",
                        message=f"{m.mentor_id} mentors {m.mentee_id} ({m.id}) while "
                        f"{m.mentee_id} mentors {m.mentor_id} ({back.id}), both {m.kind.value}",
                        mentorship_ids=(m.id, back.id),
                        person_ids=(m.mentor_id, m.mentee_id),
                    ))  # fmt: skip
        if self._people:
            for m in self._ms:
                unknown = tuple(p for p in (m.mentor_id, m.mentee_id) if p not in self._people)
                if unknown:
                    found.append(GraphProblem(
                        code="unknown_person",
                        message=f"mentorship {m.id} names unknown people: {', '.join(unknown)}",
                        mentorship_ids=(m.id,),
                        person_ids=unknown,
                    ))  # fmt: skip
        return found

    def reciprocal_pairs(self) -> list[tuple[str, str]]:
        """Pairs who mentored each other (in any kind, at any time): they learned both ways.

        Returns:
            Sorted ``(a, b)`` pairs with ``a < b``.
        """
        pairs = {(m.mentor_id, m.mentee_id) for m in self._ms}
        return sorted((a, b) for a, b in pairs if a < b and (b, a) in pairs)

    def reciprocity(
        self, *, by_program: bool = False, backend: str | None = None
    ) -> float | dict[str | None, float]:
        """``networkx.reciprocity`` of the mentor -> mentee graph, overall or per program.

        Args:
            by_program: One figure per program id (``None`` for mentorships without one).
            backend: A networkx backend to dispatch to (``backend=`` of networkx >= 3.2).

        Returns:
            The share of mentor -> mentee pairs also linked mentee -> mentor (0.0 when there
            are no mentorships), or a dict of them by program id.

        Raises:
            ValidationError: ``backend`` is not an installed networkx backend.
        """
        if not by_program:
            return _reciprocity(self._ms, backend)
        groups: dict[str | None, list[Mentorship]] = defaultdict(list)
        for m in self._ms:
            groups[m.program_id].append(m)
        return {p: _reciprocity(ms, backend) for p, ms in groups.items()}

    def kinds(self) -> dict[str, int]:
        """How many mentorships of each kind (one-to-one, group, coaching, peer, reverse)."""
        counts = {k.value: 0 for k in MentorshipKind}
        for m in self._ms:
            counts[m.kind.value] += 1
        return counts

    # --- privacy ------------------------------------------------------------------------

    def pseudonymise(self, *, key: bytes | str) -> MentorshipGraph:
        """The same graph with every person id replaced by a keyed hash (HMAC-SHA-256).

        Same key, same pseudonyms: graphs exported on different days can be joined, while
        nobody without the key can map a pseudonym back to a person. Names become the
        pseudonym; e-mail and demographics are dropped. Title, org unit and supervisor are
        dropped as well: together they single people out (every principal is the only one of
        their title in their school; the one person without a supervisor is the top of the
        organisation, and a count of direct reports picks out others), so a pseudonym that
        kept them could be mapped back to a person without the key.
        Mentorship ids are pseudonymised too (people name them, "m-ana-kim"), the person who
        changed a mentorship's status as well, and the free-text reasons are withheld.

        Args:
            key: The secret key (at least 16 bytes; keep it out of the exported files).

        Returns:
            A new graph.

        Raises:
            ValidationError: The key is shorter than 16 bytes.

        Examples:
            >>> import datetime as dt
            >>> from mentorkit.model import Mentorship
            >>> g = MentorshipGraph.from_mentorships(
            ...     [Mentorship(id="m1", mentor_id="a", mentee_id="b", start=dt.date(2024, 9, 1))])
            >>> p = g.pseudonymise(key="a long and secret key")
            >>> "a" in p, len(p)
            (False, 2)
        """
        try:
            raw = key.encode() if isinstance(key, str) else key
        except UnicodeEncodeError:  # a lone surrogate: no bytes to key a hash with
            raw = None
        if not isinstance(raw, bytes) or len(raw) < 16:
            raise ValidationError("must be at least 16 bytes (or UTF-8 text)", field="key",
                                  value="<hidden>")  # fmt: skip

        def alias(pid: str) -> str:
            return _pseudonym(raw, pid)

        def alias_opt(pid: str | None) -> str | None:
            return None if pid is None else alias(pid)

        ms = [
            attrs.evolve(
                m, id=alias(m.id), mentor_id=alias(m.mentor_id), mentee_id=alias(m.mentee_id),
                end_reason=None if m.end_reason is None else _WITHHELD,
                history=tuple(attrs.evolve(h, by=alias_opt(h.by), reason="") for h in m.history),
            )
            for m in self._ms
        ]  # fmt: skip
        people = [
            attrs.evolve(p, id=alias(p.id), name=alias(p.id), email=None, demographics=None,
                         title="", org_unit_id=None, supervisor_id=None)
            for p in self._people.values()
        ]  # fmt: skip
        outcomes = [attrs.evolve(o, person_id=alias(o.person_id), note="") for o in self._outcomes]
        return MentorshipGraph(ms, people=people, outcomes=outcomes)

    # --- exports (implemented in _export) -----------------------------------------------

    def to_pandas(
        self, *, include_sensitive: bool = False, metrics: bool = False
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Node and edge DataFrames (needs the ``notebook`` extra: pandas).

        Args:
            include_sensitive: Add e-mail and demographic columns.
            metrics: Join the genealogy metrics onto the nodes.

        Returns:
            ``(nodes, edges)``: nodes indexed by person id; edges one row per mentorship.

        Raises:
            ModuleNotFoundError: pandas is not installed (the message names the extra).
        """
        from mentorkit.graph._export import to_pandas

        return to_pandas(self, include_sensitive=include_sensitive, metrics=metrics)

    def flat(self, *, include_sensitive: bool = False) -> MultiDiGraph[str]:
        """A copy of ``.nx`` whose attributes GraphML/GEXF can hold (used by the writers).

        Dates become ISO strings, enums their values, ``None`` is left out; with
        ``include_sensitive`` each demographic field becomes a ``demographics.<name>`` node
        attribute and ``email`` is added.
        """
        from mentorkit.graph._export import flat_graph

        return flat_graph(self, include_sensitive=include_sensitive)

    def write_graphml(
        self, path: str | os.PathLike[str], *, include_sensitive: bool = False
    ) -> None:
        """Write GraphML (for yEd, Cytoscape desktop, igraph), attributes flattened.

        Keys are named after their attribute and typed from the values (``string``,
        ``long``, ``double``, ``boolean``); each node has a ``label`` (the person's name, or
        the id when unknown) and each ``<edge id>`` is its mentorship id. python-igraph's
        ``Graph.Read_GraphML`` makes the person's ``name`` the vertex name (names repeat);
        the person id is the vertex attribute ``id``: look people up with
        ``g.vs.find(id=person_id)``.

        Args:
            path: The file to write (ending in ``.graphml`` or ``.xml``).
            include_sensitive: Keep e-mail and demographics (off by default).

        Raises:
            ValidationError: ``path`` does not end in ``.graphml`` or ``.xml``.
            StorageError: The file cannot be written.
        """
        from mentorkit.graph._export import write

        write(self, path, "graphml", include_sensitive=include_sensitive)

    def write_gexf(self, path: str | os.PathLike[str], *, include_sensitive: bool = False) -> None:
        """Write GEXF 1.2 (Gephi's own format), valid against the official schema.

        Node labels are names (ids stay the node ids); edge ids are mentorship ids; each
        mentorship's ``start`` and ``end`` are its edge's spell (``timeformat="date"``, so
        Gephi's timeline can play the network's growth); other attributes are flattened.

        Args:
            path: The file to write (ending in ``.gexf``).
            include_sensitive: Keep e-mail and demographics (off by default).

        Raises:
            ValidationError: ``path`` does not end in ``.gexf``.
            StorageError: The file cannot be written.
        """
        from mentorkit.graph._export import write

        write(self, path, "gexf", include_sensitive=include_sensitive)

    def node_link(self, *, include_sensitive: bool = False) -> dict[str, Any]:
        """Node-link data in the layout D3's force examples read, ready for ``json.dumps``.

        For Cytoscape.js use [to_cytoscape][mentorkit.graph.MentorshipGraph.to_cytoscape].

        Returns:
            ``{"directed": True, "multigraph": True, "graph": {...}, "nodes": [...],
            "links": [...]}``: nodes with ``id`` and ``label``, links with ``source``,
            ``target``, ``key`` and ``id`` (the mentorship id) and flattened attributes.
        """
        from mentorkit.graph._export import node_link

        return node_link(self, include_sensitive=include_sensitive)

    def to_cytoscape(self, *, include_sensitive: bool = False) -> dict[str, Any]:
        """Cytoscape.js elements JSON (``cy.add(data["elements"])``), ready for ``json.dumps``.

        Returns:
            ``{"data": {...}, "directed": True, "multigraph": True, "elements": {"nodes":
            [{"data": {"id", "name", "label", ...}}], "edges": [{"data": {"id", "source",
            "target", ...}}]}}``; edge ids are mentorship ids (``<id>#edge`` for one that
            is also a person's id: Cytoscape.js wants one id space), ``mentorship_id`` always.

        Examples:
            >>> import datetime as dt
            >>> from mentorkit.model import Mentorship
            >>> g = MentorshipGraph.from_mentorships(
            ...     [Mentorship(id="m1", mentor_id="ana", mentee_id="ben",
            ...                 start=dt.date(2021, 9, 1))])
            >>> [e["data"]["id"] for e in g.to_cytoscape()["elements"]["edges"]]
            ['m1']
        """
        from mentorkit.graph._export import to_cytoscape

        return to_cytoscape(self, include_sensitive=include_sensitive)

    def draw_lineage(
        self, person_id: str, *, ax: Any = None, max_generations: int | None = None,
        label: Callable[[str], str] | None = None,
    ) -> Axes:  # fmt: skip
        """Draw a person's descendants as a tree laid out by generation (matplotlib).

        Each person is drawn under their first mentor in the generation above. A new figure
        uses constrained layout, so ``ax.figure.savefig(path)`` keeps every label; on an
        ``ax`` of your own, save with ``bbox_inches="tight"``.

        Args:
            person_id: The root of the drawing.
            ax: A matplotlib Axes to draw on (a new figure's when ``None``).
            max_generations: Draw only this many generations.
            label: Node label from person id (default: the person's name, or the id;
                people who share a name are labelled ``"name (id)"``).

        Returns:
            The matplotlib Axes.

        Raises:
            NotFoundError: ``person_id`` is not in the graph.
            ModuleNotFoundError: matplotlib is not installed (the message names the extra).
        """
        from mentorkit.graph._draw import draw_lineage

        return draw_lineage(self, person_id, ax=ax, max_generations=max_generations,
                            label=label)  # fmt: skip

    # --- notebook -----------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """Headline figures: people, mentorships, mentors, mentees, span, longest chain.

        ``paid_forward`` counts the mentees who *went on to mentor*: who mentored someone in
        a mentorship starting on or after their own first mentorship as a mentee began (at
        any time after; ``cohort_report`` counts the same within a window of school years).
        Someone who mentored only before being mentored did not go on to mentor.

        Examples:
            >>> import datetime as dt
            >>> from mentorkit.model import Mentorship
            >>> g = MentorshipGraph.from_mentorships([
            ...     Mentorship(id="m1", mentor_id="ana", mentee_id="ben",
            ...                start=dt.date(2021, 9, 1)),
            ...     Mentorship(id="m2", mentor_id="ben", mentee_id="cy", start=dt.date(2022, 9, 1)),
            ...     Mentorship(id="m3", mentor_id="cy", mentee_id="dee", start=dt.date(2020, 9, 1)),
            ... ])
            >>> g.summary()["paid_forward"]  # ben did; cy mentored dee only before being mentored
            1
        """
        from mentorkit.graph._views import went_on_to_mentor

        began: dict[str, dt.date] = {}
        mentoring: dict[str, list[dt.date]] = defaultdict(list)
        for m in self._ms:  # by start: the first seen is the earliest
            began.setdefault(m.mentee_id, m.start)
            mentoring[m.mentor_id].append(m.start)
        table = self.metrics()
        return {
            "people": len(self),
            "mentorships": len(self._ms),
            "mentors": len(mentoring),
            "mentees": len(began),
            "paid_forward": len(went_on_to_mentor(began, mentoring, None)),
            "programs": len({m.program_id for m in self._ms if m.program_id}),
            "first_start": self._ms[0].start if self._ms else None,
            "last_start": self._ms[-1].start if self._ms else None,
            "longest_chain": max((r.depth for r in table.values()), default=0),
            "problems": len(self.problems()),
        }

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th>{html.escape(k.replace('_', ' '))}</th><td>{html.escape(str(v))}</td></tr>"
            for k, v in self.summary().items()
        )
        top = self.metrics().top(5, by="reach")
        names = {r.person_id: self._people[r.person_id].name for r in top
                 if r.person_id in self._people}  # fmt: skip
        from mentorkit.graph._metrics import html_table

        return (
            f"<div><strong>MentorshipGraph</strong><table>{rows}</table>"
            f"{html_table(top, caption='Top 5 by reach', names=names)}</div>"
        )


_START: Callable[[Mentorship], dt.date] = operator.attrgetter("start")
_ID: Callable[[Entity], str] = operator.attrgetter("id")


def _ids(values: Iterable[str], field: str) -> list[str]:
    """Distinct ids in order; a single string (``"prog-a"``, not ``["prog-a"]``) is refused."""
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValidationError("must be a list of ids, not a single string", field=field,
                              value=values)  # fmt: skip
    out = list(dict.fromkeys(values))
    for i, v in enumerate(out):
        if not isinstance(v, str):
            raise ValidationError("must be an id (str)", field=f"{field}[{i}]",
                                  value=type(v).__name__)  # fmt: skip
    return out


def _refuse_unknown(wanted: Iterable[str], known: set[str], field: str) -> None:
    for v in wanted:
        if v not in known:
            listed = ", ".join(sorted(known)) or "none"
            raise ValidationError(f"unknown id; known: {listed}", field=field, value=v)


def _kinds(kinds: Iterable[MentorshipKind | str]) -> set[MentorshipKind]:
    if isinstance(kinds, str) or not isinstance(kinds, Iterable):
        raise ValidationError("must be a list of kinds, not a single string", field="kinds",
                              value=kinds)  # fmt: skip
    wanted: set[MentorshipKind] = set()
    for k in kinds:
        try:
            wanted.add(MentorshipKind(k))
        except ValueError:
            raise ValidationError(f"must be one of {[x.value for x in MentorshipKind]}",
                                  field="kinds", value=k) from None  # fmt: skip
    return wanted


def _check(item: object, cls: type[Entity], field: str) -> None:
    if not isinstance(item, cls):
        article = "an" if cls.__name__[0] in "AEIOU" else "a"
        raise ValidationError(
            f"must be {article} {cls.__name__}", field=field, value=type(item).__name__
        )


_ENDS: Callable[[Mentorship], tuple[str, str]] = operator.attrgetter("mentor_id", "mentee_id")

#: What a store gave for one class: ``read_fields`` rows of every field, with the field
#: names, or (names ``None``) the entities themselves.
_Given = tuple[tuple[str, ...] | None, list[Any]]
_FIELD_NAMES: dict[type[Entity], tuple[str, ...]] = {
    cls: tuple(a.name for a in attrs.fields(cls)) for cls in (Mentorship, Person, Outcome)
}


def _getter(names: tuple[str, ...] | None, *fields: str) -> Callable[[Any], Any]:
    """What reads ``fields`` (one value, or a tuple of several) from a row or an entity."""
    if names is None:
        return operator.attrgetter(*fields)
    return operator.itemgetter(*map(names.index, fields))


def _names(cls: type[Entity]) -> tuple[str, ...] | None:
    """The fields ``from_store`` reads of ``cls``; ``None``: read the entities whole."""
    return None if _subclassed(cls) else _FIELD_NAMES[cls]


def _subclassed(cls: type[Entity]) -> bool:
    """Whether a registered entity type subclasses ``cls`` (a plugin's own fields)."""
    from mentorkit.serialization import registered_types

    return any(t is not cls and issubclass(t, cls) for t in registered_types.values())


@collector_paused
def _entities(cls: type[E], given: _Given) -> list[E]:
    """The entities: as given, or built from rows of their field values.

    ``read_fields`` gives exactly the values the stored entities have, each already
    checked as its field's validator would, so the rows fill the slots directly (what
    attrs' ``__init__`` does, one C-level ``map`` per field instead of one call per entity)
    and only the checks across fields (``__attrs_post_init__``) run again: a few times
    quicker than calling the constructor. The tests compare the results with the entities
    the store reads.
    """
    names, items = given
    if names is None:
        return items
    slots = [getattr(cls, name, None) for name in names]
    if not all(isinstance(slot, types.MemberDescriptorType) for slot in slots):
        return [cls(**dict(zip(names, row, strict=True))) for row in items]
    made: list[E] = list(map(object.__new__, itertools.repeat(cls, len(items))))
    for k, slot in enumerate(cast("list[types.MemberDescriptorType]", slots)):
        deque(map(slot.__set__, made, map(operator.itemgetter(k), items)), maxlen=0)
    check = getattr(cls, "__attrs_post_init__", None)
    if check is not None:
        deque(map(check, made), maxlen=0)
    return made


def _reciprocity(ms: Sequence[Mentorship], backend: str | None) -> float:
    if not ms:
        return 0.0
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_edges_from((m.mentor_id, m.mentee_id) for m in ms)
    try:
        value = nx.reciprocity(g) if backend is None else nx.reciprocity(g, backend=backend)
    except ImportError as exc:
        raise ValidationError(
            "not an installed networkx backend", field="backend", value=backend
        ) from exc
    result = float(value) if isinstance(value, int | float) else math.nan  # one graph: a number
    return 0.0 if math.isnan(result) else result


def _node_attrs(p: Person) -> dict[str, Any]:
    attrs_: dict[str, Any] = {"name": p.name, "title": p.title}
    if p.org_unit_id is not None:
        attrs_["org_unit_id"] = p.org_unit_id
    if p.supervisor_id is not None:
        attrs_["supervisor_id"] = p.supervisor_id
    return attrs_


#: What a pseudonymised graph says for an ended_early mentorship's reason (free text).
_WITHHELD = "(withheld)"


def _edge_attrs(m: Mentorship) -> dict[str, Any]:
    return {
        "mentorship_id": m.id,
        "kind": m.kind.value,
        "start": m.start,
        "end": m.end,
        "program_id": m.program_id,
        "cohort_id": m.cohort_id,
        "group_id": m.group_id,
    }
