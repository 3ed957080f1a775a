"""The binôme's conversation: who reads, what is held, what is refused, what the coordinator sees."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from binomes import lifecycle, messaging
from binomes.models import Message, Report, StaffRead
from binomes.selectors import unread_total

pytestmark = pytest.mark.django_db


def conv(binome):
    return f"/mon-espace/binomes/{binome.pk}/messages/"


def page(binome):
    return f"/mon-espace/binomes/{binome.pk}/"


def coord_page(binome):
    return f"/coordination/{binome.association.slug}/binomes/{binome.pk}/"


def test_members_talk_and_the_other_sees_it(client, binome, mentor_user, mentee_user):
    client.force_login(mentor_user)
    client.post(conv(binome), {"body": "Bonjour Inès, on se voit samedi à la médiathèque ?"})

    client.force_login(mentee_user)
    html = client.get(page(binome)).content.decode()

    assert "on se voit samedi à la médiathèque" in html
    assert "L'équipe de coordination de l'association peut lire cette conversation" in html


def test_messages_are_plain_text_escaped_everywhere(client, binome, mentor_user, mentee_user, alice):
    client.force_login(mentor_user)
    client.post(conv(binome), {"body": "<script>alert('x')</script> <b>gras</b>"})

    for user, url in ((mentee_user, page(binome)), (alice, coord_page(binome))):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<b>gras</b>" not in html
        assert "&lt;script&gt;" in html


def test_a_message_keeps_its_lines_and_the_senders_name_is_escaped(client, binome, mentor_user, mentee_user):
    mentor_user.first_name = "Léo<i>"
    mentor_user.save()
    client.force_login(mentor_user)
    client.post(conv(binome), {"body": "Première ligne\nDeuxième ligne"})

    client.force_login(mentee_user)
    html = client.get(page(binome)).content.decode()

    assert "Première ligne<br>Deuxième ligne" in html
    assert "<strong>Léo&lt;i&gt;</strong>" in html and "Léo<i>" not in html
    assert html.count('<p class="report"><a href=') == 1  # the other's message can be reported, once


def test_contact_details_are_held_until_a_coordinator_releases_them(client, binome, mentor_user, mentee_user, alice, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(mentee_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(conv(binome), {"body": "Mon numéro c'est le 06 12 34 56 78"}, follow=True)

    sender_view = response.content.decode()
    assert "attend la relecture de l&#x27;équipe" in sender_view  # the sender is told why
    assert "06 12 34 56 78" in sender_view  # and still sees what they wrote
    assert [m.to for m in mailoutbox] == [[alice.email]]
    assert "06 12" not in mailoutbox[0].body  # the alert never quotes the message

    client.force_login(mentor_user)
    assert "06 12 34 56 78" not in client.get(page(binome)).content.decode()

    message = Message.objects.get()
    assert (message.flagged, message.held, message.flag_kinds) == (True, True, ["phone"])
    client.force_login(alice)
    client.post(f"{coord_page(binome)}liberer/", {"message": message.pk})
    client.force_login(mentor_user)
    assert "06 12 34 56 78" in client.get(page(binome)).content.decode()


def test_when_the_association_does_not_hold_the_message_is_flagged_but_delivered(client, binome, mentor_user, mentee_user):
    binome.association.hold_flagged_messages = False
    binome.association.save()
    client.force_login(mentee_user)
    client.post(conv(binome), {"body": "ajoute moi sur insta : ines.h93"})

    client.force_login(mentor_user)
    assert "ines.h93" in client.get(page(binome)).content.decode()
    assert Message.objects.get().flagged


def test_too_long_or_empty_messages_are_refused_and_nothing_typed_is_lost(client, binome, mentor_user):
    client.force_login(mentor_user)
    long_text = "Voici mon conseil pour Parcoursup. " * 70

    response = client.post(conv(binome), {"body": long_text})

    html = response.content.decode()
    assert response.status_code == 400
    assert "au plus 2000 caractères" in html
    assert "Voici mon conseil pour Parcoursup." in html
    assert client.post(conv(binome), {"body": "   "}).status_code == 400
    assert not Message.objects.exists()


def test_a_flood_is_refused_with_a_clear_message(binome, mentor_user):
    for i in range(messaging.RATE_LIMIT_COUNT):
        messaging.message_send(binome=binome, by=mentor_user, body=f"message {i}")

    with pytest.raises(ValidationError, match="attends un peu"):
        messaging.message_send(binome=binome, by=mentor_user, body="encore un")


def test_a_suspended_binome_cannot_message(binome, mentor_user, alice):
    lifecycle.binome_suspend(binome=binome, by=alice, reason="Signalement")

    with pytest.raises(ValidationError, match="fermée"):
        messaging.message_send(binome=binome, by=mentor_user, body="Bonjour")


def test_strangers_cannot_send(binome, alice, charlie):
    for user in (alice, charlie.membership.user):
        with pytest.raises(PermissionDenied):
            messaging.message_send(binome=binome, by=user, body="Bonjour")


def test_unread_count_in_the_navigation_and_reading_clears_it(client, binome, mentor_user, mentee_user):
    for text in ("Salut !", "Tu es dispo samedi ?"):
        messaging.message_send(binome=binome, by=mentor_user, body=text)
    client.force_login(mentee_user)

    assert unread_total(user=mentee_user) == 2
    assert "2 messages non lus" in client.get("/mon-espace/").content.decode()
    client.get(page(binome))
    assert unread_total(user=mentee_user) == 0
    assert unread_total(user=mentor_user) == 0  # one's own messages are never unread


def test_every_coordinator_read_is_logged(client, binome, alice):
    client.force_login(alice)

    client.get(coord_page(binome))
    client.get(coord_page(binome))

    assert list(StaffRead.objects.values_list("user_id", flat=True)) == [alice.pk, alice.pk]


def test_report_alerts_the_coordinators_who_can_suspend(client, binome, mentor_user, mentee_user, alice, mailoutbox, django_capture_on_commit_callbacks):
    message = messaging.message_send(binome=binome, by=mentor_user, body="Message gênant")
    client.force_login(mentee_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/mon-espace/binomes/{binome.pk}/signaler/", {"reason": "Ce message me met mal à l'aise", "message": message.pk})

    assert Report.objects.get().message == message
    assert [m.to for m in mailoutbox] == [[alice.email]]
    client.force_login(alice)
    html = client.get(coord_page(binome)).content.decode()
    assert "Ce message me met mal à l&#x27;aise" in html and "Message gênant" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{coord_page(binome)}suspendre/", {"reason": "Le temps de parler aux deux"})
    binome.refresh_from_db()
    assert binome.status == "suspended"
    assert len(mailoutbox) == 3  # the alert, then one e-mail to each member


def test_a_report_needs_a_reason(client, binome, mentee_user):
    client.force_login(mentee_user)

    response = client.post(f"/mon-espace/binomes/{binome.pk}/signaler/", {"reason": ""})

    assert response.status_code == 400
    assert "Dis-nous en quelques mots" in response.content.decode()
    assert not Report.objects.exists()


def test_polling_returns_only_the_message_list(client, binome, mentor_user):
    messaging.message_send(binome=binome, by=mentor_user, body="Nouveau message")
    client.force_login(binome.mentee.membership.user)

    fragment = client.get(conv(binome), HTTP_HX_REQUEST="true").content.decode()

    assert fragment.lstrip().startswith('<div id="messages"')
    assert "Nouveau message" in fragment and 'name="body"' not in fragment


def test_conversation_page_holds_a_constant_number_of_queries(client, binome, mentor_user, mentee_user, django_assert_max_num_queries):
    client.force_login(mentee_user)
    messaging.message_send(binome=binome, by=mentor_user, body="Un")
    with django_assert_max_num_queries(30) as few:
        client.get(page(binome))
    for i in range(15):
        messaging.message_send(binome=binome, by=mentor_user if i % 2 else mentee_user, body=f"Message {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(page(binome))
    # session, user, the binôme with both people, the team's decisions, the messages.
    cursor = {"after": Message.objects.latest("pk").pk, "decisions": 0}
    with django_assert_max_num_queries(5):
        client.get(conv(binome), cursor, HTTP_HX_REQUEST="true")


@pytest.mark.parametrize("who", ["bob", "charlie", "alice"])
def test_only_the_two_members_reach_the_members_pages(client, binome, bob, charlie, alice, who):
    user = {"bob": bob, "charlie": charlie.membership.user, "alice": alice}[who]
    client.force_login(user)

    for url in (page(binome), conv(binome), f"/mon-espace/binomes/{binome.pk}/bilan/"):
        assert client.get(url).status_code == 404
    for suffix, data in (("messages/", {"body": "x"}), ("signaler/", {"reason": "x"}), ("rencontre/", {}), ("nouvelles/", {"rating": 3}), ("arreter/", {"reason_code": "no_time"})):
        assert client.post(f"/mon-espace/binomes/{binome.pk}/{suffix}", data).status_code == 404
    assert not Message.objects.exists() and not Report.objects.exists()


@pytest.mark.parametrize("who", ["bob", "charlie", "mentor"])
def test_only_the_associations_coordinators_reach_the_coordination_pages(client, binome, bob, charlie, mentor_user, who):
    user = {"bob": bob, "charlie": charlie.membership.user, "mentor": mentor_user}[who]
    client.force_login(user)

    assert client.get(coord_page(binome)).status_code == 404
    assert client.get(f"/coordination/{binome.association.slug}/binomes/").status_code == 404
    assert client.post(f"{coord_page(binome)}suspendre/", {"reason": "x"}).status_code == 404
    assert not StaffRead.objects.exists()


def test_an_htmx_send_error_is_shown_in_place_with_the_text_kept(client, binome, mentor_user):
    client.force_login(mentor_user)
    long_text = "Voici mon conseil pour Parcoursup. " * 70

    response = client.post(conv(binome), {"body": long_text}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps only successful responses
    assert html.lstrip().startswith('<section id="conversation"')
    assert "au plus 2000 caractères" in html and "Voici mon conseil pour Parcoursup." in html
