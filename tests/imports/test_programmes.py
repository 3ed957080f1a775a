"""An import targets one programme of the association (its default one unless chosen)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from binomes.models import Binome
from imports import services
from imports.models import ImportJob
from participants.models import Participant
from programmes.selectors import programme_default_for
from programmes.services import programme_create
from tests.api.conftest import as_alice, as_bob  # noqa: F401 - fixtures
from tests.imports.conftest import ADULT_MENTOR, TEEN_MENTEE, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def lycees(association, alice):  # noqa: ANN001
    return programme_create(association=association, by=alice, name="Lycéens 2026-2027", duration_months=9)


def test_the_people_join_the_chosen_programme_and_binomes_last_its_duration(association, alice, lycees):
    job = services.import_upload(association=association, by=alice, file_name="x.csv", content=csv_bytes(ADULT_MENTOR, TEEN_MENTEE),
                                 programme=lycees)
    services.import_map(job=job, by=alice, mapping=job.mapping)
    services.import_confirm(job=services.import_analyse(job_id=job.pk), by=alice, skip_lines=[])
    services.import_run(job_id=job.pk)

    assert set(Participant.objects.values_list("programme", flat=True)) == {lycees.pk}
    assert Binome.objects.get().planned_end_on.isoformat() == "2027-07-01"  # 1 October + 9 months


def test_without_a_choice_the_default_programme(association, alice):
    job = services.import_upload(association=association, by=alice, file_name="x.csv", content=csv_bytes(ADULT_MENTOR))

    assert job.programme == programme_default_for(association)


def test_another_associations_programme_is_refused(association, other_association, alice, bob):
    theirs = programme_default_for(other_association)

    with pytest.raises(ValidationError):
        services.import_upload(association=association, by=alice, file_name="x.csv", content=csv_bytes(ADULT_MENTOR), programme=theirs)


def test_the_upload_page_preselects_the_default_programme(client, association, alice, lycees):
    client.force_login(alice)

    page = client.get(f"/coordination/{association.slug}/imports/").content.decode()

    assert f'<option value="{programme_default_for(association).pk}" selected>' in page and "Lycéens 2026-2027" in page


def test_the_api_takes_the_programmes_slug_and_bob_cannot_name_his_own(as_alice, as_bob, bob, association, other_association, lycees):  # noqa: F811
    upload = {"file": SimpleUploadedFile("x.csv", csv_bytes(ADULT_MENTOR)), "programme": lycees.slug}
    response = as_alice.post(f"/api/v1/associations/{association.slug}/imports/", upload, format="multipart")
    assert response.status_code == 201 and response.json()["programme"] == lycees.slug

    other = programme_create(association=other_association, by=bob, name="Marseille Nord").slug
    response = as_alice.post(f"/api/v1/associations/{association.slug}/imports/",
                             {"file": SimpleUploadedFile("x.csv", csv_bytes(ADULT_MENTOR)), "programme": other}, format="multipart")
    assert response.status_code == 404 and ImportJob.objects.count() == 1


def test_a_coordinator_restricted_to_another_programme_sees_nothing_of_an_import(client, association, alice, lycees):
    """The import log and an import's pages (its row errors name people) follow the programme
    restriction, like every other door: 404 on the page and the API, absent from the log."""
    from associations.models import Membership
    from programmes.services import coordinator_restrict
    from tests import factories

    job = services.import_upload(association=association, by=alice, file_name="suivi.csv",
                                 content=csv_bytes(ADULT_MENTOR, TEEN_MENTEE), programme=programme_default_for(association))
    dora = factories.coordinator(association, email="dora@asso.example.org", first_name="Dora")
    coordinator_restrict(membership=Membership.objects.get(user=dora, association=association, role="coordinator"),
                         programmes=[lycees], by=alice)
    client.force_login(dora)

    assert client.get(f"/coordination/{association.slug}/imports/{job.pk}/").status_code == 404
    assert "suivi.csv" not in client.get(f"/coordination/{association.slug}/imports/").content.decode()
    assert client.get(f"/api/v1/associations/{association.slug}/imports/{job.pk}/").status_code == 404
    assert client.get(f"/api/v1/associations/{association.slug}/imports/").json()["count"] == 0
    client.force_login(alice)
    assert client.get(f"/coordination/{association.slug}/imports/{job.pk}/").status_code in (200, 302)
