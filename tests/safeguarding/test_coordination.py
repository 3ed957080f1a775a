"""The coordinators' held texts, page and API: alice (this association) releases or refuses, charlie
(a member) and bob (another association) get 404."""

from __future__ import annotations

import pytest

from binomes import messaging
from participants import services as participant_services
from safeguarding.models import TextReview

pytestmark = pytest.mark.django_db


def url(association, suffix=""):
    return f"/coordination/{association.slug}/textes-retenus/{suffix}"


def api(association, suffix=""):
    return f"/api/v1/associations/{association.slug}/held-texts/{suffix}"


@pytest.fixture
def held_message(binome, mentee_user):
    return messaging.message_send(binome=binome, by=mentee_user, body="mon 06 : 06 12 34 56 78").review


@pytest.fixture
def held_goals(binome, mentee_user):
    participant_services.participant_update_profile(participant=binome.mentee, by=mentee_user, profile={"goals_text": "snap: ines_93"})
    return TextReview.objects.get(kind="goals_text")


def test_alice_sees_every_held_text_of_her_association(client, alice, held_message, held_goals):
    client.force_login(alice)
    html = client.get(url(alice.memberships.first().association)).content.decode()

    assert "06 12 34 56 78" in html and "snap: ines_93" in html
    assert "un numéro de téléphone" in html and "un identifiant de réseau social" in html


def test_alice_releases_a_profile_text_and_the_partner_then_sees_it(client, association, alice, held_goals, binome, mentor_user,
                                                                    mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(association, f"{held_goals.pk}/transmettre/"))

    assert response.status_code == 302
    # The outbox also relays the coordinators' alert recorded when the text was held.
    to_members = [m for m in mailoutbox if alice.email not in m.to]
    assert [m.to for m in to_members] == [[binome.mentee.membership.user.email]]
    assert "il est maintenant visible par ton binôme" in to_members[0].body
    client.force_login(mentor_user)
    assert "snap: ines_93" in client.get(f"/mon-espace/binomes/{binome.pk}/").content.decode()


def test_a_refusal_without_reason_is_refused_and_nothing_is_lost(client, association, alice, held_goals):
    client.force_login(alice)
    response = client.post(url(association, f"{held_goals.pk}/refuser/"), {"reason": "  "})

    assert response.status_code == 400
    assert "Indiquez la raison du refus" in response.content.decode()
    held_goals.refresh_from_db()
    assert held_goals.status == "pending"


def test_a_refused_profile_text_is_never_shown_to_the_partner(client, association, alice, held_goals, binome, mentor_user):
    client.force_login(alice)
    client.post(url(association, f"{held_goals.pk}/refuser/"), {"reason": "Pas de réseaux sociaux."})

    client.force_login(mentor_user)
    html = client.get(f"/mon-espace/binomes/{binome.pk}/").content.decode()
    assert "ines_93" not in html and "Texte retiré par l&#x27;équipe" in html
    assert client.get(url(association)).status_code == 404  # and a member never reaches the page


def test_a_text_is_decided_once(client, association, alice, held_message):
    client.force_login(alice)
    client.post(url(association, f"{held_message.pk}/transmettre/"))
    response = client.post(url(association, f"{held_message.pk}/refuser/"), {"reason": "trop tard"}, follow=True)

    assert "déjà été traité" in response.content.decode()
    held_message.refresh_from_db()
    assert held_message.status == "released"


def test_charlie_and_bob_get_404_on_the_page(client, association, bob, charlie, held_message):
    for user in (charlie.membership.user, bob):
        client.force_login(user)
        assert client.get(url(association)).status_code == 404
        assert client.post(url(association, f"{held_message.pk}/transmettre/")).status_code == 404
    held_message.refresh_from_db()
    assert held_message.status == "pending"


def test_bob_cannot_reach_a_held_text_through_his_own_association(client, other_association, bob, held_message):
    client.force_login(bob)
    assert client.post(url(other_association, f"{held_message.pk}/transmettre/")).status_code == 404


# --- API ----------------------------------------------------------------------------------------------


def test_the_api_lists_releases_and_refuses(as_alice, as_mentor, association, binome, held_message, held_goals):
    listing = as_alice.get(api(association)).json()["results"]
    assert {(r["kind"], r["held"]) for r in listing} == {("message", True), ("goals_text", True)}
    assert next(r for r in listing if r["kind"] == "message")["binome"] == binome.pk

    released = as_alice.post(api(association, f"{held_message.pk}/release/"), {}, format="json")
    assert released.status_code == 200 and released.json()["status"] == "released"
    assert [m["body"] for m in as_mentor.get(f"/api/v1/binomes/{binome.pk}/messages/").json()["results"]] == ["mon 06 : 06 12 34 56 78"]

    assert as_alice.post(api(association, f"{held_goals.pk}/refuse/"), {"reason": ""}, format="json").status_code == 400
    refused = as_alice.post(api(association, f"{held_goals.pk}/refuse/"), {"reason": "Coordonnées."}, format="json")
    assert refused.json()["status"] == "refused" and refused.json()["refusal_reason"] == "Coordonnées."
    assert as_alice.get(api(association)).json()["results"] == []


def test_charlie_and_bob_get_404_on_the_api(as_charlie, as_bob, association, other_association, held_message):
    for client in (as_charlie, as_bob):
        assert client.get(api(association)).status_code == 404
        assert client.post(api(association, f"{held_message.pk}/release/"), {}, format="json").status_code == 404
        assert client.post(api(association, f"{held_message.pk}/refuse/"), {"reason": "x"}, format="json").status_code == 404
    assert as_bob.post(api(other_association, f"{held_message.pk}/release/"), {}, format="json").status_code == 404
    held_message.refresh_from_db()
    assert held_message.status == "pending"


def test_a_refused_message_no_longer_waits_on_the_binome_list(client, association, alice, held_message):
    client.force_login(alice)
    assert "message retenu" in client.get(f"/coordination/{association.slug}/binomes/").content.decode()

    client.post(url(association, f"{held_message.pk}/refuser/"), {"reason": "Coordonnées."})

    assert "message retenu" not in client.get(f"/coordination/{association.slug}/binomes/").content.decode()
    detail = client.get(f"/coordination/{association.slug}/binomes/{held_message.message.binome_id}/").content.decode()
    assert "Refusé : Coordonnées." in detail and "Transmettre ce message" not in detail


def test_the_held_texts_page_costs_a_fixed_number_of_queries(client, association, alice, binome, mentee_user, mentor_user,
                                                            django_assert_max_num_queries):
    for n in range(5):
        messaging.message_send(binome=binome, by=mentee_user if n % 2 else mentor_user, body=f"mon snap c'est pseudo_{n}")
    participant_services.participant_update_profile(participant=binome.mentee, by=mentee_user, profile={"goals_text": "insta: ines_9"})
    client.force_login(alice)

    # session, user, the association and the coordinator check, the programme selector
    # (programmes.picker), the reviews with their authors, messages, meetings and participants in
    # one join, the navigation (associations, unread).
    with django_assert_max_num_queries(8):
        response = client.get(url(association))
    assert response.content.decode().count('class="card"') == 6
