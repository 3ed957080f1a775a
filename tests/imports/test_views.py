"""The coordinators' pages: alice (coordinator) can, charlie (a mentee of the association) and bob
(coordinator of another association) get a 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import services
from imports.models import ImportJob
from participants.models import Participant
from tests.imports.conftest import ADULT_MENTOR, BAD_LINES, TEEN_MENTEE, analysed, csv_bytes

pytestmark = pytest.mark.django_db


def base(association) -> str:  # noqa: ANN001
    return f"/coordination/{association.slug}/imports/"


def upload(client, association, content: bytes, name: str = "suivi.csv"):  # noqa: ANN001, ANN201
    return client.post(base(association), {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_alice_uploads_checks_the_columns_reads_the_dry_run_and_imports(client, association, alice, file_300):
    client.force_login(alice)

    response = upload(client, association, file_300, "suivi-2026.csv")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{base(association)}{job.pk}/"
    page = client.get(f"{base(association)}{job.pk}/").content.decode()
    assert "Que contient chaque colonne ?" in page and '<option value="birth_date" selected>' in page

    data = {f"col_{i}": name for i, name in enumerate(job.mapping)}
    assert client.post(f"{base(association)}{job.pk}/colonnes/", data).status_code == 302
    page = client.get(f"{base(association)}{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and "Analyse du fichier en cours" in page

    services.import_analyse(job_id=job.pk)  # the worker
    page = client.get(f"{base(association)}{job.pk}/").content.decode()
    assert "Commune inconnue" in page and "Ignorer la ligne 172" in page and 'http-equiv="refresh"' not in page

    client.post(f"{base(association)}{job.pk}/confirmer/", {"skip": BAD_LINES[:3]})  # not every bad line
    assert ImportJob.objects.get().status == ImportJob.Status.ANALYSED
    client.post(f"{base(association)}{job.pk}/confirmer/", {"skip_all_errors": "1"})
    assert ImportJob.objects.get().status == ImportJob.Status.IMPORTING
    assert "Import en cours" in client.get(f"{base(association)}{job.pk}/").content.decode()

    services.import_run(job_id=job.pk)  # the worker
    listing = client.get(base(association)).content.decode()
    assert "suivi-2026.csv" in listing and "293 créé·es" in listing and "73 binômes" in listing


def test_an_unreadable_file_is_an_error_on_the_form(client, association, alice):
    client.force_login(alice)

    response = upload(client, association, b"", "vide.csv")

    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_the_log_lists_each_import_with_who_and_when(client, association, alice, django_assert_max_num_queries):
    for _ in range(3):
        analysed(association, alice, csv_bytes(ADULT_MENTOR))
    client.force_login(alice)

    # session, user, association, coordinator check, the imports (with their uploaders), plus the page's own.
    with django_assert_max_num_queries(10):
        page = client.get(base(association)).content.decode()

    assert page.count("import.csv") == 3 and "Alice" in page


@pytest.mark.parametrize("path", ["", "{job}/", "{job}/colonnes/", "{job}/confirmer/", "{job}/abandonner/"])
def test_bob_and_charlie_get_a_404(client, association, alice, bob, charlie, path):
    job = analysed(association, alice, csv_bytes(ADULT_MENTOR, TEEN_MENTEE))
    url = base(association) + path.format(job=job.pk)

    for intruder in (bob, charlie.membership.user):
        client.force_login(intruder)
        assert client.get(url).status_code in (404, 405)  # the actions take a POST only
        assert client.post(url, {"skip_all_errors": "1"}).status_code == 404
    assert ImportJob.objects.get().status == ImportJob.Status.ANALYSED
    assert not Participant.objects.filter(association=association).exclude(pk=charlie.pk).exists()


def test_bob_cannot_reach_alices_import_from_his_own_association(client, association, other_association, alice, bob):
    job = analysed(association, alice, csv_bytes(ADULT_MENTOR))
    client.force_login(bob)

    assert client.get(f"{base(other_association)}{job.pk}/").status_code == 404


def test_abandoning_deletes_the_file(client, association, alice):
    job = analysed(association, alice, csv_bytes(ADULT_MENTOR))
    client.force_login(alice)

    client.post(f"{base(association)}{job.pk}/abandonner/")

    job.refresh_from_db()
    assert job.status == ImportJob.Status.ABANDONED and bytes(job.content) == b""


def test_the_navigation_links_to_the_imports(client, association, alice):
    client.force_login(alice)

    assert f'href="{base(association)}"' in client.get(f"/coordination/{association.slug}/participants/").content.decode()
