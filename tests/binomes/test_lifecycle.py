"""The binôme state machine: allowed transitions, refused ones with a clear message, who may act."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from binomes import lifecycle
from binomes.models import Binome
from programmes.selectors import programme_default_for
from tests import factories

pytestmark = pytest.mark.django_db


def test_coordinator_suspends_and_both_members_are_told(binome, alice, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.binome_suspend(binome=binome, by=alice, reason="Signalement à vérifier")

    binome.refresh_from_db()
    assert (binome.status, binome.suspended_from) == ("suspended", "active")
    assert sorted(m.to[0] for m in mailoutbox) == ["ines@example.org", "yanis@example.org"]
    assert all("suspendu" in m.subject for m in mailoutbox)


def test_resume_returns_to_the_status_before_suspension(binome, alice):
    lifecycle.binome_continue(binome=binome, by=alice)
    lifecycle.binome_suspend(binome=binome, by=alice, reason="Vérification")

    resumed = lifecycle.binome_resume(binome=binome, by=alice)

    assert (resumed.status, resumed.suspended_from) == ("continued", "")


def test_continuing_a_suspended_binome_is_refused_with_a_message(binome, alice):
    lifecycle.binome_suspend(binome=binome, by=alice, reason="Vérification")

    with pytest.raises(ValidationError, match="Impossible de prolonger un binôme suspendu"):
        lifecycle.binome_continue(binome=binome, by=alice)


@pytest.mark.parametrize("closed", ["completed", "ended_early"])
def test_a_closed_binome_accepts_no_transition(binome, alice, closed):
    Binome.objects.filter(pk=binome.pk).update(status=closed, ended_on=date(2026, 10, 1), end_reason_code="other")

    for call in (
        lambda: lifecycle.binome_suspend(binome=binome, by=alice, reason="x"),
        lambda: lifecycle.binome_continue(binome=binome, by=alice),
        lambda: lifecycle.binome_complete(binome=binome, by=alice),
        lambda: lifecycle.binome_end_early(binome=binome, by=alice, reason_code="no_time"),
    ):
        with pytest.raises(ValidationError, match="déjà clos"):
            call()


def test_continue_sets_a_new_horizon_of_one_programme(binome, alice, time_machine):
    time_machine.move_to("2027-02-20 12:00 +01:00")

    continued = lifecycle.binome_continue(binome=binome, by=alice)

    assert (continued.status, continued.continued_count, continued.planned_end_on) == ("continued", 1, date(2027, 9, 1))


def test_either_member_or_a_coordinator_ends_early_with_a_reason(binome, mentee_user, alice):
    with pytest.raises(ValidationError):
        lifecycle.binome_end_early(binome=binome, by=mentee_user, reason_code="other", reason="")

    ended = lifecycle.binome_end_early(binome=binome, by=mentee_user, reason_code="moved", reason="Je déménage à Lyon")

    assert (ended.status, ended.end_reason_code, ended.ended_by) == ("ended_early", "moved", mentee_user)
    assert ended.ended_on is not None


def test_strangers_cannot_act_on_a_binome(binome, bob, charlie):
    for user in (bob, charlie.membership.user):
        with pytest.raises(PermissionDenied):
            lifecycle.binome_end_early(binome=binome, by=user, reason_code="no_time")
        with pytest.raises(PermissionDenied):
            lifecycle.binome_suspend(binome=binome, by=user, reason="x")


def test_members_cannot_suspend(binome, mentor_user):
    with pytest.raises(PermissionDenied):
        lifecycle.binome_suspend(binome=binome, by=mentor_user, reason="x")


def test_the_database_keeps_suspension_and_end_dates_consistent(binome):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Binome.objects.filter(pk=binome.pk).update(status="suspended")  # no status to resume to
    with pytest.raises(IntegrityError), transaction.atomic():
        Binome.objects.filter(pk=binome.pk).update(status="completed")  # no end date
    with pytest.raises(IntegrityError), transaction.atomic():
        Binome.objects.filter(pk=binome.pk).update(status="ended_early", ended_on=date(2026, 10, 1))  # no reason


def test_approval_introduces_the_pair_by_email_without_addresses(association, alice, mailoutbox, django_capture_on_commit_callbacks):
    from matching import services
    from matching.models import MatchRun, Proposal
    from tests.matching.conftest import vetted

    mentor = vetted(association=association, user=factories.UserFactory(first_name="Yanis", email="yanis@example.org"))
    mentee = factories.mentee(association=association, status="validated", user=factories.UserFactory(first_name="Inès", email="ines@example.org"))
    run = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done")
    proposal = Proposal.objects.create(run=run, association=association, mentee=mentee, mentor=mentor, score=0.8)

    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_approve(proposal=proposal, by=alice)

    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert set(by_recipient) == {"yanis@example.org", "ines@example.org"}
    assert "Inès" in by_recipient["yanis@example.org"].subject
    assert "ines@example.org" not in by_recipient["yanis@example.org"].body
    assert "yanis@example.org" not in by_recipient["ines@example.org"].body
