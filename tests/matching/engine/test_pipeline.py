import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from matching.engine import MatchingParams, match_pool, synthetic_pools

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def test_synthetic_pools_are_seeded_and_plausible():
    mentees, mentors = synthetic_pools(300, 150, seed=4)
    again, _ = synthetic_pools(300, 150, seed=4)
    assert np.array_equal(mentees.age_years, again.age_years)
    assert mentees.texts == again.texts
    assert mentees.age_years.min() >= 11 and mentees.age_years.max() <= 30
    assert mentors.age_years.min() >= 15 and mentors.age_years.max() <= 40
    assert set(np.unique(mentors.capacity)) <= {1, 2, 3}
    assert np.array_equal(mentees.is_minor, mentees.age_years < 18)


def test_match_pool_pairs_are_admissible_and_within_capacity():
    mentees, mentors = synthetic_pools(400, 150, seed=8)
    result = match_pool(mentees, mentors, MatchingParams())
    pairs = result.pairs
    assert len(pairs) > 50
    assert len(np.unique(pairs[:, 0])) == len(pairs)
    assert np.all(np.bincount(pairs[:, 1], minlength=150) <= mentors.capacity)
    parts = result.scorer.pair_criteria(pairs[:, 0], pairs[:, 1])
    assert parts["admissible"].all()
    np.testing.assert_allclose(result.scores, parts["score"], atol=1e-6)
    assert result.report.objective >= result.report.upper_bound * (1 - 1e-4)


def test_rescored_blocks_give_the_same_pairs_as_the_dense_matrix():
    mentees, mentors = synthetic_pools(300, 120, seed=9)
    dense = match_pool(mentees, mentors, method="sparse")
    rescored = match_pool(mentees, mentors, method="sparse", dense_max_pairs=0)
    assert rescored.report.objective == dense.report.objective


def test_engine_imports_without_django():
    code = (
        "import sys\n"
        "import numpy as np\n"
        "import matching.engine as engine\n"
        "assert engine.assign(np.ones((2, 1)), np.array([1])).shape == (1, 2)\n"
        "me, mo = engine.synthetic_pools(20, 10, seed=1)\n"
        "engine.match_pool(me, mo)\n"
        "assert 'django' not in sys.modules, 'the engine imported Django'\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
