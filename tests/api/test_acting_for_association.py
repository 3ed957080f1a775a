"""One rule for "acts for this association": an active association and a current coordinator
membership. alice is refused everywhere — API, pages, services — the moment the operator suspends
her association, or the moment her membership ends; bob (another association) stays refused too.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from rest_framework.test import APIClient

from api import services as api_services
from associations import services as association_services
from associations.models import Association, Membership
from associations.selectors import acts_for, association_list_coordinated_by
from binomes import lifecycle, messaging
from binomes.models import Binome, Message, Report
from binomes.selectors import binome_get_for_viewer
from matching import services as matching_services
from participants import services as participant_services
from tests.api.test_permissions import (
    association_endpoints,
    binome_endpoints,
    call,
    nothing_changed,
)

pytestmark = pytest.mark.django_db


def suspend_the_association(association, alice) -> None:  # noqa: ANN001
    Association.objects.filter(pk=association.pk).update(status=Association.Status.SUSPENDED)


def end_alices_membership(association, alice) -> None:  # noqa: ANN001
    Membership.objects.filter(user=alice, association=association).update(ended_at=timezone.now())


NO_LONGER_ACTS = pytest.mark.parametrize("no_longer_acts", [suspend_the_association, end_alices_membership],
                                         ids=["association-suspended", "membership-ended"])


@pytest.fixture
def alice_session(alice):  # noqa: ANN001
    """alice through the session, as the web app calls the API (a token of a suspended association
    would already be refused at authentication: this checks the permission itself)."""
    client = APIClient()
    client.force_authenticate(alice)
    return client


def test_alice_acts_for_her_association_until_then(alice, association, alice_session, binome):  # noqa: ANN001
    assert acts_for(user=alice, association=association)
    assert alice_session.get(f"/api/v1/binomes/{binome.pk}/").status_code == 200
    assert association_list_coordinated_by(user=alice) == [association]


@NO_LONGER_ACTS
@pytest.mark.parametrize("index", range(14))
def test_every_api_binome_endpoint_refuses_her(no_longer_acts, index, alice, association, alice_session, binome, proposal, charlie):  # noqa: ANN001
    endpoints = binome_endpoints(binome)
    assert len(endpoints) == 14  # a new endpoint: add it to the range above
    no_longer_acts(association, alice)
    method, path, data = endpoints[index]

    response = call(alice_session, method, path, data)

    assert response.status_code in (403, 404), (method, path, response.status_code)
    nothing_changed(proposal, binome, charlie)


@NO_LONGER_ACTS
@pytest.mark.parametrize("index", range(19))
def test_every_api_association_endpoint_refuses_her(no_longer_acts, index, alice, association, alice_session, binome, proposal, charlie):  # noqa: ANN001
    endpoints = association_endpoints(association, charlie, proposal)
    assert len(endpoints) == 19  # a new endpoint: add it to the range above
    no_longer_acts(association, alice)
    method, path, data = endpoints[index]

    response = call(alice_session, method, path, data)

    assert response.status_code in (403, 404), (method, path, response.status_code)
    nothing_changed(proposal, binome, charlie)


def coordination_pages(association, binome, charlie, proposal):  # noqa: ANN001
    c = f"/coordination/{association.slug}"
    return [
        ("get", f"{c}/"), ("get", f"{c}/parametres/"), ("get", f"{c}/equipe/"),
        ("get", f"{c}/participants/"), ("get", f"{c}/participants/{charlie.pk}/"),
        ("post", f"{c}/participants/{charlie.pk}/refuser/"),
        ("get", f"{c}/binomes/"), ("get", f"{c}/binomes/{binome.pk}/"), ("post", f"{c}/binomes/{binome.pk}/suspendre/"),
        ("get", f"{c}/appariement/"), ("post", f"{c}/appariement/lancer/"), ("get", f"{c}/appariement/reglages/"),
        ("get", f"{c}/propositions/"), ("post", f"{c}/propositions/{proposal.pk}/approuver/"),
        ("get", f"{c}/tableau-de-bord/"), ("get", f"{c}/tableau-de-bord/binomes.csv"), ("get", f"{c}/api/"),
    ]


@NO_LONGER_ACTS
def test_every_coordination_page_answers_404(no_longer_acts, client, alice, association, binome, proposal, charlie):  # noqa: ANN001
    no_longer_acts(association, alice)
    client.force_login(alice)

    for method, path in coordination_pages(association, binome, charlie, proposal):
        data = {"reason": "non"} if method == "post" else None
        response = getattr(client, method)(path, data) if data else getattr(client, method)(path)
        assert response.status_code == 404, (method, path, response.status_code)
    nothing_changed(proposal, binome, charlie)
    assert association_list_coordinated_by(user=alice) == []


def service_calls(alice, association, binome, proposal, charlie):  # noqa: ANN001
    message = Message.objects.create(binome=binome, association=association, sender=binome.mentor.membership.user,
                                     body="06 12 34 56 78", flagged=True, held=True, flag_kinds=["phone"])
    report = Report.objects.create(binome=binome, reporter=binome.mentee.membership.user, reason="pas bien")
    return {
        "binome_suspend": lambda: lifecycle.binome_suspend(binome=binome, by=alice, reason="x"),
        "binome_resume": lambda: lifecycle.binome_resume(binome=binome, by=alice),
        "binome_continue": lambda: lifecycle.binome_continue(binome=binome, by=alice),
        "binome_complete": lambda: lifecycle.binome_complete(binome=binome, by=alice),
        "binome_end_early": lambda: lifecycle.binome_end_early(binome=binome, by=alice, reason_code="no_time"),
        "message_release": lambda: messaging.message_release(message=message, by=alice),
        "report_handle": lambda: messaging.report_handle(report=report, by=alice, outcome="vu"),
        "staff_read_record": lambda: messaging.staff_read_record(binome=binome, by=alice),
        "participant_validate": lambda: participant_services.participant_validate(participant=charlie, by=alice),
        "participant_decline": lambda: participant_services.participant_decline(participant=charlie, by=alice, reason="x"),
        "participant_record_vetting": lambda: participant_services.participant_record_vetting(
            participant=proposal.mentor, by=alice, issued_on=date(2026, 8, 20), verified_on=date(2026, 9, 1), expires_on=date(2029, 9, 1)),
        "proposal_approve": lambda: matching_services.proposal_approve(proposal=proposal, by=alice),
        "proposal_reject": lambda: matching_services.proposal_reject(proposal=proposal, by=alice, reason="x"),
        "match_run_request": lambda: matching_services.match_run_request(association=association, by=alice),
        "matching_settings_update": lambda: matching_services.matching_settings_update(association=association, by=alice, ideal_age_gap=3),
        "association_update_settings": lambda: association_services.association_update_settings(
            association=association, by=alice, programme_duration_months=9),
        "coordinator_invite": lambda: association_services.coordinator_invite(association=association, email="x@example.org", by=alice),
        "api_token_create": lambda: api_services.api_token_create(association=association, by=alice, name="x"),
    }


@NO_LONGER_ACTS
@pytest.mark.parametrize("name", [
    "binome_suspend", "binome_resume", "binome_continue", "binome_complete", "binome_end_early", "message_release",
    "report_handle", "staff_read_record", "participant_validate", "participant_decline", "participant_record_vetting",
    "proposal_approve", "proposal_reject", "match_run_request", "matching_settings_update", "association_update_settings",
    "coordinator_invite", "api_token_create",
])
def test_every_service_refuses_her(no_longer_acts, name, alice, association, binome, proposal, charlie):  # noqa: ANN001
    calls = service_calls(alice, association, binome, proposal, charlie)
    if name == "binome_resume":
        Binome.objects.filter(pk=binome.pk).update(status="suspended", suspended_from="active", suspension_reason="x")
    no_longer_acts(association, alice)

    with pytest.raises(PermissionDenied):
        calls[name]()


@NO_LONGER_ACTS
def test_the_binome_selector_no_longer_shows_her_the_binome(no_longer_acts, alice, association, binome):  # noqa: ANN001
    no_longer_acts(association, alice)

    with pytest.raises(Http404):
        binome_get_for_viewer(user=alice, binome_id=binome.pk)


@NO_LONGER_ACTS
def test_her_integration_tokens_stop_working(no_longer_acts, alice, association):  # noqa: ANN001
    _token, raw = api_services.api_token_create(association=association, by=alice, name="Tableur")
    no_longer_acts(association, alice)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert client.get(f"/api/v1/associations/{association.slug}/").status_code == 401


def test_a_member_cannot_continue_the_binome_by_hand(binome, mentor_user):  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        lifecycle.binome_continue(binome=binome, by=mentor_user)
    with pytest.raises(PermissionDenied):
        lifecycle.binome_complete(binome=binome, by=mentor_user)


def test_members_continue_through_the_end_survey(binome, mentor_user, mentee_user, time_machine):  # noqa: ANN001
    from binomes import activity

    time_machine.move_to("2027-02-20 12:00 +01:00")
    answers = {"satisfaction": 5, "would_recommend": 9, "wish_to_continue": True}
    activity.end_survey_answer(binome=binome, by=mentor_user, answers=answers)
    activity.end_survey_answer(binome=binome, by=mentee_user, answers={**answers, "confidence_before": 2, "confidence_now": 4})

    binome.refresh_from_db()
    assert binome.status == Binome.Status.CONTINUED
