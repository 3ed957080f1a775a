"""Match runs, proposals (with their plain-French explanation) and the settings of a programme."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.common import MAX_ID, CommuneSerializer
from associations.models import (
    MENTEE_AGE_CEILING,
    MENTEE_AGE_FLOOR,
    MENTOR_AGE_CEILING,
    MENTOR_AGE_FLOOR,
    Association,
)
from matching.explanations import criteria_rows, explanation_lines, unmatched_line
from matching.models import MatchingSettings, MatchRun, Proposal, UnmatchedMentee


class MatchRunSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    programme = serializers.SlugField(source="programme.slug", read_only=True, help_text="Le programme dont le vivier est apparié.")
    status = serializers.ChoiceField(choices=MatchRun.Status.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    is_active = serializers.BooleanField(read_only=True, help_text="En file d'attente ou en cours : continuez d'interroger.")
    trigger = serializers.CharField(read_only=True, help_text="manual, periodic ou retry.")
    retry_of = serializers.IntegerField(source="retry_of_id", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    started_at = serializers.DateTimeField(read_only=True, allow_null=True)
    finished_at = serializers.DateTimeField(read_only=True, allow_null=True)
    duration_seconds = serializers.FloatField(read_only=True, allow_null=True)
    stage = serializers.CharField(read_only=True)
    progress = serializers.IntegerField(read_only=True, help_text="Pourcentage, de 0 à 100.")
    n_mentees = serializers.IntegerField(read_only=True)
    n_mentors = serializers.IntegerField(read_only=True)
    capacity_total = serializers.IntegerField(read_only=True)
    n_proposals = serializers.IntegerField(read_only=True)
    quality = serializers.DictField(read_only=True, help_text="Objectif, borne, écart, méthode et durées du calcul.")
    report = serializers.DictField(
        read_only=True,
        help_text=("Compte rendu : `remote` (part des binômes à distance, quartiles et médiane de leur distance en km), "
                   "`equity` (taux de proposition du vivier et des groupes : qpv, boursier, minor, waiting_q1…q4), "
                   "`unmatched` (nombre de mentoré·es sans proposition par raison)."),
    )
    error = serializers.CharField(read_only=True)


class MatchRunCreateSerializer(serializers.Serializer):
    programme = serializers.SlugField(
        required=False, max_length=80, allow_blank=True, default="",
        help_text=("L'adresse courte du programme à apparier. Par défaut : le programme par défaut de l'association, "
                   "ou le premier de mes programmes si je n'y ai pas accès. Un programme inconnu ou que je ne vois pas : 404."),
    )


class ProgrammeChoiceSerializer(serializers.Serializer):
    programme = serializers.SlugField(
        required=False, max_length=80, allow_blank=True, default="",
        help_text=("L'adresse courte du programme dont on lit ou modifie les réglages (chaque programme a les siens). "
                   "Par défaut : le programme par défaut de l'association, ou le premier de mes programmes. "
                   "Un programme inconnu ou que je ne vois pas : 404."),
    )


class ProposedPersonSerializer(serializers.Serializer):
    """A person in a proposal, as the coordinator sees them on the proposals page."""

    id = serializers.IntegerField(read_only=True)
    first_name = serializers.CharField(source="membership.user.first_name", read_only=True)
    last_name = serializers.CharField(source="membership.user.last_name", read_only=True)
    age = serializers.IntegerField(read_only=True)
    commune = CommuneSerializer(read_only=True)


class UnmatchedMenteeSerializer(serializers.Serializer):
    """A mentee of the run's pool who got no proposal, and why (coordinators only)."""

    mentee = ProposedPersonSerializer(read_only=True)
    kind = serializers.ChoiceField(choices=UnmatchedMentee.Kind.choices, read_only=True,
                                   help_text="no_mentor, no_admissible, all_taken ou not_retained.")
    constraint = serializers.CharField(read_only=True, help_text="Pour no_admissible : la règle qui a écarté le plus de mentors.")
    n_possible = serializers.IntegerField(read_only=True, help_text="Mentors admissibles.")
    reason = serializers.SerializerMethodField(help_text="La raison, en une phrase.")
    details = serializers.DictField(read_only=True, help_text="Mentors écartés par règle (removed, sole), le plus proche compatible (nearest_km).")

    def get_reason(self, unmatched: UnmatchedMentee) -> str:
        return unmatched_line(kind=unmatched.kind, constraint=unmatched.constraint, n_possible=unmatched.n_possible,
                              details=unmatched.details)


class CriterionSerializer(serializers.Serializer):
    label = serializers.CharField(read_only=True)
    percent = serializers.IntegerField(read_only=True)


class ProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    run = serializers.IntegerField(source="run_id", read_only=True)
    status = serializers.ChoiceField(choices=Proposal.Status.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    score = serializers.FloatField(read_only=True)
    mentee = ProposedPersonSerializer(read_only=True)
    mentor = ProposedPersonSerializer(read_only=True)
    explanation = serializers.SerializerMethodField(help_text="Pourquoi ces deux personnes, en phrases simples.")
    criteria = serializers.SerializerMethodField(help_text="Chaque critère, en pourcentage.")
    created_at = serializers.DateTimeField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    rejection_reason = serializers.CharField(read_only=True)

    def get_explanation(self, proposal: Proposal) -> list[str]:
        return explanation_lines(proposal.breakdown)

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, proposal: Proposal) -> list[dict]:
        return [{"label": label, "percent": percent} for label, percent in criteria_rows(proposal.breakdown)]


class ProposalFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(required=False, choices=Proposal.Status.choices, default=Proposal.Status.PROPOSED)
    min_score = serializers.FloatField(required=False, min_value=0, max_value=1, allow_null=True, default=None)
    minors = serializers.BooleanField(required=False, default=False, help_text="Mentoré·es mineur·es seulement.")
    q = serializers.CharField(required=False, max_length=100, allow_blank=True, default="")
    programme = serializers.SlugField(required=False, max_length=80, default="", help_text="L'adresse courte d'un programme (tous ceux que je vois sinon).")


class BulkDecisionSerializer(serializers.Serializer):
    proposals = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1, max_length=200)
    action = serializers.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    reason = serializers.CharField(required=False, max_length=1000, allow_blank=True, default="",
                                   help_text="Obligatoire pour un refus.")


class BulkErrorSerializer(serializers.Serializer):
    proposal = serializers.IntegerField()
    detail = serializers.CharField()


class BulkOutcomeSerializer(serializers.Serializer):
    done = serializers.ListField(child=serializers.IntegerField(), help_text="Propositions traitées.")
    errors = BulkErrorSerializer(many=True, help_text="Celles qui n'ont pas pu l'être, avec la raison.")


class MatchingSettingsSerializer(serializers.Serializer):
    programme = serializers.SlugField(source="programme.slug", read_only=True, help_text="Le programme de ces réglages.")
    weight_generational = serializers.FloatField(min_value=0, max_value=10)
    weight_social = serializers.FloatField(min_value=0, max_value=10)
    weight_goals = serializers.FloatField(min_value=0, max_value=10)
    weight_geography = serializers.FloatField(min_value=0, max_value=10)
    weight_availability = serializers.FloatField(min_value=0, max_value=10)
    ideal_age_gap = serializers.IntegerField(min_value=0, max_value=30)
    min_age_gap = serializers.IntegerField(min_value=0, max_value=30)
    max_age_gap = serializers.IntegerField(min_value=0, max_value=30)
    max_distance_km = serializers.IntegerField(min_value=1, max_value=500)
    allow_minor_mentors_for_minors = serializers.BooleanField()
    periodic_runs = serializers.BooleanField()
    proximity_first = serializers.BooleanField(
        help_text="Privilégier les binômes proches qui peuvent se voir en personne ; un binôme à distance vient en second.")
    priority_strength = serializers.ChoiceField(
        choices=MatchingSettings.PriorityStrength.choices,
        help_text="Priorité aux mentoré·es qui attendent longtemps ou viennent d'un QPV / sont boursier·es : off, normal ou strong.")
    allow_shorter_pairs = serializers.BooleanField(
        help_text="Proposer un mentor disponible moins longtemps que la durée du programme (la proposition le signale).")
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True,
                                           help_text="Vide tant que les réglages du programme n'ont jamais été modifiés.")


class ProgrammeSerializer(serializers.Serializer):
    """The association and its programme settings (only these can be changed here)."""

    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=Association.Status.choices, read_only=True)
    programme_duration_months = serializers.IntegerField(min_value=1, max_value=36)
    mentee_min_age = serializers.IntegerField(min_value=MENTEE_AGE_FLOOR, max_value=MENTEE_AGE_CEILING)
    mentee_max_age = serializers.IntegerField(min_value=MENTEE_AGE_FLOOR, max_value=MENTEE_AGE_CEILING)
    mentor_min_age = serializers.IntegerField(min_value=MENTOR_AGE_FLOOR, max_value=MENTOR_AGE_CEILING)
    mentor_max_age = serializers.IntegerField(min_value=MENTOR_AGE_FLOOR, max_value=MENTOR_AGE_CEILING)
    hold_flagged_messages = serializers.BooleanField(
        help_text="Retenir tout texte écrit pour l'autre membre (message, profil, note de rencontre) où des coordonnées sont détectées, jusqu'à sa relecture.")
