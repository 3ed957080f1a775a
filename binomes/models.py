from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import Association
from participants.models import Participant

OPEN = ["active", "continued", "suspended"]


class Binome(models.Model):
    """A mentor–mentee pair approved by a coordinator.

    A mentee has at most one *open* (active, continued or suspended) binôme: a partial unique
    index. A mentor has at most ``capacity`` open binômes: checked under a row lock on the mentor's
    participant row in ``matching.services.proposal_approve`` (a count cannot be a CHECK).
    Status changes go through ``binomes.lifecycle`` only.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("actif")
        CONTINUED = "continued", _("prolongé")
        SUSPENDED = "suspended", _("suspendu")
        COMPLETED = "completed", _("terminé")
        ENDED_EARLY = "ended_early", _("arrêté avant la fin")

    class EndReason(models.TextChoices):
        GOAL_REACHED = "goal_reached", _("Objectif atteint")
        NO_TIME = "no_time", _("Plus assez de temps")
        MOVED = "moved", _("Déménagement ou changement de situation")
        MISMATCH = "mismatch", _("Le binôme ne fonctionnait pas")
        NO_CONTACT = "no_contact", _("Plus de nouvelles de l'autre personne")
        SAFEGUARDING = "safeguarding", _("Décision de l'association (sécurité)")
        OTHER = "other", _("Autre raison")

    OPEN_STATUSES = (Status.ACTIVE, Status.CONTINUED, Status.SUSPENDED)
    # A mentee with one of these waits no more: paired now, or the programme completed. One whose
    # binôme ended early waits again (never with the same mentor).
    SETTLED_STATUSES = (*OPEN_STATUSES, Status.COMPLETED)
    RUNNING_STATUSES = (Status.ACTIVE, Status.CONTINUED)

    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="binomes")
    mentor = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="binomes_as_mentor")
    mentee = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="binomes_as_mentee")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    started_on = models.DateField(_("début"), default=timezone.localdate)
    planned_end_on = models.DateField(_("fin prévue"))
    ended_on = models.DateField(_("fin"), null=True, blank=True)
    end_reason_code = models.CharField(_("raison de la fin"), max_length=14, choices=EndReason.choices, blank=True)
    end_reason = models.TextField(_("précisions"), blank=True, max_length=2000)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    continued_count = models.PositiveSmallIntegerField(default=0)
    suspended_from = models.CharField(max_length=12, blank=True)  # the status to resume to
    suspension_reason = models.TextField(blank=True, max_length=2000)
    last_activity_at = models.DateTimeField(default=timezone.now)  # last message or meeting
    # What the coordinators' list shows, sorts and filters on, stored so that a page is read from
    # one index whatever the association's size. Kept in step by ``binomes.attention`` (every
    # service that changes them calls it; the hourly job moves ``health`` as silence ages).
    health = models.CharField(max_length=15, blank=True, default="on_track")  # binomes.health: "" when not running
    open_report_count = models.PositiveIntegerField(default=0)
    held_message_count = models.PositiveIntegerField(default=0)  # held and still to review
    # "What needs you first": open reports, held messages, then running pairs by health (at risk
    # first), suspended, closed. With last_activity_at (longest silence first) and id, the list's
    # ORDER BY and the index ``binome_list_order``.
    list_rank = models.GeneratedField(
        expression=models.Case(
            models.When(open_report_count__gt=0, then=models.Value(0)),
            models.When(held_message_count__gt=0, then=models.Value(1)),
            models.When(health="at_risk", then=models.Value(2)),
            models.When(health="needs_attention", then=models.Value(3)),
            models.When(health="on_track", then=models.Value(4)),
            models.When(status="suspended", then=models.Value(5)),
            default=models.Value(6),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    end_survey_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["mentee"], condition=Q(status__in=OPEN), name="binome_one_open_per_mentee"),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="binome_two_people"),
            models.CheckConstraint(condition=Q(planned_end_on__gt=models.F("started_on")), name="binome_end_after_start"),
            models.CheckConstraint(
                condition=Q(status__in=OPEN, ended_on__isnull=True)
                | Q(status__in=["completed", "ended_early"], ended_on__isnull=False),
                name="binome_closed_has_end_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended_early") | ~Q(end_reason_code=""), name="binome_early_end_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="suspended") | Q(suspended_from__in=["active", "continued"]),
                name="binome_suspension_remembers_status",
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"]),
            # The coordinators' list, unfiltered, by status and by health: each ORDER BY read
            # from its index (also serves "association_id = … AND status IN …" elsewhere).
            models.Index(fields=["association", "list_rank", "last_activity_at", "id"], name="binome_list_order"),
            models.Index(fields=["association", "status", "list_rank", "last_activity_at", "id"], name="binome_list_status"),
            models.Index(fields=["association", "health", "list_rank", "last_activity_at", "id"], name="binome_list_health"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor.display_name} ↔ {self.mentee.display_name}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def member_role(self, user_id: int) -> str | None:
        """'mentor', 'mentee' or None for someone who is not one of the two."""
        if self.mentor.membership.user_id == user_id:
            return "mentor"
        if self.mentee.membership.user_id == user_id:
            return "mentee"
        return None


class Message(models.Model):
    """Plain text between the two members; coordinators of the association can read it."""

    MAX_LENGTH = 2000

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="messages")
    # The binôme's association, repeated: messages are the biggest table, and the dashboards count
    # them per association and month without joining binômes. Set once by message_send.
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    flagged = models.BooleanField(default=False)  # contact details detected
    flag_kinds = models.JSONField(default=list, blank=True)
    held = models.BooleanField(default=False)  # not shown to the other member until released
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["binome", "created_at"]), models.Index(fields=["association", "created_at"]),
            # The unread badge's "released since my last read": only released messages, a few rows.
            models.Index(fields=["binome", "released_at"], name="message_released", condition=Q(released_at__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="message_not_empty"),
            models.CheckConstraint(condition=~Q(held=True) | Q(flagged=True), name="message_held_only_if_flagged"),
            # A released message is shown; a refused one stays held (safeguarding.TextReview says which).
            models.CheckConstraint(condition=~Q(held=True, released_at__isnull=False), name="message_released_is_not_held"),
        ]

    def __str__(self) -> str:
        return f"{self.sender_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class ReadMarker(models.Model):
    """Up to when a member has read the conversation (unread counts, digests)."""

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="read_markers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["binome", "user"], name="read_marker_once")]

    def __str__(self) -> str:
        return f"{self.user_id} lu jusqu'au {self.last_read_at:%Y-%m-%d %H:%M}"


class StaffRead(models.Model):
    """Every time a coordinator opens a conversation: who, when (the members are told it can happen)."""

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="staff_reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-read_at"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.read_at:%Y-%m-%d %H:%M}"


class Report(models.Model):
    """A "signaler" on a message or on the binôme as a whole."""

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="reports")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("ce qui ne va pas"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="report_has_reason")]

    def __str__(self) -> str:
        return f"Signalement #{self.pk} ({self.binome_id})"


class Meeting(models.Model):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("En personne")
        REMOTE = "remote", _("À distance")

    class Topic(models.TextChoices):
        ORIENTATION = "orientation", _("Orientation")
        PARCOURSUP = "parcoursup", _("Parcoursup, dossiers")
        STAGE = "stage", _("Stage, alternance, emploi")
        CV = "cv", _("CV, lettre de motivation")
        STUDIES = "studies", _("Cours, méthodes de travail")
        CONFIDENCE = "confidence", _("Confiance en soi")
        CULTURE = "culture", _("Sortie, culture")
        OTHER = "other", _("Autre")

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="meetings")
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    happened_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(600)])
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    topics = models.JSONField(_("sujets"), default=list)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(duration_minutes__gte=5, duration_minutes__lte=600), name="meeting_duration_range")]

    def __str__(self) -> str:
        return f"Rencontre du {self.happened_on:%d/%m/%Y}"


class CheckIn(models.Model):
    """The monthly "Comment ça se passe ?" (4-point scale)."""

    class Rating(models.IntegerChoices):
        BAD = 1, _("Pas bien")
        MIXED = 2, _("Bof")
        GOOD = 3, _("Bien")
        GREAT = 4, _("Très bien")

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="check_ins")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()  # first day of the month it answers for
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    comment = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    POOR = 2  # ratings at or below this count as a poor check-in

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["binome", "user", "month"], name="check_in_once_a_month"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=4), name="check_in_rating_range"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y}: {self.rating}"


class EndSurvey(models.Model):
    class Brought(models.TextChoices):
        ORIENTATION = "orientation", _("Orientation")
        STAGE_JOB = "stage_job", _("Un stage ou un emploi")
        NETWORK = "network", _("Un réseau")
        SOCIAL_CODES = "social_codes", _("Les codes sociaux")
        CONFIDENCE = "confidence", _("Confiance en moi")
        METHODS = "methods", _("Des méthodes de travail")

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="end_surveys")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=6)  # mentor | mentee, at the time of answering
    horizon = models.DateField()  # the planned end it answers for: a continued binôme answers again
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"))
    would_recommend = models.PositiveSmallIntegerField(_("recommanderais-tu"))
    confidence_before = models.PositiveSmallIntegerField(null=True, blank=True)
    confidence_now = models.PositiveSmallIntegerField(null=True, blank=True)
    brought = models.JSONField(default=list, blank=True)
    wish_to_continue = models.BooleanField()
    wish_to_become_mentor = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["binome", "user", "horizon"], name="end_survey_once_per_horizon"),
            models.CheckConstraint(condition=Q(satisfaction__gte=1, satisfaction__lte=5), name="end_survey_satisfaction_range"),
            models.CheckConstraint(condition=Q(would_recommend__gte=0, would_recommend__lte=10), name="end_survey_recommend_range"),
            models.CheckConstraint(
                condition=(Q(role="mentee") & Q(confidence_before__gte=1, confidence_before__lte=5, confidence_now__gte=1, confidence_now__lte=5))
                | (Q(role="mentor") & Q(confidence_before__isnull=True, confidence_now__isnull=True)),
                name="end_survey_confidence_for_mentees",
            ),
        ]

    def __str__(self) -> str:
        return f"Bilan {self.role} ({self.binome_id})"


class ClosingInterview(models.Model):
    """Issue 13, "une bonne fin": the coordinator's closing interview with one member of a binôme
    that ended (completed or ended early). Coordinators only: the members never see these notes.
    Written by ``binomes.closing.closing_interview_record`` only."""

    class Role(models.TextChoices):
        MENTOR = "mentor", _("mentor")
        MENTEE = "mentee", _("mentoré·e")

    class Reason(models.TextChoices):
        LIFE_CHANGE = "life_change", _("Changement de situation (études, travail, déménagement…)")
        MENTOR_DISSATISFIED = "mentor_unhappy", _("Insatisfaction du mentor")
        MENTEE_DISSATISFIED = "mentee_unhappy", _("Insatisfaction du ou de la mentoré·e")
        DRIFTED_APART = "drifted_apart", _("Éloignement progressif, moins de contacts")
        MENTOR_DROPPED_OUT = "mentor_dropout", _("Le mentor a abandonné")
        SAFEGUARDING = "safeguarding", _("Sécurité, protection")
        OTHER = "other", _("Autre")

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="closing_interviews")
    role = models.CharField(_("avec"), max_length=6, choices=Role.choices)
    held_on = models.DateField(_("date de l'entretien"))
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("mené par"))
    reason = models.CharField(_("raison principale de la fin"), max_length=14, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True, max_length=3000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["binome", "role"]
        constraints = [
            models.UniqueConstraint(fields=["binome", "role"], name="closing_interview_once_per_member"),
            models.CheckConstraint(condition=Q(role__in=["mentor", "mentee"]), name="closing_interview_role_valid"),
            models.CheckConstraint(condition=~Q(reason="other") | ~Q(note=""), name="closing_interview_other_has_note"),
        ]

    def __str__(self) -> str:
        return f"Entretien de clôture {self.role} ({self.binome_id})"


class EndingInvitation(models.Model):
    """The invitation sent to both members as a planned end approaches (a last meeting, a goodbye
    message): one per binôme and horizon, so the nightly job is safe to run twice and a continued
    binôme is invited again before its new end."""

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="ending_invitations")
    horizon = models.DateField()  # the planned end it is about
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["binome", "horizon"], name="ending_invitation_once_per_horizon")]

    def __str__(self) -> str:
        return f"Invitation de fin {self.binome_id} ({self.horizon:%Y-%m-%d})"
