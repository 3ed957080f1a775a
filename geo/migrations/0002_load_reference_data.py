"""Load the French départements and communes shipped in geo/data/ (about 1 s on PostgreSQL)."""

import csv
import gzip
import io
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    from geo.text import fold

    Departement = apps.get_model("geo", "Departement")
    Commune = apps.get_model("geo", "Commune")
    db = schema_editor.connection.alias
    with open(DATA / "departements-fr.csv", encoding="utf-8") as fh:
        Departement.objects.using(db).bulk_create(
            Departement(code=row["code"], name=row["nom"], region_name=row["region_nom"])
            for row in csv.DictReader(fh)
        )
    known = set(Departement.objects.using(db).values_list("code", flat=True))
    with gzip.open(DATA / "communes-fr.csv.gz", "rb") as raw:
        rows = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"))
        communes = [
            Commune(
                code_insee=row["code_insee"],
                name=row["nom"],
                name_folded=fold(row["nom"]),
                kind=row["type"],
                departement_id=row["departement"],
                postal_codes=row["codes_postaux"],
                latitude=float(row["latitude"]) if row["latitude"] else None,
                longitude=float(row["longitude"]) if row["longitude"] else None,
                population=int(row["population"] or 0),
            )
            for row in rows
            if row["departement"] in known
        ]
    Commune.objects.using(db).bulk_create(communes, batch_size=2000)


def unload(apps, schema_editor):
    apps.get_model("geo", "Commune").objects.all().delete()
    apps.get_model("geo", "Departement").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, unload, elidable=False)]
