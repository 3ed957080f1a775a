"""The platform operator approves or refuses the associations that ask to join."""

from __future__ import annotations

import pytest
from django.core import mail

from associations.models import Association, CoordinatorInvitation
from tests import factories

pytestmark = pytest.mark.django_db

LIST_URL = "/operateur/associations/"


def detail_url(association, suffix=""):
    return f"/operateur/associations/{association.pk}/{suffix}"


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- list and detail --------------------------------------------------------------------------


def test_operator_sees_every_association_in_the_list(client, operator, association, pending_association):
    client.force_login(operator)

    page = client.get(LIST_URL).content.decode()

    assert "Proxi Bobigny" in page
    assert "Les Amis d&#x27;Aubervilliers" in page
    assert "W931111111" in page


def test_operator_filters_the_list_by_status(client, operator, association, pending_association):
    client.force_login(operator)

    page = client.get(LIST_URL, {"status": "pending"}).content.decode()

    assert "Les Amis d&#x27;Aubervilliers" in page
    assert "Proxi Bobigny" not in page


def test_operator_list_query_count_does_not_grow_with_associations(client, operator, django_assert_max_num_queries):
    for _ in range(15):
        factories.AssociationFactory(status=Association.Status.PENDING, departements=["93", "94"])
    client.force_login(operator)

    # session + user + navigation (coordinated associations, unread messages) + associations with
    # their commune + prefetch of départements.
    with django_assert_max_num_queries(6):
        response = client.get(LIST_URL)

    assert response.status_code == 200


def test_operator_sees_the_detail_of_a_request(client, operator, pending_association):
    client.force_login(operator)

    page = client.get(detail_url(pending_association)).content.decode()

    assert "RNA W931111111" in page
    assert "karima@amis.example.org" in page
    assert "Approuver" in page and "Refuser" in page


# --- approve ------------------------------------------------------------------------------------


def test_approve_activates_and_invites_the_contact_after_commit(client, operator, pending_association, django_capture_on_commit_callbacks):
    client.force_login(operator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(pending_association, "approuver/"), follow=True)

    pending_association.refresh_from_db()
    assert pending_association.status == "active"
    assert pending_association.reviewed_by == operator
    assert pending_association.reviewed_at is not None
    assert any("est approuvée" in m for m in page_messages(response))
    invitation = CoordinatorInvitation.objects.get(association=pending_association)
    assert invitation.email == "karima@amis.example.org"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["karima@amis.example.org"]
    assert message.subject == "Invitation à coordonner Les Amis d'Aubervilliers sur Mentorat"
    assert f"/invitation/{invitation.token}/" in message.body


def test_approval_email_waits_for_the_commit(client, operator, pending_association, django_capture_on_commit_callbacks):
    client.force_login(operator)

    with django_capture_on_commit_callbacks(execute=False):
        client.post(detail_url(pending_association, "approuver/"))

    assert mail.outbox == []


def test_approving_twice_says_it_was_already_done(client, operator, pending_association, django_capture_on_commit_callbacks):
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail_url(pending_association, "approuver/"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(pending_association, "approuver/"), follow=True)

    assert "Cette demande a déjà été traitée." in page_messages(response)
    assert CoordinatorInvitation.objects.filter(association=pending_association).count() == 1
    assert len(mail.outbox) == 1


def test_approve_only_by_post(client, operator, pending_association):
    client.force_login(operator)

    assert client.get(detail_url(pending_association, "approuver/")).status_code == 405
    pending_association.refresh_from_db()
    assert pending_association.status == "pending"


# --- refuse -------------------------------------------------------------------------------------


def test_refuse_records_the_reason_and_tells_the_association(client, operator, pending_association, django_capture_on_commit_callbacks):
    client.force_login(operator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(pending_association, "refuser/"), {"reason": "Pas d'activité de mentorat."})

    assert response.status_code == 302
    pending_association.refresh_from_db()
    assert pending_association.status == "refused"
    assert pending_association.refusal_reason == "Pas d'activité de mentorat."
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["karima@amis.example.org"]
    assert "Raison : Pas d'activité de mentorat." in mail.outbox[0].body
    assert not CoordinatorInvitation.objects.exists()


def test_refuse_requires_a_reason(client, operator, pending_association, django_capture_on_commit_callbacks):
    client.force_login(operator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(pending_association, "refuser/"), {"reason": "   "})

    assert response.status_code == 400
    assert "Indiquez la raison du refus" in response.content.decode()
    pending_association.refresh_from_db()
    assert pending_association.status == "pending"
    assert mail.outbox == []


def test_refusing_an_approved_association_is_refused(client, operator, association):
    client.force_login(operator)

    response = client.post(detail_url(association, "refuser/"), {"reason": "Trop tard"}, follow=True)

    assert "Cette demande a déjà été traitée." in page_messages(response)
    association.refresh_from_db()
    assert association.status == "active"


# --- nobody else --------------------------------------------------------------------------------


def operator_requests(association):
    return [
        ("get", LIST_URL, {}),
        ("get", detail_url(association), {}),
        ("post", detail_url(association, "approuver/"), {}),
        ("post", detail_url(association, "refuser/"), {"reason": "Non"}),
    ]


@pytest.mark.parametrize("who", ["alice", "charlie", "bob"])
def test_coordinators_and_participants_get_404_on_operator_pages(client, request, who, pending_association):
    person = request.getfixturevalue(who)
    client.force_login(person.membership.user if who == "charlie" else person)

    for method, url, data in operator_requests(pending_association):
        assert getattr(client, method)(url, data).status_code == 404, url
    pending_association.refresh_from_db()
    assert pending_association.status == "pending"


def test_a_deactivated_operator_loses_access(client, operator, pending_association):
    client.force_login(operator)
    operator.is_active = False
    operator.save()

    assert client.get(LIST_URL).status_code == 302
    assert client.post(detail_url(pending_association, "approuver/")).status_code == 302
    pending_association.refresh_from_db()
    assert pending_association.status == "pending"


def test_anonymous_is_sent_to_login_from_every_operator_page(client, pending_association):
    for method, url, data in operator_requests(pending_association):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/comptes/login/?next="), url
    pending_association.refresh_from_db()
    assert pending_association.status == "pending"


def test_unknown_association_is_404_for_the_operator(client, operator):
    client.force_login(operator)

    assert client.get("/operateur/associations/999999/").status_code == 404


def test_operator_list_shows_pending_requests_first(client, operator):
    factories.AssociationFactory(name="Zèbre Actif", status="active")
    factories.AssociationFactory(name="Asso Refusée", status="refused")
    factories.AssociationFactory(name="Mentorat En Attente", status="pending")
    client.force_login(operator)

    page = client.get("/operateur/associations/").content.decode()

    assert page.index("Mentorat En Attente") < page.index("Zèbre Actif")
    assert page.index("Mentorat En Attente") < page.index("Asso Refusée")
