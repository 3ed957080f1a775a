from django.db import migrations, models


def mark_imported(apps, schema_editor):
    # The people imported so far and still waiting for their invitation's answer: their sign-up
    # time is their import's. (Those who already answered cannot be told apart; they were few,
    # all on the day imports started.)
    Participant = apps.get_model("participants", "Participant")
    Participant.objects.filter(invitation_pending=True, imported_at__isnull=True).update(imported_at=models.F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('participants', '0012_consent_kind_funder_data'),
    ]

    operations = [
        migrations.AddField(
            model_name='participant',
            name='imported_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(mark_imported, migrations.RunPython.noop),
    ]
