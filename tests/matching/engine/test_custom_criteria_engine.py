"""Custom criteria (a programme's sign-up questions, issue 12) in the engine: "same answer" and a
mentee -> mentor mapping as one more weighted term, neutral when unanswered, the same in the numpy
rules and the compiled loop, and without effect at weight 0."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from matching.engine import MatchingParams, PoolScorer, explain_pairs, match_pool, synthetic_pools

from .builders import pools

SAME = np.eye(3, dtype=bool)[None]  # one criterion, 3 answers, "same answer"


def _scores(mentee_codes, mentor_codes, accept=SAME, weight=0.15):  # noqa: ANN001, ANN202
    mentees, mentors = pools([{}], [{} for _ in mentor_codes])
    mentees.custom_codes = np.array([[c] for c in mentee_codes])
    mentors.custom_codes = np.array([[c] for c in mentor_codes])
    params = MatchingParams(custom_weights=[weight], custom_accept=accept)
    scorer = PoolScorer(mentees, mentors, params, fast=False)
    return scorer, scorer.dense()[0]


def test_the_same_answer_beats_an_otherwise_equal_pair():
    # given two mentors alike in everything but their answer, one the mentee's
    scorer, scores = _scores([1], [1, 2])
    # then the one who answered the same scores more, by the criterion's normalised weight
    weight = scorer.params.custom_weights_normalised()[0]
    assert scores[0] > scores[1]
    assert scores[0] - scores[1] == pytest.approx(weight, abs=1e-6)


def test_a_mapping_accepts_the_mentor_answers_the_coordinator_chose():
    # given "mentee answer 0 suits mentor answer 2" only
    accept = np.zeros((1, 3, 3), bool)
    accept[0, 0, 2] = True
    scorer, scores = _scores([0], [2, 0], accept=accept)
    parts = scorer.pair_criteria(np.array([0, 0]), np.array([0, 1]))
    # then the mapped answer matches, the same answer does not
    assert parts["custom_0"].tolist() == [1.0, 0.0]
    assert scores[0] > scores[1]


def test_no_answer_on_either_side_is_neutral():
    scorer, _ = _scores([-1], [1, -1])
    assert scorer.pair_criteria(np.array([0, 0]), np.array([0, 1]))["custom_0"].tolist() == [0.5, 0.5]
    scorer, _ = _scores([1], [-1])
    assert scorer.pair_criteria(np.array([0]), np.array([0]))["custom_0"].tolist() == [0.5]


def test_weights_are_normalised_with_the_built_in_ones():
    params = MatchingParams(custom_weights=[0.25], custom_accept=SAME)
    weights = params.criterion_weights()
    assert sum(weights.values()) + sum(params.custom_weights_normalised()) == pytest.approx(1.0)
    assert params.custom_weights_normalised() == [pytest.approx(0.2)]  # 0.25 of 1.25


def _with_codes(mentees, mentors, k=2, size=4, seed=5):  # noqa: ANN001, ANN202
    rng = np.random.default_rng(seed)
    mentees = replace(mentees, custom_codes=rng.integers(-1, size, (len(mentees), k)))
    mentors = replace(mentors, custom_codes=rng.integers(-1, size, (len(mentors), k)))
    return mentees, mentors


def test_a_weight_of_zero_changes_nothing_to_the_last_digit():
    # given a pool matched without custom criteria, then with one of weight 0 answered at random
    mentees, mentors = synthetic_pools(200, 120, seed=3)
    before = match_pool(mentees, mentors, MatchingParams())
    coded_mentees, coded_mentors = _with_codes(mentees, mentors, k=1)
    after = match_pool(coded_mentees, coded_mentors, MatchingParams(custom_weights=[0.0], custom_accept=np.eye(4, dtype=bool)[None]))
    # then the same pairs, the same scores and the same objective, exactly
    assert np.array_equal(before.pairs, after.pairs)
    assert np.array_equal(before.scores, after.scores)
    assert before.report.objective == after.report.objective


def test_the_compiled_loop_scores_custom_criteria_as_the_numpy_rules():
    # given a random pool with two custom criteria (a "same answer" and a random mapping)
    mentees, mentors = _with_codes(*synthetic_pools(240, 130, seed=7))
    accept = np.stack([np.eye(4, dtype=bool), np.random.default_rng(1).random((4, 4)) < 0.4])
    params = MatchingParams(custom_weights=[0.3, 0.1], custom_accept=accept)
    plain = PoolScorer(mentees, mentors, params, fast=False).dense()
    fast = PoolScorer(mentees, mentors, params, fast=True)
    compiled = fast.dense()
    # then both forbid the same pairs and agree on the others to float32 rounding
    ok = np.isfinite(plain)
    assert np.array_equal(ok, np.isfinite(compiled)) and ok.any()
    np.testing.assert_allclose(compiled[ok], plain[ok], atol=1e-5)
    # and the term is really there: without it the scores differ
    without = PoolScorer(mentees, mentors, replace(params, custom_weights=[0.0, 0.0]), fast=True).dense()
    assert np.abs(without[ok] - compiled[ok]).max() > 0.01
    # and listed pairs get the block's values
    rows, cols = np.nonzero(ok)
    assert np.array_equal(fast.pair_scores(rows, cols), compiled[rows, cols])


def test_pools_and_settings_must_agree_on_the_criteria():
    mentees, mentors = synthetic_pools(5, 5, seed=1)
    with pytest.raises(ValueError, match="custom criteria"):
        PoolScorer(*_with_codes(mentees, mentors, k=1), MatchingParams())
    with pytest.raises(ValueError, match="custom answers"):
        PoolScorer(*_with_codes(mentees, mentors, k=1, size=9), MatchingParams(custom_weights=[0.1], custom_accept=SAME))


def test_the_breakdown_carries_the_answers_and_the_criterion():
    scorer, _ = _scores([1], [1])
    explained = explain_pairs(scorer, [(0, 0)])[0]
    assert explained["facts"]["custom"] == [[1, 1]]
    assert explained["criteria"]["custom_0"] == 1.0
