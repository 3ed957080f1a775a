"""Who reaches what through the API: the pages' selectors, plus the token's association.

Every view resolves its objects through these helpers, which call the same selectors as the pages
(coordinator of another association → 404; a member reaches only their own binômes) and then
apply the one rule the pages do not have: a token acts only for the association it was created
for, even when its creator coordinates several.
"""

from __future__ import annotations

from django.http import Http404
from rest_framework.request import Request

from api.models import ApiToken
from associations.models import Association
from associations.selectors import association_get_for_coordinator
from binomes.selectors import Viewer, binome_get_for_viewer


def request_token(request: Request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


def token_association_id(request: Request) -> int | None:
    token = request_token(request)
    return token.association_id if token else None


def coordinated_association(request: Request, slug: str) -> Association:
    """The association ``slug`` if the acting user coordinates it (and the token, if any, is
    its own); Http404 otherwise."""
    association = association_get_for_coordinator(user=request.user, slug=slug)
    scope = token_association_id(request)
    if scope is not None and scope != association.pk:
        raise Http404
    return association


def binome_viewer(request: Request, binome_id: int) -> Viewer:
    """The binôme seen by the acting user (member or coordinator), within the token's association."""
    viewer = binome_get_for_viewer(user=request.user, binome_id=binome_id)
    scope = token_association_id(request)
    if scope is not None and scope != viewer.binome.association_id:
        raise Http404
    return viewer
