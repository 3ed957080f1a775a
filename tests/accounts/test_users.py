"""Logins: the e-mail address is the identifier, whatever its case."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import IntegrityError

from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Cerisier-bleu-2026"


def test_create_user_stores_the_address_lower_cased():
    user = User.objects.create_user(email="Inès.Haddad@Example.ORG", password=PASSWORD)

    assert user.email == "inès.haddad@example.org"
    assert user.check_password(PASSWORD)
    assert not user.is_staff and not user.is_operator


def test_create_user_requires_an_address():
    with pytest.raises(ValueError):
        User.objects.create_user(email="", password=PASSWORD)


def test_two_logins_cannot_differ_only_by_case():
    factories.UserFactory(email="alice@example.org")

    with pytest.raises(IntegrityError):
        User(email="ALICE@example.org").save()


def test_operator_is_an_active_staff_member():
    operator = factories.UserFactory(is_staff=True)
    former = factories.UserFactory(is_staff=True, is_active=False)

    assert operator.is_operator
    assert not former.is_operator


def test_user_reads_as_their_name_or_their_address():
    assert str(factories.UserFactory(first_name="Alice", last_name="Martin")) == "Alice Martin"
    assert str(factories.UserFactory(email="anonyme@example.org", first_name="", last_name="")) == "anonyme@example.org"


def test_sign_up_sends_a_french_confirmation_from_mentorat(client):
    response = client.post("/comptes/signup/", {"email": "Zoe@Example.org", "password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 302
    assert User.objects.filter(email="zoe@example.org").exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zoe@example.org"]
    assert message.subject == "[Mentorat] Confirmez votre adresse e-mail"
    assert "Mentorat" in message.body
    assert "example.com" not in message.body
    assert re.search(r"/comptes/confirm-email/\S+/", message.body)


def test_sign_up_with_an_address_already_used_in_another_case_creates_nothing(client):
    factories.UserFactory(email="zoe@example.org")

    client.post("/comptes/signup/", {"email": "ZOE@example.org", "password1": PASSWORD, "password2": PASSWORD})

    # allauth does not reveal on the page that the account exists; it tells the owner by e-mail.
    assert User.objects.filter(email__iexact="zoe@example.org").count() == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [(["zoe@example.org"], "[Mentorat] Ce compte existe déjà")]


def test_login_with_the_address_in_another_case(client):
    user = factories.UserFactory(email="yanis@example.org")

    response = client.post("/comptes/login/", {"login": "YANIS@Example.org", "password": factories.PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_is_refused_in_french(client):
    factories.UserFactory(email="yanis@example.org")

    response = client.post("/comptes/login/", {"login": "yanis@example.org", "password": "pas-le-bon"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in response.content.decode()


def test_admin_add_user_stores_the_address_lower_cased(client):
    root = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)

    client.post("/admin/accounts/user/add/", {"email": "Nadia@Example.org", "password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"})

    assert User.objects.filter(email="nadia@example.org").exists()
