"""Issue 12, step 2 of 3: every programme of an association gets a copy of the association's
settings row (the default programme keeps the row itself); nothing is lost. Back: each
association keeps its default programme's row (or, failing that, one of its rows)."""

from django.db import migrations

FIELDS = (
    "weight_generational", "weight_social", "weight_goals", "weight_geography", "weight_availability",
    "ideal_age_gap", "min_age_gap", "max_age_gap", "max_distance_km", "allow_minor_mentors_for_minors", "periodic_runs",
    "proximity_first", "priority_strength", "allow_shorter_pairs",
)


def copy_to_programmes(apps, schema_editor):  # noqa: ANN001, ARG001
    MatchingSettings = apps.get_model("matching", "MatchingSettings")
    Programme = apps.get_model("programmes", "Programme")
    copies = []
    for row in MatchingSettings.objects.filter(programme__isnull=True).order_by("pk"):
        programmes = list(Programme.objects.filter(association_id=row.association_id).order_by("-is_default", "pk"))
        if not programmes:
            continue  # cannot happen (every association has a default programme); the row stays as it was
        first, *others = programmes
        row.programme_id = first.pk
        row.save(update_fields=["programme"])
        copies += [
            MatchingSettings(association_id=row.association_id, programme_id=p.pk, **{f: getattr(row, f) for f in FIELDS})
            for p in others
        ]
    MatchingSettings.objects.bulk_create(copies, batch_size=500)


def keep_one_per_association(apps, schema_editor):  # noqa: ANN001, ARG001
    MatchingSettings = apps.get_model("matching", "MatchingSettings")
    kept: set[int] = set()
    for row in MatchingSettings.objects.order_by("association_id", "-programme__is_default", "pk"):
        if row.association_id in kept:
            row.delete()
        else:
            kept.add(row.association_id)
    MatchingSettings.objects.update(programme=None)


class Migration(migrations.Migration):

    dependencies = [
        ("matching", "0007_settings_per_programme"),
    ]

    operations = [migrations.RunPython(copy_to_programmes, keep_one_per_association)]
