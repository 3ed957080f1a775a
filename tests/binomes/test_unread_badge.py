"""The navigation's unread badge (selectors.unread_total): right after a send, a read, a hold and
a release; another pair's members never see it move."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from binomes import messaging
from binomes.models import Binome, Message
from binomes.selectors import unread_total
from tests import factories
from tests.matching.conftest import vetted

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(other_association):  # noqa: ANN001
    """A running pair of another association, whose members watch their own badge."""
    binome = Binome.objects.create(association=other_association, mentor=vetted(association=other_association),
                                   mentee=factories.mentee(association=other_association, status="validated"),
                                   started_on=timezone.localdate() - timedelta(days=30), planned_end_on=timezone.localdate() + timedelta(days=150))
    messaging.message_send(binome=binome, by=binome.mentee.membership.user, body="Salut !")
    messaging.conversation_mark_read(binome=binome, user=binome.mentor.membership.user)
    return binome


def test_the_badge_follows_send_read_hold_and_release(binome, mentor_user, mentee_user, alice, elsewhere, time_machine):
    time_machine.move_to(timezone.now())
    others = (elsewhere.mentor.membership.user, elsewhere.mentee.membership.user)

    def badges() -> tuple[int, int, int, int]:
        return unread_total(user=mentor_user), unread_total(user=mentee_user), *(unread_total(user=u) for u in others)

    messaging.message_send(binome=binome, by=mentee_user, body="Bonjour Yanis")
    assert badges() == (1, 0, 0, 0)
    time_machine.shift(timedelta(seconds=1))
    held = messaging.message_send(binome=binome, by=mentee_user, body="Mon numéro c'est le 06 12 34 56 78")
    assert held.held and badges() == (1, 0, 0, 0)  # a held message is not shown, so not unread
    time_machine.shift(timedelta(seconds=1))
    messaging.conversation_mark_read(binome=binome, user=mentor_user)
    assert badges() == (0, 0, 0, 0)
    time_machine.shift(timedelta(seconds=1))

    messaging.message_release(message=held, by=alice)

    assert badges() == (1, 0, 0, 0)  # released after the last read: new to him
    time_machine.shift(timedelta(seconds=1))
    messaging.conversation_mark_read(binome=binome, user=mentor_user)
    assert badges() == (0, 0, 0, 0)
    messaging.message_send(binome=binome, by=mentor_user, body="Reçu, merci")
    assert badges() == (0, 1, 0, 0)


def test_the_badge_costs_two_queries_at_3_and_300_messages(binome, mentor_user, mentee_user, django_assert_max_num_queries):
    def conversation(n: int) -> None:
        start = timezone.now() - timedelta(days=5)
        Message.objects.bulk_create([Message(binome=binome, association_id=binome.association_id, sender=mentee_user,
                                             body=f"n°{i}", created_at=start + timedelta(seconds=i)) for i in range(n)])

    conversation(3)
    # the user's binômes with their read markers (one union), then one count.
    with django_assert_max_num_queries(2):
        assert unread_total(user=mentor_user) == 3
    conversation(297)
    with django_assert_max_num_queries(2):
        assert unread_total(user=mentor_user) == 300
