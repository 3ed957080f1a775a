"""Pure numerical core of the matching: arrays in, pairs out.

Never imports Django (nor the ORM): the Celery task loads the pool into the dataclasses of
``pools``, calls ``match_pool`` (or ``score_pool`` + ``assign_with_report``), and writes proposals
with ``explain_pairs`` for their breakdown.
"""

from .assignment import (
    AssignmentReport,
    ScoreSource,
    assign,
    assign_with_report,
    top_candidates,
)
from .explain import explain_pairs
from .pipeline import MatchResult, match_pool
from .pools import (
    CRITERIA,
    EDUCATION_STAGES,
    GOALS,
    SLOTS,
    MatchingParams,
    MenteePool,
    MentorPool,
    mentee_priority,
)
from .scoring import CONSTRAINTS, PoolScorer, score_candidates, score_pool
from .synthetic import synthetic_pools
from .text import fold

__all__ = [
    "CONSTRAINTS",
    "CRITERIA",
    "EDUCATION_STAGES",
    "GOALS",
    "SLOTS",
    "AssignmentReport",
    "MatchResult",
    "MatchingParams",
    "MenteePool",
    "MentorPool",
    "PoolScorer",
    "ScoreSource",
    "assign",
    "assign_with_report",
    "explain_pairs",
    "fold",
    "match_pool",
    "mentee_priority",
    "score_candidates",
    "score_pool",
    "synthetic_pools",
    "top_candidates",
]
