"""End to end in a real browser: two members talk, the page updates by itself, a report reaches
the coordinator, who suspends the binôme."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from binomes.models import Binome
from tests import factories
from tests.matching.conftest import vetted

pytestmark = pytest.mark.browser


def login(page, live_server, email):
    page.goto(f"{live_server.url}/comptes/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label(re.compile(r"^Mot de passe")).fill(factories.PASSWORD)
    page.get_by_role("button", name=re.compile("Connexion|Se connecter")).click()


def test_members_talk_report_and_the_coordinator_suspends(browser, live_server):
    association = factories.AssociationFactory(slug="proxi-bobigny")
    factories.coordinator(association, email="alice@asso.example.org")
    mentor = vetted(association=association, user=factories.UserFactory(first_name="Yanis", email="yanis@example.org"))
    mentee = factories.mentee(association=association, status="validated", user=factories.UserFactory(first_name="Inès", email="ines@example.org"))
    binome = Binome.objects.create(association=association, mentor=mentor, mentee=mentee, started_on=date(2026, 9, 1), planned_end_on=date(2027, 3, 1))
    phone = {"viewport": {"width": 390, "height": 844}, "locale": "fr-FR"}
    ines_ctx, yanis_ctx, alice_ctx = (browser.new_context(**phone) for _ in range(3))
    ines, yanis, alice = ines_ctx.new_page(), yanis_ctx.new_page(), alice_ctx.new_page()
    try:
        login(ines, live_server, "ines@example.org")
        ines.goto(f"{live_server.url}/mon-espace/binomes/{binome.pk}/")
        expect(ines.get_by_text("L'équipe de coordination de l'association peut lire cette conversation")).to_be_visible()

        login(yanis, live_server, "yanis@example.org")
        yanis.goto(f"{live_server.url}/mon-espace/binomes/{binome.pk}/")
        yanis.get_by_label("Ton message").fill("Bonjour Inès, on se voit samedi à la médiathèque ?")
        yanis.get_by_role("button", name="Envoyer").click()
        expect(yanis.locator("#message-list")).to_contain_text("on se voit samedi")
        expect(yanis.get_by_label("Ton message")).to_have_value("")

        # Inès's page was open all along: the message arrives without a reload (polling).
        expect(ines.locator("#message-list")).to_contain_text("on se voit samedi", timeout=12_000)

        ines.get_by_text("Signaler", exact=True).first.click()
        ines.get_by_label("Ce qui ne va pas").first.fill("Je ne suis pas à l'aise")
        ines.get_by_role("button", name="Signaler ce message").click()
        expect(ines.get_by_text("l'équipe de l'association est prévenue")).to_be_visible()

        login(alice, live_server, "alice@asso.example.org")
        alice.goto(f"{live_server.url}/coordination/{association.slug}/binomes/")
        expect(alice.get_by_text("1 signalement")).to_be_visible()
        alice.get_by_role("link", name=re.compile("Inès")).click()
        expect(alice.get_by_text("Je ne suis pas à l'aise")).to_be_visible()
        alice.get_by_label("Raison de la suspension").fill("Le temps de parler aux deux")
        alice.get_by_role("button", name=re.compile("^Suspendre")).click()
        expect(alice.get_by_role("heading", level=1)).to_contain_text("suspendu")

        ines.goto(f"{live_server.url}/mon-espace/binomes/{binome.pk}/")
        expect(ines.get_by_text("La messagerie est fermée.")).to_be_visible()
    finally:
        for ctx in (ines_ctx, yanis_ctx, alice_ctx):
            ctx.close()
