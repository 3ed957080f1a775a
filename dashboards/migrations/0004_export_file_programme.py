import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("dashboards", "0003_dashboard_rollup"),
        ("programmes", "0002_coordinators_restricted_to_programmes"),
    ]

    operations = [
        migrations.AddField(
            model_name="exportfile",
            name="programme",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="programmes.programme"),
        ),
    ]
