"""Rights on request: export (complete, scoped, logged), erasure (confirmed by a coordinator, the
partner's view coherent), the parent of an under-15, and the re-acceptance of a new notice."""

from __future__ import annotations

import json

import pytest

from binomes import lifecycle, messaging
from binomes.models import Message
from participants.models import Consent, Participant
from privacy import services
from privacy.models import ErasureRequest, PrivacyLog
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(binome, mentor_user, mentee_user):
    messaging.message_send(binome=binome, by=mentee_user, body="Bonjour Yanis, merci pour samedi")
    messaging.message_send(binome=binome, by=mentor_user, body="Avec plaisir Inès")
    return binome


def test_my_export_holds_my_data_and_only_mine(client, conversation, mentee_user):
    Consent.objects.create(participant=conversation.mentee, user=mentee_user, notice_version="2026-11")
    client.force_login(mentee_user)

    response = client.get("/mon-espace/mes-donnees/export.json")

    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["account"]["email"] == "ines@example.org"
    (profile,) = data["profiles"]
    assert profile["profile"]["role"] == "mentee" and profile["profile"]["birth_date"]
    assert [m["body"] for m in profile["my_messages"]] == ["Bonjour Yanis, merci pour samedi"]
    assert "Avec plaisir" not in response.content.decode()  # the partner's messages are theirs
    assert profile["binomes"][0]["partner_first_name"] == "Yanis"
    assert "yanis@example.org" not in response.content.decode()
    assert [c["notice_version"] for c in profile["consents"]] == ["2026-11"]
    for section in ("meetings", "planned_meetings", "check_ins", "end_surveys", "my_reports"):
        assert section in profile
    assert PrivacyLog.objects.get().kind == "export"


def test_the_readable_export_is_a_page(client, conversation, mentee_user):
    client.force_login(mentee_user)

    page = client.get("/mon-espace/mes-donnees/export/").content.decode()

    assert "Bonjour Yanis, merci pour samedi" in page and "Avec plaisir" not in page


def test_the_data_pages_need_a_login(client):
    assert client.get("/mon-espace/mes-donnees/export.json").status_code == 302


def test_erasure_is_asked_by_the_person_and_confirmed_by_their_coordinator(client, conversation, mentee_user, mentor_user,
                                                                          coordinator_user, other_coordinator):
    client.force_login(mentee_user)
    client.post(f"/mon-espace/mes-donnees/effacement/{conversation.mentee.pk}/")
    request = ErasureRequest.objects.get()
    # Someone else's profile is a 404 (alice cannot ask for bob's erasure).
    assert client.post(f"/mon-espace/mes-donnees/effacement/{conversation.mentor.pk}/").status_code == 404

    client.force_login(other_coordinator)  # charlie
    assert client.post(f"/coordination/{conversation.association.slug}/donnees-personnelles/{request.pk}/confirmer/").status_code == 404
    assert client.post(f"/coordination/autre-asso/donnees-personnelles/{request.pk}/confirmer/").status_code == 404
    client.force_login(mentor_user)
    assert client.get(f"/coordination/{conversation.association.slug}/donnees-personnelles/").status_code == 404

    client.force_login(coordinator_user)  # bob: an open binôme must be ended first
    client.post(f"/coordination/{conversation.association.slug}/donnees-personnelles/{request.pk}/confirmer/")
    assert ErasureRequest.objects.get().status == "pending"
    lifecycle.binome_end_early(binome=conversation, by=coordinator_user, reason_code="other", reason="Effacement demandé")
    client.post(f"/coordination/{conversation.association.slug}/donnees-personnelles/{request.pk}/confirmer/")

    assert ErasureRequest.objects.get().status == "confirmed"
    assert list(PrivacyLog.objects.order_by("at").values_list("kind", flat=True)) == ["erasure_requested", "erasure_confirmed"]


def test_after_an_erasure_the_partner_still_reads_a_coherent_conversation(client, conversation, mentee_user, mentor_user,
                                                                         coordinator_user):
    Consent.objects.create(participant=conversation.mentee, user=mentee_user, notice_version="2026-11")
    lifecycle.binome_end_early(binome=conversation, by=coordinator_user, reason_code="other", reason="Effacement demandé")
    services.erasure_confirm(request=services.erasure_request(participant=conversation.mentee), by=coordinator_user)

    client.force_login(mentor_user)
    page = client.get(f"/mon-espace/binomes/{conversation.pk}/").content.decode()

    assert "Participant·e supprimé·e" in page
    assert "Avec plaisir Inès" in page  # the partner's own message stays theirs
    assert "merci pour samedi" not in page and "Message supprimé." in page
    mentee = Participant.objects.get(pk=conversation.mentee_id)
    assert (mentee.membership.user.email.endswith("@anonyme.invalid"), mentee.membership.user.is_active) == (True, False)
    assert mentee.status == "withdrawn"
    assert Consent.objects.filter(participant=mentee).exists()  # proof of consent is kept
    assert Message.objects.filter(binome=conversation).count() == 2


def test_a_refusal_needs_a_reason_shown_to_the_person(client, conversation, mentee_user, coordinator_user):
    request = services.erasure_request(participant=conversation.mentee)
    client.force_login(coordinator_user)
    client.post(f"/coordination/{conversation.association.slug}/donnees-personnelles/{request.pk}/refuser/", {"reason": ""})
    assert ErasureRequest.objects.get().status == "pending"
    client.post(f"/coordination/{conversation.association.slug}/donnees-personnelles/{request.pk}/refuser/",
                {"reason": "Une procédure de signalement est en cours."})

    client.force_login(mentee_user)
    assert "Une procédure de signalement est en cours." in client.get("/mon-espace/mes-donnees/").content.decode()


def test_a_parent_downloads_and_asks_to_erase_their_child_data(client, association):
    child = factories.mentee(association=association, birth_date=factories.years_ago(13), status="validated",
                             user=factories.UserFactory(first_name="Sami"))
    token = Consent.objects.get(participant=child, kind="parent").token

    data = json.loads(client.get(f"/mes-donnees/parent/{token}/?format=json").content)
    client.post(f"/mes-donnees/parent/{token}/")

    assert data["profiles"][0]["profile"]["role"] == "mentee" and data["account"]["first_name"] == "Sami"
    assert ErasureRequest.objects.get(participant=child).requested_by_parent
    assert client.get("/mes-donnees/parent/jeton-inconnu/").status_code == 404


def test_a_new_notice_version_is_accepted_again_at_the_next_page(client, binome, mentee_user, settings):
    Consent.objects.create(participant=binome.mentee, user=mentee_user, notice_version="2026-11")
    settings.PRIVACY_NOTICE_VERSION = "2027-01"
    client.force_login(mentee_user)

    response = client.get("/mon-espace/binomes/")
    assert response.status_code == 302 and response["Location"].startswith("/confidentialite/accepter/?next=")
    client.post("/confidentialite/accepter/", {"next": "/mon-espace/binomes/"})  # box not ticked
    assert client.get("/mon-espace/binomes/").status_code == 302
    accepted = client.post("/confidentialite/accepter/", {"next": "/mon-espace/binomes/", "agree": "on"})

    assert accepted["Location"] == "/mon-espace/binomes/"
    assert client.get("/mon-espace/binomes/").status_code == 200
    assert set(Consent.objects.filter(participant=binome.mentee).values_list("notice_version", flat=True)) >= {"2026-11", "2027-01"}


def test_the_current_version_asks_nothing_and_the_young_notice_is_public(client, binome, mentee_user):
    Consent.objects.create(participant=binome.mentee, user=mentee_user, notice_version="2026-11")
    client.force_login(mentee_user)

    assert client.get("/mon-espace/binomes/").status_code == 200
    client.logout()
    assert "expliquées simplement" in client.get("/confidentialite/jeunes/").content.decode()


def test_the_acceptance_page_does_not_redirect_elsewhere(client, binome, mentee_user, settings):
    Consent.objects.create(participant=binome.mentee, user=mentee_user, notice_version="2026-11")
    settings.PRIVACY_NOTICE_VERSION = "2027-01"
    client.force_login(mentee_user)

    response = client.post("/confidentialite/accepter/", {"next": "https://ailleurs.example/", "agree": "on"})

    assert response["Location"] == "/espace/"
