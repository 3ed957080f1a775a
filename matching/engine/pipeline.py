"""One call from pools to pairs: score, prioritise, assign."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from .assignment import AssignmentReport, assign_with_report
from .pools import MatchingParams, MenteePool, MentorPool, mentee_priority
from .scoring import PoolScorer
from .sizes import LARGE_POOL_PAIRS
from .text import TextVectors


@dataclass(frozen=True)
class MatchResult:
    pairs: np.ndarray  # (k, 2) int: (mentee index, mentor index), sorted by mentee
    scores: np.ndarray  # (k,) combined score in [0, 1] of each pair
    priority: np.ndarray  # (k,) priority of each pair's mentee
    report: AssignmentReport
    scoring_seconds: float
    scorer: PoolScorer  # for explain_pairs(result.scorer, result.pairs)


def match_pool(
    mentees: MenteePool,
    mentors: MentorPool,
    params: MatchingParams | None = None,
    *,
    dense_max_pairs: int = LARGE_POOL_PAIRS,
    text: TextVectors | None = None,
    **assign_options: Any,
) -> MatchResult:
    """Score the pool, add each mentee's priority and choose the pairs.

    ``assign_options`` go to ``assign_with_report`` (method, k_mentee, target_gap, ...).
    ``text``: text vectors fitted on a larger pool (see ``PoolScorer``).
    """
    params = params or MatchingParams()
    started = time.perf_counter()
    scorer = PoolScorer(mentees, mentors, params, text=text)
    n, m = scorer.shape
    source: Any = scorer.dense() if n * m <= dense_max_pairs else scorer
    scoring_seconds = time.perf_counter() - started
    priority = mentee_priority(mentees, params)
    pairs, report = assign_with_report(source, mentors.capacity, priority, **assign_options)
    if isinstance(source, np.ndarray):
        scores = source[pairs[:, 0], pairs[:, 1]].astype(np.float64)
    else:
        scores = scorer.pair_criteria(pairs[:, 0], pairs[:, 1])["score"].astype(np.float64)
    return MatchResult(
        pairs=pairs,
        scores=scores,
        priority=priority[pairs[:, 0]],
        report=report,
        scoring_seconds=scoring_seconds,
        scorer=scorer,
    )
