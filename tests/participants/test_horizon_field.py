"""Issue 13: a mentor says until when they are available, on their profile page."""

from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_mentor_is_asked_until_when_they_are_available(client, association):
    # Saving goes through participant_update_profile (tests/api/test_horizon_profile.py).
    mentor = factories.mentor(association=association, status="validated")
    client.force_login(mentor.membership.user)
    page = client.get(f"/mon-espace/profil/{mentor.pk}/").content.decode()
    assert 'name="available_until"' in page and 'name="available_until_reason"' in page
    assert "Préparation d&#x27;un concours" in page or "Préparation d'un concours" in page


def test_a_mentee_is_not_asked(client, charlie):
    client.force_login(charlie.membership.user)
    assert 'name="available_until"' not in client.get(f"/mon-espace/profil/{charlie.pk}/").content.decode()


def test_a_mentor_saves_their_horizon_on_the_profile_page(client, association):
    import datetime as dt

    mentor = factories.mentor(association=association, status="validated")
    client.force_login(mentor.membership.user)
    data = {
        "birth_date": mentor.birth_date.isoformat(), "commune": "Lille (59000)", "education": mentor.education,
        "field": mentor.field, "parents_pcs": "6", "help_with": ["stage"], "languages": ["fr"],
        "availability": ["sunday"], "meeting_format": "remote", "capacity": "1",
        "path_text": "Licence d'informatique à Lille, stage en entreprise.",
        "available_until": "2027-03-15", "available_until_reason": "abroad",
    }

    response = client.post(f"/mon-espace/profil/{mentor.pk}/", data)

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    mentor.refresh_from_db()
    assert mentor.available_until == dt.date(2027, 3, 15)
    assert mentor.available_until_reason == "abroad"
