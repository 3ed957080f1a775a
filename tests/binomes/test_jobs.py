"""Periodic jobs: each sends what is due once, and a second run sends nothing. The jobs record their
e-mails in the outbox, which sends them once the job's transaction commits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from binomes import jobs, messaging
from binomes.models import Binome
from binomes.tasks import run_end_surveys, run_inactivity_reminders, run_message_digests

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    """Run a job as a worker would: its transaction commits, then the outbox relays."""
    def run(job):  # noqa: ANN001, ANN202
        with django_capture_on_commit_callbacks(execute=True):
            return job()
    return run


def test_one_digest_per_person_for_messages_left_unread(binome, mentor_user, mentee_user, mailoutbox, time_machine, committed):
    time_machine.move_to("2026-11-10 09:00 +01:00")
    for text in ("Coucou", "Tu as regardé les formations ?", "Je t'envoie le lien de l'ONISEP demain"):
        messaging.message_send(binome=binome, by=mentor_user, body=text)
    time_machine.shift(timedelta(hours=7))

    assert committed(lambda: run_message_digests.delay().get()) == 1
    assert committed(lambda: run_message_digests.delay().get()) == 0  # twice: nothing more

    assert [m.to for m in mailoutbox] == [[mentee_user.email]]
    assert "Coucou" not in mailoutbox[0].body  # the digest never quotes messages


def test_no_digest_once_the_messages_are_read(binome, mentor_user, mentee_user, mailoutbox, time_machine):
    time_machine.move_to("2026-11-10 09:00 +01:00")
    messaging.message_send(binome=binome, by=mentor_user, body="Coucou")
    time_machine.shift(timedelta(hours=1))
    messaging.conversation_mark_read(binome=binome, user=mentee_user)
    time_machine.shift(timedelta(hours=7))

    assert jobs.message_digests() == 0
    assert mailoutbox == []


def test_held_messages_are_not_announced(binome, mentor_user, mailoutbox, time_machine):
    time_machine.move_to("2026-11-10 09:00 +01:00")
    messaging.message_send(binome=binome, by=mentor_user, body="Appelle-moi au 06 12 34 56 78")
    mailoutbox.clear()
    time_machine.shift(timedelta(hours=7))

    assert jobs.message_digests() == 0


def test_inactive_pairs_are_reminded_at_most_once_a_week(binome, mailoutbox, time_machine, committed):
    time_machine.move_to("2026-11-01 10:00 +01:00")
    Binome.objects.filter(pk=binome.pk).update(last_activity_at=timezone.now())
    time_machine.shift(timedelta(days=22))

    assert committed(lambda: run_inactivity_reminders.delay().get()) == 2
    assert committed(lambda: run_inactivity_reminders.delay().get()) == 0
    time_machine.shift(timedelta(days=3))
    assert committed(jobs.inactivity_reminders) == 0
    time_machine.shift(timedelta(days=5))
    assert committed(jobs.inactivity_reminders) == 2
    assert len(mailoutbox) == 4


def test_end_survey_is_sent_three_weeks_before_the_end_once(binome, mailoutbox, time_machine, committed):
    time_machine.move_to("2027-02-05 10:00 +01:00")
    assert jobs.end_surveys() == 0
    time_machine.move_to("2027-02-09 10:00 +01:00")

    assert committed(lambda: run_end_surveys.delay().get()) == 2
    assert committed(lambda: run_end_surveys.delay().get()) == 0
    assert {m.to[0] for m in mailoutbox} == {"yanis@example.org", "ines@example.org"}
    assert all(f"/mon-espace/binomes/{binome.pk}/bilan/" in m.body for m in mailoutbox)


def test_check_in_reminders_once_a_month_for_those_who_did_not_answer(binome, mentor_user, mailoutbox, time_machine, committed):
    from binomes import activity

    time_machine.move_to("2026-12-01 09:00 +01:00")
    activity.check_in_answer(binome=binome, by=mentor_user, rating=4)
    time_machine.move_to("2026-12-03 17:00 +01:00")

    assert committed(jobs.check_in_reminders) == 1
    assert committed(jobs.check_in_reminders) == 0
    assert [m.to for m in mailoutbox] == [["ines@example.org"]]


def test_closed_binomes_get_nothing(binome, mailoutbox, time_machine):
    Binome.objects.filter(pk=binome.pk).update(status="completed", ended_on=date(2026, 10, 1), last_activity_at=timezone.now() - timedelta(days=90))

    assert jobs.inactivity_reminders() == 0
    assert jobs.end_surveys() == 0
