"""What a run returns: the public ``AssignmentReport`` and the internal ``_Run`` each path fills."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..flow import Candidates


@dataclass(frozen=True)
class AssignmentReport:
    """What a run did and how far from the optimum it can be."""

    method: str  # "exact" or "sparse"
    solver: str  # "ortools" or "scipy"
    n_mentees: int
    n_mentors: int
    total_capacity: int
    n_admissible: int  # pairs with positive weight (scanned in the first pass)
    n_candidates: int  # pairs given to the optimiser in the last round
    rounds: int  # optimiser calls
    n_pairs: int
    objective: float  # sum of score + priority over the chosen pairs
    score_total: float
    priority_total: float
    upper_bound: float  # UB(p) >= optimum for the mentor prices p of the last round
    gap: float  # upper_bound - objective (>= 0 up to float rounding)
    gap_pct: float  # 100 * gap / upper_bound: the chosen set is at least this close to optimal
    # no admissible pair has a positive reduced cost, checked on the unrounded weights
    certified_optimal: bool
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase
    # per optimiser call: (n_candidates, objective, upper_bound)
    history: tuple[tuple[int, float, float], ...] = ()
    mentor_prices: np.ndarray | None = field(default=None, repr=False, compare=False)
    # the flow solver sees weights rounded to multiples of this (1 / integer scale)
    weight_unit: float = 1e-6
    # per mentee: mentors with a free place forming an admissible pair of positive weight with
    # it, over the whole pool (0: nobody admissible; the unmatched reasons start from it)
    admissible_per_mentee: np.ndarray | None = field(default=None, repr=False, compare=False)
    # the optimiser's graph of the last round (a split run hands it to its reconciliation)
    candidates: Candidates | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """Plain-Python view (for a JSON field on the match run)."""
        return {
            "method": self.method,
            "solver": self.solver,
            "n_mentees": self.n_mentees,
            "n_mentors": self.n_mentors,
            "total_capacity": self.total_capacity,
            "n_admissible": self.n_admissible,
            "n_candidates": self.n_candidates,
            "rounds": self.rounds,
            "n_pairs": self.n_pairs,
            "objective": self.objective,
            "score_total": self.score_total,
            "priority_total": self.priority_total,
            "upper_bound": self.upper_bound,
            "gap": self.gap,
            "gap_pct": self.gap_pct,
            "certified_optimal": self.certified_optimal,
            "weight_unit": self.weight_unit,
            "timings": dict(self.timings),
            "history": [list(h) for h in self.history],
        }


@dataclass
class _Run:
    match: np.ndarray
    candidates: Candidates  # given to the optimiser in the last round
    price: np.ndarray
    upper_bound: float
    certified: bool
    n_admissible: int
    history: list[tuple[int, float, float]]
    weight_scale: float
    admissible_per_mentee: np.ndarray  # (n,) edges of each mentee over the whole pool
