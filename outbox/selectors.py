"""Reads of the outbox (for ``/sante/`` and the operator)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from outbox.models import Delivery, Heartbeat, OutboxMessage
from outbox.services import LEASE, WORKER_HEARTBEAT


@dataclass(frozen=True)
class OutboxFigures:
    pending: int
    failed: int
    oldest_pending_seconds: int | None
    interrupted: int  # e-mails whose sending was cut short: not resent (at most once), to check


def outbox_figures(*, now: datetime | None = None) -> OutboxFigures:
    """Two queries: pending/failed counts with the oldest pending date; interrupted deliveries."""
    now = now or timezone.now()
    row = OutboxMessage.objects.filter(status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED]).aggregate(
        pending=Count("pk", filter=Q(status=OutboxMessage.Status.PENDING)),
        failed=Count("pk", filter=Q(status=OutboxMessage.Status.FAILED)),
        oldest=Min("created_at", filter=Q(status=OutboxMessage.Status.PENDING)),
    )
    interrupted = Delivery.objects.filter(sent_at__isnull=True, claimed_at__lt=now - LEASE).count()
    oldest = row["oldest"]
    return OutboxFigures(
        pending=row["pending"], failed=row["failed"], interrupted=interrupted,
        oldest_pending_seconds=max(int((now - oldest).total_seconds()), 0) if oldest else None,
    )


def worker_heartbeat_age(*, now: datetime | None = None) -> timedelta | None:
    """How long ago a worker last ran the sweep; None if never."""
    beat_at = Heartbeat.objects.filter(name=WORKER_HEARTBEAT).values_list("beat_at", flat=True).first()
    return None if beat_at is None else (now or timezone.now()) - beat_at
