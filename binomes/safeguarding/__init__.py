"""Contact details in the texts members write for each other: detection only (pure Python, no
Django). ``folding`` maps the text to a searchable form, ``phones`` finds numbers, ``patterns``
holds the e-mail, handle, invitation, address and link rules; this module puts them together.
Screening, holding and showing texts: ``safeguarding.screening``.

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

Before the phone rules, letters standing for digits inside a digit group become digits ("O6 I2",
"8l", "S6", "|2"), spelled numbers (0-99, composed) become digits, and a digit glued to a spelled
number is split ("0six"). A number split across consecutive messages of the same sender is found
by ``detect_contact_details_in_sequence`` (``binomes.messaging.message_send`` passes the sender's
messages of the last few minutes).

Precision matters as much as recall: a coordinator drowned in dates, grades and Parcoursup links
stops reading the flags. Hence the phone rules work on whole digit groups with one consistent
separator (a date "06/03/2026 14 30" mixes "/" and spaces; mixed separators are accepted only for
a full ten-digit number in groups of one or two digits, and never "/" or ","), short numbers and
08 numbers (service lines: 3020, 119, Fil Santé Jeunes 0 800 235 236) are not a person's, and links
to a few public-service sites (``PUBLIC_LINK_DOMAINS``) are not flagged.

Evaluation: ``python -m binomes.safeguarding_eval`` (development and held-out sets).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from binomes.safeguarding.folding import _fold, _Mapped, _rewrite
from binomes.safeguarding.patterns import (
    _EMAIL_PATTERNS,
    _LINK_PATTERNS,
    _RULES,
    _STOP_IDENTS,
    _TRAILING_PUNCTUATION,
    PUBLIC_LINK_DOMAINS,
    _host,
    _is_public_site,
    _is_social_host,
)
from binomes.safeguarding.phones import _find_phones, _phone_text

__all__ = [
    "KINDS",
    "PUBLIC_LINK_DOMAINS",
    "REASONS_FR",
    "SPLIT_SUFFIX_FR",
    "ContactFinding",
    "Kind",
    "detect_contact_details",
    "detect_contact_details_in_sequence",
]

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
