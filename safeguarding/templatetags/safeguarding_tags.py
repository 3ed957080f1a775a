from __future__ import annotations

from django import template

from safeguarding.screening import author_notice as _author_notice

register = template.Library()


@register.filter
def author_notice(review) -> str:  # noqa: ANN001
    """What the author of a flagged text is told about it ("" when nothing to say)."""
    return _author_notice(review)
