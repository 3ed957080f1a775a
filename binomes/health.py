"""A binôme's health, computed from its activity (the list reads a stored copy, see binomes.attention).

- at risk: no message or meeting for 45 days, or two poor check-ins in the last 60 days;
- needs attention: no message or meeting for 21 days, or one poor check-in in the last 60 days;
- on track otherwise. Suspended and closed binômes have no health.
The same rule serves one binôme (``health_of``), a list (``annotate_health``, one query) and the
stored copy (``health_expression`` in an UPDATE, ``binomes.attention``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.db.models.expressions import Expression
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binomes.models import Binome, CheckIn

ATTENTION_AFTER = timedelta(days=21)
RISK_AFTER = timedelta(days=45)
CHECK_IN_WINDOW = timedelta(days=60)

ON_TRACK, NEEDS_ATTENTION, AT_RISK = "on_track", "needs_attention", "at_risk"
LABELS = {ON_TRACK: _("tout va bien"), NEEDS_ATTENTION: _("à surveiller"), AT_RISK: _("en difficulté")}


def health_expression(now: datetime | None = None) -> Expression:
    now = now or timezone.now()
    since = (now - CHECK_IN_WINDOW).date().replace(day=1)
    # "id IN (…)" sets rather than a count per binôme: the database builds each set once (hashed),
    # and the result stays one row per binôme, so callers can group by health.
    poor = CheckIn.objects.filter(rating__lte=CheckIn.POOR, month__gte=since).order_by()
    one_poor = poor.values("binome_id")
    two_poor = poor.values("binome_id").annotate(c=Count("pk")).filter(c__gte=2).values("binome_id")
    return Case(
        When(~Q(status__in=Binome.RUNNING_STATUSES), then=Value("")),
        When(Q(last_activity_at__lt=now - RISK_AFTER) | Q(pk__in=two_poor), then=Value(AT_RISK)),
        When(Q(last_activity_at__lt=now - ATTENTION_AFTER) | Q(pk__in=one_poor), then=Value(NEEDS_ATTENTION)),
        default=Value(ON_TRACK),
        output_field=CharField(),
    )


def annotate_health(qs: QuerySet[Binome], now: datetime | None = None) -> QuerySet[Binome]:
    """``live_health`` on each row (the stored ``health`` may be up to an hour behind)."""
    return qs.annotate(live_health=health_expression(now))


def health_of(binome: Binome, now: datetime | None = None) -> str:
    return annotate_health(Binome.objects.filter(pk=binome.pk), now).values_list("live_health", flat=True).get()
