"""Reads of text reviews, scoped to the acting user."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from associations.models import Association
from associations.services import is_coordinator
from participants.models import Participant
from programmes.models import Programme
from programmes.selectors import scope
from safeguarding.models import TextReview
from safeguarding.screening import author_notice, displayed_text

_RELATED = ("author", "message__binome", "meeting__binome", "participant__membership__user", "decided_by")


def _reviews(user: User, association: Association, programme: str | Programme | None = None) -> QuerySet[TextReview]:
    """The association's reviews of texts written in the programmes ``user`` may see (a profile
    text: its participant's programme; a message or meeting note: its binôme's), or in one of them
    (``programme``: the page's selector)."""
    visible = scope(Programme.objects.all(), user=user, association=association, programme=programme, via="pk").values("pk")
    return TextReview.objects.filter(association=association).filter(
        Q(participant__programme__in=visible) | Q(message__binome__mentee__programme__in=visible)
        | Q(meeting__binome__mentee__programme__in=visible)
    )


def held_text_list_for_coordinator(
    *, user: User, association: Association, programme: str | Programme | None = None,
) -> QuerySet[TextReview]:
    """The association's flagged texts still to review, oldest first (held ones first); of one
    programme when ``programme`` is given."""
    if not is_coordinator(user=user, association=association):
        raise Http404
    return (
        _reviews(user, association, programme).filter(status=TextReview.Status.PENDING)
        .select_related(*_RELATED)
        .order_by("-held", "created_at", "pk")
    )


def text_review_get_for_coordinator(*, user: User, association: Association, review_id: int) -> TextReview:
    """One review of the association (any status); Http404 for another association's."""
    if not is_coordinator(user=user, association=association):
        raise Http404
    review = _reviews(user, association).select_related(*_RELATED).filter(pk=review_id).first()
    if review is None:
        raise Http404
    return review


PROFILE_TEXT_FIELDS = ("goals_text", "path_text")


def _current_reviews(participant: Participant) -> dict[str, TextReview]:
    """The review of each profile text as it stands now (a review of an older text is ignored)."""
    reviews: dict[str, TextReview] = {}
    for review in TextReview.objects.filter(participant=participant, kind__in=PROFILE_TEXT_FIELDS).exclude(
        status=TextReview.Status.SUPERSEDED
    ).order_by("created_at", "pk"):
        if review.text == getattr(participant, review.kind):
            reviews[review.kind] = review
    return reviews


def profile_texts_for_viewer(*, participant: Participant, viewer: User, viewer_is_coordinator: bool = False) -> dict[str, str]:
    """``goals_text`` and ``path_text`` of ``participant`` as ``viewer`` may read them: the other
    member of a binôme gets a placeholder for a held or refused text (one query)."""
    reviews = _current_reviews(participant)
    return {
        name: displayed_text(text=getattr(participant, name), review=reviews.get(name), author_id=participant.membership.user_id,
                             viewer_id=viewer.pk, viewer_is_coordinator=viewer_is_coordinator)
        for name in PROFILE_TEXT_FIELDS
    }


def profile_text_notices(*, participant: Participant) -> list[str]:
    """What the author is told about their own profile texts (held, refused), for their pages."""
    return [notice for review in _current_reviews(participant).values() if (notice := author_notice(review))]
