"""One pass over every pair that keeps the best pairs of both sides and bounds all the others.

The pass (``scan``) reads the score matrix row block by row block (from a dense array, or scored
on the fly by ``PoolScorer``) and keeps, for weights ``w = score + priority``:

* each mentee's ``k_row`` best pairs and a threshold ``t[i]``: every pair of mentee i left out
  weighs at most ``t[i]`` (0 when nothing positive was left out);
* each mentor's ``k_col`` best pairs and a threshold ``s[j]``, the same way.

* each mentee's best weight ``M[i, g]`` in each group g of mentors (``group_size(m)`` mentors,
  at most ``MAX_GROUPS`` groups, of similar age when the source says so, ``mentor_groups``: the
  age-gap rule then rules out whole groups at once).

A pair kept by neither side weighs at most ``min(t[i], M[i, g(j)], s[j])``, so for mentor prices
``p`` the best reduced weight of mentee i outside the kept pairs is at most

    f[i] = max_j (min(t[i], M[i, g(j)], s[j]) - p[j]),

computed per group by sorting its mentors on ``s`` (``Reservoir.outside``). The optimiser uses it
to bound the optimum without another pass, and rescores only the pairs of the mentees whose bound
it cannot close (``kernels.bounded_columns``).

Row ranges go to threads; the compiled scan releases the GIL, and each thread keeps its own
mentor buffers, merged at the end (ties go by a fixed rotated index, ``kernels._better``, so the
kept pairs do not depend on the thread count).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

#: pairs per row chunk handed to the compiled scan (~0.5 MB of float32: stays in cache)
CHUNK_PAIRS = 131_072
#: mentors per group for the per-group row maxima (see ``Reservoir.outside``), at least
GROUP_SIZE = 64
#: at most this many groups: the maxima take n x MAX_GROUPS floats (512 bytes a mentee), not n x m
#: (at 150k x 75k, 64 mentors a group made it 1,172 groups, 700 MB)
MAX_GROUPS = 128


def group_size(m: int) -> int:
    """Mentors per group for a pool of ``m`` mentors: ``GROUP_SIZE``, more past
    ``GROUP_SIZE * MAX_GROUPS`` mentors so there are never more than ``MAX_GROUPS`` groups."""
    return max(GROUP_SIZE, -(-m // MAX_GROUPS))


#: environment variable capping the threads of the compiled passes (e.g. 1 on a worker that
#: shares its machine with other workers); unset, every core this process may use, at most 8
THREADS_VARIABLE = "MATCHING_THREADS"


def thread_count() -> int:
    """Threads the compiled passes split their rows over: the cores this process may use (at
    most 8), or fewer when ``MATCHING_THREADS`` says so."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    wanted = os.environ.get(THREADS_VARIABLE, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        cores = min(cores, int(wanted))
    return max(1, min(cores, 8))


@dataclass
class Reservoir:
    """Kept pairs (raw scores in float64) and the thresholds that bound the pairs left out."""

    row_col: np.ndarray  # (n, k_row) mentor of each kept pair (in no order); -1 past row_count
    row_raw: np.ndarray  # (n, k_row) float64 raw score
    row_count: np.ndarray  # (n,)
    row_threshold: np.ndarray  # (n,) float32 t[i]
    col_row: np.ndarray  # (m, k_col) mentee of each kept pair, ascending; -1 past col_count
    col_raw: np.ndarray  # (m, k_col)
    col_count: np.ndarray  # (m,)
    col_threshold: np.ndarray  # (m,) float32 s[j]
    n_admissible: int  # pairs of positive weight
    w_max: float  # largest float32 weight seen
    group_max: np.ndarray  # (n, groups) float32: each mentee's best weight in each mentor group
    g_ptr: np.ndarray  # mentor groups: members g_members[g_ptr[g]:g_ptr[g + 1]], by threshold
    g_members: np.ndarray
    g_threshold: np.ndarray  # s[j] in g_members order
    row_admissible: np.ndarray  # (n,) each mentee's edges (admissible, w > 0, mentor with room)

    def outside(self, price: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Bound on the best reduced weight of each mentee (of ``rows``) over the pairs not kept:
        max_j (min(t[i], M[i, g(j)], s[j]) - p[j]); -inf with no mentor."""
        from . import kernels

        rows = np.arange(self.row_count.size) if rows is None else rows
        out = np.empty(rows.size)
        kernels.group_bound(
            rows,
            self.row_threshold,
            self.group_max,
            self.g_ptr,
            self.g_members,
            self.g_threshold,
            price,
            out,
        )
        return out

    def pairs(
        self, rows: bool = True, cols: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(mentee, mentor, raw score) of every pair kept by the mentees' side (``rows``) and by
        the mentors' side (``cols``); a pair kept by both sides comes twice."""
        n, m = self.row_count.size, self.col_count.size
        row_ok = np.arange(self.row_col.shape[1])[None, :] < self.row_count[:, None] * rows
        col_ok = np.arange(self.col_row.shape[1])[None, :] < self.col_count[:, None] * cols
        mentee = np.concatenate(
            [np.broadcast_to(np.arange(n)[:, None], row_ok.shape)[row_ok], self.col_row[col_ok]]
        )
        mentor = np.concatenate(
            [self.row_col[row_ok], np.broadcast_to(np.arange(m)[:, None], col_ok.shape)[col_ok]]
        )
        raw = np.concatenate([self.row_raw[row_ok], self.col_raw[col_ok]])
        return mentee.astype(np.int64), mentor.astype(np.int64), raw


class _ColumnBuffers:
    """Each thread's mentor buffers, one slice of arrays shared by all (merged without a copy)."""

    def __init__(self, threads: int, m: int, k_col: int) -> None:
        self.val = np.full((threads, m, 2 * k_col), -np.inf, np.float32)
        self.row = np.full((threads, m, 2 * k_col), -1, np.int64)
        self.raw = np.zeros((threads, m, 2 * k_col))
        self.count = np.zeros((threads, m), np.int64)
        self.floor = np.zeros((threads, m), np.float32)
        self.floor_key = np.zeros((threads, m), np.int64)
        self.dropped = np.zeros((threads, m), bool)


def scan(
    source: Any,
    priority: np.ndarray,
    capacity: np.ndarray,
    k_row: int,
    k_col: int,
    *,
    threads: int | None = None,
) -> Reservoir:
    """One pass over ``source`` (a ``ScoreSource``); see the module docstring."""
    from . import kernels  # compiled on first use only

    n, m = source.shape
    groups = getattr(source, "mentor_groups", None)
    group = np.asarray(groups(), np.int64) if groups is not None else np.arange(m) // group_size(m)
    n_groups = int(group.max(initial=-1)) + 1
    group_max = np.zeros((n, n_groups), np.float32)
    k_row = max(1, min(k_row, m))
    k_col = max(1, min(k_col, n))
    priority32 = priority.astype(np.float32)
    dead = np.where(capacity <= 0, -np.inf, 0.0).astype(np.float32)
    row_col = np.full((n, k_row), -1, np.int64)
    row_raw = np.zeros((n, k_row))
    row_count = np.zeros(n, np.int64)
    row_threshold = np.zeros(n, np.float32)
    row_admissible = np.zeros(n, np.int64)
    chunk = max(1, CHUNK_PAIRS // max(m, 1))
    threads = thread_count() if threads is None else threads
    if not getattr(source, "parallel_blocks", False):
        threads = 1
    threads = max(1, min(threads, -(-n // chunk)))
    bounds = np.linspace(0, n, threads + 1).astype(np.int64)

    columns = _ColumnBuffers(threads, m, k_col)

    def work(part: int) -> np.ndarray:
        stats = np.zeros(2)
        for start in range(int(bounds[part]), int(bounds[part + 1]), chunk):
            stop = min(int(bounds[part + 1]), start + chunk)
            raw = np.ascontiguousarray(source.block(start, stop))
            if raw.shape != (stop - start, m):
                raise ValueError(f"score block has shape {raw.shape}, expected {(stop - start, m)}")
            if raw.dtype.kind != "f":
                raw = raw.astype(np.float64)
            kernels.scan_rows(
                raw,
                start,
                priority32,
                dead,
                k_row,
                row_col,
                row_raw,
                row_count,
                row_threshold,
                row_admissible,
                k_col,
                columns.val[part],
                columns.row[part],
                columns.raw[part],
                columns.count[part],
                columns.floor[part],
                columns.floor_key[part],
                columns.dropped[part],
                group,
                group_max,
                stats,
            )
        kernels.finish_columns(
            k_col,
            columns.val[part],
            columns.row[part],
            columns.raw[part],
            columns.count[part],
            columns.dropped[part],
        )
        return stats

    if n == 0 or m == 0:
        results = []
    elif threads == 1:
        results = [work(0)]
    else:
        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(work, range(threads)))
    col_row = np.full((m, k_col), -1, np.int64)
    col_raw = np.zeros((m, k_col))
    col_count = np.zeros(m, np.int64)
    col_threshold = np.zeros(m, np.float32)
    if results:
        kernels.merge_columns(
            n,
            k_col,
            columns.val,
            columns.row,
            columns.raw,
            columns.count,
            columns.dropped,
            col_row,
            col_raw,
            col_count,
            col_threshold,
        )
    stats = np.sum(results, axis=0) if results else np.zeros(2)
    g_members = np.lexsort((col_threshold, group)).astype(np.int64)
    g_ptr = np.searchsorted(group[g_members], np.arange(n_groups + 1)).astype(np.int64)
    return Reservoir(
        row_col,
        row_raw,
        row_count,
        row_threshold,
        col_row,
        col_raw,
        col_count,
        col_threshold,
        int(stats[0]),
        float(max((s[1] for s in results), default=0.0)),
        group_max,
        g_ptr,
        g_members,
        col_threshold[g_members],
        row_admissible,
    )
