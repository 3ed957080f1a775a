"""Each mentee's count of admissible mentors with a place, for the unmatched reasons."""

import numpy as np
import pytest

from matching.engine import assign_with_report

from .test_assignment import structured_instance


@pytest.mark.parametrize("method", ["exact", "sparse"])
def test_the_report_counts_each_mentees_admissible_mentors_with_a_place(method):
    # given a pool where one mentee has no admissible pair and one mentor has no place
    scores, capacity, priority = structured_instance(3, 300, 90)
    scores[7] = -np.inf
    capacity[0] = 0
    # when it is assigned (small candidate lists: the sparse path keeps few of them)
    _, report = assign_with_report(
        scores, capacity, priority, method=method, k_mentee=3, k_mentor=3, k_reservoir=5
    )
    # then every mentee's count is its admissible mentors who have a place, kept or not
    weights = np.where(np.isfinite(scores), scores + priority[:, None], 0.0)
    expected = ((weights > 0) & (capacity > 0)[None, :]).sum(axis=1)
    assert report.admissible_per_mentee[7] == 0
    assert np.array_equal(report.admissible_per_mentee, expected)
