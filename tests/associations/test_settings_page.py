"""Programme settings at /coordination/<slug>/parametres/ (duration, age bounds)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.associations.helpers import field_block, field_errors

pytestmark = pytest.mark.django_db


def url(association):
    return f"/coordination/{association.slug}/parametres/"


def programme(**overrides):
    data = {"programme_duration_months": "9", "mentee_min_age": "14", "mentee_max_age": "25", "mentor_min_age": "18", "mentor_max_age": "35"}
    data.update(overrides)
    return data


def test_alice_sees_the_current_settings(client, alice, association):
    client.force_login(alice)

    page = client.get(url(association)).content.decode()

    assert 'value="6"' in field_block(page, "programme_duration_months")
    assert 'value="11"' in field_block(page, "mentee_min_age")


def test_alice_updates_duration_and_age_bounds(client, alice, association):
    client.force_login(alice)

    response = client.post(url(association), programme(), follow=True)

    assert "Paramètres enregistrés." in [str(m) for m in response.context["messages"]]
    association.refresh_from_db()
    assert association.programme_duration_months == 9
    assert (association.mentee_min_age, association.mentee_max_age) == (14, 25)
    assert (association.mentor_min_age, association.mentor_max_age) == (18, 35)
    # The public page tells applicants the new bounds.
    public = client.get(f"/a/{association.slug}/").content.decode()
    assert "Le programme dure 9 mois." in public
    assert "de 14 à 25 ans" in public


@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_min_above_max_is_explained_next_to_the_max(client, alice, association, role):
    client.force_login(alice)

    response = client.post(url(association), programme(**{f"{role}_min_age": "30", f"{role}_max_age": "20"}))

    page = response.content.decode()
    assert "doit être au moins égal à l'âge minimum" in " ".join(field_errors(page, f"{role}_max_age"))
    assert 'value="30"' in field_block(page, f"{role}_min_age")
    association.refresh_from_db()
    assert association.programme_duration_months == 6


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("programme_duration_months", "0", "supérieure ou égale à 1"),
        ("programme_duration_months", "48", "inférieure ou égale à 36"),
        ("mentee_min_age", "5", "supérieure ou égale à 8"),
        ("mentee_max_age", "40", "inférieure ou égale à 35"),
        ("mentor_min_age", "12", "supérieure ou égale à 14"),
        ("mentor_max_age", "99", "inférieure ou égale à 80"),
        ("mentee_min_age", "douze", "Saisissez un nombre entier."),
    ],
)
def test_out_of_bounds_values_are_refused_in_french(client, alice, association, field, value, message):
    client.force_login(alice)

    response = client.post(url(association), programme(**{field: value}))

    page = response.content.decode()
    assert response.status_code == 200
    assert message in " ".join(field_errors(page, field))
    assert f'value="{value}"' in field_block(page, field)
    association.refresh_from_db()
    assert association.programme_duration_months == 6


def test_empty_submission_marks_the_fields(client, alice, association):
    client.force_login(alice)

    response = client.post(url(association), {})

    assert "Ce champ est obligatoire." in " ".join(field_errors(response.content.decode(), "programme_duration_months"))


def test_bob_of_another_association_gets_404(client, bob, association):
    client.force_login(bob)

    assert client.get(url(association)).status_code == 404
    assert client.post(url(association), programme()).status_code == 404
    association.refresh_from_db()
    assert association.programme_duration_months == 6


def test_charlie_a_mentee_of_the_same_association_gets_404(client, charlie, association):
    client.force_login(charlie.membership.user)

    assert client.get(url(association)).status_code == 404
    assert client.post(url(association), programme()).status_code == 404
    association.refresh_from_db()
    assert association.programme_duration_months == 6


def test_anonymous_is_sent_to_login(client, association):
    response = client.post(url(association), programme())

    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/?next=")
    association.refresh_from_db()
    assert association.programme_duration_months == 6


def test_a_former_coordinator_gets_404(client, alice, association):
    alice.memberships.update(ended_at=timezone.now())
    client.force_login(alice)

    assert client.get(url(association)).status_code == 404


def test_alice_chooses_whether_messages_with_contact_details_are_held(client, alice, association):
    client.force_login(alice)
    assert association.hold_flagged_messages  # held by default: the safer choice for minors

    client.post(url(association), programme())
    association.refresh_from_db()
    assert not association.hold_flagged_messages

    client.post(url(association), programme(hold_flagged_messages="on"))
    association.refresh_from_db()
    assert association.hold_flagged_messages
