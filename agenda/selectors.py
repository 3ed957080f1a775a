"""Reads of planned meetings: only the binôme's two members and its association's coordinators."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from agenda.models import CalendarFeed, Place, PlannedMeeting
from agenda.services import feed_token_hash
from associations.models import Association
from binomes.selectors import Viewer, binome_get_for_viewer

_RELATED = ("place", "binome__association", "binome__mentor__membership__user", "binome__mentee__membership__user")


def planned_meetings_for_viewer(*, viewer: Viewer) -> QuerySet[PlannedMeeting]:
    return PlannedMeeting.objects.filter(binome=viewer.binome).select_related(*_RELATED).order_by("-starts_at", "-pk")


def planned_meeting_get_for_viewer(*, user: User, binome_id: int, planned_id: int) -> tuple[Viewer, PlannedMeeting]:
    """Http404 unless ``user`` is a member of the binôme or coordinates its association."""
    viewer = binome_get_for_viewer(user=user, binome_id=binome_id)
    planned = PlannedMeeting.objects.select_related(*_RELATED).filter(pk=planned_id, binome=viewer.binome).first()
    if planned is None:
        raise Http404
    return viewer, planned


def places_for_association(*, association: Association, active_only: bool = True) -> QuerySet[Place]:
    places = Place.objects.filter(association=association)
    return places.filter(active=True) if active_only else places


def feed_items_for_user(*, user: User) -> list[tuple[PlannedMeeting, str]]:
    """The user's confirmed and proposed meetings from 30 days back, with the other's first name."""
    since = timezone.now() - timedelta(days=30)
    rows = (PlannedMeeting.objects.select_related(*_RELATED)
            .filter(Q(binome__mentor__membership__user=user) | Q(binome__mentee__membership__user=user),
                    starts_at__gte=since, status__in=[PlannedMeeting.Status.PROPOSED, PlannedMeeting.Status.ACCEPTED,
                                                      PlannedMeeting.Status.HELD])
            .order_by("starts_at"))
    items = []
    for planned in rows:
        other = planned.binome.mentee if planned.binome.member_role(user.pk) == "mentor" else planned.binome.mentor
        items.append((planned, other.membership.user.first_name))
    return items


def calendar_feed_user(*, token: str) -> User:
    """The owner of a live feed token; Http404 for an unknown or revoked one."""
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=feed_token_hash(token), revoked_at__isnull=True).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


def calendar_feed_live(*, user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
