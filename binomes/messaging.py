"""Writes of the conversation: send, release, read markers, staff reads, reports."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

import outbox
from accounts.models import User
from associations.services import is_coordinator
from binomes import poll_cache, tasks
from binomes.attention import binome_attention_refresh
from binomes.models import Binome, Message, ReadMarker, Report, StaffRead
from binomes.safeguarding import SPLIT_SUFFIX_FR
from safeguarding import policy
from safeguarding.models import TextReview
from safeguarding.screening import author_notice, screen_text
from safeguarding.services import text_review_open, text_review_release

KIND_LABELS = {
    "phone": _lazy("un numéro de téléphone"),
    "email": _lazy("une adresse e-mail"),
    "social": _lazy("un compte de réseau social"),
    "link": _lazy("un lien"),
    "address": _lazy("une adresse"),
    "other": _lazy("des coordonnées"),
}

# A human typing writes a few messages a minute; more than this in ten minutes is a flood.
RATE_LIMIT_COUNT = 20
RATE_LIMIT_WINDOW = timedelta(minutes=10)


# A number split across messages: the sender's messages of the last few minutes, with no reply
# from the other member in between, are screened together with the new one.
SPLIT_WINDOW = timedelta(minutes=5)
SPLIT_MESSAGES = 3


def _previous_bodies(*, binome: Binome, sender: User, now) -> list[str]:  # noqa: ANN001
    """The sender's consecutive messages just before now, oldest first."""
    recent = Message.objects.filter(binome=binome, created_at__gte=now - SPLIT_WINDOW).order_by("-created_at", "-pk")
    bodies: list[str] = []
    for sender_id, body in recent.values_list("sender_id", "body")[:SPLIT_MESSAGES]:
        if sender_id != sender.pk:
            break
        bodies.append(body)
    return bodies[::-1]


def _member_user_ids(binome: Binome) -> tuple[int, int]:
    return binome.mentor.membership.user_id, binome.mentee.membership.user_id


@transaction.atomic
def message_send(*, binome: Binome, by: User, body: str) -> Message:
    """Post a plain-text message. Contact details are flagged for the coordinators (and held
    until released when the association asks for it); the sender is told why."""
    if by.pk not in _member_user_ids(binome):
        raise PermissionDenied
    locked = (
        Binome.objects.select_for_update(of=("self",))
        .select_related("association", "mentor__membership__user", "mentee__membership__user")
        .prefetch_related("mentor__consents", "mentee__consents")
        .get(pk=binome.pk)
    )
    refusal = policy.messaging_refusal(user=by, binome=locked, on=timezone.localdate())
    if refusal:
        raise ValidationError(refusal, code="safeguarding")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Le message est vide.")})
    if len(body) > Message.MAX_LENGTH:
        raise ValidationError({"body": _("Ton message fait %(n)s caractères : la limite est %(max)s. Coupe-le en deux messages.") % {
            "n": len(body), "max": Message.MAX_LENGTH}})
    now = timezone.now()
    recent = Message.objects.filter(binome=locked, sender=by, created_at__gte=now - RATE_LIMIT_WINDOW).count()
    if recent >= RATE_LIMIT_COUNT:
        raise ValidationError({"body": ngettext(
            "Tu as envoyé %(n)s message en dix minutes : attends un peu avant d'en envoyer d'autres.",
            "Tu as envoyé %(n)s messages en dix minutes : attends un peu avant d'en envoyer d'autres.", recent) % {"n": recent}})
    previous = _previous_bodies(binome=locked, sender=by, now=now)
    screening = screen_text(text=body, association=locked.association, previous=previous)
    message = Message.objects.create(
        binome=locked, association_id=locked.association_id, sender=by, body=body, created_at=now, flagged=screening.flagged,
        flag_kinds=screening.kinds, held=screening.held,
    )
    # The team reviews a split number with the messages it began in, else it reads "34 56 78".
    split = any(f.reason_fr.endswith(SPLIT_SUFFIX_FR) for f in screening.findings)
    text_review_open(kind=TextReview.Kind.MESSAGE, author=by, association=locked.association,
                     text="\n".join([*previous, body]) if split else body, screening=screening, message=message)
    Binome.objects.filter(pk=locked.pk).update(last_activity_at=now)
    binome_attention_refresh(binome_id=locked.pk, now=now)  # on track again; a held message to review
    conversation_mark_read(binome=locked, user=by)
    poll_cache.conversation_changed(binome_id=locked.pk)
    if screening.flagged:
        outbox.emit(tasks.notify_coordinators, locked.pk, "flagged_message", key=f"flagged-message:{message.pk}")
    return message


def flag_explanation(message: Message) -> str:
    """What the sender is told about a flagged message (and, once decided, the team's answer)."""
    review = getattr(message, "review", None)
    if review is not None and review.status == TextReview.Status.REFUSED:
        return author_notice(review)
    if review is not None and review.status == TextReview.Status.RELEASED:
        return _("L'équipe a relu ton message et l'a transmis.")
    what = ", ".join(str(KIND_LABELS.get(k, KIND_LABELS["other"])) for k in message.flag_kinds)
    if review is not None and any(r.endswith(SPLIT_SUFFIX_FR) for r in review.reasons):
        what = _("%(what)s (avec ton message précédent)") % {"what": what}
    if message.held:
        return _("Ton message contient %(what)s : pour la sécurité de tous, il attend la relecture de l'équipe avant d'être transmis. Les coordonnées personnelles ne s'échangent pas ici.") % {"what": what}
    return _("Ton message contient %(what)s : il a été signalé à l'équipe. Les coordonnées personnelles ne s'échangent pas ici.") % {"what": what}


def message_release(*, message: Message, by: User) -> Message:
    """Release a held message: the review's release (one state change, see safeguarding.services)."""
    if not is_coordinator(user=by, association=message.binome.association):
        raise PermissionDenied
    review = TextReview.objects.filter(message=message).first()
    if review is None or not message.held:
        raise ValidationError(_("Ce message n'est pas retenu."))
    text_review_release(review=review, by=by)
    message.refresh_from_db()
    return message


def conversation_mark_read(*, binome: Binome, user: User) -> None:
    """One upsert (the page is polled every few seconds)."""
    if user.pk in _member_user_ids(binome):
        ReadMarker.objects.bulk_create(
            [ReadMarker(binome=binome, user=user, last_read_at=timezone.now())],
            update_conflicts=True, unique_fields=["binome", "user"], update_fields=["last_read_at"],
        )


def staff_read_record(*, binome: Binome, by: User) -> StaffRead:
    """Log that a coordinator opened the conversation (members are told this can happen)."""
    if not is_coordinator(user=by, association=binome.association):
        raise PermissionDenied
    return StaffRead.objects.create(binome=binome, user=by)


@transaction.atomic
def report_create(*, binome: Binome, by: User, reason: str, message: Message | None = None) -> Report:
    """"Signaler": a member reports a message or the binôme; the coordinators are alerted."""
    if by.pk not in _member_user_ids(binome):
        raise PermissionDenied
    if message is not None and message.binome_id != binome.pk:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Dis-nous en quelques mots ce qui ne va pas.")})
    report = Report.objects.create(binome=binome, message=message, reporter=by, reason=reason[:2000])
    binome_attention_refresh(binome_id=binome.pk)
    outbox.emit(tasks.notify_coordinators, binome.pk, "report", key=f"report:{report.pk}")
    return report


@transaction.atomic
def report_handle(*, report: Report, by: User, outcome: str) -> Report:
    if not is_coordinator(user=by, association=report.binome.association):
        raise PermissionDenied
    if not (outcome or "").strip():
        raise ValidationError({"outcome": _("Notez ce qui a été fait.")})
    locked = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
    if locked.handled_at:
        raise ValidationError(_("Ce signalement est déjà traité."))
    locked.handled_at, locked.handled_by, locked.outcome = timezone.now(), by, outcome.strip()
    locked.save(update_fields=["handled_at", "handled_by", "outcome"])
    binome_attention_refresh(binome_id=locked.binome_id)
    return locked
