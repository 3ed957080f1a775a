import numpy as np
import pytest

from matching.engine import CRITERIA, MatchingParams, PoolScorer, synthetic_pools

from .builders import criteria, pair_score


@pytest.mark.parametrize(
    "criterion, worse, better",
    [
        # generational: age gap near the ideal (5 years), one or two stages ahead, same field
        ("generational", ({}, {"age_years": 28.0}), ({}, {"age_years": 22.0})),
        ("generational", ({}, {"education_stage": 1}), ({}, {"education_stage": 3})),
        ("generational", ({}, {"field": 7}), ({}, {"field": 3})),
        # social: shared QPV / boursier / first generation, same or adjacent PCS
        ("social", ({}, {"boursier": False}), ({}, {})),
        ("social", ({}, {"qpv": False}), ({}, {})),
        ("social", ({}, {"first_generation": False}), ({}, {})),
        ("social", ({}, {"pcs": 2}), ({}, {"pcs": 5})),
        ("social", ({}, {"pcs": 5}), ({}, {"pcs": 6})),
        # goals: mentor helps with the mentee's goals; their texts talk about the same thing
        ("goals", ({}, {"help_with": 0b1100000}), ({}, {"help_with": 0b0000001})),
        ("goals", ({}, {"help_with": 0b0000001}), ({}, {"help_with": 0b0000011})),
        ("goals", ({}, {"texts": "Mécanicien auto, garage"}), ({}, {})),
        # geography: nearer is better, same commune is best
        (
            "geography",
            ({}, {"lat": 48.8566, "lon": 2.60, "commune": 11}),
            ({}, {"lat": 48.8566, "lon": 2.40, "commune": 12}),
        ),
        ("geography", ({}, {"commune": 12, "lon": 2.36}), ({}, {"lon": 2.36})),
        # availability: shared slots
        ("availability", ({}, {"availability": 0b110000}), ({}, {"availability": 0b000001})),
        ("availability", ({}, {"availability": 0b000101}), ({}, {"availability": 0b000011})),
    ],
)
def test_each_criterion_moves_the_score_the_right_way(criterion, worse, better):
    worse_parts, better_parts = criteria(*worse), criteria(*better)
    assert better_parts[criterion] > worse_parts[criterion]
    assert pair_score(*better) > pair_score(*worse)


def test_same_commune_scores_one_and_remote_pairs_are_neutral_without_proximity_first():
    assert criteria()["geography"] == 1.0
    marseille = {"lat": 43.3, "lon": 5.37, "commune": 40}
    remote = criteria({"meeting_format": 1}, marseille, proximity_first=False)
    assert remote["geography"] == 0.5


def test_criterion_weights_are_normalised_and_respected():
    params = MatchingParams(
        weight_generational=0,
        weight_social=0,
        weight_goals=0,
        weight_geography=0,
        weight_availability=2,
    )
    assert params.criterion_weights()["availability"] == 1.0
    assert pair_score({}, {"availability": 0b000011}, **vars_of(params)) == pytest.approx(1.0)
    assert pair_score({}, {"availability": 0b110000}, **vars_of(params)) == pytest.approx(0.0)


def vars_of(params: MatchingParams) -> dict:
    return {k: v for k, v in vars(params).items() if k.startswith("weight_")}


def test_block_scores_match_pair_breakdown_on_a_synthetic_pool():
    # given a pool scored in blocks and the same pairs explained one by one
    mentees, mentors = synthetic_pools(120, 70, seed=5)
    scorer = PoolScorer(mentees, mentors, block_pairs=500)
    dense = scorer.dense()
    rows, cols = np.meshgrid(np.arange(120), np.arange(70), indexing="ij")
    parts = scorer.pair_criteria(rows.ravel(), cols.ravel())
    # then admissibility and scores agree, and every criterion stays in [0, 1]
    ok = parts["admissible"].reshape(dense.shape)
    assert np.array_equal(np.isfinite(dense), ok)
    assert 0.05 < ok.mean() < 0.95
    np.testing.assert_allclose(dense[ok], parts["score"].reshape(dense.shape)[ok], atol=1e-5)
    for name in CRITERIA:
        assert np.all((parts[name] >= 0) & (parts[name] <= 1)), name
