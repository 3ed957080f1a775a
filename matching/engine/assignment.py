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

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np

from . import reservoir
from .flow import (
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

__all__ = [
    "SCIPY_MAX_EXPANDED",
    "WEIGHT_SCALE",
    "AssignmentReport",
    "ScoreSource",
    "assign",
    "assign_with_report",
    "top_candidates",
]

Method = Literal["auto", "exact", "sparse"]
Solver = Literal["auto", "ortools", "scipy"]

#: pairs scanned at once (rows x mentors) so a pass over a huge pool stays within ~32 MB per array.
BLOCK_PAIRS = 4_000_000
#: the first round starts from at most about this many pairs (k_mentee/k_mentor scaled down)
FIRST_ROUND_PAIRS = 1_500_000
#: pairs a round may rescore when the source scores them on demand (``PoolScorer``): this share
#: of all pairs, or at least RESCAN_MIN_PAIRS (a dense matrix is reread without limit)
RESCAN_SHARE = 0.05
RESCAN_MIN_PAIRS = 4_000_000
#: float32 rounding of one weight (w and p each rounded once, then one subtraction), per unit
_F32_MARGIN = 3.0 * float(np.finfo(np.float32).eps)


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
    parallel_blocks = True  # read-only slices: safe from several threads

    def __init__(self, scores: np.ndarray) -> None:
        if scores.ndim != 2:
            raise ValueError(f"scores must be 2-D (mentees x mentors), got shape {scores.shape}")
        self._scores = scores

    @property
    def shape(self) -> tuple[int, int]:
        return self._scores.shape  # type: ignore[return-value]

    def block(self, start: int, stop: int) -> np.ndarray:
        return self._scores[start:stop]

    def rows(self, index: np.ndarray) -> np.ndarray:
        return self._scores[index]

    def pair_scores(self, mentee: np.ndarray, mentor: np.ndarray) -> np.ndarray:
        return self._scores[mentee, mentor]


class _Weights:
    """Row blocks of w = score + priority for the exact path's pass over every pair.

    Every non-edge (forbidden -inf or NaN, weight <= 0, mentor without capacity) reads as 0 in the
    float32 pass; weights handed to the optimiser are re-read in float64 from the raw scores, so
    the reported objective is exact.
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
        w = np.asarray(raw[rows, cols], dtype=np.float64) + self.priority[start + rows]
        w[~(w > 0)] = -np.inf
        if self.dead_mentors.size:
            w[np.isin(cols, self.dead_mentors)] = -np.inf
        return w

    def blocks(self):
        for start in range(0, self.n, self.block_rows):
            stop = min(self.n, start + self.block_rows)
            raw = self.raw(start, stop)
            yield start, raw, self.pass_block(raw, start)


def _all_edges(weights: _Weights) -> Candidates:
    ii, jj, ww = [], [], []
    for start, raw, w in weights.blocks():
        r, c = np.nonzero(w)
        ii.append(r + start)
        jj.append(c)
        ww.append(weights.exact(raw, start, r, c))
    if not ii:
        return Candidates.empty()
    return Candidates.empty().merged(
        np.concatenate(ii), np.concatenate(jj), np.concatenate(ww), m=weights.m
    )


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


def _top_per_group(group: np.ndarray, value: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest values within each group (ties: first listed)."""
    if k <= 0 or group.size == 0:
        return np.empty(0, np.int64)
    order = np.lexsort((-value, group))
    sorted_group = group[order]
    first = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    rank = np.arange(group.size) - np.repeat(first, np.diff(np.r_[first, group.size]))
    return order[rank < k]


def _best_in_rows(weight: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, position) of the ``k`` largest finite entries of each row of ``weight``."""
    k = min(k, weight.shape[1])
    if k <= 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    if k < weight.shape[1]:
        top = np.argpartition(-weight, k - 1, axis=1)[:, :k]
    else:
        top = np.broadcast_to(np.arange(k), (weight.shape[0], k))
    rows = np.broadcast_to(np.arange(weight.shape[0])[:, None], top.shape)
    ok = np.isfinite(np.take_along_axis(weight, top, axis=1))
    return rows[ok], top[ok]


def _pair_scores(source: ScoreSource, mentee: np.ndarray, mentor: np.ndarray) -> np.ndarray:
    """Raw scores of listed pairs (in threads, by slices, when the source allows it)."""
    pair_scores = getattr(source, "pair_scores", None)
    if pair_scores is not None:
        threads = reservoir.thread_count() if getattr(source, "parallel_blocks", False) else 1
        if threads == 1 or mentee.size < 100_000:
            return np.asarray(pair_scores(mentee, mentor))
        bounds = np.linspace(0, mentee.size, threads + 1).astype(int)
        with ThreadPoolExecutor(threads) as pool:
            parts = pool.map(
                lambda k: np.asarray(
                    pair_scores(
                        mentee[bounds[k] : bounds[k + 1]], mentor[bounds[k] : bounds[k + 1]]
                    )
                ),
                range(threads),
            )
            return np.concatenate(list(parts))
    # a plain source: blocks of at most 64 rows around the listed mentees (ascending)
    out = np.empty(mentee.size)
    first = 0
    while first < mentee.size:
        start = int(mentee[first])
        last = int(np.searchsorted(mentee, start + 64))
        block = np.asarray(source.block(start, int(mentee[last - 1]) + 1))
        out[first:last] = block[mentee[first:last] - start, mentor[first:last]]
        first = last
    return out


def _score_lists(
    source: ScoreSource, rows: np.ndarray, ptr: np.ndarray, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Raw scores of each row's listed mentors. A row listing over a quarter of the mentors is
    scored whole instead (a full row costs a few times less per pair than scattered ones)."""
    m = source.shape[1]
    counts = np.diff(ptr)
    heavy = counts * 4 > m
    if not heavy.any() or getattr(source, "rows", None) is None:
        return ptr, cols, _pair_scores(source, np.repeat(rows, counts), cols)
    light = ~heavy
    light_cols = np.concatenate(
        [cols[ptr[r] : ptr[r + 1]] for r in np.flatnonzero(light)] or [cols[:0]]
    )
    light_raw = _pair_scores(source, np.repeat(rows[light], counts[light]), light_cols)
    heavy_raw = np.asarray(source.rows(rows[heavy]))  # type: ignore[attr-defined]
    sizes = np.where(heavy, m, counts)
    new_ptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    new_cols = np.empty(int(new_ptr[-1]), np.int64)
    new_raw = np.empty(int(new_ptr[-1]), heavy_raw.dtype)
    at_light = at_heavy = 0
    for r in range(rows.size):
        lo, hi = new_ptr[r], new_ptr[r + 1]
        if heavy[r]:
            new_cols[lo:hi] = np.arange(m)
            new_raw[lo:hi] = heavy_raw[at_heavy]
            at_heavy += 1
        else:
            new_cols[lo:hi] = light_cols[at_light : at_light + hi - lo]
            new_raw[lo:hi] = light_raw[at_light : at_light + hi - lo]
            at_light += hi - lo
    return new_ptr, new_cols, new_raw


@dataclass
class _Rescan:
    best: np.ndarray  # exact max_j (w - p) of each rescanned mentee (float32 rounding), >= 0
    mentee: np.ndarray  # improving pairs found
    mentor: np.ndarray
    weight: np.ndarray  # float64


def _rescan(
    source: ScoreSource,
    index: np.ndarray,
    kept: reservoir.Reservoir,
    level: np.ndarray,
    priority: np.ndarray,
    dead: np.ndarray,
    price: np.ndarray,
    slack: np.ndarray,
    margin: float,
    k_add: int,
    tol: float,
    budget: int,
) -> _Rescan:
    """Rescore mentees ``index`` (in that order, until about ``budget`` pairs are scored) exactly
    against the mentors whose bound exceeds ``level`` (their best known reduced weight; see
    ``kernels.bounded_columns``). Returns the best reduced weight over those pairs of each mentee
    rescored (a prefix of ``index``) and their best improving pairs."""
    from . import kernels

    m = source.shape[1]
    best = np.zeros(index.size)
    found: list[tuple[np.ndarray, ...]] = []
    price32 = price.astype(np.float32)
    priority32 = priority.astype(np.float32)
    slack32 = slack.astype(np.float32)
    step = max(1, BLOCK_PAIRS // max(m, 1))
    scored = 0
    done = index.size
    for lo in range(0, index.size, step):
        if scored >= budget:
            done = lo
            break
        chunk = index[lo : lo + step]
        order = np.argsort(chunk, kind="stable")  # mentees ascending: rows of a scorer in order
        rows = chunk[order]
        ptr, cols = kernels.bounded_columns(
            rows,
            kept.row_threshold,
            kept.group_max,
            kept.g_ptr,
            kept.g_members,
            kept.g_threshold,
            price,
            level,
            margin,
        )
        if cols.size == 0:
            continue
        ptr, cols, raw = _score_lists(source, rows, ptr, cols)
        scored += cols.size
        mentee = np.repeat(rows, np.diff(ptr))
        top = np.empty(rows.size, np.float32)
        chosen = np.empty((rows.size, max(k_add, 1)), np.int64)
        kernels.reduce_lists(
            rows, ptr, cols, raw, priority32, dead, price32, slack32, tol, k_add, top, chosen
        )
        best[lo + order] = top
        q = chosen[chosen >= 0]
        found.append((mentee[q], cols[q], raw[q].astype(np.float64) + priority[mentee[q]]))
    best = best[:done]
    if not found:
        empty = np.empty(0, np.int64)
        return _Rescan(best, empty, empty, np.empty(0))
    return _Rescan(best, *(np.concatenate([f[k] for f in found]) for k in range(3)))  # type: ignore[arg-type]


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
    target_gap: float = 5e-4,
    exact_max_pairs: int = 2_000_000,
    k_reservoir: int = 200,
) -> tuple[np.ndarray, AssignmentReport]:
    """Choose the pairs and say how good the choice is.

    ``scores``: (n_mentees x n_mentors) array, or a ``ScoreSource``; -inf/NaN forbids a pair.
    ``capacity``: int per mentor. ``priority``: float per mentee, added to each of its pairs.
    ``method``: "exact" optimises over every admissible pair; "sparse" keeps each side's
    ``k_reservoir`` best pairs in one pass, starts the optimiser on each side's ``k_mentee`` /
    ``k_mentor`` best (fewer on huge pools, see ``FIRST_ROUND_PAIRS``) and adds up to ``k_add``
    improving pairs per mentee and per mentor a round,
    stopping when the relative gap is at most ``target_gap`` or after ``max_rounds`` optimiser
    calls; "auto" picks "exact" up to ``exact_max_pairs`` pairs.
    Returns an int array (k, 2) of (mentee, mentor) sorted by mentee, and the report.
    """
    t_start = time.perf_counter()
    timings: dict[str, float] = {}
    source, cap, prio = _as_arrays(scores, capacity, priority)
    n, m = source.shape
    if method == "auto":
        method = "exact" if n * m <= exact_max_pairs else "sparse"
    if method not in ("exact", "sparse"):
        raise ValueError(f"unknown method {method!r}")
    if solver == "auto":
        solver = "ortools" if ortools_available() else "scipy"
    solve = solve_ortools if solver == "ortools" else solve_scipy

    def tick(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - since
        return now

    if method == "exact":
        run = _exact(source, cap, prio, solve, tick)
    else:
        run = _sparse(
            source,
            cap,
            prio,
            solve,
            tick,
            k_mentee=k_mentee,
            k_mentor=k_mentor,
            k_add=k_add,
            k_reservoir=k_reservoir,
            max_rounds=max_rounds,
            target_gap=target_gap,
        )
    match = run.match
    pairs = np.column_stack([np.flatnonzero(match >= 0), match[match >= 0]]).astype(np.int64)
    pairs = pairs.reshape(-1, 2)
    total = objective(run.candidates, match)
    priority_total = float(prio[pairs[:, 0]].sum())
    gap = max(run.upper_bound - total, 0.0)
    timings["total"] = time.perf_counter() - t_start
    report = AssignmentReport(
        method=method,
        solver=solver,
        n_mentees=n,
        n_mentors=m,
        total_capacity=int(cap.sum()),
        n_admissible=run.n_admissible,
        n_candidates=len(run.candidates),
        rounds=len(run.history),
        n_pairs=int(pairs.shape[0]),
        objective=total,
        score_total=total - priority_total,
        priority_total=priority_total,
        upper_bound=float(run.upper_bound),
        gap=gap,
        gap_pct=100.0 * gap / run.upper_bound if run.upper_bound > 0 else 0.0,
        certified_optimal=bool(run.certified),
        timings=timings,
        history=tuple(run.history),
        mentor_prices=run.price if m else np.zeros(0),
    )
    return pairs, report


@dataclass
class _Run:
    match: np.ndarray
    candidates: Candidates  # given to the optimiser in the last round
    price: np.ndarray
    upper_bound: float
    certified: bool
    n_admissible: int
    history: list[tuple[int, float, float]]


def _exact(source: ScoreSource, cap: np.ndarray, prio: np.ndarray, solve, tick) -> _Run:  # type: ignore[no-untyped-def]
    n, m = source.shape
    t = time.perf_counter()
    cand = _all_edges(_Weights(source, cap, prio))
    t = tick("candidates", t)
    wint = np.rint(cand.weight * WEIGHT_SCALE).astype(np.int64)
    match = solve(n, m, cand, wint, cap) if len(cand) else np.full(n, -1, np.int64)
    t = tick("solve", t)
    prices, converged = mentor_prices(n, m, cand, wint, match)
    price = prices / WEIGHT_SCALE
    t = tick("prices", t)
    upper_bound = edge_upper_bound(n, cand, price, cap)
    tick("bound", t)
    history = [(len(cand), objective(cand, match), upper_bound)]
    return _Run(match, cand, price, upper_bound, converged, len(cand), history)


@dataclass
class _Known:
    """Every pair found so far: the scan's kept pairs (per mentee, per mentor) and rescored ones.
    Pairs may repeat across the parts; padding weighs -inf."""

    row_mentor: np.ndarray  # (n, k) mentors kept for each mentee
    row_weight: np.ndarray  # (n, k) float64
    col_mentee: np.ndarray  # (m, k) mentees kept for each mentor
    col_weight: np.ndarray
    extra: tuple[np.ndarray, np.ndarray, np.ndarray]  # (mentee, mentor, weight) rescored

    @classmethod
    def from_scan(cls, kept: reservoir.Reservoir, prio: np.ndarray) -> _Known:
        row_ok = np.arange(kept.row_col.shape[1])[None, :] < kept.row_count[:, None]
        row_weight = np.where(row_ok, kept.row_raw + prio[:, None], -np.inf)
        col_ok = np.arange(kept.col_row.shape[1])[None, :] < kept.col_count[:, None]
        col_weight = np.where(col_ok, kept.col_raw + prio[np.maximum(kept.col_row, 0)], -np.inf)
        row_weight[~(row_weight > 0)] = -np.inf
        col_weight[~(col_weight > 0)] = -np.inf
        empty = np.empty(0, np.int64)
        return cls(
            np.maximum(kept.row_col, 0),
            row_weight,
            np.maximum(kept.col_row, 0),
            col_weight,
            (empty, empty, np.empty(0)),
        )

    def first(self, k_mentee: int, k_mentor: int, m: int) -> Candidates:
        """Each mentee's ``k_mentee`` and each mentor's ``k_mentor`` best kept pairs."""
        r, rj = _best_in_rows(self.row_weight, k_mentee)
        c, ci = _best_in_rows(self.col_weight, k_mentor)
        i = np.concatenate([r, self.col_mentee[c, ci]])
        j = np.concatenate([self.row_mentor[r, rj], c])
        weight = np.concatenate([self.row_weight[r, rj], self.col_weight[c, ci]])
        return Candidates.empty().merged(i, j, weight, m)

    def improving(
        self, price: np.ndarray, slack: np.ndarray, tol: float
    ) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
        """Best reduced weight of each mentee over the known pairs (at least 0), and the known
        pairs whose reduced weight beats the mentee's slack: (mentee, mentor, weight, gain)."""
        row_reduced = self.row_weight - price[self.row_mentor]
        best = np.maximum(row_reduced.max(axis=1, initial=0.0), 0.0)
        # a mentor's kept pair may be missing from its mentee's list: the thresholds do not cover
        # it, so it counts here
        col_reduced = self.col_weight - price[:, None]
        np.maximum.at(best, self.col_mentee.ravel(), col_reduced.ravel())
        ei, ej, ew = self.extra
        if ei.size:
            np.maximum.at(best, ei, ew - price[ej])
        found = []
        gain = row_reduced - slack[:, None]
        r, c = np.nonzero(gain > tol)
        found.append((r, self.row_mentor[r, c], self.row_weight[r, c], gain[r, c]))
        gain = col_reduced - slack[self.col_mentee]
        r, c = np.nonzero(gain > tol)
        found.append((self.col_mentee[r, c], r, self.col_weight[r, c], gain[r, c]))
        if ei.size:
            gain = ew - price[ej] - slack[ei]
            ok = gain > tol
            found.append((ei[ok], ej[ok], ew[ok], gain[ok]))
        return best, tuple(np.concatenate([f[k] for f in found]) for k in range(4))

    def add(self, mentee: np.ndarray, mentor: np.ndarray, weight: np.ndarray) -> None:
        ei, ej, ew = self.extra
        self.extra = (np.r_[ei, mentee], np.r_[ej, mentor], np.r_[ew, weight])


def _sparse(  # type: ignore[no-untyped-def]
    source: ScoreSource,
    cap: np.ndarray,
    prio: np.ndarray,
    solve,
    tick,
    *,
    k_mentee: int,
    k_mentor: int,
    k_add: int,
    k_reservoir: int,
    max_rounds: int,
    target_gap: float,
) -> _Run:
    n, m = source.shape
    if n == 0 or m == 0:
        return _Run(
            np.full(n, -1, np.int64), Candidates.empty(), np.zeros(m), 0.0, True, 0, [(0, 0.0, 0.0)]
        )
    tol = 2.0 / WEIGHT_SCALE
    dead = np.where(cap <= 0, -np.inf, 0.0).astype(np.float32)  # added to weights
    # a source that scores on demand pays for each rescored pair, a matrix only reads it
    scored = hasattr(source, "mentor_groups")
    budget = max(RESCAN_MIN_PAIRS, int(n * m * RESCAN_SHARE)) if scored else n * m
    t = time.perf_counter()
    kept = reservoir.scan(source, prio, cap, max(k_reservoir, k_mentee), max(k_reservoir, k_mentor))
    t = tick("scan", t)
    known = _Known.from_scan(kept, prio)
    # the first round's graph stays near FIRST_ROUND_PAIRS arcs (solve time grows with it)
    shrink = min(1.0, FIRST_ROUND_PAIRS / max((n * k_mentee + m * k_mentor), 1))
    cand = known.first(max(1, int(k_mentee * shrink)), max(1, int(k_mentor * shrink)), m)
    t = tick("candidates", t)

    history: list[tuple[int, float, float]] = []
    match = np.full(n, -1, np.int64)
    price = np.zeros(m)
    upper_bound = np.inf
    certified = False
    while True:
        wint = np.rint(cand.weight * WEIGHT_SCALE).astype(np.int64)
        match = solve(n, m, cand, wint, cap) if len(cand) else np.full(n, -1, np.int64)
        t = tick("solve", t)
        prices, converged = mentor_prices(n, m, cand, wint, match)
        price = prices / WEIGHT_SCALE
        slack = mentee_slack(n, cand, wint, match, prices)
        total = objective(cand, match)
        t = tick("prices", t)

        # bound each mentee by its known pairs, and the others by the scan's thresholds (float32
        # values: plus a rounding margin)
        best, (gi, gj, gw, gain) = known.improving(price, slack, tol)
        margin = _F32_MARGIN * (kept.w_max + float(price.max(initial=0.0)))
        outside = kept.outside(price) + margin
        priced = float((cap * price).sum())
        row_bound = np.maximum(best, outside)
        upper_bound = float(row_bound.sum()) + priced
        unsure = np.flatnonzero(outside > np.maximum(best, slack) + tol)
        t = tick("bound", t)
        rescan = _to_rescan(unsure, outside, best, _close(total, upper_bound, target_gap))
        if rescan.size:
            # rescore them against the mentors whose bound is above their best known pair
            found = _rescan(
                source, rescan, kept, best, prio, dead, price, slack, margin, k_add, tol, budget
            )
            rescan = rescan[: found.best.size]  # the budget may stop it early
            row_bound[rescan] = np.maximum(best[rescan], found.best + margin)
            upper_bound = float(row_bound.sum()) + priced
            cleared = rescan[found.best + margin <= slack[rescan] + tol]
            unsure = np.setdiff1d(unsure, cleared, assume_unique=True)
            if found.mentee.size:
                known.add(found.mentee, found.mentor, found.weight)
                gain_new = found.weight - price[found.mentor] - slack[found.mentee]
                gi, gj = np.r_[gi, found.mentee], np.r_[gj, found.mentor]
                gw, gain = np.r_[gw, found.weight], np.r_[gain, gain_new]
            t = tick("rescore", t)
        history.append((len(cand), total, upper_bound))
        certified = converged and gi.size == 0 and unsure.size == 0
        if certified or _close(total, upper_bound, target_gap) or len(history) >= max_rounds:
            break
        # add each mentee's and each mentor's best improving pairs
        pick = np.union1d(_top_per_group(gi, gain, k_add), _top_per_group(gj, gain, k_add))
        before = len(cand)
        cand = cand.merged(gi[pick], gj[pick], gw[pick], m)
        t = tick("candidates", t)
        if len(cand) == before:
            break
    return _Run(match, cand, price, upper_bound, certified, kept.n_admissible, history)


def _to_rescan(
    unsure: np.ndarray, outside: np.ndarray, best: np.ndarray, close: bool
) -> np.ndarray:
    """The mentees to rescore, those whose bound is furthest above their best known pair first;
    none once the gap is within target."""
    if close or unsure.size == 0:
        return unsure[:0]
    return unsure[np.argsort(best[unsure] - outside[unsure], kind="stable")]


def _close(total: float, upper_bound: float, target_gap: float) -> bool:
    return upper_bound - total <= target_gap * max(upper_bound, 1e-12)


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
    kept = reservoir.scan(source, prio, np.ones(m, np.int64), k_mentee, k_mentor)
    i, j, raw = kept.pairs(rows=k_mentee > 0, cols=k_mentor > 0)
    cand = Candidates.empty().merged(i, j, raw + prio[i], m)
    return cand.mentee, cand.mentor, cand.weight
