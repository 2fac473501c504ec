"""Our strategies prove themselves with the contract suite third parties use."""

import pytest

from mentorkit.matching import CircleMatcher, GreedyMatcher, OptimalMatcher, StableMatcher
from mentorkit.testing import MatcherContract


class TestGreedyMatcher(MatcherContract):
    @pytest.fixture
    def matcher(self):
        return GreedyMatcher()


class TestStableMatcher(MatcherContract):
    claims_stable = True

    @pytest.fixture
    def matcher(self):
        return StableMatcher()


class TestOptimalMatcher(MatcherContract):
    claims_optimal = True

    @pytest.fixture
    def matcher(self):
        return OptimalMatcher()


class TestOptimalMatcherFromOneCandidate(MatcherContract):
    """One candidate per mentee: the optimum must come from the duality certificate."""

    claims_optimal = True

    @pytest.fixture
    def matcher(self):
        return OptimalMatcher(candidates=1)


class TestOptimalMatcherMaximizingMatches(MatcherContract):
    @pytest.fixture
    def matcher(self):
        return OptimalMatcher(maximize_matches=True)


class TestCircleMatcher(MatcherContract):
    claims_non_wasteful = False  # a mentor's room is kept for their own circle

    @pytest.fixture
    def matcher(self):
        return CircleMatcher()


class _Lazy(GreedyMatcher):
    """Leaves everybody unmatched: the contract must catch it."""

    def match(self, problem, *, seed=0):
        from mentorkit.matching import MatchResult

        return MatchResult.from_assignment(
            problem, [-1] * problem.shape[0], strategy=self.name, seed=seed
        )


def test_the_contract_catches_a_wasteful_matcher():
    from mentorkit.matching import MatchingProblem

    problem = MatchingProblem.from_matrix(["a"], ["x"], [[1.0]], capacity=1)
    contract = MatcherContract()
    with pytest.raises(AssertionError):
        contract.test_stability.hypothesis.inner_test(contract, _Lazy(), problem)
    contract.test_invariants.hypothesis.inner_test(contract, _Lazy(), problem, seed=0)


class _OverCapacity(GreedyMatcher):
    """Ignores capacities (and builds its result by hand, skipping the checks)."""

    def match(self, problem, *, seed=0):
        from mentorkit.matching import MatchResult, Pair

        pairs = [
            Pair(
                mentee_id=e,
                mentor_id=problem.mentor_ids[0],
                score=problem.score(e, problem.mentor_ids[0]),
            )
            for e in problem.mentee_ids
        ]
        return MatchResult(pairs=pairs, unmatched=(), strategy=self.name, seed=seed)


def test_the_contract_catches_a_mentor_over_capacity():
    from mentorkit.matching import MatchingProblem

    problem = MatchingProblem.from_matrix(["a", "b"], ["x"], [[1.0], [2.0]], capacity=1)
    contract = MatcherContract()
    with pytest.raises(AssertionError):
        contract.test_invariants.hypothesis.inner_test(contract, _OverCapacity(), problem, seed=0)


def test_the_contract_catches_a_false_optimality_claim():
    from mentorkit.matching import MatchingProblem

    class Claims(MatcherContract):
        claims_optimal = True

    problem = MatchingProblem.from_matrix(["a", "b"], ["x", "y"], [[3, 2], [2, 0]], capacity=1)
    with pytest.raises(AssertionError):
        Claims().test_optimality.hypothesis.inner_test(Claims(), GreedyMatcher(), problem)
