"""What a programme's custom criteria (issue 12) cost the compiled scoring loop: the full score
matrix of a demo-like pool by ``kernels.score_rows``, without custom criteria and with 1 and 3 of
them (answers drawn at random, a fifth unanswered). Best of ``--repeat`` runs; the first call
compiles (not timed). Prints figures; never fails because the machine is slow.

    python benchmarks/custom_criteria_bench.py                 # 3000 x 1500
    python benchmarks/custom_criteria_bench.py --size 6000x3000 --repeat 3
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching.bench import demo_pools  # noqa: E402
from matching.engine import MatchingParams, PoolScorer  # noqa: E402


def _coded(mentees, mentors, k: int, size: int = 5):  # noqa: ANN001, ANN202
    rng = np.random.default_rng(k)

    def codes(n: int) -> np.ndarray:
        out = rng.integers(0, size, (n, k))
        out[rng.random((n, k)) < 0.2] = -1
        return out

    return replace(mentees, custom_codes=codes(len(mentees))), replace(mentors, custom_codes=codes(len(mentors)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="3000x1500")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n, m = (int(x) for x in args.size.split("x"))
    mentees, mentors = demo_pools(n, m, 1)
    base = None
    for k in (0, 1, 3):
        a, b = _coded(mentees, mentors, k)
        params = MatchingParams(custom_weights=[0.15] * k, custom_accept=np.broadcast_to(np.eye(5, dtype=bool), (k, 5, 5)))
        scorer = PoolScorer(a, b, params, fast=True)
        scorer.rows(np.arange(min(n, 8)))  # compile / warm up
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            scorer.dense()
            best = min(best, time.perf_counter() - started)
        base = base or best
        print(f"custom criteria {k}: {n} x {m} scored in {best:.3f} s (x{best / base:.2f} of none)")


if __name__ == "__main__":
    main()
