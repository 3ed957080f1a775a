"""What protects minors' browsing and the public forms."""

from __future__ import annotations

import re

import pytest

from participants.models import Participant
from tests.participants.test_sign_up import mentee_form

pytestmark = pytest.mark.django_db


def test_pages_forbid_third_party_content_and_inline_scripts(client, association):
    response = client.get(f"/a/{association.slug}/inscription/mentore/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert not re.search(r"<script(?![^>]*\bsrc=)", response.content.decode())  # every script is a file


def test_api_docs_load_their_start_up_script_as_a_file(client):
    html = client.get("/api/v1/docs/").content.decode()

    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_sign_up_floods_from_one_address_are_refused_without_losing_the_form(client, association, settings):
    settings.SIGN_UP_RATE = "2/h"
    for i in range(2):
        client.post(f"/a/{association.slug}/inscription/mentore/", mentee_form(email=f"eleve{i}@example.org"))
        client.logout()

    response = client.post(f"/a/{association.slug}/inscription/mentore/", mentee_form(email="eleve3@example.org"))

    page = response.content.decode()
    assert "Trop d&#x27;envois depuis cette connexion" in page
    assert "Je voudrais faire médecine" in page  # nothing typed is lost
    assert Participant.objects.count() == 2


def test_association_registration_is_rate_limited_too(client, settings):
    settings.SIGN_UP_RATE = "1/h"
    client.post("/associations/inscription/", {"name": "Première"})

    page = client.post("/associations/inscription/", {"name": "Seconde"}).content.decode()

    assert "Trop d&#x27;envois depuis cette connexion" in page
