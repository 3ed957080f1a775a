"""What ``certified_optimal`` promises, and the weights the optimiser refuses."""

import numpy as np
import pytest

from matching.engine import MatchingParams, assign_with_report

from .test_assignment import expanded_optimum


@pytest.mark.parametrize("method", ["exact", "sparse"])
def test_tiny_scores_are_solved_exactly(method):
    # given scores around 1e-7, far below the solver's default unit of 1e-6
    rng = np.random.default_rng(1)
    scores = rng.random((60, 25)) * 2e-7
    scores[rng.random(scores.shape) < 0.3] = -np.inf
    capacity = rng.integers(1, 3, 25)
    priority = np.zeros(60)
    # when they are assigned
    pairs, report = assign_with_report(scores, capacity, priority, method=method)
    # then the pairs are the optimum, and the certificate says so
    optimum = expanded_optimum(scores, capacity, priority)
    assert len(pairs) > 0
    assert report.objective == pytest.approx(optimum, rel=1e-9)
    assert report.certified_optimal


@pytest.mark.parametrize("method", ["exact", "sparse"])
def test_no_certificate_when_rounding_hides_the_better_set(method):
    # given two sets of pairs whose order flips once weights are rounded to the unit of 1e-6:
    # A-0 + B-1 = 2.0000008 (rounds to 2.000000), A-1 + B-0 = 2.0000004 (rounds to 2.000001)
    scores = np.array([[1.0000004, 1.0000006], [0.9999998, 1.0000004]])
    # when they are assigned
    pairs, report = assign_with_report(scores, np.ones(2, np.int64), method=method)
    # then it picks the set that looks best rounded, and does not claim it is the optimum
    assert report.weight_unit == pytest.approx(1e-6)
    assert report.objective == pytest.approx(2.0000004, abs=1e-12)
    assert not report.certified_optimal
    assert report.upper_bound >= 2.0000008 - 1e-12


def test_ordinary_pools_stay_certified():
    rng = np.random.default_rng(2)
    scores = np.round(rng.random((200, 80)), 3)
    _, report = assign_with_report(scores, rng.integers(1, 3, 80), rng.random(200) * 0.3)
    assert report.certified_optimal
    assert report.gap_pct < 1e-6


@pytest.mark.parametrize(
    ("scores", "priority", "message"),
    [
        (np.full((3, 2), 1e12), None, "scores must stay within"),
        (np.full((3, 2), 0.5), np.full(3, 1e12), "priority must stay within"),
        (np.full((3, 2), 0.5), np.full(3, -1e12), "priority must stay within"),
    ],
)
def test_out_of_range_weights_are_refused_with_a_clear_error(scores, priority, message):
    with pytest.raises(ValueError, match=message):
        assign_with_report(scores, np.ones(2, np.int64), priority)


def test_out_of_range_priority_weights_are_refused_in_the_settings():
    with pytest.raises(ValueError, match="priority"):
        MatchingParams(priority_waiting_weight=1e12)
