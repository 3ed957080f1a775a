"""Consent follows the person: the under-15 boundary (pinned to the day), a birth-date edit that
brings someone under 15 (page and API) blocks pairing and messaging until the parent confirms, a
parent's withdrawal suspends the binôme and alerts the coordinators, and the child's assent."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from binomes import activity, messaging
from binomes.models import Binome
from matching import services as matching_services
from matching.models import MatchRun, Proposal
from matching.pool import pool_for_association
from participants.models import Consent
from programmes.selectors import programme_default_for
from safeguarding import policy
from tests import factories
from tests.api.conftest import token_client
from tests.participants.test_profile_edit import profile_data

pytestmark = pytest.mark.django_db


def member_api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client

PARIS = ZoneInfo("Europe/Paris")


# --- The boundary, to the day ---------------------------------------------------------------------


@pytest.mark.parametrize(("born", "on", "needs"), [
    (date(2012, 6, 16), date(2027, 6, 15), True),  # 14 years 364 days
    (date(2012, 6, 15), date(2027, 6, 15), False),  # 15 years 0 days
    (date(2012, 2, 29), date(2027, 2, 28), True),  # a 29 February birthday counts from 1 March...
    (date(2012, 2, 29), date(2027, 3, 1), False),  # ... in a common year
    (date(2013, 2, 28), date(2028, 2, 29), False),  # 15 on the 28th, still 15 on a leap day
    (date(2013, 3, 1), date(2028, 2, 29), True),
])
def test_parental_consent_is_needed_until_the_fifteenth_birthday(born, on, needs):
    assert policy.needs_parental_consent(birth_date=born, today=on) is needs


def test_the_thresholds_are_the_laws():
    assert (policy.PARENTAL_CONSENT_BELOW, policy.MAJORITY) == (15, 18)


@pytest.mark.parametrize(("born", "asks_a_parent"), [(date(2012, 6, 16), True), (date(2012, 6, 15), False)])
def test_a_birth_date_edit_at_the_boundary(association, mailoutbox, django_capture_on_commit_callbacks, born, asks_a_parent):
    with time_machine.travel(datetime(2027, 6, 15, 10, 0, tzinfo=PARIS), tick=False):
        mentee = factories.mentee(association=association, status="validated", birth_date=date(2010, 1, 1),
                                  user=factories.UserFactory(first_name="Lina"))
        with django_capture_on_commit_callbacks(execute=True):
            response = member_api(mentee.membership.user).patch(
                f"/api/v1/me/profiles/{mentee.pk}/",
                {"birth_date": born.isoformat(), "parent_name": "Nadia Haddad", "parent_email": "nadia@example.org"}, format="json")

        assert response.status_code == 200
        assert Consent.objects.filter(participant=mentee, kind="parent").exists() is asks_a_parent
        assert any(m.to == ["nadia@example.org"] for m in mailoutbox) is asks_a_parent
        mentee.refresh_from_db()
        assert (policy.participant_pairable(participant=mentee, on=date(2027, 6, 15)) is None) is not asks_a_parent


# --- A birth-date edit that brings someone under 15 ------------------------------------------------


@pytest.fixture
def lina(association):
    """A validated 16-year-old mentee (no parental consent needed at sign-up)."""
    return factories.mentee(association=association, status="validated", birth_date=factories.years_ago(16),
                            user=factories.UserFactory(first_name="Lina", email="lina@example.org"))


def edit_on_page(client, participant, django_capture_on_commit_callbacks):
    client.force_login(participant.membership.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/mon-espace/profil/{participant.pk}/", profile_data(
            participant, birth_date=factories.years_ago(13).isoformat(), commune="Bobigny (93000)",
            parent_name="Nadia Haddad", parent_email="nadia@example.org"))
    assert response.status_code == 302


def parent_confirms(client):
    consent = Consent.objects.get(kind="parent", confirmed_at__isnull=True)
    client.post(f"/consentement-parental/{consent.token}/", {"answer": "yes"})


def test_page_edit_under_15_asks_the_parent_and_blocks_pairing_until_they_confirm(
        client, association, alice, lina, mailoutbox, django_capture_on_commit_callbacks):
    mentor = factories.mentor(association=association, status="validated", vetting_verified_on=factories.years_ago(0, days=10),
                              vetting_expires_on=factories.years_ago(-2))
    proposal = Proposal.objects.create(run=MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done"),
                                       association=association, mentee=lina, mentor=mentor, score=0.7, breakdown={})

    edit_on_page(client, lina, django_capture_on_commit_callbacks)

    assert any(m.to == ["nadia@example.org"] and "/consentement-parental/" in m.body for m in mailoutbox)
    assert any(m.to == ["alice@asso.example.org"] and "moins de 15 ans" in m.body for m in mailoutbox)
    assert lina.pk not in pool_for_association(association=association).mentee_ids
    with pytest.raises(ValidationError, match="en attente de confirmation"):
        matching_services.proposal_approve(proposal=proposal, by=alice)
    client.force_login(alice)
    page = client.get(f"/coordination/{association.slug}/participants/{lina.pk}/").content.decode()
    assert "Ne peut pas être mis·e en binôme" in page and "en attente de confirmation" in page
    client.force_login(lina.membership.user)
    assert "doit confirmer son accord" in client.get("/mon-espace/").content.decode()
    # The child's own agreement is recorded too, with the notice version.
    assert Consent.objects.filter(participant=lina, kind="assent", notice_version="2026-11").exists()

    parent_confirms(client)

    assert lina.pk in pool_for_association(association=association).mentee_ids
    assert matching_services.proposal_approve(proposal=proposal, by=alice).mentee_id == lina.pk


@pytest.fixture
def binome_of(association):
    def make(mentee):
        mentor = factories.mentor(association=association, status="validated", birth_date=factories.years_ago(22),
                                  vetting_verified_on=factories.years_ago(0, days=10), vetting_expires_on=factories.years_ago(-2),
                                  user=factories.UserFactory(first_name="Yanis"))
        return Binome.objects.create(association=association, mentor=mentor, mentee=mentee,
                                     started_on=factories.years_ago(0, days=40), planned_end_on=factories.years_ago(-1))
    return make


def test_api_edit_under_15_blocks_messaging_both_ways_until_the_parent_confirms(
        client, association, alice, lina, binome_of, mailoutbox, django_capture_on_commit_callbacks):
    binome = binome_of(lina)
    with django_capture_on_commit_callbacks(execute=True):
        response = member_api(lina.membership.user).patch(
            f"/api/v1/me/profiles/{lina.pk}/",
            {"birth_date": factories.years_ago(13).isoformat(), "parent_name": "Nadia Haddad", "parent_email": "nadia@example.org"},
            format="json")
    assert response.status_code == 200, response.json()

    for user in (lina.membership.user, binome.mentor.membership.user):
        with pytest.raises(ValidationError, match="en pause"):
            messaging.message_send(binome=binome, by=user, body="Salut, on se voit samedi ?")
    with pytest.raises(ValidationError, match="en pause"):
        activity.meeting_log(binome=binome, by=binome.mentor.membership.user, happened_on=factories.years_ago(0, days=1),
                             duration_minutes=60, format="in_person", topics=["orientation"])
    api_refusal = member_api(lina.membership.user).post(
        f"/api/v1/binomes/{binome.pk}/messages/", {"body": "Coucou"}, format="json")
    assert api_refusal.status_code == 400 and "en pause" in str(api_refusal.json())

    detail = token_client(alice, association).get(f"/api/v1/associations/{association.slug}/participants/{lina.pk}/").json()
    assert "en attente de confirmation" in detail["safeguarding_refusal"]

    parent_confirms(client)

    assert messaging.message_send(binome=binome, by=lina.membership.user, body="Salut, on se voit samedi ?").pk


def test_an_edit_that_keeps_someone_over_15_asks_nothing(client, lina, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(lina.membership.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/mon-espace/profil/{lina.pk}/", profile_data(lina, commune="Bobigny (93000)"))

    assert not Consent.objects.filter(participant=lina).exists()
    assert mailoutbox == []


def test_an_edit_under_15_without_a_parent_is_refused_and_keeps_what_was_typed(client, lina):
    client.force_login(lina.membership.user)

    response = client.post(f"/mon-espace/profil/{lina.pk}/", profile_data(
        lina, birth_date=factories.years_ago(13).isoformat(), commune="Bobigny (93000)", goals_text="Devenir sage-femme"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Avant 15 ans" in page and "Devenir sage-femme" in page
    lina.refresh_from_db()
    assert lina.birth_date == factories.years_ago(16)


# --- Withdrawal -----------------------------------------------------------------------------------


@pytest.fixture
def young(association):
    """A validated 13-year-old whose parent agreed (Nadia, from the e-mailed link)."""
    child = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(13),
                             parent_name="Nadia Haddad", parent_email="nadia@example.org", parental_consent=False,
                             user=factories.UserFactory(first_name="Inès"))
    Consent.objects.create(participant=child, user=child.membership.user, kind="parent", notice_version="2026-11",
                           given_by_name="Nadia Haddad", given_by_email="nadia@example.org", token="lien-de-nadia",
                           confirmed_at=factories.timezone.now())
    return child


def test_a_parent_withdraws_from_the_link_the_binome_is_suspended_and_coordinators_alerted(
        client, association, alice, young, binome_of, mailoutbox, django_capture_on_commit_callbacks):
    binome = binome_of(young)
    page = client.get("/consentement-parental/lien-de-nadia/").content.decode()
    assert "Je retire mon accord" in page

    with django_capture_on_commit_callbacks(execute=True):
        after = client.post("/consentement-parental/lien-de-nadia/", {"answer": "no"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/consentement-parental/lien-de-nadia/", {"answer": "no"})  # twice: nothing more

    assert "retrait de votre accord est enregistré" in after
    binome.refresh_from_db()
    assert binome.status == "suspended" and "retiré son accord" in binome.suspension_reason
    alerts = [m for m in mailoutbox if m.to == ["alice@asso.example.org"]]
    assert len(alerts) == 1 and "retiré son accord" in alerts[0].subject
    with pytest.raises(ValidationError):
        messaging.message_send(binome=binome, by=young.membership.user, body="Bonjour")
    assert young.pk not in pool_for_association(association=association).mentee_ids
    client.force_login(alice)
    detail = client.get(f"/coordination/{association.slug}/participants/{young.pk}/").content.decode()
    assert "accord retiré le" in detail and "a retiré son accord" in detail


def test_a_withdrawal_cannot_come_before_an_agreement(client, association):
    child = factories.mentee(association=association, birth_date=factories.years_ago(13), parental_consent="pending")
    token = Consent.objects.get(participant=child, kind="parent").token

    client.post(f"/consentement-parental/{token}/", {"answer": "no"})

    consent = Consent.objects.get(participant=child, kind="parent")
    assert consent.refused_at is not None and consent.withdrawn_at is None


def test_the_database_refuses_a_withdrawal_without_a_confirmation(association):
    from django.db import IntegrityError, transaction

    child = factories.mentee(association=association, birth_date=factories.years_ago(13), parental_consent="pending")
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.filter(participant=child, kind="parent").update(withdrawn_at=factories.timezone.now())


def test_a_sign_up_under_15_records_the_childs_assent_and_the_parents_request(client, association):
    from tests.participants.test_sign_up import mentee_form

    client.post(f"/a/{association.slug}/inscription/mentore/", mentee_form(
        birth_date=factories.years_ago(13).isoformat(), parent_name="Nadia Haddad", parent_email="nadia@example.org",
        parent_consent="on"))

    assert sorted(Consent.objects.values_list("kind", flat=True)) == ["assent", "parent"]


def test_the_link_is_not_sent_again_to_a_parent_who_withdrew(client, association, alice, young, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    client.post("/consentement-parental/lien-de-nadia/", {"answer": "no"})
    client.force_login(alice)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/coordination/{association.slug}/participants/{young.pk}/accord-parental/", follow=True)

    assert "retiré son accord" in page.content.decode()
    assert mailoutbox == []
