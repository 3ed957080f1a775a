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
        to=[participant.membership.user],
        context={"participant": participant, "path": reverse("my_space")},
    )


@shared_task
def send_parental_consent_request(consent_id: int) -> None:
    """Ask the parent of an under-15 to confirm: the link is the only secret; nothing is sent once
    they answered."""
    from participants.models import Consent

    consent = Consent.objects.select_related("participant__association", "participant__membership__user").filter(
        pk=consent_id, kind=Consent.Kind.PARENT).first()
    if consent is None or consent.confirmed_at or consent.refused_at:
        return
    # Parents have no account: they are written to in French.
    send_templated_mail(
        template="parental_consent",
        to=[consent.given_by_email],
        context={"consent": consent, "participant": consent.participant, "path": reverse("parental_consent", args=[consent.token])},
    )
