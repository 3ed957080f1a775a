"""The operator's Django admin: no state-machine bypass, no delete, and only the minors' data the
operator's job needs (see accounts/admin.py)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from associations.models import Association, Membership
from binomes.models import Binome
from participants.models import Consent, Participant
from tests import factories
from tests.binomes.conftest import binome, mentee_user, mentor_user  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):  # noqa: ANN001
    client.force_login(factories.UserFactory(email="operateur@example.org", first_name="Camille", last_name="Opérat", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def young_mentee(association):  # noqa: ANN001
    """A 13-year-old from Lille with a parent, a social background and free texts."""
    participant = factories.mentee(
        association=association, status="validated", birth_date=factories.years_ago(13),
        user=factories.UserFactory(first_name="Lina", last_name="Amrani", email="lina@example.org"),
        parent_name="Karima Amrani", parent_email="karima.amrani@example.org", boursier=True, qpv_resident=True,
        goals_text="Je veux devenir pilote, appelle-moi", gender="female", commune=factories.commune("59350"), parental_consent=False,
    )
    Consent.objects.create(participant=participant, user=participant.membership.user, kind="parent", notice_version="2026-11",
                           given_by_name="Karima Amrani", given_by_email="karima.amrani@example.org", token="secret-token-123",
                           confirmed_at=timezone.now())
    return participant


def test_the_operator_sees_an_age_band_and_the_consent_state_not_the_minors_personal_data(admin_client, young_mentee):  # noqa: ANN001
    page = admin_client.get(f"/admin/participants/participant/{young_mentee.pk}/change/").content.decode()

    assert "moins de 15 ans" in page and "confirmé le" in page and "Nord" in page
    for hidden in (young_mentee.birth_date.strftime("%d/%m/%Y"), young_mentee.birth_date.isoformat(), "Karima",
                   "karima.amrani@example.org", "pilote", "Lina", "Amrani", "Lille", "59350", "boursier", "QPV", "secret-token-123"):
        assert hidden not in page, hidden


def test_the_consent_page_does_not_name_the_parent(admin_client, young_mentee):  # noqa: ANN001
    consent = young_mentee.consents.get(kind="parent")

    page = admin_client.get(f"/admin/participants/consent/{consent.pk}/change/").content.decode()

    assert "2026-11" in page
    assert "Karima" not in page and "karima.amrani@example.org" not in page and "secret-token-123" not in page


def test_a_participants_status_cannot_be_changed_or_deleted_from_the_admin(admin_client, young_mentee):  # noqa: ANN001
    url = f"/admin/participants/participant/{young_mentee.pk}"

    page = admin_client.get(f"{url}/change/").content.decode()
    changed = admin_client.post(f"{url}/change/", {"status": "pending", "birth_date": "2000-01-01"})
    deleted = admin_client.post(f"{url}/delete/", {"post": "yes"})

    assert 'name="status"' not in page and "Supprimer" not in page
    assert changed.status_code == 403 and deleted.status_code == 403
    young_mentee.refresh_from_db()
    assert young_mentee.status == Participant.Status.VALIDATED and young_mentee.birth_date == factories.years_ago(13)


def test_a_binomes_status_cannot_be_changed_or_deleted_from_the_admin(admin_client, binome):  # noqa: ANN001, F811
    url = f"/admin/binomes/binome/{binome.pk}"

    page = admin_client.get(f"{url}/change/").content.decode()
    changed = admin_client.post(f"{url}/change/", {"status": "completed"})
    deleted = admin_client.post(f"{url}/delete/", {"post": "yes"})

    assert 'name="status"' not in page and "Yanis" not in page and "Inès" not in page
    assert changed.status_code == 403 and deleted.status_code == 403
    binome.refresh_from_db()
    assert binome.status == Binome.Status.ACTIVE


def test_a_consent_cannot_be_changed_from_the_admin(admin_client, young_mentee):  # noqa: ANN001
    consent = young_mentee.consents.get(kind="parent")

    response = admin_client.post(f"/admin/participants/consent/{consent.pk}/change/", {"confirmed_at": "", "refused_at": "2026-01-01"})

    assert response.status_code == 403
    consent.refresh_from_db()
    assert consent.confirmed_at is not None and consent.refused_at is None


def test_the_association_status_changes_only_through_the_suspend_action(admin_client, association, alice):  # noqa: ANN001
    url = f"/admin/associations/association/{association.pk}/change/"
    assert 'name="status"' not in admin_client.get(url).content.decode()

    admin_client.post("/admin/associations/association/", {"action": "suspend", "_selected_action": [association.pk]})

    association.refresh_from_db()
    assert association.status == Association.Status.SUSPENDED
    admin_client.force_login(alice)
    assert admin_client.get(f"/coordination/{association.slug}/").status_code == 404


def test_memberships_only_end_a_coordinators_rights(admin_client, association, alice, charlie):  # noqa: ANN001
    coordinator = Membership.objects.get(user=alice)

    coordinator_page = admin_client.get(f"/admin/associations/membership/{coordinator.pk}/change/").content.decode()
    mentee_page = admin_client.get(f"/admin/associations/membership/{charlie.membership.pk}/change/").content.decode()

    assert 'name="ended_at_0"' in coordinator_page and 'name="role"' not in coordinator_page
    assert 'name="ended_at_0"' not in mentee_page
    assert admin_client.get("/admin/associations/membership/add/").status_code == 403


def test_only_the_operator_suspends_an_association(association, alice):  # noqa: ANN001
    from django.core.exceptions import PermissionDenied

    from associations.services import association_suspend

    with pytest.raises(PermissionDenied):
        association_suspend(association=association, by=alice)


def test_an_integration_token_is_revoked_by_the_action_never_edited(admin_client, association, alice, other_association):  # noqa: ANN001
    from api import services as api_services

    token, _raw = api_services.api_token_create(association=association, by=alice, name="Tableur")
    edited = admin_client.post(f"/admin/api/apitoken/{token.pk}/change/", {"association": other_association.pk, "name": "x"})

    admin_client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})

    token.refresh_from_db()
    assert edited.status_code == 403 and token.association == association
    assert token.revoked_at is not None and token.revoked_by.email == "operateur@example.org"


def test_invitations_are_not_written_by_hand(admin_client, association, alice):  # noqa: ANN001
    from associations.services import coordinator_invite

    invitation = coordinator_invite(association=association, email="nouvelle@example.org", by=alice)

    page = admin_client.get(f"/admin/associations/coordinatorinvitation/{invitation.pk}/change/").content.decode()

    assert invitation.token not in page
    assert admin_client.get("/admin/associations/coordinatorinvitation/add/").status_code == 403


def test_programmes_and_cohorts_are_looked_up_never_written_from_the_admin(admin_client, association, alice):  # noqa: ANN001
    from datetime import date

    from programmes.models import Programme
    from programmes.selectors import programme_default_for
    from programmes.services import cohort_create

    programme = programme_default_for(association)
    cohort = cohort_create(programme=programme, by=alice, name="Septembre 2026", starts_on=date(2026, 9, 1))

    listing = admin_client.get("/admin/programmes/programme/").content.decode()
    page = admin_client.get(f"/admin/programmes/programme/{programme.pk}/change/").content.decode()
    posted = admin_client.post(f"/admin/programmes/programme/{programme.pk}/change/", {"name": "Renommé", "mentee_min_age": 5})

    assert programme.name in listing and association.name in listing
    assert 'name="name"' not in page and "charte" not in page.lower()  # read-only, an allow-list of fields
    assert posted.status_code == 403 and Programme.objects.get(pk=programme.pk).name == programme.name
    assert admin_client.get("/admin/programmes/programme/add/").status_code == 403
    assert admin_client.post(f"/admin/programmes/programme/{programme.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.get(f"/admin/programmes/cohort/{cohort.pk}/change/").status_code == 200
    assert admin_client.get("/admin/programmes/cohort/add/").status_code == 403
