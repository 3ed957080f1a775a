"""Coordinator invitations: sent on approval or by a coordinator, accepted through the e-mailed link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import User
from associations.models import CoordinatorInvitation, Membership
from associations.services import is_coordinator
from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Cerisier-bleu-2026"


@pytest.fixture
def invitation(association, alice):  # noqa: ANN001
    return CoordinatorInvitation.objects.create(association=association, email="dora@example.org", invited_by=alice)


def url(invitation):
    return f"/invitation/{invitation.token}/"


def signup(**overrides):
    return {"first_name": "Dora", "last_name": "Mbemba", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **overrides}


# --- a new person ----------------------------------------------------------------------------


def test_new_person_creates_their_login_and_lands_on_coordination_pages(client, invitation, association):
    page = client.get(url(invitation)).content.decode()
    assert "votre identifiant sera dora@example.org" in page

    response = client.post(url(invitation), signup(), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/coordination/{association.slug}/"  # a new association: the checklist
    user = User.objects.get(email="dora@example.org")
    assert user.check_password(NEW_PASSWORD)
    assert is_coordinator(user=user, association=association)
    assert response.context["user"] == user
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None


def test_new_persons_address_counts_as_verified(client, invitation):
    client.post(url(invitation), signup())

    assert User.objects.get(email="dora@example.org").emailaddress_set.get().verified


def test_signup_errors_are_in_french_and_nothing_is_created(client, invitation):
    response = client.post(url(invitation), signup(password2="autre-chose-2026"))

    assert "Les deux mots de passe ne sont pas identiques." in response.content.decode()
    assert 'value="Dora"' in response.content.decode()
    assert not User.objects.filter(email="dora@example.org").exists()


def test_signup_refuses_a_weak_password(client, invitation):
    response = client.post(url(invitation), signup(password1="12345678", password2="12345678"))

    assert "Ce mot de passe est trop court." in response.content.decode()
    assert not User.objects.filter(email="dora@example.org").exists()


def test_empty_signup_marks_the_required_fields(client, invitation):
    response = client.post(url(invitation), {})

    assert response.content.decode().count("Ce champ est obligatoire.") >= 4
    assert not User.objects.filter(email="dora@example.org").exists()


# --- someone who already has a login ---------------------------------------------------------


def test_existing_user_is_asked_to_log_in_with_the_invited_address(client, invitation, association):
    dora = factories.UserFactory(email="dora@example.org")

    page = client.get(url(invitation)).content.decode()
    assert "Un compte existe déjà pour dora@example.org" in page
    assert f"/comptes/login/?next=/invitation/{invitation.token}/" in page

    logged = client.post(f"/comptes/login/?next={url(invitation)}", {"login": "dora@example.org", "password": factories.PASSWORD})
    assert logged["Location"] == url(invitation)
    response = client.post(url(invitation), follow=True)

    assert is_coordinator(user=dora, association=association)
    assert response.redirect_chain[-1][0] == f"/coordination/{association.slug}/"  # a new association: the checklist


def test_a_post_without_login_creates_nothing_for_an_existing_address(client, invitation, association):
    dora = factories.UserFactory(email="dora@example.org")

    response = client.post(url(invitation), signup())

    assert response.status_code == 200
    assert not is_coordinator(user=dora, association=association)
    assert not dora.check_password(NEW_PASSWORD)


def test_wrong_address_is_refused_with_a_message(client, invitation, association, bob):
    client.force_login(bob)

    response = client.post(url(invitation))

    assert response.status_code == 200
    assert "envoyée à une autre adresse e-mail" in response.content.decode()
    assert not is_coordinator(user=bob, association=association)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invited_address_matches_whatever_its_case(client, association, alice):
    invitation = CoordinatorInvitation.objects.create(association=association, email="Dora@Example.org", invited_by=alice)
    dora = factories.UserFactory(email="dora@example.org")
    client.force_login(dora)

    client.post(url(invitation))

    assert is_coordinator(user=dora, association=association)


# --- invitations that can no longer be used ----------------------------------------------------


def test_expired_invitation_gives_410(client, invitation):
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = client.get(url(invitation))
        posted = client.post(url(invitation), signup())

    assert response.status_code == 410
    assert "Cette invitation n'est plus valable" in response.content.decode()
    assert posted.status_code == 410
    assert not User.objects.filter(email="dora@example.org").exists()


def test_invitation_is_still_good_the_day_before_it_expires(client, invitation):
    with time_machine.travel(timezone.now() + timedelta(days=13)):
        response = client.get(url(invitation))

    assert response.status_code == 200


def test_used_invitation_gives_410(client, invitation):
    client.post(url(invitation), signup())
    client.logout()

    response = client.get(url(invitation))

    assert response.status_code == 410
    assert Membership.objects.filter(user__email="dora@example.org").count() == 1


def test_unknown_token_is_404(client, db):
    assert client.get("/invitation/pas-un-vrai-jeton/").status_code == 404


# --- a coordinator invites a colleague from the team page ----------------------------------------


def test_alice_invites_a_colleague_who_gets_the_link(client, alice, association, django_capture_on_commit_callbacks):
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/coordination/{association.slug}/equipe/", {"email": "Dora@Example.org"}, follow=True)

    assert "invitation envoyée à dora@example.org." in [str(m).lower() for m in response.context["messages"]]
    invitation = CoordinatorInvitation.objects.get(association=association)
    assert (invitation.email, invitation.invited_by) == ("dora@example.org", alice)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dora@example.org"]
    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[0].body).group(0)
    assert link.endswith(f"/invitation/{invitation.token}/")
    assert "dora@example.org" in response.content.decode()  # listed under pending invitations


def test_inviting_a_current_coordinator_is_refused(client, alice, association, django_capture_on_commit_callbacks):
    colleague = factories.coordinator(association, email="eve@asso.example.org")
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/coordination/{association.slug}/equipe/", {"email": "EVE@asso.example.org"})

    assert response.status_code == 200
    assert "Cette personne coordonne déjà l'association." in response.content.decode().replace("&#x27;", "'")
    assert not CoordinatorInvitation.objects.filter(email=colleague.email).exists()
    assert mail.outbox == []


def test_team_page_lists_the_coordinators(client, alice, association):
    factories.coordinator(association, email="eve@asso.example.org")
    client.force_login(alice)

    page = client.get(f"/coordination/{association.slug}/equipe/").content.decode()

    assert "alice@asso.example.org" in page and "eve@asso.example.org" in page


def test_team_page_lists_only_invitations_that_can_still_be_accepted(client, alice, association, invitation):
    CoordinatorInvitation.objects.create(association=association, email="ancienne@example.org", expires_at=timezone.now() - timedelta(days=1))
    CoordinatorInvitation.objects.create(association=association, email="acceptee@example.org", accepted_at=timezone.now())
    client.force_login(alice)

    page = client.get(f"/coordination/{association.slug}/equipe/").content.decode()

    assert "dora@example.org" in page
    assert "ancienne@example.org" not in page
    assert "acceptee@example.org" not in page


def test_team_page_query_count_does_not_grow_with_the_team(client, alice, association, django_assert_max_num_queries):
    for n in range(10):
        factories.coordinator(association, email=f"coord{n}@asso.example.org")
        CoordinatorInvitation.objects.create(association=association, email=f"invite{n}@example.org")
    client.force_login(alice)

    # session + user + navigation (coordinated associations, unread messages) + the association
    # (scoped to alice) + coordinators with their users + pending invitations.
    with django_assert_max_num_queries(7):
        response = client.get(f"/coordination/{association.slug}/equipe/")

    assert response.content.decode().count("@asso.example.org") >= 11


def test_empty_invitation_form_says_the_address_is_required(client, alice, association):
    client.force_login(alice)

    response = client.post(f"/coordination/{association.slug}/equipe/", {})

    assert "Ce champ est obligatoire." in response.content.decode()
    assert not CoordinatorInvitation.objects.exists()


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_others_get_404_on_the_team_page(client, request, who, association):
    person = request.getfixturevalue(who)
    client.force_login(person.membership.user if who == "charlie" else person)

    assert client.get(f"/coordination/{association.slug}/equipe/").status_code == 404
    assert client.post(f"/coordination/{association.slug}/equipe/", {"email": "x@example.org"}).status_code == 404
    assert not CoordinatorInvitation.objects.exists()


def test_anonymous_is_sent_to_login_from_the_team_page(client, association):
    response = client.get(f"/coordination/{association.slug}/equipe/")

    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")
