"""The outbox: side effects recorded with the state change, relayed after commit or by the sweep,
retried, given up visibly, and each e-mail sent at most once per (event, recipient)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from kombu.exceptions import OperationalError

import outbox
from binomes import tasks as binome_tasks
from matching import services as matching_services
from outbox import services
from outbox.models import Delivery, OutboxMessage
from outbox.tasks import relay, sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):  # noqa: ANN001, ANN201
    """Publishing to the broker fails as it does while Redis is away."""
    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(relay, "apply_async", refuse)





def test_an_approval_sends_the_introductions_after_commit(alice, proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        binome = matching_services.proposal_approve(proposal=proposal, by=alice)
        assert mail.outbox == []  # nothing leaves before the commit

    assert sorted(a for m in mail.outbox for a in m.to) == sorted(
        [binome.mentor.membership.user.email, binome.mentee.membership.user.email])
    assert OutboxMessage.objects.get().status == "sent"


def test_a_rolled_back_state_change_leaves_nothing_to_send(alice, proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        matching_services.proposal_approve(proposal=proposal, by=alice)
        raise RuntimeError("the request failed after the approval")

    assert OutboxMessage.objects.count() == 0 and mail.outbox == []


def test_broker_away_at_commit_the_approval_succeeds_and_the_sweep_sends_later(alice, proposal, broker_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        matching_services.proposal_approve(proposal=proposal, by=alice)  # no exception after commit

    assert mail.outbox == [] and OutboxMessage.objects.get().status == "pending"

    assert sweep() == 1  # what Celery beat runs once Redis is back
    assert sweep() == 0  # twice: nothing more
    assert len(mail.outbox) == 2


def test_a_redelivered_message_does_not_email_anyone_twice(alice, proposal, broker_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        matching_services.proposal_approve(proposal=proposal, by=alice)
    message = OutboxMessage.objects.get()

    # The same event run twice (a relay redelivered after its worker died, a lease that expired).
    assert services.message_deliver(message=message)
    assert services.message_deliver(message=message)

    assert len(mail.outbox) == 2
    assert Delivery.objects.filter(message=message, sent_at__isnull=False).count() == 2


def test_each_email_task_run_twice_for_one_event_sends_once(binome, broker_down):
    outbox.emit(binome_tasks.send_status_change, binome.pk, "suspended")
    message = OutboxMessage.objects.get()
    token = services.current_message.set(message)
    try:
        binome_tasks.send_status_change(binome.pk, "suspended")
        binome_tasks.send_status_change(binome.pk, "suspended")
    finally:
        services.current_message.reset(token)

    assert sorted(m.to[0] for m in mail.outbox) == ["ines@example.org", "yanis@example.org"]


def test_emitting_a_natural_event_twice_records_it_once(binome, broker_down):
    outbox.emit(binome_tasks.send_introduction, binome.pk, key=f"binome-introduction:{binome.pk}")
    outbox.emit(binome_tasks.send_introduction, binome.pk, key=f"binome-introduction:{binome.pk}")

    assert OutboxMessage.objects.count() == 1


def test_a_failed_send_is_retried_with_back_off_and_only_to_whom_did_not_get_it(binome, broker_down, monkeypatch, time_machine):
    import mentorat.mail

    time_machine.move_to("2026-12-01 10:00 +01:00")
    real_send, calls = mentorat.mail.send_mail, []

    def flaky(**kwargs):  # noqa: ANN003, ANN202
        calls.append(kwargs["recipient_list"])
        if len(calls) == 2:
            raise ConnectionRefusedError("SMTP server away")
        return real_send(**kwargs)

    monkeypatch.setattr(mentorat.mail, "send_mail", flaky)
    outbox.emit(binome_tasks.send_introduction, binome.pk)

    assert services.outbox_relay() == 0
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts, len(mail.outbox)) == ("pending", 1, 1)
    assert "SMTP server away" in message.last_error
    assert services.outbox_relay() == 0  # not yet due: back-off

    time_machine.shift(timedelta(seconds=31))
    assert services.outbox_relay() == 1

    assert calls[1] == calls[2]  # the retry wrote only to the one who had not been written to
    assert sorted(m.to[0] for m in mail.outbox) == ["ines@example.org", "yanis@example.org"]


def test_a_send_that_keeps_failing_is_given_up_and_listed(binome, broker_down, monkeypatch, time_machine, client):
    import mentorat.mail

    def refused(**kwargs):  # noqa: ANN003, ANN202
        raise ConnectionRefusedError("SMTP server away")

    monkeypatch.setattr(mentorat.mail, "send_mail", refused)
    time_machine.move_to("2026-12-01 10:00 +01:00")
    outbox.emit(binome_tasks.send_introduction, binome.pk)
    for _ in range(services.MAX_ATTEMPTS):
        services.outbox_relay()
        time_machine.shift(services.MAX_RETRY + timedelta(seconds=1))

    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert services.outbox_relay() == 0  # given up: no more tries

    from tests import factories

    client.force_login(factories.UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    page = client.get("/admin/outbox/outboxmessage/?status__exact=failed").content.decode()
    assert "binomes.tasks.send_introduction" in page and "SMTP server away" in page


def test_the_operator_sends_a_given_up_message_again(binome, broker_down):
    outbox.emit(binome_tasks.send_introduction, binome.pk)
    OutboxMessage.objects.update(status="failed", attempts=services.MAX_ATTEMPTS)

    services.message_retry(message=OutboxMessage.objects.get())
    assert services.outbox_relay() == 1

    assert len(mail.outbox) == 2


def test_a_claimed_message_is_left_to_its_relay_until_the_lease_ends(binome, broker_down, time_machine):
    time_machine.move_to("2026-12-01 10:00 +01:00")
    outbox.emit(binome_tasks.send_introduction, binome.pk)
    claimed = services._claim_next()  # a relay took it, then its worker died

    assert services.outbox_relay() == 0
    time_machine.shift(services.LEASE + timedelta(seconds=1))
    assert services.outbox_relay() == 1
    assert claimed.pk == OutboxMessage.objects.get().pk and len(mail.outbox) == 2


def test_a_match_run_is_published_to_the_workers_not_run_by_the_relay(association, alice, monkeypatch, django_capture_on_commit_callbacks):
    from matching import tasks as matching_tasks

    published = []
    monkeypatch.setattr(matching_tasks.run_match, "apply_async", lambda args, **kw: published.append(args))

    with django_capture_on_commit_callbacks(execute=True):
        run = matching_services.match_run_request(association=association, by=alice)

    assert published == [[run.pk]]
    run.refresh_from_db()
    assert run.status == "queued"


def test_one_relay_per_transaction_however_many_rows(binome, monkeypatch, django_capture_on_commit_callbacks):
    asked = []
    monkeypatch.setattr(relay, "apply_async", lambda *args, **kwargs: asked.append(1))

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for event in ("suspended", "resumed", "suspended"):
            outbox.emit(binome_tasks.send_status_change, binome.pk, event)

    assert len(asked) == 1 and OutboxMessage.objects.count() == 3
