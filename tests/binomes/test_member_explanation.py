"""Members see why they were paired, never each other's social background: the member page, the
API member serializer and the introduction e-mail read the same filtered explanation; the
coordinators keep every reason."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from binomes import tasks
from matching.models import MatchRun, Proposal
from programmes.selectors import programme_default_for

pytestmark = pytest.mark.django_db

BACKGROUND = ("boursier", "quartier prioritaire", "QPV", "première génération", "catégorie")


@pytest.fixture
def explained(binome):
    """The binôme's approved proposal says they share every background there is."""
    Proposal.objects.create(
        run=MatchRun.objects.create(association=binome.association, programme=programme_default_for(binome.association), status="done"), association=binome.association,
        mentee=binome.mentee, mentor=binome.mentor, score=0.8, status="approved",
        breakdown={"criteria": {"social": 1.0, "generational": 0.9},
                   "facts": {"age_gap_years": 6.0, "shared_background": ["boursier", "qpv", "first_generation"], "pcs": "same",
                             "same_commune": True, "shared_goals": ["orientation"], "shared_slots": ["saturday_morning"]}},
    )
    return binome


def assert_no_background(text: str) -> None:
    for word in BACKGROUND:
        assert word not in text, word


def test_the_member_page_shows_only_non_sensitive_reasons(client, explained, mentee_user):
    client.force_login(mentee_user)

    page = client.get(f"/mon-espace/binomes/{explained.pk}/").content.decode()

    assert "Pourquoi vous avez été associés" in page and "écart d&#x27;âge : 6 ans" in page and "même commune" in page
    assert_no_background(page.split("Pourquoi vous avez été associés")[1].split("</ul>")[0])


def test_the_api_member_serializer_shows_only_non_sensitive_reasons(explained, mentor_user):
    client = APIClient()
    client.force_authenticate(mentor_user)

    body = client.get(f"/api/v1/binomes/{explained.pk}/").json()

    assert "écart d'âge : 6 ans" in body["why"] and "même commune" in body["why"]
    assert_no_background(" ".join(body["why"]))


def test_the_introduction_email_shows_only_non_sensitive_reasons(explained, mailoutbox):
    tasks.send_introduction(explained.pk)

    assert len(mailoutbox) == 2
    for mail in mailoutbox:
        assert "écart d'âge : 6 ans" in mail.body
        assert_no_background(mail.body)


def test_the_coordinators_still_read_every_reason(client, alice, explained):
    client.force_login(alice)

    page = client.get(f"/coordination/{explained.association.slug}/binomes/{explained.pk}/").content.decode()

    assert "tous deux boursiers" in page and "parents de la même catégorie professionnelle" in page
