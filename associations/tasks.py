"""E-mails about associations. Tasks take ids and are safe to run twice (an e-mail may repeat,
nothing else changes).

Languages: operators are written to in their own language. The association's contact and an
invited coordinator may have no account yet: they get their account's language if they have one,
else French for the refusal (the registration form does not record a language) and the inviting
person's language for the invitation (the best guess at a shared language)."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse

from accounts.models import User
from mentorat.mail import account_or_address, send_templated_mail


@shared_task
def notify_operators_of_registration(association_id: int) -> None:
    from associations.models import Association

    association = Association.objects.filter(pk=association_id).first()
    if association is None:
        return
    operators = list(User.objects.filter(is_staff=True, is_active=True).only("email", "language"))
    if operators:
        send_templated_mail(
            template="association_registered",
            to=operators,
            context={"association": association, "path": reverse("operator_association_detail", args=[association.pk])},
        )


@shared_task
def send_coordinator_invitation(invitation_id: int) -> None:
    from associations.models import CoordinatorInvitation

    invitation = CoordinatorInvitation.objects.select_related("association", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.accepted_at is not None:
        return
    send_templated_mail(
        template="coordinator_invitation",
        to=[account_or_address(invitation.email)],
        context={"invitation": invitation, "path": reverse("invitation_accept", args=[invitation.token])},
        language=invitation.invited_by.language if invitation.invited_by else "fr",
    )


@shared_task
def send_refusal_email(association_id: int) -> None:
    from associations.models import Association

    association = Association.objects.filter(pk=association_id).first()
    if association is None:
        return
    send_templated_mail(
        template="association_refused",
        to=[account_or_address(association.contact_email)],
        context={"association": association},
    )
