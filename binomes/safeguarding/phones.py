"""Phone numbers: digit groups with their separators, spelled numbers, letters for digits."""

from __future__ import annotations

import re
from collections.abc import Iterator

from binomes.safeguarding.folding import _Mapped, _rewrite

_NUMBER_WORD_VALUES = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70, "huitante": 80,
    "octante": 80, "nonante": 90,
}  # fmt: skip
_UNIT = r"(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf)"
_TEEN = r"(?:dix[\s-]*(?:sept|huit|neuf)|dix|onze|douze|treize|quatorze|quinze|seize)"
_TENS = r"(?:quatre[\s-]*vingts?|vingt|trente|quarante|cinquante|soixante|septante|huitante|octante|nonante)"
_NUMBER_WORDS = re.compile(
    rf"\b(?:{_TENS}(?:(?:[\s-]+et)?[\s-]+(?:{_TEEN}|{_UNIT}))?|{_TEEN}|zero|{_UNIT})\b"
)


def _number_word_value(match: re.Match[str]) -> str:
    words = [w for w in re.split(r"[\s-]+", match.group()) if w != "et"]
    if len(words) >= 2 and words[0] == "quatre" and words[1].startswith("vingt"):
        words = ["octante", *words[2:]]
    return str(sum(_NUMBER_WORD_VALUES[w] for w in words))


_LETTER_O_AS_ZERO = re.compile(r"(?<![a-z])o(?=\d)")  # "o6 12 34 56 78"
# Letters standing for digits, only inside a short group that already holds a digit ("O6 I2",
# "8l", "S6", "|2"): a word never has a digit in it, so ordinary text is left alone.
_LOOK_ALIKES = str.maketrans({"o": "0", "i": "1", "l": "1", "|": "1", "s": "5", "b": "8", "z": "2"})
_LOOK_ALIKE_GROUP = re.compile(
    r"(?<![a-z0-9|])(?=[0-9oilsbz|]*\d)(?=[0-9oilsbz|]*[oilsbz|])[0-9oilsbz|]{2,4}(?![a-z0-9|])"
)
# A digit glued to a spelled number ("0six 12 34 56 78").
_DIGIT_THEN_WORD = re.compile(
    r"\d(?=(?:zero|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze"
    r"|quinze|seize|vingt|trente|quarante|cinquante|soixante)\b)"
)
_TRUNK_ZERO = re.compile(r"(?<=\d)\s*\(\s*0\s*\)\s*")  # "+33 (0)6 ..."
_DIGIT_RUN = re.compile(r"\d+")
_TIGHT_GAP = re.compile(r"[ \n.,\-_/()|*]{1,8}")
# Separators that may be mixed inside one number ("06 12.34-56 78"); "/" and "," never are:
# they list dates and grades ("06/20 14/20 09/20").
_MIXABLE = frozenset({"", ".", "-", "_", "|", "*"})
# A single filler word between digit groups ("06 12 34 56 et 78", "06 tiret 12 ...").
_LOOSE_GAP = re.compile(
    r"[ .\-_/(),;:!*~]*(?:et|puis|apres|ensuite|espace|tiret|point|slash)[ .\-_/(),;:!*~]*"
)


def _phone_text(mapped: _Mapped) -> _Mapped:
    spelled = _rewrite(mapped, _DIGIT_THEN_WORD, lambda m: m.group() + " ")
    spelled = _rewrite(spelled, _NUMBER_WORDS, _number_word_value)
    spelled = _rewrite(spelled, _LETTER_O_AS_ZERO, lambda _m: "0")
    spelled = _rewrite(spelled, _LOOK_ALIKE_GROUP, lambda m: m.group().translate(_LOOK_ALIKES))
    return _rewrite(spelled, _TRUNK_ZERO, lambda _m: " ")


def _is_phone(digits: str, *, plus: bool, lengths: list[int], signatures: set[str]) -> bool:
    if digits.startswith("00") and not plus:
        plus, digits = lengths[0] >= 2, digits[2:]
        if not plus:
            return False
    if plus:
        # +33 6 12 34 56 78, +33 06..., or another country's number (families abroad).
        if digits.startswith("33"):
            return bool(re.fullmatch(r"330?[1-9]\d{8}", digits))
        return bool(re.fullmatch(r"[1-9]\d{8,13}", digits))
    if len(signatures) > 1:
        # Mixed separators: only a full French number in groups of one or two digits.
        return max(lengths) <= 2 and bool(re.fullmatch(r"0[1-79]\d{8}", digits))
    if signatures == {","}:
        # Commas also list grades ("08, 12, 15, 09, 11"): only a mobile in five pairs counts.
        return lengths == [2, 2, 2, 2, 2] and bool(re.fullmatch(r"0[67]\d{8}", digits))
    # 08 numbers are special-rate or free service lines (Fil Santé Jeunes 0 800 235 236), never a
    # person's: pointing a mentee to a helpline is welcome.
    if re.fullmatch(r"0[1-79]\d{8}", digits):
        return True
    if len(lengths) == 1 and re.fullmatch(r"33[67]\d{8}", digits):
        return True  # 33612345678, e.g. inside wa.me/33612345678
    # "sans le zéro : 6 12 34 56 78"
    return lengths == [1, 2, 2, 2, 2] and digits[0] in "67" and signatures <= {""}


def _find_phones(text: _Mapped) -> Iterator[tuple[int, int]]:
    runs = list(_DIGIT_RUN.finditer(text.text))
    gaps: list[tuple[str, str]] = []  # (tight|loose|break, separator signature)
    for left, right in zip(runs, runs[1:], strict=False):
        gap = text.text[left.end() : right.start()]
        if _TIGHT_GAP.fullmatch(gap):
            gaps.append(("tight", re.sub(r"[\s()]", "", gap)))
        elif _LOOSE_GAP.fullmatch(gap) and len(gap) <= 16:
            gaps.append(("loose", ""))
        else:
            gaps.append(("break", ""))
    index = 0
    while index < len(runs):
        found = _phone_from(text, runs, gaps, index)
        if found is None:
            index += 1
            continue
        last, start = found
        yield start, runs[last].end()
        index = last + 1


def _phone_from(
    text: _Mapped, runs: list[re.Match[str]], gaps: list[tuple[str, str]], first: int
) -> tuple[int, int] | None:
    before = text.text[: runs[first].start()].rstrip(" ")
    plus = before.endswith("+")
    start = len(before) - 1 if plus else runs[first].start()
    if text.text[runs[first].start() - 1 : runs[first].start()].isalpha():
        return None  # "INE 0123456789A", "ref12345..."
    found: tuple[int, int] | None = None
    digits = ""
    lengths: list[int] = []
    signatures: set[str] = set()
    loose = False
    for last in range(first, len(runs)):
        if last > first:
            kind, signature = gaps[last - 1]
            if kind == "break":
                break
            if kind == "loose":
                loose = True
            else:
                signatures.add(signature)
        digits += runs[last].group()
        lengths.append(len(runs[last].group()))
        # One separator style per number: a date then a time ("06/03/2026 14 30") mixes them.
        mixed = len(signatures) > 1 and not signatures <= _MIXABLE
        if len(digits) > 16 or mixed or (loose and max(lengths) > 2):
            break
        after = text.text[runs[last].end() : runs[last].end() + 1]
        if after.isalpha():
            continue
        # The longest reading wins: "+212 6 12 34 56 78" is not "+212 6 12 34 5".
        if _is_phone(digits, plus=plus, lengths=lengths, signatures=signatures):
            found = last, start
    return found
