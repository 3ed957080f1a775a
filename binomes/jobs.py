"""Periodic jobs of binômes (run by Celery beat). Each one claims its rows with a conditional
UPDATE and, in the same transaction, records its e-mails in the outbox (sent after commit, retried
if the mail server is away); works in batches, and is safe to run twice: a second run finds
nothing left to claim."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

import outbox
from binomes import tasks
from binomes.models import Binome, CheckIn, Message, ReadMarker

BATCH = 500
DIGEST_AFTER = timedelta(hours=6)  # a message still unread after this is worth one e-mail
REMINDER_AFTER = timedelta(days=21)  # "needs attention" starts here
REMINDER_EVERY = timedelta(days=7)  # at most one reminder a week
SURVEY_BEFORE_END = timedelta(days=21)


@transaction.atomic
def message_digests(now=None) -> int:  # noqa: ANN001
    """One e-mail per person with messages unread for a while (never one per message)."""
    now = now or timezone.now()
    marker = ReadMarker.objects.filter(binome=OuterRef("binome"), user=OuterRef("recipient_id")).values("last_read_at")[:1]
    candidates = (
        Message.objects.filter(held=False, digest_sent_at__isnull=True, created_at__lte=now - DIGEST_AFTER,
                               binome__status__in=Binome.RUNNING_STATUSES)
        .annotate(recipient_id=_other_member_user_id())
        .annotate(read_until=Subquery(marker))
        .filter(Q(read_until__isnull=True) | Q(read_until__lt=F("created_at")))
        .values_list("pk", "recipient_id", "binome_id")[:BATCH]
    )
    rows = list(candidates)
    # Claim: the UPDATE re-checks "not sent yet" row by row, so of two concurrent runs each row
    # goes to one; each run then sends only the rows stamped with its own ``now``.
    ids = [r[0] for r in rows]
    Message.objects.filter(pk__in=ids, digest_sent_at__isnull=True).update(digest_sent_at=now)
    claimed = set(Message.objects.filter(pk__in=ids, digest_sent_at=now).values_list("pk", flat=True))
    per_user: dict[int, set[int]] = defaultdict(set)
    for pk, user_id, binome_id in rows:
        if pk in claimed:
            per_user[user_id].add(binome_id)
    for user_id, binome_ids in per_user.items():
        outbox.emit(tasks.send_message_digest, user_id, len(binome_ids))
    return len(per_user)


def _other_member_user_id():  # noqa: ANN202
    from django.db.models import Case, When

    return Case(
        When(sender_id=F("binome__mentor__membership__user_id"), then=F("binome__mentee__membership__user_id")),
        default=F("binome__mentor__membership__user_id"),
    )


@transaction.atomic
def inactivity_reminders(now=None) -> int:  # noqa: ANN001
    """Pairs with no message or meeting for three weeks get a nudge, at most once a week."""
    now = now or timezone.now()
    due = Binome.objects.filter(status__in=Binome.RUNNING_STATUSES, last_activity_at__lt=now - REMINDER_AFTER).filter(
        Q(reminder_sent_at__isnull=True) | Q(reminder_sent_at__lt=now - REMINDER_EVERY)
    )
    ids = list(due.values_list("pk", flat=True)[:BATCH])
    claimed = due.filter(pk__in=ids).update(reminder_sent_at=now)
    sent = 0
    if claimed:
        for binome_id in Binome.objects.filter(pk__in=ids, reminder_sent_at=now).values_list("pk", flat=True):
            outbox.emit(tasks.send_inactivity_reminder, binome_id)
            sent += 2  # both members
    return sent


@transaction.atomic
def end_surveys(now=None) -> int:  # noqa: ANN001
    """Three weeks before the planned end, both members are asked for the end survey (once per horizon)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Binome.objects.filter(status__in=Binome.RUNNING_STATUSES, planned_end_on__lte=today + SURVEY_BEFORE_END, end_survey_sent_at__isnull=True)
    ids = list(due.values_list("pk", flat=True)[:BATCH])
    due.filter(pk__in=ids).update(end_survey_sent_at=now)
    sent = 0
    for binome_id in Binome.objects.filter(pk__in=ids, end_survey_sent_at=now).values_list("pk", flat=True):
        outbox.emit(tasks.send_end_survey, binome_id)
        sent += 2  # both members
    return sent


@transaction.atomic
def check_in_reminders(now=None) -> int:  # noqa: ANN001
    """Early each month, members who have not answered this month's check-in are asked once.

    The claim is the outbox key (month, binôme, person), unique in the database: a second run, on
    this worker or another, records nothing new (the cache is no place for a claim: it may fall
    back to a per-process copy while Redis is away)."""
    from outbox.models import OutboxMessage

    now = now or timezone.now()
    month = timezone.localdate(now).replace(day=1)
    answered = set(CheckIn.objects.filter(month=month).values_list("binome_id", "user_id"))
    wanted: dict[str, tuple[int, int]] = {}
    for binome_id, mentor_user_id, mentee_user_id in Binome.objects.filter(
        status__in=Binome.RUNNING_STATUSES, started_on__lt=month
    ).values_list("pk", "mentor__membership__user_id", "mentee__membership__user_id").iterator(chunk_size=BATCH):
        for user_id in (mentor_user_id, mentee_user_id):
            if (binome_id, user_id) not in answered:
                wanted[f"check-in:{month:%Y-%m}:{binome_id}:{user_id}"] = (binome_id, user_id)
    already = set(OutboxMessage.objects.filter(key__in=list(wanted)).values_list("key", flat=True))
    for key, (binome_id, user_id) in wanted.items():
        if key not in already:
            outbox.emit(tasks.send_check_in_reminder, binome_id, user_id, key=key)
    return len(wanted) - len(already)
