"""Planned meetings: proposal, acceptance, .ics invitations (parsed back), updates, cancellation,
the reminder, "did it take place?" and the safeguarding rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from agenda import services
from agenda.models import Place, PlannedMeeting
from binomes import lifecycle
from binomes.models import Meeting

pytestmark = pytest.mark.django_db


def _calendars(mail):
    """The .ics attachments of a sent e-mail, parsed with the library."""
    return [Calendar.from_ical(content) for _name, content, mimetype in mail.attachments if mimetype.startswith("text/calendar")]


def _event(cal):
    return next(c for c in cal.walk("VEVENT"))


def _propose(binome, by, starts_at, **kwargs):
    kwargs.setdefault("format", "in_person")
    kwargs.setdefault("place_text", "Médiathèque Elsa-Triolet")
    return services.planned_meeting_propose(binome=binome, by=by, starts_at=starts_at, duration_minutes=kwargs.pop("duration", 90), **kwargs)


def test_both_members_get_an_invitation_they_can_add_to_their_calendar(binome, mentor_user, mentee_user, soon, mailoutbox,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        planned = _propose(binome, mentor_user, soon, topic="Préparer Parcoursup")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.planned_meeting_accept(planned=planned, by=mentee_user)

    planned.refresh_from_db()
    assert planned.status == PlannedMeeting.Status.ACCEPTED
    assert sorted(m.to[0] for m in mailoutbox) == ["ines@example.org", "yanis@example.org"]
    for mail in mailoutbox:
        assert "Rendez-vous confirmé" in mail.subject
        (cal,) = _calendars(mail)
        event = _event(cal)
        assert str(cal["method"]) == "REQUEST"
        assert str(event["uid"]) == f"{planned.uid}@mentorat"
        assert event["sequence"] == planned.sequence == 1
        assert str(event["status"]) == "CONFIRMED"
        assert event.decoded("dtstart") == soon
        assert event["dtstart"].params["TZID"] == "Europe/Paris"
        assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
        assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=90)
        assert str(event["location"]) == "Médiathèque Elsa-Triolet"
        # Only the recipient is an attendee: the members never see each other's address.
        assert [str(a) for a in ([event["attendee"]] if not isinstance(event["attendee"], list) else event["attendee"])] == [f"mailto:{mail.to[0]}"]
        assert "ines@" not in mail.body or mail.to[0] == "ines@example.org"


def test_a_new_time_updates_the_same_event_and_a_cancellation_removes_it(binome, mentor_user, mentee_user, soon, mailoutbox,
                                                                        django_capture_on_commit_callbacks):
    planned = _propose(binome, mentor_user, soon)
    services.planned_meeting_accept(planned=planned, by=mentee_user)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.planned_meeting_reschedule(planned=planned, by=mentee_user, starts_at=soon + timedelta(days=1), duration_minutes=60,
                                            format="remote")
    (update,) = _calendars(next(m for m in mailoutbox if m.to == ["yanis@example.org"]))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.planned_meeting_cancel(planned=planned, by=mentor_user)
    (cancel,) = _calendars(next(m for m in mailoutbox if m.to == ["yanis@example.org"]))

    assert _event(update)["uid"] == _event(cancel)["uid"] == f"{planned.uid}@mentorat"
    assert (str(update["method"]), _event(update)["sequence"], str(_event(update)["status"])) == ("REQUEST", 2, "TENTATIVE")
    assert str(_event(update)["location"]) == "À distance"
    assert (str(cancel["method"]), _event(cancel)["sequence"], str(_event(cancel)["status"])) == ("CANCEL", 3, "CANCELLED")
    assert len(mailoutbox) == 2  # the cancellation reaches both members


def test_a_proposal_waits_for_the_other_member_not_for_its_author(binome, mentor_user, soon):
    planned = _propose(binome, mentor_user, soon)

    again = services.planned_meeting_accept(planned=planned, by=mentor_user)

    assert again.status == PlannedMeeting.Status.PROPOSED and again.sequence == 0


def test_the_reminder_leaves_once_the_day_before(binome, mentor_user, mentee_user, soon, mailoutbox, time_machine,
                                                django_capture_on_commit_callbacks):
    planned = _propose(binome, mentor_user, soon)
    services.planned_meeting_accept(planned=planned, by=mentee_user)
    mailoutbox.clear()
    time_machine.move_to(soon - timedelta(days=2))
    assert services.planned_meeting_reminders() == 0  # two days before: not yet

    time_machine.move_to(soon - timedelta(hours=20))
    with django_capture_on_commit_callbacks(execute=True):
        first = services.planned_meeting_reminders()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.planned_meeting_reminders()

    assert (first, second) == (1, 0)
    reminders = [m for m in mailoutbox if m.subject.startswith("Demain")]
    assert sorted(m.to[0] for m in reminders) == ["ines@example.org", "yanis@example.org"]


def test_did_it_take_place_logs_the_meeting_once(binome, mentor_user, mentee_user, soon, time_machine):
    planned = _propose(binome, mentor_user, soon, topic="CV")
    services.planned_meeting_accept(planned=planned, by=mentee_user)
    time_machine.move_to(soon + timedelta(hours=3))

    services.planned_meeting_outcome(planned=planned, by=mentee_user, took_place=True)
    services.planned_meeting_outcome(planned=planned, by=mentor_user, took_place=True)  # the other also clicks

    meeting = Meeting.objects.get(binome=binome)
    assert (meeting.happened_on, meeting.duration_minutes, meeting.format, meeting.logged_by) == (
        timezone.localtime(soon).date(), 90, "in_person", mentee_user)
    planned.refresh_from_db()
    assert planned.status == PlannedMeeting.Status.HELD and planned.meeting == meeting


def test_a_meeting_not_held_logs_nothing(binome, mentor_user, mentee_user, soon, time_machine):
    planned = _propose(binome, mentor_user, soon)
    services.planned_meeting_accept(planned=planned, by=mentee_user)
    time_machine.move_to(soon + timedelta(hours=3))

    services.planned_meeting_outcome(planned=planned, by=mentor_user, took_place=False)

    assert not Meeting.objects.exists()


def test_a_suspended_binome_plans_nothing(binome, mentor_user, coordinator_user, soon):
    lifecycle.binome_suspend(binome=binome, by=coordinator_user, reason="Vérification en cours")

    with pytest.raises(ValidationError, match="fermée"):
        _propose(binome, mentor_user, soon)
    with pytest.raises(ValidationError, match="pas en cours"):
        _propose(binome, coordinator_user, soon)
    assert not PlannedMeeting.objects.exists()


def test_a_pair_paused_for_parental_consent_plans_nothing(binome, mentee_user, soon):
    from participants.models import Consent
    from tests import factories

    # Inès is now 14: her parent's consent is needed and was never given.
    type(binome.mentee).objects.filter(pk=binome.mentee.pk).update(birth_date=factories.years_ago(14))
    Consent.objects.filter(participant=binome.mentee).delete()

    with pytest.raises(ValidationError, match="en pause"):
        _propose(binome, mentee_user, soon)


@pytest.mark.parametrize("field", ["topic", "place_text"])
def test_contact_details_do_not_pass_through_a_meeting(binome, mentor_user, soon, field):
    with pytest.raises(ValidationError) as caught:
        _propose(binome, mentor_user, soon, **{field: "appelle-moi au 06 12 34 56 78"})

    assert field in caught.value.error_dict
    assert not PlannedMeeting.objects.exists()


def test_only_the_associations_own_active_places_are_offered(binome, mentor_user, soon):
    from tests import factories

    elsewhere = Place.objects.create(association=factories.AssociationFactory(), name="MJC ailleurs", address="1 rue X")
    retired = Place.objects.create(association=binome.association, name="CDI fermé", address="Lycée", active=False)

    for place in (elsewhere, retired):
        with pytest.raises(ValidationError, match="pas proposé par l'association"):
            _propose(binome, mentor_user, soon, place=place, place_text="")


def test_a_coordinator_proposal_needs_both_members(binome, coordinator_user, mentor_user, mentee_user, soon):
    planned = _propose(binome, coordinator_user, soon)

    services.planned_meeting_accept(planned=planned, by=mentor_user)
    assert PlannedMeeting.objects.get().status == PlannedMeeting.Status.PROPOSED
    services.planned_meeting_accept(planned=planned, by=mentee_user)
    assert PlannedMeeting.objects.get().status == PlannedMeeting.Status.ACCEPTED


def test_the_database_refuses_an_accepted_meeting_missing_a_yes(binome, mentor_user, soon):
    from django.db import IntegrityError, transaction

    planned = _propose(binome, mentor_user, soon)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlannedMeeting.objects.filter(pk=planned.pk).update(status="accepted")
