"""A match run is for one programme: the runs that exist ran over the whole association, whose
participants all joined its default programme (participants 0007): they are its runs."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def runs_of_the_default_programme(apps, schema_editor):  # noqa: ANN001, ARG001
    MatchRun = apps.get_model("matching", "MatchRun")
    Programme = apps.get_model("programmes", "Programme")
    default = Programme.objects.filter(association_id=OuterRef("association_id"), is_default=True).values("pk")[:1]
    MatchRun.objects.filter(programme__isnull=True).update(programme_id=Subquery(default))


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0003_run_report_unmatched_equity_proximity'),
        ('participants', '0007_participants_join_the_default_programme'),
        ('programmes', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='matchrun',
            name='programme',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='match_runs', to='programmes.programme'),
        ),
        migrations.RunPython(runs_of_the_default_programme, migrations.RunPython.noop),
    ]
