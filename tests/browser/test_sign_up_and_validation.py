"""End to end in a real browser: a mentee and a mentor sign up; a coordinator validates and vets."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from participants.models import Participant
from tests import factories

pytestmark = pytest.mark.browser


def confirm_address(page, live_server, email: str) -> None:  # noqa: ANN001
    """Sign-up does not sign in: the person is asked to confirm their address, then the link
    e-mailed to them signs them in onto their status page."""
    from django.core import mail

    expect(page.get_by_role("heading", name="Confirme ton adresse e-mail")).to_be_visible()
    expect(page.get_by_text(email, exact=True)).to_be_visible()
    body = next(m for m in mail.outbox if email in m.to).body
    page.goto(live_server.url + re.search(r"(/comptes/confirm-email/[^\s]+/)", body).group(1))
    page.get_by_role("button", name=re.compile("Confirm")).click()


def next_step(page) -> None:  # noqa: ANN001
    page.get_by_role("button", name=re.compile("Continuer")).click()


def test_mentee_signs_up_step_by_step_reloads_in_the_middle_and_loses_nothing(page, live_server):
    association = factories.AssociationFactory(slug="proxi-bobigny")
    page.goto(f"{live_server.url}/a/{association.slug}/")
    page.get_by_role("link", name=re.compile("accompagné")).click()

    expect(page.locator('.stepper [aria-current="step"]')).to_contain_text("Qui tu es")
    page.get_by_label("Prénom").fill("Inès")
    page.get_by_label("Nom :", exact=True).fill("Haddad")
    page.get_by_label("Adresse e-mail").fill("ines@example.org")
    page.get_by_label("Date de naissance").fill("2099-01-01")
    next_step(page)
    # the error stays on this step, with the focus on the field to fix
    expect(page.get_by_role("alert")).to_contain_text("Corrige les champs signalés")
    expect(page.get_by_label("Date de naissance")).to_be_focused()
    expect(page.get_by_label("Prénom")).to_have_value("Inès")
    page.get_by_label("Date de naissance").fill(factories.years_ago(16).isoformat())
    next_step(page)

    expect(page.get_by_text("Étape 2 sur 5")).to_be_visible()
    commune = page.get_by_label("Commune où tu habites")
    commune.press_sequentially("Bobig", delay=30)
    # The commune list is filled by the server as the user types.
    expect(page.locator("#id_commune-list option").first).to_have_attribute("value", "Bobigny (93000)")
    commune.fill("Bobigny (93000)")
    page.get_by_label("Chercher une langue").fill("ara")  # the filter box hides the other languages
    expect(page.get_by_label("Espagnol")).to_be_hidden()
    page.get_by_label("Arabe").check()
    next_step(page)

    page.reload()  # on step 3: nothing typed before is lost
    expect(page.get_by_text("Étape 3 sur 5")).to_be_visible()
    page.get_by_role("link", name=re.compile("Où tu es")).click()
    expect(page.get_by_label("Commune où tu habites")).to_have_value("Bobigny (93000)")
    expect(page.get_by_label("Arabe")).to_be_checked()
    page.get_by_role("link", name=re.compile("Études et milieu")).click()

    page.get_by_label("Niveau d'études ou situation").select_option("lycee_general")
    page.get_by_label("Domaine").select_option("sante")
    next_step(page)
    page.get_by_label("Orientation, choix d'études").check()
    page.get_by_label("Ce que tu aimerais faire plus tard").fill("Je voudrais faire médecine")
    expect(page.locator("#id_goals_text-count")).to_contain_text("26 caractères sur 1000")
    page.get_by_label("Samedi").check()
    next_step(page)

    expect(page.locator('[name="parent_name"]')).to_have_count(0)  # 16: no parent section
    page.get_by_label(re.compile(r"^Mot de passe\b")).fill("Cerisier-bleu-2026")
    page.get_by_label("Confirme le mot de passe").fill("Cerisier-bleu-2026")
    page.get_by_label("J'ai lu la politique de confidentialité").check()
    page.get_by_role("button", name="Envoyer mon inscription").click()
    confirm_address(page, live_server, "ines@example.org")

    expect(page.get_by_text("En attente de validation")).to_be_visible()
    ines = Participant.objects.get(membership__user__email="ines@example.org")
    assert (ines.status, ines.commune_id, sorted(ines.languages), ines.goals_text) == ("pending", "93008", ["ar", "fr"], "Je voudrais faire médecine")


def test_mentor_signs_up(page, live_server):
    association = factories.AssociationFactory(slug="proxi-bobigny")
    page.goto(f"{live_server.url}/a/{association.slug}/inscription/mentor/")

    page.get_by_label("Prénom").fill("Yanis")
    page.get_by_label("Nom :", exact=True).fill("Haddad")
    page.get_by_label("Adresse e-mail").fill("yanis@example.org")
    page.get_by_label("Date de naissance").fill(factories.years_ago(23).isoformat())
    next_step(page)
    page.get_by_label("Commune où tu habites").fill("Marseille 1er Arrondissement (13001)")
    next_step(page)
    page.get_by_label("Niveau d'études ou situation").select_option("bac_5")
    page.get_by_label("Domaine").select_option("sante")
    next_step(page)
    page.get_by_label("Méthodes de travail").first.check()
    page.get_by_label("Ton parcours").fill("Interne en médecine, boursier, j'ai grandi à Marseille")
    page.get_by_label("Combien de personnes peux-tu accompagner ?").select_option("2")
    page.get_by_label("En semaine, en soirée").check()
    next_step(page)
    expect(page.get_by_text("moins de 15 ans")).to_have_count(0)
    page.get_by_label(re.compile(r"^Mot de passe\b")).fill("Cerisier-bleu-2026")
    page.get_by_label("Confirme le mot de passe").fill("Cerisier-bleu-2026")
    page.get_by_label("J'ai lu la politique de confidentialité").check()
    page.get_by_role("button", name="Envoyer mon inscription").click()
    confirm_address(page, live_server, "yanis@example.org")

    expect(page.get_by_text("En attente de validation")).to_be_visible()
    mentor = Participant.objects.get(membership__user__email="yanis@example.org")
    assert (mentor.role, mentor.capacity, mentor.commune_id) == ("mentor", 2, "13201")


def test_coordinator_filters_validates_and_records_vetting(page, live_server):
    association = factories.AssociationFactory(slug="proxi-bobigny")
    factories.coordinator(association, email="alice@asso.example.org")
    mentor = factories.mentor(association=association, user=factories.UserFactory(first_name="Yanis", last_name="Benali"))
    factories.mentee(association=association, user=factories.UserFactory(first_name="Inès", last_name="Haddad"))

    page.goto(f"{live_server.url}/comptes/login/")
    page.get_by_label("Adresse e-mail").fill("alice@asso.example.org")
    page.get_by_label(re.compile(r"^Mot de passe")).fill(factories.PASSWORD)
    page.get_by_role("button", name=re.compile("Connexion|Se connecter")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("premiers pas")  # the checklist
    page.get_by_role("navigation", name="Coordination").get_by_role("link", name="Participant·es").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("participant·es")

    page.locator("summary", has_text="Filtres").click()  # folded on a phone: the list comes first
    page.get_by_label("Rôle").select_option("mentor")  # HTMX swaps the results in place
    expect(page.locator("#participant-results")).not_to_contain_text("Inès")
    page.get_by_role("link", name="Yanis Benali").click()
    page.get_by_role("button", name="Valider l'inscription").click()
    expect(page.get_by_text("est validée")).to_be_visible()

    page.get_by_label("Attestation délivrée le").fill("2026-08-20")
    page.get_by_label("Vérifiée en ligne le").fill("2026-09-01")
    page.get_by_label("Vérification à renouveler avant le").fill("2029-09-01")
    page.get_by_role("button", name="Enregistrer la vérification").click()
    expect(page.get_by_text("Attestation d'honorabilité enregistrée.")).to_be_visible()

    mentor.refresh_from_db()
    assert mentor.status == "validated"
    assert mentor.vetting_valid
