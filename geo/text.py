"""Text folding shared by commune search (and the matching engine's French text handling)."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, strip accents, turn every run of punctuation or spaces into one space.

    "Saint-Denis" and "saint denis" and "ST DENIS" differ only by the "st" abbreviation, which we
    expand because French users type it that way.
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_text = ascii_text.replace("œ", "oe").replace("æ", "ae")
    words = _NON_ALNUM.sub(" ", ascii_text).split()
    expanded = ["saint" if w == "st" else "sainte" if w == "ste" else w for w in words]
    return " ".join(expanded)
