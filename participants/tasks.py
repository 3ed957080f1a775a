"""E-mails to participants. Tasks take ids and re-read the row: safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse

from mentorat.mail import send_templated_mail


@shared_task
def send_sign_up_decision(participant_id: int) -> None:
    """Tell a participant their sign-up was validated or declined (the current state decides)."""
    from participants.models import Participant

    participant = (
        Participant.objects.select_related("membership__user", "association").filter(pk=participant_id).first()
    )
    if participant is None or participant.status not in (Participant.Status.VALIDATED, Participant.Status.DECLINED):
        return
    template = "sign_up_validated" if participant.status == Participant.Status.VALIDATED else "sign_up_declined"
    send_templated_mail(
        template=template,
        to=[participant.membership.user.email],
        context={"participant": participant, "path": reverse("my_space")},
    )
