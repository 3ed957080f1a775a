"""Nightly vetting jobs (Celery beat, ``safeguarding.tasks.run_vetting_jobs``).

Each job claims its rows one by one with a conditional UPDATE on marker fields of the mentor's row
(``vetting_reminded_days``, ``vetting_expiry_handled_for``) before queuing anything, so two runs —
at the same time or one after the other — send each e-mail once. Recording a new vetting resets
the markers (``participants.services.participant_record_vetting``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Participant
from safeguarding import policy, tasks
from safeguarding.effects import after_commit

BATCH = 500


def _mentors() -> QuerySet[Participant]:
    return Participant.objects.filter(role=Participant.Role.MENTOR, vetting_expires_on__isnull=False)


def vetting_reminders(now: datetime | None = None) -> int:
    """Remind the mentor and the coordinators 30 and 7 days before the renewal date (the closest
    stage first, so that a mentor recorded five days before the date gets one reminder, not two)."""
    today = timezone.localdate(now or timezone.now())
    sent = 0
    for days in sorted(policy.VETTING_REMINDER_DAYS):
        due = _mentors().filter(
            status=Participant.Status.VALIDATED, vetting_expires_on__gte=today, vetting_expires_on__lte=today + timedelta(days=days),
        ).filter(Q(vetting_reminded_days__isnull=True) | Q(vetting_reminded_days__gt=days))
        for pk in list(due.values_list("pk", flat=True)[:BATCH]):
            with transaction.atomic():
                if not due.filter(pk=pk).update(vetting_reminded_days=days):
                    continue  # another run claimed it
                after_commit(tasks.send_vetting_reminder, pk, days)
                after_commit(tasks.notify_coordinators, pk, "vetting_reminder", None, days)
            sent += 1
    return sent


def vetting_expiries(now: datetime | None = None) -> int:
    """Once per expiry: the mentor's open proposals with minors are superseded, and each running
    binôme with a minor mentee is suspended (the coordinators are told why)."""
    today = timezone.localdate(now or timezone.now())
    due = _mentors().filter(vetting_expires_on__lt=today).filter(
        Q(vetting_expiry_handled_for__isnull=True) | Q(vetting_expiry_handled_for__lt=F("vetting_expires_on")))
    handled = 0
    for pk in list(due.values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            if not due.filter(pk=pk).update(vetting_expiry_handled_for=F("vetting_expires_on")):
                continue
            mentor = Participant.objects.select_for_update(of=("self",)).select_related("membership__user").get(pk=pk)
            vetting_lapse_apply(mentor=mentor, on=today)
        handled += 1
    return handled


def vetting_lapse_apply(*, mentor: Participant, on: date) -> list[int]:
    """What a mentor's attestation no longer valid on ``on`` means; the caller holds the mentor's
    row lock. Returns the ids of the binômes suspended."""
    from binomes.lifecycle import binome_suspend_for_safeguarding
    from binomes.models import Binome
    from matching.services import proposals_supersede_with_minors

    proposals_supersede_with_minors(mentor=mentor, on=on)
    suspended = []
    running = Binome.objects.filter(mentor=mentor, status__in=Binome.RUNNING_STATUSES).select_related(
        "mentor__membership__user", "mentee__membership__user")
    for binome in running:
        if not policy.is_minor(birth_date=binome.mentee.birth_date, on=on):
            continue
        reason = policy.vetting_refusal(mentor=mentor, on=on) or ""
        done = binome_suspend_for_safeguarding(binome=binome, reason=_(
            "Suspendu automatiquement : %(reason)s La personne accompagnée est mineure.") % {"reason": reason})
        if done is not None:
            suspended.append(done.pk)
            after_commit(tasks.notify_coordinators, mentor.pk, "vetting_expired", done.pk)
    return suspended
