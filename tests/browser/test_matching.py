"""End to end in a real browser: a coordinator launches a matching run, watches it finish,
reads why a pair was proposed and approves it; the mentee then sees the binôme."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from binomes.models import Binome
from tests import factories
from tests.browser.test_binome import login
from tests.matching.conftest import vetted

pytestmark = pytest.mark.browser


def test_coordinator_runs_matching_and_approves_a_pair(browser, live_server):
    association = factories.AssociationFactory(slug="proxi-bobigny")
    factories.coordinator(association, email="alice@asso.example.org")
    factories.mentee(association=association, status="validated", boursier=True, goals=["orientation"],
                     user=factories.UserFactory(first_name="Inès", last_name="Haddad", email="ines@example.org"))
    vetted(association=association, boursier=True, help_with=["orientation"], birth_date=factories.years_ago(21),
           user=factories.UserFactory(first_name="Yanis", last_name="Benali"))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    try:
        login(page, live_server, "alice@asso.example.org")
        page.goto(f"{live_server.url}/coordination/{association.slug}/appariement/")
        page.get_by_role("button", name="Lancer un appariement").click()
        expect(page.get_by_text("Binômes proposés : 1")).to_be_visible(timeout=15_000)

        page.get_by_role("link", name="Examiner les propositions").first.click()
        proposal = page.locator("li.proposal-row").first
        expect(proposal.locator("summary")).to_contain_text("Inès Haddad")
        expect(proposal.locator("summary")).to_contain_text("Yanis Benali")
        proposal.locator("summary").click()  # the details open in place
        expect(proposal).to_contain_text("tous deux boursiers")
        expect(proposal).to_contain_text("objectif ↔ peut aider : Orientation")
        proposal.get_by_role("button", name="Approuver").click()
        expect(page.get_by_text(re.compile("Binôme créé"))).to_be_visible()
        assert Binome.objects.filter(mentee__membership__user__email="ines@example.org", status="active").exists()

        ines = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
        login(ines, live_server, "ines@example.org")
        ines.goto(f"{live_server.url}/mon-espace/")
        ines.get_by_role("link", name="Voir mon binôme et mes messages").click()
        ines.get_by_role("link", name="Yanis").click()
        expect(ines.get_by_role("heading", level=1)).to_contain_text("Ton binôme avec Yanis")
        # The member reads why they were paired, never the social background the team matched on.
        expect(ines.get_by_text("objectif ↔ peut aider : Orientation")).to_be_visible()
        expect(ines.get_by_text("tous deux boursiers")).to_have_count(0)
        ines.context.close()
    finally:
        context.close()
