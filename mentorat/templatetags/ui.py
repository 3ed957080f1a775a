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

from django import forms, template
from django.conf import settings
from django.contrib.messages.storage.base import Message
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

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


# Rendered unbound filter forms, per form class, language, ids and choices: a handful per process.
_FILTER_FORMS: dict[tuple[Any, ...], SafeString] = {}


def _filter_fields_html(form: forms.Form) -> SafeString:
    return mark_safe("".join(  # noqa: S308 - label_tag and the widget render escaped
        f'<div class="field">{field.label_tag()}{field}</div>' for field in form))


@register.simple_tag
def filter_fields(form: forms.Form) -> SafeString:
    """A list's filter form: each field as ``<div class="field">label widget</div>``.

    Unbound (the list opened without filters, the usual case) it renders the same for every
    coordinator seeing the same choices in the same language, so its HTML is kept per process:
    rendering the widgets' templates was 12-15 ms of the participants list's 70 ms of CPU
    (``benchmarks/profile_page.py``). The key holds each choice field's choices (the départements
    offered differ by association). A bound form (what was filtered on) is rendered each time, and
    nothing is kept under DEBUG."""
    if form.is_bound or form.initial or settings.DEBUG:
        return _filter_fields_html(form)
    choices = tuple((name, tuple((str(v), str(label)) for v, label in getattr(field, "choices", ())))
                    for name, field in form.fields.items())
    key = (type(form).__module__, type(form).__qualname__, get_language() or "", str(form.auto_id), form.prefix or "", choices)
    html = _FILTER_FORMS.get(key)
    if html is None:
        if len(_FILTER_FORMS) > 1000:  # many associations' départements: keep the memory bounded
            _FILTER_FORMS.clear()
        html = _FILTER_FORMS[key] = _filter_fields_html(form)
    return html
