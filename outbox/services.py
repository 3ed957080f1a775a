"""Writes of the outbox: record a side effect (``outbox_emit``), relay what is due
(``outbox_relay``), send one e-mail once (``delivery_once``), stamp a heartbeat.

How a message travels:

1. ``outbox_emit`` inserts the row in the caller's transaction and asks, after commit, for a relay
   task (best effort: if the broker is away the request still succeeds, nothing is lost).
2. ``outbox_relay`` (that task, and the sweep that Celery beat runs every ``OUTBOX_SWEEP_SECONDS``)
   claims one due row at a time with ``SELECT … FOR UPDATE SKIP LOCKED`` and a lease, so two relays
   never work on the same row and a relay that dies leaves the row to the next one after the lease.
3. The row's task runs in the relay's process (an e-mail task), or is published to the broker when
   the task says ``outbox_enqueue = True`` (a long job such as a match run).
4. Success: the row is marked sent. Failure: retried with exponential back-off; after
   ``MAX_ATTEMPTS`` the row is marked failed and stays listed (admin, ``/sante/``).

A task may therefore run more than once for one message (a retry after a partial failure, a lease
that expired): ``deliveries_claim`` makes each e-mail leave at most once per (message, template, recipient).
"""

from __future__ import annotations

import importlib
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from outbox.context import current_message
from outbox.models import Delivery, Heartbeat, OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # 30 s, 1, 2, 4, 8, 16, 32 min: about an hour of retries, then given up visibly
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=1)
# A relay holds a row this long; past it another relay may take the row again. Longer than any
# single task run in the relay (a few e-mails), so a live relay is not overtaken.
LEASE = timedelta(minutes=5)
WORKER_HEARTBEAT = "worker"


def outbox_emit(*, task: Any, args: list[Any], key: str | None = None) -> None:
    """Record that Celery ``task`` must run with ``args`` once the current transaction commits.

    Preconditions: ``args`` are JSON-serialisable (ids, short strings); call it inside the
    transaction of the state change. ``key`` names the event when it is natural ("one
    introduction per binôme"): a second emit with the same key is ignored, even from another
    transaction. Without a key every call is a new event.
    """
    outbox_emit_many(task=task, calls=[list(args)], keys=[key] if key else None)


def outbox_emit_many(*, task: Any, calls: list[list[Any]], keys: list[str | None] | None = None) -> None:
    """``outbox_emit`` for each item of ``calls`` (the ``args`` of one run), in one insert and one
    relay request. ``keys``: one natural key per call, or none (each call a new event)."""
    name = getattr(task, "name", None)
    if not name:
        raise TypeError(f"outbox.emit expects a Celery task, not {task!r}")
    if keys is not None and len(keys) != len(calls):
        raise ValueError("One key per call.")
    if not calls:
        return
    messages = [OutboxMessage(key=(keys[i] if keys else None) or f"{name}:{uuid.uuid4().hex}", task=name, args=list(args))
                for i, args in enumerate(calls)]
    # ON CONFLICT DO NOTHING: a repeated natural key neither fails nor aborts the transaction.
    OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True, batch_size=1000)
    _kick_after_commit()


class _Batch:
    done = False


class _Kick:
    """An after-commit callback asking for a relay. The kicks of one transaction share a batch and
    only the first to run asks (a bulk approval emits dozens of rows, one relay is enough)."""

    def __init__(self, batch: _Batch) -> None:
        self.batch = batch

    def __call__(self) -> None:
        if not self.batch.done:
            self.batch.done = True
            _kick_relay()


def _kick_after_commit() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    # ``run_on_commit`` holds (savepoint ids, callback, robust) for the transaction under way. One
    # kick per emit (a savepoint rolled back drops its own kicks only), sharing the batch.
    batch = next(
        (cb.batch for _, cb, *_ in reversed(connection.run_on_commit) if isinstance(cb, _Kick) and not cb.batch.done),
        None,
    )
    transaction.on_commit(_Kick(batch or _Batch()))


def _kick_relay() -> None:
    """Ask a worker to relay now. Best effort: the periodic sweep relays whatever this misses."""
    from mentorat.celery import app
    from outbox.tasks import relay

    try:
        if app.conf.task_always_eager:  # the demo without a broker: the relay runs here and now
            relay.apply_async()
            return
        # A connection of its own, one attempt bounded to a second: a pooled connection that saw
        # the broker die retries for ~6 s on each later publish, and this runs in a web request.
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
            relay.apply_async(retry=False, connection=broker)
    except Exception:  # noqa: BLE001 — the broker is away (any transport error): the sweep sends the rows later
        logger.warning("Outbox: relay not queued (broker unreachable); the periodic sweep will send", exc_info=True)


def _backoff(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_RETRY)


def _due(now: datetime) -> Q:
    return Q(status=OutboxMessage.Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def _claim_next() -> OutboxMessage | None:
    """Take the oldest due row for ourselves: locked rows are skipped (another relay has them), the
    lease keeps the row ours after the lock is released."""
    now = timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(_due(now)).order_by("pk").first()
        if message is None:
            return None
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
    message.refresh_from_db()
    return message


def _resolve(name: str) -> Any:
    from mentorat.celery import app

    if name not in app.tasks:
        importlib.import_module(name.rsplit(".", 1)[0])  # the task's module registers it
    return app.tasks[name]


def _run(message: OutboxMessage) -> None:
    task = _resolve(message.task)
    if getattr(task, "outbox_enqueue", False):
        task.apply_async(args=message.args, retry=False)
        return
    token = current_message.set(message)
    try:
        task(*message.args)
    finally:
        current_message.reset(token)


def message_deliver(*, message: OutboxMessage) -> bool:
    """Run one claimed message and record the outcome. True when it went through."""
    try:
        _run(message)
    except Exception as exc:  # noqa: BLE001 — any failure of the task is recorded and retried, never lost
        now = timezone.now()
        given_up = message.attempts >= MAX_ATTEMPTS
        logger.warning("Outbox: %s failed (attempt %s%s)", message, message.attempts, ", given up" if given_up else "", exc_info=True)
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.FAILED if given_up else OutboxMessage.Status.PENDING,
            next_attempt_at=None if given_up else now + _backoff(message.attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
    )
    return True


def outbox_relay(*, limit: int = 200) -> int:
    """Relay up to ``limit`` due messages, oldest first; returns how many went through. Safe to run
    twice and concurrently: each row is claimed by one relay."""
    sent = 0
    for _ in range(limit):
        message = _claim_next()
        if message is None:
            break
        sent += message_deliver(message=message)
    return sent


def message_retry(*, message: OutboxMessage) -> OutboxMessage:
    """An operator sends a given-up message again (recipients already served are not written to
    twice)."""
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.FAILED).update(
        status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=None
    )
    _kick_after_commit()
    message.refresh_from_db()
    return message


def deliveries_claim(*, recipients: list[str], template: str) -> list[str]:
    """Before sending ``template`` to ``recipients``: the ones this outbox message has not written
    to yet (all of them outside the relay), now recorded as being written to.

    The claim is committed before the e-mail leaves (at most once: a crash while the mail server
    has the e-mail leaves the row unconfirmed, listed as interrupted, never resent). The caller
    confirms with ``deliveries_confirm`` or, if sending raised, withdraws with
    ``deliveries_release`` so that the retry sends it.
    """
    message = current_message.get()
    if message is None:
        return recipients
    claimed = []
    for recipient in recipients:
        _, created = Delivery.objects.get_or_create(message_id=message.pk, recipient=recipient.strip().lower(), template=template)
        if created:
            claimed.append(recipient)
    return claimed


def _deliveries(recipients: list[str], template: str):  # noqa: ANN202
    message = current_message.get()
    if message is None or not recipients:
        return None
    return Delivery.objects.filter(message_id=message.pk, template=template, recipient__in=[r.strip().lower() for r in recipients])


def deliveries_confirm(*, recipients: list[str], template: str) -> None:
    deliveries = _deliveries(recipients, template)
    if deliveries is not None:
        deliveries.update(sent_at=timezone.now())


def deliveries_release(*, recipients: list[str], template: str) -> None:
    deliveries = _deliveries(recipients, template)
    if deliveries is not None:
        deliveries.delete()


def heartbeat_stamp(*, name: str = WORKER_HEARTBEAT) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})


def sweep_seconds() -> int:
    return int(getattr(settings, "OUTBOX_SWEEP_SECONDS", 60))
