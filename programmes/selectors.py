"""Reads of programmes and cohorts, scoped to what the acting coordinator may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from associations.models import Association
from associations.selectors import acts_for
from programmes.models import Cohort, Programme


def programme_default_for(association: Association) -> Programme:
    """The association's default programme (every association has exactly one: created with it,
    and by the migration for the associations that existed before programmes)."""
    return Programme.objects.get(association=association, is_default=True)


# --- Which programmes a coordinator may see ---------------------------------------------------
# The one rule, read in one place: a coordinator who acts for the association (see
# associations.selectors.acts_for) sees all of its programmes. Every coordinator door (pages, API,
# exports, tasks started by a coordinator) filters through ``programmes_for_coordinator``.


def programmes_for_coordinator(*, user: User, association: Association) -> QuerySet[Programme]:
    """The programmes of ``association`` that ``user`` may see as a coordinator (none if they do
    not act for it)."""
    if not acts_for(user=user, association=association):
        return Programme.objects.none()
    return Programme.objects.filter(association=association)


def programme_get_for_coordinator(*, user: User, association: Association, slug: str) -> Programme:
    """The programme ``slug`` of ``association`` if ``user`` may see it; Http404 otherwise (another
    association's programme, or one the coordinator is not given, looks like a missing one)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    return get_object_or_404(programmes_for_coordinator(user=user, association=association), slug=slug)


def programme_get_public(*, association: Association, slug: str) -> Programme:
    """A programme of an active association, for its public sign-up page; Http404 otherwise."""
    if not association.is_active:
        raise Http404
    return get_object_or_404(Programme.objects.filter(association=association), slug=slug)


def cohort_list(*, programme: Programme) -> QuerySet[Cohort]:
    return Cohort.objects.filter(programme=programme).order_by("-starts_on", "pk")
