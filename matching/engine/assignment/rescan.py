"""Exact rescoring for the ``sparse`` path: the pairs of a mentee that the scan's thresholds
cannot rule out are scored again, and the improving ones returned."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .. import reservoir
from .source import BLOCK_PAIRS, ScoreSource


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
    from .. import kernels

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
