"""End to end in Debian's Chromium: proposal rows that fit a phone, keyboard decisions, the mentor
swap refusing a pair that breaks a rule, and a new coordinator's checklist advancing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from binomes.models import Binome
from matching.models import MatchRun, Proposal
from participants.models import Participant
from programmes.selectors import programme_default_for
from tests import factories
from tests.browser.test_binome import login
from tests.matching.conftest import vetted

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def proposals_world(n: int = 6):
    association = factories.AssociationFactory(slug="proxi-bobigny")
    factories.coordinator(association, email="alice@asso.example.org")
    run = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done", n_proposals=n)
    breakdown = {"criteria": {"generational": 0.9, "social": 0.75, "goals": 0.7, "geography": 1.0, "availability": 0.5},
                 "facts": {"age_gap_years": 4.2, "shared_background": ["boursier"], "same_commune": True, "distance_km": 1.2,
                           "meeting": "either", "shared_goals": ["orientation"], "shared_terms": ["sciences po"]}}
    for i in range(n):
        mentee = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(16),
                                  user=factories.UserFactory(first_name=f"Maëlys-Inès{i}", last_name="Haddad-Benkirane"))
        mentor = vetted(association=association, birth_date=factories.years_ago(21),
                        user=factories.UserFactory(first_name=f"Yanis{i}", last_name="Benali-Martin"))
        Proposal.objects.create(run=run, association=association, mentee=mentee, mentor=mentor, score=0.59 + i / 100,
                                breakdown=breakdown)
    return association


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_proposal_row_fits_and_opens_in_place(browser, live_server, viewport):
    association = proposals_world()
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    page = context.new_page()
    try:
        login(page, live_server, "alice@asso.example.org")
        page.goto(f"{live_server.url}/coordination/{association.slug}/propositions/")
        rows = page.locator("li.proposal-row")
        expect(rows).to_have_count(6)
        heights = [rows.nth(i).bounding_box()["height"] for i in range(6)]
        print(f"proposal row heights at {viewport['width']} px: {heights}")
        assert max(heights) <= 200, heights
        assert page.evaluate(NO_OVERFLOW)

        # keyboard only: focus the row's summary, open it, reach the approve button
        summary = rows.first.locator("summary")
        summary.focus()
        page.keyboard.press("Enter")
        details = rows.first.locator("details")
        expect(details).to_have_attribute("open", "")
        expect(details.get_by_role("columnheader", name="Mentor", exact=True)).to_be_visible()
        expect(details).to_contain_text("Genre")
        expect(details).to_contain_text("Langues")
        expect(details).to_contain_text("Disponibilités")
        assert page.evaluate(NO_OVERFLOW)
        approve = details.get_by_role("button", name="Approuver")
        approve.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text(re.compile("Binôme créé"))).to_be_visible()
        assert Binome.objects.count() == 1
    finally:
        context.close()


def test_swap_mentor_respects_the_rules(browser, live_server):
    association = factories.AssociationFactory(slug="proxi-bobigny")
    factories.coordinator(association, email="alice@asso.example.org")
    ines = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(16),
                            user=factories.UserFactory(first_name="Inès", last_name="Haddad"))
    yanis = vetted(association=association, birth_date=factories.years_ago(21), user=factories.UserFactory(first_name="Yanis", last_name="Benali"))
    zoe = vetted(association=association, birth_date=factories.years_ago(20), user=factories.UserFactory(first_name="Zoé", last_name="Martin"))
    sami = vetted(association=association, birth_date=factories.years_ago(22), user=factories.UserFactory(first_name="Sami", last_name="Diallo"))
    run = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done", n_proposals=1)
    proposal = Proposal.objects.create(run=run, association=association, mentee=ines, mentor=yanis, score=0.7,
                                       breakdown={"criteria": {}, "facts": {}})
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    try:
        login(page, live_server, "alice@asso.example.org")
        page.goto(f"{live_server.url}/coordination/{association.slug}/propositions/")
        page.locator("li.proposal-row summary").first.click()
        page.get_by_role("link", name="Autres mentors possibles").click()  # loaded in place (HTMX)
        alternatives = page.locator(f"#alternatives-{proposal.pk}")
        expect(alternatives).to_contain_text("Zoé Martin", timeout=20_000)  # scored on demand, on a loaded machine
        expect(alternatives).to_contain_text("Sami Diallo")
        assert page.evaluate(NO_OVERFLOW)

        # Meanwhile Sami's attestation lapses: choosing him now is refused, in French, under the locks.
        Participant.objects.filter(pk=sami.pk).update(vetting_verified_on=None, vetting_expires_on=None, vetting_issued_on=None)
        alternatives.get_by_role("button", name="Choisir Sami Diallo comme mentor").click()
        expect(page.get_by_role("alert")).to_contain_text("mineur")
        proposal.refresh_from_db()
        assert proposal.mentor_id == yanis.pk

        page.get_by_role("button", name="Choisir Zoé Martin comme mentor").click()
        expect(page.get_by_text("Mentor changé : Inès Haddad ↔ Zoé Martin, à approuver.")).to_be_visible()
        proposal.refresh_from_db()
        assert proposal.mentor_id == zoe.pk
    finally:
        context.close()


def test_a_new_coordinators_checklist_advances(page, live_server):
    association = factories.AssociationFactory(slug="proxi-bobigny")
    factories.coordinator(association, email="alice@asso.example.org")

    login(page, live_server, "alice@asso.example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("premiers pas")
    expect(page.locator("#checklist-progress")).to_have_text("Étapes faites : 0 sur 5")
    expect(page.locator('.checklist [aria-current="step"]')).to_contain_text("Régler le programme")
    assert page.evaluate(NO_OVERFLOW)

    page.locator("#step-settings").get_by_role("link", name="Régler le programme").click()
    page.get_by_role("button", name=re.compile("Enregistrer")).click()
    page.goto(f"{live_server.url}/coordination/{association.slug}/")
    expect(page.locator("#checklist-progress")).to_have_text("Étapes faites : 1 sur 5")

    page.get_by_role("button", name="Copier le lien").click()
    expect(page.locator("#checklist-progress")).to_have_text("Étapes faites : 2 sur 5")
    expect(page.locator('.checklist [aria-current="step"]')).to_contain_text("Valider les inscriptions")
