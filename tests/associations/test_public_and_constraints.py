"""The public page of an association, and the invariants the database enforces."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from associations.models import Association, Membership
from tests import factories

pytestmark = pytest.mark.django_db


# --- public page ------------------------------------------------------------------------------


def test_active_association_page_offers_both_sign_ups(client, association):
    response = client.get(f"/a/{association.slug}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Proxi Bobigny" in page
    assert f'href="/a/{association.slug}/inscription/mentore/"' in page
    assert f'href="/a/{association.slug}/inscription/mentor/"' in page


@pytest.mark.parametrize("status", ["pending", "refused", "suspended"])
def test_association_not_active_has_no_public_page(client, association, status):
    association.status = status
    association.save()

    assert client.get(f"/a/{association.slug}/").status_code == 404


def test_unknown_slug_is_404(client, db):
    assert client.get("/a/personne/").status_code == 404


# --- database constraints -----------------------------------------------------------------------


def test_association_needs_rna_or_siren():
    with pytest.raises(IntegrityError):
        factories.AssociationFactory(rna_number="", siren="")


def test_association_with_siren_only_is_fine():
    association = factories.AssociationFactory(rna_number="", siren="732829320")

    assert association.registration_number == "732829320"


def test_two_associations_cannot_share_an_rna_number(association):
    with pytest.raises(IntegrityError):
        factories.AssociationFactory(rna_number=association.rna_number)


def test_mentee_min_age_above_max_is_refused_by_the_database(association):
    with pytest.raises(IntegrityError):
        Association.objects.filter(pk=association.pk).update(mentee_min_age=20, mentee_max_age=15)


def test_mentor_age_outside_the_platform_bounds_is_refused_by_the_database(association):
    with pytest.raises(IntegrityError):
        Association.objects.filter(pk=association.pk).update(mentor_max_age=95)


def test_programme_duration_is_bounded_by_the_database(association):
    with pytest.raises(IntegrityError):
        Association.objects.filter(pk=association.pk).update(programme_duration_months=0)


def test_two_current_coordinator_memberships_are_refused(alice, association):
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=alice, association=association, role=Membership.Role.COORDINATOR)


def test_an_ended_membership_and_a_current_one_are_fine(alice, association):
    alice.memberships.update(ended_at=timezone.now())

    Membership.objects.create(user=alice, association=association, role=Membership.Role.COORDINATOR)

    assert Membership.objects.filter(user=alice, association=association).count() == 2


def test_the_same_person_may_hold_two_roles(alice, association):
    # The cascade: a coordinator (or former mentee) may also mentor.
    Membership.objects.create(user=alice, association=association, role=Membership.Role.MENTOR)

    assert alice.memberships.count() == 2


def test_a_membership_cannot_end_before_it_starts(alice):
    membership = alice.memberships.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(ended_at=membership.started_at - timedelta(days=1))
