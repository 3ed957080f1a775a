"""E-mails are plain text: nothing in them may be HTML-escaped ("l'association", "R&D")."""

from pathlib import Path

import pytest

EMAILS = sorted((Path(__file__).resolve().parent.parent / "templates" / "emails").glob("*.txt"))


@pytest.mark.parametrize("template", EMAILS, ids=lambda p: p.name)
def test_every_email_template_turns_autoescape_off(template):
    text = template.read_text(encoding="utf-8")

    assert text.lstrip().startswith("{% autoescape off %}")
    assert "{% endautoescape %}" in text


@pytest.mark.django_db
def test_decision_subject_keeps_the_apostrophe(mailoutbox):
    from participants.tasks import send_sign_up_decision
    from tests import factories

    association = factories.AssociationFactory(name="Proxi'Mentorat")
    participant = factories.mentee(association=association, status="validated")

    send_sign_up_decision(participant.pk)

    assert mailoutbox[0].subject == "Ton inscription chez Proxi'Mentorat est validée"


@pytest.mark.django_db
def test_every_email_has_a_simple_html_version_with_the_same_words(mailoutbox):
    from participants.tasks import send_sign_up_decision
    from tests import factories

    association = factories.AssociationFactory(name="R&D Mentorat")
    participant = factories.mentee(association=association, status="validated")

    send_sign_up_decision(participant.pk)

    message = mailoutbox[0]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="fr">' in html and "R&amp;D Mentorat" in html  # escaped once, in HTML only
    assert "R&D Mentorat" in message.body
    first_link = next(word for word in message.body.split() if word.startswith("http"))
    assert f'href="{first_link}"' in html


@pytest.mark.django_db
def test_allauth_emails_get_the_html_version_too(client, mailoutbox):
    from tests import factories

    factories.UserFactory(email="ines@example.org")

    client.post("/comptes/password/reset/", {"email": "ines@example.org"})

    html, mimetype = mailoutbox[0].alternatives[0]
    assert mimetype == "text/html" and "/comptes/password/reset/key/" in html
