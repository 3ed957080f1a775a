"""The sign-up in five steps: each step validated and kept in the session, nothing lost on a
reload, the same rules as the one-page form (they are the same form and service)."""

from __future__ import annotations

import pytest

from participants.models import Participant
from tests import factories
from tests.participants.test_sign_up import mentee_form, mentor_form

pytestmark = pytest.mark.django_db

STEP_FIELDS = [
    ("first_name", "last_name", "email", "birth_date", "gender"),
    ("commune", "languages", "meeting_format"),
    ("education", "field", "qpv_resident", "boursier", "first_generation", "parents_pcs"),
    ("help_with", "path_text", "capacity", "goals", "goals_text", "availability", "prefers_same_gender"),
    ("parent_name", "parent_email", "parent_consent", "password1", "password2", "privacy_accepted"),
]


def url(association, role_slug="mentore"):
    return f"/a/{association.slug}/inscription/{role_slug}/"


def post_step(client, association, index, data, role_slug="mentore"):
    part = {k: v for k, v in data.items() if k in STEP_FIELDS[index]}
    return client.post(url(association, role_slug), {"step": index, **part})


def test_a_mentee_signs_up_step_by_step(client, association):
    data = mentee_form()
    for index in range(4):
        response = post_step(client, association, index, data)
        assert response.status_code == 302 and response["Location"].endswith(f"?etape={index + 2}"), response.content[:300]

    response = post_step(client, association, 4, data)

    assert response["Location"] == "/inscription/confirme-ton-adresse/"
    participant = Participant.objects.get(membership__user__email="ines@example.org")
    assert participant.languages == ["fr", "ar"] and participant.commune_id == "93008" and participant.boursier


def test_a_reload_in_the_middle_loses_nothing(client, association):
    data = mentee_form()
    post_step(client, association, 0, data)
    post_step(client, association, 1, data)

    page = client.get(url(association) + "?etape=1").content.decode()
    assert 'value="Inès"' in page and 'value="ines@example.org"' in page
    page = client.get(url(association) + "?etape=2").content.decode()
    assert 'value="Bobigny (93000)"' in page
    assert 'aria-current="step"' in page and "Étape 2 sur 5" in page


def test_a_step_with_an_error_stays_and_focuses_the_first_invalid_field(client, association):
    response = post_step(client, association, 0, mentee_form(first_name="", email="pas-une-adresse"))

    page = response.content.decode()
    assert response.status_code == 400 and "Étape 1 sur 5" in page
    assert 'name="first_name"' in page and "autofocus" in page.split('name="first_name"')[1].split(">")[0]
    assert "Corrige les champs signalés" in page
    # errors of later steps (nothing typed there yet) are not shown
    assert "Tes objectifs" not in page


def test_no_step_can_be_skipped(client, association):
    response = client.get(url(association) + "?etape=4")

    assert "Étape 1 sur 5" in response.content.decode()


def test_the_parent_fields_appear_only_under_15(client, association):
    older = mentee_form()
    for index in range(4):
        post_step(client, association, index, older)
    assert 'name="parent_name"' not in client.get(url(association) + "?etape=5").content.decode()

    client.cookies.clear()
    younger = mentee_form(birth_date=factories.years_ago(13).isoformat(), email="lina@example.org")
    for index in range(4):
        post_step(client, association, index, younger)
    page = client.get(url(association) + "?etape=5").content.decode()
    assert 'name="parent_name"' in page and 'name="parent_consent"' in page

    refused = post_step(client, association, 4, younger)
    assert refused.status_code == 400 and "Avant 15 ans" in refused.content.decode()
    assert not Participant.objects.filter(membership__user__email="lina@example.org").exists()


def test_a_mentor_never_sees_the_under_15_section(client, association):
    data = mentor_form()
    for index in range(4):
        assert post_step(client, association, index, data, "mentor").status_code == 302

    page = client.get(url(association, "mentor") + "?etape=5").content.decode()

    assert "moins de 15 ans" not in page and 'name="parent_name"' not in page


def test_a_long_pasted_text_is_refused_with_a_message_never_cut(client, association):
    data = mentee_form()
    for index in range(3):
        post_step(client, association, index, data)
    page = client.get(url(association) + "?etape=4").content.decode()
    tag = page.split('<textarea name="goals_text"')[1].split(">")[0]
    assert "maxlength" not in tag and 'data-max="1000"' in tag
    assert 'data-max="1000"' in page and "1000 caractères au plus" in page

    response = post_step(client, association, 3, mentee_form(goals_text="a" * 1200))

    assert response.status_code == 400
    assert "au plus 1000 caractères" in response.content.decode()


def test_the_last_step_checks_the_password_which_is_never_kept(client, association):
    data = mentee_form()
    for index in range(4):
        post_step(client, association, index, data)

    response = post_step(client, association, 4, mentee_form(password1="1234567890", password2="1234567890"))

    assert response.status_code == 400
    draft = client.session[f"sign_up_draft:{association.pk}:mentee"]
    assert "password1" not in draft["values"] and "password2" not in draft["values"]
