"""Sign-up of mentors and mentees on the association's page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from participants.models import Consent, Participant
from tests import factories

pytestmark = pytest.mark.django_db


def mentee_form(**overrides):
    data = {
        "first_name": "Inès", "last_name": "Haddad", "email": "ines@example.org",
        "password1": "Cerisier-bleu-2026", "password2": "Cerisier-bleu-2026",
        "birth_date": factories.years_ago(16).isoformat(), "gender": "female", "commune": "Bobigny (93000)",
        "education": "lycee_general", "field": "sante", "qpv_resident": "on", "boursier": "on",
        "parents_pcs": "5", "goals": ["orientation", "confiance"], "goals_text": "Je voudrais faire médecine",
        "languages": ["fr", "ar"], "availability": ["saturday", "wednesday_afternoon"],
        "meeting_format": "both", "privacy_accepted": "on",
    }
    data.update(overrides)
    return data


def mentor_form(**overrides):
    data = mentee_form(
        first_name="Yanis", email="yanis@example.org", birth_date=factories.years_ago(23).isoformat(),
        education="bac_5", capacity="2", help_with=["orientation", "methodes"],
        path_text="Interne en médecine, j'ai grandi à Bobigny", goals_text="",
    )
    data.update(overrides)
    return data


def sign_up(client, association, role_slug, data):
    return client.post(f"/a/{association.slug}/inscription/{role_slug}/", data)


def confirmation_link(email: str) -> str:
    import re

    message = next(m for m in mail.outbox if email in m.to)
    return re.search(r"https?://[^/\s]+(/comptes/confirm-email/[^\s]+/)", message.body).group(1)


def test_mentee_signs_up_confirms_her_address_and_lands_on_status_page(client, association):
    response = sign_up(client, association, "mentore", mentee_form())

    assert response.status_code == 302
    assert response["Location"] == "/inscription/confirme-ton-adresse/"
    participant = Participant.objects.get(membership__user__email="ines@example.org")
    assert (participant.role, participant.status) == ("mentee", "pending")
    assert participant.commune_id == "93008"
    assert participant.goals == ["orientation", "confiance"]
    assert participant.qpv_resident and participant.boursier
    page = client.get(response["Location"]).content.decode()
    assert "Confirme ton adresse e-mail" in page and "ines@example.org" in page

    confirmed = client.post(confirmation_link("ines@example.org"))

    assert confirmed.status_code == 302 and confirmed["Location"] == "/mon-espace/"
    assert "En attente de validation" in client.get("/mon-espace/").content.decode()


def test_sign_up_does_not_sign_in_an_unconfirmed_address(client, association):
    sign_up(client, association, "mentore", mentee_form())

    assert client.get("/mon-espace/").status_code == 302  # to the login page
    login = client.post("/comptes/login/", {"login": "ines@example.org", "password": "Cerisier-bleu-2026"})
    assert login["Location"] == "/comptes/confirm-email/"  # allauth: "confirm your address first"
    assert client.get("/mon-espace/").status_code == 302


def test_sign_up_records_which_privacy_notice_was_accepted_and_when(client, association, settings):
    before = timezone.now()

    sign_up(client, association, "mentore", mentee_form())

    consent = Consent.objects.get(user__email="ines@example.org")
    assert consent.kind == "self"
    assert consent.notice_version == settings.PRIVACY_NOTICE_VERSION
    assert consent.accepted_at >= before


def test_mentor_signs_up_with_capacity(client, association):
    response = sign_up(client, association, "mentor", mentor_form())

    assert response.status_code == 302
    participant = Participant.objects.get(membership__user__email="yanis@example.org")
    assert participant.role == "mentor"
    assert participant.capacity == 2
    assert participant.help_with == ["orientation", "methodes"]
    assert participant.vetting_expires_on is None


def test_under_15_needs_a_parent_and_records_the_parents_consent(client, association):
    data = mentee_form(birth_date=factories.years_ago(13).isoformat())

    refused = sign_up(client, association, "mentore", data)

    assert refused.status_code == 200
    assert "Avant 15 ans" in refused.content.decode()
    assert not Participant.objects.exists()

    data.update(parent_name="Nadia Haddad", parent_email="nadia@example.org", parent_consent="on")
    accepted = sign_up(client, association, "mentore", data)

    assert accepted.status_code == 302
    parental = Consent.objects.get(kind="parent")
    assert (parental.given_by_name, parental.given_by_email) == ("Nadia Haddad", "nadia@example.org")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_date", "2099-01-01", "ne peut pas être dans le futur"),
        ("birth_date", "31/02/2010", "Saisissez une date valide"),
        ("birth_date", "1890-05-01", "année de naissance"),
        ("commune", "Atlantide-sur-Mer", "Nous ne trouvons pas cette commune"),
        ("commune", "Saint-Denis", "précisez le code postal"),
        ("goals_text", "x" * 1001, "au plus 1000 caractères"),
        ("first_name", "", "Ce champ est obligatoire"),
        ("availability", [], "Ce champ est obligatoire"),
        ("privacy_accepted", "", "accepter la politique de confidentialité"),
        ("password2", "autre-chose-2026", "ne sont pas identiques"),
    ],
)
def test_bad_input_gets_a_french_message_and_keeps_what_was_typed(client, association, field, value, message):
    data = mentee_form(**{field: value})

    response = sign_up(client, association, "mentore", data)

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert not Participant.objects.exists()
    assert "Je voudrais faire médecine" in page or field == "goals_text"
    assert 'value="Haddad"' in page


@pytest.mark.parametrize(("role_slug", "years"), [("mentore", 9), ("mentore", 31), ("mentor", 14), ("mentor", 45)])
def test_age_outside_the_associations_bounds_is_refused(client, association, role_slug, years):
    form = mentee_form if role_slug == "mentore" else mentor_form
    response = sign_up(client, association, role_slug, form(birth_date=factories.years_ago(years).isoformat()))

    assert response.status_code == 200
    assert "il faut avoir entre" in response.content.decode()
    assert not Participant.objects.exists()


def test_an_association_may_widen_the_age_bounds(client, association, alice):
    from associations.services import association_update_settings

    association_update_settings(association=association, by=alice, mentee_max_age=35)  # its default programme's

    response = sign_up(client, association, "mentore", mentee_form(birth_date=factories.years_ago(33).isoformat(), education="emploi"))

    assert response.status_code == 302


def test_duplicate_email_is_refused_without_losing_the_form(client, association):
    factories.UserFactory(email="ines@example.org")

    response = sign_up(client, association, "mentore", mentee_form(email="INES@example.org"))

    page = response.content.decode()
    assert "Un compte existe déjà avec cette adresse e-mail" in page
    assert "Je voudrais faire médecine" in page
    assert User.objects.filter(email__iexact="ines@example.org").count() == 1


def test_logged_in_person_signs_up_without_account_fields(client, association, other_association):
    user = factories.UserFactory()
    factories.mentee(association=other_association, user=user)
    client.force_login(user)
    data = {k: v for k, v in mentor_form().items() if k not in {"first_name", "last_name", "email", "password1", "password2"}}

    response = sign_up(client, association, "mentor", data)

    assert response.status_code == 302
    assert Participant.objects.filter(membership__user=user).count() == 2


def test_same_person_cannot_sign_up_twice_with_the_same_role(client, association):
    participant = factories.mentee(association=association)
    client.force_login(participant.membership.user)
    data = {k: v for k, v in mentee_form().items() if k not in {"first_name", "last_name", "email", "password1", "password2"}}

    response = sign_up(client, association, "mentore", data)

    assert "déjà inscrit·e" in response.content.decode()
    assert Participant.objects.count() == 1


def test_pending_association_has_no_sign_up_page(client, association):
    association.status = "pending"
    association.save()

    assert client.get(f"/a/{association.slug}/inscription/mentore/").status_code == 404
    assert sign_up(client, association, "mentore", mentee_form()).status_code == 404


def test_unknown_role_slug_is_404(client, association):
    assert client.get(f"/a/{association.slug}/inscription/president/").status_code == 404


def test_status_page_says_how_long_the_participant_has_waited(client, association, time_machine):
    time_machine.move_to(timezone.now())
    participant = factories.mentee(association=association, status="validated")
    client.force_login(participant.membership.user)
    time_machine.shift(timedelta(days=12))

    page = client.get("/mon-espace/").content.decode()

    assert "En attente d&#x27;un binôme" in page or "En attente d'un binôme" in page
    assert "Tu attends depuis 12 jours" in page


def test_an_empty_submission_lists_the_missing_fields(client, association):
    response = sign_up(client, association, "mentore", {})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs" in page
    assert page.count("Ce champ est obligatoire") >= 5
