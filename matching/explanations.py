"""A proposal's breakdown in plain French: why these two were paired."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from matching.engine import SLOTS
from participants import choices

CRITERIA_LABELS = {
    "generational": gettext_lazy("Proximité générationnelle"),
    "social": gettext_lazy("Proximité sociale"),
    "goals": gettext_lazy("Objectifs"),
    "geography": gettext_lazy("Géographie"),
    "availability": gettext_lazy("Disponibilités"),
}
_GOAL_LABELS = dict(choices.Goal.choices)
# The engine names availability slots by their bit; the bit order is participants.choices.SLOT_ORDER.
_ENGINE_SLOTS = SLOTS


def _slot_label(engine_name: str) -> str:
    if engine_name in _ENGINE_SLOTS:
        index = _ENGINE_SLOTS.index(engine_name)
        if index < len(choices.SLOT_ORDER):
            return str(dict(choices.Slot.choices)[choices.SLOT_ORDER[index]])
    return engine_name


def _years(value: float) -> str:
    # Whole years, as people count them: a gap of 6 years and a half is "6 ans" (new proposals
    # store whole years from the birth dates; older ones stored a decimal, floored here alike).
    years = math.floor(value + 1e-6)
    return ngettext("%(n)s an", "%(n)s ans", years) % {"n": years}


def _km(facts: dict[str, Any]) -> str:
    km = round(facts["distance_km"])
    if facts.get("distance_estimated"):
        return _("environ %(km)s km l'un de l'autre") % {"km": km}
    return _("%(km)s km l'un de l'autre") % {"km": km}


def horizon_sentence(until: date, months: int) -> str:
    """The mentor cannot stay for the whole programme (issue 13): the proposal's first line, and
    the reason a one-person run gives when the association does not allow shorter pairs."""
    return ngettext(
        "disponible jusqu'au %(date)s : binôme plus court que le mois du programme",
        "disponible jusqu'au %(date)s : binôme plus court que les %(n)s mois du programme", months,
    ) % {"date": date_format(until, "j F Y"), "n": months}


def explanation_lines(breakdown: dict[str, Any]) -> list[str]:
    """Sentences a coordinator reads next to the two profiles, most telling first."""
    facts = breakdown.get("facts") or {}
    lines: list[str] = []
    horizon = facts.get("short_horizon")
    if horizon:
        lines.append(horizon_sentence(date.fromisoformat(horizon["until"]), int(horizon["months"])))
    if facts.get("age_gap_years") is not None:
        line = _("écart d'âge : %(gap)s") % {"gap": _years(facts["age_gap_years"])}
        steps = facts.get("education_steps_ahead")
        if steps and steps > 0:
            line += " · " + ngettext("une étape d'études d'avance", "%(n)s étapes d'études d'avance", steps) % {"n": steps}
        if facts.get("same_field"):
            line += " · " + _("même domaine")
        lines.append(line)
    background = set(facts.get("shared_background") or [])
    if "boursier" in background:
        lines.append(_("tous deux boursiers"))
    if "qpv" in background:
        lines.append(_("tous deux habitants d'un quartier prioritaire (QPV)"))
    if "first_generation" in background:
        lines.append(_("tous deux première génération dans l'enseignement supérieur"))
    if facts.get("pcs") == "same":
        lines.append(_("parents de la même catégorie professionnelle"))
    elif facts.get("pcs") == "adjacent":
        lines.append(_("parents de catégories professionnelles proches"))
    goals = [str(_GOAL_LABELS.get(g, g)) for g in facts.get("shared_goals") or []]
    if goals:
        lines.append(_("objectif ↔ peut aider : %(goals)s") % {"goals": ", ".join(goals)})
    terms = facts.get("shared_terms") or []
    if terms:
        lines.append(_("projet ↔ parcours : %(terms)s") % {"terms": ", ".join(terms)})
    lines += custom_lines(facts.get("custom") or [])
    meeting, known = facts.get("meeting"), facts.get("distance_km") is not None
    far = known and facts.get("beyond_in_person_km", False)
    if meeting == "remote":
        # Said first and plainly: these two will not meet in person; how far apart when far.
        lines.append(_("rencontres à distance") + (" · " + _km(facts) if far else ""))
    elif facts.get("same_commune"):
        lines.append(_("même commune"))
    elif known and meeting == "either" and far:
        lines.append(_km(facts) + " · " + _("rencontres plutôt à distance"))
    elif known:
        lines.append(_km(facts))
    slots = [_slot_label(s) for s in facts.get("shared_slots") or []]
    if slots:
        lines.append(_("disponibles tous les deux : %(slots)s") % {"slots": ", ".join(slots).lower()})
    else:
        lines.append(_("aucun créneau de disponibilité en commun"))
    return lines


def custom_lines(custom: list[dict[str, Any]]) -> list[str]:
    """The programme's questions used by matching (``services._facts_from_profiles``): a line per
    question both answered. Coordinators only (not in MEMBER_FACTS: members never read each
    other's answers)."""
    lines = []
    for fact in custom:
        if fact.get("match") is None:
            continue
        values = {"question": fact.get("label", ""), "mentee": fact.get("mentee"), "mentor": fact.get("mentor")}
        if not fact["match"]:
            lines.append(_("réponses différentes à « %(question)s » : %(mentee)s ↔ %(mentor)s") % values)
        elif fact.get("criterion") == "same_answer":
            lines.append(_("même réponse à « %(question)s » : %(mentee)s") % values)
        else:
            lines.append(_("réponses compatibles à « %(question)s » : %(mentee)s ↔ %(mentor)s") % values)
    return lines


# What a member may read about why they were paired: age gap and study path, shared goals and path,
# distance, common availability. Social background (QPV, boursier, first generation, parents' PCS)
# and the per-criterion scores stay for the coordinators: the sign-up form promises that only the
# team sees them. An allow-list, so a fact added to the engine later stays hidden until chosen here.
MEMBER_FACTS = frozenset({
    "age_gap_years", "education_steps_ahead", "same_field", "shared_goals", "shared_terms", "same_commune",
    "distance_km", "meeting", "shared_slots", "beyond_in_person_km", "distance_estimated", "short_horizon",
})


def member_breakdown(breakdown: dict[str, Any]) -> dict[str, Any]:
    """The one filter between a proposal's breakdown and anything a member sees (page, API, e-mail)."""
    facts = breakdown.get("facts") or {}
    return {"facts": {key: value for key, value in facts.items() if key in MEMBER_FACTS}}


def member_explanation_lines(breakdown: dict[str, Any]) -> list[str]:
    """"Pourquoi vous avez été associés", as the two members read it."""
    return explanation_lines(member_breakdown(breakdown))


def criteria_rows(breakdown: dict[str, Any]) -> list[tuple[str, int]]:
    """(label, percent) for each criterion, in a fixed order."""
    criteria = breakdown.get("criteria") or {}
    rows = [(str(label), round(100 * float(criteria.get(key, 0.0)))) for key, label in CRITERIA_LABELS.items()]
    # then the programme's questions used by matching, under their own label (coordinators only)
    for c, fact in enumerate((breakdown.get("facts") or {}).get("custom") or []):
        rows.append((str(fact.get("label", "")), round(100 * float(criteria.get(f"custom_{c}", 0.5)))))
    return rows


# --- Mentees without a proposal -----------------------------------------------------------------
# The engine (matching.engine.unmatched) says which rule removed every mentor; these are the words
# a coordinator reads on the run and on the participant's page (never shown to members).
CONSTRAINT_LABELS = {
    "mentor_not_older": gettext_lazy("mentor pas plus âgé"),
    "age_gap": gettext_lazy("écart d'âge hors des limites"),
    "vetting": gettext_lazy("attestation d'honorabilité non vérifiée"),
    "minor_mentor": gettext_lazy("mentor mineur"),
    "language": gettext_lazy("aucune langue commune"),
    "format": gettext_lazy("format de rencontre incompatible"),
    "distance": gettext_lazy("trop loin pour se voir en personne"),
    "gender": gettext_lazy("genre demandé"),
    "excluded": gettext_lazy("binôme déjà refusé ou arrêté"),
}


#: the same rules as one sentence about one pair (the alternatives and the mentor swap say why a
#: pair may not exist)
CONSTRAINT_SENTENCES = {
    "mentor_not_older": gettext_lazy("le ou la mentor n'est pas plus âgé·e que la personne accompagnée"),
    "age_gap": gettext_lazy("l'écart d'âge sort des bornes réglées par l'association"),
    "vetting": gettext_lazy("mentoré·e mineur·e et attestation d'honorabilité du mentor non valide"),
    "minor_mentor": gettext_lazy("mentoré·e et mentor tous deux mineurs, ce que l'association n'autorise pas"),
    "language": gettext_lazy("aucune langue en commun"),
    "format": gettext_lazy("l'un ne se voit qu'en personne, l'autre qu'à distance"),
    "distance": gettext_lazy("trop loin pour se voir en personne"),
    "gender": gettext_lazy("l'un ou l'autre a demandé un binôme du même genre"),
    "excluded": gettext_lazy("ce binôme a déjà été refusé ou s'est arrêté avant la fin"),
}


def _no_admissible_line(constraint: str, details: dict[str, Any]) -> str:
    km = round(float(details.get("max_distance_km") or 30))
    nearest = details.get("nearest_km")
    if constraint == "vetting_distance":
        return _("aucun mentor vérifié à moins de %(km)s km") % {"km": km}
    if constraint == "distance":
        line = _("aucun mentor à moins de %(km)s km, et les rencontres ne peuvent se faire qu'en personne") % {"km": km}
        if nearest is not None:
            line += " " + _("(le plus proche des mentors compatibles est à %(near)s km)") % {"near": round(nearest)}
        return line
    return {
        "vetting": _("aucun mentor à l'attestation d'honorabilité vérifiée, obligatoire pour un·e mineur·e"),
        "language": _("aucune langue commune avec les mentors disponibles"),
        "age_gap": _("aucun mentor dans l'écart d'âge permis par vos réglages"),
        "mentor_not_older": _("aucun mentor plus âgé"),
        "minor_mentor": _("seulement des mentors mineurs, que vos réglages n'autorisent pas pour un·e mineur·e"),
        "format": _("aucun mentor au format de rencontre compatible (en personne ou à distance)"),
        "gender": _("aucun mentor du genre demandé"),
        "excluded": _("les seuls mentors possibles ont déjà été refusés ou ont arrêté un binôme avec cette personne"),
    }.get(constraint, _("aucun mentor admissible"))


def unmatched_line(*, kind: str, constraint: str = "", n_possible: int = 0, details: dict[str, Any] | None = None) -> str:
    """Why a mentee got no proposal, in one plain French sentence."""
    details = details or {}
    if kind == "no_mentor":
        return _("aucun mentor n'a de place dans le vivier")
    if kind == "no_admissible":
        return _no_admissible_line(constraint, details)
    if kind == "all_taken":
        return ngettext(
            "%(n)s mentor possible, attribué à un·e mentoré·e au score ou à la priorité plus élevés",
            "%(n)s mentors possibles, tous attribués à des mentoré·es au score ou à la priorité plus élevés",
            n_possible,
        ) % {"n": n_possible}
    free = int(details.get("n_free") or 0)
    return ngettext(
        "%(n)s mentor possible, dont %(free)s encore libre, non retenu par le calcul : relancez l'appariement",
        "%(n)s mentors possibles, dont %(free)s encore libres, non retenus par le calcul : relancez l'appariement",
        n_possible,
    ) % {"n": n_possible, "free": free}


def unmatched_detail(details: dict[str, Any], limit: int = 3) -> str:
    """The rules that rule out the most mentors, with how many: "trop loin … (12), …"."""
    removed = details.get("removed") or {}
    top = sorted(removed.items(), key=lambda kv: -kv[1])[:limit]
    return ", ".join(f"{CONSTRAINT_LABELS.get(name, name)} ({count})" for name, count in top)


EQUITY_LABELS = {
    "pool": gettext_lazy("Tout le vivier"),
    "qpv": gettext_lazy("Habitant·es d'un QPV"),
    "boursier": gettext_lazy("Boursier·es"),
    "minor": gettext_lazy("Mineur·es"),
}


def equity_rows(equity: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's match rates as table rows (label, in pool, with a proposal, percent), the whole
    pool first so each group reads against it."""
    rows = []
    for group in ([equity["pool"]] if equity.get("pool") else []) + list(equity.get("groups") or []):
        key = group["key"]
        if key.startswith("waiting_q"):
            label = _("Attente, quart n° %(q)s (%(lo)s à %(hi)s jours)") % {
                "q": key[-1], "lo": group.get("min_days", "—"), "hi": group.get("max_days", "—")}
        else:
            label = str(EQUITY_LABELS.get(key, key))
        rate = group.get("rate")
        rows.append({"key": key, "label": label, "n_pool": group["n_pool"], "n_matched": group["n_matched"],
                     "percent": None if rate is None else round(100 * rate)})
    return rows
