"""Writes of planned meetings, places and calendar feeds.

Who may do what (every path — page, API, task — calls these, never its own copy):

* propose: either member of a running binôme, or a coordinator of its association;
* accept / suggest another time: a member who has not yet said yes to the current time;
* cancel: either member or a coordinator, before the meeting;
* "did it take place?": either member, once the meeting has started; "yes" logs the meeting
  through ``binomes.activity.meeting_log`` (the safeguarding and screening rules of meeting logs
  apply there, unchanged).

The safeguarding rule is ``safeguarding.policy.messaging_refusal`` (a suspended binôme, or one paused
for a parent's consent or a mentor's vetting, plans nothing); the topic and the place written by
hand are screened with ``safeguarding.screening.screen_text`` and refused when they carry contact
details (they reach the other member's calendar, where no review can hold them back).
E-mails (with the ``.ics``) leave through the outbox, in the transaction of the change.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import outbox
from accounts.models import User
from agenda import tasks
from agenda.models import CalendarFeed, Place, PlannedMeeting
from associations.models import Association
from associations.services import is_coordinator
from binomes import activity
from binomes.models import Binome, Meeting
from safeguarding import policy
from safeguarding.screening import screen_text

# A meeting is planned at least this far ahead, and at most this far.
MIN_NOTICE = timedelta(hours=1)
MAX_AHEAD = timedelta(days=180)
# The "did it take place?" question stays open this long after the meeting.
OUTCOME_WINDOW = timedelta(days=60)


def _fresh_binome(binome_id: int) -> Binome:
    return (Binome.objects.select_related("association", "mentor__membership__user", "mentee__membership__user")
            .prefetch_related("mentor__consents", "mentee__consents").get(pk=binome_id))


def _refusal(*, binome: Binome, by: User) -> str | None:
    """The safeguarding answer for a member; for a coordinator, the same rule about the pair."""
    if binome.member_role(by.pk) is not None:
        return policy.messaging_refusal(user=by, binome=binome, on=timezone.localdate())
    if not is_coordinator(user=by, association=binome.association):
        raise PermissionDenied
    if binome.status not in Binome.RUNNING_STATUSES:
        return _("Ce binôme n'est pas en cours (%(status)s).") % {"status": binome.get_status_display()}
    if policy.binome_refusal(binome=binome, on=timezone.localdate()):
        return _("Les échanges de ce binôme sont en pause pour une question de sécurité (accord d'un parent ou attestation du mentor).")
    return None


def _check_details(*, binome: Binome, starts_at: datetime, duration_minutes: int, format: str,  # noqa: A002
                   place: Place | None, place_text: str, topic: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if starts_at < now + MIN_NOTICE:
        errors["starts_at"] = [_("Propose un moment à venir (au moins dans une heure).")]
    elif starts_at > now + MAX_AHEAD:
        errors["starts_at"] = [_("Propose un moment dans les six prochains mois.")]
    if not PlannedMeeting.MIN_MINUTES <= duration_minutes <= PlannedMeeting.MAX_MINUTES:
        errors["duration_minutes"] = [_("Indique une durée entre 15 minutes et 5 heures.")]
    if format not in PlannedMeeting.Format.values:
        errors["format"] = [_("Choisis en personne ou à distance.")]
    elif format == PlannedMeeting.Format.IN_PERSON and place is None and not place_text:
        errors["place"] = [_("Choisis un lieu public de la liste de l'association ou indique-en un.")]
    if place is not None and (place.association_id != binome.association_id or not place.active):
        errors["place"] = [_("Ce lieu n'est pas proposé par l'association.")]
    for field, text in (("topic", topic), ("place_text", place_text)):
        screening = screen_text(text=text, association=binome.association)
        if screening.flagged:
            errors[field] = [_("Ce texte contient %(what)s : les coordonnées personnelles ne passent pas par les rendez-vous.") % {
                "what": ", ".join(screening.reasons)}]
    return errors


def _notify(planned: PlannedMeeting, event: str) -> None:
    """One e-mail per member with their own .ics, for this sequence of the event."""
    outbox.emit(tasks.send_planned_meeting, planned.pk, event, planned.sequence,
                key=f"planned-meeting:{planned.pk}:{planned.sequence}:{event}")


def _set_acceptance(planned: PlannedMeeting, *, by: User, binome: Binome) -> None:
    role = binome.member_role(by.pk)
    planned.mentor_accepted = role == "mentor"
    planned.mentee_accepted = role == "mentee"


@transaction.atomic
def planned_meeting_propose(*, binome: Binome, by: User, starts_at: datetime, duration_minutes: int, format: str,  # noqa: A002
                            place: Place | None = None, place_text: str = "", topic: str = "") -> PlannedMeeting:
    """A member (who thereby accepts it) or a coordinator (both members then answer) proposes."""
    fresh = _fresh_binome(binome.pk)
    refusal = _refusal(binome=fresh, by=by)
    if refusal:
        raise ValidationError(refusal, code="safeguarding")
    place_text, topic = (place_text or "").strip(), (topic or "").strip()
    if format == PlannedMeeting.Format.REMOTE:
        place, place_text = None, ""
    errors = _check_details(binome=fresh, starts_at=starts_at, duration_minutes=duration_minutes, format=format,
                            place=place, place_text=place_text, topic=topic)
    if errors:
        raise ValidationError(errors)
    planned = PlannedMeeting(binome=fresh, association=fresh.association, starts_at=starts_at, duration_minutes=duration_minutes,
                             format=format, place=place, place_text=place_text, topic=topic, proposed_by=by)
    _set_acceptance(planned, by=by, binome=fresh)
    planned.save()
    _notify(planned, "proposed")
    return planned


def _lock(planned: PlannedMeeting) -> tuple[PlannedMeeting, Binome]:
    locked = PlannedMeeting.objects.select_for_update(of=("self",)).select_related("place").get(pk=planned.pk)
    return locked, _fresh_binome(locked.binome_id)


@transaction.atomic
def planned_meeting_accept(*, planned: PlannedMeeting, by: User) -> PlannedMeeting:
    locked, binome = _lock(planned)
    role = binome.member_role(by.pk)
    if role is None:
        raise PermissionDenied
    refusal = policy.messaging_refusal(user=by, binome=binome, on=timezone.localdate())
    if refusal:
        raise ValidationError(refusal, code="safeguarding")
    if locked.status != PlannedMeeting.Status.PROPOSED or locked.accepted_by(role):
        return locked  # already accepted (a double click): nothing changes, nothing is sent
    if locked.starts_at <= timezone.now():
        raise ValidationError(_("Ce moment est passé : propose un autre moment."))
    setattr(locked, f"{role}_accepted", True)
    if locked.mentor_accepted and locked.mentee_accepted:
        locked.status = PlannedMeeting.Status.ACCEPTED
        locked.sequence += 1
    locked.updated_at = timezone.now()
    locked.save()
    if locked.status == PlannedMeeting.Status.ACCEPTED:
        _notify(locked, "accepted")
    return locked


@transaction.atomic
def planned_meeting_reschedule(*, planned: PlannedMeeting, by: User, starts_at: datetime, duration_minutes: int,
                               format: str, place: Place | None = None, place_text: str = "",  # noqa: A002
                               topic: str | None = None) -> PlannedMeeting:
    """A member suggests another time (or place) for a meeting not yet held: the other answers again."""
    locked, binome = _lock(planned)
    if binome.member_role(by.pk) is None:
        raise PermissionDenied
    refusal = policy.messaging_refusal(user=by, binome=binome, on=timezone.localdate())
    if refusal:
        raise ValidationError(refusal, code="safeguarding")
    if locked.status not in (PlannedMeeting.Status.PROPOSED, PlannedMeeting.Status.ACCEPTED):
        raise ValidationError(_("Ce rendez-vous ne peut plus être changé (%(status)s).") % {"status": locked.get_status_display()})
    place_text = (place_text or "").strip()
    topic = locked.topic if topic is None else topic.strip()
    if format == PlannedMeeting.Format.REMOTE:
        place, place_text = None, ""
    errors = _check_details(binome=binome, starts_at=starts_at, duration_minutes=duration_minutes, format=format,
                            place=place, place_text=place_text, topic=topic)
    if errors:
        raise ValidationError(errors)
    locked.starts_at, locked.duration_minutes, locked.format = starts_at, duration_minutes, format
    locked.place, locked.place_text, locked.topic = place, place_text, topic
    locked.status, locked.proposed_by, locked.reminder_sent_at = PlannedMeeting.Status.PROPOSED, by, None
    _set_acceptance(locked, by=by, binome=binome)
    locked.sequence += 1
    locked.updated_at = timezone.now()
    locked.save()
    _notify(locked, "rescheduled")
    return locked


@transaction.atomic
def planned_meeting_cancel(*, planned: PlannedMeeting, by: User) -> PlannedMeeting:
    locked, binome = _lock(planned)
    if binome.member_role(by.pk) is None and not is_coordinator(user=by, association=binome.association):
        raise PermissionDenied
    if locked.status == PlannedMeeting.Status.CANCELLED:
        return locked
    if locked.status not in (PlannedMeeting.Status.PROPOSED, PlannedMeeting.Status.ACCEPTED):
        raise ValidationError(_("Ce rendez-vous ne peut plus être annulé (%(status)s).") % {"status": locked.get_status_display()})
    locked.status = PlannedMeeting.Status.CANCELLED
    locked.sequence += 1
    locked.updated_at = timezone.now()
    locked.save()
    _notify(locked, "cancelled")
    return locked


@transaction.atomic
def planned_meeting_outcome(*, planned: PlannedMeeting, by: User, took_place: bool) -> PlannedMeeting:
    """After the meeting, one click from either member. "Yes" logs it in the meeting log (once)."""
    locked, binome = _lock(planned)
    if binome.member_role(by.pk) is None:
        raise PermissionDenied
    if locked.status in (PlannedMeeting.Status.HELD, PlannedMeeting.Status.NOT_HELD):
        return locked  # the other member (or a second click) answered already
    if locked.status != PlannedMeeting.Status.ACCEPTED:
        raise ValidationError(_("Seul un rendez-vous confirmé peut être noté."))
    if locked.starts_at > timezone.now():
        raise ValidationError(_("Le rendez-vous n'a pas encore commencé."))
    if took_place:
        day = timezone.localtime(locked.starts_at).date()
        # The meeting log's own service: its safeguarding, date and screening rules apply here too.
        meeting = activity.meeting_log(binome=binome, by=by, happened_on=day, duration_minutes=locked.duration_minutes,
                                       format=locked.format, topics=[Meeting.Topic.OTHER] if locked.topic else [], note="")
        locked.meeting, locked.status = meeting, PlannedMeeting.Status.HELD
    else:
        locked.status = PlannedMeeting.Status.NOT_HELD
    locked.outcome_by = by
    locked.updated_at = timezone.now()
    locked.save()
    return locked


def reminders_due(now: datetime | None = None):  # noqa: ANN201
    """Confirmed meetings of tomorrow (Paris time) not yet reminded."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    return PlannedMeeting.objects.filter(status=PlannedMeeting.Status.ACCEPTED, reminder_sent_at__isnull=True,
                                         starts_at__date=tomorrow)


def planned_meeting_reminders(now: datetime | None = None) -> int:
    """The beat job: each reminder claimed by a conditional UPDATE, e-mailed once (safe to run twice)."""
    sent = 0
    for pk in list(reminders_due(now).values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = PlannedMeeting.objects.filter(pk=pk, status=PlannedMeeting.Status.ACCEPTED, reminder_sent_at__isnull=True)\
                .update(reminder_sent_at=timezone.now())
            if claimed:
                outbox.emit(tasks.send_planned_meeting_reminder, pk, key=f"planned-meeting-reminder:{pk}")
                sent += 1
    return sent


# --- Places -----------------------------------------------------------------------------------


@transaction.atomic
def place_create(*, association: Association, by: User, name: str, kind: str, address: str) -> Place:
    if not is_coordinator(user=by, association=association):
        raise PermissionDenied
    name, address = (name or "").strip(), (address or "").strip()
    if Place.objects.filter(association=association, name__iexact=name).exists():
        raise ValidationError({"name": _("Ce lieu est déjà dans la liste.")})
    return Place.objects.create(association=association, name=name, kind=kind, address=address)


@transaction.atomic
def place_set_active(*, place: Place, by: User, active: bool) -> Place:
    if not is_coordinator(user=by, association=place.association):
        raise PermissionDenied
    Place.objects.filter(pk=place.pk).update(active=active)
    place.active = active
    return place


# --- Calendar feeds ---------------------------------------------------------------------------


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, user: User) -> str:
    """A new secret feed URL token (shown once); any previous feed of the user stops working."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # one creation at a time per user
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=user, token_hash=feed_token_hash(token))
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
