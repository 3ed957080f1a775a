"""Participants through the API: the page's filters and order, decisions, French field errors,
and one query per list page whatever its size."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from participants.models import Participant
from tests import factories

pytestmark = pytest.mark.django_db


def url(association, path=""):  # noqa: ANN001
    return f"/api/v1/associations/{association.slug}/participants/{path}"


def test_alice_lists_the_mentees_waiting_for_more_than_30_days(as_alice, association, charlie):
    long_wait = factories.mentee(association=association, status="validated")
    # Validated at noon, 45 calendar days ago in Paris: waiting days count calendar days there, so
    # "now minus 45 x 24 h" gives 44 late in the evening when a summer-time change lies between.
    noon = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=45), time(12)))
    Participant.objects.filter(pk=long_wait.pk).update(validated_at=noon)
    factories.mentor(association=association, status="validated")

    body = as_alice.get(url(association), {"role": "mentee", "status": "validated", "waiting": 30}).json()

    assert [p["id"] for p in body["results"]] == [long_wait.pk]
    assert body["results"][0]["waiting_days"] == 45
    assert body["count"] == 1


def test_pending_sign_ups_come_first_as_on_the_page(as_alice, association, charlie):
    pending = factories.mentee(association=association)
    assert [p["id"] for p in as_alice.get(url(association)).json()["results"]] == [pending.pk, charlie.pk]


def test_an_unknown_filter_value_is_a_french_field_error(as_alice, association):
    response = as_alice.get(url(association), {"waiting": 12, "role": "coordinator"})
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"waiting", "role"}
    assert "n'est pas un choix valide" in body["errors"]["role"][0]
    assert body["detail"].startswith("Certaines données")


def test_the_list_is_paginated_in_one_query_per_page(as_alice, association, django_assert_max_num_queries):
    for _ in range(12):
        factories.mentee(association=association)
    as_alice.get("/api/v1/me/")  # the token's last use is written once; not part of the budget
    # token, is_coordinator (selector), association (slug), count, page of participants
    # (users, communes, départements joined).
    with django_assert_max_num_queries(6):
        body = as_alice.get(url(association), {"page_size": 5, "page": 2}).json()
    assert body["count"] == 12 and len(body["results"]) == 5 and body["next"] and body["previous"]


def test_validate_decline_and_vetting(as_alice, association, alice):
    pending = factories.mentee(association=association)
    mentor = factories.mentor(association=association)

    assert as_alice.post(url(association, f"{pending.pk}/validate/")).json()["status"] == "validated"
    refused = as_alice.post(url(association, f"{mentor.pk}/decline/"), {"reason": " "}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"reason": ["Indiquez la raison du refus."]}
    assert as_alice.post(url(association, f"{mentor.pk}/decline/"), {"reason": "Profil incomplet"}, format="json").json()["status"] == "declined"

    vetting = as_alice.post(url(association, f"{mentor.pk}/vetting/"), {"issued_on": "2026-01-01", "verified_on": "2026-01-10", "expires_on": "2025-01-10"}, format="json")
    assert vetting.status_code == 400 and "expires_on" in vetting.json()["errors"]
    today = timezone.localdate()
    ok = as_alice.post(url(association, f"{mentor.pk}/vetting/"),
                       {"issued_on": str(today - timedelta(days=20)), "verified_on": str(today), "expires_on": str(today + timedelta(days=365))}, format="json").json()
    assert ok["vetting_valid"] is True and ok["vetting_expires_on"] == str(today + timedelta(days=365))
    mentor.refresh_from_db()
    assert mentor.vetting_recorded_by == alice


def test_a_refused_decision_says_why(as_alice, association, charlie):
    response = as_alice.post(url(association, f"{charlie.pk}/validate/"))
    assert response.status_code == 400
    assert response.json() == {"detail": "Cette inscription est déjà validée.",
                               "errors": {"non_field_errors": ["Cette inscription est déjà validée."]}}


def test_mass_assignment_on_a_decision_changes_nothing_else(as_alice, association, other_association):
    pending = factories.mentee(association=association)
    as_alice.post(url(association, f"{pending.pk}/validate/"),
                  {"association": other_association.pk, "role": "mentor", "status": "withdrawn", "user": 1}, format="json")
    pending.refresh_from_db()
    assert (pending.association, pending.role, pending.status) == (association, "mentee", "validated")


# --- keyset pages: the `next` link carries the last row's sort key


def _walk(client, first_url, **params):  # noqa: ANN001, ANN202 - every id, following `next`
    ids, body = [], client.get(first_url, params).json()
    ids += [p["id"] for p in body["results"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        ids += [p["id"] for p in body["results"]]
    return ids


def test_following_next_walks_the_pages_order_without_repeats(as_alice, association, charlie):
    now = timezone.now()
    for days in (3, 40, 10):
        factories.mentee(association=association, status="validated", validated_at=now - timedelta(days=days))
    factories.mentee(association=association, status="declined", decline_reason="Hors territoire")
    for _ in range(3):
        factories.mentee(association=association)

    walked = _walk(as_alice, url(association), page_size=2)

    every_page_at_once = [p["id"] for p in as_alice.get(url(association), {"page_size": 50}).json()["results"]]
    assert walked == every_page_at_once and len(walked) == 8


def test_a_sign_up_arriving_between_two_pages_neither_repeats_nor_hides_a_row(as_alice, association):
    for _ in range(4):
        factories.mentee(association=association)
    first = as_alice.get(url(association), {"page_size": 2}).json()

    # Sorted before the cursor (a pending sign-up created earlier than every other one): with
    # OFFSET it would push the second page's first row back onto the first page.
    early = factories.mentee(association=association, created_at=timezone.now() - timedelta(days=9))
    second = as_alice.get(first["next"]).json()

    seen = [p["id"] for p in first["results"] + second["results"]]
    pending_before = list(Participant.objects.filter(association=association).exclude(pk=early.pk)
                          .order_by("created_at", "pk").values_list("pk", flat=True))
    assert seen == pending_before


def test_a_cursor_page_costs_what_the_first_page_costs(as_alice, association, django_assert_max_num_queries):
    for _ in range(12):
        factories.mentee(association=association)
    as_alice.get("/api/v1/me/")
    next_link = as_alice.get(url(association), {"page_size": 5}).json()["next"]
    # token, is_coordinator (selector), association (slug), count, the page's rows from the cursor.
    with django_assert_max_num_queries(6):
        body = as_alice.get(next_link).json()
    assert len(body["results"]) == 5 and body["next"]


def test_a_tampered_cursor_is_a_french_field_error(as_alice, association):
    response = as_alice.get(url(association), {"cursor": "bm90LWEtY3Vyc29y"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"cursor": ["Ce lien de suite de liste n'est pas valide."]}
