from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The associations a logged-in user coordinates and their unread messages (two queries)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from associations.selectors import association_list_coordinated_by
    from binomes.selectors import unread_total

    return {"nav_coordinated": association_list_coordinated_by(user=user), "nav_unread": unread_total(user=user)}
