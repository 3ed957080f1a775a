"""French by default, English on request; the English catalogue is complete and compiled.

The interface is written in French (source strings); ``locale/en/LC_MESSAGES/django.po`` holds the
English translation and ``django.mo`` is committed next to it so that machines without GNU gettext
still serve English. After adding or changing a translatable string, run (see README):

    DEBUG=1 python manage.py makemessages -l en -e html,txt,py --ignore=.venv --ignore=tests --ignore=benchmarks --ignore=staticfiles
    # translate the new entries in locale/en/LC_MESSAGES/django.po, then
    DEBUG=1 python manage.py compilemessages --ignore=.venv
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tests import factories

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"
MAKEMESSAGES_IGNORES = [".venv", "tests", "benchmarks", "staticfiles"]


@pytest.fixture(autouse=True)
def _reset_language():
    """LocaleMiddleware activates the request's language for the whole thread: do not leak English
    into the tests that run after these ones."""
    yield
    translation.deactivate()


def page(response) -> str:  # noqa: ANN001
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --------------------------------------------------------------------------------------------------
# Pages


@pytest.mark.django_db
def test_home_page_is_french_by_default(client, association):  # noqa: ANN001
    html = page(client.get("/"))

    assert '<html lang="fr">' in html
    assert "Associations" in html
    assert "Inscrire mon association" in html
    assert "Le mentorat de proximité, près de chez toi" in html
    assert "Register my association" not in html


@pytest.mark.django_db
def test_language_switch_serves_english_home_page(client, association):  # noqa: ANN001
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    html = page(client.get("/"))

    assert '<html lang="en">' in html
    assert "Register my association" in html
    assert "Local mentoring, close to home" in html
    assert "Inscrire mon association" not in html
    # The switch now offers the way back to French.
    assert 'name="language" value="fr"' in html


@pytest.mark.django_db
def test_accept_language_header_selects_english(client, association):  # noqa: ANN001
    html = page(client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"))

    assert "Register my association" in html


@pytest.mark.django_db
def test_mentee_sign_up_page_in_english(client, association):  # noqa: ANN001
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = page(client.get(f"/a/{association.slug}/inscription/mentore/"))

    # the first of the five steps (who you are); the commune, background and consent come later
    assert "Date of birth" in html
    assert "First name" in html
    assert "Date de naissance" not in html
    assert "Prénom" not in html


@pytest.mark.django_db
def test_empty_sign_up_form_errors_in_english(client, association):  # noqa: ANN001
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    # What a browser sends for a form left blank (a truly empty POST renders an unbound form).
    blank = {
        "first_name": "",
        "last_name": "",
        "email": "",
        "password1": "",
        "password2": "",
        "birth_date": "",
        "commune": "",
    }
    html = page(client.post(f"/a/{association.slug}/inscription/mentore/", blank))

    assert "The form contains errors." in html
    assert "This field is required." in html  # Django's own catalogue
    assert "You must accept the privacy policy to sign up." in html  # ours
    assert "Ce champ est obligatoire" not in html
    assert "Le formulaire contient des erreurs" not in html


@pytest.mark.django_db
def test_age_error_in_english(client, association):  # noqa: ANN001
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = page(
        client.post(
            f"/a/{association.slug}/inscription/mentore/",
            {"birth_date": factories.years_ago(45).isoformat(), "privacy_accepted": "on"},
        )
    )

    assert "To be a mentee in this programme, you must be between 11 and 30 years old" in html


@pytest.mark.django_db
def test_sign_up_page_stays_french_without_preference(client, association):  # noqa: ANN001
    html = page(client.get(f"/a/{association.slug}/inscription/mentore/"))

    assert "Date de naissance" in html
    assert "Date of birth" not in html


# --------------------------------------------------------------------------------------------------
# The catalogue itself


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # 0 for a singular msgstr, n for msgstr[n]
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> list[Entry]:
    """A deliberately small .po reader (no polib dependency): enough for makemessages' output.

    Obsolete entries (``#~``) and the header (empty msgid) are skipped.
    """
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None
    flags: set[str] = set()

    def finish() -> None:
        nonlocal current
        if current is not None and current.msgid:
            entries.append(current)
        current = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            finish()
            flags = {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            assert current is not None and target is not None, f"{path}:{number}: stray string"
            value = ast.literal_eval(line)
        else:
            value = ast.literal_eval(rest)
            if keyword == "msgctxt" or (keyword == "msgid" and (current is None or current.msgstr)):
                finish()
                current = Entry(flags=flags, line=number)
                flags = set()
            assert current is not None, f"{path}:{number}: {keyword} before msgid"
            if keyword == "msgctxt":
                target = ("msgctxt", None)
                current.msgctxt = value
                continue
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if keyword in ("msgid", "msgid_plural"):
                target = (keyword, None)
            elif keyword == "msgstr":
                target = ("msgstr", 0)
            elif match:
                target = ("msgstr", int(match.group(1)))
            else:
                raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
            if target[0] == "msgstr":
                current.msgstr.setdefault(target[1], "")
            elif target[0] == "msgid_plural":
                current.msgid_plural = ""
        name, index = target
        if name == "msgid":
            current.msgid += value
        elif name == "msgid_plural":
            current.msgid_plural += value
        elif name == "msgstr":
            current.msgstr[index] += value
    finish()
    return entries


PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%[sdif]")


def describe(entry: Entry) -> str:
    return f"{PO_FILE.name}:{entry.line}: {entry.msgid!r}"


def check_catalogue(entries: list[Entry]) -> list[str]:
    problems: list[str] = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {describe(entry)}")
        if not entry.msgstr or any(not text.strip() for text in entry.msgstr.values()):
            problems.append(f"untranslated: {describe(entry)}")
            continue
        if entry.msgid_plural is not None and sorted(entry.msgstr) != [0, 1]:
            problems.append(f"plural forms must be msgstr[0] and msgstr[1]: {describe(entry)}")
        if "python-format" in entry.flags:
            wanted = sorted(set(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid)))
            for text in entry.msgstr.values():
                if sorted(set(PLACEHOLDER.findall(text))) != wanted:
                    problems.append(f"placeholders differ ({text!r}): {describe(entry)}")
    return problems


def test_po_parser_sees_fuzzy_and_untranslated_entries(tmp_path):  # noqa: ANN001
    sample = tmp_path / "sample.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\nmsgid "Bonjour"\nmsgstr "Hello"\n\n'
        '#: a.py:2\n#, fuzzy\nmsgid "Au revoir"\nmsgstr "Goodbye"\n\n'
        '#: a.py:3\nmsgid ""\n"Deux "\n"lignes"\nmsgstr ""\n\n'
        '#: a.py:4\n#, python-format\nmsgid "%(n)s jour"\nmsgid_plural "%(n)s jours"\nmsgstr[0] "%(n)s day"\nmsgstr[1] ""\n\n'
        '#~ msgid "Ancien"\n#~ msgstr ""\n',
        encoding="utf-8",
    )

    entries = parse_po(sample)

    assert [e.msgid for e in entries] == ["Bonjour", "Au revoir", "Deux lignes", "%(n)s jour"]
    assert entries[3].msgid_plural == "%(n)s jours"
    problems = check_catalogue(entries)
    assert len(problems) == 3
    assert any(p.startswith("fuzzy") and "Au revoir" in p for p in problems)
    assert any(p.startswith("untranslated") and "Deux lignes" in p for p in problems)
    assert any(p.startswith("untranslated") and "%(n)s jour" in p for p in problems)


def test_english_catalogue_is_complete():
    assert PO_FILE.exists(), f"{PO_FILE} is missing: run makemessages -l en"
    entries = parse_po(PO_FILE)

    assert len(entries) > 300
    assert check_catalogue(entries) == []
    header = PO_FILE.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "#, fuzzy" not in header, (
        "the header is still marked fuzzy: Django would ignore the file"
    )
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header


def test_compiled_catalogue_matches_po():
    """The committed .mo must be compiled from the current .po (run compilemessages)."""
    assert MO_FILE.exists(), f"{MO_FILE} is missing: run compilemessages"
    with MO_FILE.open("rb") as fp:
        catalogue = gettext.GNUTranslations(fp)

    stale = []
    for entry in parse_po(PO_FILE):
        if entry.msgctxt is not None:
            if catalogue.pgettext(entry.msgctxt, entry.msgid) != entry.msgstr[0]:
                stale.append(entry.msgid)
        elif entry.msgid_plural is None:
            if catalogue.gettext(entry.msgid) != entry.msgstr[0]:
                stale.append(entry.msgid)
        elif (
            catalogue.ngettext(entry.msgid, entry.msgid_plural, 1),
            catalogue.ngettext(entry.msgid, entry.msgid_plural, 2),
        ) != (entry.msgstr[0], entry.msgstr[1]):
            stale.append(entry.msgid)
    assert stale == [], "django.mo is out of date, run compilemessages: " + repr(stale[:5])


@pytest.mark.skipif(
    (shutil.which("xgettext") is None or shutil.which("msgmerge") is None) and os.environ.get("REQUIRE_SERVICES") != "1",
    reason="GNU gettext is not installed (CI installs it and never skips this test)",
)
def test_every_marked_string_is_in_the_catalogue(tmp_path):  # noqa: ANN001
    """Re-run makemessages on a copy of the source tree: a string marked for translation since the
    catalogue was last updated shows up as an untranslated entry and fails this test."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(
        root,
        copy,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            *MAKEMESSAGES_IGNORES, ".git", "node_modules", "__pycache__", "*.sqlite3", "*.mo"
        ),
    )
    env = {**os.environ, "DEBUG": "1"}
    env.setdefault("SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789abcdef")
    # -e: the e-mail templates are .txt files, which makemessages skips by default.
    command = [sys.executable, "manage.py", "makemessages", "-l", "en", "-e", "html,txt,py", "--no-obsolete"]
    command += [f"--ignore={name}" for name in MAKEMESSAGES_IGNORES]
    result = subprocess.run(
        command, cwd=copy, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr

    entries = parse_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    problems = check_catalogue(entries)
    assert problems == [], (
        "Strings marked for translation are missing from locale/en/LC_MESSAGES/django.po; run makemessages, "
        "translate them, then compilemessages:\n" + "\n".join(problems)
    )


# --------------------------------------------------------------------------------------------------
# No label of the other language: the key pages, rendered in French then in English, scanned for
# the interface words of the other one (visible text, and the labels screen readers read).

ENGLISH_LABELS = ["Sign In", "Sign in", "Sign Up", "Sign up", "Sign Out", "Password", "Email", "Remember Me",
                  "Forgot", "Submit", "Save", "Cancel", "Search", "Next", "Previous", "Dashboard", "Settings",
                  "Log in", "Log out", "This field", "Loading", "Back", "Choose", "Select", "---------"]
FRENCH_LABELS = ["Connexion", "Se connecter", "Se déconnecter", "Mot de passe", "Rechercher", "Enregistrer", "Annuler",
                 "Valider", "Envoyer", "Tableau de bord", "Accueil", "Inscription", "Retour", "Suivant", "Choisir",
                 "Politique de confidentialité", "Accessibilité", "Aller au contenu", "Menu principal", "Adresse e-mail"]


class _Labels(HTMLParser):
    """Visible text and the attributes read aloud (aria-label, title, alt, placeholder, value of buttons)."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag in ("script", "style", "title"):
            self._skip += 1
        attrs = dict(attrs)
        for name in ("aria-label", "title", "alt", "placeholder"):
            if attrs.get(name):
                self.chunks.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.chunks.append(attrs["value"])

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag in ("script", "style", "title") and self._skip:
            self._skip -= 1

    def handle_data(self, data):  # noqa: ANN001
        if not self._skip:
            self.chunks.append(data)


def interface_text(html: str) -> str:
    parser = _Labels()
    parser.feed(html)
    return " ".join(" ".join(parser.chunks).split())


def labels_of_other_language(html: str, labels: list[str]) -> list[str]:
    text = interface_text(html)
    return [label for label in labels if re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", text)]


def key_pages_rendered(client, language: str) -> dict[str, str]:  # noqa: ANN001
    from datetime import date

    from binomes.models import Binome
    from tests.matching.conftest import vetted

    association = factories.AssociationFactory(slug="proxi-bobigny", name="Proxi Bobigny")
    alice = factories.coordinator(association, email="alice@asso.example.org", language=language)
    mentor = vetted(association=association, user=factories.UserFactory(first_name="Yanis"))
    mentee = factories.mentee(association=association, status="validated", user=factories.UserFactory(first_name="Inès", language=language))
    binome = Binome.objects.create(association=association, mentor=mentor, mentee=mentee, started_on=date(2026, 9, 1), planned_end_on=date(2027, 3, 1))
    coord = f"/coordination/{association.slug}"
    pages = {}
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    for url in ("/", "/comptes/login/", "/comptes/signup/", "/comptes/password/reset/", "/accessibilite/",
                f"/a/{association.slug}/", f"/a/{association.slug}/inscription/mentore/", "/associations/inscription/"):
        pages[url] = page(client.get(url, **headers))
    client.force_login(alice)
    for url in (f"{coord}/participants/", f"{coord}/appariement/", f"{coord}/propositions/", f"{coord}/binomes/",
                f"{coord}/binomes/{binome.pk}/", f"{coord}/tableau-de-bord/", f"{coord}/equipe/"):
        pages[url] = page(client.get(url, **headers))
    client.force_login(mentee.membership.user)
    for url in ("/mon-espace/", f"/mon-espace/binomes/{binome.pk}/"):
        pages[url] = page(client.get(url, **headers))
    return pages


@pytest.mark.django_db
def test_french_pages_show_no_english_label(client):  # noqa: ANN001
    found = {url: labels for url, html in key_pages_rendered(client, "fr").items()
             if (labels := labels_of_other_language(html, ENGLISH_LABELS))}

    assert found == {}


@pytest.mark.django_db
def test_english_pages_show_no_french_label(client):  # noqa: ANN001
    # Fails while the English catalogue lacks a string that these pages show (see the module's
    # docstring: translate the new entries, compile).
    found = {url: labels for url, html in key_pages_rendered(client, "en").items()
             if (labels := labels_of_other_language(html, FRENCH_LABELS))}

    assert found == {}
