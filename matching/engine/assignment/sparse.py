"""The ``sparse`` path (column generation): start from each side's best kept pairs, add the
pairs the mentor prices say could improve the solution, until the bound is within target."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .. import reservoir
from ..flow import (
    Candidates,
    float_prices,
    mentee_slack,
    mentor_prices,
    objective,
    to_units,
    weight_scale,
)
from .report import _Run
from .rescan import _rescan
from .source import ScoreSource

#: the first round starts from at most about this many pairs (k_mentee/k_mentor scaled down)
FIRST_ROUND_PAIRS = 1_500_000
#: pairs a round may rescore when the source scores them on demand (``PoolScorer``): this share
#: of all pairs, or at least RESCAN_MIN_PAIRS (a dense matrix is reread without limit)
RESCAN_SHARE = 0.05
RESCAN_MIN_PAIRS = 4_000_000
#: float32 rounding of one weight (w and p each rounded once, then one subtraction), per unit
_F32_MARGIN = 3.0 * float(np.finfo(np.float32).eps)


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
        empty = np.full(n, -1, np.int64)
        none = np.zeros(n, np.int64)
        return _Run(
            empty, Candidates.empty(), np.zeros(m), 0.0, True, 0, [(0, 0.0, 0.0)], 1.0, none
        )
    dead = np.where(cap <= 0, -np.inf, 0.0).astype(np.float32)  # added to weights
    # a source that scores on demand pays for each rescored pair, a matrix only reads it
    scored = hasattr(source, "mentor_groups")
    budget = max(RESCAN_MIN_PAIRS, int(n * m * RESCAN_SHARE)) if scored else n * m
    t = time.perf_counter()
    kept = reservoir.scan(source, prio, cap, max(k_reservoir, k_mentee), max(k_reservoir, k_mentor))
    t = tick("scan", t)
    known = _Known.from_scan(kept, prio)
    scale = weight_scale(kept.w_max)
    tol = 2.0 / scale
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
        wint = to_units(cand.weight, scale)
        match = solve(n, m, cand, wint, cap) if len(cand) else np.full(n, -1, np.int64)
        t = tick("solve", t)
        prices, _ = mentor_prices(n, m, cand, wint, match, compiled=True)
        price, converged = float_prices(n, m, cand, match, cap, prices, scale, compiled=True)
        slack = mentee_slack(n, cand, match, price)
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
    return _Run(
        match,
        cand,
        price,
        upper_bound,
        certified,
        kept.n_admissible,
        history,
        scale,
        kept.row_admissible,
    )


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
