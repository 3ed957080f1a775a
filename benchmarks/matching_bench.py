"""Figures for the matching core on synthetic pools: scoring, candidates, solve, gap, memory.

The headline benchmark (demo-like pools, one JSON line per size, pct of the exact optimum) is
``python -m matching.bench``; this script adds baselines (greedy, top-k only, scipy) on the
older synthetic pools.

    python benchmarks/matching_bench.py                      # 1k x 600 and 10k x 5k
    python benchmarks/matching_bench.py --sizes 2000x1000 --baselines --rescore

Each size runs in its own process so its peak memory (ru_maxrss) is its own. Prints figures; never
fails because the machine is slow.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching.engine import (  # noqa: E402
    MatchingParams,
    PoolScorer,
    assign_with_report,
    mentee_priority,
    synthetic_pools,
)


def greedy_objective(scores: np.ndarray, capacity: np.ndarray, priority: np.ndarray) -> float:
    """Best pair first until nobody is free: the usual quick heuristic, for comparison."""
    weights = np.where(np.isfinite(scores), scores + priority[:, None], -np.inf)
    rows, cols = np.nonzero(weights > 0)
    values = weights[rows, cols]
    order = np.argsort(-values, kind="stable")
    left = capacity.copy()
    taken = np.zeros(scores.shape[0], bool)
    total = 0.0
    for i, j, v in zip(
        rows[order].tolist(), cols[order].tolist(), values[order].tolist(), strict=True
    ):
        if not taken[i] and left[j] > 0:
            taken[i] = True
            left[j] -= 1
            total += v
    return total


def one_size(n: int, m: int, seed: int, baselines: bool, rescore: bool) -> dict:
    out: dict = {"size": f"{n}x{m}"}
    import sklearn.feature_extraction.text  # noqa: F401  (import time is not scoring time)

    mentees, mentors = synthetic_pools(n, m, seed=seed)
    params = MatchingParams()
    out["rss_before_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    scorer = PoolScorer(mentees, mentors, params)
    out["text_fit_s"] = time.perf_counter() - started
    scores = scorer.dense()
    out["scoring_s"] = time.perf_counter() - started
    out["admissible_share"] = float(np.isfinite(scores).mean())
    priority = mentee_priority(mentees, params)
    pairs, report = assign_with_report(scores, mentors.capacity, priority)
    out["assign"] = report.as_dict()
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if rescore:  # no dense matrix: blocks are rescored at every pass
        del scores
        _, rescored = assign_with_report(scorer, mentors.capacity, priority, method="sparse")
        out["rescored"] = rescored.as_dict()
        # Python-side allocations of a second rescored run (tracemalloc slows it: not timed)
        tracemalloc.start()
        assign_with_report(scorer, mentors.capacity, priority, method="sparse", max_rounds=1)
        out["rescored_tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    if baselines:
        scores = scorer.dense()
        best = report.upper_bound
        started = time.perf_counter()
        out["greedy_pct_of_bound"] = (
            100 * greedy_objective(scores, mentors.capacity, priority) / best
        )
        out["greedy_s"] = time.perf_counter() - started
        _, mentee_only = assign_with_report(
            scores,
            mentors.capacity,
            priority,
            method="sparse",
            k_mentee=50,
            k_mentor=0,
            max_rounds=1,
        )
        out["mentee_top50_pct_of_bound"] = 100 * mentee_only.objective / best
        _, both = assign_with_report(
            scores,
            mentors.capacity,
            priority,
            method="sparse",
            k_mentee=50,
            k_mentor=50,
            max_rounds=1,
        )
        out["both_top50_pct_of_bound"] = 100 * both.objective / best
        out["both_top50_solve_s"] = both.timings["solve"]
        if n * int(mentors.capacity.sum()) <= 4_000_000:
            from scipy.optimize import linear_sum_assignment

            started = time.perf_counter()
            weights = np.where(np.isfinite(scores), scores + priority[:, None], 0.0)
            slots = weights[:, np.repeat(np.arange(m), mentors.capacity)]
            r, c = linear_sum_assignment(slots, maximize=True)
            out["scipy_lsa_objective"] = float(slots[r, c].sum())
            out["scipy_lsa_s"] = time.perf_counter() - started
    return out


def print_figures(res: dict) -> None:
    a = res["assign"]
    t = a["timings"]
    print(f"\n== {res['size']} (mentees x mentors), capacity total {a['total_capacity']}")
    print(
        f"scoring            {res['scoring_s']:8.2f} s  (text fit {res['text_fit_s']:.2f} s), "
        f"admissible pairs {res['admissible_share']:.1%}"
    )
    print(
        f"method             {a['method']} / {a['solver']}, rounds {a['rounds']}, "
        f"candidates {a['n_candidates']:,} of {a['n_admissible']:,} admissible"
    )
    print("assign timings     " + ", ".join(f"{k} {v:.2f} s" for k, v in t.items()))
    print(
        f"pairs              {a['n_pairs']:,} (score {a['score_total']:.2f} + priority "
        f"{a['priority_total']:.2f})"
    )
    print(f"objective          {a['objective']:.4f}")
    print(f"upper bound        {a['upper_bound']:.4f}")
    print(
        f"gap                {a['gap']:.4f} ({a['gap_pct']:.5f} %), certified optimal: "
        f"{a['certified_optimal']}"
    )
    print(
        "rounds (candidates, objective, bound): "
        + "; ".join(f"{c:,} {o:.2f} {u:.2f}" for c, o, u in a["history"])
    )
    print(
        f"peak memory        process RSS {res['peak_rss_mb']:.0f} MB after scoring and "
        f"assignment ({res['rss_before_mb']:.0f} MB after imports and pool generation)"
    )
    if "rescored" in res:
        r = res["rescored"]
        print(
            f"rescored (no dense matrix): total {r['timings']['total']:.2f} s incl. scoring, "
            f"gap {r['gap_pct']:.5f} %, rounds {r['rounds']}, "
            f"tracemalloc peak of one pass {res['rescored_tracemalloc_peak_mb']:.0f} MB"
        )
    if "greedy_pct_of_bound" in res:
        print(
            f"baselines (% of upper bound): greedy {res['greedy_pct_of_bound']:.2f} % "
            f"({res['greedy_s']:.1f} s), mentee top-50 + flow "
            f"{res['mentee_top50_pct_of_bound']:.2f} %, both top-50 + flow "
            f"{res['both_top50_pct_of_bound']:.2f} % (solve {res['both_top50_solve_s']:.2f} s)"
        )
    if "scipy_lsa_objective" in res:
        print(
            f"scipy dense linear_sum_assignment: objective {res['scipy_lsa_objective']:.4f} "
            f"in {res['scipy_lsa_s']:.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000x600,10000x5000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baselines", action="store_true", help="greedy, top-k only, scipy")
    parser.add_argument("--rescore", action="store_true", help="also run without a dense matrix")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        n, m = map(int, args.one.split("x"))
        print(json.dumps(one_size(n, m, args.seed, args.baselines, args.rescore)))
        return
    for size in args.sizes.split(","):
        cmd = [sys.executable, __file__, "--one", size, "--seed", str(args.seed)]
        cmd += ["--baselines"] if args.baselines else []
        cmd += ["--rescore"] if args.rescore else []
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        print_figures(json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
