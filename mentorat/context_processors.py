from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The associations a logged-in user coordinates, for the navigation bar (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from associations.selectors import association_list_coordinated_by

    return {"nav_coordinated": association_list_coordinated_by(user=user)}
