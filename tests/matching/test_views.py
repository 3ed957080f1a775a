"""Coordinator pages of the matching: who may see what, and what a coordinator does there."""

from __future__ import annotations

import pytest

from binomes.models import Binome
from matching.models import MatchingSettings, MatchRun, Proposal
from programmes.selectors import programme_default_for
from tests import factories
from tests.matching.conftest import vetted

pytestmark = pytest.mark.django_db


def url(association, path=""):
    return f"/coordination/{association.slug}/{path}"


@pytest.fixture
def proposal(association):
    run = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done", n_proposals=1)
    return Proposal.objects.create(
        run=run, association=association, score=0.83,
        mentee=factories.mentee(association=association, status="validated", user=factories.UserFactory(first_name="Inès", last_name="Haddad")),
        mentor=vetted(association=association, user=factories.UserFactory(first_name="Yanis", last_name="Benali")),
        breakdown={"criteria": {"generational": 0.9, "social": 0.75, "goals": 0.7, "geography": 1.0, "availability": 0.5},
                   "facts": {"age_gap_years": 4.2, "shared_background": ["boursier"], "same_commune": True,
                             "shared_goals": ["orientation"], "shared_slots": ["saturday_morning"], "shared_terms": ["sciences po"]}},
    )


def pages(association, proposal):
    run = proposal.run
    return [
        ("get", url(association, "appariement/"), {}),
        ("get", url(association, f"appariement/{run.pk}/etat/"), {}),
        ("get", url(association, "appariement/reglages/"), {}),
        ("get", url(association, "propositions/"), {}),
        ("post", url(association, "appariement/lancer/"), {}),
        ("post", url(association, f"appariement/{run.pk}/relancer/"), {}),
        ("post", url(association, "appariement/reglages/"), {"ideal_age_gap": 3}),
        ("post", url(association, f"propositions/{proposal.pk}/approuver/"), {}),
        ("post", url(association, f"propositions/{proposal.pk}/refuser/"), {"reason": "non"}),
        ("post", url(association, "propositions/"), {"proposals": [proposal.pk], "action": "approve"}),
    ]


def test_bob_and_charlie_get_404_everywhere_and_change_nothing(client, association, proposal, bob, charlie):
    for user in (bob, charlie.membership.user, proposal.mentee.membership.user, proposal.mentor.membership.user):
        client.force_login(user)
        for method, path, data in pages(association, proposal):
            assert getattr(client, method)(path, data).status_code == 404, (user, path)
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
    assert MatchRun.objects.count() == 1 and not Binome.objects.exists()


def test_anonymous_goes_to_login(client, association, proposal):
    for method, path, data in pages(association, proposal):
        response = getattr(client, method)(path, data)
        assert response.status_code == 302 and "/comptes/login/" in response["Location"], path


def test_participants_see_nothing_of_a_proposal_before_approval(client, proposal):
    client.force_login(proposal.mentee.membership.user)

    page = client.get("/mon-espace/").content.decode()

    assert "Yanis" not in page and "Benali" not in page


def test_alice_launches_a_run_and_sees_its_result(client, alice, association, django_capture_on_commit_callbacks):
    factories.mentee(association=association, status="validated")
    vetted(association=association, birth_date=factories.years_ago(21))
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(association, "appariement/lancer/"))
    page = client.get(url(association, "appariement/")).content.decode()

    assert "Appariement lancé" in page
    assert "Binômes proposés : 1 (mentoré·es en attente : 1 ; mentors disponibles : 1, places : 1)." in page
    assert "appariement optimal" in page
    assert MatchRun.objects.get().status == "done"


def test_a_second_launch_while_running_shows_a_clear_message(client, alice, association):
    MatchRun.objects.create(association=association, programme=programme_default_for(association), status="running")
    client.force_login(alice)

    response = client.post(url(association, "appariement/lancer/"), follow=True)

    assert "déjà en cours" in response.content.decode()
    assert MatchRun.objects.count() == 1


def test_progress_fragment_polls_while_active_and_stops_when_done(client, alice, association):
    run = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="running", stage="calcul", progress=30)
    client.force_login(alice)

    active = client.get(url(association, f"appariement/{run.pk}/etat/"), HTTP_HX_REQUEST="true").content.decode()
    MatchRun.objects.filter(pk=run.pk).update(status="done", progress=100)
    done = client.get(url(association, f"appariement/{run.pk}/etat/"), HTTP_HX_REQUEST="true").content.decode()

    assert 'hx-trigger="every 1s"' in active and "<html" not in active
    assert "hx-trigger" not in done


def test_proposals_are_listed_with_both_profiles_and_the_explanation(client, alice, association, proposal):
    client.force_login(alice)

    page = client.get(url(association, "propositions/")).content.decode()

    for text in ("Inès Haddad", "Yanis Benali", "écart d&#x27;âge : 4 ans", "tous deux boursiers", "même commune",
                 "objectif ↔ peut aider : Orientation, choix d&#x27;études", "projet ↔ parcours : sciences po",
                 "Proximité générationnelle", "90\u202f%"):
        assert text in page, text


def test_a_pair_too_far_apart_to_meet_in_person_says_it_will_be_remote_in_the_list(client, alice, association, proposal):
    proposal.breakdown["facts"].update(meeting="either", distance_km=842.5, beyond_in_person_km=True, same_commune=False)
    proposal.save()
    client.force_login(alice)

    page = client.get(url(association, "propositions/")).content.decode()

    # both would meet either way, but 842 km apart they will meet remotely: the row says it
    assert '<span class="badge">à distance</span><span class="distance">842,5&nbsp;km</span>' in page


def test_alice_approves_and_the_binome_exists(client, alice, association, proposal):
    client.force_login(alice)

    response = client.post(url(association, f"propositions/{proposal.pk}/approuver/"), follow=True)

    assert "Binôme créé" in response.content.decode()
    assert Binome.objects.get().mentee_id == proposal.mentee_id


def test_rejecting_without_a_reason_is_refused_with_a_message(client, alice, association, proposal):
    client.force_login(alice)

    response = client.post(url(association, f"propositions/{proposal.pk}/refuser/"), {"reason": ""}, follow=True)

    assert "Indiquez la raison du refus" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


def test_bulk_reject_needs_a_reason_then_applies(client, alice, association, proposal):
    client.force_login(alice)

    refused = client.post(url(association, "propositions/"), {"proposals": [proposal.pk], "action": "reject", "reason": ""})
    assert refused.status_code == 400
    assert "Indiquez la raison du refus" in refused.content.decode()

    client.post(url(association, "propositions/"), {"proposals": [proposal.pk], "action": "reject", "reason": "Trop loin"})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.rejection_reason) == ("rejected", "Trop loin")


def test_bulk_cannot_reach_another_associations_proposal(client, bob, other_association, proposal):
    client.force_login(bob)

    response = client.post(url(other_association, "propositions/"), {"proposals": [proposal.pk], "action": "approve"})

    assert response.status_code == 400  # not a choice on bob's page
    assert not Binome.objects.exists()


def test_settings_page_saves_and_explains_errors(client, alice, association):
    client.force_login(alice)
    data = {"weight_generational": 1, "weight_social": 1, "weight_goals": 1, "weight_geography": 0, "weight_availability": 0.5,
            "ideal_age_gap": 4, "min_age_gap": 1, "max_age_gap": 10, "max_distance_km": 15}

    bad = client.post(url(association, "appariement/reglages/"), {**data, "ideal_age_gap": 15})
    assert "L&#x27;écart idéal doit être compris" in bad.content.decode()
    client.post(url(association, "appariement/reglages/"), data)

    row = MatchingSettings.objects.get(association=association)
    assert (row.ideal_age_gap, row.max_distance_km, row.weight_geography) == (4, 15, 0)


def test_proposal_list_query_count_is_fixed(client, alice, association, proposal, django_assert_max_num_queries):
    client.force_login(alice)
    # session + user, association (coordinator), the programme selector (programmes.picker),
    # coordinator check, navigation, count, one page of proposals with both people, their users and
    # communes joined; the latest run's mentees without a proposal (coordinator check, one query).
    with django_assert_max_num_queries(11) as few:
        client.get(url(association, "propositions/"))
    for _ in range(15):
        Proposal.objects.create(run=proposal.run, association=association, score=0.5,
                                mentee=factories.mentee(association=association, status="validated"),
                                mentor=vetted(association=association), breakdown=proposal.breakdown)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url(association, "propositions/"))
