from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []

    operations = [
        migrations.CreateModel(
            name="Departement",
            fields=[
                ("code", models.CharField(max_length=3, primary_key=True, serialize=False, verbose_name="code")),
                ("name", models.CharField(max_length=100, verbose_name="nom")),
                ("region_name", models.CharField(max_length=100, verbose_name="région")),
            ],
            options={"ordering": ["code"], "verbose_name": "département"},
        ),
        migrations.CreateModel(
            name="Commune",
            fields=[
                ("code_insee", models.CharField(max_length=5, primary_key=True, serialize=False, verbose_name="code INSEE")),
                ("name", models.CharField(max_length=100, verbose_name="nom")),
                ("name_folded", models.CharField(db_index=True, editable=False, max_length=100)),
                ("kind", models.CharField(choices=[("COM", "commune"), ("ARM", "arrondissement municipal")], max_length=3)),
                ("postal_codes", models.CharField(blank=True, max_length=200, verbose_name="codes postaux")),
                ("latitude", models.FloatField(blank=True, null=True)),
                ("longitude", models.FloatField(blank=True, null=True)),
                ("population", models.PositiveIntegerField(default=0)),
                ("departement", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="communes", to="geo.departement")),
            ],
            options={"ordering": ["name"], "verbose_name": "commune"},
        ),
    ]
