"""Loading of the départements and communes shipped in geo/data/ (INSEE COG, La Poste)."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path
from typing import Any

from geo.text import fold

DATA = Path(__file__).resolve().parent / "data"


def load_reference_data(departement_model: Any, commune_model: Any, using: str = "default") -> int:
    """Insert every département and commune; the models are passed in so the migration can use its
    historical models. Returns the number of communes (about 1 s on PostgreSQL)."""
    with open(DATA / "departements-fr.csv", encoding="utf-8") as fh:
        departement_model.objects.using(using).bulk_create(
            departement_model(code=row["code"], name=row["nom"], region_name=row["region_nom"])
            for row in csv.DictReader(fh)
        )
    known = set(departement_model.objects.using(using).values_list("code", flat=True))
    with gzip.open(DATA / "communes-fr.csv.gz", "rb") as raw:
        rows = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"))
        communes = [
            commune_model(
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
    commune_model.objects.using(using).bulk_create(communes, batch_size=2000)
    # The communes the source leaves without a position get an estimate (geo.coordinates): done by
    # migration 0003 on a fresh database, and here whenever the data is loaded again (tests reload
    # it after a flush). Migration 0002's historical model has no such field yet.
    if any(f.name == "coordinates_estimated" for f in commune_model._meta.get_fields()):
        from geo.coordinates import fill_missing_coordinates

        fill_missing_coordinates(commune_model, using)
    return len(communes)
