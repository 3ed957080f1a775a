from __future__ import annotations

from datetime import datetime

from django import template
from django.forms import BoundField, Form
from django.utils import timezone

register = template.Library()


@register.filter
def field(form: Form, name: str) -> BoundField | None:
    """``form|field:"name"``: the bound field, or None when the form has no such field (role-dependent forms)."""
    return form[name] if name in form.fields else None


@register.filter
def days_since(moment: datetime | None) -> int | None:
    if moment is None:
        return None
    return (timezone.now() - moment).days


@register.filter
def choice_labels(values: list[str], choices: type) -> str:
    """Labels of stored codes, e.g. ``participant.goals|choice_labels:Goal``."""
    labels = dict(choices.choices)  # type: ignore[attr-defined]
    return ", ".join(str(labels.get(v, v)) for v in values or [])
