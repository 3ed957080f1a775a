"""Writes of the API's own data: integration tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from api.models import ApiToken
from associations.models import Association
from associations.services import is_coordinator

TOKEN_PREFIX = "mtr_"
# ``last_used_at`` is written at most this often per token: an integration polling a run every
# second must not turn every read into a write.
TOUCH_EVERY = timedelta(minutes=1)
MAX_ACTIVE_TOKENS = 20


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, association: Association, by: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``association`` acting with ``by``'s rights; returns it with its raw
    value, which is never stored and cannot be shown again. Precondition: ``by`` coordinates it."""
    if not is_coordinator(user=by, association=association):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Donnez un nom au jeton (par exemple « Tableur du financeur »).")})
    # Locks the association row: two creations at once cannot both pass the count.
    Association.objects.select_for_update().filter(pk=association.pk).first()
    if ApiToken.objects.filter(association=association, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("L'association a déjà %(n)s jetons actifs : révoquez ceux qui ne servent plus.") % {"n": MAX_ACTIVE_TOKENS}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        association=association, created_by=by, name=name[:100], prefix=raw[:12], key_hash=hash_token(raw)
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Any coordinator of the token's association may revoke it (a leaked token is a team matter),
    and so may the platform operator (from the admin), even for a suspended association."""
    if not (by.is_operator or is_coordinator(user=by, association=token.association)):
        raise PermissionDenied
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("Ce jeton est déjà révoqué."))
    locked.revoked_at, locked.revoked_by = timezone.now(), by
    locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


def api_token_touch(*, token: ApiToken, now: datetime | None = None) -> None:
    """Record that the token was just used, at most once per ``TOUCH_EVERY`` (no query otherwise).
    The conditional UPDATE keeps concurrent requests from writing more than once."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_EVERY)
    ).update(last_used_at=now)
    token.last_used_at = now
