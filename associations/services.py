"""Writes about associations, memberships and coordinator invitations."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

import outbox
from accounts.models import User
from associations import tasks
from associations.models import Association, CoordinatorInvitation, Membership
from associations.selectors import acts_for
from associations.validators import parse_registration_number
from geo.models import Commune, Departement
from programmes.services import programme_create_default


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "association"
    slug, n = base, 2
    while Association.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def association_register(
    *,
    name: str,
    registration_number: str,
    address_commune: Commune,
    departements: Iterable[Departement],
    contact_name: str,
    contact_email: str,
    description: str,
) -> Association:
    """Record a new association as ``pending``; the operators are told by e-mail after commit."""
    kind, number = parse_registration_number(registration_number)
    lookup = {"rna_number": number} if kind == "rna" else {"siren": number}
    existing = Association.objects.filter(**lookup).values_list("status", flat=True).first()
    if existing == Association.Status.REFUSED:
        # One row per number (a unique index): a refused request is re-examined by the operators
        # rather than filed again.
        raise ValidationError({"registration_number": _(
            "Une demande avec ce numéro a déjà été refusée. Écrivez à l'équipe de la plateforme pour qu'elle la réexamine.")})
    if existing is not None:
        raise ValidationError(
            {"registration_number": _("Une association avec ce numéro est déjà inscrite sur la plateforme.")}
        )
    try:
        with transaction.atomic():
            association = Association.objects.create(
                name=name.strip(),
                slug=_unique_slug(name),
                address_commune=address_commune,
                contact_name=contact_name.strip(),
                contact_email=contact_email.strip().lower(),
                description=description.strip(),
                **lookup,
            )
            association.departements.set(departements)
            programme_create_default(association=association)
    except IntegrityError:
        # The same number registered at the same moment by someone else: the unique index says no.
        raise ValidationError(
            {"registration_number": _("Une association avec ce numéro est déjà inscrite sur la plateforme.")}
        ) from None
    outbox.emit(tasks.notify_operators_of_registration, association.pk, key=f"association-registered:{association.pk}")
    return association


def _lock_pending(association: Association) -> Association:
    locked = Association.objects.select_for_update().get(pk=association.pk)
    if locked.status != Association.Status.PENDING:
        raise ValidationError(_("Cette demande a déjà été traitée."))
    return locked


@transaction.atomic
def association_approve(*, association: Association, by: User) -> Association:
    """Approve a pending association and invite its contact coordinator to create their login."""
    if not by.is_operator:
        raise PermissionDenied
    locked = _lock_pending(association)
    locked.status = Association.Status.ACTIVE
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = by
    locked.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    coordinator_invite(association=locked, email=locked.contact_email, by=by, check_rights=False)
    return locked


@transaction.atomic
def association_refuse(*, association: Association, by: User, reason: str) -> Association:
    if not by.is_operator:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez la raison du refus : elle sera transmise à l'association.")})
    locked = _lock_pending(association)
    locked.status = Association.Status.REFUSED
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = by
    locked.refusal_reason = reason.strip()
    locked.save(update_fields=["status", "reviewed_at", "reviewed_by", "refusal_reason"])
    outbox.emit(tasks.send_refusal_email, locked.pk)
    return locked


@transaction.atomic
def association_suspend(*, association: Association, by: User) -> Association:
    """The operator suspends an active association: from this moment nobody acts for it (see
    ``associations.selectors.acts_for``): coordination pages, API and its tokens answer no."""
    if not by.is_operator:
        raise PermissionDenied
    locked = Association.objects.select_for_update().get(pk=association.pk)
    if locked.status != Association.Status.ACTIVE:
        raise ValidationError(_("Seule une association active peut être suspendue."))
    locked.status = Association.Status.SUSPENDED
    locked.save(update_fields=["status"])
    return locked


@transaction.atomic
def association_reactivate(*, association: Association, by: User) -> Association:
    if not by.is_operator:
        raise PermissionDenied
    locked = Association.objects.select_for_update().get(pk=association.pk)
    if locked.status != Association.Status.SUSPENDED:
        raise ValidationError(_("Seule une association suspendue peut être réactivée."))
    locked.status = Association.Status.ACTIVE
    locked.save(update_fields=["status"])
    return locked


def is_coordinator(*, user: User, association: Association) -> bool:
    """Kept for the callers' sake: the rule itself is ``associations.selectors.acts_for``."""
    return acts_for(user=user, association=association)


def coordinator_invite(
    *, association: Association, email: str, by: User, check_rights: bool = True
) -> CoordinatorInvitation:
    """Invite ``email`` to coordinate ``association``; the e-mail leaves after commit."""
    if check_rights and not is_coordinator(user=by, association=association):
        raise PermissionDenied
    email = email.strip().lower()
    if Membership.objects.filter(
        association=association,
        role=Membership.Role.COORDINATOR,
        ended_at__isnull=True,
        user__email__iexact=email,
    ).exists():
        raise ValidationError({"email": _("Cette personne coordonne déjà l'association.")})
    invitation = CoordinatorInvitation.objects.create(association=association, email=email, invited_by=by)
    outbox.emit(tasks.send_coordinator_invitation, invitation.pk)
    return invitation


def membership_start(*, user: User, association: Association, role: str) -> Membership:
    """Open a membership, or return the current one for the same role (idempotent)."""
    membership, _created = Membership.objects.get_or_create(
        user=user, association=association, role=role, ended_at__isnull=True,
        defaults={"started_at": timezone.now()},
    )
    return membership


@transaction.atomic
def invitation_accept(*, invitation: CoordinatorInvitation, user: User) -> Membership:
    """Turn an invitation into a coordinator membership. The invited address must be the user's."""
    locked = CoordinatorInvitation.objects.select_for_update().select_related("association").get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise ValidationError(_("Cette invitation a déjà été utilisée."))
    if locked.expires_at <= timezone.now():
        raise ValidationError(_("Cette invitation a expiré : demandez-en une nouvelle à votre association."))
    if locked.email.lower() != user.email.lower():
        raise ValidationError(
            _("Cette invitation a été envoyée à une autre adresse e-mail que celle de votre compte.")
        )
    if not locked.association.is_active:
        raise ValidationError(_("Cette association n'est pas active sur la plateforme."))
    membership = membership_start(user=user, association=locked.association, role=Membership.Role.COORDINATOR)
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def association_update_settings(*, association: Association, by: User, **fields: int | bool) -> Association:
    if not is_coordinator(user=by, association=association):
        raise PermissionDenied
    allowed = {"programme_duration_months", "mentee_min_age", "mentee_max_age", "mentor_min_age", "mentor_max_age", "hold_flagged_messages"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Unknown settings: {sorted(unknown)}")
    locked = Association.objects.select_for_update().get(pk=association.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["departements"])
    update = list(fields)
    if locked.settings_reviewed_at is None:  # the checklist's first step
        locked.settings_reviewed_at = timezone.now()
        update.append("settings_reviewed_at")
    locked.save(update_fields=update)
    return locked


def association_signup_link_shared(*, association: Association, by: User) -> Association:
    """The coordinator copied or shared the public sign-up link (the checklist's second step).
    Only the first time is recorded; safe to call again."""
    if not is_coordinator(user=by, association=association):
        raise PermissionDenied
    Association.objects.filter(pk=association.pk, signup_link_shared_at__isnull=True).update(signup_link_shared_at=timezone.now())
    association.refresh_from_db(fields=["signup_link_shared_at"])
    return association


@transaction.atomic
def coordinator_sign_up(*, invitation: CoordinatorInvitation, first_name: str, last_name: str, password: str) -> User:
    """Create the login of an invited coordinator (the invited address is verified: the token
    reached it) and accept the invitation."""
    from allauth.account.models import EmailAddress

    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("Un compte existe déjà pour cette adresse : connectez-vous pour accepter l'invitation."))
    user = User.objects.create_user(
        email=invitation.email, password=password, first_name=first_name.strip(), last_name=last_name.strip(),
        language=get_language() or "fr",  # e-mails follow the language they signed up in
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    invitation_accept(invitation=invitation, user=user)
    return user
