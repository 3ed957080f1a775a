"""The acting user's account, status and own profile; what a client may never set."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from participants.models import Participant

pytestmark = pytest.mark.django_db


def test_a_mentee_sees_that_they_wait(as_charlie, charlie, association):
    Participant.objects.filter(pk=charlie.pk).update(validated_at=timezone.now() - timedelta(days=12))
    body = as_charlie.get("/api/v1/me/").json()
    assert body["coordinates"] == []
    assert body["participations"] == [{
        "id": charlie.pk, "association": {"slug": association.slug, "name": association.name}, "role": "mentee",
        "status": "validated", "status_label": "validé·e", "created_at": body["participations"][0]["created_at"],
        "validated_at": body["participations"][0]["validated_at"], "waiting_days": 12, "decline_reason": "",
    }]


def test_a_participant_updates_their_profile_with_the_pages_rules(as_charlie, charlie):
    url = f"/api/v1/me/profiles/{charlie.pk}/"
    ok = as_charlie.patch(url, {"goals": ["stage", "reseau", "stage"], "commune": "13201", "goals_text": "Devenir infirmière"}, format="json")
    assert ok.status_code == 200
    assert (ok.json()["goals"], ok.json()["commune"], ok.json()["commune_name"]) == (["stage", "reseau"], "13201", "Marseille 1er Arrondissement")

    too_old = as_charlie.patch(url, {"birth_date": "1950-01-01"}, format="json")
    assert too_old.status_code == 400
    assert "il faut avoir entre 11 et 30 ans" in too_old.json()["errors"]["birth_date"][0]

    bad_code = as_charlie.patch(url, {"commune": "00000", "languages": []}, format="json").json()["errors"]
    assert set(bad_code) == {"commune", "languages"}


def test_mass_assignment_on_the_profile_changes_nothing_it_should_not(as_charlie, charlie, other_association, alice):
    as_charlie.patch(f"/api/v1/me/profiles/{charlie.pk}/", {
        "association": other_association.pk, "role": "mentor", "status": "validated", "user": alice.pk,
        "membership": 1, "validated_at": "2020-01-01T00:00:00Z", "vetting_verified_on": "2026-01-01",
        "vetting_expires_on": "2030-01-01", "reviewed_by": alice.pk, "capacity": 3, "field": "sante",
    }, format="json")
    charlie.refresh_from_db()
    assert charlie.field == "sante"  # the one profile field sent
    assert (charlie.association_id, charlie.role, charlie.membership.user.email) == (alice.memberships.get().association_id, "mentee", "charlie@example.org")
    assert (charlie.vetting_verified_on, charlie.capacity, charlie.reviewed_by) == (None, None, None)


def test_a_mentor_keeps_capacity_within_bounds(as_mentor, binome):
    response = as_mentor.patch(f"/api/v1/me/profiles/{binome.mentor_id}/", {"capacity": 5}, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["capacity"]
    assert as_mentor.patch(f"/api/v1/me/profiles/{binome.mentor_id}/", {"capacity": 2}, format="json").json()["capacity"] == 2
