"""Equal scores on pools big enough for the approximate (sparse) path.

Ties used to go to the lowest index on both sides: on all-equal scores every mentee kept the same
mentors and every mentor the same mentees, and the sparse path stopped at a quarter of the optimum.
"""

import numpy as np
import pytest

from matching.engine import MatchingParams, assign_with_report, match_pool
from matching.engine.sizes import LARGE_POOL_PAIRS

from .builders import pools

N, M = 2100, 1000  # 2.1 M pairs: past LARGE_POOL_PAIRS, so "auto" takes the sparse path


@pytest.fixture(scope="module")
def capacity():
    return np.random.default_rng(3).choice([1, 2, 3], M, p=[0.6, 0.3, 0.1])


def exact(scores, capacity, priority):
    _, report = assign_with_report(scores, capacity, priority, method="exact")
    return report.objective


def test_the_instances_take_the_sparse_path():
    assert N * M > LARGE_POOL_PAIRS


def test_all_equal_scores_reach_the_optimum(capacity):
    # given every pair scoring the same
    scores = np.full((N, M), 0.5)
    priority = np.zeros(N)
    # when the pool is assigned
    _, report = assign_with_report(scores, capacity, priority)
    # then every mentor place is used: the optimum, proven
    assert report.method == "sparse"
    assert report.objective == pytest.approx(0.5 * min(N, capacity.sum()))
    assert report.certified_optimal


def test_all_equal_scores_with_forbidden_pairs_stay_within_a_hundredth_of_a_percent(capacity):
    # given equal scores where 30 % of the pairs are forbidden
    rng = np.random.default_rng(5)
    scores = np.full((N, M), 0.5)
    scores[rng.random((N, M)) < 0.3] = -np.inf
    priority = np.zeros(N)
    # when it is assigned
    _, report = assign_with_report(scores, capacity, priority)
    # then it is within 0.01 % of the exact optimum on the same instance
    assert report.method == "sparse"
    assert report.objective >= exact(scores, capacity, priority) * (1 - 1e-4)


def test_blocks_of_identical_profiles_stay_within_a_hundredth_of_a_percent(capacity):
    # given 20 kinds of mentees and 10 kinds of mentors, everyone of a kind scoring the same
    rng = np.random.default_rng(6)
    table = np.round(rng.random((20, 10)), 2)
    scores = table[rng.integers(0, 20, N)][:, rng.integers(0, 10, M)]
    priority = np.round(rng.random(N), 1) * 0.2
    # when it is assigned
    _, report = assign_with_report(scores, capacity, priority)
    # then it is within 0.01 % of the exact optimum
    assert report.method == "sparse"
    optimum = exact(scores, capacity, priority)
    assert report.objective >= optimum * (1 - 1e-4)
    assert report.upper_bound >= optimum - 1e-6


def test_a_pool_of_identical_people_is_matched_in_full():
    # given 2100 identical mentees and 1000 identical mentors (capacity 1) scored by the engine
    mentees, mentors = pools([{}] * N, [{}] * M)
    # when the pool is matched (compiled scoring, sparse path)
    result = match_pool(mentees, mentors, MatchingParams())
    # then every mentor gets a mentee, each mentee at most once
    assert result.report.method == "sparse"
    assert len(result.pairs) == M
    assert len(np.unique(result.pairs[:, 0])) == M
    assert len(np.unique(result.pairs[:, 1])) == M
