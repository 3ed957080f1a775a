"""Every association gets its default programme, made from its own programme settings (duration,
age bounds), and every participant that exists joins their association's default programme, so
that 0008 can make the programme required. Nothing is deleted or changed otherwise."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

DEFAULT_SLUG = "principal"  # programmes.models.DEFAULT_SLUG at the time of writing
DEFAULT_NAME = "Programme principal"


def create_default_programmes(apps, schema_editor):  # noqa: ANN001, ARG001
    Association = apps.get_model("associations", "Association")
    Programme = apps.get_model("programmes", "Programme")
    without_default = Association.objects.exclude(programmes__is_default=True).order_by("pk")
    for association in without_default.iterator():
        taken = set(Programme.objects.filter(association=association).values_list("slug", flat=True))
        names = set(Programme.objects.filter(association=association).values_list("name", flat=True))
        slug, name, n = DEFAULT_SLUG, DEFAULT_NAME, 2
        while slug in taken or name in names:
            slug, name, n = f"{DEFAULT_SLUG}-{n}", f"{DEFAULT_NAME} {n}", n + 1
        Programme.objects.create(
            association=association,
            name=name,
            slug=slug,
            is_default=True,
            signup_open=True,
            intake="rolling",
            duration_months=association.programme_duration_months,
            mentee_min_age=association.mentee_min_age,
            mentee_max_age=association.mentee_max_age,
            mentor_min_age=association.mentor_min_age,
            mentor_max_age=association.mentor_max_age,
            created_at=association.created_at,
        )


def participants_join_the_default_programme(apps, schema_editor):  # noqa: ANN001
    create_default_programmes(apps, schema_editor)
    Participant = apps.get_model("participants", "Participant")
    Programme = apps.get_model("programmes", "Programme")
    default = Programme.objects.filter(association_id=OuterRef("association_id"), is_default=True).values("pk")[:1]
    Participant.objects.filter(programme__isnull=True).update(programme_id=Subquery(default))


class Migration(migrations.Migration):

    dependencies = [
        ("associations", "0003_checklist_dates"),
        ("participants", "0006_participant_programme_cohort"),
        ("programmes", "0001_initial"),
    ]

    operations = [
        # Reversed, 0006's reversal drops the column: nothing to undo here.
        migrations.RunPython(participants_join_the_default_programme, migrations.RunPython.noop),
    ]
