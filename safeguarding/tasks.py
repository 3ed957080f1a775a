"""E-mails of the safeguarding rules and the nightly vetting jobs. Tasks take ids and re-read the
rows; the jobs claim their rows before anything is sent (safe to run twice)."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from mentorat.mail import send_templated_mail

# What the coordinators are told, by event (templates ``emails/coordinators_safeguarding_<event>_*``).
COORDINATOR_EVENTS = ("vetting_reminder", "vetting_expired", "consent_needed", "consent_withdrawn")


@shared_task
def notify_coordinators(participant_id: int, event: str, binome_id: int | None = None, days: int | None = None) -> None:
    """Tell the association's coordinators what happened to one participant, and why (the e-mail
    links to the participant's page; it names the person, never their data)."""
    from associations.selectors import coordinator_list
    from binomes.models import Binome
    from participants.models import Participant

    if event not in COORDINATOR_EVENTS:
        raise ValueError(f"Unknown safeguarding event: {event}")
    participant = Participant.objects.select_related("association", "membership__user").filter(pk=participant_id).first()
    if participant is None:
        return
    binome = Binome.objects.select_related("mentor__membership__user", "mentee__membership__user").filter(pk=binome_id).first() if binome_id else None
    coordinators = [m.user for m in coordinator_list(association=participant.association)]
    if coordinators:
        send_templated_mail(
            template=f"coordinators_safeguarding_{event}",
            to=coordinators,
            context={
                "participant": participant, "binome": binome, "days": days,
                "path": reverse("coordination_participant_detail", args=[participant.association.slug, participant.pk]),
            },
        )


@shared_task
def send_vetting_reminder(participant_id: int, days: int) -> None:
    """Remind a mentor that their attestation's check is due in ``days`` days."""
    from participants.models import Participant

    mentor = Participant.objects.select_related("association", "membership__user").filter(pk=participant_id).first()
    if mentor is None or mentor.vetting_expires_on is None:
        return
    send_templated_mail(template="vetting_reminder", to=[mentor.membership.user],
                        context={"participant": mentor, "days": days, "path": reverse("my_space")})


@shared_task
def run_vetting_jobs() -> dict[str, int]:
    """Nightly: reminders before the renewal date, then what an expiry means (Celery beat)."""
    from safeguarding.jobs import vetting_expiries, vetting_reminders

    return {"reminders": vetting_reminders(), "expiries": vetting_expiries()}


# --- Held texts (contact details in a text one member wrote for another) ---------------------------
# Each task claims its row first (a conditional UPDATE), so a rerun sends nothing twice.


def _review(review_id: int):  # noqa: ANN202
    from safeguarding.models import TextReview

    return (
        TextReview.objects.select_related("association", "author", "message", "meeting")
        .filter(pk=review_id)
        .first()
    )


@shared_task
def notify_coordinators_of_review(review_id: int) -> None:
    """A profile text or a meeting note with contact details: the coordinators are told (the
    e-mail links to the held texts page; it never quotes the text)."""
    from associations.selectors import coordinator_list
    from safeguarding.models import TextReview

    if not TextReview.objects.filter(pk=review_id, coordinators_told_at__isnull=True).update(coordinators_told_at=timezone.now()):
        return
    review = _review(review_id)
    coordinators = [m.user for m in coordinator_list(association=review.association)]
    if coordinators:
        send_templated_mail(
            template="coordinators_held_text", to=coordinators,
            context={"review": review, "path": reverse("coordination_held_texts", args=[review.association.slug])},
        )


def author_path(review) -> str:  # noqa: ANN001
    """Where the author sees their text and its state."""
    if review.message_id:
        return reverse("binome_detail", args=[review.message.binome_id])
    if review.meeting_id:
        return reverse("binome_detail", args=[review.meeting.binome_id])
    return reverse("profile_edit", args=[review.participant_id])


@shared_task
def tell_author_of_decision(review_id: int) -> None:
    """The author of a released or refused text is told, in French "tu", with the reason."""
    from safeguarding.models import TextReview

    claimed = TextReview.objects.filter(
        pk=review_id, status__in=TextReview.DECIDED, author_told_at__isnull=True
    ).update(author_told_at=timezone.now())
    if not claimed:
        return
    review = _review(review_id)
    send_templated_mail(template=f"text_{review.status}", to=[review.author], context={"review": review, "path": author_path(review)})
