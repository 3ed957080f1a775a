"""Writes of text reviews: open one for a flagged text, release it, refuse it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from associations.models import Association
from associations.services import is_coordinator
from binomes import poll_cache
from binomes.models import Meeting, Message
from participants.models import Participant
from safeguarding import tasks
from safeguarding.effects import after_commit
from safeguarding.models import TextReview
from safeguarding.screening import Screening


@transaction.atomic
def text_review_open(
    *,
    kind: str,
    author: User,
    association: Association,
    text: str,
    screening: Screening,
    message: Message | None = None,
    meeting: Meeting | None = None,
    participant: Participant | None = None,
) -> TextReview | None:
    """Record the review of a text just stored, if the screening flagged it; the coordinators are
    told after commit (never with the text). For a profile text, the pending review of the
    field's previous text is superseded first, whether the new text is flagged or not: the text
    it held is gone. Precondition: the caller stored ``text`` in the same transaction."""
    if participant is not None:
        TextReview.objects.filter(participant=participant, kind=kind, status=TextReview.Status.PENDING).update(
            status=TextReview.Status.SUPERSEDED
        )
    if not screening.flagged:
        return None
    review = TextReview.objects.create(
        association=association, author=author, kind=kind, message=message, meeting=meeting, participant=participant,
        text=text, flag_kinds=screening.kinds, reasons=screening.reasons, held=screening.held,
    )
    if kind != TextReview.Kind.MESSAGE:  # messages keep their own alert (binomes.tasks.notify_coordinators)
        after_commit(tasks.notify_coordinators_of_review, review.pk)
    return review


def _binome_attention_refresh(*, message_id: int) -> None:
    """A decided message needs no more review: the coordinators' list forgets it (binomes.attention)."""
    from binomes.attention import binome_attention_refresh

    binome_attention_refresh(binome_id=Message.objects.values_list("binome_id", flat=True).get(pk=message_id))


def _lock_pending(*, review: TextReview, by: User) -> TextReview:
    locked = TextReview.objects.select_for_update(of=("self",)).select_related("association").get(pk=review.pk)
    if not is_coordinator(user=by, association=locked.association):
        raise PermissionDenied
    if locked.status != TextReview.Status.PENDING:
        raise ValidationError(_("Ce texte a déjà été traité (%(status)s).") % {"status": locked.get_status_display()})
    return locked


@transaction.atomic
def text_review_release(*, review: TextReview, by: User) -> TextReview:
    """A coordinator lets a flagged text through: the other member sees it; its author is told."""
    locked = _lock_pending(review=review, by=by)
    now = timezone.now()
    locked.status, locked.decided_at, locked.decided_by = TextReview.Status.RELEASED, now, by
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    if locked.message_id:
        Message.objects.filter(pk=locked.message_id).update(held=False, released_at=now, released_by=by)
        _binome_attention_refresh(message_id=locked.message_id)
        poll_cache.conversation_changed(binome_id=locked.message.binome_id)
    after_commit(tasks.tell_author_of_decision, locked.pk)
    return locked


@transaction.atomic
def text_review_refuse(*, review: TextReview, by: User, reason: str) -> TextReview:
    """A coordinator refuses a flagged text: the other member never sees it (even if the
    association did not hold it), its author sees it with the reason and is told."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez la raison du refus : elle est transmise à l'auteur·rice du texte.")})
    locked = _lock_pending(review=review, by=by)
    locked.status, locked.decided_at, locked.decided_by = TextReview.Status.REFUSED, timezone.now(), by
    locked.refusal_reason = reason[:1000]
    locked.save(update_fields=["status", "decided_at", "decided_by", "refusal_reason"])
    if locked.message_id:
        Message.objects.filter(pk=locked.message_id).update(held=True)
        _binome_attention_refresh(message_id=locked.message_id)
        poll_cache.conversation_changed(binome_id=locked.message.binome_id)
    after_commit(tasks.tell_author_of_decision, locked.pk)
    return locked
