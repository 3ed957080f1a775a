"""Reads of the proposals page at scale: filtered, sorted, one query per page.

Kept apart from ``matching.selectors`` (which the API and the run report also use) so the page's
sort keys and filters grow here without touching the shared ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, FloatField, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import User
from associations.models import Association
from matching import selectors
from matching.models import Proposal
from participants.selectors import years_before
from programmes.models import Programme

#: sort key -> ordering (best first for a coordinator: highest score, longest wait, nearest, youngest)
SORTS = {
    "score": (F("score").desc(), "pk"),
    "wait": (F("mentee__validated_at").asc(nulls_last=True), "-score", "pk"),
    "distance": (F("distance_km").asc(nulls_last=True), "-score", "pk"),
    "minors": (F("mentee__birth_date").desc(), "-score", "pk"),
}


@dataclass(frozen=True)
class ProposalQuery:
    status: str = Proposal.Status.PROPOSED
    min_score: float | None = None
    minors_only: bool = False
    remote_only: bool = False
    search: str = ""
    sort: str = "score"
    programme: str = ""


def proposal_page_list(*, user: User, association: Association, query: ProposalQuery | None = None) -> QuerySet[Proposal]:
    """The association's proposals for the review page, both people joined (users, communes and
    the mentee's association for the policy): one query per page, whatever the sort."""
    q = query or ProposalQuery()
    qs = selectors.proposal_list(
        user=user, association=association,
        filters=selectors.ProposalFilters(status=q.status, min_score=q.min_score, minors_only=False, search=q.search,
                                          programme=q.programme),
    ).select_related("association").annotate(
        distance_km=Cast(KeyTextTransform("distance_km", KeyTextTransform("facts", "breakdown")), FloatField()),
    )
    if q.minors_only:
        qs = qs.filter(mentee__birth_date__gt=years_before(timezone.localdate(), 18))
    if q.remote_only:
        qs = qs.filter(Q(breakdown__facts__meeting="remote"))
    return qs.order_by(*SORTS.get(q.sort, SORTS["score"]))


def proposal_pending_count(*, user: User, association: Association, programme: str | Programme | None = None) -> int:
    """The proposals waiting for a decision (of ``programme`` when given)."""
    selectors._check(user, association)
    return selectors._proposals(user, association, programme).filter(status=Proposal.Status.PROPOSED).count()


def proposal_get_with_people(*, user: User, association: Association, proposal_id: int) -> Proposal:
    """One proposal with both people (404 for another association's)."""
    proposal = selectors.proposal_get(user=user, association=association, proposal_id=proposal_id)
    return (
        Proposal.objects.select_related(
            "association", "run", "mentee__membership__user", "mentee__commune", "mentee__association",
            "mentor__membership__user", "mentor__commune",
        ).get(pk=proposal.pk)
    )
