"""Reads of integration tokens."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from api.models import ApiToken
from api.services import hash_token
from associations.models import Association
from associations.selectors import acting_coordinator_memberships, acts_for


def api_token_list_for_coordinator(*, user: User, association: Association) -> QuerySet[ApiToken]:
    if not acts_for(user=user, association=association):
        raise Http404
    return ApiToken.objects.filter(association=association).select_related("created_by", "revoked_by")


def api_token_get_for_coordinator(*, user: User, association: Association, token_id: int) -> ApiToken:
    return get_object_or_404(api_token_list_for_coordinator(user=user, association=association), pk=token_id)


def api_token_get_usable(*, raw: str) -> ApiToken | None:
    """The token whose secret is ``raw`` if it can act now: not revoked, its association active,
    its creator active and still a coordinator of that association. One query."""
    creator_acts_for_it = acting_coordinator_memberships().filter(
        user=OuterRef("created_by"), association=OuterRef("association"),
    )
    return (
        ApiToken.objects.filter(key_hash=hash_token(raw), revoked_at__isnull=True, created_by__is_active=True)
        .filter(Exists(creator_acts_for_it))
        .select_related("created_by", "association")
        .first()
    )
