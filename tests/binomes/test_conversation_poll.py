"""The open conversation page: it loads the last messages, polls only for what is new (a
cursor), and the navigation badge counts what is unread, held and released included."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from binomes import messaging
from binomes.models import Message
from binomes.selectors import unread_total
from binomes.views import PAGE_SIZE
from safeguarding.models import TextReview
from safeguarding.services import text_review_refuse

pytestmark = pytest.mark.django_db

PHONE = "Mon numéro c'est le 06 12 34 56 78"


def page(binome):
    return f"/mon-espace/binomes/{binome.pk}/"


def conv(binome):
    return f"/mon-espace/binomes/{binome.pk}/messages/"


def poll_url(html):
    """The URL the page's poller asks every 5 seconds (what htmx would request)."""
    return re.search(r'id="message-poll"[^>]*hx-get="([^"]+)"', html, re.S).group(1).replace("&amp;", "&")


def test_a_poll_with_nothing_new_answers_204_without_html_nor_write(client, binome, mentor_user, mentee_user, django_assert_num_queries):
    messaging.message_send(binome=binome, by=mentor_user, body="Salut !")
    client.force_login(mentee_user)
    url = poll_url(client.get(page(binome)).content.decode())

    # session, user, the binôme with both people, the team's decisions, the messages after the cursor.
    with django_assert_num_queries(5) as queries:
        response = client.get(url, HTTP_HX_REQUEST="true")

    assert response.status_code == 204 and response.content == b""
    assert not [q for q in queries.captured_queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]


def test_a_poll_sends_only_the_new_message_and_marks_it_read(client, binome, mentor_user, mentee_user):
    messaging.message_send(binome=binome, by=mentor_user, body="Premier message")
    client.force_login(mentee_user)
    url = poll_url(client.get(page(binome)).content.decode())
    messaging.message_send(binome=binome, by=mentor_user, body="Tu es dispo samedi ?")
    assert unread_total(user=mentee_user) == 1

    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()

    assert "Tu es dispo samedi ?" in html and "Premier message" not in html
    assert 'hx-swap-oob="true"' in html  # the poller moves its cursor past the new message
    assert unread_total(user=mentee_user) == 0
    assert client.get(poll_url(html), HTTP_HX_REQUEST="true").status_code == 204


def test_a_message_released_later_reaches_the_open_page_of_the_other_member(client, binome, mentor_user, mentee_user, alice):
    held = messaging.message_send(binome=binome, by=mentor_user, body=PHONE)
    later = messaging.message_send(binome=binome, by=mentor_user, body="Et sinon, ça va ?")
    client.force_login(mentee_user)
    url = poll_url(client.get(page(binome)).content.decode())  # its cursor is already past the held id
    assert unread_total(user=mentee_user) == 0

    messaging.message_release(message=held, by=alice)

    assert unread_total(user=mentee_user) == 1  # the badge counts it, old as its id is
    response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "06 12 34 56 78" in html and "Et sinon" in html  # the whole window, released message in place
    assert response["HX-Retarget"] == "#messages" and response["HX-Reswap"] == "outerHTML"
    assert later.pk > held.pk and unread_total(user=mentee_user) == 0
    assert client.get(poll_url(html), HTTP_HX_REQUEST="true").status_code == 204


def test_a_refused_message_leaves_the_open_page_of_the_other_member(client, binome, mentor_user, mentee_user, alice):
    binome.association.hold_flagged_messages = False
    binome.association.save()
    flagged = messaging.message_send(binome=binome, by=mentor_user, body=PHONE)
    client.force_login(mentee_user)
    first = client.get(page(binome)).content.decode()
    assert "06 12 34 56 78" in first  # flagged, not held: delivered

    text_review_refuse(review=TextReview.objects.get(message=flagged), by=alice, reason="Pas de numéro ici")

    response = client.get(poll_url(first), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="message-list"' in html  # the window again, without it
    assert "06 12 34 56 78" not in html


def test_the_page_loads_the_last_messages_and_earlier_ones_on_demand(client, binome, mentor_user, mentee_user):
    now = timezone.now() - timedelta(hours=1)  # all at the same instant: the id breaks ties
    sent = Message.objects.bulk_create(
        Message(binome=binome, association=binome.association, sender=mentor_user if i % 2 else mentee_user, body=f"Message n°{i}.", created_at=now)
        for i in range(PAGE_SIZE + 5))
    client.force_login(mentee_user)
    html = client.get(page(binome)).content.decode()
    assert "Message n°5." in html and "Message n°4." not in html
    earlier = re.search(r'hx-get="([^"]+before=\d+)"', html).group(1)

    messaging.message_send(binome=binome, by=mentor_user, body="Arrivé entre-temps.")  # the cursor holds under inserts
    older = client.get(earlier, HTTP_HX_REQUEST="true").content.decode()

    assert [f"Message n°{i}." for i in range(4, -1, -1)] == re.findall(r"Message n°\d+\.", older)
    assert "Messages précédents" not in older  # nothing before the first
    assert "Message n°1." in client.get(page(binome), {"before": sent[5].pk}).content.decode()  # without JavaScript too


def test_the_page_repeats_no_report_form_and_each_message_links_to_one(client, binome, mentor_user, mentee_user):
    client.force_login(mentee_user)
    forms_without_messages = client.get(page(binome)).content.decode().count("csrfmiddlewaretoken")
    messages = [messaging.message_send(binome=binome, by=mentor_user, body=f"Message {i}") for i in range(3)]

    html = client.get(page(binome)).content.decode()

    assert html.count("csrfmiddlewaretoken") == forms_without_messages  # no form nor token per message
    for m in messages:
        assert f'href="/mon-espace/binomes/{binome.pk}/signaler/?message={m.pk}"' in html
    report_page = client.get(f"/mon-espace/binomes/{binome.pk}/signaler/", {"message": messages[1].pk}).content.decode()
    assert "Message 1" in report_page and f'name="message" value="{messages[1].pk}"' in report_page


def test_one_cannot_report_a_message_one_cannot_read(client, binome, mentor_user, mentee_user):
    held = messaging.message_send(binome=binome, by=mentor_user, body=PHONE)
    client.force_login(mentee_user)

    assert client.get(f"/mon-espace/binomes/{binome.pk}/signaler/", {"message": held.pk}).status_code == 404


@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_others_reach_neither_the_poll_nor_the_report_page(client, binome, mentor_user, alice, bob, charlie, who):
    message = messaging.message_send(binome=binome, by=mentor_user, body="Salut !")
    client.force_login({"alice": alice, "bob": bob, "charlie": charlie.membership.user}[who])

    assert client.get(conv(binome), {"after": 0, "decisions": 0}, HTTP_HX_REQUEST="true").status_code == 404
    assert client.get(f"/mon-espace/binomes/{binome.pk}/signaler/", {"message": message.pk}).status_code == 404


def badge(client):
    found = re.search(r'<span class="badge" aria-label="(\d+) messages? non lus?">', client.get("/mon-espace/").content.decode())
    return int(found.group(1)) if found else 0


def test_the_badge_after_send_read_hold_and_release(client, binome, mentor_user, mentee_user, alice, charlie):
    messaging.message_send(binome=binome, by=mentor_user, body="Salut !")
    client.force_login(mentee_user)
    assert badge(client) == 1  # sent
    client.get(page(binome))
    assert badge(client) == 0  # read
    held = messaging.message_send(binome=binome, by=mentor_user, body=PHONE)
    assert badge(client) == 0  # held: not for her eyes yet
    messaging.message_release(message=held, by=alice)
    assert badge(client) == 1  # released: new to her
    client.force_login(mentor_user)
    assert badge(client) == 0  # one's own messages are never unread
    for user in (alice, charlie.membership.user):  # the coordinator, another mentee of the association
        client.force_login(user)
        assert badge(client) == 0
