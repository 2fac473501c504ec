"""Building problems, reading results, and the strategy registry."""

import math

import numpy as np
import pytest

from mentorkit.errors import MatchingError, NotFoundError, ValidationError
from mentorkit.matching import (
    GreedyMatcher,
    Matcher,
    MatchingProblem,
    UnmatchedReason,
    get_matcher,
    match,
    matchers,
    register_matcher,
    unregister_matcher,
)


def small():
    return MatchingProblem.from_matrix(
        ["ana", "ben", "cy"], ["kim", "lee"], [[0.9, 0.4], [0.8, 0.7], [None, None]], [1, 2]
    )


def test_nested_lists_and_arrays_build_the_same_problem():
    lists = MatchingProblem.from_matrix(["a", "b"], ["x"], [[1.5], [None]], 1)
    array = MatchingProblem.from_matrix(["a", "b"], ["x"], np.array([[1.5], [np.nan]]), 1)
    assert lists.to_lists() == array.to_lists() == ([[1.5], [None]], [[1.5], [None]])
    assert lists.fingerprint() == array.fingerprint()


def test_the_problem_keeps_its_own_read_only_copy_of_an_array():
    scores = np.array([[1.0, 2.0]])
    problem = MatchingProblem.from_matrix(["a"], ["x", "y"], scores, 1)
    scores[0, 0] = 99.0
    assert problem.score("a", "x") == 1.0
    with pytest.raises(ValueError, match="read-only"):
        problem.to_numpy()[0][0, 0] = 5.0


def test_a_pair_forbidden_by_the_mentor_side_is_forbidden():
    problem = MatchingProblem.from_matrix(["a"], ["x", "y"], [[1, 2]], 1, mentor_scores=[[1, None]])
    assert problem.allowed("a", "x")
    assert not problem.allowed("a", "y")
    assert problem.score("a", "y") is None
    assert problem.forbidden_by("a", "y") == ("matrix",)
    assert match(problem, "greedy").assignment == {"a": "x"}


@pytest.mark.parametrize(
    ("kwargs", "field", "value"),
    [
        ({"mentee_ids": ["a", "a"]}, "mentee_ids[1]", "a"),
        ({"mentor_ids": [""]}, "mentor_ids[0]", ""),
        ({"mentee_ids": "ab"}, "mentee_ids", "ab"),
        ({"scores": [[1]]}, "scores", 1),
        ({"scores": [[1], [2, 3]]}, "scores[1]", 2),
        ({"scores": [[1], ["high"]]}, "scores[1][0]", "high"),
        ({"scores": [[1], [True]]}, "scores[1][0]", True),
        ({"scores": [[1], [math.inf]]}, "scores[1][0]", math.inf),
        ({"scores": np.array([[1.0], [-np.inf]])}, "scores[1][0]", -math.inf),
        ({"scores": np.ones((2, 2))}, "scores", (2, 2)),
        ({"mentor_scores": [[1], [None, 2]]}, "mentor_scores[1]", 2),
        ({"capacity": -1}, "capacity", -1),
        ({"capacity": 1.5}, "capacity", 1.5),
        ({"capacity": [1, 2]}, "capacity", 2),
        ({"capacity": [True]}, "capacity[0]", True),
    ],
)
def test_bad_input_names_the_field_and_the_value(kwargs, field, value):
    args = {"mentee_ids": ["a", "b"], "mentor_ids": ["x"], "scores": [[1], [2]], "capacity": 1}
    args.update(kwargs)
    with pytest.raises(ValidationError) as info:
        MatchingProblem.from_matrix(**args)
    assert info.value.field == field
    assert info.value.value == value


def test_unknown_ids_raise_not_found():
    with pytest.raises(NotFoundError, match="'zed'"):
        small().score("zed", "kim")
    result = match(small())
    with pytest.raises(NotFoundError, match="'zed'"):
        result.explain("zed")


def test_every_strategy_explains_pairs_and_unmatched_mentees():
    for strategy in ("greedy", "stable", "optimal"):
        result = match(small(), strategy)
        text = result.explain("ana")
        assert text.startswith("ana -> ")
        assert "choice of 2 allowed mentors" in text
        assert strategy in text
        assert result.explain("cy") == (
            "cy: unmatched (no_allowed_mentor): every pair is forbidden (matrix: 2)"
        )
        assert result.summary().startswith(f"{strategy} (seed 0): 2 pairs, 1 unmatched")


def test_unmatched_reasons_distinguish_full_mentors_from_unworthy_pairs():
    problem = MatchingProblem.from_matrix(["a", "b", "c"], ["x"], [[3], [2], [-1]], 1)
    result = match(problem, "optimal")
    reasons = {u.mentee_id: u.reason for u in result.unmatched}
    assert reasons == {"b": UnmatchedReason.MENTORS_FULL, "c": UnmatchedReason.MENTORS_FULL}
    lonely = MatchingProblem.from_matrix(["a"], ["x"], [[-1]], 1)
    (item,) = match(lonely, "optimal").unmatched
    assert item.reason is UnmatchedReason.NOT_WORTH_IT
    assert "'x' scores -1" in item.detail
    assert match(lonely, "optimal", maximize_matches=True).assignment == {"a": "x"}


def test_a_result_records_how_to_rerun_it():
    problem = small()
    result = match(problem, "optimal", seed=3, maximize_matches=True)
    assert (result.strategy, result.seed) == ("optimal", 3)
    rerun = match(problem, result.strategy, seed=result.seed, **result.options)
    assert rerun == result


def test_empty_problems_match_nobody():
    for strategy in ("greedy", "stable", "optimal"):
        nobody = MatchingProblem.from_matrix([], ["x"], [], 1)
        assert match(nobody, strategy).pairs == ()
        no_mentors = MatchingProblem.from_matrix(["a"], [], [[]], [])
        (item,) = match(no_mentors, strategy).unmatched
        assert item.detail == "there are no mentors"


def test_match_rejects_bad_arguments():
    with pytest.raises(ValidationError) as info:
        match(small(), seed="1")
    assert info.value.field == "seed"
    with pytest.raises(NotFoundError, match=r"known: .*greedy"):
        match(small(), "magic")
    with pytest.raises(ValidationError) as info:
        match(small(), "greedy", maximize_matches=True)
    assert info.value.field == "options"
    with pytest.raises(ValidationError) as info:
        match(small(), GreedyMatcher(), maximize_matches=True)
    assert info.value.field == "options"
    with pytest.raises(ValidationError) as info:
        match(small(), "optimal", candidates=0)
    assert info.value.field == "candidates"
    with pytest.raises(ValidationError):
        match(small(), strategy=42)


def test_from_assignment_rejects_what_breaks_the_rules():
    from mentorkit.matching import MatchResult

    problem = small()
    for bad, field in [
        ([0, 0, -1], "assignment"),
        ([0, 1, 0], "assignment[2]"),
        ([5, -1, -1], "assignment[0]"),
        ([0], "assignment"),
    ]:
        with pytest.raises(ValidationError) as info:
            MatchResult.from_assignment(problem, bad, strategy="mine")
        assert info.value.field == field


class Reversed(GreedyMatcher):
    """A plugin strategy: greedy on the lowest score first."""

    name = "reversed"

    def match(self, problem, *, seed=0):
        from mentorkit.matching import MatchResult

        n, m = problem.shape
        room = list(problem.capacity)
        out = [-1] * n
        cells = sorted(
            (problem._score_at(i, j), i, j)
            for i in range(n)
            for j in range(m)
            if problem._allowed_at(i, j)
        )
        for _, i, j in cells:
            if out[i] == -1 and room[j]:
                out[i], room[j] = j, room[j] - 1
        return MatchResult.from_assignment(problem, out, strategy=self.name, seed=seed)


def test_registered_strategies_are_found_by_name_and_checked_when_registered():
    register_matcher("reversed", Reversed)
    try:
        assert "reversed" in matchers
        assert isinstance(get_matcher("reversed"), Matcher)
        assert match(small(), "reversed").assignment == {"ana": "lee", "ben": "lee"}
        register_matcher("reversed", Reversed)  # the very same class again: nothing changes
        with pytest.raises(MatchingError, match="already registered"):
            register_matcher("reversed", GreedyMatcher)
        register_matcher("reversed", GreedyMatcher, replace=True)
        assert matchers["reversed"] is GreedyMatcher
    finally:
        unregister_matcher("reversed")
    assert "reversed" not in matchers
    with pytest.raises(TypeError):
        matchers["x"] = Reversed  # read-only view


_NOTEBOOK_CELL = """
from mentorkit.matching import GreedyMatcher

class Rerun(GreedyMatcher):
    name = "rerun"
"""


def _run_cell(source: str, module: str = "__main__") -> dict[str, object]:
    """Run a cell's source as a notebook does: each run defines its classes anew."""
    namespace: dict[str, object] = {"__name__": module}
    exec(compile(source, "<cell>", "exec"), namespace)
    return namespace


def test_a_matcher_class_defined_again_takes_its_name_over_but_another_does_not():
    first, second = _run_cell(_NOTEBOOK_CELL)["Rerun"], _run_cell(_NOTEBOOK_CELL)["Rerun"]
    assert first is not second
    register_matcher("rerun", first)
    try:
        register_matcher("rerun", second)  # the cell run twice: no replace=True needed
        assert matchers["rerun"] is second
        elsewhere = _run_cell(_NOTEBOOK_CELL, module="another_notebook")["Rerun"]
        with pytest.raises(MatchingError, match="already registered"):
            register_matcher("rerun", elsewhere)  # same name, another module: refused
        with pytest.raises(MatchingError, match="already registered"):
            register_matcher("rerun", Reversed)
        register_matcher("rerun-fn", lambda **options: Reversed())
        with pytest.raises(MatchingError, match="already registered"):
            register_matcher("rerun-fn", lambda **options: Reversed())  # lambdas never match
    finally:
        unregister_matcher("rerun")
        unregister_matcher("rerun-fn")


class NoSeed:
    name = "noseed"

    def match(self, problem):
        raise AssertionError("never called")


class NoName:
    def match(self, problem, *, seed=0):
        raise AssertionError("never called")


@pytest.mark.parametrize(
    ("name", "factory", "field"),
    [
        ("Bad Name", Reversed, "name"),
        ("ok", object(), "factory"),
        ("ok", NoSeed, "factory"),
        ("ok", NoName, "factory"),
        ("ok", "not a path", "factory"),
    ],
)
def test_registering_the_wrong_shape_fails_at_once(name, factory, field):
    with pytest.raises(ValidationError) as info:
        register_matcher(name, factory)
    assert info.value.field == field
    assert "ok" not in matchers


def test_a_lazy_path_is_imported_and_checked_on_first_use():
    register_matcher("lazy-greedy", "mentorkit.matching.greedy:GreedyMatcher")
    register_matcher("lazy-missing", "mentorkit.matching.greedy:Nope")
    try:
        assert isinstance(matchers["lazy-greedy"], str)
        assert isinstance(get_matcher("lazy-greedy"), GreedyMatcher)
        with pytest.raises(MatchingError, match="cannot load matcher 'lazy-missing'"):
            get_matcher("lazy-missing")
    finally:
        unregister_matcher("lazy-greedy")
        unregister_matcher("lazy-missing")
    with pytest.raises(NotFoundError):
        unregister_matcher("lazy-greedy")


def test_importing_matching_loads_no_optional_dependency():
    import subprocess
    import sys

    code = (
        "import sys, mentorkit.matching; "
        "print(sorted({'numpy', 'scipy', 'ortools'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_numpy_is_core_and_its_old_extras_are_empty_aliases():
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"]
    assert "numpy>=1.26" in project["dependencies"]
    extras = project["optional-dependencies"]
    # `pip install "mentorkit[numpy]"` (or `[scipy]`) still works and adds nothing.
    assert extras["numpy"] == extras["scipy"] == []
    floors = (Path(__file__).parents[2] / ".ci" / "lowest-constraints.txt").read_text()
    assert "numpy==1.26.0" in floors.splitlines()


def test_circles_keep_each_mentor_to_one_focus_and_say_so():
    from mentorkit.matching import CircleMatcher, MenteeProfile, MentorProfile

    mentees = (
        [MenteeProfile(person_id=f"d{i}", focus=["data"]) for i in range(3)]
        + [MenteeProfile(person_id=f"q{i}", focus=["equity"]) for i in range(3)]
        + [MenteeProfile(person_id="open")]
    )
    mentors = [
        MentorProfile(person_id="kim", strengths={"data": 3, "equity": 2}, capacity=4),
        MentorProfile(person_id="lee", strengths={"equity": 3}, capacity=4),
    ]
    problem = MatchingProblem.from_profiles(mentees, mentors)
    assert problem.groups == ("data",) * 3 + ("equity",) * 3 + (None,)
    result = match(problem, "circles")
    assert result.options == {"within": "optimal"}
    focus = {"kim": set(), "lee": set()}
    for pair in result.pairs:
        group = problem.groups[problem.mentee_index(pair.mentee_id)]
        if group is not None:
            focus[pair.mentor_id].add(group)
    assert focus == {"kim": {"data"}, "lee": {"equity"}}
    assert "circle: kim leads the 'data' circle" in result.explain("d0")
    # "open" scores 0 everywhere: a 0 pair is worth making while a mentor has room.
    assert len(result.pairs) == 7
    assert result.assignment["open"] in {"kim", "lee"}
    everyone = match(problem, "circles", maximize_matches=True)
    assert everyone.options == {"within": "optimal", "maximize_matches": True}
    assert len(everyone.pairs) == 7
    stable_inside = match(problem, "circles", within="stable")
    assert stable_inside.options == {"within": "stable"}
    with pytest.raises(ValidationError) as info:
        MatchingProblem.from_matrix(["a"], ["x"], [[1]], 1, groups=["a", "b"])
    assert info.value.field == "groups"
    assert CircleMatcher(within="greedy").match(problem).strategy == "circles"


PLUGIN = """
from mentorkit.matching import GreedyMatcher


class Reverse(GreedyMatcher):
    name = "district-reverse"


class NoSeed:
    name = "district-broken"

    def match(self, problem):
        raise AssertionError("never called")
"""


def test_a_strategy_plugs_in_from_an_installed_distribution(tmp_path, monkeypatch):
    import sys
    import uuid

    from mentorkit.matching import _registry

    module = f"mk_matcher_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{module}.py").write_text(PLUGIN)
    info = tmp_path / "district_matchers-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: district-matchers\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        f"[mentorkit.matchers]\ndistrict-reverse = {module}:Reverse\n"
        f"district-broken = {module}:NoSeed\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, module, raising=False)
    monkeypatch.setattr(_registry, "_entry_points_loaded", False)
    try:
        result = match(small(), "district-reverse")
        assert result.strategy == "district-reverse"
        assert "district-reverse" in matchers
        with pytest.raises(ValidationError) as info:
            get_matcher("district-broken")
        assert info.value.field == "factory"
    finally:
        for name in ("district-reverse", "district-broken"):
            _registry._registry.pop(name, None)


def test_a_missing_solver_names_the_extra_to_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "ortools.graph.python.min_cost_flow", None)
    with pytest.raises(MatchingError, match=r'pip install "mentorkit\[ortools\]"'):
        match(small(), "optimal")
