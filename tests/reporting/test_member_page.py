"""The optional funder questions: asked apart from the sign-up, only with consent, withdrawable;
under 15, only the parent answers, from their consent link."""

from __future__ import annotations

import pytest

from participants.models import Consent
from reporting.models import TargetPublic
from tests import factories

pytestmark = pytest.mark.django_db


def url(participant):
    return f"/mon-espace/profil/{participant.pk}/financeurs/"


@pytest.fixture
def yanis(association):
    return factories.mentee(association=association, status="validated", birth_date=factories.years_ago(17),
                            user=factories.UserFactory(first_name="Yanis"))


def test_a_young_person_answers_with_their_consent(client, yanis):
    client.force_login(yanis.membership.user)

    page = client.get(url(yanis)).content.decode()
    response = client.post(url(yanis), {"ase": "yes", "disability": "", "consent": "on"})

    assert "Pour les financeurs de l'association — facultatif" in page
    assert "Es-tu ou as-tu été accompagné·e" in page  # "tu" for young people
    assert response.status_code == 302
    profile = TargetPublic.objects.get(participant=yanis)
    assert (profile.ase, profile.disability, profile.consent.kind, profile.consent.withdrawn_at) == (True, None, "funder", None)


def test_without_consent_nothing_is_recorded(client, yanis):
    client.force_login(yanis.membership.user)

    response = client.post(url(yanis), {"ase": "yes", "disability": "no"})

    assert "Sans cet accord, ces réponses ne peuvent pas être enregistrées." in response.content.decode()
    assert not TargetPublic.objects.filter(participant=yanis).exists()


def test_withdrawing_erases_the_answers_and_answering_again_is_possible(client, yanis):
    client.force_login(yanis.membership.user)
    client.post(url(yanis), {"ase": "yes", "disability": "yes", "consent": "on"})

    client.post(url(yanis), {"withdraw": "1"})

    profile = TargetPublic.objects.get(participant=yanis)
    assert (profile.ase, profile.disability) == (None, None)
    assert Consent.objects.get(participant=yanis, kind="funder").withdrawn_at is not None

    client.post(url(yanis), {"ase": "no", "disability": "yes", "consent": "on"})
    profile.refresh_from_db()
    assert (profile.ase, profile.disability, profile.consent.withdrawn_at) == (False, True, None)


def test_answering_again_after_a_withdrawal_keeps_the_withdrawal_on_record(client, yanis, time_machine):
    client.force_login(yanis.membership.user)
    time_machine.move_to("2026-10-01 10:00 +02:00", tick=False)
    client.post(url(yanis), {"ase": "yes", "disability": "yes", "consent": "on"})
    time_machine.move_to("2026-11-02 10:00 +01:00", tick=False)
    client.post(url(yanis), {"withdraw": "1"})
    time_machine.move_to("2026-12-01 10:00 +01:00", tick=False)

    client.post(url(yanis), {"ase": "no", "disability": "yes", "consent": "on"})

    history = [(c.accepted_at.date().isoformat(), c.withdrawn_at and c.withdrawn_at.date().isoformat())
               for c in Consent.objects.filter(participant=yanis, kind="funder").order_by("accepted_at")]
    assert history == [("2026-10-01", "2026-11-02"), ("2026-12-01", None)]
    assert TargetPublic.objects.get(participant=yanis).consent.accepted_at.date().isoformat() == "2026-12-01"


def test_changing_the_answers_under_a_standing_consent_keeps_that_consent(client, yanis):
    client.force_login(yanis.membership.user)
    client.post(url(yanis), {"ase": "yes", "disability": "", "consent": "on"})
    given = Consent.objects.get(participant=yanis, kind="funder")

    client.post(url(yanis), {"ase": "no", "disability": "yes", "consent": "on"})

    assert list(Consent.objects.filter(participant=yanis, kind="funder")) == [given]
    profile = TargetPublic.objects.get(participant=yanis)
    assert (profile.ase, profile.disability, profile.consent) == (False, True, given)


def test_under_15_the_child_cannot_answer_the_parent_can_from_their_link(client, association):
    child = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(13))
    client.force_login(child.membership.user)

    page = client.get(url(child)).content.decode()
    client.post(url(child), {"ase": "yes", "consent": "on"})

    assert "c'est ton parent ou tuteur légal qui peut y répondre" in page
    assert not TargetPublic.objects.filter(participant=child).exists()

    client.logout()
    token = Consent.objects.get(participant=child, kind="parent").token
    parent_page = client.get(f"/consentement-parental/{token}/financeurs/").content.decode()
    client.post(f"/consentement-parental/{token}/financeurs/", {"ase": "yes", "disability": "", "consent": "on"})

    assert "Votre enfant est-il ou a-t-il été accompagné" in parent_page  # "vous" to the parent
    consent = TargetPublic.objects.get(participant=child).consent
    assert (consent.given_by_email, TargetPublic.objects.get(participant=child).ase) == ("parent@example.org", True)


def test_a_withdrawn_parental_consent_link_no_longer_opens_the_questions(client, association):
    child = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(13))
    consent = Consent.objects.get(participant=child, kind="parent")
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=consent.confirmed_at)

    assert client.get(f"/consentement-parental/{consent.token}/financeurs/").status_code == 404


def test_alice_bob_and_a_mentor_cannot_open_someone_elses_questions(client, alice, bob, yanis, association):
    mentor = factories.mentor(association=association, status="validated")
    for user in (alice, bob, mentor.membership.user):
        client.force_login(user)
        assert client.get(url(yanis)).status_code == 404
    client.force_login(mentor.membership.user)
    assert client.get(url(mentor)).status_code == 404  # mentors are not asked


def test_my_space_links_to_the_optional_page(client, yanis):
    client.force_login(yanis.membership.user)

    assert url(yanis) in client.get("/mon-espace/").content.decode()
