from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import Association
from participants.models import Participant

WEIGHT = [MinValueValidator(0), MaxValueValidator(10)]


class MatchingSettings(models.Model):
    """A programme's matching parameters; a snapshot is copied into every run of the programme.

    One row per programme (issue 12: each programme has its own settings). A programme without a
    row yet runs with the defaults below; read them through ``matching.selectors.settings_for``.
    ``association`` is the programme's (kept for the tenant filters; the service sets both).
    """

    class PriorityStrength(models.TextChoices):
        # the multiplier of the per-mentee priority (waiting time, priority background)
        OFF = "off", _("aucune (ordre d'arrivée et priorités ignorés)")
        NORMAL = "normal", _("normale")
        STRONG = "strong", _("forte")

    #: priority_strength -> MatchingParams.priority_strength
    PRIORITY_FACTORS = {"off": 0.0, "normal": 1.0, "strong": 2.0}

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    programme = models.OneToOneField("programmes.Programme", on_delete=models.CASCADE, related_name="matching_settings")
    weight_generational = models.FloatField(_("proximité générationnelle"), default=0.25, validators=WEIGHT)
    weight_social = models.FloatField(_("proximité sociale"), default=0.20, validators=WEIGHT)
    weight_goals = models.FloatField(_("objectifs"), default=0.25, validators=WEIGHT)
    weight_geography = models.FloatField(_("géographie"), default=0.15, validators=WEIGHT)
    weight_availability = models.FloatField(_("disponibilités"), default=0.15, validators=WEIGHT)
    ideal_age_gap = models.PositiveSmallIntegerField(_("écart d'âge idéal (ans)"), default=5)
    min_age_gap = models.PositiveSmallIntegerField(_("écart d'âge minimum (ans)"), default=1)
    max_age_gap = models.PositiveSmallIntegerField(_("écart d'âge maximum (ans)"), default=12)
    max_distance_km = models.PositiveSmallIntegerField(_("distance maximale pour se voir en personne (km)"), default=30)
    allow_minor_mentors_for_minors = models.BooleanField(_("des mentors mineurs peuvent accompagner des mineurs"), default=False)
    periodic_runs = models.BooleanField(_("lancer un appariement automatiquement chaque nuit"), default=False)
    proximity_first = models.BooleanField(
        _("privilégier les binômes proches qui peuvent se voir en personne"), default=True,
        help_text=_("Coché, un binôme qui peut se voir en personne passe avant un binôme à distance au score semblable, et un binôme à distance proche avant un lointain."),
    )
    priority_strength = models.CharField(
        _("priorité aux mentoré·es qui attendent depuis longtemps ou viennent d'un QPV ou sont boursier·es"),
        max_length=6, choices=PriorityStrength.choices, default=PriorityStrength.NORMAL,
    )
    # Issue 13: a mentor available only until a date is proposed for a pair shorter than the
    # programme only when the association says so (the proposal then says it: matching.pool).
    allow_shorter_pairs = models.BooleanField(
        _("proposer des binômes plus courts que le programme"), default=False,
        help_text=_("Coché, un mentor disponible moins longtemps que la durée du programme peut être proposé ; la proposition le signale."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age_gap__lte=models.F("ideal_age_gap"), ideal_age_gap__lte=models.F("max_age_gap"), max_age_gap__lte=30),
                name="matching_settings_age_gaps_ordered",
            ),
            models.CheckConstraint(
                condition=Q(weight_generational__gte=0, weight_social__gte=0, weight_goals__gte=0,
                            weight_geography__gte=0, weight_availability__gte=0)
                & (Q(weight_generational__gt=0) | Q(weight_social__gt=0) | Q(weight_goals__gt=0)
                   | Q(weight_geography__gt=0) | Q(weight_availability__gt=0)),
                name="matching_settings_weights_valid",
            ),
            models.CheckConstraint(condition=Q(max_distance_km__gte=1, max_distance_km__lte=500), name="matching_settings_distance_range"),
            models.CheckConstraint(condition=Q(priority_strength__in=["off", "normal", "strong"]), name="matching_settings_priority_strength_valid"),
        ]

    def __str__(self) -> str:
        return f"Réglages d'appariement – {self.programme}"


class MatchRun(models.Model):
    """One execution of the matching for an association."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("en file d'attente")
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")
        FAILED = "failed", _("échec")

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="match_runs")
    # A run pairs the people of one programme of the association (its pool: the programme's participants).
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="match_runs")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    trigger = models.CharField(max_length=10, default="manual")  # manual | periodic | retry
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retry_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    stage = models.CharField(max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    # Self-healing: the executing worker says "still alive" every few seconds (even inside the
    # engine's long phases); a run whose heartbeat stopped lost its worker. ``worker`` names the
    # execution that holds the run (host, process, a random part): only it may beat or finish.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # executions started (a re-queue adds one)
    params = models.JSONField(default=dict, blank=True)
    n_mentees = models.PositiveIntegerField(default=0)
    n_mentors = models.PositiveIntegerField(default=0)
    capacity_total = models.PositiveIntegerField(default=0)
    n_proposals = models.PositiveIntegerField(default=0)
    quality = models.JSONField(default=dict, blank=True)  # objective, upper bound, gap, method, timings
    # What a coordinator reads after a run: remote pairs and their distances, match rates by group
    # (see matching.run_report); the reasons of the unmatched are rows of UnmatchedMentee.
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Two runs of one programme at once would propose the same people twice.
            models.UniqueConstraint(
                fields=["programme"], condition=Q(status__in=["queued", "running"]), name="match_run_one_active_per_programme"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="match_run_progress_percent"),
            models.CheckConstraint(condition=~Q(status="failed") | ~Q(error=""), name="match_run_failure_has_reason"),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="match_run_status_heartbeat")]

    def __str__(self) -> str:
        return f"Appariement #{self.pk} – {self.association}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class Proposal(models.Model):
    """A candidate pair from a run, with its score and the per-criterion explanation."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposé")
        APPROVED = "approved", _("approuvé")
        REJECTED = "rejected", _("refusé")
        SUPERSEDED = "superseded", _("remplacé")

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="proposals_as_mentee")
    mentor = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="proposals_as_mentor")
    score = models.FloatField()
    priority = models.FloatField(default=0)
    breakdown = models.JSONField(default=dict)  # {"criteria": {...}, "facts": {...}}
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejection_reason = models.TextField(blank=True, max_length=1000)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            # A rerun of the same task cannot write a second proposal for a mentee.
            models.UniqueConstraint(fields=["run", "mentee"], name="proposal_once_per_run_and_mentee"),
            # At most one open proposal per mentee across runs: a new run supersedes the old one.
            models.UniqueConstraint(fields=["mentee"], condition=Q(status="proposed"), name="proposal_one_open_per_mentee"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="proposal_rejected_has_reason"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1), name="proposal_score_unit_interval"),
        ]
        indexes = [models.Index(fields=["association", "status", "-score"])]

    def __str__(self) -> str:
        return f"{self.mentor} ↔ {self.mentee} ({self.score:.2f})"


class UnmatchedMentee(models.Model):
    """Why a mentee of a run's pool got no proposal (computed by matching.engine.unmatched)."""

    class Kind(models.TextChoices):
        NO_MENTOR = "no_mentor", _("aucun mentor disponible")
        NO_ADMISSIBLE = "no_admissible", _("aucun mentor admissible")
        ALL_TAKEN = "all_taken", _("mentors possibles tous attribués")
        NOT_RETAINED = "not_retained", _("mentors possibles non retenus")

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="unmatched")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="unmatched_in_runs")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    constraint = models.CharField(max_length=20, blank=True)  # scoring.CONSTRAINTS or "vetting_distance"
    n_possible = models.PositiveIntegerField(default=0)
    details = models.JSONField(default=dict, blank=True)  # removed / sole counts, nearest_km, max_distance_km

    class Meta:
        ordering = ["run", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="unmatched_once_per_run_and_mentee"),
            # a mentee without any admissible mentor always says which rule removed them
            models.CheckConstraint(condition=~Q(kind="no_admissible") | ~Q(constraint=""), name="unmatched_no_admissible_has_constraint"),
        ]
        indexes = [models.Index(fields=["mentee", "run"])]

    def __str__(self) -> str:
        return f"{self.mentee} – {self.get_kind_display()} (#{self.run_id})"
