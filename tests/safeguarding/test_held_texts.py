"""Every text one member writes for the other is screened the same way: a flagged one is held
(per the association's setting), the other member sees a placeholder, its author sees it and why."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from binomes import activity, messaging
from binomes.models import Message
from participants import services as participant_services
from safeguarding import services
from safeguarding.models import TextReview
from tests import factories
from tests.participants.test_profile_edit import profile_data
from tests.participants.test_sign_up import mentee_form, sign_up

pytestmark = pytest.mark.django_db

PLACEHOLDER = "Texte en cours de relecture par l&#x27;équipe."
CONTACT = "Appelle-moi au 06 12 34 56 78 ou snap lucas_93"


def page(binome):
    return f"/mon-espace/binomes/{binome.pk}/"


def b(binome, path=""):
    return f"/api/v1/binomes/{binome.pk}/{path}"


# --- profile texts -------------------------------------------------------------------------------


def test_a_goals_text_with_contact_details_is_held_from_the_partner_on_the_binome_page(client, binome, mentor_user, mentee_user):
    client.force_login(mentee_user)
    client.post(f"/mon-espace/profil/{binome.mentee_id}/", profile_data(binome.mentee, goals_text=CONTACT))

    client.force_login(mentor_user)
    html = client.get(page(binome)).content.decode()

    assert "06 12 34 56 78" not in html and "lucas_93" not in html
    assert PLACEHOLDER in html
    review = TextReview.objects.get()
    assert (review.kind, review.status, review.held) == ("goals_text", "pending", True)


def test_the_author_keeps_their_text_and_is_told_why(client, binome, mentee_user):
    client.force_login(mentee_user)
    response = client.post(f"/mon-espace/profil/{binome.mentee_id}/", profile_data(binome.mentee, goals_text=CONTACT), follow=True)

    assert "attend la relecture de l&#x27;équipe" in response.content.decode()
    edit = client.get(f"/mon-espace/profil/{binome.mentee_id}/").content.decode()
    assert "06 12 34 56 78" in edit and "un numéro de téléphone" in edit


def test_a_path_text_with_contact_details_is_held_from_the_mentee(client, binome, mentor_user, mentee_user):
    participant_services.participant_update_profile(
        participant=binome.mentor, by=mentor_user, profile={"path_text": "Licence de droit, écris-moi à yanis.b arobase gmail point com"})

    client.force_login(mentee_user)
    html = client.get(page(binome)).content.decode()

    assert "arobase" not in html and PLACEHOLDER in html


def test_a_goals_text_edited_through_the_api_is_held_too(as_mentee, client, binome, mentor_user):
    response = as_mentee.patch(f"/api/v1/me/profiles/{binome.mentee_id}/", {"goals_text": "insta: ines.hdd"}, format="json")

    assert response.status_code == 200 and response.json()["goals_text"] == "insta: ines.hdd"  # the author sees it
    assert "un identifiant de réseau social" in response.json()["text_notices"][0]  # and why it is held
    client.force_login(mentor_user)
    assert "ines.hdd" not in client.get(page(binome)).content.decode()


def test_a_goals_text_given_at_sign_up_is_screened(client, association):
    sign_up(client, association, "mentore", mentee_form(goals_text="mon num zéro six douze trente-quatre cinquante-six soixante-dix-huit"))

    review = TextReview.objects.get()
    assert (review.kind, review.status, review.held, review.flag_kinds) == ("goals_text", "pending", True, ["phone"])


def test_a_new_clean_text_replaces_the_held_one_and_is_shown(client, binome, mentor_user, mentee_user):
    mentee = binome.mentee
    participant_services.participant_update_profile(participant=mentee, by=mentee_user, profile={"goals_text": CONTACT})
    participant_services.participant_update_profile(participant=mentee, by=mentee_user, profile={"goals_text": "Devenir infirmière"})

    client.force_login(mentor_user)
    html = client.get(page(binome)).content.decode()

    assert "Devenir infirmière" in html and PLACEHOLDER not in html
    assert TextReview.objects.get().status == "superseded"  # nothing left for the team to review


def test_an_unchanged_profile_text_is_not_screened_again(binome, mentee_user):
    participant_services.participant_update_profile(participant=binome.mentee, by=mentee_user, profile={"goals_text": CONTACT})
    participant_services.participant_update_profile(participant=binome.mentee, by=mentee_user, profile={"meeting_format": "remote"})

    assert TextReview.objects.filter(status="pending").count() == 1


# --- meeting notes --------------------------------------------------------------------------------


def _log_meeting(binome, user, note):
    return activity.meeting_log(binome=binome, by=user, happened_on=timezone.localdate(), duration_minutes=60,
                                format="in_person", topics=["cv"], note=note)


@time_machine.travel("2026-10-15 12:00 +0200")
def test_a_meeting_note_with_contact_details_is_held_from_the_partner(as_mentee, as_mentor, binome, mentor_user):
    _log_meeting(binome, mentor_user, "Super séance. Mon snap c'est yanis_b93 si besoin")

    partner = as_mentee.get(b(binome, "meetings/")).json()["results"][0]
    author = as_mentor.get(b(binome, "meetings/")).json()["results"][0]

    assert "yanis_b93" not in partner["note"] and partner["note"] == "Texte en cours de relecture par l'équipe."
    assert "yanis_b93" in author["note"] and "un identifiant de réseau social" in author["notice"]


@time_machine.travel("2026-10-15 12:00 +0200")
def test_a_clean_meeting_note_reaches_the_partner(as_mentee, binome, mentor_user):
    _log_meeting(binome, mentor_user, "On a relu ton CV, prochaine fois la lettre de motivation")

    assert as_mentee.get(b(binome, "meetings/")).json()["results"][0]["note"].startswith("On a relu ton CV")
    assert not TextReview.objects.exists()


# --- messages -------------------------------------------------------------------------------------


def test_a_number_split_across_two_messages_holds_the_second(binome, mentee_user):
    first = messaging.message_send(binome=binome, by=mentee_user, body="voilà 06 12")
    second = messaging.message_send(binome=binome, by=mentee_user, body="34 56 78")

    assert (first.flagged, second.flagged, second.held) == (False, True, True)
    assert "avec ton message précédent" in messaging.flag_explanation(second)
    review = TextReview.objects.get()
    assert review.message == second
    assert review.text == "voilà 06 12\n34 56 78"  # the team reads the number whole


def test_a_reply_from_the_other_member_in_between_breaks_the_sequence(binome, mentee_user, mentor_user):
    messaging.message_send(binome=binome, by=mentee_user, body="j'ai eu 06 12")
    messaging.message_send(binome=binome, by=mentor_user, body="bravo !")
    third = messaging.message_send(binome=binome, by=mentee_user, body="34 56 78")

    assert not third.flagged


def test_messages_minutes_apart_are_not_joined(binome, mentee_user):
    with time_machine.travel("2026-10-15 12:00 +0200", tick=False) as traveller:
        messaging.message_send(binome=binome, by=mentee_user, body="06 12")
        traveller.shift(messaging.SPLIT_WINDOW + timedelta(seconds=1))
        later = messaging.message_send(binome=binome, by=mentee_user, body="34 56 78")

    assert not later.flagged


def test_a_refused_message_never_reaches_the_partner_and_its_sender_is_told(
    client, as_mentor, binome, mentee_user, alice, mailoutbox, django_capture_on_commit_callbacks
):
    message = messaging.message_send(binome=binome, by=mentee_user, body="mon snap c'est inesss_93")
    with django_capture_on_commit_callbacks(execute=True):
        services.text_review_refuse(review=message.review, by=alice, reason="Pas de réseaux sociaux entre vous.")

    assert as_mentor.get(b(binome, "messages/")).json()["results"] == []
    client.force_login(mentee_user)
    html = client.get(page(binome)).content.decode()
    assert "non transmis" in html and "Pas de réseaux sociaux entre vous." in html
    # The outbox also relays the coordinators' alert recorded when the message was held.
    (mail,) = [m for m in mailoutbox if mentee_user.email in m.to]
    assert mail.to == [mentee_user.email] and "ne l'a pas transmis" in mail.body and "Pas de réseaux sociaux" in mail.body


def test_a_delivered_flagged_message_can_still_be_refused_and_is_then_hidden(as_mentor, binome, mentee_user, alice):
    binome.association.hold_flagged_messages = False
    binome.association.save()
    message = messaging.message_send(binome=binome, by=mentee_user, body="ajoute moi sur insta : ines.h93")
    assert len(as_mentor.get(b(binome, "messages/")).json()["results"]) == 1

    services.text_review_refuse(review=message.review, by=alice, reason="Coordonnées.")

    assert as_mentor.get(b(binome, "messages/")).json()["results"] == []


def test_the_author_is_told_once_even_if_the_task_runs_twice(binome, mentee_user, alice, mailoutbox):
    from safeguarding import tasks

    message = messaging.message_send(binome=binome, by=mentee_user, body="06 12 34 56 78")
    services.text_review_release(review=message.review, by=alice)
    mailoutbox.clear()

    tasks.tell_author_of_decision(message.review.pk)
    tasks.tell_author_of_decision(message.review.pk)

    assert len(mailoutbox) == 1
    assert Message.objects.get().held is False


# --- what the database refuses ---------------------------------------------------------------------


def _review(**fields):
    mentee = factories.mentee()
    base = {"association": mentee.association, "author": mentee.membership.user, "kind": "goals_text", "participant": mentee,
            "text": "x", "flag_kinds": ["phone"], "held": True}
    return TextReview(**(base | fields))


@pytest.mark.parametrize("fields", [
    {"flag_kinds": []},  # a review is of a flagged text
    {"status": "refused", "decided_at": timezone.now()},  # a refusal has a reason
    {"status": "released"},  # a decision says when
    {"kind": "message"},  # the target is the one the kind names
])
def test_the_database_refuses_an_inconsistent_review(fields):
    with pytest.raises(IntegrityError):
        _review(**fields).save()


def test_the_database_keeps_one_pending_review_per_profile_text():
    first = _review()
    first.save()
    with pytest.raises(IntegrityError):
        TextReview.objects.create(association=first.association, author=first.author, kind="goals_text",
                                  participant=first.participant, text="y", flag_kinds=["email"], held=True)


def test_the_policy_answers_may_this_text_be_shown_with_the_screening_rule():
    from safeguarding import policy, screening

    held = TextReview(status="pending", held=True, flag_kinds=["phone"])
    assert policy.text_visible_to is screening.text_visible_to
    assert not policy.text_visible_to(review=held, author_id=1, viewer_id=2, viewer_is_coordinator=False)
    assert policy.text_visible_to(review=held, author_id=1, viewer_id=1, viewer_is_coordinator=False)  # its author
    assert policy.text_visible_to(review=held, author_id=1, viewer_id=3, viewer_is_coordinator=True)  # the team


@time_machine.travel("2026-10-15 12:00 +0200")
def test_the_author_of_a_held_meeting_note_is_told_on_the_page(client, binome, mentor_user):
    client.force_login(mentor_user)
    response = client.post(f"/mon-espace/binomes/{binome.pk}/rencontre/", {
        "happened_on": "2026-10-14", "duration_minutes": 60, "format": "in_person", "topics": ["cv"],
        "note": "rappelle-moi au 07 98 76 54 32"}, follow=True)

    html = response.content.decode()
    assert "Rencontre enregistrée." in html and "attend la relecture de l&#x27;équipe" in html


def test_messages_flagged_before_reviews_existed_get_one(binome, mentee_user):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("safeguarding.migrations.0002_reviews_of_held_messages")
    message = Message.objects.create(binome=binome, association=binome.association, sender=mentee_user, body="06 12 34 56 78",
                                     flagged=True, flag_kinds=["phone"], held=True)

    migration.review_flagged_messages(apps, None)
    migration.review_flagged_messages(apps, None)  # twice: still one

    review = TextReview.objects.get()
    assert (review.message_id, review.status, review.held, review.author_id) == (message.pk, "pending", True, mentee_user.pk)
