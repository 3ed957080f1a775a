"""End to end in a real browser, on a phone: a mentor proposes a meeting at a place the
association lists, the mentee accepts it and downloads the invitation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agenda.models import Place, PlannedMeeting
from binomes.models import Binome
from tests import factories
from tests.browser.test_binome import login
from tests.matching.conftest import vetted

pytestmark = pytest.mark.browser


def test_two_members_plan_a_meeting_and_accept_it(browser, live_server):
    association = factories.AssociationFactory(slug="proxi-bobigny")
    Place.objects.create(association=association, name="Médiathèque Elsa-Triolet", address="Rue Jean-Jaurès, Bobigny")
    mentor = vetted(association=association, user=factories.UserFactory(first_name="Yanis", email="yanis@example.org"))
    mentee = factories.mentee(association=association, status="validated", user=factories.UserFactory(first_name="Inès", email="ines@example.org"))
    binome = Binome.objects.create(association=association, mentor=mentor, mentee=mentee, started_on=date(2026, 9, 1), planned_end_on=date(2027, 3, 1))
    day = timezone.localdate() + timedelta(days=5)
    phone = {"viewport": {"width": 390, "height": 844}, "locale": "fr-FR"}
    yanis_ctx, ines_ctx = browser.new_context(**phone), browser.new_context(**phone, accept_downloads=True)
    yanis, ines = yanis_ctx.new_page(), ines_ctx.new_page()
    try:
        login(yanis, live_server, "yanis@example.org")
        yanis.goto(f"{live_server.url}/mon-espace/binomes/{binome.pk}/")
        yanis.get_by_role("link", name="Planifier un rendez-vous").click()
        yanis.get_by_label("Date").fill(day.isoformat())
        yanis.get_by_label("Heure").fill("14:30")
        yanis.get_by_label("En personne").check()
        yanis.get_by_label("Lieu public proposé par l'association").select_option(label="Médiathèque Elsa-Triolet (Rue Jean-Jaurès, Bobigny)")
        yanis.get_by_label("Sujet (facultatif)").fill("Préparer Parcoursup")
        yanis.get_by_role("button", name="Proposer ce rendez-vous").click()
        expect(yanis.get_by_text("En attente de la réponse de l'autre personne.")).to_be_visible()

        login(ines, live_server, "ines@example.org")
        ines.goto(f"{live_server.url}/mon-espace/binomes/{binome.pk}/rendez-vous/")
        expect(ines.get_by_text("Préparer Parcoursup")).to_be_visible()
        ines.get_by_role("button", name="Accepter").click()
        expect(ines.get_by_text("Rendez-vous accepté.")).to_be_visible()
        expect(ines.locator(".badge.ok", has_text="confirmé")).to_be_visible()
        with ines.expect_download() as download:
            ines.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
        assert download.value.suggested_filename == "rendez-vous.ics"

        planned = PlannedMeeting.objects.get()
        assert (planned.status, planned.place.name, planned.mentor_accepted, planned.mentee_accepted) == (
            "accepted", "Médiathèque Elsa-Triolet", True, True)
    finally:
        yanis_ctx.close()
        ines_ctx.close()
