"""Tiny pools for engine tests: one mentee and one mentor who can be paired, then one change."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.engine import MatchingParams, MenteePool, MentorPool, PoolScorer

PARIS = (48.8566, 2.3522)

MENTEE: dict[str, Any] = {
    "age_years": 17.0,
    "education_stage": 1,
    "field": 3,
    "qpv": True,
    "boursier": True,
    "first_generation": True,
    "pcs": 6,
    "lat": PARIS[0],
    "lon": PARIS[1],
    "commune": 10,
    "availability": 0b000011,
    "meeting_format": 2,
    "languages": 0b01,
    "gender": 1,
    "prefers_same_gender": False,
    "texts": "Je voudrais entrer à Sciences Po après le lycée",
    "goals": 0b0000011,
    "is_minor": True,
    "waiting_days": 30.0,
    "priority_background": 1.0,
}
MENTOR: dict[str, Any] = {
    "age_years": 22.0,
    "education_stage": 3,
    "field": 3,
    "qpv": True,
    "boursier": True,
    "first_generation": True,
    "pcs": 6,
    "lat": PARIS[0],
    "lon": PARIS[1],
    "commune": 10,
    "availability": 0b000011,
    "meeting_format": 2,
    "languages": 0b01,
    "gender": 1,
    "prefers_same_gender": False,
    "texts": "Étudiante à Sciences Po, venue d'un lycée de quartier",
    "help_with": 0b0000011,
    "capacity": 1,
    "vetting_valid": True,
    "is_minor": False,
}


def pools(
    mentees: list[dict[str, Any]] | None = None, mentors: list[dict[str, Any]] | None = None
) -> tuple[MenteePool, MentorPool]:
    """Pools from overrides of the baseline people (one of each by default)."""
    mentee_rows = [{**MENTEE, **o} for o in (mentees or [{}])]
    mentor_rows = [{**MENTOR, **o} for o in (mentors or [{}])]

    def columns(rows: list[dict[str, Any]]) -> dict[str, Any]:
        cols: dict[str, Any] = {k: np.array([r[k] for r in rows]) for k in rows[0] if k != "texts"}
        cols["texts"] = [r["texts"] for r in rows]
        return cols

    return MenteePool(**columns(mentee_rows)), MentorPool(**columns(mentor_rows))


def scorer(
    mentee: dict[str, Any] | None = None,
    mentor: dict[str, Any] | None = None,
    **params: Any,
) -> PoolScorer:
    mentees, mentors = pools([mentee or {}], [mentor or {}])
    return PoolScorer(mentees, mentors, MatchingParams(**params))


def pair_score(
    mentee: dict[str, Any] | None = None, mentor: dict[str, Any] | None = None, **params: Any
) -> float:
    return float(scorer(mentee, mentor, **params).block(0, 1)[0, 0])


def criteria(
    mentee: dict[str, Any] | None = None, mentor: dict[str, Any] | None = None, **params: Any
) -> dict[str, float]:
    parts = scorer(mentee, mentor, **params).pair_criteria(np.array([0]), np.array([0]))
    return {k: float(v[0]) for k, v in parts.items()}
