"""The coordinators' list keys stored on the binôme row (binomes.attention): right after every
event that changes them, and moved by the hourly job as silence ages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from binomes import activity, lifecycle, messaging
from binomes.attention import health_refresh_all
from binomes.models import Binome
from binomes.tasks import run_health_refresh
from safeguarding import services as reviews

pytestmark = pytest.mark.django_db

PHONE = "Mon numéro c'est le 06 12 34 56 78"


def keys(binome: Binome) -> tuple[str, int, int, int]:
    row = Binome.objects.values_list("health", "open_report_count", "held_message_count", "list_rank").get(pk=binome.pk)
    return tuple(row)


def test_a_new_binome_is_on_track_with_nothing_to_handle(binome):
    assert keys(binome) == ("on_track", 0, 0, 4)


def test_a_held_message_counts_until_it_is_released(binome, mentee_user, alice):
    message = messaging.message_send(binome=binome, by=mentee_user, body=PHONE)
    assert keys(binome) == ("on_track", 0, 1, 1)

    messaging.message_release(message=message, by=alice)

    assert keys(binome) == ("on_track", 0, 0, 4)


def test_a_refused_message_stays_held_but_needs_nothing_more(binome, mentee_user, alice):
    message = messaging.message_send(binome=binome, by=mentee_user, body=PHONE)

    reviews.text_review_refuse(review=message.review, by=alice, reason="Pas de numéro ici.")

    message.refresh_from_db()
    assert message.held and keys(binome) == ("on_track", 0, 0, 4)


def test_a_flagged_message_the_association_does_not_hold_is_not_counted(binome, mentee_user):
    binome.association.hold_flagged_messages = False
    binome.association.save(update_fields=["hold_flagged_messages"])

    messaging.message_send(binome=binome, by=mentee_user, body=PHONE)

    assert keys(binome) == ("on_track", 0, 0, 4)


def test_reports_count_while_open(binome, mentor_user, mentee_user, alice):
    first = messaging.report_create(binome=binome, by=mentor_user, reason="Plus de nouvelles")
    messaging.report_create(binome=binome, by=mentee_user, reason="Il ne répond plus")
    assert keys(binome) == ("on_track", 2, 0, 0)

    messaging.report_handle(report=first, by=alice, outcome="Appel aux deux")

    assert keys(binome) == ("on_track", 1, 0, 0)


def test_the_hourly_job_moves_health_as_silence_ages_and_a_message_brings_it_back(binome, mentor_user, time_machine):
    time_machine.move_to(timezone.now())
    time_machine.shift(timedelta(days=22))
    assert health_refresh_all() == 1
    assert keys(binome) == ("needs_attention", 0, 0, 3)
    time_machine.shift(timedelta(days=24))
    assert run_health_refresh() == 1
    assert run_health_refresh() == 0  # a second run changes nothing
    assert keys(binome) == ("at_risk", 0, 0, 2)

    messaging.message_send(binome=binome, by=mentor_user, body="Désolé, j'étais en stage !")

    assert keys(binome) == ("on_track", 0, 0, 4)


def test_a_meeting_logged_after_a_silence_puts_the_pair_back_on_track(binome, mentee_user, time_machine):
    time_machine.move_to(timezone.now())
    time_machine.shift(timedelta(days=50))
    health_refresh_all()
    assert keys(binome)[0] == "at_risk"

    activity.meeting_log(binome=binome, by=mentee_user, happened_on=timezone.localdate() - timedelta(days=1), duration_minutes=60,
                         format="in_person", topics=["cv"])

    assert keys(binome) == ("on_track", 0, 0, 4)


def test_poor_check_ins_change_the_health_at_once(binome, mentor_user, mentee_user):
    activity.check_in_answer(binome=binome, by=mentor_user, rating=2)
    assert keys(binome) == ("needs_attention", 0, 0, 3)

    activity.check_in_answer(binome=binome, by=mentee_user, rating=1)

    assert keys(binome) == ("at_risk", 0, 0, 2)


def test_status_changes_move_the_pair_down_the_list(binome, alice):
    lifecycle.binome_suspend(binome=binome, by=alice, reason="Signalement en cours")
    assert keys(binome) == ("", 0, 0, 5)
    lifecycle.binome_resume(binome=binome, by=alice)
    assert keys(binome) == ("on_track", 0, 0, 4)

    lifecycle.binome_end_early(binome=binome, by=alice, reason_code="no_time")

    assert keys(binome) == ("", 0, 0, 6)


def test_an_open_report_keeps_a_closed_pair_at_the_top(binome, mentor_user, alice):
    messaging.report_create(binome=binome, by=mentor_user, reason="Propos déplacés")

    lifecycle.binome_end_early(binome=binome, by=alice, reason_code="safeguarding")

    assert keys(binome) == ("", 1, 0, 0)
