"""The operator's login at /admin/login/, under the same limiter as the public login."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from django.contrib.admin.forms import AdminAuthenticationForm


class AdminLoginForm(AdminAuthenticationForm):
    """Django admin's login form, authenticating through allauth's adapter: the failed-login
    counters (per client address and per account, see accounts/adapter.py) are the public login's
    own, so the admin is no side door for guessing passwords. Refusals keep the typed address."""

    def clean(self) -> dict[str, Any]:
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if email is not None and password:
            # Raises the "too many attempts" ValidationError (shown above the form) when limited.
            self.user_cache = get_adapter(self.request).authenticate(self.request, email=email, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
