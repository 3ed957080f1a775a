"""The mentor's availability horizon through the API profile (issue 13): the pages' rules."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_mentor_sets_and_clears_their_horizon(as_mentor, binome, as_alice):
    url = f"/api/v1/me/profiles/{binome.mentor_id}/"
    body = as_mentor.patch(url, {"available_until": "2027-03-15", "available_until_reason": "abroad"}, format="json").json()
    assert (body["available_until"], body["available_until_reason"]) == ("2027-03-15", "abroad")
    seen = as_alice.get(f"/api/v1/associations/{binome.association.slug}/participants/{binome.mentor_id}/").json()
    assert (seen["available_until"], seen["matching_paused_on"]) == ("2027-03-15", None)

    cleared = as_mentor.patch(url, {"available_until": None}, format="json").json()
    assert (cleared["available_until"], cleared["available_until_reason"]) == (None, "")


def test_a_mentee_has_no_horizon(as_charlie, charlie):
    as_charlie.patch(f"/api/v1/me/profiles/{charlie.pk}/", {"available_until": "2027-03-15", "available_until_reason": "exam"}, format="json")
    charlie.refresh_from_db()
    assert (charlie.available_until, charlie.available_until_reason) == (None, "")
