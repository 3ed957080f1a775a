"""Template tags of the binôme pages."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.conf import settings
from django.template.defaultfilters import date as date_format
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mentorat.french import date_abbr
from safeguarding.screening import author_notice

register = template.Library()

# Rendered empty forms, per form class, language and ids: a handful of entries per process.
_EMPTY_FORMS: dict[tuple[str, str, str, str], SafeString] = {}


def _render_fields(form: forms.Form) -> SafeString:
    return mark_safe("".join(render_to_string("includes/field.html", {"field": field}) for field in form))  # noqa: S308 - rendered by the template engine, escaped there


@register.simple_tag
def form_fields(form: forms.Form) -> SafeString:
    """The form's fields, each through ``includes/field.html``.

    An empty form (not bound, no initial data passed in) renders the same for everyone: no value,
    no error, and the CSRF token lives outside the fields, in the template's ``{% csrf_token %}``.
    Its HTML is rendered once per process and language and reused: the member's binôme page
    shows four such forms (message, meeting, report, early end; the check-in when due), whose
    widgets' templates were a quarter of the page's time (``benchmarks/profile_page.py``). A
    bound form (what someone typed, its errors) is rendered each time. Under DEBUG nothing is
    kept, so an edited template shows at once."""
    if form.is_bound or form.initial or settings.DEBUG:
        return _render_fields(form)
    key = (f"{type(form).__module__}.{type(form).__qualname__}", get_language() or "", str(form.auto_id), form.prefix or "")
    html = _EMPTY_FORMS.get(key)
    if html is None:
        html = _EMPTY_FORMS[key] = _render_fields(form)
    return html


@register.simple_tag(takes_context=True)
def message_items(context: template.Context, conversation: Any) -> SafeString:
    """The conversation's ``<li>`` items, as ``binomes/detail.html`` wrote them in a ``{% for %}``.

    Written in Python because it is the member's hottest loop: the binôme page shows the last
    messages and every poll that brings something new renders them again; in the template engine
    the loop was a quarter to a third of the page's CPU (20 ms of 70 at 30 messages,
    ``benchmarks/profile_page.py``), here about a tenth of that. Everything a member wrote is
    escaped (``format_html``, ``linebreaksbr`` with autoescape); the labels are translated once
    per call."""
    user_id = context["user"].pk
    binome = context["binome"]
    report_url = reverse("binome_report", args=[binome.pk])
    you, refused, held, report = _("Toi"), _("non transmis"), _("en attente de relecture"), _("Signaler")
    items = []
    for message in conversation:
        mine = message.sender_id == user_id
        review = getattr(message, "review", None)  # a reverse one-to-one: absent raises, select_related or not
        if review is not None and review.status == "refused":
            badge = format_html('<span class="badge err">{}</span>', refused)
        elif message.held:
            badge = format_html('<span class="badge warn">{}</span>', held)
        else:
            badge = ""
        notice = author_notice(review) if mine and review is not None else ""
        items.append(format_html(
            '\n      <li id="msg-{}" class="msg{}">\n        <p class="meta"><strong>{}</strong>\n'
            '          <time datetime="{}">{}</time>\n          {}</p>\n        <p class="body">{}</p>\n        {}{}\n      </li>',
            message.pk, " mine" if mine else "", you if mine else message.sender.first_name,
            date_format(message.created_at, "c"), date_abbr(message.created_at, "j M H:i"), badge,
            linebreaksbr(message.body, autoescape=True),
            format_html('<p class="muted notice">{}</p>', notice) if notice else "",
            "" if mine else format_html('<p class="report"><a href="{}?message={}">{}</a></p>', report_url, message.pk, report),
        ))
    return mark_safe("".join(items))  # noqa: S308 - every part above went through format_html
