"""Reads for the dashboards: who may see which scope."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import User
from associations.models import Association
from associations.services import is_coordinator
from binomes.models import Binome, EndSurvey, Message
from dashboards.models import ExportFile
from participants.models import Participant
from programmes.models import Programme
from programmes.selectors import coordinator_is_restricted, programme_visible


def require_operator(user: User) -> None:
    if not (user.is_authenticated and user.is_operator):
        raise Http404


def _count(qs: QuerySet) -> Coalesce:
    return Coalesce(Subquery(qs.order_by().values("association_id").annotate(c=Count("pk")).values("c")[:1], output_field=IntegerField()), Value(0))


def association_table(*, user: User, scope) -> list[Association]:  # noqa: ANN001
    """One row of aggregates per association for the operator — one query (correlated
    subqueries), no participant's personal data."""
    require_operator(user)
    same = {"association_id": OuterRef("pk")}
    surveys = EndSurvey.objects.filter(binome__association_id=OuterRef("pk"), role="mentor", created_at__gte=scope.since, created_at__lt=scope.until)

    def survey_count(qs: QuerySet) -> Coalesce:
        return Coalesce(Subquery(qs.order_by().values("binome__association_id").annotate(c=Count("pk")).values("c")[:1], output_field=IntegerField()), Value(0))

    return list(
        Association.objects.filter(status=Association.Status.ACTIVE).annotate(
            n_mentees=_count(Participant.objects.filter(**same, role="mentee", created_at__gte=scope.since, created_at__lt=scope.until)),
            n_mentors=_count(Participant.objects.filter(**same, role="mentor", created_at__gte=scope.since, created_at__lt=scope.until)),
            n_open=_count(Binome.objects.filter(**same, status__in=Binome.OPEN_STATUSES)),
            n_started=_count(Binome.objects.filter(**same, created_at__gte=scope.since, created_at__lt=scope.until)),
            n_early=_count(Binome.objects.filter(**same, status=Binome.Status.ENDED_EARLY, ended_on__gte=scope.start, ended_on__lte=scope.end)),
            n_mentor_surveys=survey_count(surveys),
            n_mentors_satisfied=survey_count(surveys.filter(satisfaction__gte=4)),
        ).order_by("name")
    )


def binomes_for_export(*, association: Association, programme: Programme | None = None) -> QuerySet[Binome]:
    """The association's binômes (of ``programme``'s mentees when given) with their counts."""
    messages = Message.objects.filter(binome=OuterRef("pk")).order_by().values("binome").annotate(c=Count("pk")).values("c")[:1]
    from binomes.models import Meeting

    meetings = Meeting.objects.filter(binome=OuterRef("pk")).order_by().values("binome").annotate(c=Count("pk")).values("c")[:1]
    binomes = Binome.objects.filter(association=association)
    if programme is not None:
        binomes = binomes.filter(mentee__programme=programme)
    return (
        binomes
        .select_related("mentor__membership__user", "mentee__membership__user")
        .annotate(n_messages=Coalesce(Subquery(messages, output_field=IntegerField()), Value(0)),
                  n_meetings=Coalesce(Subquery(meetings, output_field=IntegerField()), Value(0)))
        .order_by("started_on", "pk")
    )


def binome_export_values(*, association: Association, programme: Programme | None = None) -> QuerySet:
    """The export's columns as tuples (``dashboards.exports.binome_rows``): no model instances,
    read through a server-side cursor by the streamed response. Precondition: the caller checked
    who may see ``programme`` (or the whole association): ``programmes.picker``."""
    return binomes_for_export(association=association, programme=programme).values_list(
        "pk", "mentee__membership__user__first_name", "mentee__membership__user__last_name",
        "mentor__membership__user__first_name", "mentor__membership__user__last_name", "status", "started_on",
        "planned_end_on", "ended_on", "end_reason_code", "continued_count", "n_messages", "n_meetings",
    )


def export_file_get_for_coordinator(*, user: User, association: Association, export_id: int) -> ExportFile:
    """A large export of ``association``, for any of its current coordinators who may see what it
    lists (a programme's file: its coordinators; the whole association's: an unrestricted one);
    Http404 otherwise (another association's file is one id away)."""
    if not is_coordinator(user=user, association=association):
        raise Http404
    export = ExportFile.objects.filter(pk=export_id, association=association).select_related("association", "programme").first()
    if export is None:
        raise Http404
    if export.programme_id is None:
        if coordinator_is_restricted(user=user, association=association):
            raise Http404
    elif not programme_visible(user=user, association=association, programme_id=export.programme_id):
        raise Http404
    return export
