from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_RNA = re.compile(r"^W\d{9}$")
_SIREN = re.compile(r"^\d{9}$")


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def parse_registration_number(raw: str) -> tuple[str, str]:
    """Return ("rna", "W123456789") or ("siren", "123456789"), or raise a French error.

    Spaces and dots are tolerated because that is how the numbers are printed on paper.
    """
    value = re.sub(r"[\s.\-]", "", raw or "").upper()
    if _RNA.match(value):
        return "rna", value
    if _SIREN.match(value):
        if not luhn_valid(value):
            raise ValidationError(
                _("Ce numéro SIREN n'est pas valide (la clé de contrôle ne correspond pas). Vérifiez les 9 chiffres."),
                code="siren_checksum",
            )
        return "siren", value
    raise ValidationError(
        _("Indiquez un numéro RNA (la lettre W suivie de 9 chiffres, par exemple W931234567) ou un SIREN (9 chiffres)."),
        code="registration_number",
    )
