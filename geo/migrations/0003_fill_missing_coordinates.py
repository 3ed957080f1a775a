"""Give the 59 communes the reference data left without a position an estimated one (see
geo.coordinates): without it, people living there could never be paired in person."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from geo.coordinates import fill_missing_coordinates

    fill_missing_coordinates(apps.get_model("geo", "Commune"), schema_editor.connection.alias)


def unfill(apps, schema_editor):
    apps.get_model("geo", "Commune").objects.filter(coordinates_estimated=True).update(latitude=None, longitude=None)


class Migration(migrations.Migration):
    dependencies = [("geo", "0002_load_reference_data")]
    operations = [
        migrations.AddField(
            model_name="commune",
            name="coordinates_estimated",
            field=models.BooleanField(default=False, verbose_name="position estimée"),
        ),
        migrations.RunPython(fill, unfill, elidable=False),
    ]
