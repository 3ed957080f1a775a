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


_ARTICLES = ("les ", "le ", "la ", "l ")


def name_variants(folded: str) -> set[str]:
    """The folded name as typed, and without its leading article.

    The reference list (INSEE's COG) stores names without their article: "Courneuve" for
    La Courneuve, "Havre" for Le Havre, "Lilas" for Les Lilas. People type the article.
    """
    variants = {folded}
    for article in _ARTICLES:
        if folded.startswith(article) and len(folded) > len(article):
            variants.add(folded[len(article):])
            break
    return variants
