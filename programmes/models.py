from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import (
    MENTEE_AGE_CEILING,
    MENTEE_AGE_FLOOR,
    MENTOR_AGE_CEILING,
    MENTOR_AGE_FLOOR,
    Association,
)

# The slug of the programme every association gets when it is created (and that the migration
# gave the associations that existed before programmes): the association's own sign-up link
# leads to it.
DEFAULT_SLUG = "principal"


class Programme(models.Model):
    """One of an association's programmes: its own sign-up page, intake, duration and age bounds.

    Every participant belongs to exactly one programme of their association. Each association has
    exactly one default programme (``is_default``), created with it.
    """

    class Intake(models.TextChoices):
        ROLLING = "rolling", _("au fil de l'eau")
        DATES = "dates", _("entre deux dates")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="programmes")
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("adresse courte"), max_length=80)
    is_default = models.BooleanField(_("programme par défaut"), default=False, editable=False)
    signup_open = models.BooleanField(_("inscriptions ouvertes"), default=True)
    intake = models.CharField(_("inscriptions"), max_length=8, choices=Intake.choices, default=Intake.ROLLING)
    opens_on = models.DateField(_("inscriptions ouvertes à partir du"), null=True, blank=True)
    closes_on = models.DateField(_("inscriptions closes après le"), null=True, blank=True)
    starts_on = models.DateField(_("début du programme"), null=True, blank=True)
    ends_on = models.DateField(_("fin du programme"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(_("durée d'un binôme (mois)"), default=6)
    mentee_min_age = models.PositiveSmallIntegerField(_("âge minimum des mentoré·es"), default=11)
    mentee_max_age = models.PositiveSmallIntegerField(_("âge maximum des mentoré·es"), default=30)
    mentor_min_age = models.PositiveSmallIntegerField(_("âge minimum des mentors"), default=15)
    mentor_max_age = models.PositiveSmallIntegerField(_("âge maximum des mentors"), default=40)
    charter = models.TextField(_("charte"), max_length=10000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_default", "name", "pk"]
        verbose_name = _("programme")
        constraints = [
            models.UniqueConstraint(fields=["association", "slug"], name="programme_slug_unique_per_association"),
            models.UniqueConstraint(fields=["association", "name"], name="programme_name_unique_per_association"),
            # Exactly one default per association: "at most one" here, "at least one" by
            # programmes.services.programme_create_default, called when the association is created.
            models.UniqueConstraint(fields=["association"], condition=Q(is_default=True), name="programme_one_default_per_association"),
            models.CheckConstraint(
                # NULL compares as unknown, which a CHECK accepts: say "not null" explicitly.
                condition=(Q(intake="rolling") & Q(opens_on__isnull=True) & Q(closes_on__isnull=True))
                | (Q(intake="dates") & Q(opens_on__isnull=False) & Q(closes_on__isnull=False) & Q(opens_on__lte=models.F("closes_on"))),
                name="programme_intake_dates",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(starts_on__lt=models.F("ends_on")),
                name="programme_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(duration_months__gte=1, duration_months__lte=36), name="programme_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    mentee_min_age__gte=MENTEE_AGE_FLOOR,
                    mentee_max_age__lte=MENTEE_AGE_CEILING,
                    mentee_min_age__lte=models.F("mentee_max_age"),
                ),
                name="programme_mentee_age_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    mentor_min_age__gte=MENTOR_AGE_FLOOR,
                    mentor_max_age__lte=MENTOR_AGE_CEILING,
                    mentor_min_age__lte=models.F("mentor_max_age"),
                ),
                name="programme_mentor_age_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    """A programme's intake (e.g. "Septembre 2026"): the participants who start together."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("nom"), max_length=100)
    starts_on = models.DateField(_("début"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["programme", "-starts_on", "pk"]
        verbose_name = _("cohorte")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_name_unique_per_programme"),
            models.UniqueConstraint(fields=["programme", "starts_on"], name="cohort_start_unique_per_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.programme}"


class ProgrammeCoordinator(models.Model):
    """A coordinator restricted to some programmes: one row per programme they are given. A
    coordinator membership without any row sees every programme of the association (the rule:
    programmes.selectors.programmes_for_coordinator)."""

    membership = models.ForeignKey(
        "associations.Membership", on_delete=models.CASCADE, related_name="programme_restrictions"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="restricted_coordinators")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("coordinateur·rice restreint·e à un programme")
        constraints = [
            models.UniqueConstraint(fields=["membership", "programme"], name="programme_coordinator_once"),
        ]

    def __str__(self) -> str:
        return f"{self.membership} – {self.programme}"


# --- Custom sign-up questions (issue 12) -------------------------------------------------------
# A programme asks its own questions at sign-up. Choices are rows, so an answer keeps pointing at
# its choice when a coordinator rewords it; a question or a choice that has answers is switched
# off (``active``), never deleted (programmes.questions). A choice question asked to both sides
# may be a matching criterion: "same answer", or a table of acceptable mentor answers per mentee
# answer (SignupQuestionMapping); the engine scores it as one more weighted criterion.

#: what a coordinator may set as a criterion's weight (the built-in weights use the same range)
CRITERION_WEIGHT_MAX = 1.0


class SignupQuestion(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("texte court")
        LONG_TEXT = "long_text", _("texte long")
        SINGLE_CHOICE = "single_choice", _("choix unique")
        MULTIPLE_CHOICE = "multiple_choice", _("choix multiples")
        YES_NO = "yes_no", _("oui ou non")

    class Audience(models.TextChoices):
        MENTEES = "mentees", _("les mentoré·es")
        MENTORS = "mentors", _("les mentors")
        BOTH = "both", _("les deux")

    class Criterion(models.TextChoices):
        NONE = "none", _("pas utilisée pour l'appariement")
        SAME_ANSWER = "same_answer", _("même réponse")
        MAPPING = "mapping", _("correspondance mentoré·e ↔ mentor")

    CHOICE_KINDS = (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.YES_NO)
    #: the kinds a criterion may use: one answer per person, a choice
    CRITERION_KINDS = (Kind.SINGLE_CHOICE, Kind.YES_NO)

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="signup_questions")
    label = models.CharField(_("question"), max_length=200)
    help_text = models.CharField(_("aide"), max_length=300, blank=True)
    kind = models.CharField(_("type de réponse"), max_length=16, choices=Kind.choices)
    required = models.BooleanField(_("réponse obligatoire"), default=False)
    audience = models.CharField(_("posée à"), max_length=8, choices=Audience.choices, default=Audience.BOTH)
    position = models.PositiveSmallIntegerField(_("ordre"))
    active = models.BooleanField(_("active"), default=True)
    criterion = models.CharField(_("critère d'appariement"), max_length=12, choices=Criterion.choices, default=Criterion.NONE)
    criterion_weight = models.FloatField(_("poids du critère"), default=0.0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["programme", "position", "pk"]
        verbose_name = _("question d'inscription")
        constraints = [
            # Unique among the active questions: a switched-off one keeps its place and its label
            # (its answers still read it) without blocking a new one.
            models.UniqueConstraint(fields=["programme", "label"], condition=Q(active=True), name="signup_question_label_unique"),
            models.UniqueConstraint(fields=["programme", "position"], condition=Q(active=True), name="signup_question_position_unique"),
            models.CheckConstraint(
                condition=Q(criterion="none") | (Q(kind__in=["single_choice", "yes_no"]) & Q(audience="both")),
                name="signup_question_criterion_kind",
            ),
            models.CheckConstraint(
                condition=Q(criterion_weight__gte=0.0, criterion_weight__lte=CRITERION_WEIGHT_MAX),
                name="signup_question_weight_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_choice(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    @property
    def is_criterion(self) -> bool:
        return self.active and self.criterion != self.Criterion.NONE and self.criterion_weight > 0

    def asked_to(self, role: str) -> bool:
        """Is this question asked to a participant of ``role`` ("mentor" or "mentee")?"""
        return self.audience == self.Audience.BOTH or self.audience == ("mentors" if role == "mentor" else "mentees")


class SignupQuestionChoice(models.Model):
    question = models.ForeignKey(SignupQuestion, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(_("choix"), max_length=150)
    position = models.PositiveSmallIntegerField(_("ordre"))
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = _("choix d'une question d'inscription")
        constraints = [
            models.UniqueConstraint(fields=["question", "label"], condition=Q(active=True), name="signup_choice_label_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class SignupQuestionMapping(models.Model):
    """For a "mapping" criterion: a mentor who answered ``mentor_choice`` suits a mentee who
    answered ``mentee_choice`` (both choices of ``question``: checked by the service)."""

    question = models.ForeignKey(SignupQuestion, on_delete=models.CASCADE, related_name="mappings")
    mentee_choice = models.ForeignKey(SignupQuestionChoice, on_delete=models.CASCADE, related_name="+")
    mentor_choice = models.ForeignKey(SignupQuestionChoice, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("correspondance d'un critère")
        constraints = [
            models.UniqueConstraint(fields=["mentee_choice", "mentor_choice"], name="signup_mapping_once"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee_choice} → {self.mentor_choice}"


class ParticipantAnswer(models.Model):
    """A participant's answer to one of their programme's questions: ``text`` for the text kinds,
    ``choices`` for the others (one for a single choice or yes/no)."""

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SignupQuestion, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True, max_length=2000)
    choices = models.ManyToManyField(SignupQuestionChoice, blank=True, related_name="answers")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["question__position", "pk"]
        verbose_name = _("réponse à une question d'inscription")
        constraints = [
            models.UniqueConstraint(fields=["participant", "question"], name="participant_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} – {self.question_id}"
