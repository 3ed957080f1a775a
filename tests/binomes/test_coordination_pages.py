"""The coordinators' binômes list (order, filters, query budget) and a binôme's conversation as
the coordinators read it (the last messages, older ones on demand)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from binomes import lifecycle, messaging
from binomes.attention import health_refresh_all
from binomes.models import Binome, Message, StaffRead
from tests import factories
from tests.matching.conftest import vetted

pytestmark = pytest.mark.django_db


def another(association, **fields) -> Binome:  # noqa: ANN001, ANN003
    return Binome.objects.create(association=association, mentor=vetted(association=association),
                                 mentee=factories.mentee(association=association, status="validated"),
                                 started_on=timezone.localdate() - timedelta(days=90),
                                 planned_end_on=timezone.localdate() + timedelta(days=90), **fields)


def list_url(association, **query) -> str:  # noqa: ANN001, ANN003
    from urllib.parse import urlencode

    return f"/coordination/{association.slug}/binomes/?{urlencode(query)}"


def listed_ids(client, association, **query) -> list[int]:  # noqa: ANN001, ANN003
    return [b.pk for b in client.get(list_url(association, **query)).context["page"]]


def test_what_needs_a_coordinator_comes_first(client, association, binome, mentor_user, alice):
    now = timezone.now()
    closed = another(association, status="completed", ended_on=timezone.localdate())
    on_track = another(association, last_activity_at=now - timedelta(days=2))
    quieter = another(association, last_activity_at=now - timedelta(days=10))  # on track, longer silence first
    attention = another(association, last_activity_at=now - timedelta(days=30))
    risk = another(association, last_activity_at=now - timedelta(days=60))
    suspended = another(association)
    health_refresh_all()  # rows made here bypass the services: the hourly job sets their health
    lifecycle.binome_suspend(binome=suspended, by=alice, reason="En attente")
    held = another(association)
    messaging.message_send(binome=held, by=held.mentee.membership.user, body="Mon numéro c'est le 06 12 34 56 78")
    messaging.report_create(binome=binome, by=mentor_user, reason="Plus de nouvelles")
    client.force_login(alice)

    assert listed_ids(client, association) == [binome.pk, held.pk, risk.pk, attention.pk, quieter.pk, on_track.pk, suspended.pk, closed.pk]
    assert listed_ids(client, association, health="at_risk") == [risk.pk]
    assert listed_ids(client, association, status="suspended") == [suspended.pk]
    assert listed_ids(client, association, reported="on") == [binome.pk]


def test_the_list_shows_the_stored_health_and_what_to_handle(client, association, binome, mentor_user, alice, time_machine):
    time_machine.move_to(timezone.now())
    messaging.report_create(binome=binome, by=mentor_user, reason="Plus de nouvelles")
    time_machine.shift(timedelta(days=30))
    health_refresh_all()
    client.force_login(alice)

    html = client.get(list_url(association)).content.decode()

    assert '<span class="badge warn">à surveiller</span>' in html and "1 signalement" in html


def test_the_list_page_costs_the_same_queries_at_3_and_30_binomes(client, association, alice, django_assert_max_num_queries):
    for _ in range(3):
        another(association)
    client.force_login(alice)
    client.get(list_url(association))  # the session is warm
    with django_assert_max_num_queries(30) as small:
        client.get(list_url(association))
    for _ in range(27):
        another(association)

    # session, user, the association and the coordinator check, the count, the page's 25 rows
    # with both people and their communes (one join query), the navigation badge.
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(list_url(association)).context["page"]) == 25
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(list_url(association, page=2))


def test_another_associations_coordinator_gets_404_on_the_list(client, association, binome, bob, charlie):
    for user in (bob, charlie.membership.user):
        client.force_login(user)
        assert client.get(list_url(association)).status_code == 404


# --- the conversation, as the coordinators read it ------------------------------------------


def coord_page(binome: Binome) -> str:
    return f"/coordination/{binome.association.slug}/binomes/{binome.pk}/"


def _conversation_of(binome: Binome, n: int) -> list[Message]:
    users = (binome.mentor.membership.user_id, binome.mentee.membership.user_id)
    start = timezone.now() - timedelta(days=10)
    return Message.objects.bulk_create([
        Message(binome=binome, association_id=binome.association_id, sender_id=users[i % 2], body=f"Message n°{i}",
                created_at=start + timedelta(minutes=i)) for i in range(n)])


def test_the_coordinator_reads_the_last_50_messages_and_older_ones_on_demand(client, binome, alice):
    _conversation_of(binome, 60)
    client.force_login(alice)

    html = client.get(coord_page(binome)).content.decode()

    assert "Message n°59" in html and "Message n°10<" in html and "Message n°9<" not in html
    assert "Messages précédents" in html
    earlier = client.get(coord_page(binome), {"before": Message.objects.get(body="Message n°10").pk}, HTTP_HX_REQUEST="true")
    older = earlier.content.decode()
    assert "Message n°9<" in older and "Message n°0<" in older and "Message n°10<" not in older
    assert "<h2>" not in older  # only the older messages, not the page again
    assert "Messages précédents" not in older  # nothing before the first
    # Without JavaScript the link opens the page at the older window; every read is logged.
    assert "Message n°9<" in client.get(coord_page(binome), {"before": Message.objects.get(body="Message n°10").pk}).content.decode()
    assert StaffRead.objects.filter(binome=binome, user=alice).count() == 3


def test_older_messages_are_404_for_another_association(client, binome, bob):
    _conversation_of(binome, 3)
    client.force_login(bob)

    assert client.get(coord_page(binome), {"before": 10**6}, HTTP_HX_REQUEST="true").status_code == 404


def test_the_coordinators_binome_page_costs_the_same_queries_at_5_and_300_messages(client, binome, alice, django_assert_max_num_queries):
    _conversation_of(binome, 5)
    client.force_login(alice)
    client.get(coord_page(binome))
    with django_assert_max_num_queries(40) as small:
        client.get(coord_page(binome))
    _conversation_of(binome, 295)

    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(coord_page(binome)).content.decode()
    assert html.count('class="msg') == 50
