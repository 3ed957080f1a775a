"""Proximity first: people who can meet beat people who can only call, and near beats far."""

import numpy as np
import pytest

from matching.engine import MatchingParams, PoolScorer, match_pool

from .builders import pair_score, pools

# the baseline mentee and mentor of ``builders`` live in Paris; these move the mentor
NEAR = {"lat": 48.99, "lon": 2.36, "commune": 11}  # about 15 km away, another commune
FAR = {"lat": 43.30, "lon": 5.37, "commune": 40}  # Marseille, about 660 km
SAME_DEPARTEMENT_FAR = {"lat": 48.95, "lon": 2.60, "commune": 12}  # about 20 km
REMOTE, BOTH = 1, 2


@pytest.mark.parametrize("fast", [False, True])
def test_a_nearby_in_person_pair_beats_a_distant_remote_pair(fast):
    # given one mentee who can meet in person or remotely, a nearby mentor who meets in person
    # and a mentor across France who only meets remotely, otherwise identical
    mentees, mentors = pools(
        [{"meeting_format": BOTH}],
        [{**NEAR, "meeting_format": 0}, {**FAR, "meeting_format": REMOTE, "commune": 40}],
    )
    scores = PoolScorer(mentees, mentors, MatchingParams(), fast=fast).dense()[0]
    # then the nearby in-person mentor scores higher
    assert scores[0] > scores[1]
    # and the match picks him
    result = match_pool(mentees, mentors, MatchingParams())
    assert result.pairs.tolist() == [[0, 0]]


def test_without_proximity_first_the_distant_remote_pair_wins_as_before():
    mentee = {"meeting_format": BOTH}
    near = pair_score(mentee, {**NEAR, "meeting_format": 0}, proximity_first=False)
    far = pair_score(mentee, {**FAR, "meeting_format": REMOTE}, proximity_first=False)
    assert far > near


@pytest.mark.parametrize("fast", [False, True])
def test_remote_pairs_in_the_same_departement_score_higher_than_across_france(fast):
    # given a remote-only mentee in Paris and three remote-only mentors: one in the same
    # département (20 km), one in Marseille (another département and région) and one as far
    # but, for the test, in the same région
    mentee = {"meeting_format": REMOTE, "departement": 75, "region": 11}
    mentees, mentors = pools(
        [mentee],
        [
            {**SAME_DEPARTEMENT_FAR, "meeting_format": REMOTE, "departement": 75, "region": 11},
            {**FAR, "meeting_format": REMOTE, "departement": 13, "region": 93},
            {**FAR, "meeting_format": REMOTE, "departement": 13, "region": 11, "commune": 41},
        ],
    )
    scores = PoolScorer(mentees, mentors, MatchingParams(), fast=fast).dense()[0]
    # then the same département ranks first, the same région (far away) next, across France last
    assert scores[0] > scores[2] > scores[1]
    assert np.all(np.isfinite(scores))
