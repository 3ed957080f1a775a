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
