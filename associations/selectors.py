"""Reads of associations, always scoped to what the acting user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from associations.models import Association, CoordinatorInvitation, Membership


def association_list_public() -> QuerySet[Association]:
    return Association.objects.filter(status=Association.Status.ACTIVE).select_related(
        "address_commune"
    ).order_by("name")


def association_get_public(*, slug: str) -> Association:
    """An approved association's public page; pending or refused ones do not exist publicly."""
    return get_object_or_404(association_list_public(), slug=slug)


# --- Who acts for an association -------------------------------------------------------------
# The one rule, read in one place: a person acts for an association (coordination pages, API,
# every service that changes its data, integration tokens) only while
#   - the association is active (not pending, refused or suspended by the operator), and
#   - their coordinator membership is current (``ended_at`` is null).
# Everything else asks ``acting_coordinator_memberships`` (as a subquery) or ``acts_for``.


def acting_coordinator_memberships() -> QuerySet[Membership]:
    """Coordinator memberships that may act today (filter further by user and association)."""
    return Membership.objects.filter(
        role=Membership.Role.COORDINATOR, ended_at__isnull=True, association__status=Association.Status.ACTIVE
    )


def acts_for(*, user: User, association: Association) -> bool:
    """May ``user`` act for ``association`` as one of its coordinators, now? (One query.)"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return acting_coordinator_memberships().filter(user=user, association=association).exists()


def _acted_for_by(user: User) -> QuerySet[Association]:
    return Association.objects.filter(
        Exists(acting_coordinator_memberships().filter(user=user, association=OuterRef("pk")))
    )


def association_list_coordinated_by(*, user: User) -> list[Association]:
    if not user.is_authenticated:
        return []
    return list(_acted_for_by(user).order_by("name"))


def association_get_for_coordinator(*, user: User, slug: str) -> Association:
    """The association ``slug`` if ``user`` acts for it now (see ``acts_for``); Http404 otherwise.

    A coordinator of another association, of a suspended one, or whose membership ended, gets the
    same 404 as a missing one, so ids and slugs leak nothing.
    """
    if not user.is_authenticated or not user.is_active:
        raise Http404
    return get_object_or_404(_acted_for_by(user).select_related("address_commune"), slug=slug)


def coordinator_list(*, association: Association) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(
            association=association, role=Membership.Role.COORDINATOR, ended_at__isnull=True
        )
        .select_related("user")
        .order_by("started_at")
    )


def invitation_list_pending(*, association: Association) -> QuerySet[CoordinatorInvitation]:
    """Invitations that can still be accepted (an expired one is no longer pending)."""
    return association.invitations.filter(
        accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")


def _require_operator(user: User) -> None:
    if not (user.is_authenticated and user.is_operator):
        raise Http404


def association_list_for_operator(*, user: User, status: str | None = None) -> QuerySet[Association]:
    _require_operator(user)
    qs = Association.objects.select_related("address_commune").prefetch_related("departements")
    if status:
        qs = qs.filter(status=status)
    # Pending requests first: they are what the operator has to act on.
    pending_first = Case(When(status=Association.Status.PENDING, then=Value(0)), default=Value(1))
    return qs.order_by(pending_first, "status", "-created_at")


def association_get_for_operator(*, user: User, association_id: int) -> Association:
    _require_operator(user)
    return get_object_or_404(
        Association.objects.select_related("address_commune", "reviewed_by").prefetch_related("departements"),
        pk=association_id,
    )


def invitation_get_by_token(*, token: str) -> CoordinatorInvitation:
    return get_object_or_404(CoordinatorInvitation.objects.select_related("association"), token=token)


def association_get_registered_in_session(*, association_id: int | None) -> Association | None:
    """The association this browser just registered (its id is kept in the session), if any."""
    if association_id is None:
        return None
    return Association.objects.filter(pk=association_id).first()


# --- The new coordinator's checklist -----------------------------------------------------------


@dataclass(frozen=True)
class ChecklistStep:
    key: str
    title: str
    hint: str
    done: bool
    url_name: str  # where to do it (reversed with the association's slug)


@dataclass(frozen=True)
class Checklist:
    steps: list[ChecklistStep]

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)

    @property
    def next_step(self) -> ChecklistStep | None:
        return next((step for step in self.steps if not step.done), None)


def coordinator_checklist(*, user: User, association: Association) -> Checklist:
    """The five first steps of a programme, each computed from the data (three queries: the
    coordinator check, one aggregate over the participants, one over the runs). A sign-up already
    received counts as the link shared, whatever the button said."""
    from matching.models import MatchRun
    from participants.models import Participant

    if not acts_for(user=user, association=association):
        raise Http404
    people = Participant.objects.filter(association=association).aggregate(
        signed_up=Count("pk"),
        validated=Count("pk", filter=Q(status=Participant.Status.VALIDATED)),
        vetted=Count("pk", filter=Q(role=Participant.Role.MENTOR, vetting_verified_on__isnull=False)),
    )
    ran = MatchRun.objects.filter(association=association, status=MatchRun.Status.DONE).exists()
    steps = [
        ChecklistStep("settings", _("Régler le programme"),
                      _("Durée, âges des mentoré·es et des mentors, relecture des messages : vérifiez les valeurs proposées puis enregistrez."),
                      association.settings_reviewed_at is not None, "coordination_settings"),
        ChecklistStep("share", _("Partager le lien d'inscription"),
                      _("Copiez le lien de votre page publique et envoyez-le aux jeunes, aux familles et aux bénévoles."),
                      association.signup_link_shared_at is not None or people["signed_up"] > 0, "association_public"),
        ChecklistStep("validate", _("Valider les inscriptions"),
                      _("Relisez chaque inscription reçue et validez-la : seules les personnes validées entrent dans l'appariement."),
                      people["validated"] > 0, "coordination_participants"),
        ChecklistStep("vetting", _("Enregistrer les attestations d'honorabilité"),
                      _("Un mentor n'accompagne un·e mineur·e qu'avec une attestation valide : notez sa date de vérification sur sa fiche."),
                      people["vetted"] > 0, "coordination_participants"),
        ChecklistStep("match", _("Lancer le premier appariement"),
                      _("Quand des mentoré·es et des mentors sont validés, lancez le calcul puis examinez les propositions."),
                      ran, "matching_home"),
    ]
    return Checklist(steps)
