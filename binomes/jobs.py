"""Periodic jobs of binômes (run by Celery beat). Each one claims its rows with a conditional
UPDATE before sending anything, works in batches, and is safe to run twice: a second run finds
nothing left to claim."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from binomes.models import Binome, CheckIn, Message, ReadMarker

if TYPE_CHECKING:
    from accounts.models import User

BATCH = 500
DIGEST_AFTER = timedelta(hours=6)  # a message still unread after this is worth one e-mail
REMINDER_AFTER = timedelta(days=21)  # "needs attention" starts here
REMINDER_EVERY = timedelta(days=7)  # at most one reminder a week
SURVEY_BEFORE_END = timedelta(days=21)


def _send(template: str, to: User, context: dict) -> None:
    from mentorat.mail import send_templated_mail

    send_templated_mail(template=template, to=[to], context=context)  # in the user's language


def message_digests(now=None) -> int:  # noqa: ANN001
    """One e-mail per person with messages unread for a while (never one per message)."""
    from django.urls import reverse

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
    from accounts.models import User

    users = User.objects.in_bulk(list(per_user))
    for user_id, binome_ids in per_user.items():
        _send("message_digest", users[user_id], {
            "user": users[user_id], "count": len(binome_ids), "path": reverse("my_binomes")})
    return len(per_user)


def _other_member_user_id():  # noqa: ANN202
    from django.db.models import Case, When

    return Case(
        When(sender_id=F("binome__mentor__membership__user_id"), then=F("binome__mentee__membership__user_id")),
        default=F("binome__mentor__membership__user_id"),
    )


def inactivity_reminders(now=None) -> int:  # noqa: ANN001
    """Pairs with no message or meeting for three weeks get a nudge, at most once a week."""
    from django.urls import reverse

    now = now or timezone.now()
    due = Binome.objects.filter(status__in=Binome.RUNNING_STATUSES, last_activity_at__lt=now - REMINDER_AFTER).filter(
        Q(reminder_sent_at__isnull=True) | Q(reminder_sent_at__lt=now - REMINDER_EVERY)
    )
    ids = list(due.values_list("pk", flat=True)[:BATCH])
    claimed = due.filter(pk__in=ids).update(reminder_sent_at=now)
    sent = 0
    if claimed:
        for binome in Binome.objects.filter(pk__in=ids, reminder_sent_at=now).select_related("mentor__membership__user", "mentee__membership__user", "association"):
            for me, other in ((binome.mentor, binome.mentee), (binome.mentee, binome.mentor)):
                _send("binome_reminder", me.membership.user, {"binome": binome, "me": me, "other": other, "path": reverse("binome_detail", args=[binome.pk])})
                sent += 1
    return sent


def end_surveys(now=None) -> int:  # noqa: ANN001
    """Three weeks before the planned end, both members are asked for the end survey (once per horizon)."""
    from django.urls import reverse

    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Binome.objects.filter(status__in=Binome.RUNNING_STATUSES, planned_end_on__lte=today + SURVEY_BEFORE_END, end_survey_sent_at__isnull=True)
    ids = list(due.values_list("pk", flat=True)[:BATCH])
    due.filter(pk__in=ids).update(end_survey_sent_at=now)
    sent = 0
    for binome in Binome.objects.filter(pk__in=ids, end_survey_sent_at=now).select_related("mentor__membership__user", "mentee__membership__user", "association"):
        for me, other in ((binome.mentor, binome.mentee), (binome.mentee, binome.mentor)):
            _send("binome_end_survey", me.membership.user, {"binome": binome, "me": me, "other": other, "path": reverse("binome_end_survey", args=[binome.pk])})
            sent += 1
    return sent


def check_in_reminders(now=None) -> int:  # noqa: ANN001
    """Early each month, members who have not answered this month's check-in are asked (the
    reminder marker is the check-in month itself, so a second run sends nothing new)."""
    from django.core.cache import cache
    from django.urls import reverse

    now = now or timezone.now()
    month = timezone.localdate(now).replace(day=1)
    # One claim per month across workers: the cache's add() is atomic (Redis SETNX in production).
    if not cache.add(f"check-in-reminders:{month:%Y-%m}", True, timeout=40 * 24 * 3600):
        return 0
    sent = 0
    answered = set(CheckIn.objects.filter(month=month).values_list("binome_id", "user_id"))
    for binome in Binome.objects.filter(status__in=Binome.RUNNING_STATUSES, started_on__lt=month).select_related(
        "mentor__membership__user", "mentee__membership__user", "association"
    ).iterator(chunk_size=BATCH):
        for me in (binome.mentor, binome.mentee):
            if (binome.pk, me.membership.user_id) not in answered:
                _send("binome_check_in", me.membership.user, {"binome": binome, "me": me, "path": reverse("binome_detail", args=[binome.pk])})
                sent += 1
    return sent
