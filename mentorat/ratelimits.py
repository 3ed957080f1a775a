"""Rate limits of the public forms (sign-ups, association registration), by client address."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

TOO_MANY = _("Trop d'envois depuis cette connexion en peu de temps : réessayez dans une heure. Rien de ce que vous avez saisi n'est perdu.")


def public_form_limited(request: HttpRequest) -> bool:
    """Count this POST and say whether the address went over ``SIGN_UP_RATE`` (20 an hour by
    default: a school's shared connection signing up a class stays well under it)."""
    return request.method == "POST" and is_ratelimited(
        request, group="public-forms", key="ip", rate=settings.SIGN_UP_RATE, method="POST", increment=True
    )
