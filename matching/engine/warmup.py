"""Compile every kernel signature into numba's on-disk cache, so no match run waits for it.

    python -m matching.engine.warmup          # prints one JSON line: seconds, cache dir, kernels

A fresh process with an empty cache used to pay ~24 s of compilation on its first large pool.
The image runs this at build time and the Celery worker on start (``worker_ready``, see
``mentorat/celery.py``): then a worker's first run only loads compiled code from the cache.

The cache lives in ``NUMBA_CACHE_DIR`` (the Docker image sets it to a directory the worker user
owns; the code directory itself is root-owned there). Numba keys cached code by source file,
signature and CPU: a worker on another CPU model than the build machine recompiles once, here,
at start. Pure: no Django.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

import numpy as np


def dispatchers() -> dict[str, Any]:
    """Every compiled entry point of ``kernels`` by name (inlined helpers excluded)."""
    from numba.core.registry import CPUDispatcher

    from . import kernels

    return {
        name: obj
        for name, obj in vars(kernels).items()
        if isinstance(obj, CPUDispatcher) and obj.targetoptions.get("inline") != "always"
    }


def cache_stats() -> dict[str, dict[str, int]]:
    """Per kernel: signatures loaded from the cache (hits) and compiled here (misses)."""
    out = {}
    for name, dispatcher in dispatchers().items():
        stats = dispatcher.stats
        out[name] = {
            "hits": int(sum(stats.cache_hits.values())),
            "misses": int(sum(stats.cache_misses.values())),
        }
    return out


def run_large_path(n_mentees: int = 240, n_mentors: int = 130) -> None:
    """A tiny pool through every path a large one takes: compiled scoring (full rows and listed
    pairs), the candidate scan on float32 rows (pool scorer) and float64 / float32 matrices,
    the sparse optimiser's bounds, price rounds and rescoring."""
    from .assignment import assign_with_report, top_candidates
    from .pools import MatchingParams, mentee_priority
    from .scoring import PoolScorer
    from .synthetic import synthetic_pools

    mentees, mentors = synthetic_pools(n_mentees, n_mentors, seed=0)
    params = MatchingParams(forbidden_pairs=[(0, 0)])
    scorer = PoolScorer(mentees, mentors, params, fast=True)
    priority = mentee_priority(mentees, params)
    # small candidate lists force the price rounds and the rescoring
    options: dict[str, Any] = {"k_mentee": 2, "k_mentor": 2, "k_reservoir": 4, "target_gap": 0.0}
    assign_with_report(scorer, mentors.capacity, priority, method="sparse", **options)
    scorer.pair_scores(np.arange(n_mentees), np.arange(n_mentees) % n_mentors)
    dense = scorer.dense()
    for matrix in (dense, dense.astype(np.float64)):
        assign_with_report(matrix, mentors.capacity, priority, method="sparse", **options)
    top_candidates(dense, 3, 3, priority)
    # the price rounds on integer units and on float weights, whatever the pool above needed
    from . import kernels

    edges = np.array([0, 1, 1], np.int64)
    for price in (np.zeros(2, np.int64), np.zeros(2)):
        gain = np.ones(1, price.dtype)
        kernels.relax_prices(price, edges, edges[:1], gain, edges[:1], price.dtype.type(0), 2)


def main() -> None:
    started = time.perf_counter()
    run_large_path()
    stats = cache_stats()
    print(
        json.dumps(
            {
                "warmup_s": round(time.perf_counter() - started, 3),
                "cache_dir": os.environ.get("NUMBA_CACHE_DIR", "(next to the code)"),
                "compiled": sum(s["misses"] for s in stats.values()),
                "loaded_from_cache": sum(s["hits"] for s in stats.values()),
                "kernels": stats,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
