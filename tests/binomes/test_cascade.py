"""The cascade: a mentee whose binôme is over becomes a mentor, linked to where they came from."""

from __future__ import annotations

from datetime import date

import pytest

from binomes import lifecycle
from binomes.models import Binome
from participants.models import Participant
from tests import factories

pytestmark = pytest.mark.django_db


def adult_binome(association):
    from tests.matching.conftest import vetted

    mentee = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(19), education="bac_1_2",
                              user=factories.UserFactory(first_name="Inès", email="ines@example.org"))
    mentor = vetted(association=association, birth_date=factories.years_ago(25))
    return Binome.objects.create(association=association, mentor=mentor, mentee=mentee, started_on=date(2026, 1, 5), planned_end_on=date(2026, 7, 5))


def mentor_form(**extra):
    data = {"birth_date": factories.years_ago(19).isoformat(), "commune": "Bobigny (93000)", "education": "bac_1_2", "field": "sante",
            "parents_pcs": "5", "languages": ["fr"], "availability": ["saturday"], "meeting_format": "both", "capacity": 1,
            "help_with": ["orientation"], "path_text": "En BTS après un bac pro, j'ai été mentorée", "privacy_accepted": "on"}
    data.update(extra)
    return data


def test_an_adult_mentee_is_invited_when_the_binome_completes(association, mailoutbox, django_capture_on_commit_callbacks):
    binome = adult_binome(association)

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.binome_complete(binome=binome, by=factories.coordinator(binome.association))

    assert [m.to for m in mailoutbox] == [["ines@example.org"]]
    assert f"?depuis={binome.pk}" in mailoutbox[0].body


def test_a_mentee_too_young_to_mentor_is_not_invited(binome, mailoutbox, django_capture_on_commit_callbacks):
    binome.association.mentor_min_age = 18
    binome.association.save()

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.binome_complete(binome=binome, by=factories.coordinator(binome.association))

    assert mailoutbox == []


def test_one_click_prefilled_sign_up_links_the_new_mentor_to_the_binome(client, association):
    binome = adult_binome(association)
    lifecycle.binome_complete(binome=binome, by=factories.coordinator(binome.association))
    user = binome.mentee.membership.user
    client.force_login(user)

    space = client.get("/mon-espace/").content.decode()
    form_page = client.get(f"/a/{association.slug}/inscription/mentor/?depuis={binome.pk}").content.decode()
    client.post(f"/a/{association.slug}/inscription/mentor/?depuis={binome.pk}", mentor_form())

    assert "Devenir mentor chez" in space
    # the first step shows the prefill notice and the prefilled birth date (the commune is on step 2)
    assert binome.mentee.birth_date.isoformat() in form_page and "ton profil est prérempli" in form_page
    new_mentor = Participant.objects.get(membership__user=user, role="mentor")
    assert new_mentor.came_from_binome == binome
    assert "Devenir mentor chez" not in client.get("/mon-espace/").content.decode()  # invitation used


def test_someone_else_cannot_claim_a_binome_as_origin(client, association):
    binome = adult_binome(association)
    lifecycle.binome_complete(binome=binome, by=factories.coordinator(binome.association))
    stranger = factories.UserFactory()
    client.force_login(stranger)

    client.post(f"/a/{association.slug}/inscription/mentor/?depuis={binome.pk}", mentor_form())

    assert Participant.objects.get(membership__user=stranger).came_from_binome is None


def test_the_cascade_can_continue_in_another_association(client, association, other_association):
    binome = adult_binome(association)
    lifecycle.binome_end_early(binome=binome, by=binome.mentee.membership.user, reason_code="moved")
    client.force_login(binome.mentee.membership.user)

    client.post(f"/a/{other_association.slug}/inscription/mentor/?depuis={binome.pk}", mentor_form(commune="Marseille 1er Arrondissement (13001)"))

    assert Participant.objects.get(association=other_association, role="mentor").came_from_binome == binome


def test_the_coordinator_sees_where_a_mentor_came_from(client, association, alice):
    binome = adult_binome(association)
    lifecycle.binome_complete(binome=binome, by=factories.coordinator(binome.association))
    client.force_login(binome.mentee.membership.user)
    client.post(f"/a/{association.slug}/inscription/mentor/?depuis={binome.pk}", mentor_form())
    new_mentor = Participant.objects.get(role="mentor", came_from_binome=binome)
    client.force_login(alice)

    html = client.get(f"/coordination/{association.slug}/participants/{new_mentor.pk}/").content.decode()

    assert f"Ancien·ne mentoré·e de {binome.mentor.membership.user.get_full_name()}" in html
