"""Workers' jobs of the imports: thin, each safe to run twice (the services claim the work)."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse

from mentorat.mail import send_templated_mail


# outbox_enqueue: the outbox relay publishes these long jobs to the broker (any worker takes them)
# instead of running them in the relay. acks_late + reject_on_worker_lost: a worker that dies
# mid-import leaves the message to another one; the import's transaction was rolled back with it.
@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True, outbox_enqueue=True)
def analyse_import(job_id: int) -> None:
    from imports.services import import_analyse

    import_analyse(job_id=job_id)


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True, outbox_enqueue=True)
def run_import(job_id: int) -> None:
    from imports.services import import_run

    import_run(job_id=job_id)


@shared_task(ignore_result=True)
def purge_import_files() -> int:
    from imports.services import import_content_purge

    return import_content_purge()


@shared_task
def send_import_invitation(participant_id: int) -> None:
    """Invite an imported person to choose their password and confirm their consent. The link is
    allauth's password-reset key (it stops working once the password is set); nothing is sent once
    they answered."""
    from imports.selectors import invitation_path
    from participants.models import Participant

    participant = Participant.objects.select_related("association", "membership__user").filter(
        pk=participant_id, invitation_pending=True).first()
    if participant is None:
        return
    user = participant.membership.user
    send_templated_mail(
        template="import_invitation",
        to=[user],
        context={"participant": participant, "association": participant.association, "path": invitation_path(user),
                 "privacy_path": reverse("privacy_notice")},
    )
