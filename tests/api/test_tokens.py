"""Integration tokens: created and revoked by coordinators on a page, stored hashed, acting with
their creator's rights for one association, their last use recorded at most once a minute."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from api import services as api_services
from api.models import ApiToken
from associations.models import Membership
from tests.api.conftest import csrf_headers, session_client, token_client

pytestmark = pytest.mark.django_db


def page(association):  # noqa: ANN001
    return f"/coordination/{association.slug}/api/"


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_alice_creates_a_token_shown_once_and_stored_hashed(client, alice, association):
    client.force_login(alice)
    html = client.post(page(association), {"name": "Tableur du financeur"}).content.decode()

    raw = re.search(r'<code id="raw-token">(mtr_[\w-]+)</code>', html).group(1)
    token = ApiToken.objects.get()
    assert (token.name, token.association, token.created_by) == ("Tableur du financeur", association, alice)
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.values().get())  # only the hash is stored
    assert raw not in client.get(page(association)).content.decode()  # never shown again
    assert bearer(raw).get("/api/v1/me/").json()["email"] == alice.email


def test_a_token_needs_a_name(client, alice, association):
    client.force_login(alice)
    response = client.post(page(association), {"name": " "})
    assert response.status_code == 400
    assert "Donnez un nom au jeton" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_page_shows_last_use_and_a_revoked_token_stops_working(client, alice, association):
    _token, raw = api_services.api_token_create(association=association, by=alice, name="CRM")
    assert bearer(raw).get("/api/v1/me/").status_code == 200
    client.force_login(alice)
    assert "jamais" not in client.get(page(association)).content.decode()

    token = ApiToken.objects.get()
    client.post(f"{page(association)}{token.pk}/revoquer/")

    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == alice
    response = bearer(raw).get("/api/v1/me/")
    assert response.status_code == 401
    assert "révoqué" in response.json()["detail"]


def test_bob_and_charlie_get_404_on_the_token_page(client, association, alice, bob, charlie):
    token, _raw = api_services.api_token_create(association=association, by=alice, name="CRM")
    for user in (bob, charlie.membership.user):
        client.force_login(user)
        assert client.get(page(association)).status_code == 404
        assert client.post(page(association), {"name": "x"}).status_code == 404
        assert client.post(f"{page(association)}{token.pk}/revoquer/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None and ApiToken.objects.count() == 1


def test_the_coordination_nav_links_to_the_page_and_the_page_to_the_docs(client, alice, association):
    client.force_login(alice)
    html = client.get(f"/coordination/{association.slug}/parametres/").content.decode()
    assert f'href="{page(association)}"' in html
    assert 'href="/api/v1/docs/"' in client.get(page(association)).content.decode()


def test_a_token_acts_only_for_its_association_even_if_its_creator_coordinates_another(alice, association, other_association, charlie):
    Membership.objects.create(user=alice, association=other_association, role=Membership.Role.COORDINATOR)
    client = token_client(alice, association)

    assert client.get(f"/api/v1/associations/{other_association.slug}/participants/").status_code == 404
    assert [a["slug"] for a in client.get("/api/v1/associations/").json()["results"]] == [association.slug]
    assert [a["slug"] for a in client.get("/api/v1/me/").json()["coordinates"]] == [association.slug]
    other_binome_client = token_client(alice, other_association)
    assert other_binome_client.get(f"/api/v1/associations/{association.slug}/").status_code == 404


def test_a_token_stops_working_when_its_creator_no_longer_coordinates(alice, association):
    client = token_client(alice, association)
    Membership.objects.filter(user=alice).update(ended_at=timezone.now())
    assert client.get("/api/v1/me/").status_code == 401


def test_last_use_is_written_at_most_once_a_minute(alice, association, django_assert_num_queries):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = token_client(alice, association)
        client.get("/api/v1/me/")
        token = ApiToken.objects.get()
        assert token.last_used_at == start
        # token lookup (one query, creator and association joined), coordinated associations,
        # participations: no write.
        with django_assert_num_queries(3):
            client.get("/api/v1/me/")
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get("/api/v1/me/")
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(seconds=61)


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer mtr_inconnu", "Bearer \u00e9"])
def test_a_bad_token_is_401_with_the_error_body(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert list(response.json()) == ["detail"]


def test_the_session_works_and_writes_need_the_csrf_token(alice, association):
    client = session_client(alice)
    assert client.get(f"/api/v1/associations/{association.slug}/").status_code == 200

    refused = client.patch(f"/api/v1/associations/{association.slug}/", {"programme_duration_months": 9}, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    accepted = client.patch(f"/api/v1/associations/{association.slug}/", {"programme_duration_months": 9}, format="json",
                            **csrf_headers(client))
    assert accepted.status_code == 200
    association.refresh_from_db()
    assert association.programme_duration_months == 9


def test_a_member_uses_the_api_with_their_session(mentee_user, binome):
    client = session_client(mentee_user)
    response = client.post(f"/api/v1/binomes/{binome.pk}/messages/", {"body": "Bonjour !"}, format="json", **csrf_headers(client))
    assert response.status_code == 201
