"""French typography in one place: abbreviated months, elision, numbers, percentages.

Used by the template filters of ``mentorat.templatetags.ui`` (built into every template) and by
Python code that writes French for people (dashboards, e-mails).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.utils import dateformat, timezone, translation
from django.utils.formats import number_format

NARROW_NBSP = "\u202f"  # before %, between thousands
NBSP = "\u00a0"  # between a number and its unit ("12 j")

# CLDR's abbreviated French months, as French newspapers and administrations write them.
FRENCH_MONTHS_ABBR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
ENGLISH_MONTHS_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
VOWELS = set("aeiouh")  # and y before a consonant ("d'Yves", but "de Yanis")


def _is_french() -> bool:
    return (translation.get_language() or "fr").split("-")[0] == "fr"


def short_month(month: int) -> str:
    """The abbreviated month (1-12) in the active language: "déc.", "févr." / "Dec", "Feb"."""
    return (FRENCH_MONTHS_ABBR if _is_french() else ENGLISH_MONTHS_ABBR)[month - 1]


def date_abbr(value: dt.date | dt.datetime | None, fmt: str = "j M Y") -> str:
    """Django's date filter, with "M" written as French (or English) writes abbreviated months:
    ``date_abbr(d, "j M")`` gives "1 déc." where ``|date:"j M"`` gives "1 Déc"."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    out, escaped = [], False
    for char in fmt:
        if escaped:
            out.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "M":
            out.append("".join("\\" + c for c in short_month(value.month)))
        else:
            out.append(char)
    return dateformat.format(value, "".join(out))


def _elides(name: str) -> bool:
    letters = [unicodedata.normalize("NFD", c)[:1] for c in name.strip()[:2].lower()]
    if not letters:
        return False
    if letters[0] == "y":
        return len(letters) > 1 and letters[1] not in VOWELS | {"y"}
    return letters[0] in VOWELS


def de_prefix(name: str) -> str:
    """The preposition before ``name``: "de " / "d'" (elision before a vowel or a mute h, as
    "d'Hugo", "d'Inès"), "of " in English."""
    if not _is_french():
        return "of "
    return "d'" if _elides(name) else "de "


def de(name: str) -> str:
    """"de Paul" / "d'Inès" / "of Inès", plain text (escape it where it goes into HTML)."""
    name = name.strip()
    return de_prefix(name) + name


def number(value: int | float, decimals: int | None = None) -> str:
    """A number in the active language, thousands always grouped ("12 345", "12,345")."""
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def percent(value: float, decimals: int = 0) -> str:
    """A percentage from a number already in 0-100: "59 %" (narrow no-break space) / "59%"."""
    text = number(round(value, decimals) if decimals else round(value), decimals or None)
    return f"{text}{NARROW_NBSP}%" if _is_french() else f"{text}%"
