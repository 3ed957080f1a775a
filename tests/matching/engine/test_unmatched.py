"""Reasons for the mentees left without a pair: from the same rules as the optimiser."""

from __future__ import annotations

import numpy as np

from matching.engine import MatchingParams, PoolScorer, match_pool, synthetic_pools
from matching.engine.unmatched import unmatched_reasons
from tests.matching.engine.builders import pools

MARSEILLE = (43.2965, 5.3698)


def reasons(mentees, mentors, **params):
    mentee_pool, mentor_pool = pools(mentees, mentors)
    result = match_pool(mentee_pool, mentor_pool, MatchingParams(**params))
    return result, unmatched_reasons(result.scorer, result.pairs)


def test_every_unmatched_mentee_of_a_synthetic_pool_has_a_reason_true_to_the_scorer():
    mentees, mentors = synthetic_pools(600, 150, seed=3)
    result = match_pool(mentees, mentors, MatchingParams())

    found = unmatched_reasons(result.scorer, result.pairs)

    unmatched = sorted(set(range(len(mentees))) - set(result.pairs[:, 0].tolist()))
    assert [r["mentee"] for r in found] == unmatched
    # the admissible mentors counted are exactly those the scorer gives a finite score
    dense = result.scorer.dense()
    for r in found:
        assert r["n_possible"] == int(np.isfinite(dense[r["mentee"]]).sum())
        assert r["kind"] in {"no_admissible", "all_taken"}
        assert (r["kind"] == "no_admissible") == (r["constraint"] is not None)


def test_a_minor_with_only_an_unvetted_mentor_nearby_and_a_vetted_one_far_away():
    result, found = reasons(
        [{"meeting_format": 0}],
        [{"vetting_valid": False}, {"lat": MARSEILLE[0], "lon": MARSEILLE[1], "commune": 99}],
    )

    assert result.pairs.shape[0] == 0
    assert found[0]["kind"] == "no_admissible"
    assert found[0]["constraint"] == "vetting_distance"
    assert found[0]["removed"] == {"vetting": 1, "distance": 1}


def test_no_shared_language_is_named():
    _, found = reasons([{"languages": 0b100}], [{"languages": 0b001}, {"languages": 0b011}])

    assert found[0]["constraint"] == "language"
    assert found[0]["removed"] == {"language": 2}


def test_far_in_person_only_mentee_gets_the_distance_and_the_nearest_mentor():
    _, found = reasons([{"meeting_format": 0, "is_minor": False, "age_years": 19.0}],
                       [{"lat": MARSEILLE[0], "lon": MARSEILLE[1], "commune": 99}])

    assert found[0]["constraint"] == "distance"
    assert 600 < found[0]["nearest_km"] < 700  # Paris - Marseille


def test_mentors_all_taken_by_a_better_pair():
    # two mentees for one mentor: the second one (older, so a gap far from the ideal) loses
    _, found = reasons([{}, {"age_years": 20.5, "is_minor": False}], [{}])

    assert [(r["mentee"], r["kind"], r["n_possible"], r["n_free"]) for r in found] == [(1, "all_taken", 1, 0)]


def test_a_pool_without_mentors_says_so():
    mentees, mentors = pools([{}], [{"capacity": 0}])
    scorer = PoolScorer(mentees, mentors, MatchingParams())

    found = unmatched_reasons(scorer, np.empty((0, 2), np.int64))

    assert found[0]["kind"] == "no_mentor"


def test_excluded_pairs_count_as_a_reason():
    mentees, mentors = pools([{}], [{}])
    params = MatchingParams(forbidden_pairs=[(0, 0)])
    scorer = PoolScorer(mentees, mentors, params)

    found = unmatched_reasons(scorer, np.empty((0, 2), np.int64))

    assert found[0]["constraint"] == "excluded"


def test_the_compiled_path_gives_the_same_reasons_as_the_numpy_rules():
    mentees, mentors = synthetic_pools(300, 80, seed=5)
    result = match_pool(mentees, mentors, MatchingParams(forbidden_pairs=[(0, 1), (3, 2)]))
    fast = PoolScorer(mentees, mentors, result.scorer.params, fast=True)

    assert unmatched_reasons(fast, result.pairs, block_pairs=4000) == unmatched_reasons(result.scorer, result.pairs)
