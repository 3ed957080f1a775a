"""Mentors' trainings: recorded by a coordinator from the mentor's page, counted as "formé·es"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from reporting.models import MentorTraining
from tests import factories

pytestmark = pytest.mark.django_db


def url(association, participant):
    return f"/coordination/{association.slug}/participants/{participant.pk}/formation/"


@pytest.fixture
def mentor(association):
    return factories.mentor(association=association, status="validated")


def test_alice_records_a_training_from_the_mentors_page(client, alice, association, mentor):
    client.force_login(alice)
    page = client.get(f"/coordination/{association.slug}/participants/{mentor.pk}/").content.decode()

    response = client.post(url(association, mentor), {"completed_on": "2026-03-01", "title": "Formation initiale"}, follow=True)

    assert "Formation des mentors" in page
    assert "La formation est enregistrée." in response.content.decode()
    assert MentorTraining.objects.get(participant=mentor).recorded_by == alice


def test_a_future_date_or_a_mentee_is_refused(client, alice, association, mentor, charlie):
    client.force_login(alice)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()

    client.post(url(association, mentor), {"completed_on": future})
    client.post(url(association, charlie), {"completed_on": "2026-03-01"})

    assert not MentorTraining.objects.exists()


def test_bob_and_charlie_get_404(client, bob, charlie, association, mentor):
    for user in (bob, charlie.membership.user):
        client.force_login(user)
        assert client.post(url(association, mentor), {"completed_on": "2026-03-01"}).status_code == 404
    assert not MentorTraining.objects.exists()
