"""What the coordinators' binômes list sorts and filters on, stored on the binôme row.

Counting open reports and held messages, and working out every pair's health, for a whole
association on every page view is what made the list grow with the association (a GROUP BY over
its binômes, then a sort). The row carries ``open_report_count``, ``held_message_count`` and
``health``; PostgreSQL derives ``list_rank`` from them (a generated column) and the index
``binome_list_order`` hands a page its 25 rows in order.

One rule keeps them right: ``binome_attention_refresh`` recomputes the three values of one binôme
from its own rows (three small indexed subqueries in one UPDATE), so it is safe to call twice and
never drifts the way a +1/−1 counter can. Every service that changes what they depend on calls
it in its transaction: message sent, held message released or refused, report filed or handled,
meeting logged, check-in answered, status change. Silence ages with no event: the hourly job
(``health_refresh_all``) moves ``health`` when a pair crosses 21 or 45 days without activity or a
poor check-in leaves the 60-day window, writing only the rows whose health changed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from binomes.health import annotate_health, health_expression
from binomes.models import Binome, Message, Report

REFRESH_BATCH = 2000


def _count(qs) -> Coalesce:  # noqa: ANN001 - a queryset of one binôme's rows (OuterRef("pk"))
    counted = qs.order_by().values("binome").annotate(c=Count("pk")).values("c")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def attention_values(now: datetime | None = None) -> dict:
    """The stored columns as expressions over the binôme's own rows (an UPDATE's SET, or an annotation)."""
    return {
        "open_report_count": _count(Report.objects.filter(binome=OuterRef("pk"), handled_at__isnull=True)),
        # Held and still to review (a refused message stays held but needs nothing more).
        "held_message_count": _count(Message.objects.filter(binome=OuterRef("pk"), held=True, review__status="pending")),
        "health": health_expression(now),
    }


def binome_attention_refresh(*, binome_id: int, now: datetime | None = None) -> None:
    """Recompute the binôme's stored list keys. Call it inside the transaction of the change, after it."""
    Binome.objects.filter(pk=binome_id).update(**attention_values(now))


def association_attention_refresh(*, association_id: int, now: datetime | None = None) -> int:
    """Every binôme of one association (bulk-loaded demo data, the data migration's twin)."""
    ids = list(Binome.objects.filter(association_id=association_id).values_list("pk", flat=True))
    for start in range(0, len(ids), REFRESH_BATCH):
        Binome.objects.filter(pk__in=ids[start:start + REFRESH_BATCH]).update(**attention_values(now))
    return len(ids)


def health_refresh_all(now: datetime | None = None) -> int:
    """The hourly job: the health of running binômes moves with time alone (silence ages, a poor
    check-in leaves the window). Reads the stored and the current health by batches of ids and
    writes only what changed (one UPDATE per new value and batch). Returns the rows changed;
    running it twice changes nothing the second time."""
    now = now or timezone.now()
    changed, last_pk = 0, 0
    # Running binômes, plus those whose stored health is stale after a status change made elsewhere.
    scope = Binome.objects.filter(Q(status__in=Binome.RUNNING_STATUSES) | ~Q(health="")).order_by("pk")
    while True:
        rows = list(annotate_health(scope.filter(pk__gt=last_pk), now).values_list("pk", "health", "live_health")[:REFRESH_BATCH])
        if not rows:
            return changed
        last_pk = rows[-1][0]
        moves: dict[str, list[int]] = defaultdict(list)
        for pk, stored, live in rows:
            if stored != live:
                moves[live].append(pk)
        for health, pks in moves.items():
            changed += Binome.objects.filter(pk__in=pks).update(health=health)
