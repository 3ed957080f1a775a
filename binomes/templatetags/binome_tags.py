"""Template tags of the binôme pages."""

from __future__ import annotations

from django import forms, template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

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
