"""Changing the mentor of a waiting proposal: the next best mentors, and the swap that checks every
rule an approval checks (safeguarding policy, capacity, the engine's hard constraints)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from binomes.models import Binome
from matching import services
from matching.alternatives import proposal_alternatives
from matching.models import MatchRun, Proposal
from programmes.selectors import programme_default_for
from tests import factories
from tests.matching.conftest import vetted

pytestmark = pytest.mark.django_db


def url(association, path=""):
    return f"/coordination/{association.slug}/{path}"


@pytest.fixture
def ines(association):
    """A 16-year-old mentee (a minor): her mentor needs a valid attestation."""
    return factories.mentee(association=association, status="validated", birth_date=factories.years_ago(16),
                            user=factories.UserFactory(first_name="Inès", last_name="Haddad"))


@pytest.fixture
def proposal(association, ines):
    run = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done", n_proposals=1)
    yanis = vetted(association=association, birth_date=factories.years_ago(21), user=factories.UserFactory(first_name="Yanis"))
    return Proposal.objects.create(run=run, association=association, mentee=ines, mentor=yanis, score=0.7,
                                   breakdown={"criteria": {}, "facts": {}})


def test_alternatives_list_the_admissible_mentors_best_first_without_the_current_one(association, proposal):
    zoe = vetted(association=association, birth_date=factories.years_ago(20), user=factories.UserFactory(first_name="Zoé"))
    far = vetted(association=association, birth_date=factories.years_ago(22), commune=factories.commune("13201"),
                 meeting_format="in_person")
    unvetted = factories.mentor(association=association, status="validated", birth_date=factories.years_ago(21))

    found = proposal_alternatives(proposal=proposal)

    names = [c.mentor.pk for c in found.others]
    assert names == [zoe.pk]  # too far in person (Marseille) and without attestation: not offered
    assert far.pk not in names and unvetted.pk not in names and proposal.mentor_id not in names
    assert found.current is not None and 0 <= found.others[0].score <= 1


def test_alice_swaps_to_an_admissible_mentor_and_the_proposal_explains_the_new_pair(association, alice, proposal):
    zoe = vetted(association=association, birth_date=factories.years_ago(20), user=factories.UserFactory(first_name="Zoé"))

    swapped = services.proposal_swap_mentor(proposal=proposal, mentor=zoe, by=alice)

    swapped.refresh_from_db()
    assert swapped.mentor_id == zoe.pk and swapped.status == "proposed"
    assert set(swapped.breakdown["criteria"]) == {"generational", "social", "goals", "geography", "availability"}
    assert swapped.breakdown["swap"]["from_mentor"] == proposal.mentor_id
    binome = services.proposal_approve(proposal=swapped, by=alice)
    assert binome.mentor_id == zoe.pk


def test_a_swap_to_a_mentor_without_a_valid_attestation_is_refused_for_a_minor(association, alice, proposal):
    lapsed = vetted(association=association, birth_date=factories.years_ago(21),
                    vetting_verified_on=timezone.localdate() - timedelta(days=800),
                    vetting_expires_on=timezone.localdate() - timedelta(days=1))

    with pytest.raises(ValidationError, match="attestation"):
        services.proposal_swap_mentor(proposal=proposal, mentor=lapsed, by=alice)
    proposal.refresh_from_db()
    assert proposal.mentor_id != lapsed.pk


def test_a_swap_to_a_full_mentor_is_refused(association, alice, proposal):
    busy = vetted(association=association, birth_date=factories.years_ago(21))
    Binome.objects.create(association=association, mentor=busy, started_on=timezone.localdate(),
                          planned_end_on=timezone.localdate() + timedelta(days=180),
                          mentee=factories.mentee(association=association, status="validated"))

    with pytest.raises(ValidationError, match="capacité est atteinte"):
        services.proposal_swap_mentor(proposal=proposal, mentor=busy, by=alice)


def test_a_swap_breaking_an_engine_rule_is_refused_with_its_reason(association, alice, proposal):
    no_common_language = vetted(association=association, birth_date=factories.years_ago(21), languages=["en"])
    too_old = vetted(association=association, birth_date=factories.years_ago(45))

    with pytest.raises(ValidationError, match="aucune langue en commun"):
        services.proposal_swap_mentor(proposal=proposal, mentor=no_common_language, by=alice)
    with pytest.raises(ValidationError, match="écart d'âge sort des bornes"):
        services.proposal_swap_mentor(proposal=proposal, mentor=too_old, by=alice)


def test_a_pair_rejected_before_is_never_swapped_back_in(association, alice, proposal, ines):
    zoe = vetted(association=association, birth_date=factories.years_ago(20))
    old_run = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done")
    Proposal.objects.create(run=old_run, association=association, mentee=ines, mentor=zoe, score=0.5, status="rejected",
                            rejection_reason="Ne se connaissent que trop")

    with pytest.raises(ValidationError, match="déjà été refusé"):
        services.proposal_swap_mentor(proposal=proposal, mentor=zoe, by=alice)


def test_a_decided_proposal_keeps_its_mentor(association, alice, proposal):
    zoe = vetted(association=association, birth_date=factories.years_ago(20))
    services.proposal_reject(proposal=proposal, by=alice, reason="Non")

    with pytest.raises(ValidationError, match="déjà été traitée"):
        services.proposal_swap_mentor(proposal=proposal, mentor=zoe, by=alice)


def test_bob_and_charlie_may_not_swap(association, proposal, bob, charlie):
    zoe = vetted(association=association, birth_date=factories.years_ago(20))
    for user in (bob, charlie.membership.user):
        with pytest.raises(PermissionDenied):
            services.proposal_swap_mentor(proposal=proposal, mentor=zoe, by=user)


def test_another_associations_mentor_is_refused(association, other_association, alice, proposal):
    stranger = vetted(association=other_association, birth_date=factories.years_ago(20))

    with pytest.raises(ValidationError, match="mentor de l'association"):
        services.proposal_swap_mentor(proposal=proposal, mentor=stranger, by=alice)


# --- the pages -----------------------------------------------------------------------------------


def test_alice_reads_the_alternatives_and_swaps_from_the_page(client, association, alice, proposal):
    zoe = vetted(association=association, birth_date=factories.years_ago(20), user=factories.UserFactory(first_name="Zoé", last_name="Martin"))
    client.force_login(alice)

    page = client.get(url(association, f"propositions/{proposal.pk}/")).content.decode()
    assert "Autres mentors possibles pour Inès Haddad" in page and "Choisir Zoé Martin comme mentor" in page
    response = client.post(url(association, f"propositions/{proposal.pk}/changer-de-mentor/"), {"mentor": zoe.pk}, follow=True)

    assert "Mentor changé : Inès Haddad ↔ Zoé Martin" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.mentor_id == zoe.pk


def test_a_refused_swap_says_why_in_french_on_the_page(client, association, alice, proposal):
    english_only = vetted(association=association, birth_date=factories.years_ago(21), languages=["en"])
    client.force_login(alice)

    response = client.post(url(association, f"propositions/{proposal.pk}/changer-de-mentor/"), {"mentor": english_only.pk})

    assert response.status_code == 400
    assert "Binôme impossible : aucune langue en commun." in response.content.decode()


def test_bob_gets_404_on_the_alternatives_and_the_swap(client, association, bob, charlie, proposal):
    zoe = vetted(association=association, birth_date=factories.years_ago(20))
    for user in (bob, charlie.membership.user):
        client.force_login(user)
        assert client.get(url(association, f"propositions/{proposal.pk}/")).status_code == 404
        assert client.post(url(association, f"propositions/{proposal.pk}/changer-de-mentor/"), {"mentor": zoe.pk}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.mentor_id != zoe.pk


def test_alice_cannot_name_another_associations_mentor_on_the_page(client, association, other_association, alice, proposal):
    stranger = vetted(association=other_association, birth_date=factories.years_ago(20))
    client.force_login(alice)

    assert client.post(url(association, f"propositions/{proposal.pk}/changer-de-mentor/"), {"mentor": stranger.pk}).status_code == 404


def test_the_alternatives_load_in_place_as_a_fragment(client, association, alice, proposal):
    vetted(association=association, birth_date=factories.years_ago(20), user=factories.UserFactory(first_name="Zoé", last_name="Martin"))
    client.force_login(alice)

    fragment = client.get(url(association, f"propositions/{proposal.pk}/"), HTTP_HX_REQUEST="true").content.decode()

    assert "<html" not in fragment and "Choisir Zoé Martin comme mentor" in fragment
