"""Reads of binômes: only the two members and their association's coordinators reach one."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import reduce

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from accounts.models import User
from accounts.selectors import user_name_matches
from associations.models import Association
from associations.services import is_coordinator
from binomes.models import Binome, CheckIn, EndSurvey, Meeting, Message, ReadMarker, Report
from participants.models import Participant
from programmes.selectors import programme_visible, scope
from safeguarding.models import TextReview

# The binôme with its association and both people's participations and users: eight tables.
# Not the communes (no binôme page shows them): with them the pk lookup joined ten tables and
# PostgreSQL spent 16-23 ms planning it for 0.6 ms of execution (EXPLAIN ANALYZE at 10k), on
# every member page, full poll and action; without them the planning is 2-3 ms.
_RELATED = ("association", "mentor__membership__user", "mentee__membership__user")


def _member_filter(user: User) -> Q:
    return Q(mentor__membership__user=user) | Q(mentee__membership__user=user)


def binome_list_for_member(*, user: User) -> QuerySet[Binome]:
    return Binome.objects.filter(_member_filter(user)).select_related(*_RELATED).order_by("-created_at")


@dataclass(frozen=True)
class Viewer:
    binome: Binome
    role: str  # "mentor", "mentee" or "coordinator"

    @property
    def is_member(self) -> bool:
        return self.role in ("mentor", "mentee")


def binome_get_for_viewer(*, user: User, binome_id: int) -> Viewer:
    """The binôme if ``user`` is one of the two or coordinates its association; Http404 otherwise."""
    if not user.is_authenticated:
        raise Http404
    binome = Binome.objects.select_related(*_RELATED).filter(pk=binome_id).first()
    if binome is None:
        raise Http404
    role = binome.member_role(user.pk)
    if role is None:
        if not is_coordinator(user=user, association=binome.association):
            raise Http404
        # a coordinator restricted to other programmes: the same 404
        if not programme_visible(user=user, association=binome.association, programme_id=binome.mentee.programme_id):
            raise Http404
        role = "coordinator"
    return Viewer(binome, role)


def is_member(*, user: User, binome_id: int) -> bool:
    """Whether ``user`` is one of the binôme's two people: one query on the binôme's primary key
    and its two participants' memberships (the conversation poll's check when nothing is new)."""
    if not user.is_authenticated:
        return False
    return Binome.objects.filter(_member_filter(user), pk=binome_id).exists()


def binome_get_for_member(*, user: User, binome_id: int) -> Viewer:
    viewer = binome_get_for_viewer(user=user, binome_id=binome_id)
    if not viewer.is_member:
        raise Http404
    return viewer


def binome_get_for_coordinator(*, user: User, association: Association, binome_id: int) -> Binome:
    viewer = binome_get_for_viewer(user=user, binome_id=binome_id)
    if viewer.role != "coordinator" or viewer.binome.association_id != association.pk:
        raise Http404
    return viewer.binome


def visible_messages(*, viewer: Viewer, after_id: int = 0, before_id: int | None = None, newest_first: bool = False) -> QuerySet[Message]:
    """Messages the viewer may read: a held message is shown to its sender and to coordinators,
    not to the other member until a coordinator releases it (a refused one stays held: never).

    ``after_id`` / ``before_id`` are keyset cursors on the primary key: message_send locks the
    binôme row before inserting, so within one binôme ids are committed in the order they are
    given and a reader that has seen id n never misses a later n' < n."""
    order = ("-created_at", "-pk") if newest_first else ("created_at", "pk")
    qs = Message.objects.filter(binome=viewer.binome, pk__gt=after_id).select_related("sender", "review").order_by(*order)
    if before_id is not None:
        qs = qs.filter(pk__lt=before_id)
    if viewer.is_member:
        user_id = viewer.binome.mentor.membership.user_id if viewer.role == "mentor" else viewer.binome.mentee.membership.user_id
        qs = qs.filter(Q(held=False) | Q(sender_id=user_id))
    return qs


def conversation_decisions(*, viewer: Viewer) -> int:
    """How many of the binôme's flagged messages the team has released or refused: a decision
    changes what an already open page should show (a release reveals an old message to the other
    member, a refusal hides one), and old ids escape the poll's ``after`` cursor. Decisions are
    final, so the count only grows; one indexed join over this binôme's messages."""
    return TextReview.objects.filter(message__binome=viewer.binome).exclude(status=TextReview.Status.PENDING).count()


def unread_total(*, user: User) -> int:
    """Messages from the other member, visible, newer than the user's read marker or released
    since. Two small queries, neither ever estimated over the association nor the message table
    (else PostgreSQL JIT-compiles the navigation on every page): the user's binômes with their
    read markers, reached through the mentor and mentee indexes (a union, as an OR of the two
    would scan every binôme); then one count whose condition names each binôme and its marker, an
    index range on (binome, created_at) each. A user in no binôme (a coordinator) costs one query."""
    me = Participant.objects.filter(membership__user=user).values("pk")
    marker = ReadMarker.objects.filter(binome=OuterRef("pk"), user=user).values("last_read_at")[:1]
    as_mentor, as_mentee = (
        Binome.objects.filter(**{f"{side}_id__in": me}).order_by().annotate(since=Subquery(marker)).values_list("pk", "since")
        for side in ("mentor", "mentee")
    )
    mine = list(as_mentor.union(as_mentee))
    if not mine:
        return 0
    epoch = datetime.min.replace(tzinfo=UTC)
    unread = reduce(operator.or_, (
        Q(binome_id=binome_id) & (Q(created_at__gt=since or epoch) | Q(released_at__gt=since or epoch)) for binome_id, since in mine))
    return Message.objects.filter(unread, held=False).exclude(sender=user).count()


@dataclass(frozen=True)
class BinomeFilters:
    status: str = ""
    health: str = ""
    search: str = ""
    reported: bool = False
    programme: str = ""  # a programme's slug; every programme the coordinator may see when empty


# The coordinators' list order, which the index ``binome_list_order`` (and its status and health
# twins) follows; the API's cursor is the last row's values of these fields.
BINOME_LIST_ORDER = ("list_rank", "last_activity_at", "pk")


def binome_list_for_coordinator(*, user: User, association: Association, filters: BinomeFilters | None = None) -> QuerySet[Binome]:
    """What needs a coordinator first: open reports, held messages, then running pairs by health
    (at risk first) and longest silence; suspended, then closed pairs last. Sorted and filtered on
    the row's stored keys (``binomes.attention``): a page reads its rows from an index in order,
    whatever the association's size (no count nor health worked out over the association)."""
    if not is_coordinator(user=user, association=association):
        raise Http404
    f = filters or BinomeFilters()
    qs = scope(Binome.objects.filter(association=association), user=user, association=association, programme=f.programme,
               via="mentee__programme")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.health:
        qs = qs.filter(health=f.health)
    if f.reported:
        qs = qs.filter(list_rank=0)  # open_report_count > 0, in the index
    if f.search:
        for word in f.search.split()[:5]:
            qs = qs.filter(user_name_matches(word, path="mentor__membership__user") | user_name_matches(word, path="mentee__membership__user"))
    # The names the list and the API show; not the communes (fewer joins to plan on every page).
    return qs.select_related("association", "mentor__membership__user", "mentee__membership__user").order_by(*BINOME_LIST_ORDER)


# What a row of the coordinators' list page shows (the API's serializer reads more): the stored
# list keys, dates and the two people's names, never the users' password hashes nor the
# association's settings (the page has the association already).
_LIST_PAGE_COLUMNS = (
    "association_id", "mentor_id", "mentee_id", "status", "planned_end_on", "last_activity_at", "health",
    "open_report_count", "held_message_count",
    *(f"{side}__membership__user__{name}" for side in ("mentor", "mentee") for name in ("first_name", "last_name", "email")),
)


def binome_list_page_for_coordinator(*, user: User, association: Association, filters: BinomeFilters | None = None) -> QuerySet[Binome]:
    """The coordinators' list page: ``binome_list_for_coordinator`` (its scope, filters and
    order) with only the columns a row shows."""
    qs = binome_list_for_coordinator(user=user, association=association, filters=filters)
    return qs.select_related(None).select_related("mentor__membership__user", "mentee__membership__user").only(*_LIST_PAGE_COLUMNS)


def open_reports(*, binome: Binome) -> QuerySet[Report]:
    return binome.reports.filter(handled_at__isnull=True).select_related("reporter", "message")


def settled_mentee_ids(scope: Q | None = None) -> QuerySet:
    """Ids of the mentees who no longer wait for a binôme (see Binome.SETTLED_STATUSES), for
    "id IN (…)" tests: the pool, the participants list and the dashboards share this rule."""
    return Binome.objects.filter(scope or Q(), status__in=Binome.SETTLED_STATUSES).values("mentee_id")


def _viewer_user_id(viewer: Viewer) -> int | None:
    if viewer.role == "mentor":
        return viewer.binome.mentor.membership.user_id
    if viewer.role == "mentee":
        return viewer.binome.mentee.membership.user_id
    return None


def meeting_list_for_viewer(*, viewer: Viewer) -> QuerySet[Meeting]:
    """The binôme's meetings, newest first: both members and the coordinators see them all (a
    held or refused note is replaced for the other member at display, see MeetingSerializer)."""
    return Meeting.objects.filter(binome=viewer.binome).select_related("review").order_by("-happened_on", "-pk")


def check_in_list_for_viewer(*, viewer: Viewer) -> QuerySet[CheckIn]:
    """Monthly check-ins, newest first: coordinators see both members' answers, a member only
    their own (what one says about the pair is not shown to the other)."""
    qs = CheckIn.objects.filter(binome=viewer.binome).order_by("-month", "-pk")
    if viewer.is_member:
        qs = qs.filter(user_id=_viewer_user_id(viewer))
    return qs


def end_survey_get_for_member(*, viewer: Viewer) -> EndSurvey | None:
    """The member's end survey for the binôme's current horizon (planned end), if answered."""
    if not viewer.is_member:
        return None
    return EndSurvey.objects.filter(
        binome=viewer.binome, user_id=_viewer_user_id(viewer), horizon=viewer.binome.planned_end_on
    ).first()


def approved_proposal_of(*, binome: Binome):  # noqa: ANN201 - a matching.models.Proposal or None
    """The approved proposal this binôme came from (its explanation), if any."""
    from matching.models import Proposal

    return (
        Proposal.objects.filter(mentee_id=binome.mentee_id, mentor_id=binome.mentor_id, status=Proposal.Status.APPROVED)
        .order_by("-decided_at").first()
    )


def binome_explanation_for_viewer(*, viewer: Viewer) -> list[str]:
    """Why the two were paired: the coordinators read every reason, the members only the
    non-sensitive ones (``matching.explanations.member_breakdown``: never social background)."""
    from matching.explanations import explanation_lines, member_explanation_lines

    proposal = approved_proposal_of(binome=viewer.binome)
    if proposal is None:
        return []
    return member_explanation_lines(proposal.breakdown) if viewer.is_member else explanation_lines(proposal.breakdown)
