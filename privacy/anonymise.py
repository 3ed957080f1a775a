"""The one way a person's identity leaves the platform: used by an erasure and by the retention job.

What goes: the account's name, e-mail and password (the account is deactivated), the profile's
free texts and the parent's name and e-mail, the person's own messages, meeting notes and check-in
comments (texts replaced, rows kept), copies of those texts held for review, their calendar feeds
and planned meetings to come.

What stays, and why (said to the coordinator who confirms an erasure, and in docs/):
* the rows that feed the dashboards and funder reports — profile attributes without identity
  (role, birth date, commune, gender, education, background flags), binômes, meeting dates and
  durations, check-in ratings, end-survey answers — so that aggregates survive;
* proof of consent (``Consent`` rows: who agreed to which notice, when) and the mentor's vetting
  dates: needed to prove them (RGPD art. 7.1, loi du 7 février 2022) for the limitation period;
* safeguarding reports and the team's decisions about held texts: protection of minors and the
  association's defence of rights (RGPD art. 17.3.e).
The partner keeps their own messages; the erased person shows as "Participant·e supprimé·e".
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import User
from agenda.models import CalendarFeed, PlannedMeeting
from binomes.models import CheckIn, Meeting, Message
from participants.models import Participant
from privacy.models import Anonymisation
from safeguarding.models import TextReview


def erased_name() -> str:
    with override("fr"):
        return _("Participant·e supprimé·e")


def erased_message() -> str:
    with override("fr"):
        return _("Message supprimé.")


def _erased_email(user_id: int) -> str:
    return f"supprime-{user_id}@anonyme.invalid"


@transaction.atomic
def participant_anonymise(*, participant: Participant, reason: str) -> bool:
    """Remove the identity of ``participant`` (and of their account when no other live profile or
    role needs it). Returns False when already done (the retention job may run twice)."""
    locked = Participant.objects.select_for_update().select_related("membership__user").get(pk=participant.pk)
    _, created = Anonymisation.objects.get_or_create(participant=locked, defaults={"reason": reason})
    if not created:
        return False
    user = locked.membership.user
    binome_q = Q(binome__mentor=locked) | Q(binome__mentee=locked)
    Participant.objects.filter(pk=locked.pk).update(goals_text="", path_text="", parent_name="", parent_email="",
                                                    decline_reason="")
    # The sensitive funder answers (ASE, disability) do not outlive the person: the consent is
    # withdrawn and the answers erased, like a withdrawal from the funder page.
    from reporting.services import target_public_withdraw

    target_public_withdraw(participant=locked)
    # Free-text answers to the programme's own questions may say who the person is (issue 12).
    from programmes.models import ParticipantAnswer

    ParticipantAnswer.objects.filter(participant=locked, question__kind__in=["short_text", "long_text"]).delete()
    messages = Message.objects.filter(binome_q, sender=user)
    TextReview.objects.filter(message__in=messages).update(text=erased_message())
    messages.update(body=erased_message(), flag_kinds=[])
    meetings = Meeting.objects.filter(binome_q, logged_by=user)
    TextReview.objects.filter(meeting__in=meetings).update(text="")
    meetings.update(note="")
    TextReview.objects.filter(participant=locked).update(text="")
    CheckIn.objects.filter(binome_q, user=user).update(comment="")
    PlannedMeeting.objects.filter(binome_q, starts_at__gt=timezone.now(),
                                  status__in=[PlannedMeeting.Status.PROPOSED, PlannedMeeting.Status.ACCEPTED]).delete()
    PlannedMeeting.objects.filter(binome_q).update(topic="")
    # The account goes once no other profile of theirs is live and they coordinate nothing.
    others_live = (Participant.objects.filter(membership__user=user).exclude(pk=locked.pk)
                   .filter(anonymisation__isnull=True).exists())
    coordinates = user.memberships.filter(role="coordinator", ended_at__isnull=True).exists()
    if not others_live and not coordinates:
        _account_anonymise(user)
    return True


def _account_anonymise(user: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    user.email, user.first_name, user.last_name, user.is_active = _erased_email(user.pk), erased_name(), "", False
    user.set_unusable_password()
    user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])
