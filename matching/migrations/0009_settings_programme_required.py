"""Issue 12, step 3 of 3: every settings row has its programme (0008 gave each one)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("matching", "0008_settings_copied_to_programmes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="matchingsettings",
            name="programme",
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="matching_settings",
                                       to="programmes.programme"),
        ),
    ]
