"""Under 15, a parent confirms from the link e-mailed to them before the sign-up can be validated."""

from __future__ import annotations

import pytest

from participants.models import Consent, Participant
from tests import factories
from tests.participants.test_sign_up import mentee_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def young_sign_up(client, association, mailoutbox, django_capture_on_commit_callbacks):
    data = mentee_form(birth_date=factories.years_ago(13).isoformat(), parent_name="Nadia Haddad",
                       parent_email="nadia@example.org", parent_consent="on")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/a/{association.slug}/inscription/mentore/", data)
    client.logout()
    return Participant.objects.get(membership__user__email="ines@example.org")


def parent_mail(mailoutbox):
    return next(m for m in mailoutbox if m.to == ["nadia@example.org"])


def test_the_parent_receives_a_link_and_confirms(client, young_sign_up, mailoutbox):
    mail = parent_mail(mailoutbox)
    consent = Consent.objects.get(kind="parent")
    assert f"/consentement-parental/{consent.token}/" in mail.body
    assert "Inès" in mail.subject

    page = client.get(f"/consentement-parental/{consent.token}/").content.decode()
    client.post(f"/consentement-parental/{consent.token}/", {"answer": "yes"})

    assert "donne mon accord" in page
    consent.refresh_from_db()
    assert consent.confirmed_at is not None and consent.refused_at is None


def test_the_parent_of_a_child_who_signed_up_is_told_so(young_sign_up, mailoutbox):
    body = parent_mail(mailoutbox).body

    assert "Inès s'est inscrit·e auprès de l'association" in body and "a indiqué que vous étiez d'accord" in body
    assert "l'a inscrit·e sur Mentorat" not in body  # that is for a child the association imported


def test_a_refusal_is_recorded_and_a_second_answer_changes_nothing(client, young_sign_up):
    token = Consent.objects.get(kind="parent").token

    client.post(f"/consentement-parental/{token}/", {"answer": "no"})
    client.post(f"/consentement-parental/{token}/", {"answer": "yes"})

    consent = Consent.objects.get(kind="parent")
    assert consent.refused_at is not None and consent.confirmed_at is None


def test_the_coordinator_cannot_validate_before_the_parent_confirmed(client, alice, young_sign_up):
    client.force_login(alice)
    url = f"/coordination/{young_sign_up.association.slug}/participants/{young_sign_up.pk}/"

    refused = client.post(url + "valider/", follow=True).content.decode()
    assert "doit d&#x27;abord confirmer son accord" in refused
    assert "accord parental en attente" in refused
    young_sign_up.refresh_from_db()
    assert young_sign_up.status == "pending"

    client.post(f"/consentement-parental/{Consent.objects.get(kind='parent').token}/", {"answer": "yes"})
    client.post(url + "valider/")
    young_sign_up.refresh_from_db()
    assert young_sign_up.status == "validated"


def test_the_coordinator_can_resend_the_link(client, alice, young_sign_up, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(alice)
    before = len(mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/coordination/{young_sign_up.association.slug}/participants/{young_sign_up.pk}/accord-parental/")

    assert len(mailoutbox) == before + 1 and mailoutbox[-1].to == ["nadia@example.org"]


def test_bob_cannot_resend_and_unknown_links_are_404(client, bob, young_sign_up):
    client.force_login(bob)

    assert client.post(f"/coordination/{young_sign_up.association.slug}/participants/{young_sign_up.pk}/accord-parental/").status_code == 404
    assert client.get("/consentement-parental/pas-un-vrai-lien/").status_code == 404


def test_a_parental_consent_without_an_address_or_link_is_refused_by_the_database(association):
    from django.db import IntegrityError, transaction

    participant = factories.mentee(association=association)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(participant=participant, user=participant.membership.user, kind="parent", notice_version="2026-11")
