"""The poll's cached "nothing new": an open page costs the server almost nothing while nothing
happens, and every change a member may see (a message, held or not, a release, a refusal)
reaches the open page at its next poll."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from binomes import messaging
from binomes.poll_cache import _generation_key
from safeguarding.models import TextReview
from safeguarding.services import text_review_refuse

pytestmark = pytest.mark.django_db

PHONE = "Mon numéro c'est le 06 12 34 56 78"
WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE)", re.I)


def page(binome):
    return f"/mon-espace/binomes/{binome.pk}/"


def poll_url(html):
    return re.search(r'id="message-poll"[^>]*hx-get="([^"]+)"', html, re.S).group(1).replace("&amp;", "&")


def open_page(client, binome, user):
    """The member's page is open and has polled once with nothing new (the cursor is remembered)."""
    client.force_login(user)
    url = poll_url(client.get(page(binome)).content.decode())
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 204
    return url


def send(capture, **kwargs):
    """A service call, its transaction committed (the generation is bumped on commit)."""
    with capture(execute=True):
        return messaging.message_send(**kwargs)


def test_an_idle_poll_answers_204_from_the_cache_with_one_query_and_no_write(
        client, binome, mentor_user, mentee_user, django_assert_num_queries, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks, binome=binome, by=mentor_user, body="Salut !")
    url = open_page(client, binome, mentee_user)

    # session, user, and the membership (one query on the binôme's key): no binôme, message or
    # review is read.
    with django_assert_num_queries(3) as queries:
        response = client.get(url, HTTP_HX_REQUEST="true")

    assert response.status_code == 204 and response.content == b""
    assert not [q for q in queries.captured_queries if WRITES.match(q["sql"])]
    assert "set-cookie" not in {k.lower() for k in response.headers}  # no session write either


def test_a_new_message_bumps_the_generation_and_reaches_the_open_page(
        client, binome, mentor_user, mentee_user, django_capture_on_commit_callbacks):
    url = open_page(client, binome, mentee_user)
    before = cache.get(_generation_key(binome.pk))

    send(django_capture_on_commit_callbacks, binome=binome, by=mentor_user, body="Tu es dispo samedi ?")

    assert cache.get(_generation_key(binome.pk)) != before
    assert "Tu es dispo samedi ?" in client.get(url, HTTP_HX_REQUEST="true").content.decode()


def test_a_message_rolled_back_bumps_nothing(client, binome, mentor_user, mentee_user, django_capture_on_commit_callbacks):
    open_page(client, binome, mentee_user)
    before = cache.get(_generation_key(binome.pk))

    with django_capture_on_commit_callbacks(execute=False):  # the transaction never commits
        messaging.message_send(binome=binome, by=mentor_user, body="Brouillon")

    assert cache.get(_generation_key(binome.pk)) == before


def test_a_held_message_bumps_the_generation_but_stays_off_the_other_members_page(
        client, binome, mentor_user, mentee_user, django_capture_on_commit_callbacks):
    url = open_page(client, binome, mentee_user)
    before = cache.get(_generation_key(binome.pk))

    held = send(django_capture_on_commit_callbacks, binome=binome, by=mentor_user, body=PHONE)

    assert held.held and cache.get(_generation_key(binome.pk)) != before
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 204


def test_a_release_reaches_the_open_page_of_the_other_member(
        client, binome, mentor_user, mentee_user, alice, django_capture_on_commit_callbacks):
    held = send(django_capture_on_commit_callbacks, binome=binome, by=mentor_user, body=PHONE)
    url = open_page(client, binome, mentee_user)

    with django_capture_on_commit_callbacks(execute=True):
        messaging.message_release(message=held, by=alice)

    assert "06 12 34 56 78" in client.get(url, HTTP_HX_REQUEST="true").content.decode()


def test_a_refusal_takes_the_message_off_its_authors_open_page_notice(
        client, binome, mentor_user, alice, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks, binome=binome, by=mentor_user, body=PHONE)
    url = open_page(client, binome, mentor_user)

    with django_capture_on_commit_callbacks(execute=True):
        text_review_refuse(review=TextReview.objects.get(), by=alice, reason="Pas de numéro ici.")

    assert "non transmis" in client.get(url, HTTP_HX_REQUEST="true").content.decode()


def test_a_remembered_cursor_serves_only_its_member(client, binome, mentee_user, charlie, bob):
    """Another person with the same cursor never gets the cached 204: 404, as for the page."""
    url = open_page(client, binome, mentee_user)
    for outsider in (charlie.membership.user, bob):
        client.force_login(outsider)
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404


def test_without_a_reachable_redis_every_poll_takes_the_full_path(
        client, binome, mentee_user, settings, django_assert_num_queries):
    """Each process would see only its own bumps: the shortcut is off, the polls still answer."""
    settings.CACHES = {"default": {"BACKEND": "mentorat.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:18299/0"}}
    url = open_page(client, binome, mentee_user)  # nobody listens on 18299 (this helper's port range)

    with django_assert_num_queries(5):  # session, user, binôme, decisions, messages
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 204
