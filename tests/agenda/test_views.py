"""Pages of planned meetings, the calendar feed and the places: who reaches what (alice/bob/charlie)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from agenda import services
from agenda.models import Place, PlannedMeeting

pytestmark = pytest.mark.django_db


def _form(soon, **extra):
    return {"day": soon.date().isoformat(), "time": "14:30", "duration_minutes": 60, "format": "in_person",
            "place_text": "Médiathèque", "topic": "", **extra}


def test_a_member_proposes_and_the_other_accepts_from_the_page(client, binome, mentor_user, mentee_user, soon):
    client.force_login(mentor_user)
    response = client.post(f"/mon-espace/binomes/{binome.pk}/rendez-vous/", _form(soon))
    assert response.status_code == 302
    planned = PlannedMeeting.objects.get()

    client.force_login(mentee_user)
    page = client.get(f"/mon-espace/binomes/{binome.pk}/rendez-vous/").content.decode()
    assert "Accepter" in page
    client.post(f"/mon-espace/binomes/{binome.pk}/rendez-vous/{planned.pk}/accepter/")

    planned.refresh_from_db()
    assert planned.status == PlannedMeeting.Status.ACCEPTED


def test_a_form_error_is_shown_in_place(client, binome, mentor_user, soon):
    client.force_login(mentor_user)

    response = client.post(f"/mon-espace/binomes/{binome.pk}/rendez-vous/", _form(soon, place_text="", format="in_person"))

    assert response.status_code == 400
    assert "Choisis un lieu public" in response.content.decode()


def test_member_pages_are_for_the_two_members_only(client, binome, mentor_user, coordinator_user, other_coordinator, soon):
    planned = services.planned_meeting_propose(binome=binome, by=mentor_user, starts_at=soon, duration_minutes=60,
                                               format="remote")
    urls = [f"/mon-espace/binomes/{binome.pk}/rendez-vous/",
            f"/mon-espace/binomes/{binome.pk}/rendez-vous/{planned.pk}/rendez-vous.ics",
            f"/mon-espace/binomes/{binome.pk}/rendez-vous/{planned.pk}/autre-moment/"]
    client.force_login(mentor_user)  # alice: the member
    assert [client.get(u).status_code for u in urls] == [200, 200, 200]
    client.force_login(coordinator_user)  # bob: coordinates the binôme, has the coordination page instead
    assert [client.get(u).status_code for u in urls] == [404, 404, 404]
    client.force_login(other_coordinator)  # charlie: another association
    assert [client.get(u).status_code for u in urls] == [404, 404, 404]
    assert client.post(f"/mon-espace/binomes/{binome.pk}/rendez-vous/{planned.pk}/annuler/").status_code == 404
    assert PlannedMeeting.objects.get().status == PlannedMeeting.Status.PROPOSED


def test_the_coordination_page_is_for_the_associations_coordinators(client, binome, coordinator_user, other_coordinator, mentor_user, soon):
    url = f"/coordination/{binome.association.slug}/binomes/{binome.pk}/rendez-vous/"
    client.force_login(mentor_user)
    assert client.get(url).status_code == 404
    client.force_login(other_coordinator)
    assert client.get(url).status_code == 404
    assert client.get(f"/coordination/autre-asso/binomes/{binome.pk}/rendez-vous/").status_code == 404

    client.force_login(coordinator_user)
    assert client.get(url).status_code == 200
    assert client.post(url, _form(soon)).status_code == 302
    planned = PlannedMeeting.objects.get()
    assert (planned.mentor_accepted, planned.mentee_accepted) == (False, False)


def test_an_other_binomes_meeting_is_a_404(client, binome, mentor_user, soon):
    from binomes.models import Binome
    from tests import factories
    from tests.matching.conftest import vetted

    other = Binome.objects.create(association=binome.association, mentor=vetted(association=binome.association),
                                  mentee=factories.mentee(association=binome.association, status="validated"),
                                  started_on=binome.started_on, planned_end_on=binome.planned_end_on)
    theirs = services.planned_meeting_propose(binome=other, by=other.mentor.membership.user, starts_at=soon,
                                              duration_minutes=60, format="remote")
    client.force_login(mentor_user)

    assert client.post(f"/mon-espace/binomes/{binome.pk}/rendez-vous/{theirs.pk}/annuler/").status_code == 404
    assert client.post(f"/mon-espace/binomes/{other.pk}/rendez-vous/{theirs.pk}/annuler/").status_code == 404
    assert PlannedMeeting.objects.get(pk=theirs.pk).status == PlannedMeeting.Status.PROPOSED


def test_the_calendar_feed_shows_my_meetings_until_i_revoke_it(client, binome, mentor_user, mentee_user, soon):
    services.planned_meeting_propose(binome=binome, by=mentor_user, starts_at=soon, duration_minutes=60, format="remote")
    client.force_login(mentor_user)
    page = client.post("/mon-espace/agenda/", {"action": "create"}).content.decode()
    url = page.split('id="feed-url" type="text" readonly value="')[1].split('"')[0]
    client.logout()

    response = client.get(url)
    assert response.status_code == 200
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1 and "Inès" in str(events[0]["summary"])
    assert "method" not in cal  # a subscription, not an invitation

    client.force_login(mentor_user)
    client.post("/mon-espace/agenda/", {"action": "revoke"})
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get("/agenda/flux/nimportequoi.ics").status_code == 404


def test_a_new_feed_link_replaces_the_old(mentor_user):
    first = services.calendar_feed_create(user=mentor_user)
    second = services.calendar_feed_create(user=mentor_user)

    from django.http import Http404

    from agenda.selectors import calendar_feed_user
    with pytest.raises(Http404):
        calendar_feed_user(token=first)
    assert calendar_feed_user(token=second) == mentor_user


def test_places_are_listed_by_the_associations_coordinators_only(client, association, coordinator_user, other_coordinator, mentor_user):
    url = f"/coordination/{association.slug}/lieux/"
    client.force_login(other_coordinator)
    assert client.get(url).status_code == 404
    client.force_login(mentor_user)
    assert client.get(url).status_code == 404

    client.force_login(coordinator_user)
    client.post(url, {"name": "Médiathèque Elsa-Triolet", "kind": "library", "address": "Rue Jean-Jaurès, Bobigny"})
    place = Place.objects.get()
    client.post(url, {"toggle": place.pk})

    assert (place.association, Place.objects.get().active) == (association, False)


def test_an_outcome_answer_from_the_page_logs_the_meeting(client, binome, mentor_user, mentee_user, soon, time_machine):
    planned = services.planned_meeting_propose(binome=binome, by=mentor_user, starts_at=soon, duration_minutes=60, format="remote")
    services.planned_meeting_accept(planned=planned, by=mentee_user)
    time_machine.move_to(soon + timedelta(hours=2))
    client.force_login(mentee_user)

    assert "a-t-il eu lieu" in client.get(f"/mon-espace/binomes/{binome.pk}/rendez-vous/").content.decode()
    client.post(f"/mon-espace/binomes/{binome.pk}/rendez-vous/{planned.pk}/bilan/", {"took_place": "yes"})

    assert binome.meetings.count() == 1


def test_the_meetings_page_reads_a_fixed_number_of_queries(client, binome, mentor_user, mentee_user, soon, django_assert_max_num_queries):
    for days in range(5):
        services.planned_meeting_propose(binome=binome, by=mentor_user, starts_at=soon + timedelta(days=days), duration_minutes=60,
                                         format="remote")
    client.force_login(mentee_user)
    client.get(f"/mon-espace/binomes/{binome.pk}/rendez-vous/")  # the notice check is cached in the session after this

    # session, user, binôme (with both members), planned meetings (with place), places, navigation
    # badges: the same count for 5 meetings as for 1.
    with django_assert_max_num_queries(12):
        response = client.get(f"/mon-espace/binomes/{binome.pk}/rendez-vous/")
    assert response.status_code == 200


def test_the_feed_reads_a_fixed_number_of_queries(client, binome, mentor_user, soon, django_assert_max_num_queries):
    for days in range(5):
        services.planned_meeting_propose(binome=binome, by=mentor_user, starts_at=soon + timedelta(days=days), duration_minutes=60,
                                         format="remote")
    token = services.calendar_feed_create(user=mentor_user)

    # the feed and its owner, the last-use stamp, the meetings with their binôme and members
    with django_assert_max_num_queries(3):
        response = client.get(f"/agenda/flux/{token}.ics")
    assert response.content.count(b"BEGIN:VEVENT") == 5
