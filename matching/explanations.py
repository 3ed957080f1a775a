"""A proposal's breakdown in plain French: why these two were paired."""

from __future__ import annotations

from typing import Any

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
    years = round(value)
    return ngettext("%(n)s an", "%(n)s ans", years) % {"n": years}


def explanation_lines(breakdown: dict[str, Any]) -> list[str]:
    """Sentences a coordinator reads next to the two profiles, most telling first."""
    facts = breakdown.get("facts") or {}
    lines: list[str] = []
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
    if facts.get("same_commune"):
        lines.append(_("même commune"))
    elif facts.get("distance_km") is not None and facts.get("meeting") != "remote":
        lines.append(_("%(km)s km l'un de l'autre") % {"km": round(facts["distance_km"])})
    if facts.get("meeting") == "remote":
        lines.append(_("rencontres à distance"))
    slots = [_slot_label(s) for s in facts.get("shared_slots") or []]
    if slots:
        lines.append(_("disponibles tous les deux : %(slots)s") % {"slots": ", ".join(slots).lower()})
    else:
        lines.append(_("aucun créneau de disponibilité en commun"))
    return lines


# What a member may read about why they were paired: age gap and study path, shared goals and path,
# distance, common availability. Social background (QPV, boursier, first generation, parents' PCS)
# and the per-criterion scores stay for the coordinators: the sign-up form promises that only the
# team sees them. An allow-list, so a fact added to the engine later stays hidden until chosen here.
MEMBER_FACTS = frozenset({
    "age_gap_years", "education_steps_ahead", "same_field", "shared_goals", "shared_terms", "same_commune",
    "distance_km", "meeting", "shared_slots",
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
    return [(str(label), round(100 * float(criteria.get(key, 0.0)))) for key, label in CRITERIA_LABELS.items()]
