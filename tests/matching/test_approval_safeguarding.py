"""Approval re-checks the safeguarding policy under its row locks, whatever the door (page, API
single, API bulk): an attestation that lapsed between the run and the approval is refused."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from binomes.models import Binome
from matching import services
from matching.models import MatchRun, Proposal
from programmes.selectors import programme_default_for
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
RUN_DAY = datetime(2027, 3, 10, 9, 0, tzinfo=PARIS)  # the attestation is valid through this day
NEXT_DAY = datetime(2027, 3, 11, 9, 0, tzinfo=PARIS)  # ... and no longer on this one


@pytest.fixture
def proposals_of_run(association, alice, django_capture_on_commit_callbacks):
    """A real run on RUN_DAY: two 13-year-old mentees, two mentors whose attestation is to be renewed
    by RUN_DAY (the pool takes them: valid that day)."""
    with time_machine.travel(RUN_DAY, tick=False):
        for name in ("Inès", "Lina"):
            factories.mentee(association=association, status="validated", birth_date=date(2013, 6, 1),
                             user=factories.UserFactory(first_name=name))
        for name, born in (("Yanis", date(2004, 1, 1)), ("Zoé", date(2005, 1, 1))):
            factories.mentor(association=association, status="validated", birth_date=born,
                             user=factories.UserFactory(first_name=name), vetting_issued_on=date(2024, 3, 1),
                             vetting_verified_on=date(2024, 3, 10), vetting_expires_on=date(2027, 3, 10))
        with django_capture_on_commit_callbacks(execute=True):
            services.match_run_request(association=association, by=alice)
    proposals = list(Proposal.objects.filter(status="proposed"))
    assert len(proposals) == 2
    return proposals


def test_the_same_day_the_pair_is_approved(alice, proposals_of_run):
    with time_machine.travel(RUN_DAY, tick=False):
        binome = services.proposal_approve(proposal=proposals_of_run[0], by=alice)

    assert binome.status == "active"


def test_page_refuses_once_the_attestation_lapsed(client, alice, association, proposals_of_run):
    with time_machine.travel(NEXT_DAY, tick=False):
        client.force_login(alice)
        page = client.post(f"/coordination/{association.slug}/propositions/{proposals_of_run[0].pk}/approuver/", follow=True)

    assert "a expiré le 10/03/2027" in page.content.decode()
    assert not Binome.objects.exists()


def test_api_single_refuses_once_the_attestation_lapsed(alice, association, proposals_of_run):
    with time_machine.travel(NEXT_DAY, tick=False):
        response = token_client(alice, association).post(
            f"/api/v1/associations/{association.slug}/proposals/{proposals_of_run[0].pk}/approve/")

    assert response.status_code == 400
    assert "ne peut pas accompagner de mineur" in response.json()["detail"]
    assert not Binome.objects.exists()


def test_api_bulk_refuses_each_once_the_attestation_lapsed(alice, association, proposals_of_run):
    with time_machine.travel(NEXT_DAY, tick=False):
        outcome = token_client(alice, association).post(
            f"/api/v1/associations/{association.slug}/proposals/bulk/",
            {"proposals": [p.pk for p in proposals_of_run], "action": "approve"}, format="json").json()

    assert outcome["done"] == []
    assert len(outcome["errors"]) == 2
    assert all("a expiré le 10/03/2027" in str(error) for error in outcome["errors"])
    assert not Binome.objects.exists()


def test_an_adult_mentee_needs_no_vetted_mentor(alice, association):
    mentee = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(19))
    mentor = factories.mentor(association=association, status="validated", birth_date=factories.years_ago(24))
    proposal = Proposal.objects.create(run=MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done"),
                                       association=association, mentee=mentee, mentor=mentor, score=0.5, breakdown={})

    assert services.proposal_approve(proposal=proposal, by=alice).mentee_id == mentee.pk


def test_recording_a_vetting_supersedes_the_mentors_open_proposals_with_minors(alice, association, proposals_of_run):
    from participants.services import participant_record_vetting

    with time_machine.travel(RUN_DAY, tick=False):
        adult = factories.mentee(association=association, status="validated", birth_date=date(2007, 1, 1))
        mentor = proposals_of_run[0].mentor
        with_adult = Proposal.objects.create(run=proposals_of_run[0].run, association=association, mentee=adult,
                                             mentor=mentor, score=0.4, breakdown={})
        participant_record_vetting(participant=mentor, by=alice, issued_on=date(2027, 3, 1),
                                   verified_on=date(2027, 3, 9), expires_on=date(2030, 3, 9))

    statuses = dict(Proposal.objects.filter(mentor=mentor).values_list("mentee__birth_date", "status"))
    assert statuses == {date(2013, 6, 1): "superseded", date(2007, 1, 1): "proposed"}
    with_adult.refresh_from_db()
    assert with_adult.status == "proposed"
