"""A real Celery worker for the fault test, started as a subprocess:

    python -m tests.matching.slow_worker QUEUE NAME ENGINE_SECONDS

With ENGINE_SECONDS > 0 its match runs spend that long in the engine phase (the test kills it
there); SLOW_SPLIT_PART_SECONDS > 0 makes each territory of a split run that long. The slowness is patched in here, in the test's own process: no hook in production code.
"""

from __future__ import annotations

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")
django.setup()

from matching import services  # noqa: E402
from mentorat.celery import app  # noqa: E402


def main() -> None:
    queue, name, engine_seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    if engine_seconds > 0:
        real_match_pool = services.match_pool

        def slow_match_pool(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            time.sleep(engine_seconds)
            return real_match_pool(*args, **kwargs)

        services.match_pool = slow_match_pool
    part_seconds = float(os.environ.get("SLOW_SPLIT_PART_SECONDS", "0"))
    if part_seconds > 0:  # a split run's territories (matching/split.py) take that long each
        from matching.engine import partition

        real_solve_part = partition.solve_part

        def slow_solve_part(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            time.sleep(part_seconds)
            return real_solve_part(*args, **kwargs)

        partition.solve_part = slow_solve_part
    app.conf.task_default_queue = queue  # what this worker sends (the recovery's re-queue) stays ours
    # solo pool: the task runs in the worker's main process, so one SIGKILL of that pid is a
    # worker dying mid-run (OOM kill, container stopped), nothing left to clean up behind it.
    app.worker_main(["worker", "--pool=solo", "-Q", queue, "-n", f"{name}@%h", "--loglevel=INFO",
                     "--without-mingle", "--without-gossip"])


if __name__ == "__main__":
    main()
