"""allauth, adapted: the platform's client address, and a failed-login lockout that an attacker
cannot turn against the account's owner for long.

Failed logins are counted twice (``ACCOUNT_RATE_LIMITS`` in the settings holds the numbers):

- ``login_failed_address`` — per client address: 10 attempts a minute for all accounts together,
  and 5 wrong passwords for one account in 5 minutes. After that, this address is refused for
  this account (even with the right password) until the window passes.
- ``login_failed`` — per account, all addresses together: 20 wrong passwords in 15 minutes. Only
  attempts the per-address counter let through reach it, so a single address (at most 5 per
  5 minutes, i.e. 15 per 15 minutes) can never lock the owner out from elsewhere; a spread-out
  attack can, for at most 15 minutes after it stops. A successful password reset clears it.

A successful login gives back the attempt it consumed (allauth's rollback), so the owner's own
logins never count against them.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.http import HttpRequest

from mentorat.client_ip import client_ip
from mentorat.mail import html_version


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up happens on an association's page (participants) or by invitation (coordinators).

    The bare allauth sign-up stays open so that someone can create a login first and join an
    association afterwards.
    """

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True

    def render_mail(self, template_prefix: str, email: str | list[str], context: dict[str, Any], headers: dict[str, str] | None = None) -> EmailMessage:
        """allauth's e-mails (confirmation, password reset...) get the platform's simple HTML
        version beside their text, as every other e-mail (mentorat.mail.html_version)."""
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if isinstance(message, EmailMultiAlternatives) and not message.alternatives:
            message.attach_alternative(html_version(message.body, subject=message.subject), "text/html")
        return message

    def get_client_ip(self, request: HttpRequest) -> str:
        # The one client-address function (TRUSTED_PROXY_COUNT); allauth's own would raise on a
        # short X-Forwarded-For and trust a forged one when misconfigured.
        return client_ip(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        account = self._get_login_attempts_cache_key(request, **credentials)
        usages: list[ratelimit.RateLimitUsage] = []
        for action, key in (("login_failed_address", f"{account}|{client_ip(request)}"), ("login_failed", account)):
            usage = ratelimit.consume(request, app="allauth.account", action=action, key=key)
            if not usage:
                for taken in usages:  # a refused attempt costs nothing on the other counter
                    taken.rollback()
                raise self.validation_error("too_many_login_attempts")
            usages.append(usage)
        # allauth rolls this back when the password was right (see DefaultAccountAdapter.authenticate).
        self._login_failed_rl_usage = ratelimit.RateLimitUsage(usage=[u for usage in usages for u in usage.usage])
