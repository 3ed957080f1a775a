"""The import: all or nothing, skipped rows only when chosen, idempotent, logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from binomes.models import Binome
from imports import services
from imports.models import ImportJob
from outbox.models import OutboxMessage
from participants.models import Consent, Participant
from tests.imports.conftest import (
    ADULT_MENTOR,
    BAD_LINES,
    CHILD_MENTEE,
    TEEN_MENTEE,
    analysed,
    csv_bytes,
    imported,
)

pytestmark = pytest.mark.django_db


def test_a_file_with_errors_is_not_imported_unless_those_rows_are_skipped(association, alice, file_300):
    job = analysed(association, alice, file_300)

    with pytest.raises(ValidationError) as exc:
        services.import_confirm(job=job, by=alice, skip_lines=BAD_LINES[:-1])

    assert "172" in str(exc.value)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.ANALYSED
    assert not Participant.objects.filter(association=association).exists()


def test_the_300_row_file_imports_every_row_but_the_skipped_ones(association, alice, file_300):
    job = imported(association, alice, file_300, skip=BAD_LINES, name="suivi-2026.csv")

    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.unchanged_count, job.skipped_count, job.binomes_created_count) == (293, 0, 7, 73)
    assert Participant.objects.filter(association=association).count() == 293
    assert Binome.objects.filter(association=association, status="active").count() == 73
    assert not User.objects.filter(email__in=["jeune010@exemple.fr", "jeune020@exemple.fr"]).exists()
    # Everyone is validated by the coordinator and waits for their answer to the invitation.
    assert set(Participant.objects.values_list("status", "invitation_pending").distinct()) == {("validated", True)}
    assert OutboxMessage.objects.filter(task="imports.tasks.send_import_invitation").count() == 293
    assert job.content == b""  # the file leaves with the import


def test_re_importing_the_same_file_changes_nothing(association, alice, file_300):
    imported(association, alice, file_300, skip=BAD_LINES)
    before = (User.objects.count(), Participant.objects.count(), Binome.objects.count(), Consent.objects.count(),
              OutboxMessage.objects.count())

    again = analysed(association, alice, file_300)

    assert again.counts["create"] == 0 and again.counts["unchanged"] == 293 and again.counts["binomes_unchanged"] == 73
    services.import_confirm(job=again, by=alice, skip_lines=BAD_LINES)
    done = services.import_run(job_id=again.pk)
    assert done.status == ImportJob.Status.DONE and done.created_count == 0 and done.unchanged_count == 293
    assert (User.objects.count(), Participant.objects.count(), Binome.objects.count(), Consent.objects.count(),
            OutboxMessage.objects.count() - 2) == before  # only the two tasks of the second import itself


def test_a_failure_at_row_250_leaves_nothing(association, alice, file_300, monkeypatch):
    from participants import services as participant_services

    real, calls = participant_services.sign_up_rows, []

    def failing_at_250(**kwargs):  # noqa: ANN003, ANN202
        calls.append(1)
        if len(calls) == 250:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(services, "sign_up_rows", failing_at_250)  # the sign-up's rows of one person
    job = imported(association, alice, file_300, skip=BAD_LINES)

    assert len(calls) == 250
    assert job.status == ImportJob.Status.FAILED and "rien n'a été enregistré" in job.failure
    assert not Participant.objects.filter(association=association).exists()
    assert not User.objects.filter(email__endswith="@exemple.fr").exists()
    assert not Binome.objects.exists()
    assert not OutboxMessage.objects.filter(task="imports.tasks.send_import_invitation").exists()


def test_rows_that_became_wrong_since_the_dry_run_stop_the_import(association, alice):
    from tests import factories

    job = analysed(association, alice, csv_bytes(ADULT_MENTOR, CHILD_MENTEE))
    services.import_confirm(job=job, by=alice, skip_lines=[])
    factories.mentee(association=factories.AssociationFactory(), user=factories.UserFactory(email="yanis.traore@exemple.fr"))

    job = services.import_run(job_id=job.pk)

    assert job.status == ImportJob.Status.ANALYSED and "Rien n'a été importé" in job.failure
    assert [row["line"] for row in job.error_rows] == [3]
    assert not User.objects.filter(email="awa.diallo@exemple.fr").exists()


def test_running_the_import_task_twice_imports_once(association, alice):
    job = imported(association, alice, csv_bytes(ADULT_MENTOR, TEEN_MENTEE))

    services.import_run(job_id=job.pk)

    assert Participant.objects.count() == 2 and Binome.objects.count() == 1


def test_an_under_15_gets_the_parental_consent_request_and_a_mentor_a_capacity(association, alice):
    imported(association, alice, csv_bytes(ADULT_MENTOR, TEEN_MENTEE, CHILD_MENTEE))

    yanis = Participant.objects.get(membership__user__email="yanis.traore@exemple.fr")
    consent = Consent.objects.get(participant=yanis)
    assert (consent.kind, consent.given_by_email, consent.confirmed_at) == ("parent", "aminata.traore@exemple.fr", None)
    assert yanis.parent_phone == "0601020304"
    assert Participant.objects.get(role="mentor").capacity == 1
    binome = Binome.objects.get()
    assert binome.started_on.isoformat() == "2026-10-01" and binome.planned_end_on.isoformat() == "2027-04-01"


def test_one_import_at_a_time_per_association(association, alice):
    first = analysed(association, alice, csv_bytes(ADULT_MENTOR))
    second = analysed(association, alice, csv_bytes(CHILD_MENTEE))
    services.import_confirm(job=first, by=alice, skip_lines=[])

    with pytest.raises(ValidationError, match="Un autre import"):
        services.import_confirm(job=second, by=alice, skip_lines=[])
