"""A worker warms numba's cache on start, so a fresh process's first large run compiles nothing."""

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]

FIRST_RUN = """
import json, time
from matching.engine import MatchingParams, PoolScorer, assign_with_report, mentee_priority
from matching.engine import synthetic_pools, warmup
mentees, mentors = synthetic_pools(300, 150, seed=5)
params = MatchingParams()
started = time.perf_counter()
scorer = PoolScorer(mentees, mentors, params, fast=True)  # the path of a large pool
assign_with_report(scorer, mentors.capacity, mentee_priority(mentees, params), method="sparse")
print(json.dumps({"seconds": time.perf_counter() - started, "kernels": warmup.cache_stats()}))
"""


def run(code: str, cache_dir: Path) -> str:
    env = {
        **os.environ,
        "NUMBA_CACHE_DIR": str(cache_dir),
        "PYTHONPATH": str(PROJECT_ROOT),
        "MATCHING_WARMUP_ON_WORKER_START": "true",  # as in the Docker image
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=PROJECT_ROOT
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def test_a_fresh_worker_runs_its_first_large_match_without_compiling(tmp_path):
    # given the worker-start hook run once, in its own process, on an empty cache directory
    run("from mentorat.celery import warm_matching_kernels; warm_matching_kernels()", tmp_path)
    # when a fresh process runs its first large-path match
    first = json.loads(run(FIRST_RUN, tmp_path))
    # then every kernel it used came from the cache: nothing was compiled
    kernels = first["kernels"]
    assert sum(k["misses"] for k in kernels.values()) == 0, kernels
    assert kernels["score_rows"]["hits"] >= 1 and kernels["scan_rows"]["hits"] >= 1
    print(f"first run of a warm fresh process: {first['seconds']:.2f} s")
