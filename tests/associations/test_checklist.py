"""A new coordinator's first screen: five steps computed from the data, with the progress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from associations.selectors import coordinator_checklist
from matching.models import MatchRun
from programmes.selectors import programme_default_for
from tests import factories

pytestmark = pytest.mark.django_db


def done_keys(user, association):
    association.refresh_from_db()
    return [s.key for s in coordinator_checklist(user=user, association=association).steps if s.done]


def test_a_new_association_has_every_step_to_do_and_lands_on_the_checklist(client, alice, association):
    client.force_login(alice)

    response = client.get("/espace/", follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/coordination/{association.slug}/"
    assert "Étapes faites : 0 sur 5" in page and "Régler le programme" in page
    assert "Personne ne correspond" not in page
    assert f"/a/{association.slug}/" in page  # the link to copy


def test_the_steps_advance_with_the_data(client, alice, association):
    client.force_login(alice)
    assert done_keys(alice, association) == []

    client.post(f"/coordination/{association.slug}/parametres/", {
        "programme_duration_months": 6, "mentee_min_age": 11, "mentee_max_age": 30, "mentor_min_age": 15,
        "mentor_max_age": 40, "hold_flagged_messages": "on"})
    assert done_keys(alice, association) == ["settings"]
    client.post(f"/coordination/{association.slug}/lien-partage/")
    assert done_keys(alice, association) == ["settings", "share"]
    factories.mentee(association=association, status="validated")
    assert done_keys(alice, association) == ["settings", "share", "validate"]
    today = timezone.localdate()
    factories.mentor(association=association, status="validated", vetting_verified_on=today - timedelta(days=3),
                     vetting_expires_on=today + timedelta(days=700))
    assert done_keys(alice, association) == ["settings", "share", "validate", "vetting"]
    MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done")

    assert coordinator_checklist(user=alice, association=association).complete
    assert client.get(f"/coordination/{association.slug}/")["Location"] == f"/coordination/{association.slug}/participants/"
    assert "Étapes faites : 5 sur 5" in client.get(f"/coordination/{association.slug}/?etapes").content.decode()


def test_a_sign_up_received_counts_as_the_link_shared(alice, association):
    factories.mentee(association=association)

    assert "share" in done_keys(alice, association)


def test_bob_and_charlie_get_404_on_the_checklist_and_the_share_button(client, association, bob, charlie):
    for user in (bob, charlie.membership.user):
        client.force_login(user)
        assert client.get(f"/coordination/{association.slug}/").status_code == 404
        assert client.post(f"/coordination/{association.slug}/lien-partage/").status_code == 404
    association.refresh_from_db()
    assert association.signup_link_shared_at is None


def test_the_checklist_reads_in_three_queries(alice, association, django_assert_max_num_queries):
    # the coordinator check, the participants' aggregate, the runs' exists
    with django_assert_max_num_queries(3):
        coordinator_checklist(user=alice, association=association)


def test_empty_lists_say_what_to_do_next(client, alice, association):
    client.force_login(alice)

    participants = client.get(f"/coordination/{association.slug}/participants/").content.decode()
    filtered = client.get(f"/coordination/{association.slug}/participants/?role=mentor").content.decode()
    binomes = client.get(reverse("coordination_binomes", args=[association.slug])).content.decode()

    assert "Aucune inscription pour l'instant" in participants and "Personne ne correspond" not in participants
    assert "Personne ne correspond à ces filtres." in filtered and "Retirer les filtres" in filtered
    assert "un binôme naît quand vous approuvez une proposition" in binomes
