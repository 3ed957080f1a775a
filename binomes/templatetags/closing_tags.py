"""The closing step on pages owned elsewhere (issue 13): one tag each, one query at most."""

from __future__ import annotations

from typing import Any

from django import template

from binomes import closing
from binomes.models import Binome, ClosingInterview

register = template.Library()


@register.inclusion_tag("binomes/_ending_notice.html")
def ending_notice(binome: Binome) -> dict[str, Any]:
    """The member's notice as the planned end approaches: a last meeting, a goodbye message."""
    return {"binome": binome, "near": closing.ending_is_near(binome=binome)}


@register.inclusion_tag("binomes/_closing_badge.html")
def closing_badge(binome: Binome, association: Any) -> dict[str, Any]:
    """On the coordinators' binôme page: the closing step's state and its link."""
    done = 0
    if binome.status in closing.CLOSED:
        done = ClosingInterview.objects.filter(binome=binome).count()
    return {"binome": binome, "association": association, "needed": binome.status in closing.CLOSED, "todo": done < 2}
