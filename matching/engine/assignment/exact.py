"""The ``exact`` path: every admissible pair goes to the min-cost flow solver."""

from __future__ import annotations

import time

import numpy as np

from ..flow import (
    Candidates,
    edge_upper_bound,
    float_prices,
    mentor_prices,
    objective,
    to_units,
    weight_scale,
)
from .report import _Run
from .source import BLOCK_PAIRS, ScoreSource


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


def _exact(source: ScoreSource, cap: np.ndarray, prio: np.ndarray, solve, tick) -> _Run:  # type: ignore[no-untyped-def]
    n, m = source.shape
    t = time.perf_counter()
    cand = _all_edges(_Weights(source, cap, prio))
    t = tick("candidates", t)
    scale = weight_scale(float(cand.weight.max(initial=0.0)))
    wint = to_units(cand.weight, scale)
    match = solve(n, m, cand, wint, cap) if len(cand) else np.full(n, -1, np.int64)
    t = tick("solve", t)
    prices, _ = mentor_prices(n, m, cand, wint, match)
    # optimal for the rounded weights; proven on the true ones only if the repair succeeds
    price, converged = float_prices(n, m, cand, match, cap, prices, scale)
    t = tick("prices", t)
    upper_bound = edge_upper_bound(n, cand, price, cap)
    tick("bound", t)
    history = [(len(cand), objective(cand, match), upper_bound)]
    admissible = np.bincount(cand.mentee, minlength=n).astype(np.int64)
    return _Run(match, cand, price, upper_bound, converged, len(cand), history, scale, admissible)
