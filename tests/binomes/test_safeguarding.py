"""Contact details in pair messages are found, in every usual form, and nothing else is."""

from __future__ import annotations

import dataclasses

import pytest

from binomes.safeguarding import (
    ContactFinding,
    detect_contact_details,
    detect_contact_details_in_sequence,
)
from binomes.safeguarding_eval import evaluate
from tests.binomes.fixtures.heldout_messages import HELDOUT_MESSAGES
from tests.binomes.fixtures.messages import MESSAGES


def _kinds(text: str) -> set[str]:
    return {finding.kind for finding in detect_contact_details(text)}


def _excerpts(text: str, kind: str) -> list[str]:
    return [f.excerpt for f in detect_contact_details(text) if f.kind == kind]


# (message, kind, excerpt the finding must point at)
FORMS = [
    # Phone numbers
    ("appelle-moi au 06 12 34 56 78 stp", "phone", "06 12 34 56 78"),
    ("0612345678", "phone", "0612345678"),
    ("c'est le 06.12.34.56.78", "phone", "06.12.34.56.78"),
    ("06-12-34-56-78 !", "phone", "06-12-34-56-78"),
    ("07, 81, 22, 33, 44", "phone", "07, 81, 22, 33, 44"),
    ("tel +33 6 12 34 56 78", "phone", "+33 6 12 34 56 78"),
    ("+33612345678", "phone", "+33612345678"),
    ("0033 6 12 34 56 78", "phone", "0033 6 12 34 56 78"),
    ("+33 (0)6 12 34 56 78", "phone", "+33 (0)6 12 34 56 78"),
    ("(0)6 12 34 56 78", "phone", "6 12 34 56 78"),
    ("+212 6 12 34 56 78 c'est mon cousin", "phone", "+212 6 12 34 56 78"),
    ("le fixe : 01 48 30 12 12", "phone", "01 48 30 12 12"),
    ("bureau 09 70 12 34 56", "phone", "09 70 12 34 56"),
    ("0612 345 678", "phone", "0612 345 678"),
    ("06 🔥 12 🔥 34 🔥 56 🔥 78", "phone", "06 🔥 12 🔥 34 🔥 56 🔥 78"),
    ("06 12 34 56 et 78", "phone", "06 12 34 56 et 78"),
    ("zéro six 12 34 56 78", "phone", "zéro six 12 34 56 78"),
    (
        "zero six douze trente-quatre cinquante-six soixante-dix-huit",
        "phone",
        "zero six douze trente-quatre cinquante-six soixante-dix-huit",
    ),
    ("06 douze 34 56 78", "phone", "06 douze 34 56 78"),
    ("０６ １２ ３４ ５６ ７８", "phone", "０６ １２ ３４ ５６ ７８"),
    ("٠٦١٢٣٤٥٦٧٨", "phone", "٠٦١٢٣٤٥٦٧٨"),
    ("0️⃣6️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣", "phone", "0️⃣6️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣"),
    ("o6 12 34 56 78", "phone", "o6 12 34 56 78"),
    ("sans le zéro : 6 12 34 56 78", "phone", "6 12 34 56 78"),
    # Development cases for separators, look-alike letters and glued words (issue 9)
    ("voilà\n07\n98\n76\n54\n32", "phone", "07\n98\n76\n54\n32"),
    ("07 98.76-54 32", "phone", "07 98.76-54 32"),
    ("0 7 - 9 8 - 7 6 - 5 4 - 3 2", "phone", "0 7 - 9 8 - 7 6 - 5 4 - 3 2"),
    ("07 | 98 | 76 | 54 | 32", "phone", "07 | 98 | 76 | 54 | 32"),
    ("07*98*76*54*32", "phone", "07*98*76*54*32"),
    ("o7 9B 76 54 32", "phone", "o7 9B 76 54 32"),
    ("O6 l5 47 89 I0", "phone", "O6 l5 47 89 I0"),
    ("0 7 98 7b 54 3z", "phone", "0 7 98 7b 54 3z"),
    ("0sept 98 76 54 32", "phone", "0sept 98 76 54 32"),
    ("zéro sept | quatre-vingt-dix-huit | 76 | 54 | 32", "phone", "zéro sept | quatre-vingt-dix-huit | 76 | 54 | 32"),
    ("t'as un portable pour te joindre ?", "phone", "t'as un portable"),
    ("appelle-moi ce soir", "phone", "appelle-moi"),
    ("donne moi ton numéro", "phone", "donne moi ton numéro"),
    ("c'est quoi ton 06 ?", "phone", "c'est quoi ton 06"),
    ("envoie moi un sms", "phone", "un sms"),
    # E-mail addresses
    ("prenom.nom@gmail.com", "email", "prenom.nom@gmail.com"),
    ("écris à élodie.dürr@orange.fr.", "email", "élodie.dürr@orange.fr"),
    ("prenom [at] gmail [dot] com", "email", "prenom [at] gmail [dot] com"),
    ("prenom (at) gmail (point) fr", "email", "prenom (at) gmail (point) fr"),
    ("prenom arobase gmail point com", "email", "prenom arobase gmail point com"),
    (
        "prenom point nom arobase hotmail point fr",
        "email",
        "prenom point nom arobase hotmail point fr",
    ),
    ("prenom @ gmail . com", "email", "prenom @ gmail . com"),
    ("toto93@gmail", "email", "toto93@gmail"),
    ("ｔｏｔｏ＠ｇｍａｉｌ．ｃｏｍ", "email", "ｔｏｔｏ＠ｇｍａｉｌ．ｃｏｍ"),
    ("mon mail c'est toto93", "email", "mon mail c'est toto93"),
    ("c'est quoi ton adresse mail ?", "email", "c'est quoi ton adresse mail"),
    # Social networks and moving the conversation elsewhere
    ("@pseudo_93 c'est moi", "social", "@pseudo_93"),
    ("mon snap c'est toto93", "social", "mon snap c'est toto93"),
    ("ajoute moi sur insta : toto", "social", "ajoute moi sur insta : toto"),
    ("insta: toto", "social", "insta: toto"),
    ("sc: lea.m", "social", "sc: lea.m"),
    ("snap toto_93", "social", "snap toto_93"),
    ("mon tiktok c'est lea.dance", "social", "mon tiktok c'est lea.dance"),
    ("discord toto#1234", "social", "toto#1234"),
    ("on passe en dm ?", "social", "on passe en dm"),
    ("écris-moi en mp", "social", "écris-moi en mp"),
    ("dm moi", "social", "dm moi"),
    ("va sur insta en privé", "social", "va sur insta"),
    ("mon snap : k e n z a _ 0 8", "social", "mon snap : k e n z a _ 0 8"),
    ("@ yanis . bnl", "social", "@ yanis . bnl"),
    ("snap → yanis_b", "social", "snap → yanis_b"),
    ("tu m'ajoutes sur insta ?", "social", "tu m'ajoutes sur insta"),
    ("sur insta moi c'est yanis.bnl", "social", "yanis.bnl"),
    ("on se parle sur whatsapp ?", "social", "on se parle sur whatsapp"),
    ("tu peux m'écrire plutôt sur telegram", "social", "tu peux m'écrire plutôt sur telegram"),
    ("on continue sur signal", "social", "on continue sur signal"),
    ("t'as snap ?", "social", "t'as snap"),
    ("c'est quoi ton insta ?", "social", "c'est quoi ton insta ?"),
    ("ajoute-moi sur Facebook", "social", "ajoute-moi sur Facebook"),
    ("je t'écris sur messenger", "social", "je t'écris sur messenger"),
    ("https://www.linkedin.com/in/prenom-nom", "social", "https://www.linkedin.com/in/prenom-nom"),
    ("snapchat.com/add/toto93", "social", "snapchat.com/add/toto93"),
    # Links
    ("https://example.org/page?id=3", "link", "https://example.org/page?id=3"),
    ("va sur www.monsite.com, c'est moi", "link", "www.monsite.com"),
    ("toto.fr/blog", "link", "toto.fr/blog"),
    ("bit.ly/3xYz", "link", "bit.ly/3xYz"),
    ("wa.me/33612345678", "link", "wa.me/33612345678"),
    ("t.me/toto", "link", "t.me/toto"),
    ("snapchat.com/add/toto93", "link", "snapchat.com/add/toto93"),
    ("(voir https://linkedin.com/in/yanis)", "link", "https://linkedin.com/in/yanis"),
    ("https://parcoursup.fr@example.com/x", "link", "https://parcoursup.fr@example.com/x"),
    # Home address
    ("j'habite au 12 rue Jean Jaurès à Bobigny", "address", "12 rue Jean Jaurès à Bobigny"),
    ("le digicode c'est 4521B", "address", "digicode c'est 4521B"),
    ("c'est quoi ton adresse ?", "address", "c'est quoi ton adresse"),
]


@pytest.mark.parametrize(("text", "kind", "excerpt"), FORMS, ids=[f"{k}:{t}" for t, k, _ in FORMS])
def test_each_form_is_found(text, kind, excerpt):
    assert excerpt in _excerpts(text, kind) or any(
        excerpt in found for found in _excerpts(text, kind)
    ), detect_contact_details(text)


NOT_CONTACT = [
    "rdv le 12/03/2026 à 14h30",
    "le 06/03/2026 14 30 ça marche",
    "on se voit à 14h30 ou 15h",
    "En 2025 j'ai eu le brevet, en 2027 le bac",
    "ça coûte 25 € et 1 500 € pour l'année",
    "la mairie est au 31 avenue Salvador Allende, 93000 Bobigny",
    "j'ai eu 15/20 en maths et 08/20 en physique",
    "mes notes : 08, 12, 15, 09, 11 et 14,5 au dernier",
    "on a gagné 3-2, je suis en 3e",
    "appelle le 119 ou le 3018, c'est gratuit",
    "mon INE c'est 0123456789A",
    "rendez-vous au CDI du lycée à 12h",
    "j'ai vu une vidéo sur tiktok sur Parcoursup",
    "mon insta c'est que des photos de foot",
    "regarde sur parcoursup.fr et sur https://www.onisep.fr/metiers",
    "le site 1jeune1solution.gouv.fr a des offres",
    "c'est quoi ton numéro de dossier ?",
    "Mon portable est cassé",
    "on se voit sur place @ 14h",
    "le fichier s'appelle cv.pdf",
    "Merci beaucoup.On se voit demain",
    "J'ai cours de 08 00 à 10 00",
    "mon snap est cassé lol",
    "notes 06/20 14/20 09/20 11/20 13/20",
    "la salle l2 du bâtiment B",
    "groupe S1 et S2, salle B12",
    "j'ai fini le 3b et le 4a",
    "le numéro vert de Parcoursup : 0 800 400 070",
    "je suis en MP au lycée Henri IV",
    "j'ai appelé le lycée ce matin",
    "mardi | mercredi | jeudi de 14 à 16",
    "Rdv 07.03 à 18h, salle 12",
    "a b c d, les quatre réponses sont fausses",
]


@pytest.mark.parametrize("text", NOT_CONTACT)
def test_ordinary_messages_are_not_flagged(text):
    assert detect_contact_details(text) == []


def test_spans_point_at_the_original_text():
    text = "Coucou ! Écris-moi à Élodie.Dürr@gmail.com ou au 06 12 34 56 78 😊"

    findings = detect_contact_details(text)

    assert [(f.kind, f.excerpt) for f in findings] == [
        ("email", "Élodie.Dürr@gmail.com"),
        ("phone", "06 12 34 56 78"),
    ]
    for finding in findings:
        start, end = finding.span
        assert text[start:end] == finding.excerpt


def test_spans_survive_emoji_and_fullwidth_digits_before_the_number():
    text = "👋🏽👋🏽 ｏｋ voilà : ０６ １２ ３４ ５６ ７８ !"

    (finding,) = detect_contact_details(text)

    assert finding.kind == "phone"
    assert text[finding.span[0] : finding.span[1]] == "０６ １２ ３４ ５６ ７８"


def test_spans_cover_a_spelled_number_word_for_word():
    text = "tiens : Zéro six douze 34 56 78 😉"

    phones = [f for f in detect_contact_details(text) if f.kind == "phone"]

    assert [text[f.span[0] : f.span[1]] for f in phones] == ["Zéro six douze 34 56 78"]


def test_two_numbers_give_two_findings_in_order():
    text = "moi 06 12 34 56 78, ma mère 07 98 76 54 32"

    phones = [f for f in detect_contact_details(text) if f.kind == "phone"]

    assert [f.excerpt for f in phones] == ["06 12 34 56 78", "07 98 76 54 32"]
    assert phones[0].span < phones[1].span


def test_an_email_is_not_also_a_link_or_a_handle():
    assert _kinds("ines.haddad@laposte.net") == {"email"}


def test_a_finding_is_frozen_and_tells_the_sender_why_in_french():
    (finding,) = detect_contact_details("06 12 34 56 78")

    assert isinstance(finding, ContactFinding)
    assert finding.reason_fr == "un numéro de téléphone"
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.kind = "email"  # type: ignore[misc]


def test_fixture_has_enough_realistic_messages():
    positives = [m for m in MESSAGES if m.has_contact]

    assert len(MESSAGES) >= 60
    assert len(positives) >= 25
    assert len(MESSAGES) - len(positives) >= 30


def test_recall_and_false_positive_rate_on_the_fixture(record_property):  # noqa: ANN001
    evaluation = evaluate(MESSAGES)

    record_property("figure", f"contact-detail detection, development set: {evaluation.summary()}")
    assert evaluation.recall >= 0.95, [o.message.text for o in evaluation.missed]
    assert evaluation.false_positive_rate <= 0.05, [
        o.message.text for o in evaluation.false_positives
    ]


def test_flagged_messages_name_every_labelled_kind():
    evaluation = evaluate(MESSAGES)

    assert [o.message.text for o in evaluation.wrong_kinds] == []


def test_heldout_set_is_large_and_covers_the_variants():
    positives = [m for m in HELDOUT_MESSAGES if m.has_contact]
    splits = [m for m in HELDOUT_MESSAGES if m.previous]

    assert len(HELDOUT_MESSAGES) >= 120
    assert 0.4 <= len(positives) / len(HELDOUT_MESSAGES) <= 0.65
    assert len(splits) >= 10


def test_recall_and_false_positive_rate_on_the_heldout_set(record_property):  # noqa: ANN001
    """Measured only: the held-out set is never tuned on. Floors guard against a regression; the
    figures to read are the recorded ones (baseline before issue 9: recall 0.678, fpr 0.014)."""
    evaluation = evaluate(HELDOUT_MESSAGES)

    record_property("figure", f"contact-detail detection, held-out set: {evaluation.summary()}")
    assert evaluation.recall >= 0.9
    assert evaluation.false_positive_rate <= 0.05


SPLIT = [
    (["mon 07 c'est le 07 98"], "76 54 32", "phone"),
    (["zéro sept"], "quatre-vingt-dix-huit 76 54 32", "phone"),
    (["07", "98"], "76 54 32", "phone"),
    (["yanis.b"], "arobase hotmail point fr", "email"),
]


@pytest.mark.parametrize(("previous", "text", "kind"), SPLIT)
def test_a_detail_split_across_messages_is_found_on_the_last_one(previous, text, kind):
    findings = detect_contact_details_in_sequence(text, previous=previous)

    assert kind in {f.kind for f in findings}
    (split,) = [f for f in findings if f.kind == kind]
    assert split.reason_fr.endswith("(commencé dans ton message précédent)")
    assert text[split.span[0] : split.span[1]] == split.excerpt


@pytest.mark.parametrize(("previous", "text"), [(["on se voit le 12"], "à 15h ?"), (["j'ai eu 14"], "et 12 en maths")])
def test_numbers_in_consecutive_ordinary_messages_are_not_joined_into_a_phone(previous, text):
    assert detect_contact_details_in_sequence(text, previous=previous) == []
