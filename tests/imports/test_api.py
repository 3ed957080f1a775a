"""The imports' endpoints: the same services and permissions as the pages (alice can; bob,
another association's coordinator, and charlie, a mentee, get a 404)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import services
from imports.models import ImportJob
from participants.models import Participant
from tests.api.conftest import as_alice, as_bob, as_charlie, token_client  # noqa: F401 - fixtures
from tests.imports.conftest import ADULT_MENTOR, BAD_LINES, TEEN_MENTEE, analysed, csv_bytes

pytestmark = pytest.mark.django_db


def url(association, rest: str = "") -> str:  # noqa: ANN001
    return f"/api/v1/associations/{association.slug}/imports/{rest}"


def test_alice_uploads_reads_the_dry_run_and_confirms(as_alice, association, alice, file_300):  # noqa: F811
    response = as_alice.post(url(association), {"file": SimpleUploadedFile("suivi.csv", file_300)}, format="multipart")
    assert response.status_code == 201, response.json()
    job_id = response.json()["id"]
    assert response.json()["status"] == "uploaded" and "birth_date" in response.json()["mapping"]

    mapping = response.json()["mapping"]
    response = as_alice.post(url(association, f"{job_id}/mapping/"), {"mapping": mapping}, format="json")
    assert response.status_code == 202 and response.json()["status"] == "analysing"
    services.import_analyse(job_id=job_id)  # the worker

    body = as_alice.get(url(association, f"{job_id}/")).json()
    assert body["status"] == "analysed" and body["counts"]["errors"] == 7 and body["progress"] == 100
    assert [row["line"] for row in body["errors"]] == BAD_LINES

    refused = as_alice.post(url(association, f"{job_id}/confirm/"), {"skip_lines": []}, format="json")
    assert refused.status_code == 400 and "112" in refused.json()["detail"]
    response = as_alice.post(url(association, f"{job_id}/confirm/"), {"skip_lines": BAD_LINES}, format="json")
    assert response.status_code == 202 and response.json()["status"] == "importing"
    services.import_run(job_id=job_id)  # the worker

    body = as_alice.get(url(association, f"{job_id}/")).json()
    assert body["status"] == "done" and body["created_count"] == 293 and body["binomes_created_count"] == 73
    assert as_alice.get(url(association)).json()["results"][0]["id"] == job_id


def test_an_upload_with_its_mapping_starts_the_dry_run(as_alice, association):  # noqa: F811
    mapping = ["last_name", "first_name", "birth_date", "email", "postal_code", "commune", "role", "parent_name", "parent_email",
               "parent_phone", "mentor_email", "binome_started_on"]

    response = as_alice.post(url(association), {"file": SimpleUploadedFile("x.csv", csv_bytes(ADULT_MENTOR, TEEN_MENTEE)),
                                                 "mapping": mapping}, format="multipart")

    assert response.status_code == 201 and response.json()["status"] == "analysing"


def test_a_bad_file_is_a_400_in_french(as_alice, association):  # noqa: F811
    response = as_alice.post(url(association), {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04rien")}, format="multipart")

    assert response.status_code == 400 and "ne peut pas être lu" in str(response.json())


@pytest.mark.parametrize("rest", ["", "{job}/", "{job}/mapping/", "{job}/confirm/"])
def test_bob_and_charlie_get_a_404(as_bob, as_charlie, association, alice, charlie, rest):  # noqa: F811
    job = analysed(association, alice, csv_bytes(ADULT_MENTOR))

    for client in (as_bob, as_charlie):
        assert client.get(url(association, rest.format(job=job.pk))).status_code in (404, 405)
        assert client.post(url(association, rest.format(job=job.pk)), {}, format="json").status_code in (404, 405)
    assert ImportJob.objects.get().status == ImportJob.Status.ANALYSED
    assert not Participant.objects.filter(association=association).exclude(pk=charlie.pk).exists()


def test_a_token_acts_only_for_its_own_association(association, other_association, alice):
    from associations.models import Membership

    Membership.objects.create(user=alice, association=other_association, role=Membership.Role.COORDINATOR)
    job = analysed(association, alice, csv_bytes(ADULT_MENTOR))
    other_token = token_client(alice, other_association)

    assert other_token.get(url(association, f"{job.pk}/")).status_code == 404


@pytest.mark.parametrize("name", ["photo.jpg", "photo.csv", "photo.xlsx"])
def test_a_picture_sent_as_the_file_is_a_french_error_not_a_server_error(as_alice, association, name):  # noqa: F811
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00C\x00P7<F<2PFAFZUP_x\x00\x0b\x08"

    response = as_alice.post(url(association), {"file": SimpleUploadedFile(name, jpeg)}, format="multipart")

    assert response.status_code == 400, response.content
    assert not ImportJob.objects.exists()
