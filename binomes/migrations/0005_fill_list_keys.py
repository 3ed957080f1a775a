# The list keys of the binômes that exist before 0004 (its own migration: PostgreSQL refuses to
# build an index in a transaction that already updated the table under deferred constraints).

from datetime import timedelta

from django.db import migrations
from django.db.models import Case, CharField, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone


def fill_list_keys(apps, schema_editor):
    """The stored list keys of the existing binômes, by the rule of binomes.attention and
    binomes.health as they stand at this migration (21 / 45 days, poor check-ins in 60 days)."""
    Binome, Message, Report, CheckIn = (apps.get_model("binomes", name) for name in ("Binome", "Message", "Report", "CheckIn"))
    now = timezone.now()
    since = (now - timedelta(days=60)).date().replace(day=1)
    poor = CheckIn.objects.filter(rating__lte=2, month__gte=since).order_by()
    two_poor = poor.values("binome_id").annotate(c=Count("pk")).filter(c__gte=2).values("binome_id")

    def count(qs):
        return Coalesce(Subquery(qs.order_by().values("binome").annotate(c=Count("pk")).values("c")[:1], output_field=IntegerField()), Value(0))

    values = {
        "open_report_count": count(Report.objects.filter(binome=OuterRef("pk"), handled_at__isnull=True)),
        "held_message_count": count(Message.objects.filter(binome=OuterRef("pk"), held=True, review__status="pending")),
        "health": Case(
            When(~Q(status__in=["active", "continued"]), then=Value("")),
            When(Q(last_activity_at__lt=now - timedelta(days=45)) | Q(pk__in=two_poor), then=Value("at_risk")),
            When(Q(last_activity_at__lt=now - timedelta(days=21)) | Q(pk__in=poor.values("binome_id")), then=Value("needs_attention")),
            default=Value("on_track"), output_field=CharField(),
        ),
    }
    ids = list(Binome.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        Binome.objects.filter(pk__in=ids[start:start + 2000]).update(**values)


class Migration(migrations.Migration):

    dependencies = [
        ('binomes', '0004_list_keys'),
        ('safeguarding', '0002_reviews_of_held_messages'),
    ]

    operations = [
        migrations.RunPython(fill_list_keys, migrations.RunPython.noop, elidable=True),
    ]
