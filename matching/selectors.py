"""Reads of the matching, scoped to a coordinator's association (404 otherwise)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from associations.models import Association
from associations.services import is_coordinator
from matching.models import MatchingSettings, MatchRun, Proposal, UnmatchedMentee
from participants.selectors import years_before
from programmes.models import Programme
from programmes.selectors import scope


def settings_for(programme: Programme) -> MatchingSettings:
    """The programme's matching settings: its row, or (a programme whose settings were never
    edited) an unsaved row of the defaults. The one reader of the settings: the settings page and
    API, a run's snapshot, the pool, the demo and the alternatives all come here. One query."""
    return settings_for_programmes([programme])[programme.pk]


def settings_for_programmes(programmes: list[Programme]) -> dict[int, MatchingSettings]:
    """``settings_for`` of several programmes at once, by programme id (one query)."""
    rows = {row.programme_id: row for row in MatchingSettings.objects.filter(programme__in=[p.pk for p in programmes])}
    return {p.pk: rows.get(p.pk) or MatchingSettings(association_id=p.association_id, programme=p) for p in programmes}


def _check(user: User, association: Association) -> None:
    if not is_coordinator(user=user, association=association):
        raise Http404


def _runs(user: User, association: Association, programme: str | Programme | None = None) -> QuerySet[MatchRun]:
    return scope(MatchRun.objects.filter(association=association), user=user, association=association, programme=programme)


def match_run_list(
    *, user: User, association: Association, limit: int = 20, programme: str | Programme | None = None,
) -> list[MatchRun]:
    """The latest runs of the programmes ``user`` may see (of one when ``programme`` is given)."""
    _check(user, association)
    return list(_runs(user, association, programme).select_related("requested_by", "programme")[:limit])


def match_run_queryset(*, user: User, association: Association) -> QuerySet[MatchRun]:
    """All the association's runs, newest first, as a queryset (the API paginates it)."""
    _check(user, association)
    return _runs(user, association).select_related("requested_by", "programme").order_by("-created_at", "-pk")


def match_run_get(*, user: User, association: Association, run_id: int) -> MatchRun:
    _check(user, association)
    return get_object_or_404(_runs(user, association).select_related("requested_by", "programme"), pk=run_id)


def match_run_active(*, association: Association) -> MatchRun | None:
    return MatchRun.objects.filter(association=association, status__in=MatchRun.ACTIVE_STATUSES).first()


def unmatched_queryset(*, user: User, association: Association, run: MatchRun) -> QuerySet[UnmatchedMentee]:
    """The run's mentees without a proposal and why, with their person joined (one query a page):
    no admissible mentor first, then all taken."""
    _check(user, association)
    return (
        scope(UnmatchedMentee.objects.filter(run=run, association=association), user=user, association=association,
              via="run__programme")
        .select_related("mentee__membership__user", "mentee__commune")
        .order_by("kind", "constraint", "mentee_id")
    )


def unmatched_reason_for_participant(*, user: User, association: Association, participant_id: int) -> UnmatchedMentee | None:
    """Why the participant got no proposal in the association's latest finished run (None if they
    got one, were not in its pool, or no run finished). Coordinators only (404 otherwise). Two queries."""
    _check(user, association)
    # a one-person run (matching.rematch) is not "the latest run" of the participant's programme
    latest = (_runs(user, association).filter(status=MatchRun.Status.DONE, programme__participants=participant_id)
              .exclude(trigger="single")
              .order_by("-finished_at", "-pk").first())
    if latest is None:
        return None
    return UnmatchedMentee.objects.filter(run=latest, mentee_id=participant_id).select_related("run").first()


def unmatched_latest(
    *, user: User, association: Association, limit: int = 10, programme: str | Programme | None = None,
) -> list[UnmatchedMentee]:
    """The first ``limit`` mentees without a proposal in the association's latest finished run (of
    ``programme`` when given: the proposals page's selector), for the proposals page; the run's own
    page lists them all; ``run_id`` links to it. Coordinators only. Two queries (the check, then the
    rows with the latest run as a subquery)."""
    _check(user, association)
    latest = (_runs(user, association, programme).filter(status=MatchRun.Status.DONE).exclude(trigger="single")
              .order_by("-finished_at", "-pk").values("pk")[:1])
    return list(
        UnmatchedMentee.objects.filter(association=association, run=Subquery(latest))
        .select_related("mentee__membership__user").order_by("kind", "constraint", "mentee_id")[:limit]
    )


@dataclass(frozen=True)
class ProposalFilters:
    status: str = Proposal.Status.PROPOSED
    min_score: float | None = None
    minors_only: bool = False
    search: str = ""
    programme: str = ""  # a programme's slug; every programme the coordinator may see when empty


def _proposals(user: User, association: Association, programme: str | Programme | None = "") -> QuerySet[Proposal]:
    return scope(Proposal.objects.filter(association=association), user=user, association=association, programme=programme,
                 via="mentee__programme")


def proposal_list(*, user: User, association: Association, filters: ProposalFilters | None = None) -> QuerySet[Proposal]:
    """Proposals best first, both people joined (users and communes): one query per page."""
    _check(user, association)
    f = filters or ProposalFilters()
    qs = _proposals(user, association, f.programme).select_related(
        "run", "mentee__membership__user", "mentee__commune", "mentor__membership__user", "mentor__commune"
    )
    if f.status:
        qs = qs.filter(status=f.status)
    if f.min_score is not None:
        qs = qs.filter(score__gte=f.min_score)
    if f.minors_only:
        qs = qs.filter(mentee__birth_date__gt=years_before(timezone.localdate(), 18))
    if f.search:
        for word in f.search.split()[:5]:
            qs = qs.filter(
                Q(mentee__membership__user__first_name__icontains=word)
                | Q(mentee__membership__user__last_name__icontains=word)
                | Q(mentor__membership__user__first_name__icontains=word)
                | Q(mentor__membership__user__last_name__icontains=word)
            )
    return qs.order_by("-score", "pk")


def proposal_get(*, user: User, association: Association, proposal_id: int) -> Proposal:
    _check(user, association)
    return get_object_or_404(_proposals(user, association).select_related("association"), pk=proposal_id)


def proposals_by_ids(*, user: User, association: Association, ids: list[int]) -> list[Proposal]:
    _check(user, association)
    return list(
        _proposals(user, association).filter(pk__in=ids).select_related(
            "association", "mentee__membership__user", "mentor__membership__user"
        )
    )
