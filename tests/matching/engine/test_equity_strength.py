"""The association's equity strength: off gives no priority at all, strong more than normal."""

from __future__ import annotations

import numpy as np
import pytest

from matching.engine import MatchingParams, match_pool, mentee_priority
from tests.matching.engine.builders import pools

# Two mentees for one mentor. Mentee 0 is the slightly better pair (gap 5 years, the ideal); mentee 1
# (gap 6.5) has waited six months and lives in a QPV as a scholarship holder.
MENTEES = [
    {"age_years": 17.0, "waiting_days": 0.0, "priority_background": 0.0},
    {"age_years": 15.5, "waiting_days": 180.0, "priority_background": 1.0},
]


def winner(strength: float) -> int:
    mentees, mentors = pools(MENTEES, [{}])
    result = match_pool(mentees, mentors, MatchingParams(priority_strength=strength))
    return int(result.pairs[0, 0])


def test_off_gives_the_mentor_to_the_better_pair_and_normal_to_the_one_who_waits():
    assert winner(0.0) == 0
    assert winner(1.0) == 1
    assert winner(2.0) == 1


def test_strength_scales_every_priority():
    mentees, _ = pools(MENTEES, [{}])
    normal = mentee_priority(mentees, MatchingParams())

    assert np.all(mentee_priority(mentees, MatchingParams(priority_strength=0.0)) == 0)
    assert np.allclose(mentee_priority(mentees, MatchingParams(priority_strength=2.0)), 2 * normal)


def test_strength_out_of_bounds_is_refused():
    with pytest.raises(ValueError, match="priority_strength"):
        MatchingParams(priority_strength=10.0)
