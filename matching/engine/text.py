"""French free text: accent folding and TF-IDF vectors of aspirations (mentees) and paths (mentors).

The vectoriser is fitted on both sides at once so a term weighs the same in both, and bigrams are
kept because the most telling terms are often two words ("sciences po", "bts commerce").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

_NON_WORD = re.compile(r"[^a-z0-9]+")
_DIACRITICS = re.compile("[\u0300-\u034e\u0350-\u036f]+")  # U+034F is not combining
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "’": " ", "'": " "})

# Folded (no accents) French function words plus words every profile uses.
FRENCH_STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "cet",
        "cette",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "elles",
        "en",
        "et",
        "eu",
        "il",
        "ils",
        "je",
        "j",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "lui",
        "l",
        "ma",
        "mais",
        "me",
        "meme",
        "mes",
        "moi",
        "mon",
        "m",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "s",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "t",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "d",
        "n",
        "c",
        "ete",
        "etre",
        "avoir",
        "ai",
        "as",
        "avons",
        "avez",
        "ont",
        "suis",
        "es",
        "est",
        "sommes",
        "etes",
        "sont",
        "fait",
        "faire",
        "plus",
        "tres",
        "bien",
        "aussi",
        "comme",
        "tout",
        "tous",
        "toute",
        "toutes",
        "si",
        "sans",
        "sous",
        "chez",
        "entre",
        "apres",
        "avant",
        "depuis",
        "pendant",
        "vers",
        "donc",
        "car",
        "or",
        "ni",
        "puis",
        "deja",
        "encore",
        "alors",
        "quand",
        "ans",
        "an",
        "annee",
        "annees",
        "aimerais",
        "voudrais",
        "veux",
        "souhaite",
        "souhaiterais",
        "cherche",
        "chercher",
        "besoin",
        "envie",
        "peux",
        "pourrais",
        "aider",
        "aide",
        "aller",
    ]
    # Filler verbs and words of "what I want" sentences: they say nothing about a path, yet two
    # texts share them all the time ("trouver", "faire"); matching on them rewarded the phrasing
    # and the explanations showed them as shared interests. Words that also name a field stay
    # ("petite enfance", "grande école", "sciences de la vie").
    + ["trouver", "trouve", "trouves", "faire", "fais", "font", "avoir", "aimer", "aime", "aimerait", "adore", "vouloir", "voudrait", "veut", "pouvoir", "peut", "pourrait", "savoir", "sais", "sait", "devoir", "dois", "doit", "mettre", "prendre", "donner", "venir", "voir", "dire", "parler", "passer", "rester", "essayer", "commencer", "continuer", "reussir", "apprendre", "comprendre", "decouvrir", "mieux", "beaucoup", "peu", "vraiment", "chose", "choses", "truc", "trucs", "quelque", "quelques", "quelqu", "gens", "idee", "idees", "moment", "fois", "jour", "jours", "etc", "bon", "bonne", "autre", "autres", "chaque", "plusieurs"]
)


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation: "Études d'ingénieur" -> "etudes d ingenieur"."""
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES).lower())
    # the accents of French letters are the combining diacritical marks U+0300..U+036F: one
    # regex pass; any other non-ASCII character left goes through the general test
    text = _DIACRITICS.sub("", text)
    if not text.isascii():
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text).strip()


@dataclass(frozen=True)
class TextVectors:
    """L2-normalised TF-IDF rows: cosine similarity is a dot product."""

    mentees: sp.csr_matrix
    mentors: sp.csr_matrix
    terms: np.ndarray  # vocabulary, column order
    mentee_has_text: np.ndarray  # bool
    mentor_has_text: np.ndarray
    mentors_t: sp.csr_matrix  # mentors transposed (terms x mentors), for block products


def fit_text_vectors(mentee_texts: Sequence[str], mentor_texts: Sequence[str]) -> TextVectors:
    from sklearn.feature_extraction.text import TfidfVectorizer  # heavy: only when scoring

    folded: dict[str, str] = {}  # texts often repeat (templates, empty): fold each once
    docs = [
        folded[t] if t in folded else folded.setdefault(t, fold(t))
        for t in (*mentee_texts, *mentor_texts)
    ]
    n = len(mentee_texts)
    vectorizer = TfidfVectorizer(
        lowercase=False,  # fold() already did it
        token_pattern=r"(?u)\b[a-z0-9]{2,}\b",
        stop_words=sorted(FRENCH_STOP_WORDS),
        ngram_range=(1, 2),
        sublinear_tf=True,
        dtype=np.float32,
    )
    try:
        matrix = sp.csr_matrix(vectorizer.fit_transform(docs), dtype=np.float32)
        terms = vectorizer.get_feature_names_out()
    except ValueError:  # no text at all (empty vocabulary)
        matrix = sp.csr_matrix((len(docs), 0), dtype=np.float32)
        terms = np.empty(0, dtype=object)
    has_text = np.diff(matrix.indptr) > 0
    mentors = sp.csr_matrix(matrix[n:])
    return TextVectors(
        sp.csr_matrix(matrix[:n]),
        mentors,
        terms,
        has_text[:n],
        has_text[n:],
        sp.csr_matrix(mentors.T),
    )


def cosine_block(vectors: TextVectors, start: int, stop: int) -> np.ndarray:
    """Cosine similarity of mentees start:stop against every mentor, dense float32."""
    product = vectors.mentees[start:stop] @ vectors.mentors_t
    return np.asarray(product.toarray(), dtype=np.float32)


def cosine_pairs(vectors: TextVectors, mentee: np.ndarray, mentor: np.ndarray) -> np.ndarray:
    """Cosine similarity of listed (mentee, mentor) pairs."""
    if mentee.size == 0:
        return np.zeros(0, np.float32)
    product = vectors.mentees[mentee].multiply(vectors.mentors[mentor])
    return np.asarray(product.sum(axis=1), dtype=np.float32).ravel()


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def written_forms(*texts: str) -> dict[str, str]:
    """Folded word -> the word as people wrote it (lower case, accents kept). Terms are matched on
    folded forms ("ecoles" = "écoles"), but shown as written; when the texts disagree, the form
    with the most accents wins ("écoles" over "ecoles"), then the first seen."""
    forms: dict[str, str] = {}
    for text in texts:
        for word in _WORD.findall((text or "").translate(_LIGATURES).lower()):
            key = fold(word)
            if not key or " " in key:
                continue
            best = forms.get(key)
            if best is None or _accents(word) > _accents(best):
                forms[key] = word
    return forms


def _accents(word: str) -> int:
    return sum(1 for ch in unicodedata.normalize("NFKD", word) if unicodedata.combining(ch))


def shared_terms(
    vectors: TextVectors, mentee: int, mentor: int, limit: int = 5, texts: tuple[str, str] | None = None
) -> list[str]:
    """Terms both texts use, most telling first; a word inside a kept bigram is not repeated.
    With ``texts`` (the mentee's and the mentor's own words), each word is shown as written."""
    product = vectors.mentees[mentee].multiply(vectors.mentors[mentor]).tocoo()
    order = np.argsort(-product.data, kind="stable")
    chosen: list[str] = []
    for term in vectors.terms[product.col[order]]:
        words = set(term.split())
        if any(words <= set(kept.split()) or set(kept.split()) <= words for kept in chosen):
            if " " in term:  # a bigram replaces the lone word it contains
                chosen = [kept for kept in chosen if not set(kept.split()) <= words]
            else:
                continue
        chosen.append(str(term))
        if len(chosen) >= limit:
            break
    if texts is None:
        return chosen
    forms = written_forms(*texts)
    return [" ".join(forms.get(word, word) for word in term.split()) for term in chosen]
