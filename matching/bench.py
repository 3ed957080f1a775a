"""Benchmark of the matching engine on demo-like pools: one JSON line per size.

    python -m matching.bench                                  # 1000x500, 10000x5000, 50000x25000
    python -m matching.bench --sizes 2000x1000 --exact        # also the exact optimum
    python -m matching.bench --no-scipy                       # skip scipy's dense exact timing
    python -m matching.bench --dense-assign                   # ``assign`` alone on a dense matrix
    python -m matching.bench --workers 2 --sizes 150000x75000 --unsplit   # split run on 2 workers

Pools follow the distributions of ``manage.py demo_data`` (ages, education by age, QPV 55 %,
boursier 60 % / 30 %, parents' PCS, goals, slots, languages, formats, capacities 1/2/3 weighted
6/3/1, 75 % of mentors vetted), with communes sampled around the four demo départements' main
cities (93, 13, 69, 59) instead of read from the database: this module is pure (no Django).

The first line gives the machine's load average (figures are only comparable within one run).
Each size runs in its own subprocess, so ``peak_rss_mb`` (ru_maxrss) is that size's own. Keys:
scoring_s (text vectors and codes), candidates_s (the pass that scores every pair and keeps the
candidates), solve_s (the optimiser rounds, prices, bounds and rescoring), total_s (end to end,
``match_pool``), objective, upper_bound, gap_pct (certified: the optimum is at most upper_bound),
certified_optimal, n_pairs, cpu_s (CPU seconds of ``match_pool``, all threads) and, up to
10000 x 5000 or with ``--exact``, pct_of_exact: objective / optimum x 100, the optimum from scipy's
``linear_sum_assignment`` on capacity-expanded dense columns (or, past 100 M expanded entries,
from the exact min-cost flow over every admissible pair). With scipy: scipy_dense_s, the seconds
scipy's dense exact assignment takes on the same instance (weights given), and
scipy_over_engine = scipy_dense_s / total_s (the issue's target: >= 20).
Figures only: nothing here fails because the machine is slow.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from typing import Any

import numpy as np

from participants.demo_texts import ASPIRATIONS, PATHS  # plain Python: no Django settings needed

DEFAULT_SIZES = "1000x500,10000x5000,50000x25000"
#: pct_of_exact (and scipy's time) is computed by default up to this many mentees x mentors
EXACT_DEFAULT_MAX_PAIRS = 50_000_000
#: above this many expanded entries (8 bytes each) the exact optimum comes from the min-cost flow
LSA_MAX_ENTRIES = 100_000_000

# (département, main city, lat, lon, population of its communes of 8,000+ inhabitants, millions,
# région code)
DEPARTEMENTS = (
    ("93", "Saint-Denis", 48.9362, 2.3574, 1.6, 11),
    ("13", "Marseille", 43.2965, 5.3698, 1.8, 93),
    ("69", "Lyon", 45.7640, 4.8357, 1.6, 84),
    ("59", "Lille", 50.6292, 3.0573, 2.1, 32),
)
# demo_data's EDUCATION_BY_AGE as engine stages (participants.choices.EDUCATION_STAGE)
STAGES_BY_AGE = ((14, (0,)), (17, (1, 1, 1)), (20, (2, 2, 2)), (22, (3, 2, 4)), (25, (4, 3, 4)))
STAGES_OLDER = (4, 4, 5)
MENTEE_AGE_WEIGHTS = (3, 4, 5, 6, 7, 8, 8, 7, 6, 5, 4, 3, 3, 2, 2, 1)  # ages 11..26
PCS_WEIGHTS = (1, 6, 6, 10, 24, 22, 4, 12, 15)  # PCS "1".."8", then "0" (unknown)
# languages other than French, as bits of participants.choices.LANGUAGE_ORDER
OTHER_LANGUAGES = (2, 1, 3, 4, 5, 8, 6)  # ar, en, es, pt, tr, wo, zh


def _sample_mask(rng: np.random.Generator, n: int, bits: int, low: int, high: int) -> np.ndarray:
    """Bitmask of ``low..high`` distinct bits among ``bits`` (like random.sample)."""
    count = rng.integers(low, high + 1, n)
    rank = np.argsort(rng.random((n, bits)), axis=1)
    chosen = np.argsort(rank, axis=1) < count[:, None]
    return (chosen * (1 << np.arange(bits))).sum(axis=1)


def _communes(rng: np.random.Generator, count: int):  # type: ignore[no-untyped-def]
    """Communes around the four cities: (lat/lon (count, 2), population weights, city names,
    département index)."""
    share = np.array([d[4] for d in DEPARTEMENTS])
    dept = rng.choice(len(DEPARTEMENTS), count, p=share / share.sum())
    centre = np.array([[d[2], d[3]] for d in DEPARTEMENTS])[dept]
    spread = rng.gamma(2.0, 0.05, count)[:, None]  # most communes within ~15 km of the city
    places = centre + rng.normal(0.0, 1.0, (count, 2)) * spread
    population = rng.lognormal(10.0, 0.7, count)
    names = [f"{DEPARTEMENTS[d][1]}-{k}" for k, d in enumerate(dept)]
    return places, population / population.sum(), names, dept


def _side(rng: np.random.Generator, n: int, mentor: bool, communes) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    places, weights, names, dept = communes
    if mentor:
        age = rng.integers(16, 34, n).astype(float)
        age[(age < 18) & (rng.random(n) < 0.5)] += 3
    else:
        p = np.array(MENTEE_AGE_WEIGHTS, float)
        age = rng.choice(np.arange(11, 27), n, p=p / p.sum()).astype(float)
    whole_age = age.astype(int)
    stage = np.empty(n, np.int64)
    pick = rng.integers(0, 3, n)
    for k in range(n):
        options = next((o for limit, o in STAGES_BY_AGE if whole_age[k] <= limit), STAGES_OLDER)
        stage[k] = options[pick[k] % len(options)]
    age += rng.integers(10, 351, n) / 365.25  # birthdays spread over the year
    commune = rng.choice(places.shape[0], n, p=weights)
    qpv = rng.random(n) < 0.55
    boursier = rng.random(n) < np.where(qpv, 0.6, 0.3)
    pcs_code = rng.choice(9, n, p=np.array(PCS_WEIGHTS) / sum(PCS_WEIGHTS))
    pcs = np.where(pcs_code == 8, 0, pcs_code + 1)
    n_other = rng.choice([0, 0, 1, 1, 2], n)  # French plus 0, 1 or 2 other languages
    order = np.argsort(rng.random((n, len(OTHER_LANGUAGES))), axis=1)
    other = np.zeros(n, np.int64)
    for col in range(2):
        has = n_other > col
        other[has] |= 1 << np.array(OTHER_LANGUAGES)[order[has, col]]
    fmt = rng.choice(3, n, p=[0.3, 0.2, 0.5])  # in person, remote, both
    texts = (
        [
            PATHS[t].format(city=names[c])
            for t, c in zip(rng.integers(0, len(PATHS), n), commune, strict=True)
        ]
        if mentor
        else [ASPIRATIONS[t] for t in rng.integers(0, len(ASPIRATIONS), n)]
    )
    return {
        "age_years": age.astype(np.float32),
        "education_stage": stage,
        "field": rng.integers(0, 13, n) - 1,  # 12 fields, or undecided (-1)
        "qpv": qpv,
        "boursier": boursier,
        "first_generation": rng.random(n) < 0.5,
        "pcs": pcs,
        "lat": places[commune, 0],
        "lon": places[commune, 1],
        "commune": commune,
        "departement": dept[commune],
        "region": np.array([d[5] for d in DEPARTEMENTS])[dept[commune]],
        "availability": _sample_mask(rng, n, 6, 1, 4),
        "meeting_format": fmt,
        "languages": 1 | other,
        "gender": rng.choice([1, 1, 2, 2, 0], n),
        "prefers_same_gender": rng.random(n) < 0.1,
        "texts": texts,
    }


def demo_pools(n_mentees: int, n_mentors: int, seed: int = 1):  # type: ignore[no-untyped-def]
    """Seeded (MenteePool, MentorPool) shaped like ``manage.py demo_data``'s validated people."""
    from matching.engine import MenteePool, MentorPool

    rng = np.random.default_rng(seed)
    communes = _communes(rng, 200)
    mentee = _side(rng, n_mentees, False, communes)
    waiting = rng.integers(1, 301, n_mentees) - rng.integers(1, 15, n_mentees)
    mentees = MenteePool(
        **mentee,
        goals=_sample_mask(rng, n_mentees, 7, 1, 3),
        waiting_days=np.maximum(waiting, 0).astype(np.float32),
        priority_background=0.5 * mentee["qpv"] + 0.5 * mentee["boursier"],
    )
    mentor = _side(rng, n_mentors, True, communes)
    mentors = MentorPool(
        **mentor,
        help_with=_sample_mask(rng, n_mentors, 7, 2, 5),
        capacity=rng.choice([1, 2, 3], n_mentors, p=[0.6, 0.3, 0.1]),
        vetting_valid=rng.random(n_mentors) < 0.75,
    )
    return mentees, mentors


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def exact_optimum(
    scores: np.ndarray, capacity: np.ndarray, priority: np.ndarray
) -> tuple[float, str, float]:
    """Maximum total weight over every admissible pair (independent of the sparse path):
    (optimum, how, seconds of the solver alone)."""
    columns = np.repeat(np.arange(scores.shape[1]), np.minimum(capacity, scores.shape[0]))
    if scores.shape[0] * columns.size <= LSA_MAX_ENTRIES:
        from scipy.optimize import linear_sum_assignment

        expanded = np.empty((scores.shape[0], columns.size))
        for start in range(0, scores.shape[0], 1000):  # no second full-size temporary
            block = scores[start : start + 1000, columns].astype(np.float64)
            block += priority[start : start + 1000, None]
            block[~(block > 0)] = 0.0  # forbidden (-inf, NaN) and negative: weight 0
            expanded[start : start + 1000] = block
        started = time.perf_counter()
        r, c = linear_sum_assignment(expanded, maximize=True)
        seconds = time.perf_counter() - started
        return float(expanded[r, c].sum()), "scipy_dense", seconds
    from matching.engine import assign_with_report

    started = time.perf_counter()
    _, report = assign_with_report(scores, capacity, priority, method="exact")
    return report.objective, "exact_flow", time.perf_counter() - started


def one_size(n: int, m: int, seed: int, exact: bool, scipy: bool = True) -> dict[str, Any]:
    import sklearn.feature_extraction.text  # noqa: F401  (import time is not scoring time)

    from matching.engine import MatchingParams, match_pool, mentee_priority

    mentees, mentors = demo_pools(n, m, seed)
    params = MatchingParams()
    started, cpu = time.perf_counter(), time.process_time()
    result = match_pool(mentees, mentors, params)
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    report = result.report
    timings = report.timings
    candidates = timings.get("scan", 0.0) + timings.get("candidates", 0.0)
    out: dict[str, Any] = {
        "size": f"{n}x{m}",
        "scoring_s": round(result.scoring_seconds, 3),
        "candidates_s": round(candidates, 3),
        "solve_s": round(timings["total"] - candidates, 3),
        "total_s": round(total, 3),
        "cpu_s": round(cpu, 3),
        "peak_rss_mb": round(_peak_rss_mb(), 1),  # the engine's, before any reference
        "objective": report.objective,
        "upper_bound": report.upper_bound,
        "gap_pct": report.gap_pct,
        "certified_optimal": report.certified_optimal,
        "n_pairs": report.n_pairs,
        "method": report.method,
        "rounds": report.rounds,
        "n_candidates": report.n_candidates,
        "timings": {k: round(v, 3) for k, v in timings.items()},
    }
    if exact or (scipy and n * m <= EXACT_DEFAULT_MAX_PAIRS):
        scores = result.scorer.dense()
        priority = mentee_priority(mentees, params)
        optimum, how, seconds = exact_optimum(scores, mentors.capacity, priority)
        out["pct_of_exact"] = 100.0 * report.objective / optimum if optimum > 0 else 100.0
        out["exact_by"] = how
        if how == "scipy_dense":
            out["scipy_dense_s"] = round(seconds, 3)
            out["scipy_over_engine"] = round(seconds / total, 2)
    return out


def dense_assign(n: int, m: int, seed: int, exact: bool) -> dict[str, Any]:
    """``assign`` alone on a dense float64 score matrix of the demo pool."""
    from matching.engine import MatchingParams, PoolScorer, assign_with_report, mentee_priority

    mentees, mentors = demo_pools(n, m, seed)
    params = MatchingParams()
    scorer = PoolScorer(mentees, mentors, params)
    scores = np.empty((n, m))
    for start in range(0, n, 1000):  # float64 without a float32 copy of the whole matrix
        scores[start : start + 1000] = scorer.block(start, start + 1000)
    priority = mentee_priority(mentees, params)
    started = time.perf_counter()
    _, report = assign_with_report(scores, mentors.capacity, priority)
    elapsed = time.perf_counter() - started
    out: dict[str, Any] = {
        "mode": "dense_assign",
        "size": f"{n}x{m}",
        "dtype": str(scores.dtype),
        "assign_s": round(elapsed, 3),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "objective": report.objective,
        "upper_bound": report.upper_bound,
        "gap_pct": report.gap_pct,
        "certified_optimal": report.certified_optimal,
        "n_pairs": report.n_pairs,
        "method": report.method,
        "rounds": report.rounds,
        "pct_of_bound": 100.0 * report.objective / report.upper_bound,
    }
    if exact:
        optimum, _, _ = exact_optimum(scores, mentors.capacity, priority)
        out["pct_of_exact"] = 100.0 * report.objective / optimum if optimum > 0 else 100.0
    return out


try:  # the split benchmark's step, run by the workers it starts (``celery ... -I matching.bench``)
    from celery import shared_task

    @shared_task(name="matching.bench.split_step", acks_late=True)
    def split_step(prefix: str, phase: str, part: int, queue: str) -> None:
        """One step of ``matching.split`` (the phases and their order of a real run; the last
        step stores the outcome in Redis instead of writing proposals), with its CPU seconds."""
        from matching import split

        cpu = time.process_time()
        following: tuple[str, list[int]] = ("", [])
        if phase == split.PART:
            _done, _total, last = split.split_part(prefix, part)
            following = (split.BORDER, split._border_order(prefix) if last else [])
        elif phase == split.BORDER:
            _done, _total, last = split.split_border(prefix, part)
            following = (split.FINISH, [0] if last else [])
        elif phase == split.FINISH:
            following = (split.REASONS, split.split_finish(prefix))
        elif phase == split.REASONS:
            _done, _total, last = split.split_reasons(prefix, part)
            following = (split.RECORD, [0] if last else [])
        else:
            outcome = split.split_outcome(prefix)
            quality = {**outcome["quality"], "report": outcome["report"], "n_unmatched": len(outcome["unmatched"]),
                       "n_explanations": len(outcome["explanations"])}
            split._put(f"{prefix}:result", {"pairs": outcome["pairs"], "quality": split._json_array(quality)})
        split._redis().rpush(f"{prefix}:cpu", json.dumps([phase, part, time.process_time() - cpu]))
        for k in following[1]:
            split_step.apply_async((prefix, following[0], k, queue), queue=queue)
except ImportError:  # pragma: no cover - celery is a dependency of the project
    split_step = None


def split_workers(
    n: int, m: int, seed: int, workers: int, parts: int, unsplit: bool, unsplit_json: str | None = None
) -> dict[str, Any]:
    """``--workers N``: a split run (``matching.split``, synthetic pools) through ``workers`` real
    Celery worker processes that this function starts on REDIS_URL and stops by pid. ``wall_s``:
    from the territories to the explained pairs, reasons and report (all but the database write);
    ``cpu``: CPU seconds of the coordinator (text vectors, territories, storing) and of the
    workers, per phase (all threads); ``payload_mb``: what went through Redis. With
    ``--unsplit``, the same pool in one piece first (``match_pool`` in this process) for its
    bound; ``--unsplit-json FILE`` reads that figure from an earlier run's JSON line instead."""
    import os
    import uuid

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")
    django.setup()
    from django.conf import settings

    from matching import split
    from matching.engine import MatchingParams, match_pool, synthetic_pools

    if not settings.REDIS_URL:
        raise SystemExit("--workers needs REDIS_URL (the workers' broker and the split run's storage)")
    mentees, mentors = synthetic_pools(n, m, seed)
    params = MatchingParams()
    out: dict[str, Any] = {"mode": "split", "size": f"{n}x{m}", "workers": workers, "parts": parts,
                           "load_before": os.getloadavg()[0]}
    if unsplit:
        started = time.perf_counter()
        whole = match_pool(mentees, mentors, params)
        out.update(unsplit_s=round(time.perf_counter() - started, 3), unsplit_objective=whole.report.objective,
                   unsplit_upper_bound=whole.report.upper_bound)
        del whole
    elif unsplit_json:
        with open(unsplit_json) as earlier:
            whole_line = json.loads(earlier.read().strip().splitlines()[-1])
        out.update(unsplit_s=whole_line.get("wall_s"), unsplit_cpu_s=whole_line.get("cpu_s"),
                   unsplit_objective=whole_line["objective"], unsplit_upper_bound=whole_line["upper_bound"],
                   unsplit_from=unsplit_json)
    queue = f"bench-split-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mentorat.settings"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "mentorat", "worker", "-I", "matching.bench", "-Q", queue,
         "--concurrency", str(workers), "--pool", "prefork", "--loglevel", "WARNING", "-n", f"{queue}@%h"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        from mentorat.celery import app

        while not app.control.ping(destination=[f"{queue}@{__import__('socket').gethostname()}"], timeout=1.0):
            if worker.poll() is not None:
                raise SystemExit("the Celery worker did not start")
        prefix = f"match-split:bench:{queue}"
        started, coordinator_cpu = time.perf_counter(), time.process_time()
        territories = split.split_prepare(prefix=prefix, mentees=mentees, mentors=mentors, params=params,
                                          mentee_ids=np.arange(n), mentor_ids=np.arange(m), n_parts=parts)
        coordinator_cpu = time.process_time() - coordinator_cpu
        for k in split.largest_first(territories.work()):
            split_step.apply_async((prefix, split.PART, k, queue), queue=queue)
        while True:
            try:
                result = split._get(f"{prefix}:result")
                break
            except split.SplitDataMissing:
                time.sleep(0.2)
        wall = time.perf_counter() - started
    finally:
        worker.terminate()  # by pid: only the worker started here
        worker.wait(60)
    quality = json.loads(result["quality"].tobytes().decode())
    client = split._redis()
    steps = [json.loads(line) for line in client.lrange(f"{prefix}:cpu", 0, -1)]
    payload = sum(client.memory_usage(key) or 0 for key in client.scan_iter(f"{prefix}:*"))
    split._cleanup(prefix)
    by_phase: dict[str, float] = {}
    for phase, _part, seconds in steps:
        by_phase[phase] = round(by_phase.get(phase, 0.0) + seconds, 2)
    out["cpu"] = {"coordinator_s": round(coordinator_cpu, 2), "workers_s": round(sum(s[2] for s in steps), 2),
                  "workers_by_phase_s": by_phase, "steps": [[p, k, round(c, 2)] for p, k, c in steps]}
    out["payload_mb"] = round(payload / 2**20, 1)
    out["report"] = quality.get("report")
    out["n_unmatched"] = quality.get("n_unmatched")
    out.update(wall_s=round(wall, 3), objective=quality["objective"], upper_bound=quality["upper_bound"],
               gap_pct=quality["gap_pct"], n_pairs=quality["n_pairs"], split=quality["split"],
               timings=quality["timings"], border_pairs=quality["border_pairs"],
               residual_pairs=quality["residual_pairs"], load_after=os.getloadavg()[0])
    if unsplit:
        out["pct_of_unsplit_bound"] = 100.0 * quality["objective"] / out["unsplit_upper_bound"]
    return out


def _parse_size(text: str) -> tuple[int, int]:
    n, m = text.lower().split("x")
    return int(n), int(m)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m matching.bench", description=__doc__)
    parser.add_argument(
        "--sizes", default=None, help=f"comma-separated NxM (default {DEFAULT_SIZES})"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--exact", action="store_true", help="pct_of_exact at every size")
    parser.add_argument(
        "--dense-assign",
        action="store_true",
        help="time assign alone on a dense matrix (10000x5000)",
    )
    parser.add_argument("--no-scipy", action="store_true", help="skip scipy's dense exact run")
    parser.add_argument(
        "--workers", type=int, default=0,
        help="split run through N real Celery worker processes (needs REDIS_URL); default size 150000x75000",
    )
    parser.add_argument("--parts", type=int, default=4, help="territories of the split run (--workers)")
    parser.add_argument("--unsplit", action="store_true", help="with --workers: also the pool in one piece, for its bound")
    parser.add_argument("--unsplit-json", help="with --workers: the unsplit bound from this file's last JSON line")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.workers:
        for size in (args.sizes or "150000x75000").split(","):
            n, m = _parse_size(size)
            print(json.dumps(split_workers(n, m, args.seed, args.workers, args.parts, args.unsplit, args.unsplit_json)),
                  flush=True)
        return
    if args.one:
        n, m = _parse_size(args.one)
        if args.dense_assign:
            print(json.dumps(dense_assign(n, m, args.seed, args.exact)), flush=True)
        else:
            print(json.dumps(one_size(n, m, args.seed, args.exact, not args.no_scipy)), flush=True)
        return
    print(json.dumps({"load_average": os.getloadavg(), "cores": os.cpu_count()}), flush=True)
    sizes = args.sizes or ("10000x5000" if args.dense_assign else DEFAULT_SIZES)
    for size in sizes.split(","):
        extra = ["--exact"] if args.exact else []
        extra += ["--dense-assign"] if args.dense_assign else []
        extra += ["--no-scipy"] if args.no_scipy else []
        run_in_subprocess(["--one", size, "--seed", str(args.seed), *extra], size)


def run_in_subprocess(arguments: list[str], label: str) -> None:
    """One section in its own process (its own peak RSS), printed as one JSON line."""
    done = subprocess.run(
        [sys.executable, "-m", "matching.bench", *arguments], capture_output=True, text=True
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode == 0 and lines:
        print(lines[-1], flush=True)
    else:  # e.g. out of memory: say so on the same one-line format
        error = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(json.dumps({"size": label, "error": error}), flush=True)


if __name__ == "__main__":
    main()
