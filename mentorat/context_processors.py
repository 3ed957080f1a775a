from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The associations a logged-in user coordinates and their unread messages (see unread_total)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from associations.selectors import association_list_coordinated_by
    from binomes.selectors import unread_total

    # Callables: the template engine calls them only where the navigation is rendered, so HTMX
    # fragments (polling) cost no navigation query.
    return {
        "nav_coordinated": partial(association_list_coordinated_by, user=user),
        "nav_unread": partial(unread_total, user=user),
    }
