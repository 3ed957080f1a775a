"""Reads of the funder report: which scope a user may ask for, and the report itself."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from associations.models import Association
from associations.services import is_coordinator
from dashboards.selectors import require_operator
from participants.models import Participant
from programmes.models import Programme
from programmes.selectors import programme_get_for_coordinator, programmes_for_coordinator
from reporting.figures import ReportScope, Table, compute
from reporting.workbook import Cover


def report_scope_for_coordinator(*, user: User, association: Association, start: date, end: date,
                                 programme_slug: str | None = None) -> tuple[ReportScope, Programme | None]:
    """The association's report, for one of its coordinators; Http404 otherwise. One programme
    (``programme_slug``, Http404 if the coordinator may not see it), or every programme the
    coordinator may see (``programmes.selectors.programmes_for_coordinator``, the one rule)."""
    if not is_coordinator(user=user, association=association):
        raise Http404
    if programme_slug:
        programme = programme_get_for_coordinator(user=user, association=association, slug=programme_slug)
        return ReportScope((association.pk,), start, end, (programme.pk,)), programme
    visible = tuple(programmes_for_coordinator(user=user, association=association).values_list("pk", flat=True))
    return ReportScope((association.pk,), start, end, visible), None


def report_scope_for_operator(*, user: User, start: date, end: date) -> ReportScope:
    """Every association's report, for the platform operator (aggregates only); Http404 otherwise."""
    require_operator(user)
    return ReportScope(None, start, end)


def report_build(*, scope: ReportScope, association: Association | None, programme: str | None = None) -> tuple[Cover, list[Table]]:
    cover = Cover(association=association.name if association else _("Toutes les associations"),
                  programme=programme or _("Tous les programmes"), start=scope.start, end=scope.end, generated_at=timezone.now())
    return cover, compute(scope)


def participant_for_funder_page(*, user: User, participant_id: int) -> Participant:
    """The user's own mentee profile (the page that asks the optional funder questions); Http404 otherwise."""
    participant = (Participant.objects.select_related("association", "membership__user")
                   .filter(pk=participant_id, membership__user=user, role=Participant.Role.MENTEE).first())
    if participant is None:
        raise Http404
    return participant
