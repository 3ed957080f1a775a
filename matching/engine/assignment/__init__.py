"""Maximum-weight assignment of mentees to mentors with mentor capacities.

The problem is a bipartite b-matching: choose pairs (mentee i, mentor j) with each mentee at most
once and each mentor at most ``capacity[j]`` times, never a forbidden pair, maximising the sum of
``w[i, j] = score[i, j] + priority[i]``.

Two paths sit behind the same function:

* ``exact``: every admissible pair goes to a min-cost flow solver (OR-Tools, or scipy's
  ``linear_sum_assignment`` on capacity-expanded columns when OR-Tools is missing).
* ``sparse`` (column generation): one compiled pass over all pairs (``reservoir.scan``) keeps each
  mentee's and each mentor's ``k_reservoir`` best pairs, plus thresholds bounding every pair it
  left out. The optimiser starts from the ``k_mentee``/``k_mentor`` best of them; mentor prices
  read off each solution (the optimal dual of the restricted problem) pick, among the kept pairs,
  those that could still improve it, until the bound below is within ``target_gap``. The pairs of
  a mentee that the thresholds cannot rule out are rescored exactly (only those pairs, the worst
  mentees first, at most ``RESCAN_SHARE`` of all pairs a round) and the improving ones join. At a
  fixed point no pair has a positive reduced cost, which proves global optimality (LP duality;
  the bipartite LP is integral).

Whatever the path, any mentor prices ``p >= 0`` give the upper bound (the LP dual)

    UB(p) = sum_i max(0, max_j (w[i, j] - p[j])) + sum_j capacity[j] * p[j]  >=  optimum,

so every run reports its objective, this bound and the gap between them. The sparse path bounds
``max_j`` of a mentee by its kept pairs, by ``Reservoir.outside`` for the others, or exactly over
the pairs rescored.

Zero weights: only pairs with ``w > 0`` are ever returned. Dropping a pair of weight 0 never lowers
the objective, so the result is still a maximum-weight assignment, and it is deterministic across
both paths.
"""

# The package splits the former ``assignment.py``: ``source`` (score sources and input checks),
# ``report`` (what a run returns), ``exact`` and ``sparse`` (the two paths), ``rescan`` (exact
# rescoring for the sparse path) and ``api`` (the entry points).

# Besides the public names in ``__all__``, everything the single module defined or imported stays
# importable from here (the kernel tests import ``_DenseScores``); none of that is public API.
from .. import reservoir  # noqa: F401
from ..flow import (  # noqa: F401
    SCIPY_MAX_EXPANDED,
    WEIGHT_SCALE,
    Candidates,
    edge_upper_bound,
    mentee_slack,
    mentor_prices,
    objective,
    ortools_available,
    solve_ortools,
    solve_scipy,
)
from .api import Method, Solver, assign, assign_with_report, top_candidates  # noqa: F401
from .exact import _all_edges, _exact, _Weights  # noqa: F401
from .report import AssignmentReport, _Run  # noqa: F401
from .rescan import _pair_scores, _Rescan, _rescan, _score_lists  # noqa: F401
from .source import BLOCK_PAIRS, ScoreSource, _as_arrays, _DenseScores, _source  # noqa: F401
from .sparse import (  # noqa: F401
    _F32_MARGIN,
    FIRST_ROUND_PAIRS,
    RESCAN_MIN_PAIRS,
    RESCAN_SHARE,
    _best_in_rows,
    _close,
    _Known,
    _sparse,
    _to_rescan,
    _top_per_group,
)

__all__ = [
    "SCIPY_MAX_EXPANDED",
    "WEIGHT_SCALE",
    "AssignmentReport",
    "ScoreSource",
    "assign",
    "assign_with_report",
    "top_candidates",
]
