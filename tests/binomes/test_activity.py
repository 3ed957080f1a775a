"""Meetings, monthly check-ins, health, the end-of-programme survey and what follows it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from binomes import activity, messaging
from binomes.health import health_of
from binomes.models import Binome, CheckIn

pytestmark = pytest.mark.django_db


def test_a_member_logs_a_meeting_and_it_counts_as_activity(client, binome, mentee_user, time_machine):
    time_machine.move_to("2026-11-20 18:00 +01:00")
    Binome.objects.filter(pk=binome.pk).update(last_activity_at=timezone.now() - timedelta(days=30))
    client.force_login(mentee_user)

    client.post(f"/mon-espace/binomes/{binome.pk}/rencontre/", {
        "happened_on": "2026-11-18", "duration_minutes": 90, "format": "in_person", "topics": ["parcoursup", "cv"], "note": "Médiathèque"})

    meeting = binome.meetings.get()
    assert (meeting.duration_minutes, meeting.topics, meeting.logged_by) == (90, ["parcoursup", "cv"], mentee_user)
    binome.refresh_from_db()
    assert timezone.localtime(binome.last_activity_at).date() == date(2026, 11, 18)


@pytest.mark.parametrize(("day", "minutes", "message"), [
    ("2099-01-01", 60, "dans le futur"), ("2026-08-01", 60, "antérieure au début du binôme"), ("2026-10-01", 2, "supérieure ou égale à 5")])
def test_meeting_errors_are_explained(client, binome, mentee_user, day, minutes, message):
    client.force_login(mentee_user)

    response = client.post(f"/mon-espace/binomes/{binome.pk}/rencontre/", {"happened_on": day, "duration_minutes": minutes, "format": "remote", "topics": ["cv"]})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not binome.meetings.exists()


def test_check_in_once_a_month(binome, mentor_user, time_machine):
    time_machine.move_to("2026-11-05 10:00 +01:00")
    activity.check_in_answer(binome=binome, by=mentor_user, rating=4)

    with pytest.raises(ValidationError, match="déjà répondu ce mois-ci"):
        activity.check_in_answer(binome=binome, by=mentor_user, rating=3)
    time_machine.move_to("2026-12-02 10:00 +01:00")
    activity.check_in_answer(binome=binome, by=mentor_user, rating=3)

    assert list(CheckIn.objects.values_list("month", flat=True)) == [date(2026, 12, 1), date(2026, 11, 1)]


def test_health_follows_activity_and_check_ins(binome, mentor_user, mentee_user, time_machine):
    time_machine.move_to("2026-11-01 10:00 +01:00")
    messaging.message_send(binome=binome, by=mentor_user, body="Bonjour")
    assert health_of(binome) == "on_track"

    time_machine.shift(timedelta(days=22))
    assert health_of(binome) == "needs_attention"  # no message or meeting for 21 days
    time_machine.shift(timedelta(days=24))
    assert health_of(binome) == "at_risk"  # nothing for 45 days

    messaging.message_send(binome=binome, by=mentee_user, body="Désolée, j'étais en stage")
    assert health_of(binome) == "on_track"
    activity.check_in_answer(binome=binome, by=mentee_user, rating=1)
    assert health_of(binome) == "needs_attention"  # a poor check-in
    activity.check_in_answer(binome=binome, by=mentor_user, rating=2)
    assert health_of(binome) == "at_risk"  # two poor check-ins


def answers(role, continue_):
    base = {"satisfaction": 5, "would_recommend": 9, "wish_to_continue": continue_}
    if role == "mentee":
        base.update(confidence_before=2, confidence_now=4, brought=["orientation", "confidence"], wish_to_become_mentor=True)
    return base


def test_end_survey_opens_three_weeks_before_the_end(binome, mentee_user, time_machine):
    time_machine.move_to("2027-02-01 10:00 +01:00")
    with pytest.raises(ValidationError, match="trois semaines avant la fin"):
        activity.end_survey_answer(binome=binome, by=mentee_user, answers=answers("mentee", True))


def test_both_wish_to_continue_so_the_binome_continues(binome, mentor_user, mentee_user, time_machine):
    time_machine.move_to("2027-02-20 10:00 +01:00")
    activity.end_survey_answer(binome=binome, by=mentee_user, answers=answers("mentee", True))
    binome.refresh_from_db()
    assert binome.status == "active"  # waits for the other answer

    activity.end_survey_answer(binome=binome, by=mentor_user, answers=answers("mentor", True))

    binome.refresh_from_db()
    assert (binome.status, binome.planned_end_on) == ("continued", date(2027, 9, 1))


def test_one_does_not_wish_to_continue_so_the_binome_completes(binome, mentor_user, mentee_user, time_machine):
    time_machine.move_to("2027-03-03 10:00 +01:00")
    activity.end_survey_answer(binome=binome, by=mentee_user, answers=answers("mentee", True))
    activity.end_survey_answer(binome=binome, by=mentor_user, answers=answers("mentor", False))

    binome.refresh_from_db()
    assert (binome.status, binome.ended_on) == ("completed", date(2027, 3, 3))


def test_end_survey_page_for_a_mentee_asks_about_confidence(client, binome, mentee_user, time_machine):
    time_machine.move_to("2027-02-20 10:00 +01:00")
    client.force_login(mentee_user)

    html = client.get(f"/mon-espace/binomes/{binome.pk}/bilan/").content.decode()
    response = client.post(f"/mon-espace/binomes/{binome.pk}/bilan/", {
        "satisfaction": 4, "would_recommend": 10, "confidence_before": 2, "confidence_now": 4, "brought": ["network"],
        "wish_to_continue": "no", "wish_to_become_mentor": "yes"})

    assert "Ta confiance en toi au début" in html
    assert response.status_code == 302
    survey = binome.end_surveys.get()
    assert (survey.role, survey.confidence_now, survey.brought, survey.wish_to_become_mentor) == ("mentee", 4, ["network"], True)


def test_member_ends_early_from_the_page(client, binome, mentor_user, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(mentor_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/mon-espace/binomes/{binome.pk}/arreter/", {"reason_code": "no_time", "reason": "Nouveau travail"})

    binome.refresh_from_db()
    assert (binome.status, binome.end_reason_code) == ("ended_early", "no_time")
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == ["Et si tu devenais mentor à ton tour ?", "Ton binôme avec Inès s'arrête", "Ton binôme avec Yanis s'arrête"]
    assert binome.ended_on == timezone.localdate()


def test_a_closed_binome_page_shows_no_forms(client, binome, mentee_user):
    Binome.objects.filter(pk=binome.pk).update(status="completed", ended_on=date(2027, 3, 1))
    client.force_login(mentee_user)

    html = client.get(f"/mon-espace/binomes/{binome.pk}/").content.decode()

    assert "La messagerie est fermée." in html
    assert 'name="body"' not in html and "Noter une rencontre" not in html


def test_my_space_says_paired_and_links_to_the_binome(client, binome, mentee_user):
    client.force_login(mentee_user)

    html = client.get("/mon-espace/").content.decode()

    assert "En binôme" in html and "/mon-espace/binomes/" in html
    assert "Tu attends depuis" not in html
