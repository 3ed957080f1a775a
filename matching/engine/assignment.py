"""Maximum-weight assignment of mentees to mentors with mentor capacities.

The problem is a bipartite b-matching: choose pairs (mentee i, mentor j) with each mentee at most
once and each mentor at most ``capacity[j]`` times, never a forbidden pair, maximising the sum of
``w[i, j] = score[i, j] + priority[i]``.

Two paths sit behind the same function:

* ``exact``: every admissible pair goes to a min-cost flow solver (OR-Tools, or scipy's
  ``linear_sum_assignment`` on capacity-expanded columns when OR-Tools is missing).
* ``sparse`` (column generation): each mentee's top-k and each mentor's top-k pairs form a
  candidate graph, solved exactly; mentor prices are then read off that solution (the optimal
  dual of the restricted problem) and one pass over all pairs on ``w - price`` adds the pairs
  that could still improve it. At a fixed point no pair has a positive reduced cost, which proves
  global optimality (LP duality; the bipartite LP is integral).

Whatever the path, any mentor prices ``p >= 0`` give the upper bound (the LP dual)

    UB(p) = sum_i max(0, max_j (w[i, j] - p[j])) + sum_j capacity[j] * p[j]  >=  optimum,

so every run reports its objective, this bound and the gap between them.

Zero weights: only pairs with ``w > 0`` are ever returned. Dropping a pair of weight 0 never lowers
the objective, so the result is still a maximum-weight assignment, and it is deterministic across
both paths.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np

Method = Literal["auto", "exact", "sparse"]
Solver = Literal["auto", "ortools", "scipy"]

#: weights are scaled to integers for the flow solver; rounding costs at most 0.5/SCALE per pair.
WEIGHT_SCALE = 1_000_000
#: pairs scanned at once (rows x mentors) so a pass over a huge pool stays within ~32 MB per array.
BLOCK_PAIRS = 4_000_000
#: above this many pairs the pure scipy fallback (dense expanded matrix) refuses to run.
SCIPY_MAX_EXPANDED = 25_000_000


@runtime_checkable
class ScoreSource(Protocol):
    """Anything that can hand out rows of the (n_mentees x n_mentors) score matrix.

    ``block(start, stop)`` returns the scores of mentees ``start:stop`` against every mentor; -inf
    or NaN marks a forbidden pair. A dense numpy array is wrapped automatically; a pool scorer can
    recompute blocks on demand so huge pools never hold the full matrix.
    """

    @property
    def shape(self) -> tuple[int, int]: ...

    def block(self, start: int, stop: int) -> np.ndarray: ...


# A source may also offer ``pair_scores(mentee, mentor) -> scores`` for listed pairs; the mentors'
# candidate picks are then read from it instead of rescanning row blocks.


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
    certified_optimal: bool  # no admissible pair has a positive reduced cost
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase
    # per optimiser call: (n_candidates, objective, upper_bound)
    history: tuple[tuple[int, float, float], ...] = ()
    mentor_prices: np.ndarray | None = field(default=None, repr=False, compare=False)

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
            "timings": dict(self.timings),
            "history": [list(h) for h in self.history],
        }


class _DenseScores:
    def __init__(self, scores: np.ndarray) -> None:
        if scores.ndim != 2:
            raise ValueError(f"scores must be 2-D (mentees x mentors), got shape {scores.shape}")
        self._scores = scores

    @property
    def shape(self) -> tuple[int, int]:
        return self._scores.shape  # type: ignore[return-value]

    def block(self, start: int, stop: int) -> np.ndarray:
        return self._scores[start:stop]

    def pair_scores(self, mentee: np.ndarray, mentor: np.ndarray) -> np.ndarray:
        return self._scores[mentee, mentor]


class _Weights:
    """Row blocks of w = score + priority for the scanning passes.

    Passes run in float32 (half the memory traffic of float64); every non-edge (forbidden -inf or
    NaN, weight <= 0, mentor without capacity) reads as 0 there, which can neither raise the upper
    bound nor look like an improving pair. Weights handed to the optimiser are re-read in float64
    from the raw scores, so the reported objective is exact.
    """

    def __init__(self, source: ScoreSource, capacity: np.ndarray, priority: np.ndarray) -> None:
        self.source = source
        self.n, self.m = source.shape
        self.priority = priority
        self.priority32 = priority.astype(np.float32)
        self.capacity = capacity
        self.dead_mentors = np.flatnonzero(capacity <= 0)
        self.block_rows = max(1, BLOCK_PAIRS // max(self.m, 1))

    def raw(self, start: int, stop: int) -> np.ndarray:
        raw = np.asarray(self.source.block(start, stop))
        if raw.shape != (stop - start, self.m):
            raise ValueError(
                f"score block has shape {raw.shape}, expected {(stop - start, self.m)}"
            )
        return raw

    def pass_block(self, raw: np.ndarray, start: int) -> np.ndarray:
        w = raw.astype(np.float32, copy=True)
        w += self.priority32[start : start + w.shape[0], None]
        np.fmax(w, 0.0, out=w)  # NaN, -inf and negative weights become 0: not edges
        if self.dead_mentors.size:
            w[:, self.dead_mentors] = 0.0
        return w

    def exact(self, raw: np.ndarray, start: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """float64 weights of the pairs (start + rows, cols); -inf where not an edge."""
        return self._weights(raw[rows, cols], start + rows, cols)

    def _weights(self, scores: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        w = np.asarray(scores, dtype=np.float64) + self.priority[rows]
        w[~(w > 0)] = -np.inf
        if self.dead_mentors.size:
            w[np.isin(cols, self.dead_mentors)] = -np.inf
        return w

    def pairs(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """float64 weights of listed pairs, rows sorted ascending."""
        pair_scores = getattr(self.source, "pair_scores", None)
        if pair_scores is not None:
            return self._weights(pair_scores(rows, cols), rows, cols)
        out = np.empty(rows.size)
        for start in range(0, self.n, self.block_rows):
            stop = min(self.n, start + self.block_rows)
            lo, hi = np.searchsorted(rows, [start, stop])
            if lo < hi:
                out[lo:hi] = self.exact(
                    self.raw(start, stop), start, rows[lo:hi] - start, cols[lo:hi]
                )
        return out

    def blocks(self):
        for start in range(0, self.n, self.block_rows):
            stop = min(self.n, start + self.block_rows)
            raw = self.raw(start, stop)
            yield start, raw, self.pass_block(raw, start)


@dataclass
class _Candidates:
    """Candidate edges sorted by (mentee, mentor), unique, all of positive weight."""

    mentee: np.ndarray
    mentor: np.ndarray
    weight: np.ndarray  # float64

    @classmethod
    def empty(cls) -> _Candidates:
        return cls(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float64))

    def __len__(self) -> int:
        return int(self.mentee.size)

    def merged(self, mentee: np.ndarray, mentor: np.ndarray, weight: np.ndarray, m: int):
        ok = weight > 0
        i = np.concatenate([self.mentee, mentee[ok].astype(np.int64)])
        j = np.concatenate([self.mentor, mentor[ok].astype(np.int64)])
        w = np.concatenate([self.weight, weight[ok]])
        _, first = np.unique(i * m + j, return_index=True)  # sorted by (i, j)
        return _Candidates(i[first], j[first], w[first])


@dataclass
class _ScanResult:
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray]
    upper_bound: float
    n_admissible: int


def _top_rows(values: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the k largest values of each row (unordered)."""
    if k >= values.shape[1]:
        return np.broadcast_to(np.arange(values.shape[1]), values.shape)
    return np.argpartition(-values, k - 1, axis=1)[:, :k]


def _scan(
    weights: _Weights,
    price: np.ndarray,
    slack: np.ndarray,
    k_row: int,
    k_col: int,
    tol: float,
    count_admissible: bool = False,
) -> _ScanResult:
    """One pass over every pair on the reduced weight ``w - price[j]``.

    Among pairs whose reduced weight exceeds the mentee's slack by more than ``tol`` (pairs that
    could improve the current solution), keeps each mentee's ``k_row`` best and each mentor's
    ``k_col`` best by ``w - price - slack``. Also returns UB(price), made rigorous against float32
    rounding by a margin per mentee.
    """
    n, m = weights.n, weights.m
    price32 = price.astype(np.float32)
    slack32 = slack.astype(np.float32)
    found_i: list[np.ndarray] = []
    found_j: list[np.ndarray] = []
    found_w: list[np.ndarray] = []
    col_val = np.full((k_col, m), -np.inf, np.float32)
    col_row = np.full((k_col, m), -1, np.int64)
    ub_rows = 0.0
    n_admissible = 0
    w_max = 0.0
    for start, raw, w in weights.blocks():
        rows = w.shape[0]
        if count_admissible:
            n_admissible += int(np.count_nonzero(w))
        w_max = max(w_max, float(w.max(initial=0.0)))
        reduced = w - price32
        row_best = reduced.max(axis=1, initial=0.0)
        ub_rows += float(row_best.sum(dtype=np.float64))
        reduced -= slack32[start : start + rows, None]
        violating = np.flatnonzero(row_best - slack32[start : start + rows] > tol)
        if k_row and violating.size:
            sub = reduced[violating]
            top = _top_rows(sub, k_row)
            ok = np.take_along_axis(sub, top, axis=1) > tol
            local_i = np.broadcast_to(violating[:, None], top.shape)[ok]
            jj = top[ok]
            found_i.append(local_i + start)
            found_j.append(jj)
            found_w.append(weights.exact(raw, start, local_i, jj))
        if k_col and rows:
            cols = np.flatnonzero(reduced.max(axis=0) > tol)
            if cols.size:
                sub = np.ascontiguousarray(reduced[:, cols].T)  # one mentor per row
                top = _top_rows(sub, k_col)
                vals = np.take_along_axis(sub, top, axis=1).T
                all_val = np.vstack([col_val[:, cols], vals])
                all_row = np.vstack([col_row[:, cols], top.T + start])
                keep = np.argpartition(-all_val, k_col - 1, axis=0)[:k_col]
                col_val[:, cols] = np.take_along_axis(all_val, keep, axis=0)
                col_row[:, cols] = np.take_along_axis(all_row, keep, axis=0)
    if k_col:
        ok = col_val > tol
        ii = col_row[ok]
        jj = np.broadcast_to(np.arange(m)[None, :], col_val.shape)[ok]
        if ii.size:
            order = np.argsort(ii, kind="stable")
            ii, jj = ii[order], jj[order]
            found_i.append(ii)
            found_j.append(jj)
            found_w.append(weights.pairs(ii, jj))
    # float32 error of one reduced weight: w and p each rounded once, then one subtraction
    margin = 3.0 * float(np.finfo(np.float32).eps) * (w_max + float(price.max(initial=0.0)))
    ub = ub_rows + n * margin + float((weights.capacity * price).sum())
    cand = (
        np.concatenate(found_i) if found_i else np.empty(0, np.int64),
        np.concatenate(found_j) if found_j else np.empty(0, np.int64),
        np.concatenate(found_w) if found_w else np.empty(0, np.float64),
    )
    return _ScanResult(cand, ub, n_admissible)


def _all_edges(weights: _Weights) -> _Candidates:
    ii, jj, ww = [], [], []
    for start, raw, w in weights.blocks():
        r, c = np.nonzero(w)
        ii.append(r + start)
        jj.append(c)
        ww.append(weights.exact(raw, start, r, c))
    if not ii:
        return _Candidates.empty()
    return _Candidates.empty().merged(
        np.concatenate(ii), np.concatenate(jj), np.concatenate(ww), m=weights.m
    )


def _ortools_available() -> bool:
    try:
        from ortools.graph.python import min_cost_flow  # noqa: F401
    except ImportError:
        return False
    return True


def _solve_ortools(
    n: int, m: int, cand: _Candidates, wint: np.ndarray, capacity: np.ndarray
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


def _solve_scipy(
    n: int, m: int, cand: _Candidates, wint: np.ndarray, capacity: np.ndarray
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


def _mentor_prices(
    n: int, m: int, cand: _Candidates, wint: np.ndarray, match: np.ndarray
) -> tuple[np.ndarray, bool]:
    """Smallest optimal mentor prices (integer weight units) for an optimal restricted matching.

    With mentee slack u_i = w[i, mu(i)] - p[mu(i)] (0 when unmatched), dual feasibility reads
    p[j] >= w[i, j] for unmatched i, and p[j] >= p[mu(i)] + w[i, j] - w[i, mu(i)] otherwise: a
    longest-path problem over mentors, solved by vectorised Bellman-Ford. An optimal matching has
    no positive cycle, and the smallest solution leaves non-full mentors at price 0.
    """
    p = np.zeros(m, np.int64)
    if len(cand) == 0:
        return p, True
    mu = match[cand.mentee]
    matched = mu >= 0
    free = ~matched
    if free.any():
        np.maximum.at(p, cand.mentor[free], wint[free])
    own = matched & (cand.mentor == mu)
    w_own = np.zeros(n, np.int64)
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
    for _ in range(m + 2):
        lo = indptr[frontier]
        count = indptr[frontier + 1] - lo
        total = int(count.sum())
        if total == 0:
            return p, True
        edge = np.repeat(lo - (np.cumsum(count) - count), count) + np.arange(total)
        value = p[src[edge]] + gain[edge]
        target = dst[edge]
        better = value > p[target]
        if not better.any():
            return p, True
        np.maximum.at(p, target[better], value[better])
        frontier = np.unique(target[better])
    return p, False  # a positive cycle: the matching was not optimal (should not happen)


def _as_arrays(
    scores: np.ndarray | ScoreSource, capacity: Any, priority: Any
) -> tuple[ScoreSource, np.ndarray, np.ndarray]:
    source = _source(scores)
    n, m = source.shape
    cap = np.asarray(capacity)
    if cap.shape != (m,):
        raise ValueError(f"capacity must have shape ({m},), got {cap.shape}")
    integral = np.issubdtype(cap.dtype, np.integer) or np.all(np.equal(np.mod(cap, 1), 0))
    if not integral:
        raise ValueError("capacity must hold integers")
    cap = cap.astype(np.int64)
    if priority is None:
        prio = np.zeros(n)
    else:
        prio = np.asarray(priority, dtype=np.float64)
        if prio.shape != (n,):
            raise ValueError(f"priority must have shape ({n},), got {prio.shape}")
        if not np.all(np.isfinite(prio)):
            raise ValueError("priority must be finite")
    return source, np.maximum(cap, 0), prio


def _source(scores: Any) -> ScoreSource:
    if isinstance(scores, ScoreSource):
        return scores
    array = np.asarray(scores)
    if array.dtype.kind not in "f":
        array = array.astype(np.float64)
    return _DenseScores(array)


def assign_with_report(
    scores: np.ndarray | ScoreSource,
    capacity: Any,
    priority: Any = None,
    *,
    method: Method = "auto",
    solver: Solver = "auto",
    k_mentee: int = 40,
    k_mentor: int = 40,
    k_add: int = 10,
    max_rounds: int = 12,
    target_gap: float = 1e-4,
    exact_max_pairs: int = 2_000_000,
) -> tuple[np.ndarray, AssignmentReport]:
    """Choose the pairs and say how good the choice is.

    ``scores``: (n_mentees x n_mentors) array, or a ``ScoreSource``; -inf/NaN forbids a pair.
    ``capacity``: int per mentor. ``priority``: float per mentee, added to each of its pairs.
    ``method``: "exact" optimises over every admissible pair; "sparse" runs candidate pruning plus
    price-driven column generation, stopping when the relative gap is at most ``target_gap`` or
    after ``max_rounds`` optimiser calls; "auto" picks "exact" up to ``exact_max_pairs`` pairs.
    Returns an int array (k, 2) of (mentee, mentor) sorted by mentee, and the report.
    """
    t_start = time.perf_counter()
    timings: dict[str, float] = {}
    source, cap, prio = _as_arrays(scores, capacity, priority)
    n, m = source.shape
    weights = _Weights(source, cap, prio)
    if method == "auto":
        method = "exact" if n * m <= exact_max_pairs else "sparse"
    if method not in ("exact", "sparse"):
        raise ValueError(f"unknown method {method!r}")
    if solver == "auto":
        solver = "ortools" if _ortools_available() else "scipy"
    solve = _solve_ortools if solver == "ortools" else _solve_scipy
    tol = 2.0 / WEIGHT_SCALE

    def tick(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - since
        return now

    t = time.perf_counter()
    if method == "exact":
        cand = _all_edges(weights)
        n_admissible = len(cand)
        t = tick("candidates", t)
    else:
        scan = _scan(weights, np.zeros(m), np.zeros(n), k_mentee, k_mentor, 0.0, True)
        cand = _Candidates.empty().merged(*scan.candidates, m=m)
        n_admissible = scan.n_admissible
        t = tick("candidates", t)

    rounds = 0
    match = np.full(n, -1, np.int64)
    prices = np.zeros(m, np.int64)
    upper_bound = np.inf
    certified = False
    history: list[tuple[int, float, float]] = []
    while True:
        rounds += 1
        wint = np.rint(cand.weight * WEIGHT_SCALE).astype(np.int64)
        match = solve(n, m, cand, wint, cap) if len(cand) else np.full(n, -1, np.int64)
        t = tick("solve", t)
        prices, converged = _mentor_prices(n, m, cand, wint, match)
        price = prices / WEIGHT_SCALE
        slack = _slack(n, cand, wint, match, prices)
        t = tick("prices", t)
        objective = _objective(cand, match)
        if method == "exact":
            upper_bound = _edge_upper_bound(n, cand, price, cap)
            history.append((len(cand), objective, upper_bound))
            certified = converged
            t = tick("bound", t)
            break
        scan = _scan(weights, price, slack, k_add, k_add, tol)
        upper_bound = scan.upper_bound
        history.append((len(cand), objective, upper_bound))
        t = tick("pricing", t)
        new = len(scan.candidates[0])
        certified = converged and new == 0
        gap = upper_bound - objective
        if certified or gap <= target_gap * max(upper_bound, 1e-12) or rounds >= max_rounds:
            break
        before = len(cand)
        cand = cand.merged(*scan.candidates, m=m)
        t = tick("candidates", t)
        if len(cand) == before:
            break

    pairs = np.column_stack([np.flatnonzero(match >= 0), match[match >= 0]]).astype(np.int64)
    pairs = pairs.reshape(-1, 2)
    objective = _objective(cand, match)
    priority_total = float(prio[pairs[:, 0]].sum())
    gap = max(upper_bound - objective, 0.0)
    timings["total"] = time.perf_counter() - t_start
    report = AssignmentReport(
        method=method,
        solver=solver,
        n_mentees=n,
        n_mentors=m,
        total_capacity=int(cap.sum()),
        n_admissible=n_admissible,
        n_candidates=len(cand),
        rounds=rounds,
        n_pairs=int(pairs.shape[0]),
        objective=objective,
        score_total=objective - priority_total,
        priority_total=priority_total,
        upper_bound=float(upper_bound),
        gap=gap,
        gap_pct=100.0 * gap / upper_bound if upper_bound > 0 else 0.0,
        certified_optimal=bool(certified),
        timings=timings,
        history=tuple(history),
        mentor_prices=price if m else np.zeros(0),
    )
    return pairs, report


def _slack(
    n: int, cand: _Candidates, wint: np.ndarray, match: np.ndarray, prices: np.ndarray
) -> np.ndarray:
    slack = np.zeros(n)
    if len(cand):
        own = match[cand.mentee] == cand.mentor
        i = cand.mentee[own]
        slack[i] = (wint[own] - prices[cand.mentor[own]]) / WEIGHT_SCALE
    return slack


def _objective(cand: _Candidates, match: np.ndarray) -> float:
    if not len(cand):
        return 0.0
    own = match[cand.mentee] == cand.mentor
    return float(cand.weight[own].sum())


def _edge_upper_bound(n: int, cand: _Candidates, price: np.ndarray, cap: np.ndarray) -> float:
    best = np.zeros(n)
    if len(cand):
        np.maximum.at(best, cand.mentee, cand.weight - price[cand.mentor])
    return float(best.sum() + (cap * price).sum())


def assign(scores: np.ndarray | ScoreSource, capacity: Any, priority: Any = None) -> np.ndarray:
    """Maximum-weight pairs (mentee, mentor) for weights score + priority; see module docstring."""
    pairs, _ = assign_with_report(scores, capacity, priority)
    return pairs


def top_candidates(
    scores: np.ndarray | ScoreSource, k_mentee: int, k_mentor: int, priority: Any = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each mentee's ``k_mentee`` best and each mentor's ``k_mentor`` best pairs, in one pass.

    Returns (mentee, mentor, weight) sorted by (mentee, mentor); weight = score + priority in
    float64, positive. Only row blocks are held in memory.
    """
    source = _source(scores)
    n, m = source.shape
    _, _, prio = _as_arrays(source, np.ones(m, np.int64), priority)
    weights = _Weights(source, np.ones(m, np.int64), prio)
    scan = _scan(weights, np.zeros(m), np.zeros(n), k_mentee, k_mentor, 0.0)
    cand = _Candidates.empty().merged(*scan.candidates, m=m)
    return cand.mentee, cand.mentor, cand.weight
