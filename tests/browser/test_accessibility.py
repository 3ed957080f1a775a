"""Every key page, on a phone (390 px) and a desktop (1366 px): axe-core finds no violation, nothing
overflows sideways, the favicon is served, and the phone menu opens and closes from its button.

axe-core is the project's own copy (tests/browser/vendor/axe.min.js, MPL-2.0, version in its
header): no CDN, nothing downloaded while the tests run. It is evaluated in the page through the
DevTools protocol, which the pages' Content Security Policy (no inline script) does not block.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from binomes.models import Binome, Message
from matching.models import MatchRun, Proposal
from programmes.selectors import programme_default_for
from tests import factories
from tests.browser.test_binome import login
from tests.matching.conftest import vetted

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
# WCAG 2.1 A and AA, the level RGAA 4.1 maps to, plus axe's best practices (landmarks, headings).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


def world() -> dict[str, object]:
    """One association with a coordinator, a binôme that talks, a waiting mentee, a proposal."""
    association = factories.AssociationFactory(slug="proxi-bobigny", name="Proxi'Mentorat Bobigny")
    factories.coordinator(association, email="alice@asso.example.org", first_name="Alice")
    mentor = vetted(association=association, birth_date=factories.years_ago(22),
                    user=factories.UserFactory(first_name="Yanis", email="yanis@example.org"))
    mentee = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(16),
                              user=factories.UserFactory(first_name="Inès", email="ines@example.org"))
    binome = Binome.objects.create(association=association, mentor=mentor, mentee=mentee,
                                   started_on=date(2026, 9, 1), planned_end_on=date(2027, 3, 1))
    Message.objects.create(binome=binome, association=association, sender=mentor.membership.user,
                           body="Bonjour Inès, on se voit samedi à la médiathèque ?")
    waiting = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(15),
                               user=factories.UserFactory(first_name="Océane"))
    other_mentor = vetted(association=association, birth_date=factories.years_ago(20), user=factories.UserFactory(first_name="Zoé"))
    run = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done")
    proposal = Proposal.objects.create(run=run, association=association, mentee=waiting, mentor=other_mentor, score=0.82)
    factories.mentee(association=association, user=factories.UserFactory(first_name="Bilal"))  # a sign-up to validate
    operator = factories.UserFactory(email="operateur@example.org", is_staff=True)
    return {"association": association, "binome": binome, "mentee": waiting, "operator": operator, "run": run, "proposal": proposal}


def key_pages(w: dict[str, object]) -> dict[str, list[str]]:
    """The pages people use most, by who sees them (each group shares one login)."""
    slug = w["association"].slug
    coord = f"/coordination/{slug}"
    return {
        "": ["/", "/comptes/login/", "/comptes/signup/", "/comptes/password/reset/", "/accessibilite/",
             "/confidentialite/", f"/a/{slug}/", f"/a/{slug}/inscription/mentore/", f"/a/{slug}/inscription/mentor/",
             "/associations/inscription/"],
        "alice@asso.example.org": [f"{coord}/", f"{coord}/participants/", f"{coord}/participants/{w['mentee'].pk}/",
                                   f"{coord}/appariement/", f"{coord}/propositions/", f"{coord}/binomes/",
                                   f"{coord}/binomes/{w['binome'].pk}/", f"{coord}/tableau-de-bord/", f"{coord}/equipe/",
                                   f"{coord}/propositions/{w['proposal'].pk}/", f"{coord}/appariement/{w['run'].pk}/",
                                   f"{coord}/parametres/", f"{coord}/appariement/reglages/", f"{coord}/textes-retenus/", f"{coord}/lieux/",
                                   f"{coord}/donnees-personnelles/", f"{coord}/binomes/{w['binome'].pk}/rendez-vous/"],
        "ines@example.org": ["/mon-espace/", f"/mon-espace/binomes/{w['binome'].pk}/",
                             f"/mon-espace/binomes/{w['binome'].pk}/rendez-vous/", "/mon-espace/agenda/", "/mon-espace/mes-donnees/",
                             "/confidentialite/jeunes/"],
        "operateur@example.org": ["/operateur/associations/", "/operateur/tableau-de-bord/"],
    }


def check(page, url: str) -> list[str]:  # noqa: ANN001
    """What is wrong with the page at ``url``: axe violations and sideways overflow."""
    response = page.goto(url)
    problems = [] if response and response.status == 200 else [f"HTTP {response.status if response else '?'}"]
    page.evaluate(AXE)
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    for violation in result["violations"]:
        targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
        problems.append(f"axe {violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if overflow[0] > overflow[1]:
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))""")
        problems.append(f"overflows sideways: scrollWidth {overflow[0]} > {overflow[1]} ({wide})")
    return problems


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_key_pages_have_no_axe_violation_and_no_sideways_scroll(browser, live_server, viewport):
    w = world()
    failures: dict[str, list[str]] = {}
    for email, urls in key_pages(w).items():
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale="fr-FR")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            if email:
                login(page, live_server, email)
            for url in urls:
                if problems := check(page, live_server.url + url):
                    failures[url] = problems
        finally:
            context.close()

    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)


def test_phone_menu_folds_behind_its_button_and_the_favicon_is_served(browser, live_server):
    factories.AssociationFactory(slug="proxi-bobigny")
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="fr-FR")
    page = context.new_page()
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    try:
        page.goto(f"{live_server.url}/")
        menu_button = page.get_by_role("button", name="Menu")
        login_link = page.get_by_role("link", name="Se connecter")
        expect(menu_button).to_have_attribute("aria-expanded", "false")
        expect(login_link).to_be_hidden()

        menu_button.click()
        expect(menu_button).to_have_attribute("aria-expanded", "true")
        expect(login_link).to_be_visible()
        page.keyboard.press("Escape")
        expect(login_link).to_be_hidden()
        expect(menu_button).to_be_focused()

        icon = page.request.get(f"{live_server.url}/favicon.ico")
        assert icon.status == 200 and icon.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")
        assert not missing, missing
    finally:
        context.close()


def test_without_javascript_the_phone_menu_is_simply_shown(browser, live_server):
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
        expect(page.get_by_role("button", name="Menu")).to_have_count(0)  # hidden: no dead button
    finally:
        context.close()
