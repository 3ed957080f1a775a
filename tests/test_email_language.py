"""Each person receives e-mails in their own language: the one of the interface they last used
(``User.language``); people without an account (parents) are written to in French."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from accounts.models import User
from associations.models import CoordinatorInvitation
from associations.tasks import notify_operators_of_registration, send_coordinator_invitation
from matching import services as matching_services
from matching.models import MatchRun, Proposal
from mentorat.language import UserLanguageMiddleware
from mentorat.mail import send_templated_mail
from participants import services as participant_services
from programmes.selectors import programme_default_for
from tests import factories
from tests.matching.conftest import vetted
from tests.participants.test_sign_up import mentee_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reset_language():
    """LocaleMiddleware activates the request's language for the whole thread: do not leak
    English into the tests that run after these ones."""
    yield
    translation.deactivate()


def mail_to(mailoutbox, address):  # noqa: ANN001, ANN201
    return next(m for m in mailoutbox if address in m.to)


# --- what the tasks send ---------------------------------------------------------------------


def test_an_english_speaker_gets_the_sign_up_decision_in_english(alice, association, mailoutbox, django_capture_on_commit_callbacks):
    # Given a pending mentee whose interface language is English
    user = factories.UserFactory(email="charlie@example.org", first_name="Charlie", language="en")
    participant = factories.mentee(association=association, user=user)

    # When the coordinator validates the sign-up (the e-mail goes out after commit)
    with django_capture_on_commit_callbacks(execute=True):
        participant_services.participant_validate(participant=participant, by=alice)

    # Then the e-mail is in English
    mail = mail_to(mailoutbox, "charlie@example.org")
    assert mail.subject == "Your sign-up with Proxi Bobigny is validated"
    assert mail.body.startswith("Hello Charlie,\n\nGood news: the Proxi Bobigny team has validated your sign-up as a mentee.")
    assert "— The Proxi Bobigny team, via Mentorat" in mail.body
    assert "Bonjour" not in mail.body


def test_a_decline_in_english_keeps_the_coordinators_reason(alice, association, mailoutbox, django_capture_on_commit_callbacks):
    user = factories.UserFactory(email="charlie@example.org", first_name="Charlie", language="en")
    participant = factories.mentee(association=association, user=user)

    with django_capture_on_commit_callbacks(execute=True):
        participant_services.participant_decline(participant=participant, by=alice, reason="Plus de place d'ici juin")

    mail = mail_to(mailoutbox, "charlie@example.org")
    assert mail.subject == "Your sign-up with Proxi Bobigny"
    assert "Reason: Plus de place d'ici juin\n" in mail.body


def test_the_introduction_reaches_each_member_in_their_language(alice, association, mailoutbox, django_capture_on_commit_callbacks, time_machine):
    # Given an English-speaking mentor and a French-speaking mentee proposed to each other
    time_machine.move_to("2026-08-31 10:00 +02:00")
    mentor = vetted(association=association, birth_date=factories.years_ago(22),
                    user=factories.UserFactory(first_name="Yanis", email="yanis@example.org", language="en"))
    mentee = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(16),
                              user=factories.UserFactory(first_name="Inès", email="ines@example.org"))
    run = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done")
    proposal = Proposal.objects.create(run=run, association=association, mentee=mentee, mentor=mentor, score=1.0)

    # When the coordinator approves the proposal
    with django_capture_on_commit_callbacks(execute=True):
        matching_services.proposal_approve(proposal=proposal, by=alice)

    # Then each member is introduced in their own language (dates included)
    to_mentor, to_mentee = mail_to(mailoutbox, "yanis@example.org"), mail_to(mailoutbox, "ines@example.org")
    assert to_mentor.subject == "Your mentoring pair with Inès is starting"
    assert "The Proxi Bobigny team has paired you with Inès (16 years old): you will be their mentor until 28 February 2027." in to_mentor.body
    assert to_mentee.subject == "Ton binôme avec Yanis commence"
    assert "Yanis sera ton mentor jusqu'au 28 février 2027." in to_mentee.body
    assert len(mailoutbox) == 2


def test_a_periodic_job_writes_to_each_member_in_their_language(association, mailoutbox, time_machine, django_capture_on_commit_callbacks):
    from datetime import date

    from binomes.jobs import check_in_reminders
    from binomes.models import Binome

    time_machine.move_to("2026-11-02 09:00 +01:00")
    mentor = vetted(association=association, user=factories.UserFactory(first_name="Yanis", email="yanis@example.org", language="en"))
    mentee = factories.mentee(association=association, status="validated",
                              user=factories.UserFactory(first_name="Inès", email="ines@example.org"))
    Binome.objects.create(association=association, mentor=mentor, mentee=mentee,
                          started_on=date(2026, 9, 1), planned_end_on=date(2027, 3, 1))

    with django_capture_on_commit_callbacks(execute=True):  # the job commits, the outbox relays
        assert check_in_reminders() == 2

    assert mail_to(mailoutbox, "yanis@example.org").subject == "How is your mentoring pair going?"
    assert mail_to(mailoutbox, "ines@example.org").subject == "Comment ça se passe avec ton binôme ?"


def test_parents_are_written_to_in_french_even_after_an_english_sign_up(client, association, mailoutbox, django_capture_on_commit_callbacks):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = mentee_form(birth_date=factories.years_ago(13).isoformat(), parent_name="Nadia Haddad",
                       parent_email="nadia@example.org", parent_consent="on")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/a/{association.slug}/inscription/mentore/", data)

    mail = mail_to(mailoutbox, "nadia@example.org")
    assert mail.subject == "Votre accord pour l'inscription d'Inès au mentorat"
    assert mail.body.startswith("Bonjour Nadia Haddad,")


def test_operators_are_each_written_to_in_their_language(association, mailoutbox):
    factories.UserFactory(email="ops-fr@example.org", is_staff=True)
    factories.UserFactory(email="ops-en@example.org", is_staff=True, language="en")

    notify_operators_of_registration(association.pk)

    assert len(mailoutbox) == 2
    assert mail_to(mailoutbox, "ops-fr@example.org").subject == "Nouvelle association à examiner : Proxi Bobigny"
    assert mail_to(mailoutbox, "ops-en@example.org").subject == "New association to review: Proxi Bobigny"


def test_an_invitation_without_account_follows_the_inviting_coordinator(association, alice, mailoutbox):
    alice.language = "en"
    alice.save(update_fields=["language"])
    invitation = CoordinatorInvitation.objects.create(association=association, email="dora@example.org", invited_by=alice)

    send_coordinator_invitation(invitation.pk)

    assert mailoutbox[0].subject == "Invitation to coordinate Proxi Bobigny on Mentorat"


def test_an_invitation_to_an_existing_account_follows_that_account(association, alice, mailoutbox):
    factories.UserFactory(email="dora@example.org", language="en")
    invitation = CoordinatorInvitation.objects.create(association=association, email="Dora@Example.org", invited_by=alice)

    send_coordinator_invitation(invitation.pk)

    assert mailoutbox[0].subject == "Invitation to coordinate Proxi Bobigny on Mentorat"


def test_one_message_per_language_and_bare_addresses_in_french(mailoutbox):
    english = factories.UserFactory(email="en@example.org", language="en")
    french = factories.UserFactory(email="fr@example.org")

    send_templated_mail(template="message_digest", to=[english, french, "parent@example.org"],
                        context={"user": None, "count": 1, "path": "/mes-binomes/"})

    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["en@example.org"], "You have unread messages on Mentorat"),
        (["fr@example.org", "parent@example.org"], "Tu as des messages non lus sur Mentorat"),
    ]


# --- how the language is learnt --------------------------------------------------------------


@pytest.mark.parametrize("cookie, expected", [(None, "fr"), ("en", "en")])
def test_a_new_participant_starts_in_the_language_of_the_sign_up_page(client, association, cookie, expected):
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie

    client.post(f"/a/{association.slug}/inscription/mentore/", mentee_form())

    assert User.objects.get(email="ines@example.org").language == expected


def test_a_new_coordinator_starts_in_the_language_of_the_invitation_page(client, association, alice):
    invitation = CoordinatorInvitation.objects.create(association=association, email="dora@example.org", invited_by=alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    client.post(f"/invitation/{invitation.token}/", {"first_name": "Dora", "last_name": "Mbemba",
                                                     "password1": "Cerisier-bleu-2026", "password2": "Cerisier-bleu-2026"})

    assert User.objects.get(email="dora@example.org").language == "en"


def test_the_language_cookie_is_remembered_for_a_logged_in_user(client):
    user = factories.UserFactory()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    client.get("/")

    user.refresh_from_db()
    assert user.language == "en"


def test_a_browser_header_does_not_override_the_stored_choice_it_follows_the_person(client):
    user = factories.UserFactory(language="en")
    client.force_login(user)

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()

    user.refresh_from_db()
    assert user.language == "en"  # only an explicit choice (the switch's cookie) changes it
    assert 'lang="en"' in page  # and this device shows the person's language


def run_middleware(user, language):  # noqa: ANN001, ANN201
    request = RequestFactory().get("/")
    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = language
    request.user = user
    with translation.override(language):
        UserLanguageMiddleware(lambda request: HttpResponse())(request)


def test_middleware_writes_once_when_the_language_changes(django_assert_num_queries):
    user = factories.UserFactory()

    with django_assert_num_queries(1):  # the UPDATE of accounts_user.language
        run_middleware(user, "en")

    assert User.objects.get(pk=user.pk).language == "en"


def test_middleware_writes_nothing_when_the_language_is_unchanged(django_assert_num_queries):
    user = factories.UserFactory(language="en")

    with django_assert_num_queries(0):
        run_middleware(user, "en")
        run_middleware(AnonymousUser(), "en")
