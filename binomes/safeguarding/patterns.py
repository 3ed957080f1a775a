"""Patterns of e-mail addresses, social-network handles, invitations to move elsewhere, home
addresses and links, with the vocabulary they share."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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
