"""Planned meetings over the API (issue 13): the agenda's services with the pages' permissions —
both members and the coordinators (alice) see them; bob, another association's coordinator, and
charlie, a mentee of the association outside the binôme, get 404."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from agenda.models import Place, PlannedMeeting
from binomes.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def soon():
    day = timezone.localdate() + timedelta(days=7)
    return datetime(day.year, day.month, day.day, 14, 30, tzinfo=ZoneInfo("Europe/Paris"))


def p(binome, path=""):  # noqa: ANN001
    return f"/api/v1/binomes/{binome.pk}/planned-meetings/{path}"


def propose(client, binome, soon, **extra):  # noqa: ANN001
    body = {"starts_at": soon.isoformat(), "duration_minutes": 90, "format": "in_person", "place_text": "Médiathèque", **extra}
    return client.post(p(binome), body, format="json")


def test_the_mentor_proposes_the_mentee_accepts_and_both_get_the_ics(as_mentor, as_mentee, binome, soon, mailoutbox,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = propose(as_mentor, binome, soon, topic="Parcoursup")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["proposed_by_role"], body["mentor_accepted"], body["mentee_accepted"]) == ("proposed", "mentor", True, False)
    assert body["may"] == {"accept": False, "reschedule": True, "cancel": True, "outcome": False}
    assert as_mentee.get(p(binome)).json()["results"][0]["may"]["accept"] is True

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = as_mentee.post(p(binome, f"{body['id']}/accept/"), format="json")

    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert sorted(m.to[0] for m in mailoutbox) == ["ines@example.org", "yanis@example.org"]
    for mail in mailoutbox:
        (cal,) = [Calendar.from_ical(c) for _n, c, t in mail.attachments if t.startswith("text/calendar")]
        event = next(iter(cal.walk("VEVENT")))
        assert str(event["uid"]) == f"{body['uid']}@mentorat" and event["dtstart"].params["TZID"] == "Europe/Paris"


def test_reschedule_and_cancel_keep_the_uid_and_cancel_says_so(as_mentor, as_mentee, binome, soon, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    planned = propose(as_mentor, binome, soon).json()
    later = soon + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        moved = as_mentee.post(p(binome, f"{planned['id']}/reschedule/"),
                               {"starts_at": later.isoformat(), "duration_minutes": 60, "format": "remote"}, format="json").json()
    assert (moved["uid"], moved["status"], moved["format"], moved["proposed_by_role"]) == (planned["uid"], "proposed", "remote", "mentee")
    assert datetime.fromisoformat(moved["starts_at"]) == later

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = as_mentor.post(p(binome, f"{planned['id']}/cancel/"), format="json").json()
    assert cancelled["status"] == "cancelled"
    cal = Calendar.from_ical(next(c for _n, c, t in mailoutbox[0].attachments if t.startswith("text/calendar")))
    assert str(cal["method"]) == "CANCEL"


def test_did_it_take_place_logs_the_meeting(as_mentor, as_mentee, binome, soon, time_machine):
    planned = propose(as_mentor, binome, soon).json()
    as_mentee.post(p(binome, f"{planned['id']}/accept/"), format="json")
    too_early = as_mentee.post(p(binome, f"{planned['id']}/outcome/"), {"took_place": True}, format="json")
    assert too_early.status_code == 400 and "pas encore commencé" in too_early.json()["detail"]
    time_machine.move_to(soon + timedelta(hours=3))

    held = as_mentee.post(p(binome, f"{planned['id']}/outcome/"), {"took_place": True}, format="json").json()

    meeting = Meeting.objects.get(binome=binome)
    assert (held["status"], held["meeting_id"]) == ("held", meeting.pk)


def test_alice_proposes_for_the_pair_and_cannot_accept_for_them(as_alice, binome, soon):
    created = propose(as_alice, binome, soon)
    assert created.status_code == 201 and created.json()["proposed_by_role"] == "coordinator"
    planned_id = created.json()["id"]
    assert created.json()["may"]["accept"] is False

    assert as_alice.post(p(binome, f"{planned_id}/accept/"), format="json").status_code == 403
    assert as_alice.get(p(binome)).json()["results"][0]["id"] == planned_id
    assert as_alice.post(p(binome, f"{planned_id}/cancel/"), format="json").json()["status"] == "cancelled"


def test_bob_and_charlie_get_404_on_everything(as_bob, as_charlie, as_mentor, binome, soon):
    planned = propose(as_mentor, binome, soon).json()
    for client in (as_bob, as_charlie):
        assert client.get(p(binome)).status_code == 404
        assert propose(client, binome, soon).status_code == 404
        assert client.get(p(binome, f"{planned['id']}/")).status_code == 404
        for action in ("accept", "cancel", "outcome"):
            assert client.post(p(binome, f"{planned['id']}/{action}/"), {"took_place": True}, format="json").status_code == 404
    assert PlannedMeeting.objects.get(pk=planned["id"]).status == "proposed"


def test_a_planned_meeting_of_another_binome_is_404(as_mentor, binome, soon, association):
    from tests import factories
    from tests.matching.conftest import vetted

    other = binome.__class__.objects.create(
        association=association, mentor=vetted(association=association, birth_date=factories.years_ago(22)),
        mentee=factories.mentee(association=association, status="validated"), started_on=binome.started_on,
        planned_end_on=binome.planned_end_on)
    foreign = PlannedMeeting.objects.create(binome=other, association=association, starts_at=soon, format="remote",
                                            proposed_by=other.mentor.membership.user, mentor_accepted=True)
    assert as_mentor.get(p(binome, f"{foreign.pk}/")).status_code == 404
    assert as_mentor.post(p(binome, f"{foreign.pk}/cancel/"), format="json").status_code == 404


def test_another_associations_place_and_contact_details_are_refused(as_mentor, binome, soon, other_association):
    place = Place.objects.create(association=other_association, name="MJC", address="1 rue")
    refused = propose(as_mentor, binome, soon, place=place.pk, place_text="")
    assert refused.status_code == 400 and "place" in refused.json()["errors"]
    screened = propose(as_mentor, binome, soon, topic="appelle-moi au 06 12 34 56 78")
    assert screened.status_code == 400 and "topic" in screened.json()["errors"]
    assert not PlannedMeeting.objects.exists()
