"""The exact optimiser behind ``assignment``: min-cost flow on a candidate graph, and the mentor
prices (optimal dual) read off its solution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: weights are scaled to integers for the flow solver: one weight unit (a perfect score) is
#: WEIGHT_SCALE integer units, more when every weight is below 1 (``weight_scale``), so the
#: largest weight always spans at least WEIGHT_SCALE units. Rounding may then hide differences
#: below 1 / scale; the certificate (``float_prices``) is checked on the unrounded weights.
WEIGHT_SCALE = 1_000_000
#: |score| and |priority| above this are refused: OR-Tools multiplies the integer costs by the
#: number of nodes, and 1e3 * 1e6 units * 1e7 nodes stays far below 2**63
MAX_WEIGHT = 1_000.0
#: Bellman-Ford rounds allowed to repair the integer prices on the unrounded weights
REPAIR_ROUNDS = 64
#: above this many pairs the pure scipy fallback (dense expanded matrix) refuses to run.
SCIPY_MAX_EXPANDED = 25_000_000


@dataclass
class Candidates:
    """Candidate edges sorted by (mentee, mentor), unique, all of positive weight."""

    mentee: np.ndarray
    mentor: np.ndarray
    weight: np.ndarray  # float64

    @classmethod
    def empty(cls) -> Candidates:
        return cls(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float64))

    def __len__(self) -> int:
        return int(self.mentee.size)

    def merged(self, mentee: np.ndarray, mentor: np.ndarray, weight: np.ndarray, m: int):
        ok = weight > 0
        i = np.concatenate([self.mentee, mentee[ok].astype(np.int64)])
        j = np.concatenate([self.mentor, mentor[ok].astype(np.int64)])
        w = np.concatenate([self.weight, weight[ok]])
        _, first = np.unique(i * m + j, return_index=True)  # sorted by (i, j)
        return Candidates(i[first], j[first], w[first])


def ortools_available() -> bool:
    try:
        from ortools.graph.python import min_cost_flow  # noqa: F401
    except ImportError:
        return False
    return True


def solve_ortools(
    n: int, m: int, cand: Candidates, wint: np.ndarray, capacity: np.ndarray
) -> np.ndarray:
    from ortools.graph.python import min_cost_flow

    # nodes: 0 source, 1..n mentees, n+1..n+m mentors, n+m+1 sink; a source->sink arc lets
    # mentees stay unassigned at no cost.
    source, sink = 0, n + m + 1
    tails = np.concatenate(
        [np.zeros(n, np.int64), cand.mentee + 1, np.arange(m) + n + 1, [source]]
    ).astype(np.int32)
    heads = np.concatenate(
        [np.arange(n) + 1, cand.mentor + n + 1, np.full(m, sink), [sink]]
    ).astype(np.int32)
    caps = np.concatenate(
        [np.ones(n, np.int64), np.ones(len(cand), np.int64), capacity.astype(np.int64), [n]]
    )
    costs = np.concatenate([np.zeros(n, np.int64), -wint, np.zeros(m, np.int64), [0]]).astype(
        np.int64
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_nodes_supplies(np.array([source, sink], np.int32), np.array([n, -n], np.int64))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow solver failed with status {status}")
    used = flow.flows(np.asarray(arcs)[n : n + len(cand)]) > 0
    match = np.full(n, -1, np.int64)
    match[cand.mentee[used]] = cand.mentor[used]
    return match


def solve_scipy(
    n: int, m: int, cand: Candidates, wint: np.ndarray, capacity: np.ndarray
) -> np.ndarray:
    from scipy.optimize import linear_sum_assignment

    rows = np.unique(cand.mentee)
    cols = np.unique(cand.mentor)
    slots = np.minimum(capacity[cols], rows.size)
    if rows.size * int(slots.sum()) > SCIPY_MAX_EXPANDED:
        raise RuntimeError("instance too large for the scipy fallback: install ortools")
    row_pos = np.searchsorted(rows, cand.mentee)
    col_pos = np.searchsorted(cols, cand.mentor)
    small = np.zeros((rows.size, cols.size))
    small[row_pos, col_pos] = wint  # integer-valued floats: exact below 2**53
    slot_owner = np.repeat(np.arange(cols.size), slots)
    expanded = small[:, slot_owner]
    r, c = linear_sum_assignment(expanded, maximize=True)
    chosen = expanded[r, c] > 0
    match = np.full(n, -1, np.int64)
    match[rows[r[chosen]]] = cols[slot_owner[c[chosen]]]
    return match


def weight_scale(w_max: float) -> float:
    """Integer units per weight unit for weights up to ``w_max`` (see ``WEIGHT_SCALE``)."""
    if not w_max > 0:
        return float(WEIGHT_SCALE)
    return WEIGHT_SCALE / min(1.0, w_max)


def to_units(weight: np.ndarray, scale: float) -> np.ndarray:
    return np.rint(weight * scale).astype(np.int64)


def mentor_prices(
    n: int,
    m: int,
    cand: Candidates,
    wint: np.ndarray,
    match: np.ndarray,
    *,
    start: np.ndarray | None = None,
    tol: float = 0.0,
    max_rounds: int | None = None,
    compiled: bool = False,
) -> tuple[np.ndarray, bool]:
    """Smallest optimal mentor prices (integer weight units) for an optimal restricted matching.

    With mentee slack u_i = w[i, mu(i)] - p[mu(i)] (0 when unmatched), dual feasibility reads
    p[j] >= w[i, j] for unmatched i, and p[j] >= p[mu(i)] + w[i, j] - w[i, mu(i)] otherwise: a
    longest-path problem over mentors, solved by vectorised Bellman-Ford. An optimal matching has
    no positive cycle, and the smallest solution leaves non-full mentors at price 0.

    ``wint`` may also be float64 weights, with ``start`` prices to raise from, a tolerance below
    which a rise is ignored and at most ``max_rounds`` rounds (``float_prices``). ``compiled``:
    the same rounds by ``kernels.relax_prices`` (large pools, where numba is loaded anyway).
    """
    p = np.zeros(m, wint.dtype) if start is None else start.astype(wint.dtype, copy=True)
    if len(cand) == 0:
        return p, True
    mu = match[cand.mentee]
    matched = mu >= 0
    free = ~matched
    if free.any():
        np.maximum.at(p, cand.mentor[free], wint[free])
    own = matched & (cand.mentor == mu)
    w_own = np.zeros(n, wint.dtype)
    w_own[cand.mentee[own]] = wint[own]
    move = matched & ~own
    src = mu[move]
    dst = cand.mentor[move]
    gain = wint[move] - w_own[cand.mentee[move]]
    if src.size == 0:
        return p, True
    # Bellman-Ford by frontier: only mentors whose price rose last round relax their edges
    order = np.argsort(src, kind="stable")
    src, dst, gain = src[order], dst[order], gain[order]
    indptr = np.searchsorted(src, np.arange(m + 1))
    frontier = np.unique(src)
    rounds = m + 2 if max_rounds is None else max_rounds
    if compiled:
        from . import kernels

        converged = kernels.relax_prices(
            p, indptr.astype(np.int64), dst, gain, frontier, p.dtype.type(tol), rounds
        )
        return p, bool(converged)
    for _ in range(rounds):
        lo = indptr[frontier]
        count = indptr[frontier + 1] - lo
        total = int(count.sum())
        if total == 0:
            return p, True
        edge = np.repeat(lo - (np.cumsum(count) - count), count) + np.arange(total)
        value = p[src[edge]] + gain[edge]
        target = dst[edge]
        better = value > p[target] + tol
        if not better.any():
            return p, True
        np.maximum.at(p, target[better], value[better])
        frontier = np.unique(target[better])
    return p, False  # a positive cycle: the matching was not optimal (should not happen)


def float_prices(
    n: int,
    m: int,
    cand: Candidates,
    match: np.ndarray,
    capacity: np.ndarray,
    int_prices: np.ndarray,
    scale: float,
    *,
    compiled: bool = False,
) -> tuple[np.ndarray, bool]:
    """Prices proving ``match`` optimal for the unrounded weights of ``cand``, if it is.

    The integer prices are optimal for the rounded weights only: rounding may hide a better set
    of pairs. Raising them on the float64 weights (Bellman-Ford, ``REPAIR_ROUNDS`` at most) gives
    dual-feasible prices when no improving cycle exists; the match is then optimal on the
    candidates if every mentor with a free place is priced 0 and every matched mentee keeps a
    slack >= 0 (complementary slackness). Returns (prices, proven); without proof the integer
    prices, which still give a valid bound.
    """
    fallback = int_prices / scale
    if len(cand) == 0:
        return fallback, True
    w_max = float(cand.weight.max())
    tol = 1e-9 * w_max
    prices, converged = mentor_prices(
        n,
        m,
        cand,
        cand.weight,
        match,
        start=fallback,
        tol=tol,
        max_rounds=REPAIR_ROUNDS,
        compiled=compiled,
    )
    if not converged:
        return fallback, False
    used = np.bincount(match[match >= 0], minlength=m)
    spare_priced = np.any(prices[used < capacity] > tol)
    own = match[cand.mentee] == cand.mentor
    slack_ok = np.all(cand.weight[own] - prices[cand.mentor[own]] >= -tol)
    if spare_priced or not slack_ok:
        return fallback, False
    return prices, True


def mentee_slack(n: int, cand: Candidates, match: np.ndarray, price: np.ndarray) -> np.ndarray:
    """w[i, mu(i)] - p[mu(i)] for matched mentees, 0 for the others (weights in float64)."""
    slack = np.zeros(n)
    if len(cand):
        own = match[cand.mentee] == cand.mentor
        i = cand.mentee[own]
        slack[i] = cand.weight[own] - price[cand.mentor[own]]
    return slack


def objective(cand: Candidates, match: np.ndarray) -> float:
    if not len(cand):
        return 0.0
    own = match[cand.mentee] == cand.mentor
    return float(cand.weight[own].sum())


def edge_upper_bound(n: int, cand: Candidates, price: np.ndarray, cap: np.ndarray) -> float:
    best = np.zeros(n)
    if len(cand):
        np.maximum.at(best, cand.mentee, cand.weight - price[cand.mentor])
    return float(best.sum() + (cap * price).sum())
