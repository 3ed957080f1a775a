"""E-mails of planned meetings (each member gets their own .ics) and the reminder beat job."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse
from django.utils import translation

from mentorat.mail import language_of, send_templated_mail

ICS_MIME = "text/calendar; charset=utf-8; method={method}"


def _planned(planned_id: int):  # noqa: ANN202
    from agenda.models import PlannedMeeting

    return (PlannedMeeting.objects.select_related("place", "binome__association", "binome__mentor__membership__user",
                                                  "binome__mentee__membership__user").filter(pk=planned_id).first())


def _send(planned, event: str) -> None:  # noqa: ANN001
    from agenda import ics

    binome = planned.binome
    cancel = event == "cancelled"
    method = "CANCEL" if cancel else "REQUEST"
    for me, other in ((binome.mentor, binome.mentee), (binome.mentee, binome.mentor)):
        user = me.membership.user
        other_name = other.membership.user.first_name or ""
        with translation.override(language_of(user)):
            content = ics.invitation(planned, other_name=other_name, attendee_email=user.email, cancel=cancel)
        send_templated_mail(
            template=f"planned_meeting_{event}", to=[user],
            context={"planned": planned, "binome": binome, "me": me, "other_name": other_name,
                     "path": reverse("agenda_binome_meetings", args=[binome.pk])},
            attachments=[("rendez-vous.ics", content, ICS_MIME.format(method=method))],
        )


@shared_task
def send_planned_meeting(planned_id: int, event: str, sequence: int) -> None:
    """``event``: proposed, rescheduled, accepted, cancelled. An e-mail of an older ``sequence``
    than the meeting's is not sent any more (a newer one carries the current state)."""
    planned = _planned(planned_id)
    if planned is None or planned.sequence != sequence:
        return
    _send(planned, event)


@shared_task
def send_planned_meeting_reminder(planned_id: int) -> None:
    from agenda.models import PlannedMeeting

    planned = _planned(planned_id)
    if planned is None or planned.status != PlannedMeeting.Status.ACCEPTED:
        return
    _send(planned, "reminder")


@shared_task
def run_planned_meeting_reminders() -> int:
    from agenda.services import planned_meeting_reminders

    return planned_meeting_reminders()
