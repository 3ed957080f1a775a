"""Coordinator pages: participants list, participant page, validation, vetting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from participants.models import Participant
from tests import factories

pytestmark = pytest.mark.django_db


def list_url(association, query=""):
    return f"/coordination/{association.slug}/participants/{query}"


def detail_url(participant, suffix=""):
    return f"/coordination/{participant.association.slug}/participants/{participant.pk}/{suffix}"


# --- who may see what (alice: coordinator; bob: other association's coordinator; charlie: mentee)


def test_alice_sees_her_associations_participants(client, alice, charlie):
    client.force_login(alice)

    response = client.get(list_url(charlie.association))

    assert response.status_code == 200
    assert charlie.display_name in response.content.decode()


def test_bob_gets_404_on_every_page_of_another_association(client, bob, charlie):
    client.force_login(bob)
    association = charlie.association

    for url in (list_url(association), detail_url(charlie), f"/coordination/{association.slug}/"):
        assert client.get(url).status_code == 404, url
    for suffix, data in (("valider/", {}), ("refuser/", {"reason": "x"}), ("attestation/", {"verified_on": "2026-01-01", "expires_on": "2027-01-01"})):
        assert client.post(detail_url(charlie, suffix), data).status_code == 404, suffix
    charlie.refresh_from_db()
    assert charlie.status == "validated"


def test_bob_cannot_reach_alices_participant_through_his_own_association(client, bob, charlie, other_association):
    client.force_login(bob)

    response = client.get(f"/coordination/{other_association.slug}/participants/{charlie.pk}/")

    assert response.status_code == 404


def test_charlie_a_mentee_gets_404_on_coordination_pages(client, charlie):
    client.force_login(charlie.membership.user)

    assert client.get(list_url(charlie.association)).status_code == 404
    assert client.get(detail_url(charlie)).status_code == 404


def test_anonymous_is_sent_to_login(client, charlie):
    response = client.get(list_url(charlie.association))

    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"]


def test_list_shows_only_this_associations_people(client, alice, association, other_association):
    factories.mentee(association=other_association, user=factories.UserFactory(first_name="Zébulon", last_name="Ailleurs"))
    client.force_login(alice)

    page = client.get(list_url(association)).content.decode()

    assert "Zébulon" not in page


def test_ended_coordinator_membership_loses_access(client, alice, association):
    alice.memberships.update(ended_at=timezone.now())
    client.force_login(alice)

    assert client.get(list_url(association)).status_code == 404


# --- filters, search, pagination, query budget


@pytest.fixture
def pool(association):
    today = timezone.localdate()
    return {
        "young_qpv": factories.mentee(association=association, qpv_resident=True, birth_date=factories.years_ago(14),
                                      user=factories.UserFactory(first_name="Assia", last_name="Kone")),
        "boursier": factories.mentee(association=association, boursier=True, status="validated",
                                     user=factories.UserFactory(first_name="Bilal", last_name="Diallo")),
        "lyon": factories.mentee(association=association, commune=factories.commune("69123"),
                                 user=factories.UserFactory(first_name="Chloé", last_name="Martin")),
        "mentor": factories.mentor(association=association, status="validated",
                                   user=factories.UserFactory(first_name="Dylan", last_name="Petit")),
        "old_waiter": factories.mentee(association=association, status="validated",
                                       user=factories.UserFactory(first_name="Emma", last_name="Roux"),
                                       validated_at=timezone.now() - timedelta(days=100),
                                       birth_date=date(today.year - 20, 1, 1)),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?role=mentor", {"Dylan"}),
        ("?qpv=yes", {"Assia"}),
        ("?boursier=yes", {"Bilal"}),
        ("?departement=69", {"Chloé"}),
        ("?age=under_15", {"Assia"}),
        ("?waiting=90", {"Emma"}),
        ("?status=pending&role=mentee", {"Assia", "Chloé"}),
        ("?q=diallo", {"Bilal"}),
        ("?q=bilal+diallo", {"Bilal"}),
    ],
)
def test_filters(client, alice, association, pool, query, expected):
    client.force_login(alice)

    page = client.get(list_url(association, query)).content.decode()

    shown = {name for name in ("Assia", "Bilal", "Chloé", "Dylan", "Emma") if name in page}
    assert shown == expected


def test_invalid_filter_values_are_ignored_not_an_error(client, alice, association, pool):
    client.force_login(alice)

    response = client.get(list_url(association, "?waiting=abc&age=old&role=pirate"))

    assert response.status_code == 200


def test_htmx_filter_request_returns_only_the_results_fragment(client, alice, association, pool):
    client.force_login(alice)

    response = client.get(list_url(association, "?role=mentor"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="participant-results")

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="participant-results"')
    assert "Dylan" in body and "<html" not in body


def test_list_is_paginated(client, alice, association):
    for _ in range(30):
        factories.mentee(association=association)
    client.force_login(alice)

    first = client.get(list_url(association)).content.decode()
    second = client.get(list_url(association, "?page=2")).content.decode()

    assert "Page 1 sur 2" in first
    assert "Page 2 sur 2" in second
    assert "30 personnes" in first


def test_list_query_count_does_not_grow_with_participants(client, alice, association, django_assert_max_num_queries):
    client.force_login(alice)
    for _ in range(3):
        factories.mentee(association=association)
    client.get(list_url(association))  # the privacy notice is checked once per session
    # session + user, coordinator check (association lookup), the programme selector
    # (programmes.picker), coordinator check in the selector, the navigation's associations,
    # départements for the filter, count, one page of rows.
    with django_assert_max_num_queries(10) as small:
        client.get(list_url(association))
    for _ in range(40):
        factories.mentor(association=association)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(list_url(association, "?role=mentor"))


# --- decisions


def test_alice_validates_a_pending_sign_up(client, alice, association):
    pending = factories.mentee(association=association)
    client.force_login(alice)

    response = client.post(detail_url(pending, "valider/"))

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "validated"
    assert pending.validated_at is not None
    assert pending.reviewed_by == alice


def test_declining_requires_a_reason(client, alice, association):
    pending = factories.mentee(association=association)
    client.force_login(alice)

    refused = client.post(detail_url(pending, "refuser/"), {"reason": "  "})

    assert refused.status_code == 400
    assert "Indiquez la raison du refus" in refused.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"

    client.post(detail_url(pending, "refuser/"), {"reason": "Nous n'intervenons pas dans ce département."})
    pending.refresh_from_db()
    assert pending.status == "declined"


def test_declined_participant_sees_the_reason(client, alice, association):
    pending = factories.mentee(association=association)
    client.force_login(alice)
    client.post(detail_url(pending, "refuser/"), {"reason": "Nous n'intervenons pas dans ce département."})
    client.force_login(pending.membership.user)

    page = client.get("/mon-espace/").content.decode()

    assert "Nous n&#x27;intervenons pas dans ce département." in page


def test_validating_twice_says_it_is_already_done(client, alice, charlie):
    client.force_login(alice)

    response = client.post(detail_url(charlie, "valider/"), follow=True)

    assert "déjà validée" in response.content.decode()


def test_alice_records_a_mentors_vetting(client, alice, association):
    mentor = factories.mentor(association=association)
    client.force_login(alice)

    client.post(detail_url(mentor, "attestation/"), {"issued_on": "2026-02-15", "verified_on": "2026-03-01", "expires_on": "2029-03-01"})

    mentor.refresh_from_db()
    assert mentor.vetting_issued_on == date(2026, 2, 15)
    assert mentor.vetting_verified_on == date(2026, 3, 1)
    assert mentor.vetting_expires_on == date(2029, 3, 1)
    assert mentor.vetting_recorded_by == alice


@pytest.mark.parametrize(
    ("verified", "expires", "message"),
    [
        ("2026-03-01", "2026-02-01", "postérieure à la date de vérification"),
        ((timezone.localdate() + timedelta(days=3)).isoformat(), "2027-01-01", "ne peut pas être dans le futur"),
        ("", "2027-01-01", "Ce champ est obligatoire"),
    ],
)
def test_vetting_dates_are_checked(client, alice, association, verified, expires, message):
    mentor = factories.mentor(association=association)
    client.force_login(alice)

    response = client.post(detail_url(mentor, "attestation/"), {"issued_on": "2026-01-15", "verified_on": verified, "expires_on": expires})

    assert response.status_code == 400
    assert message in response.content.decode()
    mentor.refresh_from_db()
    assert mentor.vetting_expires_on is None


def test_mentees_have_no_vetting(client, alice, charlie):
    client.force_login(alice)

    client.post(detail_url(charlie, "attestation/"), {"issued_on": "2026-02-15", "verified_on": "2026-03-01", "expires_on": "2029-03-01"})

    charlie.refresh_from_db()
    assert charlie.vetting_expires_on is None


def test_detail_page_shows_the_profile_and_vetting_state(client, alice, association):
    mentor = factories.mentor(association=association, help_with=["stage", "reseau"], path_text="Alternant chez un assureur")
    client.force_login(alice)

    page = client.get(detail_url(mentor)).content.decode()

    assert "Alternant chez un assureur" in page
    assert "Trouver un stage ou une alternance" in page
    assert "non vérifiée" in page


def test_expired_vetting_is_shown_as_expired(client, alice, association):
    mentor = factories.mentor(association=association, vetting_issued_on=date(2021, 12, 1), vetting_verified_on=date(2022, 1, 1), vetting_expires_on=date(2023, 1, 1))
    client.force_login(alice)

    assert "expirée" in client.get(detail_url(mentor)).content.decode()
    assert not Participant.objects.get(pk=mentor.pk).vetting_valid


def test_list_puts_pending_first_then_longest_waiting(client, alice, association):
    now = timezone.now()
    factories.mentee(association=association, status="declined", decline_reason="Hors territoire",
                     user=factories.UserFactory(first_name="Refusé"))
    factories.mentee(association=association, status="validated", validated_at=now - timedelta(days=2),
                     user=factories.UserFactory(first_name="Récent"))
    factories.mentee(association=association, status="validated", validated_at=now - timedelta(days=50),
                     user=factories.UserFactory(first_name="Ancien"))
    factories.mentee(association=association, user=factories.UserFactory(first_name="Nouveau"))
    client.force_login(alice)

    page = client.get(list_url(association)).content.decode()

    positions = [page.index(name) for name in ("Nouveau", "Ancien", "Récent", "Refusé")]
    assert positions == sorted(positions)


def test_participant_is_emailed_the_decision_after_commit(client, alice, association, django_capture_on_commit_callbacks, mailoutbox):
    pending = factories.mentee(association=association)
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(detail_url(pending, "valider/"))

    assert len(callbacks) == 1
    assert [m.to for m in mailoutbox] == [[pending.membership.user.email]]
    assert "est validée" in mailoutbox[0].subject
    assert alice.email not in mailoutbox[0].body


def test_decision_email_follows_the_current_state_and_skips_pending(association, mailoutbox):
    from participants.tasks import send_sign_up_decision

    pending = factories.mentee(association=association)
    send_sign_up_decision(pending.pk)
    assert mailoutbox == []

    declined = factories.mentee(association=association, status="declined", decline_reason="Hors territoire")
    send_sign_up_decision(declined.pk)
    assert len(mailoutbox) == 1
    assert "Hors territoire" in mailoutbox[0].body


def test_the_list_never_reads_password_hashes_nor_private_texts(client, alice, association, django_assert_max_num_queries):
    factories.mentee(association=association, goals_text="Mon histoire")
    client.force_login(alice)
    with django_assert_max_num_queries(10) as queries:  # the pinned count above
        client.get(list_url(association))
    # the page's rows: the only query reading participants' names
    rows_query = next(q["sql"] for q in queries.captured_queries if '"participants_participant"."birth_date"' in q["sql"])
    assert '"accounts_user"."password"' not in rows_query
    assert '"goals_text"' not in rows_query and '"parent_email"' not in rows_query


def test_the_departement_filter_offers_only_where_participants_live(client, alice, association, other_association):
    factories.mentee(association=association, commune=factories.commune("69123"))
    factories.mentee(association=other_association, commune=factories.commune("59350"))
    client.force_login(alice)

    page = client.get(list_url(association)).content.decode()

    assert 'value="69"' in page and 'value="59"' not in page
