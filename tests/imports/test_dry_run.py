"""The dry run: row-level errors in French, and nothing written but the report."""

from __future__ import annotations

import pytest

from accounts.models import User
from binomes.models import Binome
from imports.models import ImportJob
from outbox.models import OutboxMessage
from participants.models import Participant
from tests import factories
from tests.imports.conftest import (
    ADULT_MENTOR,
    BAD_LINES,
    CHILD_MENTEE,
    TEEN_MENTEE,
    analysed,
    csv_bytes,
)

pytestmark = pytest.mark.django_db


def errors_by_line(job: ImportJob) -> dict[int, str]:
    return {row["line"]: " ".join(row["errors"]) for row in job.error_rows}


def test_the_300_row_file_shows_each_bad_row_and_writes_nothing(association, alice, file_300):
    users, outbox_rows = User.objects.count(), OutboxMessage.objects.count()

    job = analysed(association, alice, file_300, "suivi-2026.csv")

    assert job.status == ImportJob.Status.ANALYSED
    errors = errors_by_line(job)
    assert sorted(errors) == BAD_LINES
    assert "Commune inconnue" in errors[112]
    assert "invraisemblable" in errors[122]
    assert "déjà à la ligne 131" in errors[132]
    assert "sans contact d'un parent" in errors[142]
    assert "Moins de 15 ans sans courriel d'un parent" in errors[152]
    assert "Rôle inconnu : « animateur »" in errors[162]
    assert "inconnu@exemple.fr" in errors[172] and "ni dans le fichier" in errors[172]
    assert job.counts == {"rows": 300, "create": 293, "unchanged": 0, "errors": 7, "skipped": 0,
                          "binomes_create": 73, "binomes_unchanged": 0}
    # Nothing but the report: no account, no participant, no binôme, no e-mail on its way.
    assert User.objects.count() == users
    assert not Participant.objects.filter(association=association).exists()
    assert not Binome.objects.exists()
    assert OutboxMessage.objects.exclude(task="imports.tasks.analyse_import").count() == outbox_rows


def test_an_address_already_used_in_another_association_is_an_error(association, other_association, alice):
    factories.mentor(association=other_association, user=factories.UserFactory(email="awa.diallo@exemple.fr"))

    job = analysed(association, alice, csv_bytes(ADULT_MENTOR))

    assert "autre association" in errors_by_line(job)[2]


def test_a_binome_with_a_mentor_whose_row_has_an_error_is_an_error_too(association, alice):
    broken_mentor = ADULT_MENTOR.replace("Bobigny", "Nullepart").replace("93000", "")

    job = analysed(association, alice, csv_bytes(broken_mentor, TEEN_MENTEE))

    assert "Commune inconnue" in errors_by_line(job)[2]
    assert "Le mentor de ce binôme (ligne 2) a une erreur" in errors_by_line(job)[3]


def test_a_mentee_older_than_her_mentor_is_refused(association, alice):
    young_mentor = ADULT_MENTOR.replace("12/03/2000", "01/01/2011").replace("mentor;;;;;", "mentor;;;0601020304;;")  # 15, Inès 16

    job = analysed(association, alice, csv_bytes(young_mentor, TEEN_MENTEE))

    assert "plus âgé·e" in errors_by_line(job)[3]


def test_ages_follow_the_programmes_sign_up_bounds(association, alice):
    from programmes.selectors import programme_default_for

    programme = programme_default_for(association)  # the import's programme
    programme.mentee_max_age = 15
    programme.save(update_fields=["mentee_max_age"])

    job = analysed(association, alice, csv_bytes(ADULT_MENTOR, TEEN_MENTEE))  # Inès is 16

    assert "entre 11 et 15 ans" in errors_by_line(job)[3]


def test_a_file_without_the_required_columns_cannot_be_analysed(association, alice):
    from django.core.exceptions import ValidationError

    from imports import services

    job = services.import_upload(association=association, by=alice, file_name="x.csv", content=b"Nom;Pr\xc3\xa9nom\r\nA;B\r\n")

    with pytest.raises(ValidationError) as exc:
        services.import_map(job=job, by=alice, mapping=job.mapping)
    assert "Courriel" in str(exc.value)


def test_a_rerun_of_the_analysis_task_changes_nothing(association, alice):
    from imports import services

    job = analysed(association, alice, csv_bytes(ADULT_MENTOR, CHILD_MENTEE))
    again = services.import_analyse(job_id=job.pk)

    assert again.status == ImportJob.Status.ANALYSED and again.report == job.report
