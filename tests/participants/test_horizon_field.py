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
