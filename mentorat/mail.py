"""Templated e-mails. Called from Celery tasks only, never inside a transaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_mail(*, template: str, to: list[str], context: dict[str, Any], language: str = "fr") -> None:
    """Render ``emails/<template>_subject.txt`` and ``_body.txt`` (plain text, autoescape off)."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}_body.txt", context)
    send_mail(subject=" ".join(subject.split()), message=body, from_email=None, recipient_list=to)
