import pytest


@pytest.mark.django_db
def test_login_sends_each_person_to_their_space(client, alice, charlie, operator):
    expectations = [
        (alice, f"/coordination/{charlie.association.slug}/"),  # the checklist, or the participants once it is done
        (charlie.membership.user, "/mon-espace/"),
        (operator, "/operateur/associations/"),
    ]
    for user, target in expectations:
        client.force_login(user)
        assert client.get("/espace/")["Location"] == target
