"""E-mails and periodic jobs of binômes. Tasks take ids and re-read the rows. Every recipient
has an account and is written to in its language."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse

from mentorat.mail import send_templated_mail


def _binome(binome_id: int):  # noqa: ANN202
    from binomes.models import Binome

    return (
        Binome.objects.select_related("association", "mentor__membership__user", "mentee__membership__user")
        .filter(pk=binome_id)
        .first()
    )


def _members(binome):  # noqa: ANN001, ANN202
    """(recipient participant, the other participant) for both members."""
    return ((binome.mentor, binome.mentee), (binome.mentee, binome.mentor))


@shared_task
def send_introduction(binome_id: int) -> None:
    """Tell both members they are paired: the other's first name only, never an address."""
    from binomes.selectors import Viewer, binome_explanation_for_viewer

    binome = _binome(binome_id)
    if binome is None or not binome.is_open:
        return
    for me, other in _members(binome):
        # The members' reasons only (never social background): the same filter as their page.
        why = binome_explanation_for_viewer(viewer=Viewer(binome, me.role))
        send_templated_mail(
            template="binome_introduction",
            to=[me.membership.user],
            context={"binome": binome, "me": me, "other": other, "why": why, "path": reverse("binome_detail", args=[binome.pk])},
        )


@shared_task
def send_status_change(binome_id: int, event: str) -> None:
    binome = _binome(binome_id)
    if binome is None:
        return
    for me, other in _members(binome):
        send_templated_mail(
            template=f"binome_{event}",
            to=[me.membership.user],
            context={"binome": binome, "me": me, "other": other, "path": reverse("binome_detail", args=[binome.pk])},
        )


@shared_task
def notify_coordinators(binome_id: int, event: str) -> None:
    """A report or a message with contact details: the association's coordinators are told (the
    e-mail links to the binôme page; it never quotes the message)."""
    from associations.selectors import coordinator_list

    binome = _binome(binome_id)
    if binome is None:
        return
    coordinators = [m.user for m in coordinator_list(association=binome.association)]
    if coordinators:
        send_templated_mail(
            template=f"coordinators_{event}",
            to=coordinators,
            context={"binome": binome, "path": reverse("coordination_binome_detail", args=[binome.association.slug, binome.pk])},
        )


@shared_task
def run_message_digests() -> int:
    from binomes.jobs import message_digests

    return message_digests()


@shared_task
def run_inactivity_reminders() -> int:
    from binomes.jobs import inactivity_reminders

    return inactivity_reminders()


@shared_task
def run_health_refresh() -> int:
    """Hourly: the stored health of the coordinators' list follows silence as it ages."""
    from binomes.attention import health_refresh_all

    return health_refresh_all()


@shared_task
def run_end_surveys() -> int:
    from binomes.jobs import end_surveys

    return end_surveys()


@shared_task
def run_check_in_reminders() -> int:
    from binomes.jobs import check_in_reminders

    return check_in_reminders()


@shared_task
def send_cascade_invitation(binome_id: int) -> None:
    """The cascade: a mentee whose binôme is over and who is old enough is invited to mentor."""
    binome = _binome(binome_id)
    if binome is None or binome.is_open or binome.mentee.age < binome.association.mentor_min_age:
        return
    send_templated_mail(
        template="cascade_invitation",
        to=[binome.mentee.membership.user],
        context={"binome": binome, "me": binome.mentee, "other": binome.mentor,
                 "path": reverse("participant_sign_up", args=[binome.association.slug, "mentor"]) + f"?depuis={binome.pk}"},
    )


# E-mails of the periodic jobs (recorded in the outbox by ``binomes.jobs``).


@shared_task
def send_message_digest(user_id: int, count: int) -> None:
    from accounts.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    send_templated_mail(template="message_digest", to=[user], context={"user": user, "count": count, "path": reverse("my_binomes")})


def _both_members(binome_id: int, template: str, url_name: str) -> None:
    binome = _binome(binome_id)
    if binome is None or binome.status not in binome.RUNNING_STATUSES:
        return
    for me, other in _members(binome):
        send_templated_mail(
            template=template,
            to=[me.membership.user],
            context={"binome": binome, "me": me, "other": other, "path": reverse(url_name, args=[binome.pk])},
        )


@shared_task
def send_inactivity_reminder(binome_id: int) -> None:
    _both_members(binome_id, "binome_reminder", "binome_detail")


@shared_task
def send_end_survey(binome_id: int) -> None:
    _both_members(binome_id, "binome_end_survey", "binome_end_survey")


@shared_task
def send_check_in_reminder(binome_id: int, user_id: int) -> None:
    binome = _binome(binome_id)
    if binome is None or binome.status not in binome.RUNNING_STATUSES:
        return
    me = next((p for p in (binome.mentor, binome.mentee) if p.membership.user_id == user_id), None)
    if me is None:
        return
    send_templated_mail(
        template="binome_check_in", to=[me.membership.user],
        context={"binome": binome, "me": me, "path": reverse("binome_detail", args=[binome.pk])},
    )


@shared_task
def run_ending_invitations() -> int:
    from binomes.closing import ending_invitations

    return ending_invitations()


@shared_task
def send_ending_invitation(binome_id: int) -> None:
    """A month before the planned end: plan a last meeting, write a goodbye message (issue 13)."""
    binome = _binome(binome_id)
    if binome is None or binome.status not in binome.RUNNING_STATUSES:
        return
    for me, other in _members(binome):
        send_templated_mail(
            template="binome_ending_soon", to=[me.membership.user],
            context={"binome": binome, "me": me, "other": other, "path": reverse("binome_detail", args=[binome.pk]),
                     "plan_path": reverse("agenda_binome_meetings", args=[binome.pk]),
                     "message_path": reverse("binome_detail", args=[binome.pk]) + "#conversation"},
        )
