"""Writes about programmes and cohorts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from associations.models import Association
from associations.selectors import acts_for
from programmes.models import DEFAULT_SLUG, Cohort, Programme

# What a coordinator may set on a programme (everything else is set by the services).
PROGRAMME_FIELDS = (
    "name", "slug", "signup_open", "intake", "opens_on", "closes_on", "starts_on", "ends_on",
    "duration_months", "mentee_min_age", "mentee_max_age", "mentor_min_age", "mentor_max_age", "charter",
)


def _unique_slug(*, association: Association, name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70] or "programme"
    taken = set(Programme.objects.filter(association=association).exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _save_checked(programme: Programme, update_fields: list[str] | None = None) -> Programme:
    """full_clean (French messages for the CHECKs and unique pairs), then save; a concurrent
    duplicate the unique indexes catch becomes the same message."""
    programme.full_clean()
    try:
        with transaction.atomic():
            programme.save(update_fields=update_fields)
    except IntegrityError:
        raise ValidationError({"slug": _("Un autre programme de l'association porte déjà ce nom ou cette adresse.")}) from None
    return programme


def programme_create_default(*, association: Association) -> Programme:
    """The association's default programme, from its programme settings (safe to call again: the
    existing one is returned). Called when the association is created."""
    existing = Programme.objects.filter(association=association, is_default=True).first()
    if existing is not None:
        return existing
    programme = Programme(
        association=association,
        name=_("Programme principal"),
        slug=DEFAULT_SLUG if not Programme.objects.filter(association=association, slug=DEFAULT_SLUG).exists()
        else _unique_slug(association=association, name=DEFAULT_SLUG),
        is_default=True,
        duration_months=association.programme_duration_months,
        mentee_min_age=association.mentee_min_age,
        mentee_max_age=association.mentee_max_age,
        mentor_min_age=association.mentor_min_age,
        mentor_max_age=association.mentor_max_age,
    )
    return _save_checked(programme)


def _check_rights(*, by: User, association: Association) -> None:
    if not acts_for(user=by, association=association):
        raise PermissionDenied


def _clean_intake(fields: dict[str, Any]) -> None:
    """A rolling intake has no dates: clear them rather than refuse the form."""
    if fields.get("intake") == Programme.Intake.ROLLING:
        fields["opens_on"] = fields["closes_on"] = None


@transaction.atomic
def programme_create(*, association: Association, by: User, **fields: Any) -> Programme:
    """A new programme of ``association``. ``fields``: those of ``PROGRAMME_FIELDS`` (``name``
    required; ``slug`` made from the name when absent). Preconditions: ``by`` acts for it."""
    _check_rights(by=by, association=association)
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ValueError(f"Unknown programme fields: {sorted(unknown)}")
    _clean_intake(fields)
    if not fields.get("slug"):
        fields["slug"] = _unique_slug(association=association, name=fields.get("name", ""))
    programme = Programme(association=association, is_default=False, **fields)
    return _save_checked(programme)


@transaction.atomic
def programme_update(*, programme: Programme, by: User, **fields: Any) -> Programme:
    """Change a programme's settings (those of ``PROGRAMME_FIELDS``). Preconditions: ``by`` acts
    for its association (and, once coordinators are restricted to programmes, may see it)."""
    _check_rights(by=by, association=programme.association)
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ValueError(f"Unknown programme fields: {sorted(unknown)}")
    _clean_intake(fields)
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    return _save_checked(locked, update_fields=list(fields))


@transaction.atomic
def cohort_create(*, programme: Programme, by: User, name: str, starts_on: date) -> Cohort:
    """A new intake of ``programme`` (unique name and start date within it)."""
    _check_rights(by=by, association=programme.association)
    cohort = Cohort(programme=programme, name=name.strip(), starts_on=starts_on)
    cohort.full_clean()
    try:
        with transaction.atomic():
            cohort.save()
    except IntegrityError:
        raise ValidationError({"name": _("Ce programme a déjà une cohorte de ce nom ou qui commence ce jour-là.")}) from None
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, by: User, name: str, starts_on: date) -> Cohort:
    _check_rights(by=by, association=cohort.programme.association)
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    locked.name, locked.starts_on = name.strip(), starts_on
    locked.full_clean()
    try:
        with transaction.atomic():
            locked.save(update_fields=["name", "starts_on"])
    except IntegrityError:
        raise ValidationError({"name": _("Ce programme a déjà une cohorte de ce nom ou qui commence ce jour-là.")}) from None
    return locked
