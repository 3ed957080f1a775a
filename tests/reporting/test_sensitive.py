"""The sensitive answers (ASE, disability) never reach a page, a list, an export, the API or the
admin about one person: only the report's aggregates count them."""

from __future__ import annotations

import re

import pytest

from reporting import services
from tests import factories
from tests.api.conftest import session_client, token_client

pytestmark = pytest.mark.django_db

# What would give an answer away: the field names, their French wording, the model.
MARKERS = re.compile(r"\bASE\b|aide sociale|handicap|disability|target_public|TargetPublic|\"ase\"", re.IGNORECASE)


@pytest.fixture
def inès(association):
    person = factories.mentee(association=association, status="validated", user=factories.UserFactory(first_name="Inès"),
                              birth_date=factories.years_ago(17))
    services.target_public_save(participant=person, by=person.membership.user, ase=True, disability=True)
    return person


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def test_the_coordinators_participant_page_and_list_do_not_show_them(client, alice, association, inès):
    client.force_login(alice)

    for url in (f"/coordination/{association.slug}/participants/{inès.pk}/", f"/coordination/{association.slug}/participants/"):
        body = text(client.get(url))
        assert "Inès" in body
        assert not MARKERS.search(body), url


def test_the_exports_do_not_show_them(client, alice, association, inès):
    client.force_login(alice)
    factories.mentor(association=association, status="validated")

    for url in (f"/coordination/{association.slug}/tableau-de-bord/binomes.csv?sep=semicolon",
                f"/coordination/{association.slug}/tableau-de-bord/indicateurs.csv"):
        assert not MARKERS.search(text(client.get(url))), url


def test_the_api_does_not_show_them(alice, association, inès):
    api = token_client(alice, association)

    for url in (f"/api/v1/associations/{association.slug}/participants/", f"/api/v1/associations/{association.slug}/participants/{inès.pk}/"):
        assert not MARKERS.search(text(api.get(url))), url


def test_the_admin_does_not_show_them(operator, inès):
    client = session_client(operator)
    operator.is_superuser = True
    operator.save()

    for url in ("/admin/", "/admin/participants/participant/", f"/admin/participants/participant/{inès.pk}/change/"):
        body = text(client.get(url))
        assert not re.search(r"aide sociale|handicap|disability|target.?public", body, re.IGNORECASE), url
    assert client.get("/admin/reporting/targetpublic/").status_code == 404


def test_the_person_finds_their_own_answers_in_their_data_export(client, inès):
    client.force_login(inès.membership.user)

    data = client.get("/mon-espace/mes-donnees/export.json").json()

    answers = data["profiles"][0]["funder_answers"]
    assert [(a["ase"], a["disability"]) for a in answers] == [(True, True)]


def test_an_erasure_erases_the_answers(inès):
    from privacy.anonymise import participant_anonymise
    from reporting.models import TargetPublic

    participant_anonymise(participant=inès, reason="test")

    profile = TargetPublic.objects.get(participant=inès)
    assert (profile.ase, profile.disability, profile.consent.withdrawn_at is not None) == (None, None, True)
