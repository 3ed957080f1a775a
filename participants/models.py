from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Left
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import Association, Membership
from geo.models import Commune
from participants import choices


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on ``day`` (29 February birthdays count from 1 March)."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


class Participant(models.Model):
    """A mentor's or mentee's profile within one association.

    ``association`` and ``role`` repeat the membership's: they are set once by
    ``participants.services.participant_sign_up`` and never change, and they let the database
    check role-specific rules (capacity, vetting) and index the coordinator's list.
    Age is derived from the birth date, never stored.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente de validation")
        VALIDATED = "validated", _("validé·e")
        DECLINED = "declined", _("refusé·e")
        WITHDRAWN = "withdrawn", _("retiré·e")

    Role = Membership.Role

    membership = models.OneToOneField(Membership, on_delete=models.PROTECT, related_name="participant")
    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="participants")
    # The programme (of ``association``) they signed up to, and its intake they started in; set by
    # ``participants.services.participant_sign_up`` (programmes.selectors for the reads).
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="participants")
    cohort = models.ForeignKey(
        "programmes.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="participants"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.TextField(blank=True, max_length=1000)
    # The coordinator's list puts what needs a decision first (pending, then validated people
    # waiting, then declined and withdrawn): the rank is stored by the database from the status, so
    # the list walks an index instead of sorting the whole association (issue 15).
    list_rank = models.GeneratedField(
        expression=models.Case(
            models.When(status="pending", then=models.Value(0)),
            models.When(status="validated", then=models.Value(1)),
            default=models.Value(2),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )
    # The département of the commune, stored by the database for the list's département filter
    # and its choices (an index instead of a join over the association): INSEE codes begin with
    # the département's (three characters overseas, 97x); tests/geo checks the rule on every commune.
    departement_code = models.GeneratedField(
        expression=models.Case(
            models.When(Exact(Left("commune_id", 2), models.Value("97")), then=Left("commune_id", 3)), default=Left("commune_id", 2),
        ),
        output_field=models.CharField(max_length=3),
        db_persist=True,
    )

    # Who they are.
    birth_date = models.DateField(_("date de naissance"))
    gender = models.CharField(_("genre"), max_length=10, choices=choices.Gender.choices, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune"))
    education = models.CharField(_("niveau d'études ou situation"), max_length=20, choices=choices.Education.choices)
    field = models.CharField(_("domaine"), max_length=20, choices=choices.Field.choices)
    # Social background.
    qpv_resident = models.BooleanField(_("habite un quartier prioritaire (QPV)"), default=False)
    boursier = models.BooleanField(_("boursier·e"), default=False)
    first_generation = models.BooleanField(_("première génération dans l'enseignement supérieur"), default=False)
    parents_pcs = models.CharField(
        _("catégorie professionnelle des parents"), max_length=1, choices=choices.PCS.choices, default=choices.PCS.UNKNOWN
    )
    # Goals and practicalities.
    goals = models.JSONField(_("objectifs"), default=list)
    goals_text = models.TextField(_("en quelques mots"), max_length=1000, blank=True)
    languages = models.JSONField(_("langues parlées"), default=list)
    availability = models.JSONField(_("disponibilités"), default=list)
    meeting_format = models.CharField(
        _("format des rencontres"), max_length=10, choices=choices.MeetingFormat.choices, default=choices.MeetingFormat.BOTH
    )
    prefers_same_gender = models.BooleanField(_("je préfère un binôme du même genre"), default=False)
    # Mentors only.
    capacity = models.PositiveSmallIntegerField(_("nombre de mentoré·es"), null=True, blank=True)
    help_with = models.JSONField(_("je peux aider sur"), default=list, blank=True)
    path_text = models.TextField(_("mon parcours"), max_length=1500, blank=True)
    # Until when a mentor can commit (issue 13): the matching proposes no pair that cannot reach
    # the programme's duration unless the association allows shorter pairs (``matching.pool``).
    available_until = models.DateField(_("disponible jusqu'au"), null=True, blank=True)
    available_until_reason = models.CharField(
        _("pourquoi"), max_length=12, choices=choices.AvailabilityEnd.choices, blank=True,
    )
    # A mentor whose binôme ended early is not proposed again until a coordinator says so
    # (``binomes.lifecycle.binome_end_early`` sets it, ``binomes.closing.mentor_matching_resume`` clears it).
    matching_paused_on = models.DateField(null=True, blank=True, editable=False)
    # Vetting ("attestation d'honorabilité"): dates only, never the document nor its content. The
    # person requests the attestation online; the association checks it online (``verified_on``,
    # by ``recorded_by``); the check is renewed by ``expires_on`` (the renewal date). Plausible
    # bounds: ``safeguarding.policy`` (the rules) and the CHECK below (what the database can hold).
    vetting_issued_on = models.DateField(_("attestation délivrée le"), null=True, blank=True)
    vetting_verified_on = models.DateField(_("attestation vérifiée le"), null=True, blank=True)
    vetting_expires_on = models.DateField(_("vérification à renouveler avant le"), null=True, blank=True)
    vetting_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("vérifiée par"),
    )
    # Markers of the nightly vetting jobs (``safeguarding.jobs``), reset when a vetting is recorded:
    # the last reminder sent (30 or 7 days before), and the renewal date whose expiry was handled.
    vetting_reminded_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    vetting_expiry_handled_for = models.DateField(null=True, blank=True, editable=False)
    # The cascade: the binôme this mentor came from as a mentee.
    came_from_binome = models.ForeignKey(
        "binomes.Binome", null=True, blank=True, on_delete=models.SET_NULL, related_name="cascade_mentors"
    )
    # Parents of under-15s.
    parent_name = models.CharField(_("nom du parent ou tuteur légal"), max_length=150, blank=True)
    parent_email = models.EmailField(_("e-mail du parent ou tuteur légal"), blank=True)
    parent_phone = models.CharField(_("téléphone du parent ou tuteur légal"), max_length=30, blank=True)
    # Brought in by a coordinator's import (``imports``): the person has not yet set their password
    # nor confirmed their own consent. Until they do, the safeguarding policy (``consent_refusal``)
    # keeps them out of the pool, of approvals and of messaging. Cleared by
    # ``participants.services.participant_invitation_accept``.
    invitation_pending = models.BooleanField(default=False, editable=False)
    # When a coordinator's import registered them (null: they signed up themselves). It stays once
    # they answered: the e-mail to an under-15's parent says who registered the child.
    imported_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["association", "role", "status"]),
            models.Index(fields=["association", "validated_at"]),
            models.Index(fields=["programme", "role", "status"], name="participant_programme_role"),
            # The coordinator's list order (participants.selectors.participant_list_for_coordinator).
            models.Index(fields=["association", "list_rank", "validated_at", "created_at", "id"], name="participant_list_order"),
            # The département filter (in the list's order) and its choices.
            models.Index(fields=["association", "departement_code", "list_rank", "validated_at", "created_at", "id"],
                         name="participant_list_departement"),
        ]
        constraints = [
            models.CheckConstraint(
                # NULL compares as unknown, which a CHECK accepts: say "not null" explicitly.
                condition=(Q(role="mentor") & Q(capacity__isnull=False) & Q(capacity__gte=1) & Q(capacity__lte=3))
                | (Q(role="mentee") & Q(capacity__isnull=True)),
                name="participant_capacity_for_mentors_only",
            ),
            models.CheckConstraint(
                # All four vetting dates together, on mentors only, in order, within plausible outer
                # bounds (safeguarding.policy.VETTING_DB_FLOOR / _CEILING: no 0001-01-01, no 9999-12-31).
                condition=(Q(vetting_issued_on__isnull=True) & Q(vetting_verified_on__isnull=True) & Q(vetting_expires_on__isnull=True))
                | (
                    Q(role="mentor")
                    & Q(vetting_issued_on__isnull=False)
                    & Q(vetting_verified_on__isnull=False)
                    & Q(vetting_expires_on__isnull=False)
                    & Q(vetting_issued_on__gte=date(2000, 1, 1))
                    & Q(vetting_verified_on__gte=models.F("vetting_issued_on"))
                    & Q(vetting_expires_on__gt=models.F("vetting_verified_on"))
                    & Q(vetting_expires_on__lte=date(2100, 12, 31))
                ),
                name="participant_vetting_dates_plausible",
            ),
            models.CheckConstraint(
                # The availability horizon is a mentor's, and a reason without a date means nothing.
                condition=Q(available_until__isnull=True, available_until_reason="") | Q(role="mentor", available_until__isnull=False),
                name="participant_horizon_for_mentors",
            ),
            models.CheckConstraint(
                condition=~Q(status="validated") | Q(validated_at__isnull=False),
                name="participant_validated_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="participant_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def user(self):  # noqa: ANN201 - the membership's user
        return self.membership.user

    @property
    def display_name(self) -> str:
        user = self.membership.user
        return user.get_full_name() or user.email

    @property
    def age(self) -> int:
        return age_on(self.birth_date, timezone.localdate())

    @property
    def is_minor(self) -> bool:
        from safeguarding.policy import is_minor

        return is_minor(birth_date=self.birth_date, on=timezone.localdate())

    @property
    def is_mentor(self) -> bool:
        return self.role == self.Role.MENTOR

    def vetting_valid_on(self, day: date) -> bool:
        from safeguarding.policy import vetting_valid_on

        return vetting_valid_on(self, day)

    @property
    def vetting_valid(self) -> bool:
        return self.vetting_valid_on(timezone.localdate())


class Consent(models.Model):
    """Who accepted which version of the privacy notice, and when (a parent's, for under-15s)."""

    class Kind(models.TextChoices):
        SELF = "self", _("la personne elle-même")
        PARENT = "parent", _("un parent ou tuteur légal")
        # Under 15 the child's own agreement ("assent") is recorded too, next to the parent's consent.
        ASSENT = "assent", _("l'accord de l'enfant (moins de 15 ans)")
        # The optional, sensitive answers for the association's funders (child welfare, disability:
        # reporting.TargetPublic), given for that purpose only, by the person or, under 15, a parent;
        # withdrawable at any time (reporting.services.target_public_withdraw).
        FUNDER_DATA = "funder", _("les informations facultatives pour les financeurs")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.SELF)
    notice_version = models.CharField(max_length=20)
    accepted_at = models.DateTimeField(default=timezone.now)
    given_by_name = models.CharField(max_length=150, blank=True)
    given_by_email = models.EmailField(blank=True)
    # A parent's consent is declared by the child, then confirmed by the parent from the link e-mailed
    # to them (the token is that link's only secret); a refusal is recorded too.
    token = models.CharField(max_length=64, blank=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)
    # A parent who agreed can withdraw later (from the same link): the child can no longer be paired
    # nor message, an open binôme is suspended (safeguarding.services.parental_consent_withdraw).
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "kind", "notice_version"], condition=~Q(kind__in=["parent", "funder"]),
                name="consent_once_per_version",
            ),
            # The funder answers' consent can be withdrawn and given again: each time is a row of its
            # own (the withdrawal's date stays), one standing at a time per version of the text.
            models.UniqueConstraint(
                fields=["participant", "notice_version"], condition=Q(kind="funder", withdrawn_at__isnull=True),
                name="consent_one_standing_funder",
            ),
            # A parent's consent is asked again when a change brings the child under 15: the history
            # stays, but only one request waits for an answer at a time.
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(kind="parent", confirmed_at__isnull=True, refused_at__isnull=True, withdrawn_at__isnull=True),
                name="consent_one_pending_parent_request",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(confirmed_at__isnull=False, withdrawn_at__gte=models.F("confirmed_at")),
                name="consent_withdrawn_after_confirmed",
            ),
            models.UniqueConstraint(fields=["token"], condition=~Q(token=""), name="consent_token_unique"),
            models.CheckConstraint(
                condition=~Q(kind="parent") | (~Q(given_by_email="") & ~Q(token="")),
                name="consent_parent_has_email_and_token",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(refused_at__isnull=True), name="consent_confirmed_or_refused",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.notice_version} ({self.kind})"
