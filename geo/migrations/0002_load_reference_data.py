"""Load the French départements and communes shipped in geo/data/."""

from django.db import migrations


def load(apps, schema_editor):
    from geo.reference import load_reference_data

    load_reference_data(apps.get_model("geo", "Departement"), apps.get_model("geo", "Commune"), schema_editor.connection.alias)


def unload(apps, schema_editor):
    apps.get_model("geo", "Commune").objects.all().delete()
    apps.get_model("geo", "Departement").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, unload, elidable=False)]
