"""Fixed lists collected at sign-up. Codes are stored; labels are shown (French by default).

The matching engine reads these through ``participants.pool`` (later) as ordinals and bitmasks, so
the order of GOALS, SLOTS and LANGUAGES must never change: append only.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "female", _("Femme")
    MALE = "male", _("Homme")
    OTHER = "other", _("Autre")


class Education(models.TextChoices):
    COLLEGE = "college", _("Collège")
    LYCEE_GENERAL = "lycee_general", _("Lycée général ou technologique")
    LYCEE_PRO = "lycee_pro", _("Lycée professionnel, CAP")
    BAC_1_2 = "bac_1_2", _("Bac +1 / +2 (BTS, BUT, prépa, licence 1–2)")
    BAC_3 = "bac_3", _("Bac +3 (licence, bachelor)")
    BAC_5 = "bac_5", _("Bac +4 / +5 (master, école)")
    DOCTORAT = "doctorat", _("Doctorat")
    EMPLOI = "emploi", _("En emploi")
    RECHERCHE = "recherche", _("En recherche d'emploi ou de formation")


# Position on the study track, used for "a step or two ahead" (generational proximity).
EDUCATION_STAGE = {
    Education.COLLEGE: 0,
    Education.LYCEE_GENERAL: 1,
    Education.LYCEE_PRO: 1,
    Education.BAC_1_2: 2,
    Education.BAC_3: 3,
    Education.BAC_5: 4,
    Education.DOCTORAT: 5,
    Education.EMPLOI: 4,
    Education.RECHERCHE: 2,
}


class Field(models.TextChoices):
    UNDECIDED = "undecided", _("Pas encore décidé")
    SCIENCES = "sciences", _("Sciences, ingénierie")
    NUMERIQUE = "numerique", _("Informatique, numérique")
    SANTE = "sante", _("Santé, paramédical")
    DROIT_ECO = "droit_eco", _("Droit, économie, gestion")
    COMMERCE = "commerce", _("Commerce, vente, marketing")
    LETTRES = "lettres", _("Lettres, langues, sciences humaines")
    POLITIQUE = "politique", _("Sciences politiques, journalisme")
    ARTS = "arts", _("Arts, design, culture")
    SOCIAL = "social", _("Social, éducation, animation")
    INDUSTRIE = "industrie", _("Industrie, BTP, artisanat")
    SPORT = "sport", _("Sport")
    AUTRE = "autre", _("Autre")


class PCS(models.TextChoices):
    """Parents' socio-professional group (INSEE PCS 2020, groupes)."""

    AGRICULTEURS = "1", _("Agriculteurs exploitants")
    ARTISANS = "2", _("Artisans, commerçants, chefs d'entreprise")
    CADRES = "3", _("Cadres, professions intellectuelles supérieures")
    INTERMEDIAIRES = "4", _("Professions intermédiaires")
    EMPLOYES = "5", _("Employés")
    OUVRIERS = "6", _("Ouvriers")
    RETRAITES = "7", _("Retraités")
    SANS_ACTIVITE = "8", _("Sans activité professionnelle")
    UNKNOWN = "0", _("Je ne sais pas / je préfère ne pas dire")


class Goal(models.TextChoices):
    ORIENTATION = "orientation", _("Orientation, choix d'études")
    STAGE = "stage", _("Trouver un stage ou une alternance")
    EMPLOI = "emploi", _("Trouver un emploi")
    CONFIANCE = "confiance", _("Confiance en soi")
    RESEAU = "reseau", _("Se faire un réseau")
    CODES = "codes", _("Comprendre les codes (école, entreprise)")
    METHODES = "methodes", _("Méthodes de travail")


GOAL_ORDER = [g.value for g in Goal]


class Slot(models.TextChoices):
    WEEKDAY_DAY = "weekday_day", _("En semaine, en journée")
    WEEKDAY_EVENING = "weekday_evening", _("En semaine, en soirée")
    WEDNESDAY_AFTERNOON = "wednesday_afternoon", _("Mercredi après-midi")
    SATURDAY = "saturday", _("Samedi")
    SUNDAY = "sunday", _("Dimanche")
    HOLIDAYS = "holidays", _("Pendant les vacances scolaires")


SLOT_ORDER = [s.value for s in Slot]


class Language(models.TextChoices):
    FR = "fr", _("Français")
    EN = "en", _("Anglais")
    AR = "ar", _("Arabe")
    ES = "es", _("Espagnol")
    PT = "pt", _("Portugais")
    TR = "tr", _("Turc")
    ZH = "zh", _("Chinois")
    RO = "ro", _("Roumain")
    WO = "wo", _("Wolof")
    BM = "bm", _("Bambara")
    TA = "ta", _("Tamoul")
    RU = "ru", _("Russe")
    UK = "uk", _("Ukrainien")
    DE = "de", _("Allemand")
    IT = "it", _("Italien")


LANGUAGE_ORDER = [lang.value for lang in Language]


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("En personne")
    REMOTE = "remote", _("À distance")
    BOTH = "both", _("Les deux me conviennent")


class AvailabilityEnd(models.TextChoices):
    """Why a mentor is available only until a date (issue 13)."""

    INTERNSHIP_ABROAD = "abroad", _("Stage ou études à l'étranger")
    EXAM = "exam", _("Préparation d'un concours")
    MOVING = "moving", _("Déménagement")
    OTHER = "other", _("Autre raison")
