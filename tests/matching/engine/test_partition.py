"""Split runs (matching.engine.partition): territories, constraints, and the bound of the whole."""

from __future__ import annotations

import numpy as np
import pytest

from matching.engine import (
    MatchingParams,
    PoolScorer,
    assign_with_report,
    mentee_priority,
    synthetic_pools,
)
from matching.engine.partition import split_match, territories


def exact_optimum(mentees, mentors, params) -> float:  # noqa: ANN001
    scorer = PoolScorer(mentees, mentors, params)
    _, report = assign_with_report(scorer.dense(), mentors.capacity, mentee_priority(mentees, params), method="exact")
    return report.objective


def test_territories_balance_their_work_within_the_stated_factor():
    mentees, mentors = synthetic_pools(3000, 1500, seed=3)
    for n_parts in (2, 3, 4, 8):
        split = territories(mentees, mentors, n_parts)
        # every person in exactly one part; the largest part at most 1.5x the mean (cuts keep the
        # two sides within BALANCE_TOLERANCE = 1.25 of each other when the places allow it)
        assert split.mentee_part.min() >= 0 and split.mentee_part.max() < n_parts
        assert split.mentor_part.min() >= 0 and split.mentor_part.max() < n_parts
        assert split.imbalance() <= 1.5, (n_parts, split.work())


def test_a_commune_is_never_cut_between_territories():
    mentees, mentors = synthetic_pools(2000, 1000, seed=4, n_communes=80)
    split = territories(mentees, mentors, 4)
    known = mentees.commune >= 0
    for commune in np.unique(mentees.commune[known]):
        parts = np.r_[split.mentee_part[mentees.commune == commune], split.mentor_part[mentors.commune == commune]]
        assert np.unique(parts).size == 1


@pytest.mark.parametrize(("n", "m", "n_parts", "seed"), [(500, 250, 2, 0), (700, 350, 3, 1), (800, 400, 4, 2)])
def test_the_bound_of_a_split_run_is_at_least_the_exact_optimum(n, m, n_parts, seed):
    mentees, mentors = synthetic_pools(n, m, seed=seed, n_communes=50)
    params = MatchingParams()
    optimum = exact_optimum(mentees, mentors, params)
    result = split_match(mentees, mentors, params, n_parts)
    assert result.upper_bound >= optimum - 1e-6
    assert result.objective <= optimum + 1e-6
    # the sum of the parts' bounds ignores the pairs across borders: not a bound of the whole
    assert result.report["parts_upper_bound"] < optimum
    assert result.objective >= 0.98 * optimum


def test_split_pairs_respect_every_constraint_and_capacity():
    mentees, mentors = synthetic_pools(900, 450, seed=5, n_communes=60)
    mentors.capacity[:50] = 3
    forbidden = [(i, j) for i in range(0, 200, 7) for j in range(0, 450, 11)]
    params = MatchingParams(forbidden_pairs=forbidden, max_distance_km=15)
    result = split_match(mentees, mentors, params, 4)
    pairs = result.pairs
    assert pairs.shape[0] > 300
    broken = PoolScorer(mentees, mentors, params).pair_violations(pairs[:, 0], pairs[:, 1])
    assert not any(v.any() for v in broken.values()), {k: int(v.sum()) for k, v in broken.items()}
    assert np.unique(pairs[:, 0]).size == pairs.shape[0]  # a mentee at most once
    assert (np.bincount(pairs[:, 1], minlength=len(mentors)) <= mentors.capacity).all()


def test_a_split_run_scores_pairs_as_the_whole_pool_does():
    mentees, mentors = synthetic_pools(600, 300, seed=6, n_communes=40)
    params = MatchingParams()
    result = split_match(mentees, mentors, params, 3)
    scorer = PoolScorer(mentees, mentors, params)
    whole = scorer.pair_scores(result.pairs[:, 0], result.pairs[:, 1]) + mentee_priority(mentees, params)[result.pairs[:, 0]]
    np.testing.assert_allclose(result.weights, whole, atol=1e-6)
