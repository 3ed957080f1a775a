import numpy as np
import pytest

from matching.engine import CONSTRAINTS

from .builders import pair_score, scorer


def broken_constraints(mentee=None, mentor=None, **params) -> list[str]:
    found = scorer(mentee, mentor, **params).pair_violations(np.array([0]), np.array([0]))
    return [name for name, broken in found.items() if broken[0]]


def test_baseline_pair_is_admissible():
    assert np.isfinite(pair_score())
    assert broken_constraints() == []


@pytest.mark.parametrize(
    "constraint, mentee, mentor, params",
    [
        ("mentor_not_older", {"age_years": 22.0}, {"age_years": 21.0}, {}),
        ("mentor_not_older", {"age_years": 22.0}, {"age_years": 22.0}, {"min_age_gap": 0}),
        ("age_gap", {"age_years": 17.0}, {"age_years": 17.5}, {}),
        ("age_gap", {"age_years": 15.0}, {"age_years": 28.0}, {}),
        ("age_gap", {"age_years": 17.0}, {"age_years": 22.0}, {"max_age_gap": 4}),
        ("vetting", {}, {"vetting_valid": False}, {}),
        ("minor_mentor", {"age_years": 12.0}, {"age_years": 16.0, "is_minor": True}, {}),
        ("language", {"languages": 0b10}, {"languages": 0b01}, {}),
        ("format", {"meeting_format": 0}, {"meeting_format": 1}, {}),
        ("format", {"meeting_format": 1}, {"meeting_format": 0}, {}),
        ("distance", {"meeting_format": 0}, {"lat": 45.76, "lon": 4.84, "commune": 11}, {}),
        ("distance", {}, {"meeting_format": 0, "lat": 48.8566, "lon": 2.9}, {}),  # ~40 km
        ("distance", {"meeting_format": 0, "lat": np.nan, "lon": np.nan}, {}, {}),
        ("gender", {"prefers_same_gender": True}, {"gender": 2}, {}),
        ("gender", {}, {"gender": 2, "prefers_same_gender": True}, {}),
        ("gender", {"prefers_same_gender": True}, {"gender": 0}, {}),
        ("excluded", {}, {}, {"forbidden_pairs": [(0, 0)]}),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_each_hard_constraint_forbids_the_pair(constraint, mentee, mentor, params):
    assert pair_score(mentee, mentor, **params) == -np.inf
    assert broken_constraints(mentee, mentor, **params) == [constraint]


def test_every_constraint_has_a_case():
    assert set(CONSTRAINTS) == {
        "mentor_not_older",
        "age_gap",
        "vetting",
        "minor_mentor",
        "language",
        "format",
        "distance",
        "gender",
        "excluded",
    }


@pytest.mark.parametrize(
    "mentee, mentor, params",
    [
        ({"is_minor": False, "age_years": 19.0}, {"vetting_valid": False}, {}),  # adult mentee
        (
            {"age_years": 12.0},
            {"age_years": 16.0, "is_minor": True},
            {"allow_minor_mentors_for_minors": True},
        ),
        ({"languages": 0}, {"languages": 0b100}, {}),  # language not said: no constraint
        ({"meeting_format": 1, "lat": np.nan, "lon": np.nan}, {"meeting_format": 2}, {}),
        (
            {"meeting_format": 2},
            {"lat": 45.76, "lon": 4.84, "commune": 11},
            {},
        ),  # can meet remotely
        ({"prefers_same_gender": True, "gender": 0}, {"gender": 2}, {}),  # own gender unsaid
    ],
)
def test_close_calls_stay_admissible(mentee, mentor, params):
    assert np.isfinite(pair_score(mentee, mentor, **params))
