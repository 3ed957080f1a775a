"""Reads of user accounts shared by other apps' selectors."""

from __future__ import annotations

from django.db.models import Q


def user_name_matches(word: str, *, path: str = "") -> Q:
    """Rows whose user (at ``path``, e.g. ``"membership__user"``; ``""`` for users themselves) has
    ``word`` in their first name, last name or e-mail, case-insensitively: the coordinators' name
    search. PostgreSQL answers it from the trigram indexes of accounts/migrations/0004 (the
    ``icontains`` expressions are the indexes' expressions)."""
    prefix = f"{path}__" if path else ""
    return (
        Q(**{f"{prefix}first_name__icontains": word})
        | Q(**{f"{prefix}last_name__icontains": word})
        | Q(**{f"{prefix}email__icontains": word})
    )
