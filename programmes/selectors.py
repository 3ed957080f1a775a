"""Reads of programmes and cohorts, scoped to what the acting coordinator may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from django.db.models import BooleanField, Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from associations.models import Association, Membership
from associations.selectors import acting_coordinator_memberships
from dashboards.figures import Figure, ratio
from programmes.models import Cohort, Programme, ProgrammeCoordinator

T = TypeVar("T")


def programme_default_for(association: Association) -> Programme:
    """The association's default programme (every association has exactly one: created with it,
    and by the migration for the associations that existed before programmes)."""
    return Programme.objects.get(association=association, is_default=True)


# --- Which programmes a coordinator may see ---------------------------------------------------
# The one rule, read in one place: a coordinator who acts for the association (see
# associations.selectors.acts_for) sees every programme of it, unless their membership is
# restricted to some programmes (rows of ProgrammeCoordinator): then only those. Every coordinator
# door (pages, API, exports, dashboards) filters through ``programmes_for_coordinator`` or
# ``scope``, which is the same rule as a subquery (no query of its own).


def _visible_programmes(*, user: User, association: Association) -> QuerySet[Programme]:
    memberships = acting_coordinator_memberships().filter(user=user, association=association)
    restrictions = ProgrammeCoordinator.objects.filter(membership__in=memberships)
    return Programme.objects.filter(association=association).filter(
        Exists(memberships),
        ~Exists(restrictions) | Exists(restrictions.filter(programme=OuterRef("pk"))),
    )


def programmes_for_coordinator(*, user: User, association: Association) -> QuerySet[Programme]:
    """The programmes of ``association`` that ``user`` may see as a coordinator (none if they do
    not act for it)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Programme.objects.none()
    return _visible_programmes(user=user, association=association)


def coordinator_is_restricted(*, user: User, association: Association) -> bool:
    """Is ``user`` a coordinator of ``association`` restricted to some of its programmes? A
    restricted coordinator sees no association-wide figure (dashboards) and cannot create
    programmes nor restrict others. (One query.)"""
    memberships = acting_coordinator_memberships().filter(user=user, association=association)
    return ProgrammeCoordinator.objects.filter(membership__in=memberships).exists()


def scope(
    queryset: QuerySet[T], *, user: User, association: Association, programme: str | Programme | None = None,
    via: str = "programme",
) -> QuerySet[T]:
    """``queryset`` cut to the programmes ``user`` may see (``via``: the path from its rows to
    their programme, e.g. ``"mentee__programme"`` for binômes and proposals), and to one of them
    when ``programme`` (a slug or a Programme) is given: a programme the user may not see gives
    nothing. No query of its own: the rule is a subquery of the caller's."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    visible = programmes_for_coordinator(user=user, association=association)
    if isinstance(programme, Programme):
        visible = visible.filter(pk=programme.pk)
    elif programme:
        visible = visible.filter(slug=programme)
    return queryset.filter(InArray(F(via), Subquery(visible.values("pk"))))


class InArray(Func):
    """``column IN (subquery)`` written for PostgreSQL as ``column = ANY(ARRAY(subquery))``.

    Same rows, but PostgreSQL plans the ARRAY(...) once, on its own, as an InitPlan. Written as
    ``IN (subquery)``, the visible-programmes rule (three EXISTS over memberships, associations and
    restrictions) is pulled up into the caller's joins, and on a list that also joins both people's
    memberships and users the planner searched join orders for 85-100 ms on every page for a
    1.5 ms execution (EXPLAIN ANALYZE of the binômes list at 10k participants; 3-5 ms planning
    this way). Other databases get the plain IN."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def] # noqa: ANN001, ANN003, ANN201, ARG002
        column, column_params = compiler.compile(self.source_expressions[0])
        subquery, subquery_params = compiler.compile(self.source_expressions[1])
        if connection.vendor == "postgresql":
            return f"({column} = ANY(ARRAY{subquery}))", (*column_params, *subquery_params)
        return f"({column} IN {subquery})", (*column_params, *subquery_params)


def programme_visible(*, user: User, association: Association, programme_id: int) -> bool:
    """May ``user`` see this programme (for a detail page reached another way)? One query."""
    return programmes_for_coordinator(user=user, association=association).filter(pk=programme_id).exists()


def coordinator_restrictions(*, association: Association) -> list[tuple[Membership, set[int]]]:
    """Each current coordinator of ``association`` and the ids of the programmes they are
    restricted to (empty: every programme). Two queries."""
    from associations.selectors import coordinator_list

    memberships = list(coordinator_list(association=association))
    given: dict[int, set[int]] = {m.pk: set() for m in memberships}
    for membership_id, programme_id in ProgrammeCoordinator.objects.filter(membership__in=memberships).values_list(
            "membership_id", "programme_id"):
        given[membership_id].add(programme_id)
    return [(m, given[m.pk]) for m in memberships]


def programme_get_for_coordinator(*, user: User, association: Association, slug: str) -> Programme:
    """The programme ``slug`` of ``association`` if ``user`` may see it; Http404 otherwise (another
    association's programme, or one the coordinator is not given, looks like a missing one)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    return get_object_or_404(programmes_for_coordinator(user=user, association=association), slug=slug)


def association_get_for_unrestricted_coordinator(*, user: User, slug: str) -> Association:
    """For the association-wide doors (dashboards, their exports): the association if ``user``
    acts for it and is not restricted to some programmes; Http404 otherwise (a restricted
    coordinator sees no figure of the programmes they are not given). One query, like
    associations.selectors.association_get_for_coordinator (the dashboards pin their count)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404
    unrestricted = acting_coordinator_memberships().filter(user=user, association=OuterRef("pk")).exclude(
        Exists(ProgrammeCoordinator.objects.filter(membership=OuterRef("pk"))))
    return get_object_or_404(Association.objects.filter(Exists(unrestricted)).select_related("address_commune"), slug=slug)


def programme_get_public(*, association: Association, slug: str) -> Programme:
    """A programme of an active association, for its public sign-up page; Http404 otherwise."""
    if not association.is_active:
        raise Http404
    return get_object_or_404(Programme.objects.filter(association=association), slug=slug)


def programme_list_public_extra(*, association: Association) -> list[Programme]:
    """The association's programmes other than its default one that take sign-ups today (its
    public page lists them, each with its own link)."""
    today = timezone.localdate()
    others = Programme.objects.filter(association=association, is_default=False).order_by("name")
    return [p for p in others if programme_accepts_sign_ups(programme=p, today=today)]


def programme_accepts_sign_ups(*, programme: Programme, today: date) -> bool:
    """Open for sign-ups today: switched on, within its intake dates (a rolling intake has none),
    and not over."""
    if not programme.signup_open or (programme.ends_on is not None and today > programme.ends_on):
        return False
    if programme.intake == Programme.Intake.DATES:
        return programme.opens_on is not None and programme.closes_on is not None and programme.opens_on <= today <= programme.closes_on
    return True


def cohort_current(*, programme: Programme, today: date) -> Cohort | None:
    """The programme's current intake, which a sign-up today joins: the next cohort to start (a
    sign-up in June joins September's), else the one that started last; None without cohorts."""
    cohorts = Cohort.objects.filter(programme=programme)
    return cohorts.filter(starts_on__gte=today).order_by("starts_on").first() or cohorts.order_by("-starts_on").first()


def cohort_list(*, programme: Programme) -> QuerySet[Cohort]:
    return Cohort.objects.filter(programme=programme).order_by("-starts_on", "pk")


@dataclass(frozen=True)
class CohortRow:
    cohort: Cohort
    participants: int
    mentees: int
    matched: Figure
    active: Figure
    completed: Figure
    ended_early: Figure


def cohort_comparison(*, user: User, association: Association) -> list[CohortRow]:
    """Each cohort of the programmes ``user`` may see: its participants, and the share of its
    mentees matched, in a running binôme, completed and ended early (a share of fewer than the
    dashboards' MIN_PEOPLE mentees is not shown). One query."""
    from binomes.models import Binome

    mentees = Q(participants__role="mentee")
    binome = "participants__binomes_as_mentee"
    cohorts = (
        Cohort.objects.filter(programme__in=programmes_for_coordinator(user=user, association=association).values("pk"))
        .select_related("programme")
        .annotate(
            n_participants=Count("participants", distinct=True),
            n_mentees=Count("participants", filter=mentees, distinct=True),
            n_matched=Count("participants", filter=mentees & Q(**{f"{binome}__isnull": False}), distinct=True),
            n_active=Count("participants", filter=mentees & Q(**{f"{binome}__status__in": Binome.RUNNING_STATUSES}), distinct=True),
            n_completed=Count("participants", filter=mentees & Q(**{f"{binome}__status": Binome.Status.COMPLETED}), distinct=True),
            n_ended_early=Count("participants", filter=mentees & Q(**{f"{binome}__status": Binome.Status.ENDED_EARLY}), distinct=True),
        )
        .order_by("programme__name", "-starts_on", "pk")
    )
    return [
        CohortRow(
            cohort=c, participants=c.n_participants, mentees=c.n_mentees,
            matched=ratio(_("appariés"), c.n_matched, c.n_mentees),
            active=ratio(_("en binôme"), c.n_active, c.n_mentees),
            completed=ratio(_("programme terminé"), c.n_completed, c.n_mentees),
            ended_early=ratio(_("arrêté avant la fin"), c.n_ended_early, c.n_mentees),
        )
        for c in cohorts
    ]
