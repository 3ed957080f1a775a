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


# --- allauth's forms, in the platform's words (settings.ACCOUNT_FORMS) ---------------------------
# Plain labels ("Adresse e-mail", never "Courriel"), no placeholder standing in for a label, and
# one short password rule instead of Django's list of validators' help texts.

from allauth.account import forms as allauth_forms  # noqa: E402
from django import forms  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

EMAIL_LABEL = _("Adresse e-mail")
PASSWORD_HELP = _("Au moins 10 caractères, pas seulement des chiffres, ni un mot de passe courant ou proche de l'adresse e-mail.")


def _plain(form: forms.Form, labels: dict[str, str], help_texts: dict[str, str] | None = None) -> None:
    for name, label in labels.items():
        if name in form.fields:
            form.fields[name].label = label
            form.fields[name].widget.attrs.pop("placeholder", None)
    for name, text in (help_texts or {}).items():
        if name in form.fields:
            form.fields[name].help_text = text
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain(self, {"login": EMAIL_LABEL, "password": _("Mot de passe"), "remember": _("Rester connecté·e sur cet appareil")},
               {"password": ""})  # the page links to the reset itself, next to the button


class SignupForm(allauth_forms.SignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain(self, {"email": EMAIL_LABEL, "password1": _("Mot de passe"), "password2": _("Le même mot de passe, pour vérifier")},
               {"password1": PASSWORD_HELP})


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain(self, {"email": EMAIL_LABEL})


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain(self, {"password1": _("Nouveau mot de passe"), "password2": _("Le même mot de passe, pour vérifier")},
               {"password1": PASSWORD_HELP})
