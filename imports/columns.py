"""The columns an import understands, the headers that suggest them, and the values they accept.

Pure: no ORM. A header is compared folded (``geo.text.fold``: case, accents and punctuation
ignored), so "Prénom", "PRENOM" and "prénom :" all suggest ``first_name``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

from geo.text import fold
from participants import choices


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("email", _("Courriel"), ("courriel", "e mail", "email", "mail", "adresse e mail", "adresse mail", "adresse electronique",
                                    "courriel du jeune", "mel"), required=True),
    Column("last_name", _("Nom"), ("nom", "nom de famille", "nom du jeune", "last name", "nom usage"), required=True),
    Column("first_name", _("Prénom"), ("prenom", "prenoms", "first name", "prenom du jeune"), required=True),
    Column("role", _("Rôle (mentor ou mentoré·e)"), ("role", "mentor mentore", "mentor mentoré", "mentor ou mentore", "type",
                                                     "profil", "statut", "mentor mentee"), required=True),
    Column("birth_date", _("Date de naissance"), ("date de naissance", "naissance", "ne le", "ne e le", "date naissance",
                                                  "ddn", "birth date", "date of birth"), required=True),
    Column("commune", _("Commune"), ("commune", "ville", "commune de residence", "localite", "city")),
    Column("postal_code", _("Code postal"), ("code postal", "cp", "postal code", "code post")),
    Column("gender", _("Genre"), ("genre", "sexe", "gender")),
    Column("education", _("Niveau d'études ou situation"), ("niveau d etudes", "niveau", "niveau scolaire", "situation",
                                                              "classe", "etudes")),
    Column("field", _("Domaine"), ("domaine", "filiere", "secteur", "domaine d etudes")),
    Column("qpv_resident", _("Habite un QPV"), ("qpv", "quartier prioritaire", "habite un qpv")),
    Column("boursier", _("Boursier·e"), ("boursier", "boursiere", "boursier e", "bourse")),
    Column("capacity", _("Nombre de mentoré·es (mentors)"), ("capacite", "nombre de mentores", "nb mentores", "capacity")),
    Column("parent_name", _("Nom du parent"), ("nom du parent", "parent", "responsable legal", "nom parent", "tuteur",
                                               "nom du responsable legal", "representant legal")),
    Column("parent_email", _("Courriel du parent"), ("courriel parent", "courriel du parent", "e mail parent", "e mail du parent",
                                                     "email parent", "mail parent", "mail du parent", "courriel responsable legal")),
    Column("parent_phone", _("Téléphone du parent"), ("telephone parent", "telephone du parent", "tel parent", "tel du parent",
                                                      "portable parent", "telephone responsable legal")),
    Column("mentor_email", _("Binôme : courriel du mentor"), ("courriel du mentor", "email du mentor", "e mail du mentor",
                                                              "mail du mentor", "mentor", "binome", "courriel mentor")),
    Column("binome_started_on", _("Binôme : date de début"), ("debut du binome", "date de debut", "debut", "date debut binome",
                                                              "debut binome")),
)
BY_NAME = {c.name: c for c in COLUMNS}
REQUIRED = tuple(c.name for c in COLUMNS if c.required)
_SYNONYMS = {fold(s): c.name for c in COLUMNS for s in c.synonyms}


def header_key(header: str) -> str:
    return fold(header or "")


def suggest_mapping(headers: list[str], remembered: dict[str, str] | None = None) -> list[str]:
    """For each header, the column it most likely holds ("" for none): the association's last
    choice for that header first, then the synonyms. A column is suggested once (the first header)."""
    remembered = remembered or {}
    taken: set[str] = set()
    mapping = []
    for header in headers:
        key = header_key(header)
        name = remembered.get(key, "") if key in remembered else _SYNONYMS.get(key, "")
        if name not in BY_NAME or name in taken:
            name = ""
        if name:
            taken.add(name)
        mapping.append(name)
    return mapping


# --- values -----------------------------------------------------------------------------------

ROLE_VALUES = {
    "mentor": "mentor", "mentors": "mentor", "marraine": "mentor", "parrain": "mentor", "benevole": "mentor", "tuteur": "mentor",
    "mentore": "mentee", "mentoree": "mentee", "mentore e": "mentee", "mentores": "mentee", "mentee": "mentee", "filleul": "mentee",
    "filleule": "mentee", "jeune": "mentee", "accompagne": "mentee", "accompagnee": "mentee", "accompagne e": "mentee",
}
GENDER_VALUES = {"f": "female", "femme": "female", "feminin": "female", "fille": "female", "m": "male", "h": "male", "homme": "male",
                 "masculin": "male", "garcon": "male", "autre": "other", "non binaire": "other", "x": "other"}
YES = {"oui", "o", "x", "1", "vrai", "true", "yes", "y"}
NO = {"non", "n", "0", "faux", "false", "no", ""}


def _choice_values(text_choices: type) -> dict[str, str]:
    values = {}
    for value, label in text_choices.choices:
        values[fold(value)] = value
        values[fold(str(label))] = value
    return values


EDUCATION_VALUES = {**_choice_values(choices.Education), "lycee": "lycee_general", "seconde": "lycee_general", "premiere": "lycee_general",
                    "terminale": "lycee_general", "cap": "lycee_pro", "bac pro": "lycee_pro", "licence": "bac_3", "master": "bac_5",
                    "bts": "bac_1_2", "but": "bac_1_2", "college": "college", "3e": "college", "4e": "college", "6e": "college",
                    "5e": "college", "emploi": "emploi", "salarie": "emploi", "salariee": "emploi"}
FIELD_VALUES = _choice_values(choices.Field)

DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y", "%Y/%m/%d")


def parse_date(text: str) -> date | None:
    """A date as spreadsheets write them (30/09/2010, 2010-09-30, 30.09.2010; XLSX dates arrive
    as ISO text from the reader); ``None`` when unreadable. Two-digit years: 19xx beyond today's."""
    text = (text or "").strip()
    if " " in text:  # "2010-09-30 00:00:00" from a spreadsheet's date-time cell
        text = text.split(" ", 1)[0]
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
        if fmt.endswith("%y") and parsed > date.today():  # noqa: DTZ011 - only the century is decided here
            parsed = parsed.replace(year=parsed.year - 100)
        return parsed
    return None


def parse_bool(text: str) -> bool | None:
    key = fold(text or "")
    if key in YES:
        return True
    if key in NO:
        return False
    return None
