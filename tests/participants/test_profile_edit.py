from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def profile_data(participant, **overrides):
    data = {
        "birth_date": participant.birth_date.isoformat(), "commune": "Lille (59000)", "education": "bac_1_2",
        "field": "numerique", "parents_pcs": "6", "goals": ["stage"], "languages": ["fr"],
        "availability": ["sunday"], "meeting_format": "remote",
    }
    data.update(overrides)
    return data


def test_participant_edits_own_profile(client, charlie):
    client.force_login(charlie.membership.user)

    response = client.post(f"/mon-espace/profil/{charlie.pk}/", profile_data(charlie))

    assert response.status_code == 302
    charlie.refresh_from_db()
    assert charlie.commune_id == "59350"
    assert charlie.goals == ["stage"]
    assert charlie.meeting_format == "remote"


def test_edit_form_shows_the_commune_as_typed_label(client, charlie):
    client.force_login(charlie.membership.user)

    page = client.get(f"/mon-espace/profil/{charlie.pk}/").content.decode()

    assert 'value="Bobigny (93000)"' in page


def test_invalid_edit_keeps_the_stored_profile(client, charlie):
    client.force_login(charlie.membership.user)

    response = client.post(f"/mon-espace/profil/{charlie.pk}/", profile_data(charlie, birth_date="2099-01-01"))

    assert response.status_code == 200
    charlie.refresh_from_db()
    assert charlie.commune_id == "93008"


def test_nobody_else_can_open_a_profile(client, association, charlie, alice):
    other_mentee = factories.mentee(association=association)
    for user in (other_mentee.membership.user, alice):
        client.force_login(user)
        assert client.get(f"/mon-espace/profil/{charlie.pk}/").status_code == 404
        assert client.post(f"/mon-espace/profil/{charlie.pk}/", profile_data(charlie)).status_code == 404


def test_anonymous_is_sent_to_login(client, charlie):
    response = client.get(f"/mon-espace/profil/{charlie.pk}/")
    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"]
