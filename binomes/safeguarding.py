"""Contact details in pair messages: detection only (pure Python, no Django).

Mentor and mentee must never exchange contact details through the platform (many mentees are
minors; the association keeps every exchange where the coordinator can see it). A message with a
finding is flagged for the coordinator and the sender is told why, in French, from ``reason_fr``.

What counts: phone numbers (French forms, international prefixes, digits split by spaces, dots,
dashes, emoji or spelled "zéro six douze…"), e-mail addresses (plain or "[at]"/"arobase"/"point"
obfuscated), social-network handles and invitations to move the conversation to another app
("on se parle sur whatsapp ?"), links, and a home address or door code. Requests for any of these
("c'est quoi ton snap ?", "donne-moi ton numéro") are flagged too: asking is the first half of an
exchange.

The text is folded first (lower case, no accents, Unicode and fullwidth digits to ASCII, emoji to
spaces) and the patterns run on the folded text; every folded character remembers the range of
original characters it came from, so spans and excerpts are in the original message.

Precision matters as much as recall: a coordinator drowned in dates, grades and Parcoursup links
stops reading the flags. Hence the phone rules work on whole digit groups with one consistent
separator (a date "06/03/2026 14 30" mixes "/" and spaces), and links to a few public-service
sites (``PUBLIC_LINK_DOMAINS``) are not flagged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

Kind = Literal["phone", "email", "social", "link", "address"]
KINDS: tuple[Kind, ...] = ("phone", "email", "social", "link", "address")


@dataclass(frozen=True)
class ContactFinding:
    kind: Kind
    span: tuple[int, int]  # [start, end) in the original text
    excerpt: str
    reason_fr: str


REASONS_FR: dict[str, str] = {
    "phone": "un numéro de téléphone",
    "phone_request": "une demande de numéro de téléphone",
    "sms": "une invitation à continuer par SMS",
    "email": "une adresse e-mail",
    "email_request": "une demande d'adresse e-mail",
    "social": "un identifiant de réseau social",
    "social_request": "une demande d'identifiant de réseau social",
    "move": "une invitation à continuer la conversation sur une autre application",
    "link": "un lien",
    "address": "une adresse personnelle",
    "address_request": "une demande d'adresse personnelle",
    "door_code": "un code d'accès à un domicile",
    "call": "une invitation à continuer par téléphone",
}

# Official orientation and public-service sites mentors point to all the time ("regarde sur
# parcoursup.fr"); a link there carries no contact detail. Shorteners and anything else are flagged.
PUBLIC_LINK_DOMAINS: frozenset[str] = frozenset(
    {
        "gouv.fr",
        "parcoursup.fr",
        "onisep.fr",
        "service-public.fr",
        "francetravail.fr",
        "education.fr",
        "wikipedia.org",
    }
)
_ACADEMIE_DOMAIN = re.compile(r"(?:^|\.)ac-[a-z-]+\.fr$")

# Hosts whose links are a social identity as well as a link.
_SOCIAL_HOSTS = (
    "snapchat.com",
    "instagram.com",
    "tiktok.com",
    "wa.me",
    "whatsapp.com",
    "t.me",
    "telegram.me",
    "discord.gg",
    "discord.com",
    "facebook.com",
    "fb.com",
    "fb.me",
    "m.me",
    "messenger.com",
    "linkedin.com",
    "twitter.com",
    "x.com",
    "signal.me",
    "linktr.ee",
    "twitch.tv",
)


# --- Folding with a map back to the original ----------------------------------------------------


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


# --- Phone numbers --------------------------------------------------------------------------------

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


# --- Shared vocabulary ---------------------------------------------------------------------------

_PLATFORM = (
    r"(?:snap(?:chat)?|snp|insta(?:gram)?|instagr?am|tik[\s-]?tok|discord|whats?[\s-]?app?|watsapp?"
    r"|wtsp|wsp|watsp|telegram(?:me)?|facebook|fb|messenger|linked[\s-]?in|twitter|twitch|steam"
    r"|psn|xbox|be[\s-]?real|threads|youtube|viber|skype|wechat|kik|reddit)"
)
_PLATFORM_SHORT = r"(?:sc|ig|tg)"  # only with an explicit "sc: pseudo"
_MOVE_PLATFORM = rf"(?:{_PLATFORM}|signal)"
_IDENT = r"@?([a-z0-9_](?:[a-z0-9_\-]|\.(?=[a-z0-9_]))*(?:#\d{4})?)"
# A handle with a digit, "_" or "." in it, but not "3e", "2nde", "14h30".
_SPECIAL_IDENT = r"@?((?=[a-z0-9_.]*[a-z])(?=[a-z0-9_.]*[0-9_.])(?!\d+[a-z]{0,4}\d*\b)[a-z0-9_](?:[a-z0-9_]|\.(?=[a-z0-9_])){2,29})"
# "c'est", "c" (texting), ":" ... but not "est": "mon snap est cassé" gives nothing away.
_MARKER = r"(?:\s*(?:c'?\s*est|cest|c\s+est|c)\s+|\s*(?::|=|->|>)\s*)"
# fmt: off
_STOP_IDENTS = frozenset({
    "a", "au", "aux", "avec", "bien", "bloque", "bref", "c", "ca", "car", "ce", "cest", "comme",
    "cool", "d", "de", "deja", "des", "donc", "du", "elle", "elles", "en", "encore", "est", "et",
    "eux", "ferme", "il", "ils", "j", "je", "jamais", "juste", "l", "la", "le", "les", "leur",
    "lol", "lui", "ma", "mais", "mdr", "meme", "mes", "mieux", "moi", "mon", "n", "ne", "non",
    "nous", "nul", "on", "ou", "oui", "pas", "perso", "pire", "plus", "pour", "prive", "privee",
    "ptdr", "public", "quand", "que", "qui", "quoi", "rien", "sa", "sans", "se", "ses",
    "seulement", "si", "son", "sur", "super", "surtout", "ta", "tes", "toi", "ton", "top", "tous",
    "tout", "toute", "tres", "trop", "tu", "un", "une", "vieux", "votre", "vous", "vraiment", "y",
})
# fmt: on

_REQUEST = (
    r"(?:(?:donne|passe|envoie|file|laisse|dis|ecris|note|balance|partage)s?(?:[\s-]*(?:moi|nous))?"
    r"|c'?\s*est\s+quoi|c\s+quoi|cest\s+quoi|quel\s+est|quelle\s+est|je\s+peux\s+avoir"
    r"|j'?\s*peux\s+avoir|on\s+peut\s+avoir|(?:tu|vous)\s+(?:peux|pourrais|veux|pouvez)\s+(?:me\s+|m')"
    r"(?:donner|passer|envoyer|filer|laisser|ecrire)|tu\s+(?:me\s+|m')(?:donnes|passes|envoies|files)"
    r"|t'?aurais|tu\s+aurais|j'?aimerais\s+(?:bien\s+)?avoir|je\s+voudrais|il\s+me\s+faut"
    r"|je\s+(?:te\s+|t'|vous\s+)(?:donne|passe|envoie|file|laisse|ecris)|voici|voila)"
)
_PHONE_WORD = (
    r"(?:num(?:ero)?|tel(?:ephone)?|portable|phone|06|07)\b"
    r"(?!\s*(?:de|d')\s*(?!tel|telephone|portable|phone)[a-z])"  # "numéro de dossier" is not one
)
_EMAIL_WORD = r"(?:adresse\s+)?(?:e-?mail|mail|courriel|gmail|hotmail)\b"
_ADDRESS_WORD = r"adresse\b(?!\s+(?:e-?mail|mail|courriel|gmail|hotmail|de\s+l[ae']|du\s|des\s))"
_STREET = (
    r"(?:rue|avenue|av|bd|boulevard|allee|impasse|chemin|place|square|cite|residence|route|quai"
    r"|cours|passage|villa|voie|sentier|hameau|lotissement)"
)

_RULES: list[tuple[str, str, re.Pattern[str]]] = [
    # (kind, reason key, pattern); group 1, when present and not a stop word, is the identifier.
    (
        "social",
        "social",
        re.compile(
            rf"\b(?:mon|ma|son|ton|notre)\s+(?:compte\s+|pseudo\s+|id\s+|identifiant\s+|profil\s+)?"
            rf"(?:{_PLATFORM}|{_PLATFORM_SHORT}){_MARKER}{_IDENT}"
        ),
    ),
    (
        "social",
        "social",
        re.compile(rf"\bmon\s+(?:pseudo|identifiant|id|username|user){_MARKER}{_IDENT}"),
    ),
    (
        "social",
        "social",
        re.compile(rf"(?<![a-z])(?:{_PLATFORM}|{_PLATFORM_SHORT})\s*(?::|=|->)\s*{_IDENT}"),
    ),
    (
        "social",
        "social",
        re.compile(rf"(?<![a-z])(?:{_PLATFORM})(?:\s+(?:c'?\s*est|cest|c))?\s+{_SPECIAL_IDENT}"),
    ),
    (
        "social",
        "social",
        re.compile(
            rf"\b(?:je\s+suis|moi\s+c'?est|c'?est|je\s+m'appelle|tape|cherche)\s+{_SPECIAL_IDENT}"
            rf"\s+(?:sur|on)\s+(?:{_PLATFORM})\b"
        ),
    ),
    ("social", "social", re.compile(r"(?<![\w.])[a-z0-9_.]{2,32}#\d{4}\b")),  # discord toto#1234
    (
        "social",
        "social",
        re.compile(
            r"(?<![\w.@%+\-/])@(?!\d{1,2}h)(?!(?:2main|2m1|demain|plus|\+|tout|toute|tte|tt|bientot"
            r"|toi|moi|la|le|les|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b)"
            r"((?=[a-z0-9_.]*[a-z])[a-z0-9_](?:[a-z0-9_]|\.(?=[a-z0-9_])){1,29})"
        ),
    ),
    (
        "social",
        "move",
        re.compile(
            r"\b(?:on\s+(?:se\s+|s')?(?:parle|capte|ecrit|appelle|dit|continue|passe|discute|bouge"
            r"|retrouve|voit|rajoute|ajoute|add|follow)\w*"
            r"|(?:ajoute|rajoute|add|follow|suis|abonne|ecris|envoie|texte|appelle|contacte|rejoins"
            r"|retrouve|parle|dm)s?[\s-]*(?:moi|nous|toi)"
            r"|viens|venez|passons|continuons|parlons"
            r"|(?:tu|vous|on|je)\s+(?:peux|pouvez|pourrais|veux|peut|pourrait)\s+(?:m'|me\s+|t'|te\s+|nous\s+"
            r"|s'|se\s+)?(?:ajouter|add|ecrire|parler|contacter|envoyer|appeler|continuer|passer|rajouter"
            r"|follow|retrouver)"
            r"|je\s+(?:t'|te\s+|vous\s+)(?:ajoute|add|ecris|envoie|appelle|rajoute|follow|parle|contacte)\w*"
            r"|(?:c'?\s*est|ce\s+sera|ca\s+sera|ca\s+serait|ce\s+serait)\s+(?:plus\s+simple|mieux"
            r"|plus\s+pratique|plus\s+facile|plus\s+rapide))"
            rf"(?:[\s,]+[\w']+){{0,5}}?[\s,]+(?:sur|par|via|en|avec)\s+(?:le\s+|la\s+|l')?{_MOVE_PLATFORM}\b"
        ),
    ),
    (
        "social",
        "social_request",
        re.compile(
            r"\b(?:t'?as|t\s+as|tu\s+as|tu\s+aurais|t'?aurais|vous\s+avez)(?:\s+(?:aussi|deja|pas))?"
            rf"\s+(?:un\s+compte\s+(?:sur\s+)?|sur\s+)?(?:{_MOVE_PLATFORM})\b"
        ),
    ),
    (
        "social",
        "social_request",
        re.compile(
            r"\b(?:t'?es|t\s+es|tu\s+es|vous\s+etes)(?:\s+(?:aussi|deja))?\s+sur\s+"
            rf"(?:{_MOVE_PLATFORM})\s*(?:\?|$|[,.!]|\s+(?:ou|aussi|toi|stp|non|pas)\b)"
        ),
    ),
    (
        "social",
        "social_request",
        re.compile(
            rf"\b{_REQUEST}\s+(?:ton|ta|votre|mon|ma|notre)\s+(?:compte\s+|pseudo\s+)?"
            rf"(?:{_PLATFORM}|pseudo)\b"
        ),
    ),
    ("social", "social_request", re.compile(rf"\b(?:ton|votre)\s+(?:{_PLATFORM})\s*\?")),
    (
        "phone",
        "phone_request",
        re.compile(rf"\b{_REQUEST}\s+(?:ton|ta|votre|mon|ma|notre)\s+{_PHONE_WORD}"),
    ),
    ("phone", "phone_request", re.compile(rf"\b(?:ton|votre)\s+{_PHONE_WORD}\s*\?")),
    (
        "phone",
        "phone",
        re.compile(
            r"\bmon\s+(?:num(?:ero)?|06|07)\b(?:\s+de\s+(?:tel|telephone|portable))?"
            r"\s*(?:c'?\s*est|cest|:|=)"
        ),
    ),
    ("phone", "sms", re.compile(r"\b(?:par|en|un|des|de)\s+(?:sms|texto|textos)\b")),
    (
        "phone",
        "phone_request",
        re.compile(
            rf"\b(?:t'?\s*as|t\s+as|tu\s+as|tu\s+aurais|t'?aurais|vous\s+avez)\s+un\s+{_PHONE_WORD}"
        ),
    ),
    (
        "phone",
        "call",
        re.compile(
            r"\b(?:appelle|appelez|bigophone|phone)[\s-]*(?:moi|nous)\b"
            r"|\b(?:je\s+(?:peux|pourrais|vais)|on\s+(?:peut|pourrait))\s+(?:t'|te\s+|vous\s+|s')appeler\b"
        ),
    ),
    # Private messages elsewhere ("viens en dm", "on continue en mp") : "je suis en MP" (a prépa)
    # has no verb of moving and stays clean.
    (
        "social",
        "move",
        re.compile(
            r"\b(?:viens|venez|passe|passez|passons|continue|continuons|on\s+(?:passe|continue|parle|se\s+parle"
            r"|s'ecrit|se\s+dit)|(?:ecris|parle|envoie|reponds)[\s-]*(?:moi|nous)(?:\s+un)?)"
            r"\s+(?:en|par|un|une)\s+(?:dm|mp|pv|prive|message\s+prive)\b"
            r"|\b(?:dm|mp)[\s-]*(?:moi|nous)\b"
        ),
    ),
    (
        "social",
        "move",
        re.compile(
            rf"\b(?:viens|venez|va|allez|passe|passez|passons|allons|on\s+va)\s+(?:en\s+prive\s+)?sur\s+"
            rf"(?:le\s+|la\s+)?{_MOVE_PLATFORM}\b"
        ),
    ),
    (
        "social",
        "move",
        re.compile(
            r"\b(?:tu|vous)\s+(?:m'|me\s+|nous\s+)(?:ajoutes?|ajoutez|rajoutes?|add|follow|suis|suivez|ecris|ecrivez)"
            rf"\s+(?:sur|en)\s+{_MOVE_PLATFORM}\b"
        ),
    ),
    (
        "social",
        "social",
        re.compile(
            rf"(?<![a-z]){_MOVE_PLATFORM}\b[^\n]{{0,40}}?\b(?:moi\s+c'?\s*est|je\s+suis|c'?\s*est\s+moi)\s+"
            rf"{_SPECIAL_IDENT}"
        ),
    ),
    (
        "email",
        "email_request",
        re.compile(rf"\b{_REQUEST}\s+(?:ton|ta|votre|mon|ma|notre)\s+{_EMAIL_WORD}"),
    ),
    ("email", "email_request", re.compile(rf"\b(?:ton|votre)\s+{_EMAIL_WORD}\s*\?")),
    ("email", "email", re.compile(rf"\bmon\s+{_EMAIL_WORD}{_MARKER}{_IDENT}")),
    (
        "address",
        "address_request",
        re.compile(rf"\b{_REQUEST}\s+(?:ton|ta|votre|mon|ma|notre)\s+{_ADDRESS_WORD}"),
    ),
    (
        "address",
        "address",
        re.compile(
            r"\b(?:j'?\s*habite|je\s+vis|j'?\s*vis|chez\s+moi|mon\s+adresse|notre\s+adresse|ma\s+maison"
            r"|mon\s+immeuble|mon\s+appart\w*|ma\s+residence)\b[^\n]{0,30}?"
            rf"((?:\d{{1,4}}\s*(?:bis|ter)?\s*,?\s*)?\b{_STREET}\b(?:[\s-]+[\w']+){{1,4}})"
        ),
    ),
    (
        "address",
        "door_code",
        re.compile(
            r"\b(?:digicode|interphone)\b"
            r"(?:\s*(?:c'?\s*est|:|=)?\s*[0-9][0-9a-z]{2,7}\b)?"
        ),
    ),
]

# --- E-mail ---------------------------------------------------------------------------------------

_TLD = r"(?:com|fr|net|org|eu|be|ch|ca|io|me|info|co|uk|de|es|it|ma|dz|tn|sn|ci|edu|biz|app|dev)"
_PROVIDER = (
    r"(?:gmail|hotmail|yahoo|outlook|live|icloud|orange|free|sfr|laposte|wanadoo|protonmail"
    r"|proton|gmx|aol|msn|bbox|neuf)"
)
_AT = (
    r"(?:\s*@\s*|\s*[\[({<]\s*(?:at|@|arobase|arobaze)\s*[\])}>]\s*"
    r"|\s+(?:at|arobase|arobaze|arrobase|arobas|a\s+commercial)\s+)"
)
_DOT = r"(?:\s*\.\s*|\s*[\[({<]\s*(?:dot|point|\.)\s*[\])}>]\s*|\s+(?:dot|point)\s+)"
_LOCAL_DOT = r"(?:\.|\s*[\[({<]\s*(?:dot|point)\s*[\])}>]\s*|\s+(?:dot|point)\s+)"
_LOCAL = rf"[a-z0-9][a-z0-9_%+\-]*(?:{_LOCAL_DOT}[a-z0-9_%+\-]+){{0,4}}"  # bounded: linear time
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_EMAIL_PATTERNS = (
    re.compile(r"(?<![\w.%+\-])[a-z0-9][\w.%+\-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b"),
    re.compile(rf"(?<![\w.%+\-]){_LOCAL}{_AT}{_LABEL}(?:{_DOT}{_LABEL}){{0,4}}{_DOT}{_TLD}\b"),
    re.compile(rf"(?<![\w.%+\-]){_LOCAL}{_AT}{_PROVIDER}\b"),
)

# --- Links ----------------------------------------------------------------------------------------

_LINK_TLD = (
    r"(?:com|fr|net|org|eu|be|ch|ca|io|me|ly|gl|co|gg|tv|to|info|app|dev|link|page|site|xyz|ee"
    r"|ma|dz|tn|sn|ci|uk|de|es|it|biz|online|shop|store|blog)"
)
_LINK_PATTERNS = (
    re.compile(r"\b(?:https?|ftp)://[^\s<>\"']+"),
    re.compile(r"\bwww\.[^\s<>\"']+"),
    re.compile(
        rf"(?<![@\w.\-/])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+{_LINK_TLD}\b(?![.\-]\w)"
        r"(?:/[^\s<>\"']*)?"
    ),
)
_TRAILING_PUNCTUATION = ".,;:!?)]}\"'"


def _host(link: str) -> str:
    url = link if "://" in link else f"http://{link}"
    netloc = urlsplit(url).netloc.rsplit("@", 1)[-1]  # "parcoursup.fr@evil.com" goes to evil.com
    host = netloc.split(":", 1)[0].lower()
    return host.removeprefix("www.")


def _is_public_site(host: str) -> bool:
    if _ACADEMIE_DOMAIN.search(host):
        return True
    return any(host == domain or host.endswith("." + domain) for domain in PUBLIC_LINK_DOMAINS)


def _is_social_host(host: str) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in _SOCIAL_HOSTS)


# --- Entry point -----------------------------------------------------------------------------------


def detect_contact_details(text: str) -> list[ContactFinding]:
    """Every contact detail, or request for one, in ``text``, in order of position."""
    folded = _fold(text)
    raw: list[tuple[str, str, int, int]] = []  # kind, reason key, folded start, folded end

    phone_text = _phone_text(folded)
    for start, end in _find_phones(phone_text):
        original = phone_text.original_span(start, end)
        raw.append(("phone", "phone", *_folded_span(folded, original)))

    for pattern in _EMAIL_PATTERNS:
        for match in pattern.finditer(folded.text):
            raw.append(("email", "email", *match.span()))

    for pattern in _LINK_PATTERNS:
        for match in pattern.finditer(folded.text):
            link = match.group().rstrip(_TRAILING_PUNCTUATION)
            host = _host(link)
            if not host or _is_public_site(host):
                continue
            end = match.start() + len(link)
            raw.append(("link", "link", match.start(), end))
            if _is_social_host(host):
                raw.append(("social", "social", match.start(), end))

    raw.extend(_rule_findings(folded))
    # Handles typed with spaces ("l u c a s _ 9 3", "@ ines . drw"): the social rules again on
    # a copy with those spaces closed up, spans mapped back to the folded text.
    closed = _close_spaced_handles(folded)
    if closed.text != folded.text:
        for kind, reason, start, end in _rule_findings(closed, kinds=("social",)):
            raw.append((kind, reason, *_folded_span(folded, closed.original_span(start, end))))

    return _to_findings(text, folded, raw)


def _rule_findings(
    text: _Mapped, kinds: tuple[str, ...] = KINDS
) -> Iterator[tuple[str, str, int, int]]:
    for kind, reason, pattern in _RULES:
        if kind not in kinds:
            continue
        for match in pattern.finditer(text.text):
            if pattern.groups and match.group(1) is not None:
                identifier = match.group(1).strip(".-_#")
                if kind != "address" and (identifier in _STOP_IDENTS or len(identifier) < 2):
                    continue
            yield kind, reason, match.start(), match.end()


# Four or more single characters separated by single spaces, then "@ " and " . " inside a handle.
_SPACED_CHARACTERS = re.compile(r"(?<!\S)[a-z0-9_.](?: [a-z0-9_.]){3,}(?!\S)")
_SPACED_AT = re.compile(r"@\s+(?=[a-z0-9_])")
_SPACED_DOT = re.compile(r"(?<=[a-z0-9_])\s+\.\s+(?=[a-z0-9_])")


def _close_spaced_handles(folded: _Mapped) -> _Mapped:
    closed = _rewrite(folded, _SPACED_CHARACTERS, lambda m: m.group().replace(" ", ""))
    closed = _rewrite(closed, _SPACED_AT, lambda _m: "@")
    return _rewrite(closed, _SPACED_DOT, lambda _m: ".")


def _folded_span(folded: _Mapped, original: tuple[int, int]) -> tuple[int, int]:
    """Folded range covering an original range (phones are found on a rewritten text)."""
    start = next(i for i, s in enumerate(folded.starts) if s >= original[0])
    end = max(i for i, e in enumerate(folded.ends) if e <= original[1]) + 1
    return start, end


def _to_findings(
    text: str, folded: _Mapped, raw: list[tuple[str, str, int, int]]
) -> list[ContactFinding]:
    emails = [(s, e) for kind, _r, s, e in raw if kind == "email"]
    kept: list[tuple[str, str, int, int]] = []
    # Longest first, so a shorter finding of the same kind inside a longer one is dropped.
    for kind, reason, start, end in sorted(raw, key=lambda r: (r[2] - r[3], r[2])):
        if kind in ("link", "social") and any(s <= start and end <= e for s, e in emails):
            continue  # the domain of an e-mail, not a link; "@gmail" is not a handle
        if any(k == kind and s <= start and end <= e for k, _r, s, e in kept):
            continue
        kept.append((kind, reason, start, end))
    # Overlapping findings of one kind become one ("ajoute moi sur insta : toto").
    merged: list[tuple[str, str, int, int]] = []
    for kind, reason, start, end in sorted(kept, key=lambda r: (r[2], -r[3])):
        for index, (other_kind, other_reason, other_start, other_end) in enumerate(merged):
            if other_kind == kind and start < other_end:
                merged[index] = (kind, other_reason, other_start, max(end, other_end))
                break
        else:
            merged.append((kind, reason, start, end))
    findings = []
    for kind, reason, start, end in merged:
        span = folded.original_span(start, end)
        findings.append(
            ContactFinding(
                kind=kind,  # type: ignore[arg-type]
                span=span,
                excerpt=text[span[0] : span[1]],
                reason_fr=REASONS_FR[reason],
            )
        )
    return findings


SPLIT_SUFFIX_FR = " (commencé dans ton message précédent)"


def detect_contact_details_in_sequence(
    text: str, *, previous: Sequence[str] = ()
) -> list[ContactFinding]:
    """The findings of ``text``, plus those that begin in ``previous`` (the same sender's messages
    just before it, oldest first) and end in it: "06 12" then "34 56 78". Such a finding points at
    the part of ``text`` it covers and says in its reason that it began in the previous message.
    """
    own = detect_contact_details(text)
    if not previous:
        return own
    joined = " ".join([*previous, text])
    boundary = len(joined) - len(text)
    spanning = []
    for finding in detect_contact_details(joined):
        start, end = finding.span
        if not start < boundary < end:
            continue
        span = (0, end - boundary)
        if any(
            f.kind == finding.kind and f.span[0] <= span[0] and span[1] <= f.span[1] for f in own
        ):
            continue  # the new message alone already says it
        spanning.append(
            ContactFinding(
                kind=finding.kind,
                span=span,
                excerpt=text[: span[1]],
                reason_fr=finding.reason_fr + SPLIT_SUFFIX_FR,
            )
        )
    return sorted(own + spanning, key=lambda f: f.span)
