"""Property tests of the matching core (hypothesis): whatever the pool, the rules hold."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matching.engine import MatchingParams, assign, match_pool, score_pool, synthetic_pools

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def pools(draw):
    n = draw(st.integers(1, 40))
    m = draw(st.integers(1, 25))
    seed = draw(st.integers(0, 10_000))
    mentees, mentors = synthetic_pools(n, m, seed=seed)
    mentors.capacity = np.asarray(draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)), dtype=np.int32)
    forbidden = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, m - 1)), max_size=10))
    params = MatchingParams(
        forbidden_pairs=np.array(forbidden, dtype=np.int64).reshape(-1, 2),
        allow_minor_mentors_for_minors=draw(st.booleans()),
        max_distance_km=float(draw(st.integers(1, 100))),
    )
    return mentees, mentors, params


@SETTINGS
@given(pools())
def test_no_forbidden_pair_is_ever_returned_and_capacities_hold(pool):
    mentees, mentors, params = pool

    result = match_pool(mentees, mentors, params)

    dense = score_pool(mentees, mentors, params)
    pairs = result.pairs
    assert np.isfinite(dense[pairs[:, 0], pairs[:, 1]]).all()  # every chosen pair is admissible
    assert not {tuple(p) for p in pairs.tolist()} & {tuple(p) for p in params.forbidden_pairs.tolist()}
    assert len(set(pairs[:, 0].tolist())) == len(pairs)  # each mentee at most once
    taken = np.bincount(pairs[:, 1], minlength=len(mentors.capacity)) if len(pairs) else np.zeros(len(mentors.capacity))
    assert (taken <= mentors.capacity).all()
    assert result.report.upper_bound >= result.report.objective - 1e-6


def exact_optimum(scores: np.ndarray, capacity: np.ndarray, priority: np.ndarray) -> float:
    weights = np.where(np.isfinite(scores), scores + priority[:, None], -np.inf)
    columns = np.repeat(np.arange(scores.shape[1]), capacity)
    if len(columns) == 0:
        return 0.0
    expanded = weights[:, columns]
    # Forbidden or worthless pairs cost nothing and count for nothing: leaving someone unpaired is allowed.
    gain = np.where(np.isfinite(expanded) & (expanded > 0), expanded, 0.0)
    rows, cols = linear_sum_assignment(gain, maximize=True)
    return float(gain[rows, cols].sum())


@SETTINGS
@given(
    st.integers(1, 12), st.integers(1, 8), st.integers(0, 10_000), st.floats(0, 0.6),
)
def test_assign_equals_scipys_exact_optimum(n, m, seed, forbidden_share):
    rng = np.random.default_rng(seed)
    scores = rng.random((n, m))
    scores[rng.random((n, m)) < forbidden_share] = -np.inf
    capacity = rng.integers(0, 4, size=m)
    priority = rng.random(n) * 0.3

    pairs = assign(scores, capacity, priority)

    achieved = float((scores[pairs[:, 0], pairs[:, 1]] + priority[pairs[:, 0]]).sum()) if len(pairs) else 0.0
    assert abs(achieved - exact_optimum(scores, capacity, priority)) < 1e-6
