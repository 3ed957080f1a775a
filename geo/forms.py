from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from geo.models import Commune
from geo.selectors import CommuneAmbiguous, CommuneNotFound, commune_resolve


class CommuneInput(forms.TextInput):
    """A text input tied to a <datalist> the commune search fills as the user types (HTMX).

    Without JavaScript the user types "Ville (code postal)" and the field resolves it.
    """

    template_name = "geo/commune_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Commune):
            return value.label
        if isinstance(value, str) and len(value) == 5 and value.isalnum():
            commune = Commune.objects.filter(pk=value).first()
            if commune:
                return commune.label
        return super().format_value(value)


class CommuneField(forms.CharField):
    widget = CommuneInput
    default_error_messages = {
        "unknown": _("Nous ne trouvons pas cette commune. Tapez les premières lettres puis choisissez dans la liste, ou écrivez « Ville (code postal) »."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault(
            "help_text",
            _("Tapez le nom ou le code postal, puis choisissez dans la liste (par exemple : Bobigny (93000))."),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Commune):
            return value.label
        return value

    def clean(self, value: Any) -> Commune | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        try:
            return commune_resolve(text)
        except CommuneNotFound:
            raise ValidationError(self.error_messages["unknown"], code="unknown") from None
        except CommuneAmbiguous as exc:
            labels = ", ".join(c.label for c in exc.candidates[:5])
            raise ValidationError(
                ngettext(
                    "Précisez le code postal : %(labels)s.",
                    "Plusieurs communes correspondent, précisez le code postal : %(labels)s.",
                    len(exc.candidates),
                )
                % {"labels": labels},
                code="ambiguous",
            ) from None
