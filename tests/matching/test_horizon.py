"""Issue 13, the mentor's availability horizon: no pair that cannot reach the programme's duration,
unless the association allows shorter pairs, and then the proposal says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from matching import services
from matching.alternatives import score_mentors
from matching.explanations import explanation_lines
from matching.models import Proposal
from matching.pool import pair_planned_end, pool_for_association
from programmes.selectors import programme_default_for
from tests import factories
from tests.matching.conftest import vetted

pytestmark = pytest.mark.django_db


@pytest.fixture
def nine_months(association):
    """An association whose (default) programme lasts nine months: the duration is the programme's."""
    programme = programme_default_for(association)
    programme.duration_months = 9
    programme.save(update_fields=["duration_months"])
    return association


def planned_end(association):
    return pair_planned_end(programme_default_for(association), timezone.localdate())


def test_a_mentor_available_exactly_until_the_planned_end_is_in_the_pool_one_day_less_is_not(nine_months):
    end = planned_end(nine_months)
    exactly = vetted(association=nine_months, available_until=end, available_until_reason="abroad")
    short = vetted(association=nine_months, available_until=end - timedelta(days=1), available_until_reason="exam")
    unbounded = vetted(association=nine_months)

    snapshot = pool_for_association(association=nine_months)

    assert sorted(snapshot.mentor_ids) == sorted([exactly.pk, unbounded.pk])
    assert short.pk not in snapshot.mentor_ids


def test_allowed_shorter_pairs_are_proposed_and_the_explanation_says_so(nine_months, alice, django_capture_on_commit_callbacks):
    services.matching_settings_update(association=nine_months, by=alice, allow_shorter_pairs=True)
    until = planned_end(nine_months) - timedelta(days=30)
    mentor = vetted(association=nine_months, birth_date=factories.years_ago(21), available_until=until, available_until_reason="moving")
    factories.mentee(association=nine_months, status="validated")

    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_request(association=nine_months, by=alice)

    run.refresh_from_db()
    assert (run.status, run.error) == ("done", "")
    proposal = Proposal.objects.get(run=run)
    assert proposal.mentor_id == mentor.pk
    lines = explanation_lines(proposal.breakdown)
    assert lines[0].startswith(f"disponible jusqu'au {until.day} ")
    assert lines[0].endswith("binôme plus court que les 9 mois du programme")


def test_the_one_person_run_gives_the_horizon_as_the_reason(nine_months):
    end = planned_end(nine_months)
    mentee = factories.mentee(association=nine_months, status="validated")
    short = vetted(association=nine_months, birth_date=factories.years_ago(21), available_until=end - timedelta(days=1))
    exactly = vetted(association=nine_months, birth_date=factories.years_ago(21), available_until=end)

    by_mentor = {c.mentor.pk: c for c in score_mentors(mentee=mentee, mentors=[short, exactly])}

    assert by_mentor[exactly.pk].refusal is None
    assert by_mentor[short.pk].refusal.startswith("Disponible jusqu'au ")
    assert "plus court que les 9 mois du programme" in by_mentor[short.pk].refusal


def test_the_horizon_is_a_mentors_field_only(association):
    from django.db import IntegrityError, transaction

    from participants.models import Participant

    mentee = factories.mentee(association=association)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.filter(pk=mentee.pk).update(available_until=timezone.localdate())


def test_a_run_follows_the_setting_it_was_requested_with(nine_months, alice, django_capture_on_commit_callbacks):
    """The run's pool reads 'shorter pairs allowed' from the run's snapshot of the settings: a
    coordinator switching it off while a run waits in the queue doesn't change what that run does."""
    services.matching_settings_update(association=nine_months, by=alice, allow_shorter_pairs=True)
    mentor = vetted(association=nine_months, birth_date=factories.years_ago(21),
                    available_until=planned_end(nine_months) - timedelta(days=30), available_until_reason="moving")
    factories.mentee(association=nine_months, status="validated")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = services.match_run_request(association=nine_months, by=alice)
    services.matching_settings_update(association=nine_months, by=alice, allow_shorter_pairs=False)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    run.refresh_from_db()
    assert (run.status, run.params["allow_shorter_pairs"]) == ("done", True)
    assert Proposal.objects.get(run=run).mentor_id == mentor.pk
