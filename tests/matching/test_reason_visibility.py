"""Reasons for the unmatched: coordinators of the association only (alice sees them; charlie, a
member, never; bob, another association's coordinator, gets 404), on the pages and in the API."""

from __future__ import annotations

import pytest

from matching import services
from tests.api.conftest import token_client
from tests.matching.conftest import vetted

pytestmark = pytest.mark.django_db
REASON = "aucune langue commune avec les mentors disponibles"


@pytest.fixture
def run(association, alice, charlie, django_capture_on_commit_callbacks):
    """Charlie speaks Arabic only; the one mentor speaks French."""
    charlie.languages = ["ar"]
    charlie.save(update_fields=["languages"])
    vetted(association=association)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_request(association=association, by=alice)
    run.refresh_from_db()
    return run


def pages(association, run, charlie):
    return [
        f"/coordination/{association.slug}/appariement/{run.pk}/",
        f"/coordination/{association.slug}/participants/{charlie.pk}/",
        f"/coordination/{association.slug}/propositions/",
    ]


def test_alice_reads_the_reason_on_the_run_and_on_the_participant_page(client, alice, association, run, charlie):
    client.force_login(alice)

    for url in pages(association, run, charlie):
        page = client.get(url)
        assert page.status_code == 200
        assert REASON in page.content.decode()


def test_the_run_page_shows_the_report(client, alice, association, run):
    client.force_login(alice)

    html = client.get(f"/coordination/{association.slug}/appariement/{run.pk}/").content.decode()

    assert "Qui a reçu une proposition" in html and "Tout le vivier" in html
    assert "1 mentoré·e sans proposition" in html


def test_bob_gets_404_and_charlie_never_sees_a_reason(client, association, run, charlie, bob):
    client.force_login(bob)
    for url in pages(association, run, charlie):
        assert client.get(url).status_code == 404
    client.force_login(charlie.membership.user)
    for url in pages(association, run, charlie):
        response = client.get(url)
        assert response.status_code == 404
    assert REASON not in client.get("/mon-espace/", follow=True).content.decode()


def test_the_api_lists_the_unmatched_for_alice_only(alice, bob, association, other_association, run, charlie):
    url = f"/api/v1/associations/{association.slug}/match-runs/{run.pk}/unmatched/"

    body = token_client(alice, association).get(url).json()
    assert [(r["mentee"]["id"], r["kind"], r["constraint"], r["reason"]) for r in body["results"]] == [
        (charlie.pk, "no_admissible", "language", REASON)
    ]
    assert token_client(bob, other_association).get(url).status_code == 404
    detail = token_client(alice, association).get(f"/api/v1/associations/{association.slug}/match-runs/{run.pk}/").json()
    assert detail["report"]["unmatched"]["no_admissible"] == 1


def test_the_api_refuses_charlie(charlie, association, run):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(charlie.membership.user)

    response = api.get(f"/api/v1/associations/{association.slug}/match-runs/{run.pk}/unmatched/")

    assert response.status_code in (403, 404)


def test_the_run_page_reads_a_page_of_reasons_in_a_fixed_number_of_queries(
    client, alice, association, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from tests import factories

    for _ in range(12):
        factories.mentee(association=association, status="validated", languages=["ar"])
    vetted(association=association)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_request(association=association, by=alice)
    client.force_login(alice)

    # session and user, the association and the role check, the run, the count and the page of
    # reasons with their people and communes, the navigation's badges
    with django_assert_max_num_queries(12):
        page = client.get(f"/coordination/{association.slug}/appariement/{run.pk}/")
    assert page.content.decode().count("aucune langue commune avec les mentors disponibles") == 12


def test_the_proposals_page_lists_the_latest_runs_unmatched_with_a_link_to_the_run(client, alice, association, run, charlie):
    client.force_login(alice)

    html = client.get(f"/coordination/{association.slug}/propositions/").content.decode()

    assert charlie.display_name in html and REASON in html
    assert f"/coordination/{association.slug}/appariement/{run.pk}/#unmatched" in html
