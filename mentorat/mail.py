"""Templated e-mails. Called from Celery tasks only, never inside a transaction.

Each person reads their e-mails in their own language: recipients are given as users (written to
in ``User.language``, the language of the interface they last used) or as bare addresses (people
without an account, e.g. parents: written to in ``language``, French unless the caller knows
better). One message is rendered and sent per language among the recipients.

Run by the outbox relay, each e-mail leaves at most once per (outbox message, template,
recipient): a task that runs again for the same event skips the people already written to.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, send_mail
from django.template.loader import render_to_string
from django.utils import translation

if TYPE_CHECKING:
    from accounts.models import User

DEFAULT_LANGUAGE = "fr"


def language_of(user: User) -> str:
    """The language to write to ``user`` in (French if the stored one is no longer offered)."""
    return user.language if user.language in dict(settings.LANGUAGES) else DEFAULT_LANGUAGE


def account_or_address(address: str) -> User | str:
    """The account registered under ``address`` if there is one (so that it is written to in its
    language), else the bare address."""
    from accounts.models import User

    return User.objects.filter(email__iexact=address).first() or address


def recipients_by_language(to: Iterable[User | str], *, language: str = DEFAULT_LANGUAGE) -> dict[str, list[str]]:
    """Group addresses by the language they are written to in, keeping the first-seen order and
    dropping repeated addresses."""
    groups: dict[str, list[str]] = {}
    seen: set[str] = set()
    for recipient in to:
        if isinstance(recipient, str):
            address, lang = recipient, language
        else:
            address, lang = recipient.email, language_of(recipient)
        if address and address.lower() not in seen:
            seen.add(address.lower())
            groups.setdefault(lang, []).append(address)
    return groups


def html_version(text: str, *, subject: str) -> str:
    """The simple HTML version sent beside a plain-text e-mail: the same words, one paragraph per
    block of the text, links clickable, under the platform's header. The text stays the
    reference (every e-mail template is plain text); this only presents it."""
    paragraphs = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    return render_to_string("emails/layout.html", {
        "subject": subject, "paragraphs": paragraphs, "site_url": settings.SITE_URL,
        "language": translation.get_language() or DEFAULT_LANGUAGE,
    })


def send_templated_mail(
    *, template: str, to: Iterable[User | str], context: dict[str, Any], language: str = DEFAULT_LANGUAGE,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> None:
    """Render ``emails/<template>_subject.txt`` and ``_body.txt`` (plain text, autoescape off) once
    per language among ``to`` and send one message per language, with its HTML version
    (``html_version``) as an alternative.

    ``to`` holds users (written to in their own language) and/or bare addresses (written to in
    ``language``). ``attachments``: (file name, content, MIME type), e.g. a calendar invitation.
    """
    from outbox.services import deliveries_claim, deliveries_confirm, deliveries_release

    context = {"site_url": settings.SITE_URL, **context}
    for lang, addresses in recipients_by_language(to, language=language).items():
        addresses = deliveries_claim(recipients=addresses, template=template)
        if not addresses:
            continue  # this event already wrote to all of them (a task run again)
        with translation.override(lang):
            subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
            body = render_to_string(f"emails/{template}_body.txt", context)
        try:
            subject = " ".join(subject.split())
            html = html_version(body, subject=subject)
            if attachments:
                email = EmailMultiAlternatives(subject=subject, body=body, to=addresses)
                email.attach_alternative(html, "text/html")
                for filename, content, mimetype in attachments:
                    email.attach(filename, content, mimetype)
                email.send()
            else:
                send_mail(subject=subject, message=body, from_email=None, recipient_list=addresses, html_message=html)
        except BaseException:
            deliveries_release(recipients=addresses, template=template)
            raise
        deliveries_confirm(recipients=addresses, template=template)
