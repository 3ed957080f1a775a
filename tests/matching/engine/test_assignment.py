import itertools

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from matching.engine import assign, assign_with_report


def brute_force_optimum(scores: np.ndarray, capacity: np.ndarray, priority: np.ndarray) -> float:
    n, m = scores.shape
    best = 0.0
    for choice in itertools.product(range(-1, m), repeat=n):
        used = np.bincount([j for j in choice if j >= 0], minlength=m)
        if np.any(used > capacity):
            continue
        pairs = [(i, j) for i, j in enumerate(choice) if j >= 0]
        if any(not np.isfinite(scores[i, j]) for i, j in pairs):
            continue
        best = max(best, sum(scores[i, j] + priority[i] for i, j in pairs))
    return best


def expanded_optimum(scores: np.ndarray, capacity: np.ndarray, priority: np.ndarray) -> float:
    """Reference: scipy's assignment on one column per mentor slot (forbidden pairs weigh 0)."""
    weights = np.where(np.isfinite(scores), scores + priority[:, None], 0.0)
    slots = weights[:, np.repeat(np.arange(scores.shape[1]), capacity)]
    rows, cols = linear_sum_assignment(slots, maximize=True)
    return float(slots[rows, cols].sum())


def random_instance(rng: np.random.Generator, n: int, m: int, forbidden: float = 0.3):
    scores = rng.random((n, m))
    scores[rng.random((n, m)) < forbidden] = -np.inf
    scores[rng.random((n, m)) < 0.05] = np.nan
    capacity = rng.integers(0, 3, m)
    priority = rng.random(n) * 0.3
    return scores, capacity, priority


def assert_valid(pairs: np.ndarray, scores: np.ndarray, capacity: np.ndarray) -> None:
    assert pairs.shape[1] == 2
    assert len(set(pairs[:, 0].tolist())) == len(pairs), "a mentee is paired twice"
    used = np.bincount(pairs[:, 1], minlength=scores.shape[1])
    assert np.all(used <= capacity), "a mentor is over capacity"
    assert np.all(np.isfinite(scores[pairs[:, 0], pairs[:, 1]])), "a forbidden pair was chosen"


def objective(pairs: np.ndarray, scores: np.ndarray, priority: np.ndarray) -> float:
    return float((scores[pairs[:, 0], pairs[:, 1]] + priority[pairs[:, 0]]).sum())


@pytest.mark.parametrize("method", ["exact", "sparse"])
@pytest.mark.parametrize("solver", ["ortools", "scipy"])
def test_matches_brute_force_on_tiny_pools(method, solver):
    if solver == "ortools":
        pytest.importorskip(
            "ortools", reason="ortools is the large-pool solver; scipy covers small"
        )
    rng = np.random.default_rng(7)
    for _ in range(40):
        n, m = rng.integers(0, 6), rng.integers(0, 4)
        scores, capacity, priority = random_instance(rng, n, m)
        # k = 1 forces the sparse path through its price-driven rounds
        pairs, report = assign_with_report(
            scores,
            capacity,
            priority,
            method=method,
            solver=solver,
            k_mentee=1,
            k_mentor=1,
            k_add=1,
            max_rounds=50,
            target_gap=0.0,
        )
        assert_valid(pairs, scores, capacity)
        best = brute_force_optimum(scores, capacity, priority)
        assert objective(pairs, scores, priority) == pytest.approx(best, abs=1e-5)
        assert report.upper_bound >= best - 1e-6


def test_matches_expanded_linear_sum_assignment():
    rng = np.random.default_rng(3)
    for _ in range(10):
        scores, capacity, priority = random_instance(rng, 60, 25)
        pairs = assign(scores, capacity, priority)
        assert_valid(pairs, scores, capacity)
        expected = expanded_optimum(scores, capacity, priority)
        assert objective(pairs, scores, priority) == pytest.approx(expected, rel=1e-6)


def test_long_waiting_mentee_gets_the_only_mentor():
    # given two mentees for one mentor; the newcomer fits slightly better
    scores = np.array([[0.8], [0.7]])
    capacity = np.array([1])
    # when the second mentee has waited long enough to earn priority
    without = assign(scores, capacity)
    with_priority = assign(scores, capacity, priority=np.array([0.0, 0.3]))
    # then priority decides who is served
    assert without.tolist() == [[0, 0]]
    assert with_priority.tolist() == [[1, 0]]


@pytest.mark.parametrize("shape", [(0, 0), (0, 4), (4, 0)])
def test_empty_pools_give_no_pairs(shape):
    pairs, report = assign_with_report(np.zeros(shape), np.ones(shape[1], int))
    assert pairs.shape == (0, 2)
    assert report.objective == 0.0


def test_nan_marks_a_forbidden_pair():
    scores = np.array([[np.nan, 0.2], [0.9, np.nan]])
    pairs = assign(scores, np.array([1, 1]))
    assert sorted(map(tuple, pairs.tolist())) == [(0, 1), (1, 0)]


def test_capacity_counts_and_zero_capacity_is_never_used():
    scores = np.full((5, 2), 0.5)
    pairs = assign(scores, np.array([3, 0]))
    assert len(pairs) == 3
    assert set(pairs[:, 1].tolist()) == {0}


def test_zero_weight_pairs_are_not_returned():
    pairs = assign(np.array([[0.0, 0.4], [0.0, -np.inf]]), np.array([1, 1]))
    assert pairs.tolist() == [[0, 1]]


def structured_instance(seed: int, n: int, m: int):
    """Popular mentors and overlooked mentees: plain top-k pruning loses a lot here."""
    rng = np.random.default_rng(seed)
    taste, appeal = rng.random((n, 3)), rng.random((m, 3))
    scores = 0.6 * (taste @ appeal.T) / 3 + 0.4 * rng.random((n, m))
    scores[rng.random((n, m)) < 0.5] = -np.inf
    return scores, rng.integers(1, 4, m), 0.3 * rng.random(n)


def test_sparse_path_is_near_optimal_and_its_bound_holds():
    # given a medium pool where mentors are scarce
    scores, capacity, priority = structured_instance(11, 1500, 400)
    optimum = expanded_optimum(scores, capacity, priority)
    # when the sparse path runs with small candidate lists
    pairs, report = assign_with_report(
        scores, capacity, priority, method="sparse", k_mentee=5, k_mentor=5
    )
    # then it is within 0.1 % of the optimum and its bound really bounds the optimum
    assert_valid(pairs, scores, capacity)
    assert report.method == "sparse"
    assert report.objective == pytest.approx(objective(pairs, scores, priority))
    assert report.objective >= optimum * (1 - 1e-3)
    assert report.upper_bound >= optimum - 1e-6
    assert report.gap_pct >= 100 * (optimum - report.objective) / optimum - 1e-9


def test_sparse_bound_is_honest_after_a_single_round():
    scores, capacity, priority = structured_instance(5, 800, 200)
    optimum = expanded_optimum(scores, capacity, priority)
    _, report = assign_with_report(
        scores, capacity, priority, method="sparse", k_mentee=3, k_mentor=3, max_rounds=1
    )
    assert report.rounds == 1
    assert report.objective <= optimum + 1e-6 <= report.upper_bound + 2e-6


def test_exact_report_certifies_the_optimum():
    scores, capacity, priority = structured_instance(2, 200, 80)
    _, report = assign_with_report(scores, capacity, priority, method="exact")
    assert report.certified_optimal
    assert report.gap_pct < 1e-3
    assert report.n_pairs <= capacity.sum()
    assert set(report.timings) >= {"solve", "total"}


def test_float32_scores_from_a_scorer_are_accepted():
    scores, capacity, priority = structured_instance(4, 50, 20)
    pairs64 = assign(scores, capacity, priority)
    pairs32 = assign(scores.astype(np.float32), capacity, priority)
    assert objective(pairs32, scores.astype(np.float32), priority) == pytest.approx(
        objective(pairs64, scores, priority), rel=1e-5
    )


@pytest.mark.parametrize(
    "capacity, priority",
    [(np.array([1, 1, 1]), None), (np.array([1, 1]), np.array([0.0, np.nan]))],
)
def test_malformed_inputs_are_refused(capacity, priority):
    with pytest.raises(ValueError):
        assign(np.ones((2, 2)), capacity, priority)
