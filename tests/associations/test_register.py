"""An association asks to join the platform at /associations/inscription/."""

from __future__ import annotations

import pytest
from django.core import mail

from associations.models import Association
from tests import factories
from tests.associations.helpers import field_block, field_errors

pytestmark = pytest.mark.django_db

URL = "/associations/inscription/"


def registration(**overrides):
    data = {
        "name": "Les Amis d'Aubervilliers & Co",
        "registration_number": "W931234567",
        "address_commune": "Bobigny (93000)",
        "departements": ["93", "95"],
        "contact_name": "Karima Ziani",
        "contact_email": "Karima@Amis.example.org",
        "description": "Des étudiantes accompagnent des collégiennes de 3e.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def operators(db):  # noqa: ANN001
    return [
        factories.UserFactory(email="ops1@mentorat.example.org", is_staff=True),
        factories.UserFactory(email="ops2@mentorat.example.org", is_staff=True),
    ]


def test_valid_rna_creates_a_pending_association_and_tells_the_operators(client, operators, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, registration(), follow=True)

    assert response.redirect_chain[-1][0] == "/associations/inscription/merci/"
    assert "Merci, votre demande est enregistrée" in response.content.decode()
    association = Association.objects.get(rna_number="W931234567")
    assert association.status == "pending"
    assert association.siren == ""
    assert association.address_commune_id == "93008"
    assert sorted(association.departements.values_list("code", flat=True)) == ["93", "95"]
    assert association.contact_email == "karima@amis.example.org"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["ops1@mentorat.example.org", "ops2@mentorat.example.org"]
    # Plain-text e-mail: the name reads as typed, never HTML-escaped.
    assert message.subject == "Nouvelle association à examiner : Les Amis d'Aubervilliers & Co"
    assert f"/operateur/associations/{association.pk}/" in message.body
    assert "Les Amis d'Aubervilliers & Co" in message.body


def test_no_mail_leaves_before_the_transaction_commits(client, operators, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(URL, registration())

    assert Association.objects.filter(rna_number="W931234567").exists()
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_valid_siren_with_spaces_is_accepted(client, operators, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, registration(registration_number="732 829 320"))

    association = Association.objects.get()
    assert (association.siren, association.rna_number) == ("732829320", "")
    assert association.status == "pending"
    assert len(mail.outbox) == 1


def test_slug_is_made_from_the_name(client, operators):
    client.post(URL, registration(name="Proxi Saint-Denis"))

    assert Association.objects.get().slug == "proxi-saint-denis"


@pytest.mark.parametrize(
    "number, message",
    [
        ("123", "Indiquez un numéro RNA"),
        ("X931234567", "Indiquez un numéro RNA"),
        ("732829321", "Ce numéro SIREN n'est pas valide"),
    ],
)
def test_bad_registration_number_is_explained_next_to_the_field(client, number, message):
    response = client.post(URL, registration(registration_number=number))

    page = response.content.decode()
    assert response.status_code == 200
    assert any(message in error for error in field_errors(page, "registration_number"))
    assert f'value="{number}"' in field_block(page, "registration_number")
    # Everything else typed is still there.
    assert "Karima@Amis.example.org" in field_block(page, "contact_email")
    assert "Des étudiantes accompagnent" in field_block(page, "description")
    assert not Association.objects.exists()


def test_unknown_commune_is_explained_and_kept(client):
    response = client.post(URL, registration(address_commune="Nowhere-sur-Mer"))

    page = response.content.decode()
    assert "Nous ne trouvons pas cette commune" in " ".join(field_errors(page, "address_commune"))
    assert 'value="Nowhere-sur-Mer"' in field_block(page, "address_commune")
    assert not Association.objects.exists()


def test_ambiguous_commune_asks_for_the_postal_code(client):
    response = client.post(URL, registration(address_commune="Saint-Denis"))

    errors = " ".join(field_errors(response.content.decode(), "address_commune"))
    assert "précisez le code postal" in errors
    assert "Saint-Denis (93200)" in errors


def test_empty_form_marks_every_required_field_in_french(client):
    response = client.post(URL, {})

    page = response.content.decode()
    for name in ("name", "registration_number", "address_commune", "departements", "contact_name", "contact_email", "description"):
        assert field_errors(page, name), name
        assert "Ce champ est obligatoire." in " ".join(field_errors(page, name)), name
    assert "Le formulaire contient des erreurs" in page


def test_over_long_description_is_refused_and_kept(client):
    long_text = "Nous accompagnons des jeunes. " * 101  # more than 3,000 characters

    response = client.post(URL, registration(description=long_text))

    page = response.content.decode()
    assert "au plus 3000 caractères" in " ".join(field_errors(page, "description"))
    assert long_text.strip()[:200] in field_block(page, "description")
    assert not Association.objects.exists()


def test_invalid_email_is_refused_in_french(client):
    response = client.post(URL, registration(contact_email="karima-at-amis"))

    assert "Saisissez une adresse e-mail valide." in " ".join(field_errors(response.content.decode(), "contact_email"))


def test_duplicate_rna_is_refused_with_a_clear_message(client, association):
    response = client.post(URL, registration(registration_number=association.rna_number.lower()))

    errors = " ".join(field_errors(response.content.decode(), "registration_number"))
    assert "Une association avec ce numéro est déjà inscrite" in errors
    assert Association.objects.count() == 1


def test_a_refused_association_cannot_reapply_with_the_same_number(client, association):
    association.status = Association.Status.REFUSED
    association.save()

    response = client.post(URL, registration(registration_number=association.rna_number))

    errors = " ".join(field_errors(response.content.decode(), "registration_number"))
    assert "a déjà été refusée" in errors and "réexamine" in errors
    assert Association.objects.count() == 1


def test_duplicate_siren_is_refused(client, association):
    Association.objects.filter(pk=association.pk).update(siren="732829320")

    response = client.post(URL, registration(registration_number="732829320"))

    assert "déjà inscrite" in " ".join(field_errors(response.content.decode(), "registration_number"))


def test_form_page_renders_for_anyone(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert 'name="registration_number"' in response.content.decode()


def test_refreshing_the_thank_you_page_does_not_register_twice(client, operators):
    client.post(URL, registration())

    refreshed = client.get("/associations/inscription/merci/")

    assert "est en attente d'approbation" in refreshed.content.decode()
    assert Association.objects.count() == 1
