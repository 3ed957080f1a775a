"""Binômes through the API: what each role sees of the other member, the conversation by cursor,
reports, meetings, check-ins, end survey, lifecycle, rate limits."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from binomes import messaging
from binomes.attention import health_refresh_all
from binomes.models import Binome, CheckIn, ReadMarker, Report, StaffRead
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def b(binome, path=""):  # noqa: ANN001
    return f"/api/v1/binomes/{binome.pk}/{path}"


@pytest.mark.parametrize("member", ["as_mentor", "as_mentee"])
def test_a_member_never_sees_the_other_members_email_or_last_name(member, request, binome):
    client = request.getfixturevalue(member)
    client.post(b(binome, "messages/"), {"body": "Bonjour !"}, format="json")
    other = binome.mentee if member == "as_mentor" else binome.mentor
    user = other.membership.user

    for path in ("", "messages/", "meetings/", "check-ins/", "end-survey/"):
        text = client.get(b(binome, path)).content.decode()
        assert user.email not in text and user.last_name not in text, path
    listing = client.get("/api/v1/binomes/").json()["results"][0]
    assert listing["other"] == {"first_name": user.first_name, "role": "mentee" if member == "as_mentor" else "mentor"}
    assert set(listing) >= {"viewer_role", "other"} and "mentor" not in listing and "mentee" not in listing


def test_the_coordinator_sees_both_people_in_full_and_health(as_alice, binome):
    body = as_alice.get(b(binome)).json()
    assert body["viewer_role"] == "coordinator"
    assert body["mentee"]["email"] == "ines@example.org" and body["mentor"]["last_name"] == "Benali"
    assert body["health"] == "on_track"


def test_the_conversation_reads_from_a_cursor(as_mentor, as_mentee, binome):
    ids = [as_mentor.post(b(binome, "messages/"), {"body": f"message {n}"}, format="json").json()["id"] for n in range(3)]

    first = as_mentee.get(b(binome, "messages/"), {"limit": 2}).json()
    assert [m["id"] for m in first["results"]] == ids[:2] and first["has_more"] is True
    rest = as_mentee.get(b(binome, "messages/"), {"after": first["next_after"]}).json()
    assert [m["id"] for m in rest["results"]] == ids[2:] and rest["has_more"] is False
    idle = as_mentee.get(b(binome, "messages/"), {"after": rest["next_after"]}).json()
    assert idle == {"results": [], "next_after": ids[-1], "has_more": False}
    assert first["results"][0] | {"created_at": None} == {
        "id": ids[0], "body": "message 0", "created_at": None, "sender_role": "mentor", "mine": False,
        "flagged": False, "held": False, "notice": "", "refused": False}


def test_reading_with_nothing_new_writes_nothing(as_mentor, as_mentee, binome):
    newest = as_mentor.post(b(binome, "messages/"), {"body": "Salut !"}, format="json").json()["id"]
    as_mentee.get(b(binome, "messages/"))
    marker = ReadMarker.objects.get(user=binome.mentee.membership.user)

    as_mentee.get(b(binome, "messages/"), {"after": newest})

    assert ReadMarker.objects.get(pk=marker.pk).last_read_at == marker.last_read_at


def test_a_held_message_is_shown_to_its_sender_and_the_team_only(as_mentee, as_mentor, as_alice, binome):
    sent = as_mentee.post(b(binome, "messages/"), {"body": "Mon numéro : 06 12 34 56 78"}, format="json").json()
    assert sent["held"] and sent["flagged"] and "relecture" in sent["notice"]

    assert as_mentor.get(b(binome, "messages/")).json()["results"] == []
    seen_by_team = as_alice.get(b(binome, "messages/")).json()["results"]
    assert [m["id"] for m in seen_by_team] == [sent["id"]] and seen_by_team[0]["flagged"]
    assert StaffRead.objects.filter(binome=binome).count() == 1  # the coordinator's read is logged


def test_messages_are_plain_text_as_sent(as_mentor, as_mentee, binome):
    as_mentor.post(b(binome, "messages/"), {"body": "<script>alert(1)</script>"}, format="json")
    response = as_mentee.get(b(binome, "messages/"))
    assert response["Content-Type"] == "application/json"
    assert response.json()["results"][0]["body"] == "<script>alert(1)</script>"


def test_sending_messages_is_rate_limited(as_mentor, binome, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"writes": "100/minute", "messages": "3/minute"}}
    statuses = [as_mentor.post(b(binome, "messages/"), {"body": f"m{n}"}, format="json").status_code for n in range(4)]
    assert statuses == [201, 201, 201, 429]
    assert "Requête ralentie" in as_mentor.post(b(binome, "messages/"), {"body": "x"}, format="json").json()["detail"]
    assert as_mentor.get(b(binome, "messages/")).status_code == 200  # reading is not limited


def test_writes_are_rate_limited(as_alice, association, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"writes": "2/minute", "messages": "2/minute"}}
    url = f"/api/v1/associations/{association.slug}/matching-settings/"
    statuses = [as_alice.patch(url, {"ideal_age_gap": 4}, format="json").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert as_alice.get(url).status_code == 200


def test_a_member_reports_a_message_they_can_see(as_mentee, as_mentor, binome):
    message_id = as_mentor.post(b(binome, "messages/"), {"body": "Bonjour"}, format="json").json()["id"]
    report = as_mentee.post(b(binome, "reports/"), {"reason": "Ce message me gêne", "message": message_id}, format="json")
    assert report.status_code == 201 and report.json()["message"] == message_id
    unknown = as_mentee.post(b(binome, "reports/"), {"reason": "x", "message": message_id + 100}, format="json")
    assert unknown.status_code == 400 and list(unknown.json()["errors"]) == ["message"]
    assert Report.objects.get().reporter == binome.mentee.membership.user


def test_meetings_and_check_ins(as_mentor, as_mentee, as_alice, running_binome):
    binome = running_binome
    day = str(timezone.localdate() - timedelta(days=1))
    meeting = as_mentor.post(b(binome, "meetings/"), {"happened_on": day, "duration_minutes": 90, "format": "in_person",
                                                     "topics": ["cv", "cv", "orientation"]}, format="json")
    assert meeting.status_code == 201 and meeting.json()["topics"] == ["cv", "orientation"]
    future = as_mentor.post(b(binome, "meetings/"), {"happened_on": str(timezone.localdate() + timedelta(days=2)),
                                                    "duration_minutes": 60, "format": "remote", "topics": ["cv"]}, format="json")
    assert future.json()["errors"] == {"happened_on": ["La rencontre ne peut pas être dans le futur."]}
    assert as_mentee.get(b(binome, "meetings/")).json()["count"] == 1

    assert as_mentor.post(b(binome, "check-ins/"), {"rating": 2, "comment": "bof"}, format="json").status_code == 201
    assert as_mentee.post(b(binome, "check-ins/"), {"rating": 4}, format="json").status_code == 201
    again = as_mentee.post(b(binome, "check-ins/"), {"rating": 4}, format="json")
    assert again.status_code == 400 and again.json()["detail"] == "Tu as déjà répondu ce mois-ci : merci !"
    # A member sees only their own answer; the team sees both.
    assert [c["role"] for c in as_mentee.get(b(binome, "check-ins/")).json()["results"]] == ["mentee"]
    assert sorted(c["role"] for c in as_alice.get(b(binome, "check-ins/")).json()["results"]) == ["mentee", "mentor"]
    assert CheckIn.objects.count() == 2


def test_both_answer_the_end_survey_and_the_binome_continues(as_mentor, as_mentee, running_binome):
    binome = running_binome
    Binome.objects.filter(pk=binome.pk).update(planned_end_on=timezone.localdate() + timedelta(days=7))
    assert as_mentee.get(b(binome, "end-survey/")).json()["open"] is True

    incomplete = as_mentee.post(b(binome, "end-survey/"), {"satisfaction": 5, "would_recommend": 9, "wish_to_continue": True}, format="json")
    assert incomplete.status_code == 400
    assert set(incomplete.json()["errors"]) == {"confidence_before", "confidence_now", "wish_to_become_mentor"}

    as_mentee.post(b(binome, "end-survey/"), {"satisfaction": 5, "would_recommend": 9, "wish_to_continue": True, "confidence_before": 2,
                                             "confidence_now": 4, "wish_to_become_mentor": True, "brought": ["confidence"]}, format="json")
    done = as_mentor.post(b(binome, "end-survey/"), {"satisfaction": 4, "would_recommend": 8, "wish_to_continue": True,
                                                    "confidence_before": 1}, format="json")
    assert done.status_code == 201
    binome.refresh_from_db()
    assert (binome.status, binome.continued_count) == ("continued", 1)


def test_continue_only_where_the_state_machine_allows(as_alice, binome):
    assert as_alice.post(b(binome, "continue/")).json()["status"] == "continued"
    as_alice.post(b(binome, "suspend/"), {"reason": "Signalement"}, format="json")
    refused = as_alice.post(b(binome, "continue/"))
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Impossible de prolonger un binôme suspendu : réactivez-le d'abord."
    assert as_alice.post(b(binome, "resume/")).json()["status"] == "continued"


def test_suspension_closes_the_conversation_and_members_can_end(as_alice, as_mentee, binome):
    assert as_alice.post(b(binome, "suspend/"), {"reason": ""}, format="json").json()["errors"] == {
        "reason": ["Indiquez la raison de la suspension."]}
    as_alice.post(b(binome, "suspend/"), {"reason": "Signalement à vérifier"}, format="json")
    closed = as_mentee.post(b(binome, "messages/"), {"body": "Allô ?"}, format="json")
    assert closed.status_code == 400 and "fermée" in closed.json()["detail"]

    ended = as_mentee.post(b(binome, "end/"), {"reason_code": "no_time", "status": "completed", "ended_on": "2020-01-01"}, format="json")
    assert ended.json()["status"] == "ended_early" and ended.json()["viewer_role"] == "mentee"
    binome.refresh_from_db()
    assert binome.ended_on == timezone.localdate() and binome.ended_by == binome.mentee.membership.user


def test_the_coordinators_list_filters_and_pins_its_queries(as_alice, association, binome, django_assert_max_num_queries):
    as_alice.get("/api/v1/me/")
    # token, coordinator check, association, count, the page's ids in order (health, reports,
    # held messages as sort keys), the page's rows (annotated; people, users, communes joined)
    with django_assert_max_num_queries(6):
        body = as_alice.get(f"/api/v1/associations/{association.slug}/binomes/", {"health": "on_track"}).json()
    assert [row["id"] for row in body["results"]] == [binome.pk]
    assert as_alice.get(f"/api/v1/associations/{association.slug}/binomes/", {"status": "suspended"}).json()["count"] == 0


def test_a_token_reaches_binomes_of_its_association_only(alice, association, other_association, binome):
    from associations.models import Membership

    Membership.objects.create(user=alice, association=other_association, role=Membership.Role.COORDINATOR)
    assert token_client(alice, other_association).get(b(binome)).status_code == 404
    assert token_client(alice, association).get(b(binome)).status_code == 200


def test_text_that_cannot_be_stored_is_a_400(as_mentor, binome):
    response = as_mentor.post(b(binome, "messages/"), data=json.dumps({"body": "\ud800"}), content_type="application/json")
    assert response.status_code == 400 and "caractères invalides" in response.json()["detail"]


def test_the_coordinators_list_puts_what_needs_them_first_across_pages(as_alice, association, binome, mentor_user,
                                                                        django_assert_max_num_queries):
    from tests import factories
    from tests.matching.conftest import vetted

    def another(**kwargs):  # noqa: ANN003, ANN202
        return Binome.objects.create(association=association, mentor=vetted(association=association),
                                     mentee=factories.mentee(association=association, status="validated"),
                                     started_on=binome.started_on, planned_end_on=binome.planned_end_on, **kwargs)

    silent = another(last_activity_at=timezone.now() - timedelta(days=60))
    done = another(status="completed", ended_on=timezone.localdate())
    on_track = another()
    health_refresh_all()  # the hourly job notices the silence (rows made here bypass the services)
    messaging.report_create(binome=binome, by=mentor_user, reason="Plus de nouvelles")
    url = f"/api/v1/associations/{association.slug}/binomes/"
    as_alice.get("/api/v1/me/")

    with django_assert_max_num_queries(6):  # the same budget on page 2 as on page 1
        second = as_alice.get(url, {"page_size": 2, "page": 2}).json()
    first = as_alice.get(url, {"page_size": 2}).json()

    assert [r["id"] for r in first["results"] + second["results"]] == [binome.pk, silent.pk, on_track.pk, done.pk]
    assert first["results"][0]["open_reports"] == 1 and first["count"] == 4


# --- the coordinators' list by cursor -----------------------------------------------------------


def _staff_list(association) -> str:  # noqa: ANN001
    return f"/api/v1/associations/{association.slug}/binomes/"


def _more_binomes(association, n: int, **fields) -> list[Binome]:  # noqa: ANN001, ANN003
    from tests import factories
    from tests.matching.conftest import vetted

    return [Binome.objects.create(association=association, mentor=vetted(association=association),
                                  mentee=factories.mentee(association=association, status="validated"),
                                  started_on=timezone.localdate() - timedelta(days=30),
                                  planned_end_on=timezone.localdate() + timedelta(days=150), **fields) for _ in range(n)]


def test_following_next_walks_the_binomes_in_order_without_repeats(as_alice, association, binome, mentor_user):
    now = timezone.now()
    for days in (3, 30, 60, 10):
        _more_binomes(association, 1, last_activity_at=now - timedelta(days=days))
    health_refresh_all()
    messaging.report_create(binome=binome, by=mentor_user, reason="Plus de nouvelles")
    url, walked = _staff_list(association), []
    body = as_alice.get(url, {"page_size": 2}).json()
    while True:
        walked += [r["id"] for r in body["results"]]
        if not body["next"]:
            break
        assert "cursor=" in body["next"] and "page=" not in body["next"]
        body = as_alice.get(body["next"]).json()

    assert walked == [r["id"] for r in as_alice.get(url, {"page_size": 50}).json()["results"]]
    assert len(walked) == 5 and walked[0] == binome.pk and body["count"] == 5


def test_a_binome_arriving_between_two_pages_neither_repeats_nor_hides_a_row(as_alice, association, binome):
    _more_binomes(association, 3)
    first = as_alice.get(_staff_list(association), {"page_size": 2}).json()

    # Sorted before the cursor (a silent pair, at risk): with OFFSET it would push the first
    # page's last row onto the second page again.
    [early] = _more_binomes(association, 1, last_activity_at=timezone.now() - timedelta(days=60))
    health_refresh_all()
    second = as_alice.get(first["next"]).json()

    seen = [r["id"] for r in first["results"] + second["results"]]
    assert early.pk not in seen and len(seen) == len(set(seen)) == 4


def test_a_binomes_cursor_page_costs_what_the_first_page_costs(as_alice, association, binome, django_assert_max_num_queries):
    _more_binomes(association, 11)
    as_alice.get("/api/v1/me/")
    next_link = as_alice.get(_staff_list(association), {"page_size": 5}).json()["next"]
    # token, is_coordinator (permission and selector), association (slug), count, the page's
    # rows from the cursor with both people.
    with django_assert_max_num_queries(6):
        body = as_alice.get(next_link).json()
    assert len(body["results"]) == 5 and body["next"]


def test_another_associations_coordinator_cannot_follow_a_cursor(as_alice, as_bob, association, binome):
    _more_binomes(association, 3)
    next_link = as_alice.get(_staff_list(association), {"page_size": 2}).json()["next"]

    assert as_bob.get(next_link).status_code == 404


def test_a_tampered_binomes_cursor_is_a_french_field_error(as_alice, association):
    response = as_alice.get(_staff_list(association), {"cursor": "WyJ4IiwgMSwgMl0"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"cursor": ["Ce lien de suite de liste n'est pas valide."]}
