import json
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
KEYS = {
    "size",
    "scoring_s",
    "candidates_s",
    "solve_s",
    "total_s",
    "peak_rss_mb",
    "objective",
    "upper_bound",
    "gap_pct",
    "certified_optimal",
    "n_pairs",
    "pct_of_exact",
    "cpu_s",
    "scipy_dense_s",
    "scipy_over_engine",
}


def test_bench_prints_one_json_line_per_size_with_the_exact_optimum():
    # when the benchmark runs on a small demo-like pool, in its own process
    done = subprocess.run(
        [sys.executable, "-m", "matching.bench", "--sizes", "200x100"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    # then it prints one JSON line with every figure, and the pairs are (near) optimal
    lines = [json.loads(line) for line in done.stdout.strip().splitlines()]
    assert "load_average" in lines[0]
    assert len(lines) == 2
    figures = lines[1]
    assert set(figures) >= KEYS
    assert figures["size"] == "200x100"
    assert figures["n_pairs"] > 0
    assert figures["pct_of_exact"] >= 99.9
    assert figures["objective"] <= figures["upper_bound"] + 1e-6
