"""Issue 13, "une bonne fin": the invitation as the planned end approaches, and the closing step
(an interview with each member, the end survey) of every ending, for coordinators only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from binomes import closing, lifecycle
from binomes.models import Binome, ClosingInterview, EndingInvitation
from tests import factories

pytestmark = pytest.mark.django_db


def closing_url(association, binome, action=""):
    return f"/coordination/{association.slug}/binomes/{binome.pk}/cloture/" + (f"{action}/" if action else "")


@pytest.fixture
def ended(binome, alice):
    with time_machine.travel(date(2026, 11, 20)):
        return lifecycle.binome_end_early(binome=binome, by=alice, reason_code="mismatch")


def interview(binome, by, role, **kwargs):
    kwargs.setdefault("held_on", binome.ended_on)
    kwargs.setdefault("reason", "drifted_apart")
    return closing.closing_interview_record(binome=binome, by=by, role=role, **kwargs)


# --- the approach of the planned end ---------------------------------------------------------


def test_a_month_before_the_end_both_members_are_invited_once(binome, django_capture_on_commit_callbacks):
    with time_machine.travel(date(2027, 1, 29)):  # planned end 1 March: 31 days before
        assert closing.ending_invitations() == 0
    with time_machine.travel(date(2027, 1, 30)), django_capture_on_commit_callbacks(execute=True):
        assert closing.ending_invitations() == 1
        assert closing.ending_invitations() == 0  # run twice: nothing more

    assert sorted(m.to[0] for m in mail.outbox) == ["ines@example.org", "yanis@example.org"]
    body = mail.outbox[0].body
    assert f"/mon-espace/binomes/{binome.pk}/rendez-vous/" in body and "au revoir" in body
    assert EndingInvitation.objects.filter(binome=binome, horizon=date(2027, 3, 1)).count() == 1


def test_a_continued_binome_is_invited_again_before_its_new_end(binome, alice, django_capture_on_commit_callbacks):
    with time_machine.travel(date(2027, 2, 10)):
        closing.ending_invitations()
        lifecycle.binome_continue(binome=binome, by=alice)
    binome.refresh_from_db()
    with time_machine.travel(binome.planned_end_on - timedelta(days=10)):
        assert closing.ending_invitations() == 1


def test_the_member_page_shows_the_notice_with_the_agenda_link_near_the_end_only(client, binome, mentee_user):
    with time_machine.travel(date(2026, 12, 1)):
        client.force_login(mentee_user)
        assert "Proposer une dernière rencontre" not in client.get(f"/mon-espace/binomes/{binome.pk}/").content.decode()
    with time_machine.travel(date(2027, 2, 15)):
        client.force_login(mentee_user)  # the session's age follows the travel
        page = client.get(f"/mon-espace/binomes/{binome.pk}/").content.decode()
    assert "Ton binôme se termine le 1 mars 2027" in page
    assert f"/mon-espace/binomes/{binome.pk}/rendez-vous/#propose-title" in page


# --- the closing step --------------------------------------------------------------------------


def test_alice_records_an_interview_with_each_member_and_the_closing_is_done(ended, alice, association):
    assert list(closing.closing_todo(user=alice, association=association)) == [ended]

    interview(ended, alice, "mentor", reason="life_change")
    assert list(closing.closing_todo(user=alice, association=association)) == [ended]
    interview(ended, alice, "mentee", reason="other", note="A trouvé un stage loin")

    assert list(closing.closing_todo(user=alice, association=association)) == []
    assert closing.closing_step_for(binome=ended).done


def test_one_interview_per_member_by_the_database(ended, alice):
    interview(ended, alice, "mentee")
    with pytest.raises(ValidationError, match="déjà enregistré"):
        interview(ended, alice, "mentee")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClosingInterview.objects.create(binome=ended, role="mentee", held_on=ended.ended_on, held_by=alice,
                                        reason="other", note="x", recorded_by=alice)


def test_an_interview_waits_for_the_end_and_other_needs_a_note(binome, alice):
    with pytest.raises(ValidationError, match="une fois le binôme terminé"):
        interview(binome, alice, "mentor", held_on=date(2026, 10, 1))
    ended = lifecycle.binome_end_early(binome=binome, by=alice, reason_code="mismatch")
    with pytest.raises(ValidationError) as refused:
        interview(ended, alice, "mentor", reason="other", note=" ")
    assert "note" in refused.value.error_dict
    with pytest.raises(ValidationError) as future:
        interview(ended, alice, "mentor", held_on=timezone.localdate() + timedelta(days=1))
    assert "held_on" in future.value.error_dict


def test_a_completed_binome_has_its_closing_step_too(binome, alice, association):
    completed = lifecycle.binome_complete(binome=binome, by=alice)
    assert list(closing.closing_todo(user=alice, association=association)) == [completed]


def test_members_and_other_coordinators_cannot_record_nor_read_interviews(ended, alice, bob, mentor_user, client, association):
    interview(ended, alice, "mentee", reason="mentee_unhappy", note="Note confidentielle")
    with pytest.raises(PermissionDenied):
        interview(ended, mentor_user, "mentor")
    with pytest.raises(PermissionDenied):
        interview(ended, bob, "mentor")
    for user in (bob, mentor_user, ended.mentee.membership.user):
        client.force_login(user)
        assert client.get(closing_url(association, ended)).status_code == 404
        assert client.get(f"/coordination/{association.slug}/binomes/cloture-a-faire/").status_code == 404
    client.force_login(ended.mentee.membership.user)
    assert "Note confidentielle" not in client.get(f"/mon-espace/binomes/{ended.pk}/").content.decode()


def test_the_closing_page_records_an_interview_in_one_post(client, ended, alice, association):
    client.force_login(alice)
    page = client.get(closing_url(association, ended)).content.decode()
    assert "Clôture à faire" in page and "Entretien avec" in page

    response = client.post(closing_url(association, ended, "entretien"), {
        "role": "mentor", "mentor-held_on": ended.ended_on.isoformat(), "mentor-held_by": alice.pk,
        "mentor-reason": "mentor_dropout", "mentor-note": "Plus de temps"})

    assert response.status_code == 302
    saved = ClosingInterview.objects.get(binome=ended)
    assert (saved.role, saved.reason, saved.held_by, saved.recorded_by) == ("mentor", "mentor_dropout", alice, alice)


def test_an_invalid_interview_form_shows_the_error(client, ended, alice, association):
    client.force_login(alice)
    response = client.post(closing_url(association, ended, "entretien"), {
        "role": "mentee", "mentee-held_on": ended.ended_on.isoformat(), "mentee-held_by": alice.pk, "mentee-reason": "other"})
    assert response.status_code == 400
    assert "Précisez la raison" in response.content.decode()
    assert not ClosingInterview.objects.exists()


def test_the_coordinators_binome_page_shows_the_closing_badge(client, ended, alice, association):
    client.force_login(alice)
    page = client.get(f"/coordination/{association.slug}/binomes/{ended.pk}/").content.decode()
    assert "Clôture à faire" in page and closing_url(association, ended) in page


def test_the_closing_page_offers_new_mentors_and_proposes_one_in_one_click(client, ended, alice, association):
    from matching.models import Proposal
    from tests.matching.conftest import vetted

    zoe = vetted(association=association, birth_date=factories.years_ago(21), user=factories.UserFactory(first_name="Zoé", last_name="Martin"))
    client.force_login(alice)
    page = client.get(closing_url(association, ended)).content.decode()
    assert "Proposer Zoé Martin" in page
    assert "Proposer de nouveau ce mentor" in page  # Yanis is paused

    response = client.post(closing_url(association, ended, "proposer"), {"mentor": zoe.pk})

    proposal = Proposal.objects.get(mentee=ended.mentee)
    assert response.status_code == 302 and response.url == f"/coordination/{association.slug}/propositions/{proposal.pk}/"
    assert proposal.mentor == zoe and proposal.status == "proposed"


def test_the_resume_button_lets_the_mentor_be_proposed_again(client, ended, alice, association):
    client.force_login(alice)
    client.post(closing_url(association, ended, "reprendre-mentor"))
    ended.mentor.refresh_from_db()
    assert ended.mentor.matching_paused_on is None


def test_another_coordinator_cannot_propose_from_the_closing_page(client, ended, bob, association):
    client.force_login(bob)
    assert client.post(closing_url(association, ended, "proposer"), {"mentor": ended.mentor.pk}).status_code == 404
    assert Binome.objects.get(pk=ended.pk).mentor.matching_paused_on is not None
