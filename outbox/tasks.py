"""Celery tasks of the outbox. Thin and safe to run twice: the service claims each row."""

from __future__ import annotations

from celery import shared_task


@shared_task
def relay() -> int:
    """Asked for after each commit that emitted something (best effort)."""
    from outbox.services import outbox_relay

    return outbox_relay()


@shared_task
def sweep() -> int:
    """Celery beat, every ``OUTBOX_SWEEP_SECONDS``: relays what no kick reached (the broker was away
    at commit time, a retry is due) and stamps the worker heartbeat that ``/sante/`` reads."""
    from outbox.services import heartbeat_stamp, outbox_relay

    heartbeat_stamp()
    return outbox_relay(limit=1000)
