"""The compiled passes (scoring loop, candidate scan, bounds) against the plain numpy rules."""

import numpy as np
import pytest

from matching.bench import demo_pools
from matching.engine import (
    MatchingParams,
    PoolScorer,
    assign_with_report,
    reservoir,
    synthetic_pools,
)
from matching.engine.assignment import _DenseScores

from .test_assignment import assert_valid, expanded_optimum, objective, structured_instance

PARAMS = [
    MatchingParams(),
    MatchingParams(
        allow_minor_mentors_for_minors=True,
        max_distance_km=5.0,
        min_age_gap=0.0,
        text_share=0.8,
        proximity_first=False,
        forbidden_pairs=[(0, 1), (3, 2), (7, 0)],
    ),
]


@pytest.mark.parametrize("params", PARAMS)
@pytest.mark.parametrize("make_pools", [synthetic_pools, demo_pools])
def test_compiled_scores_match_the_numpy_rules(params, make_pools):
    # given one pool scored by the numpy rules and by the compiled loop
    mentees, mentors = make_pools(240, 130, 3)
    plain = PoolScorer(mentees, mentors, params, fast=False).dense()
    fast = PoolScorer(mentees, mentors, params, fast=True)
    compiled = fast.dense()
    # then they forbid the same pairs and agree on the others to float32 rounding
    ok = np.isfinite(plain)
    assert np.array_equal(ok, np.isfinite(compiled))
    assert 0.05 < ok.mean() < 0.95
    np.testing.assert_allclose(compiled[ok], plain[ok], atol=1e-5)
    # and listed pairs, in any order, get exactly the block's values
    rows, cols = np.nonzero(np.ones_like(ok))
    order = np.random.default_rng(0).permutation(rows.size)
    listed = fast.pair_scores(rows[order], cols[order])
    assert np.array_equal(listed, compiled[rows[order], cols[order]])


def test_scan_keeps_each_sides_best_pairs_whatever_the_thread_count():
    # given a dense matrix with ties
    rng = np.random.default_rng(4)
    scores = np.round(rng.random((300, 120)), 2)
    scores[rng.random(scores.shape) < 0.4] = -np.inf
    priority = np.zeros(300)
    capacity = np.ones(120, np.int64)
    # when it is scanned by one thread and by three
    one = reservoir.scan(_DenseScores(scores), priority, capacity, 7, 9, threads=1)
    three = reservoir.scan(_DenseScores(scores), priority, capacity, 7, 9, threads=3)
    # then both keep the same pairs, and every pair left out is below the thresholds
    assert np.array_equal(one.col_row, three.col_row)
    assert np.array_equal(one.row_col, three.row_col)
    weights = np.where(np.isfinite(scores), scores, 0.0)
    kept = np.zeros(scores.shape, bool)
    i, j, _ = one.pairs()
    kept[i, j] = True
    left_out = np.where(kept, 0.0, weights)
    assert np.all(left_out <= one.row_threshold[:, None] + 1e-6)
    assert np.all(left_out <= one.col_threshold[None, :] + 1e-6)
    assert np.all(left_out <= one.group_max[:, np.arange(120) // reservoir.GROUP_SIZE] + 1e-6)
    for row in range(300):  # each mentee's kept pairs are its 7 best
        best = np.sort(weights[row][weights[row] > 0])[::-1][:7]
        np.testing.assert_allclose(np.sort(scores[row, one.row_col[row, : len(best)]])[::-1], best)


class BlocksOnly:
    """A score source with nothing but ``shape`` and ``block``."""

    def __init__(self, scores: np.ndarray) -> None:
        self.scores = scores

    @property
    def shape(self) -> tuple[int, int]:
        return self.scores.shape

    def block(self, start: int, stop: int) -> np.ndarray:
        return self.scores[start:stop]


@pytest.mark.parametrize("wrap", [np.asarray, BlocksOnly])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_small_reservoirs_still_give_an_honest_bound(seed, wrap):
    # given a pool where mentors are scarce and the scan keeps very few pairs per side, so the
    # bound leans on the thresholds and rows get rescored
    scores, capacity, priority = structured_instance(seed, 600, 150)
    optimum = expanded_optimum(scores, capacity, priority)
    pairs, report = assign_with_report(
        wrap(scores),
        capacity,
        priority,
        method="sparse",
        k_mentee=3,
        k_mentor=3,
        k_reservoir=6,
        target_gap=1e-6,
    )
    # then the pairs are valid, the bound bounds the optimum and the gap is what it says
    assert_valid(pairs, scores, capacity)
    assert report.objective == pytest.approx(objective(pairs, scores, priority))
    assert report.upper_bound >= optimum - 1e-6
    assert report.objective >= optimum * (1 - 1e-3)
    assert report.gap_pct >= 100 * (optimum - report.objective) / optimum - 1e-9


def test_scorer_source_and_dense_matrix_both_give_honest_near_optimal_runs():
    # given a demo pool scored on the fly by the compiled loop, and the same scores as a matrix
    mentees, mentors = demo_pools(700, 350, 5)
    scorer = PoolScorer(mentees, mentors, fast=True)
    priority = np.asarray(mentees.waiting_days, float) / 1000
    dense = scorer.dense()
    optimum = expanded_optimum(dense.astype(float), mentors.capacity, priority)
    # when both go through the sparse path with small lists (the scorer groups mentors by age,
    # the matrix by index, so their bounds differ)
    kw = {"method": "sparse", "k_mentee": 5, "k_mentor": 5, "k_reservoir": 20}
    for source in (scorer, dense):
        pairs, report = assign_with_report(source, mentors.capacity, priority, **kw)
        # then each is valid, near optimal, and its bound holds
        assert_valid(pairs, dense, mentors.capacity)
        assert report.objective == pytest.approx(objective(pairs, dense, priority))
        assert report.upper_bound >= optimum - 1e-5
        assert report.objective >= optimum * (1 - 1e-3)


def test_compiled_price_rounds_give_the_numpy_rounds_prices():
    # given random candidate graphs and matchings, optimal or not (so some rounds never converge)
    from matching.engine.flow import Candidates, mentor_prices

    rng = np.random.default_rng(0)
    for _ in range(150):
        n, m = int(rng.integers(1, 40)), int(rng.integers(1, 30))
        key = np.unique(rng.integers(0, n * m, int(rng.integers(1, n * m + 1))))
        cand = Candidates(key // m, key % m, rng.random(key.size) + 0.01)
        match = np.full(n, -1)
        for i in range(n):
            mentors = cand.mentor[cand.mentee == i]
            if mentors.size and rng.random() < 0.7:
                match[i] = rng.choice(mentors)
        for weight, tol in ((np.rint(cand.weight * 1000).astype(np.int64), 0), (cand.weight, 1e-9)):
            for rounds in (None, 3):
                start = rng.random(m).astype(weight.dtype) if rng.random() < 0.5 else None
                options = {"start": start, "tol": tol, "max_rounds": rounds}
                # when the prices are raised by numpy and by the compiled loop
                plain = mentor_prices(n, m, cand, weight, match, **options)
                compiled = mentor_prices(n, m, cand, weight, match, compiled=True, **options)
                # then both give the same prices and the same verdict
                assert plain[1] == compiled[1]
                assert np.array_equal(plain[0], compiled[0])


def test_matching_threads_caps_the_threads_of_the_compiled_passes(monkeypatch):
    monkeypatch.setenv("MATCHING_THREADS", "1")
    assert reservoir.thread_count() == 1
    monkeypatch.setenv("MATCHING_THREADS", "not a number")
    assert reservoir.thread_count() >= 1


def test_the_scans_group_maxima_take_a_bounded_number_of_groups_however_many_mentors():
    # given a few mentees against more mentors than MAX_GROUPS groups of GROUP_SIZE hold
    m = reservoir.GROUP_SIZE * reservoir.MAX_GROUPS * 2 + 5
    rng = np.random.default_rng(8)
    scores = rng.random((4, m)).astype(np.float32)
    scores[rng.random(scores.shape) < 0.3] = -np.inf
    # when they are scanned
    kept = reservoir.scan(_DenseScores(scores), np.zeros(4), np.ones(m, np.int64), 5, 2)
    # then the maxima are a few floats a mentee (not one per 64 mentors), and still bound every
    # pair of their group
    assert kept.group_max.shape == (4, reservoir.MAX_GROUPS)
    group = np.arange(m) // reservoir.group_size(m)
    assert np.all(np.where(np.isfinite(scores), scores, 0) <= kept.group_max[:, group] + 1e-7)
