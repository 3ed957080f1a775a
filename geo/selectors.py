from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from geo.models import Commune, Departement
from geo.text import fold, name_variants

_POSTAL = re.compile(r"\b(\d{5})\b")
# "Bobigny (93000)". A commune without a postal code of its own (Paris, Lyon and Marseille, whose
# arrondissements have them, and a few merged communes) is labelled with its département instead:
# "Marseille (13)" (see Commune.label), and the label must resolve back to it.
_LABEL = re.compile(r"^(?P<name>.+?)\s*\((?P<postal>\d{5}|\d[0-9AB]\d?)\)\s*$", re.IGNORECASE)


def departement_list() -> QuerySet[Departement]:
    return Departement.objects.order_by("code")


def commune_search(*, query: str, limit: int = 15) -> list[Commune]:
    """Communes whose name starts with the typed text (accents and dashes ignored) or whose postal
    code starts with the typed digits; bigger towns first, since that is usually what people mean."""
    query = query.strip()
    if len(query) < 2:
        return []
    qs = Commune.objects.all()
    digits = query.replace(" ", "")
    if digits.isdigit():
        qs = qs.filter(postal_codes__contains=digits) if len(digits) == 5 else qs.filter(
            postal_codes__regex=rf"(^| ){digits}"
        )
    else:
        folded = fold(query)
        if not folded:
            return []
        prefix = Q()
        for variant in name_variants(folded):
            prefix |= Q(name_folded__startswith=variant)
        qs = qs.filter(prefix)
    return list(qs.order_by("-population", "name")[:limit])


class CommuneNotFound(Exception):
    """The text matches no commune."""


class CommuneAmbiguous(Exception):
    """Several communes share the name: the postal code is needed."""

    def __init__(self, candidates: list[Commune]) -> None:
        super().__init__("ambiguous")
        self.candidates = candidates


def commune_resolve(text: str) -> Commune:
    """Turn what the user typed ("Bobigny (93000)", "bobigny", "93000", an INSEE code) into one
    commune, or raise CommuneNotFound / CommuneAmbiguous."""
    text = (text or "").strip()
    if not text:
        raise CommuneNotFound
    match = _LABEL.match(text)
    if match:
        names = name_variants(fold(match["name"]))
        postal = match["postal"].upper()
        if len(postal) == 5:
            qs = Commune.objects.filter(name_folded__in=names, postal_codes__contains=postal)
        else:
            qs = Commune.objects.filter(name_folded__in=names, departement_id=postal)
    elif _POSTAL.fullmatch(text):
        qs = Commune.objects.filter(postal_codes__contains=text)
        found = list(qs[:10])
        if len(found) == 1:
            return found[0]
        # A postal code may equal an INSEE code: try that before saying it is ambiguous.
        by_code = Commune.objects.filter(code_insee=text).first()
        if by_code and not found:
            return by_code
        if found:
            raise CommuneAmbiguous(found)
        raise CommuneNotFound
    else:
        qs = Commune.objects.filter(name_folded__in=name_variants(fold(text)))
    found = list(qs.order_by("-population")[:10])
    if len(found) == 1:
        return found[0]
    if not found:
        raise CommuneNotFound
    raise CommuneAmbiguous(found)
