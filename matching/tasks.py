"""Celery tasks of the matching. Thin: they take ids and call the services, which claim the work."""

from __future__ import annotations

import threading

from celery import shared_task
from django.conf import settings


# acks_late (also the global default): the message stays in Redis until the run is finished, so a
# worker killed mid-run does not lose it. reject_on_worker_lost: when the process running the task
# dies (OOM kill of a prefork child), the message goes back to the queue instead of being acked as
# failed; the service's attempt counter stops a run that kills its worker every time. Time limits:
# the soft one raises inside the run (failed with its reason), the hard one kills a process that
# did not even return from that. outbox_enqueue: the outbox relay publishes this long task to the
# broker instead of running it in the relay.
@shared_task(
    acks_late=True, reject_on_worker_lost=True, outbox_enqueue=True,
    soft_time_limit=settings.MATCH_RUN_SOFT_TIME_LIMIT, time_limit=settings.MATCH_RUN_SOFT_TIME_LIMIT + 60,
)
def run_match(run_id: int) -> None:
    from matching.services import match_run_execute

    if settings.MATCH_RUN_IN_THREAD and run_match.request.is_eager:
        # The demo without a broker: the task would run inside the web request that launched it,
        # and the coordinator would wait on a blank page. A thread of the web process runs it
        # instead, so the page shows the run's progress (the same claim, heartbeat and recovery).
        start_in_thread(run_id)
        return
    match_run_execute(run_id=run_id)


def start_in_thread(run_id: int) -> threading.Thread:
    def target() -> None:
        from django.db import connections

        from matching.services import match_run_execute

        try:
            match_run_execute(run_id=run_id)
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=target, name=f"match-run-{run_id}", daemon=True)
    thread.start()
    return thread


# One step of a run split by territory (matching/split.py): a territory, its borders, or the
# reconciliation. Same delivery guarantees and limits as run_match; any worker may take any step.
@shared_task(
    acks_late=True, reject_on_worker_lost=True, outbox_enqueue=True,
    soft_time_limit=settings.MATCH_RUN_SOFT_TIME_LIMIT, time_limit=settings.MATCH_RUN_SOFT_TIME_LIMIT + 60,
)
def run_match_split(run_id: int, worker: str, phase: str, part: int) -> None:
    from matching.split import match_split_step

    match_split_step(run_id=run_id, worker=worker, phase=phase, part=part)


@shared_task
def recover_match_runs() -> dict[str, list[int]]:
    """Every minute (Celery beat): re-queue or fail the runs whose worker stopped beating. Safe to
    run twice, and on several beat/worker hosts at once: each change is a conditional UPDATE."""
    from matching.services import match_runs_recover

    outcome = match_runs_recover()
    return {"requeued": outcome.requeued, "failed": outcome.failed}


@shared_task
def run_periodic_matches() -> int:
    """Nightly (Celery beat): queue a run for each active association that asked for it and has
    none running. Safe to run twice: the second call finds the runs already queued."""
    from matching.services import periodic_match_runs_request

    return periodic_match_runs_request()
