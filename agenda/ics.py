"""iCalendar (RFC 5545 / iTIP RFC 5546) for planned meetings, built with ``icalendar`` (BSD-2).

* An invitation is ``METHOD:REQUEST`` with the event's stable ``UID`` and its ``SEQUENCE``: a
  later invitation (new time, confirmation) replaces the earlier one in the calendar;
  a cancellation is ``METHOD:CANCEL`` with a higher ``SEQUENCE`` and ``STATUS:CANCELLED``.
* Times are written in Europe/Paris with its ``VTIMEZONE`` (what a French calendar shows).
* The only attendee written is the recipient: the members never see each other's e-mail address
  (contact details do not pass between members); the organiser is the platform's sender address.
* A subscription feed has no METHOD (``PUBLISH``-like, read-only).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from agenda.models import PlannedMeeting

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//Mentorat//Rendez-vous des binomes//FR"
UID_DOMAIN = "mentorat"


def event_uid(planned: PlannedMeeting) -> str:
    return f"{planned.uid}@{UID_DOMAIN}"


def _summary(planned: PlannedMeeting, other_name: str) -> str:
    return _("Rencontre de binôme avec %(name)s") % {"name": other_name}


def _event(planned: PlannedMeeting, *, other_name: str, attendee_email: str | None, cancelled: bool) -> Event:
    event = Event()
    event.add("uid", event_uid(planned))
    event.add("dtstamp", timezone.now())
    event.add("sequence", planned.sequence)
    event.add("dtstart", planned.starts_at.astimezone(PARIS))
    event.add("dtend", (planned.starts_at + timedelta(minutes=planned.duration_minutes)).astimezone(PARIS))
    event.add("summary", _summary(planned, other_name))
    event.add("location", planned.where)
    description = planned.topic or ""
    event.add("description", description)
    if cancelled or planned.status == PlannedMeeting.Status.CANCELLED:
        event.add("status", "CANCELLED")
    elif planned.status == PlannedMeeting.Status.PROPOSED:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    organiser = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organiser.params["cn"] = vText("Mentorat")
    event.add("organizer", organiser)
    if attendee_email:
        attendee = vCalAddress(f"mailto:{attendee_email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("ACCEPTED" if planned.status == PlannedMeeting.Status.ACCEPTED else "NEEDS-ACTION")
        event.add("attendee", attendee)
    return event


def _calendar(method: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def invitation(planned: PlannedMeeting, *, other_name: str, attendee_email: str, cancel: bool = False) -> bytes:
    """One recipient's invitation (``REQUEST``) or cancellation (``CANCEL``)."""
    cal = _calendar("CANCEL" if cancel else "REQUEST")
    cal.add_component(_event(planned, other_name=other_name, attendee_email=attendee_email, cancelled=cancel))
    cal.add_missing_timezones()  # the Europe/Paris VTIMEZONE the DTSTART/DTEND refer to
    return cal.to_ical()


def feed(items: Iterable[tuple[PlannedMeeting, str]], *, name: str) -> bytes:
    """A subscription calendar: (meeting, the other member's first name) pairs."""
    cal = _calendar(None)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    for planned, other_name in items:
        cal.add_component(_event(planned, other_name=other_name, attendee_email=None, cancelled=False))
    cal.add_missing_timezones()
    return cal.to_ical()
