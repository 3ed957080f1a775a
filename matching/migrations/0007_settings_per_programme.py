"""Issue 12, step 1 of 3: matching settings get a programme (nullable while the rows are copied by
0008), and an association may have several rows (one per programme). Three migrations, each its
own transaction on PostgreSQL: a data copy and a schema change in one would leave "pending
trigger events" on the table."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("associations", "0003_checklist_dates"),
        ("matching", "0006_allow_shorter_pairs"),
        ("programmes", "0002_coordinators_restricted_to_programmes"),
    ]

    operations = [
        migrations.AddField(
            model_name="matchingsettings",
            name="programme",
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="matching_settings",
                                       to="programmes.programme"),
        ),
        migrations.AlterField(
            model_name="matchingsettings",
            name="association",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="associations.association"),
        ),
    ]
