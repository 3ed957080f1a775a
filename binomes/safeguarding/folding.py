"""Folding: lower case, no accents, Unicode digits to ASCII, emoji to spaces; every folded
character remembers the original characters it came from (spans point at the original text)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class _Mapped:
    """Folded text; character i came from original[starts[i]:ends[i]]."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


# Variation selectors, keycap combiner ("6️⃣"), zero-width characters: invisible, dropped.
_INVISIBLE = frozenset("\ufe0e\ufe0f\u20e3\u200b\u200c\u200d\u2060\ufeff\u00ad")
_PUNCTUATION = {
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "`": "'",
    "\u00b4": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2192": "->",  # "tiktok → pseudo"
    "\u21d2": "->",
    "\u27f6": "->",
    "\u00ab": '"',
    "\u00bb": '"',
    "œ": "oe",
    "Œ": "oe",
    "æ": "ae",
    "Æ": "ae",
}


def _fold_char(char: str) -> str:
    if char in _INVISIBLE:
        return ""
    if char in _PUNCTUATION:
        return _PUNCTUATION[char]
    if char == "\n":
        return char
    decimal = unicodedata.decimal(char, None)
    if decimal is not None:  # Arabic-Indic, fullwidth, mathematical digits...
        return str(decimal)
    category = unicodedata.category(char)
    if category in ("So", "Sk", "Cs", "Co") or category.startswith("Z") or char in "\t\r\v\f":
        return " "  # emoji and pictograms separate like spaces ("06🔥12🔥34")
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _fold(text: str) -> _Mapped:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        if not folded:
            if ends:
                ends[-1] = index + 1
            continue
        for piece in folded:
            out.append(piece)
            starts.append(index)
            ends.append(index + 1)
    return _Mapped("".join(out), tuple(starts), tuple(ends))


def _rewrite(
    mapped: _Mapped, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]
) -> _Mapped:
    """Replace matches; each replacement character maps to the whole original range replaced."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for match in pattern.finditer(mapped.text):
        start, end = match.span()
        if start == end:
            continue
        out.append(mapped.text[position:start])
        starts.extend(mapped.starts[position:start])
        ends.extend(mapped.ends[position:start])
        replacement = repl(match)
        out.append(replacement)
        starts.extend([mapped.starts[start]] * len(replacement))
        ends.extend([mapped.ends[end - 1]] * len(replacement))
        position = end
    out.append(mapped.text[position:])
    starts.extend(mapped.starts[position:])
    ends.extend(mapped.ends[position:])
    return _Mapped("".join(out), tuple(starts), tuple(ends))
