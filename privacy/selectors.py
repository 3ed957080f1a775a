"""Reads of data rights, scoped to the acting person."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from associations.models import Association
from participants.models import Consent, Participant
from privacy.models import ErasureRequest


def participants_of(*, user: User) -> list[Participant]:
    return list(Participant.objects.filter(membership__user=user, anonymisation__isnull=True).select_related("association"))


def participant_of(*, user: User, participant_id: int) -> Participant:
    participant = Participant.objects.filter(pk=participant_id, membership__user=user, anonymisation__isnull=True)\
        .select_related("association").first()
    if participant is None:
        raise Http404
    return participant


def child_for_parent(*, token: str) -> Participant:
    """The child whose parent holds this consent link (confirmed, not withdrawn); Http404 otherwise."""
    consent = Consent.objects.filter(token=token, kind=Consent.Kind.PARENT, confirmed_at__isnull=False,
                                     participant__anonymisation__isnull=True).select_related("participant__association",
                                                                                              "participant__membership__user").first()
    if not token or consent is None:
        raise Http404
    return consent.participant


def erasure_requests_for_coordinator(*, association: Association) -> QuerySet[ErasureRequest]:
    return ErasureRequest.objects.filter(association=association).select_related("participant__membership__user", "decided_by")


def erasure_request_get(*, association: Association, request_id: int) -> ErasureRequest:
    request = erasure_requests_for_coordinator(association=association).filter(pk=request_id).first()
    if request is None:
        raise Http404
    return request
