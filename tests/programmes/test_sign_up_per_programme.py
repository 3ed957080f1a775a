"""Each programme has its own sign-up link, age bounds, duration and intake; the association's
link keeps leading to its default programme."""

from __future__ import annotations

from datetime import date

import pytest

from associations.services import association_update_settings
from participants.models import Participant
from programmes.selectors import programme_default_for
from programmes.services import cohort_create, programme_create, programme_update
from tests import factories
from tests.participants.test_sign_up import mentee_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def lycee(association, alice):  # noqa: ANN001
    return programme_create(association=association, by=alice, name="Lycéens de Seine-Saint-Denis 2026-2027",
                            duration_months=9, mentee_min_age=15, mentee_max_age=19)


def test_a_mentee_signs_up_to_the_programme_of_the_link(client, association, lycee):
    response = client.post(f"/a/{association.slug}/programmes/{lycee.slug}/inscription/mentore/", mentee_form())

    assert response.status_code == 302
    assert Participant.objects.get(membership__user__email="ines@example.org").programme == lycee


def test_the_association_link_leads_to_the_default_programme(client, association, lycee):
    client.post(f"/a/{association.slug}/inscription/mentore/", mentee_form())

    assert Participant.objects.get().programme == programme_default_for(association)


def test_the_programme_age_bounds_apply_not_the_association(client, association, lycee):
    too_young = mentee_form(birth_date=factories.years_ago(13).isoformat(), parent_name="Parent", parent_email="p@example.org",
                            parent_consent="on", education="college")

    refused = client.post(f"/a/{association.slug}/programmes/{lycee.slug}/inscription/mentore/", too_young)
    assert "entre 15 et 19 ans" in refused.content.decode()
    assert not Participant.objects.exists()
    assert client.post(f"/a/{association.slug}/inscription/mentore/", too_young).status_code == 302  # default: 11-30


def test_a_closed_programme_takes_no_sign_up(client, association, alice, lycee):
    programme_update(programme=lycee, by=alice, signup_open=False)

    page = client.get(f"/a/{association.slug}/programmes/{lycee.slug}/inscription/mentore/").content.decode()
    client.post(f"/a/{association.slug}/programmes/{lycee.slug}/inscription/mentore/", mentee_form())

    assert "Les inscriptions à ce programme sont fermées" in page
    assert not Participant.objects.exists()


def test_another_association_programme_is_404(client, association, other_association, lycee):
    assert client.get(f"/a/{other_association.slug}/programmes/{lycee.slug}/inscription/mentore/").status_code == 404


def test_the_sign_up_joins_the_programme_current_intake(client, association, alice, lycee, time_machine):
    time_machine.move_to("2026-06-15 10:00 +02:00")
    cohort_create(programme=lycee, by=alice, name="Septembre 2025", starts_on=date(2025, 9, 1))
    september = cohort_create(programme=lycee, by=alice, name="Septembre 2026", starts_on=date(2026, 9, 1))
    cohort_create(programme=lycee, by=alice, name="Septembre 2027", starts_on=date(2027, 9, 1))

    client.post(f"/a/{association.slug}/programmes/{lycee.slug}/inscription/mentore/", mentee_form())

    assert Participant.objects.get().cohort == september


def test_the_binome_lasts_its_programme_duration(association, alice, lycee, time_machine):
    from matching.models import MatchRun, Proposal
    from matching.services import proposal_approve
    from tests.matching.conftest import vetted

    time_machine.move_to("2026-09-01 10:00 +02:00")
    mentee = factories.mentee(association=association, programme=lycee, status="validated")
    mentor = vetted(association=association, programme=lycee)
    run = MatchRun.objects.create(association=association, programme=lycee, status="done")
    proposal = Proposal.objects.create(run=run, association=association, mentee=mentee, mentor=mentor, score=0.7)

    binome = proposal_approve(proposal=proposal, by=alice)

    assert binome.planned_end_on == date(2027, 6, 1)  # 9 months, not the association's 6


def test_the_association_settings_page_sets_its_default_programme(association, alice):
    association_update_settings(association=association, by=alice, programme_duration_months=10, mentee_min_age=14)

    programme = programme_default_for(association)
    assert (programme.duration_months, programme.mentee_min_age) == (10, 14)


def test_the_public_page_lists_the_other_open_programmes(client, association, lycee):
    page = client.get(f"/a/{association.slug}/").content.decode()

    assert "Lycéens de Seine-Saint-Denis 2026-2027" in page
    assert f"/a/{association.slug}/programmes/{lycee.slug}/inscription/mentor/" in page
