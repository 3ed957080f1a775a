"""The invitation gate: an imported person is neither in the matching pool nor able to message
until they set their password and confirm their consent (one rule: safeguarding.policy)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from binomes.messaging import message_send
from binomes.models import Binome
from imports import tasks
from imports.selectors import invitation_path
from matching.pool import pool_for_association
from outbox.models import OutboxMessage
from participants.models import Consent, Participant
from tests.imports.conftest import ADULT_MENTOR, CHILD_MENTEE, csv_bytes, imported

pytestmark = pytest.mark.django_db

ADULT_MENTEE = "Haddad;Sofiane;01/02/2006;sofiane.haddad@exemple.fr;93000;Bobigny;mentoré;;;;awa.diallo@exemple.fr;01/10/2026"
WAITING_MENTEE = "Kaci;Lina;01/02/2005;lina.kaci@exemple.fr;93000;Bobigny;mentorée;;;;;"
STRONG = "un-mot-de-passe-solide-2026"


def person(email: str) -> Participant:
    return Participant.objects.select_related("membership__user").get(membership__user__email=email)


def accept(client, email: str):  # noqa: ANN001, ANN201
    return client.post(invitation_path(person(email).membership.user),
                       {"password1": STRONG, "password2": STRONG, "privacy_accepted": "on"})


def test_an_imported_person_is_not_in_the_pool_until_they_accept(client, association, alice):
    imported(association, alice, csv_bytes(ADULT_MENTOR, WAITING_MENTEE))
    lina, awa = person("lina.kaci@exemple.fr"), person("awa.diallo@exemple.fr")

    pool = pool_for_association(association=association)
    assert lina.pk not in pool.mentee_ids and awa.pk not in pool.mentor_ids

    accept(client, "lina.kaci@exemple.fr")
    accept(client, "awa.diallo@exemple.fr")

    pool = pool_for_association(association=association)
    assert lina.pk in pool.mentee_ids and awa.pk in pool.mentor_ids


def test_an_imported_binome_cannot_message_until_both_accept(client, association, alice):
    imported(association, alice, csv_bytes(ADULT_MENTOR, ADULT_MENTEE))
    binome = Binome.objects.get()
    sofiane = person("sofiane.haddad@exemple.fr").membership.user

    with pytest.raises(ValidationError, match="en pause"):
        message_send(binome=binome, by=sofiane, body="Bonjour !")

    accept(client, "sofiane.haddad@exemple.fr")
    with pytest.raises(ValidationError, match="en pause"):  # the mentor has not answered yet
        message_send(binome=binome, by=sofiane, body="Bonjour !")

    accept(client, "awa.diallo@exemple.fr")
    assert message_send(binome=binome, by=sofiane, body="Bonjour !").pk


def test_the_coordinator_sees_why_on_the_participant_page(client, association, alice):
    imported(association, alice, csv_bytes(ADULT_MENTOR))
    client.force_login(alice)

    page = client.get(f"/coordination/{association.slug}/participants/{person('awa.diallo@exemple.fr').pk}/").content.decode()

    assert "n&#x27;a pas encore accepté son invitation" in page or "n'a pas encore accepté son invitation" in page


def test_the_invitation_sets_the_password_records_the_consent_and_works_once(client, association, alice):
    imported(association, alice, csv_bytes(ADULT_MENTOR))
    awa = person("awa.diallo@exemple.fr")
    path = invitation_path(awa.membership.user)

    response = accept(client, "awa.diallo@exemple.fr")

    assert response.status_code == 302 and response["Location"] == "/mon-espace/"
    awa.refresh_from_db()
    assert not awa.invitation_pending
    assert Consent.objects.filter(participant=awa, kind="self", notice_version="2026-11").exists()
    assert client.login(email="awa.diallo@exemple.fr", password=STRONG)
    assert client.get(path).status_code == 400  # the password changed: the key no longer works


def test_the_invitation_requires_the_privacy_notice(client, association, alice):
    imported(association, alice, csv_bytes(ADULT_MENTOR))
    awa = person("awa.diallo@exemple.fr")

    response = client.post(invitation_path(awa.membership.user), {"password1": STRONG, "password2": STRONG})

    assert response.status_code == 200 and "politique de confidentialité" in response.content.decode()
    awa.refresh_from_db()
    assert awa.invitation_pending and not awa.membership.user.has_usable_password()


def test_an_under_15_accepting_still_waits_for_the_parent(client, association, alice):
    imported(association, alice, csv_bytes(CHILD_MENTEE))
    accept(client, "yanis.traore@exemple.fr")
    yanis = person("yanis.traore@exemple.fr")

    assert Consent.objects.filter(participant=yanis, kind="assent").exists()
    assert yanis.pk not in pool_for_association(association=association).mentee_ids  # the parent has not confirmed

    Consent.objects.filter(participant=yanis, kind="parent").update(confirmed_at="2026-12-01T10:00:00+01:00")
    assert yanis.pk in pool_for_association(association=association).mentee_ids


def test_the_invitation_email_carries_a_working_link_and_is_sent_once_answered_never(client, association, alice):
    imported(association, alice, csv_bytes(ADULT_MENTOR))
    awa = person("awa.diallo@exemple.fr")
    mail.outbox.clear()

    tasks.send_import_invitation(awa.pk)

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["awa.diallo@exemple.fr"]
    link = re.search(r"https?://[^/\s]+(/invitation/\S+/)", mail.outbox[0].body).group(1)
    assert "Bienvenue" in client.get(link).content.decode()
    accept(client, "awa.diallo@exemple.fr")
    mail.outbox.clear()
    tasks.send_import_invitation(awa.pk)
    assert mail.outbox == []


def test_alice_resends_the_invitations_not_answered_and_bob_cannot(client, association, alice, bob):
    imported(association, alice, csv_bytes(ADULT_MENTOR, WAITING_MENTEE))
    accept(client, "lina.kaci@exemple.fr")
    before = OutboxMessage.objects.filter(task="imports.tasks.send_import_invitation").count()
    resend = f"/coordination/{association.slug}/imports/invitations/"

    client.force_login(bob)
    assert client.post(resend).status_code == 404
    client.force_login(alice)
    assert "1 personne importée n'a pas encore" in client.get(f"/coordination/{association.slug}/imports/").content.decode()
    client.post(resend)

    assert OutboxMessage.objects.filter(task="imports.tasks.send_import_invitation").count() == before + 1


def _reset_password_by_email(client, email: str) -> None:  # noqa: ANN001
    """allauth's "mot de passe oublié", followed from its e-mail."""
    mail.outbox.clear()
    client.post("/comptes/password/reset/", {"email": email})
    link = re.search(r"https?://[^/\s]+(/comptes/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    set_password = client.get(link)["Location"]
    assert client.post(set_password, {"password1": STRONG, "password2": STRONG}).status_code == 302


def test_a_password_reset_instead_of_the_invitation_leads_to_the_invitation_answer(client, association, alice):
    imported(association, alice, csv_bytes(ADULT_MENTOR))
    _reset_password_by_email(client, "awa.diallo@exemple.fr")

    # Their address is not verified yet (the invitation would have done it): allauth asks first.
    mail.outbox.clear()
    client.post("/comptes/login/", {"login": "awa.diallo@exemple.fr", "password": STRONG})
    confirm = re.search(r"https?://[^/\s]+(/comptes/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    landing = client.post(confirm, follow=True)

    assert landing.redirect_chain[-1][0] == "/mon-espace/invitation/"
    page = landing.content.decode()
    assert "tu as déjà choisi ton mot de passe" in page and "password1" not in page
    response = client.post("/mon-espace/invitation/", {"privacy_accepted": "on"})

    assert response.status_code == 302 and response["Location"] == "/mon-espace/"
    awa = person("awa.diallo@exemple.fr")
    assert not awa.invitation_pending
    assert Consent.objects.filter(participant=awa, kind="self", notice_version="2026-11").exists()
    assert client.login(email="awa.diallo@exemple.fr", password=STRONG)  # the password they chose stays
    assert client.get("/espace/")["Location"] == "/mon-espace/"  # answered: the next login goes on as usual


def test_the_invitation_answer_requires_the_privacy_notice(client, association, alice):
    imported(association, alice, csv_bytes(ADULT_MENTOR))
    awa = person("awa.diallo@exemple.fr")
    awa.membership.user.set_password(STRONG)
    awa.membership.user.save()
    client.force_login(awa.membership.user)

    response = client.post("/mon-espace/invitation/", {})

    assert response.status_code == 200 and "politique de confidentialité" in response.content.decode()
    assert person("awa.diallo@exemple.fr").invitation_pending
    assert "Répondre à mon invitation" in client.get("/mon-espace/").content.decode()


def test_the_invitation_answer_is_only_for_whoever_has_one(client, association, alice, charlie):
    assert client.get("/mon-espace/invitation/")["Location"].startswith("/comptes/login/")
    client.force_login(charlie.membership.user)
    assert client.get("/mon-espace/invitation/")["Location"] == "/mon-espace/"
    client.force_login(alice)
    assert client.post("/mon-espace/invitation/", {"privacy_accepted": "on"})["Location"] == "/mon-espace/"


def test_the_parent_of_an_imported_child_is_told_the_association_registered_them(association, alice, mailoutbox):
    imported(association, alice, csv_bytes(CHILD_MENTEE))
    from participants.tasks import send_parental_consent_request

    consent = Consent.objects.get(participant=person("yanis.traore@exemple.fr"), kind="parent")
    send_parental_consent_request(consent.pk)

    body = mailoutbox[-1].body
    assert mailoutbox[-1].to == ["aminata.traore@exemple.fr"]
    assert "L'association « Proxi Bobigny » accompagne Yanis" in body and "l'a inscrit·e sur Mentorat" in body
    assert "s'est inscrit" not in body and "a indiqué que vous étiez d'accord" not in body
    assert "Sans votre accord, Yanis ne peut ni être mis·e en binôme" in body
