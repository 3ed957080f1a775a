"""Reads of participants, scoped to what the acting user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from accounts.selectors import user_name_matches
from associations.models import Association
from associations.services import is_coordinator
from participants.models import Participant
from programmes.selectors import scope
from safeguarding import policy

AGE_BANDS = {
    # code: (min age included, max age included)
    "under_15": (0, 14),
    "15_17": (15, 17),
    "18_25": (18, 25),
    "26_plus": (26, 200),
}
WAITING_DAYS = (30, 90, 180)


years_before = policy.years_before  # one definition of "the same day, N years earlier"


def birth_date_range_for_ages(low: int, high: int, today: date) -> tuple[date, date]:
    """Birth dates of people aged ``low``..``high`` (inclusive) on ``today``."""
    latest = years_before(today, low)
    earliest = years_before(today, high + 1) + timedelta(days=1)
    return earliest, latest


# The coordinator's list order (the index participant_list_order), also the API's keyset.
PARTICIPANT_LIST_ORDER = ("list_rank", "validated_at", "created_at", "pk")
# What the list's rows show (page and API): never the password hash, the texts nor the parent's contact.
_LIST_COLUMNS = (
    "association_id", "role", "status", "list_rank", "created_at", "validated_at", "birth_date", "education", "field",
    "qpv_resident", "boursier", "first_generation", "capacity", "vetting_verified_on", "vetting_expires_on",
    "membership__user__first_name", "membership__user__last_name", "membership__user__email",
    "commune__name", "commune__departement_id",
)


@dataclass(frozen=True)
class ParticipantFilters:
    role: str = ""
    status: str = ""
    waiting_days: int | None = None
    qpv: bool | None = None
    boursier: bool | None = None
    departement: str = ""
    age_band: str = ""
    search: str = ""
    programme: str = ""  # a programme's slug; every programme the coordinator may see when empty


def participant_list_for_coordinator(
    *, user: User, association: Association, filters: ParticipantFilters | None = None
) -> QuerySet[Participant]:
    """The association's participants; one query whatever the page size (users, communes and
    départements are joined, not fetched per row)."""
    if not is_coordinator(user=user, association=association):
        raise Http404
    f = filters or ParticipantFilters()
    qs = scope(Participant.objects.filter(association=association), user=user, association=association, programme=f.programme)
    qs = qs.select_related("membership__user", "commune").only(*_LIST_COLUMNS)
    if f.role:
        qs = qs.filter(role=f.role)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.waiting_days:
        from binomes.models import Binome

        since = timezone.now() - timedelta(days=f.waiting_days)
        from binomes.selectors import settled_mentee_ids

        # Waiting: a mentee not settled, a mentor with no open binôme.
        busy_mentors = Binome.objects.filter(association=association, status__in=Binome.OPEN_STATUSES).values("mentor_id")
        qs = (qs.filter(status=Participant.Status.VALIDATED, validated_at__lte=since)
              .exclude(pk__in=settled_mentee_ids(Q(association=association))).exclude(pk__in=busy_mentors))
    if f.qpv is not None:
        qs = qs.filter(qpv_resident=f.qpv)
    if f.boursier is not None:
        qs = qs.filter(boursier=f.boursier)
    if f.departement:
        qs = qs.filter(departement_code=f.departement)
    if f.age_band in AGE_BANDS:
        earliest, latest = birth_date_range_for_ages(*AGE_BANDS[f.age_band], timezone.localdate())
        qs = qs.filter(birth_date__gte=earliest, birth_date__lte=latest)
    if f.search:
        for word in f.search.split()[:5]:
            qs = qs.filter(user_name_matches(word, path="membership__user"))
    # What needs a decision first (pending sign-ups, oldest first), then those waiting for a
    # binôme (longest wait first), then declined and withdrawn people: ``list_rank`` is that rank,
    # stored from the status, and the order is the index participant_list_order's, so a page reads
    # its 25 rows from the index instead of sorting the association.
    return qs.order_by(*PARTICIPANT_LIST_ORDER)


def participant_get_for_coordinator(*, user: User, association: Association, participant_id: int) -> Participant:
    if not is_coordinator(user=user, association=association):
        raise Http404
    return get_object_or_404(
        scope(Participant.objects, user=user, association=association).select_related(
            "membership__user", "commune__departement", "reviewed_by", "vetting_recorded_by", "association",
            "came_from_binome__mentor__membership__user", "came_from_binome__association",
        ),
        association=association,
        pk=participant_id,
    )


def participant_list_for_user(*, user: User) -> QuerySet[Participant]:
    """The user's own participations (one per association and role, past ones included)."""
    from binomes.models import Binome

    open_binome = Binome.objects.filter(Q(mentee=OuterRef("pk")) | Q(mentor=OuterRef("pk")), status__in=Binome.OPEN_STATUSES)
    return (
        Participant.objects.filter(membership__user=user)
        .select_related("association", "commune", "membership")
        .annotate(has_open_binome=Exists(open_binome))
        .order_by("-created_at")
    )


def participant_get_for_owner(*, user: User, participant_id: int) -> Participant:
    return get_object_or_404(
        Participant.objects.select_related("association", "commune", "membership__user"),
        membership__user=user,
        pk=participant_id,
    )


def participant_departements(*, association: Association) -> list[tuple[str, str]]:
    """Départements where the association's participants live, for the list filter."""
    # A skip scan of the index participant_list_departement: one index lookup per département
    # where someone lives (a handful), rather than a DISTINCT over every participant of the
    # association. The ORM cannot say it: PostgreSQL turns an EXISTS per département into a
    # semi-join over the association, and estimates a LIMIT 1 probe as a cheap sequential scan.
    from django.db import connection

    from geo.models import Departement

    participants, departements = Participant._meta.db_table, Departement._meta.db_table
    sql = f"""
        WITH RECURSIVE codes(code) AS (
            SELECT MIN(departement_code) FROM {participants} WHERE association_id = %s
            UNION ALL
            SELECT (SELECT MIN(p.departement_code) FROM {participants} p
                    WHERE p.association_id = %s AND p.departement_code > codes.code)
            FROM codes WHERE codes.code IS NOT NULL
        )
        SELECT d.code, d.name FROM codes JOIN {departements} d ON d.code = codes.code ORDER BY d.code
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [association.pk, association.pk])
        return [(code, name) for code, name in cursor.fetchall()]


def cascade_invitations(*, user: User) -> list:
    """Closed binômes in which ``user`` was the mentee, is now old enough to mentor in that
    association, and has not yet signed up as a mentor from: each is an invitation to mentor."""
    from binomes.models import Binome

    closed = (
        Binome.objects.filter(mentee__membership__user=user, status__in=[Binome.Status.COMPLETED, Binome.Status.ENDED_EARLY])
        .exclude(cascade_mentors__membership__user=user)
        .select_related("association", "mentee", "mentor__membership__user")
    )
    return [b for b in closed if b.mentee.age >= b.association.mentor_min_age]


def participant_safeguarding_refusal(*, participant: Participant) -> str | None:
    """What the coordinators read on the participant's page: why this person cannot be paired
    (nor, in a binôme, message) today — the safeguarding policy's own sentence."""
    from safeguarding import policy

    return policy.consent_refusal(participant=participant, on=timezone.localdate())
