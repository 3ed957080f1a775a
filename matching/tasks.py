"""Celery tasks of the matching. Thin: they take ids and call the services, which claim the work."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def run_match(run_id: int) -> None:
    from matching.services import match_run_execute

    match_run_execute(run_id=run_id)


@shared_task
def run_periodic_matches() -> int:
    """Nightly (Celery beat): queue a run for each active association that asked for it and has
    none running. Safe to run twice: the second call finds the runs already queued."""
    from matching.services import periodic_match_runs_request

    return periodic_match_runs_request()
