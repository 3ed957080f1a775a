"""Repeat the binôme's association on each message (dashboards count messages per association)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Message = apps.get_model("binomes", "Message")
    Binome = apps.get_model("binomes", "Binome")
    Message.objects.update(association_id=Subquery(Binome.objects.filter(pk=OuterRef("binome_id")).values("association_id")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0002_association_hold_flagged_messages"),
        ("binomes", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="association",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="associations.association"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="message",
            name="association",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="associations.association"),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(fields=["association", "created_at"], name="binomes_mes_associa_65fa25_idx"),
        ),
    ]
