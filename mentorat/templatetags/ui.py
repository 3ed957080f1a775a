"""Filters built into every template (settings.TEMPLATES "builtins"): French dates, elision,
numbers, and notices shown once.

    {{ message.created_at|date_abbr:"j M H:i" }}   1 déc. 14:05   (|date:"j M" says "1 Déc")
    {% blocktranslate with name=user.first_name|de %}Inscription {{ name }}{% endblocktranslate %}
    {{ figure|number }}  12 345      {{ 59|percent }}  59 %
    {% for message in messages|unique_messages %}…{% endfor %}
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.contrib.messages.storage.base import Message
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from mentorat import french

register = template.Library()


@register.filter
def date_abbr(value: Any, fmt: str = "j M Y") -> str:
    return french.date_abbr(value, fmt)


@register.filter(needs_autoescape=True)
def de(name: Any, autoescape: bool = True) -> str:
    """"d'Inès", "de Paul": the name escaped in HTML, as is in plain-text e-mails."""
    name = str(name or "").strip()
    if not autoescape:
        return french.de(name)
    return mark_safe(french.de_prefix(name) + conditional_escape(name))  # noqa: S308 (name escaped)


@register.filter
def number(value: Any, decimals: Any = None) -> str:
    if value in (None, ""):
        return ""
    return french.number(value, int(decimals) if decimals not in (None, "") else None)


@register.filter
def percent(value: Any, decimals: int = 0) -> str:
    if value in (None, ""):
        return ""
    return french.percent(float(value), int(decimals))


@register.filter
def unique_messages(messages: Iterable[Message]) -> list[Message]:
    """Each distinct notice once (same level, same text), in the order first given: a page that
    queued "Message signalé" for each of five flagged messages shows it once."""
    seen: set[tuple[int, str]] = set()
    unique = []
    for message in messages:  # iterating marks them as read: none comes back on the next page
        key = (message.level, str(message))
        if key not in seen:
            seen.add(key)
            unique.append(message)
    return unique
