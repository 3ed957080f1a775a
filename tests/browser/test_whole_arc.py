"""Issue 13, the pair's whole arc in a real browser (a phone): two members plan a meeting, both get
an .ics a calendar accepts (parsed with icalendar: DTSTART in Europe/Paris, the same UID across an
update, METHOD:CANCEL on a cancellation), the reminder leaves the day before, the "did it take
place?" step logs the meeting; then the binôme ends early, the coordinator records the closing
interviews and proposes a new mentor to the mentee the same day (a one-person run)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from agenda import services as agenda_services
from agenda.models import PlannedMeeting
from binomes.models import Binome, ClosingInterview, Meeting
from matching.models import Proposal
from tests import factories
from tests.browser.test_binome import login
from tests.matching.conftest import vetted

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")


def invitations(to: str) -> list[Calendar]:
    """The .ics sent to ``to`` so far, oldest first, parsed by the library."""
    return [Calendar.from_ical(content) for m in mail.outbox if m.to == [to]
            for _name, content, mimetype in m.attachments if mimetype.startswith("text/calendar")]


def event(cal: Calendar):  # noqa: ANN201
    return next(iter(cal.walk("VEVENT")))


def test_the_whole_arc_of_a_pair(browser, live_server):
    association = factories.AssociationFactory(slug="proxi-bobigny")
    factories.coordinator(association, email="alice@asso.example.org", first_name="Alice", last_name="Coord")
    yanis_p = vetted(association=association, birth_date=factories.years_ago(22),
                     user=factories.UserFactory(first_name="Yanis", last_name="Benali", email="yanis@example.org"))
    ines_p = factories.mentee(association=association, status="validated",
                              user=factories.UserFactory(first_name="Inès", last_name="Haddad", email="ines@example.org"))
    vetted(association=association, birth_date=factories.years_ago(21), user=factories.UserFactory(first_name="Zoé", last_name="Martin"))
    binome = Binome.objects.create(association=association, mentor=yanis_p, mentee=ines_p, started_on=date(2026, 9, 1),
                                   planned_end_on=date(2027, 3, 1))
    day = timezone.localdate() + timedelta(days=5)
    phone = {"viewport": {"width": 390, "height": 844}, "locale": "fr-FR"}
    contexts = [browser.new_context(**phone) for _ in range(3)]
    yanis, ines, alice = (c.new_page() for c in contexts)
    mail.outbox.clear()
    try:
        # 1. Yanis proposes, Inès accepts: both get a confirmed invitation in Paris time.
        login(yanis, live_server, "yanis@example.org")
        yanis.goto(f"{live_server.url}/mon-espace/binomes/{binome.pk}/rendez-vous/")
        yanis.get_by_label("Date").fill(day.isoformat())
        yanis.get_by_label("Heure").fill("14:30")
        yanis.get_by_label("À distance").check()
        yanis.get_by_label("Sujet (facultatif)").fill("Préparer Parcoursup")
        yanis.get_by_role("button", name="Proposer ce rendez-vous").click()
        expect(yanis.get_by_text("En attente de la réponse de l'autre personne.")).to_be_visible()

        login(ines, live_server, "ines@example.org")
        ines.goto(f"{live_server.url}/mon-espace/binomes/{binome.pk}/rendez-vous/")
        ines.get_by_role("button", name="Accepter").click()
        expect(ines.get_by_text("Rendez-vous accepté.")).to_be_visible()

        planned = PlannedMeeting.objects.get()
        for person in ("yanis@example.org", "ines@example.org"):
            confirmed = event(invitations(person)[-1])
            assert confirmed["dtstart"].params["TZID"] == "Europe/Paris"
            assert confirmed.decoded("dtstart") == datetime(day.year, day.month, day.day, 14, 30, tzinfo=PARIS)
            assert str(confirmed["uid"]) == f"{planned.uid}@mentorat" and str(confirmed["status"]) == "CONFIRMED"

        # 2. Inès suggests another time: the same event (UID) is updated, Yanis accepts again.
        ines.get_by_role("link", name="Proposer un autre moment").click()
        ines.get_by_label("Date").fill(day.isoformat())
        ines.get_by_label("Heure").fill("16:00")
        ines.get_by_role("button", name="Proposer ce moment").click()
        expect(ines.get_by_text("Nouveau moment proposé.")).to_be_visible()
        yanis.reload()
        yanis.get_by_role("button", name="Accepter").click()
        expect(yanis.get_by_text("Rendez-vous accepté.")).to_be_visible()
        updated = event(invitations("ines@example.org")[-1])
        assert str(updated["uid"]) == f"{planned.uid}@mentorat"
        assert updated.decoded("dtstart") == datetime(day.year, day.month, day.day, 16, 0, tzinfo=PARIS)
        assert updated["sequence"] > 1

        # 3. The reminder leaves the day before (the beat job, run at that time), once.
        before = datetime(day.year, day.month, day.day, 9, 0, tzinfo=PARIS) - timedelta(days=1)
        assert agenda_services.planned_meeting_reminders(now=before) == 1
        assert agenda_services.planned_meeting_reminders(now=before) == 0
        assert sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Demain")) == ["ines@example.org", "yanis@example.org"]

        # 4. The meeting took place (its time has come): one click logs it.
        PlannedMeeting.objects.filter(pk=planned.pk).update(starts_at=timezone.now() - timedelta(hours=2))
        ines.reload()
        ines.get_by_role("button", name="Oui, il a eu lieu").click()
        expect(ines.get_by_text("Merci ! La rencontre est notée.")).to_be_visible()
        assert Meeting.objects.filter(binome=binome, logged_by=ines_p.membership.user).count() == 1

        # 5. A second meeting is planned, then cancelled: METHOD:CANCEL, same UID.
        yanis.goto(f"{live_server.url}/mon-espace/binomes/{binome.pk}/rendez-vous/")
        yanis.get_by_label("Date").fill((day + timedelta(days=7)).isoformat())
        yanis.get_by_label("Heure").fill("10:00")
        yanis.get_by_label("À distance").check()
        yanis.get_by_role("button", name="Proposer ce rendez-vous").click()
        second = PlannedMeeting.objects.exclude(pk=planned.pk).get()
        yanis.locator(f"#rdv-{second.pk}").get_by_role("button", name="Annuler").click()
        expect(yanis.get_by_text("Rendez-vous annulé")).to_be_visible()
        cancel = invitations("ines@example.org")[-1]
        assert str(cancel["method"]) == "CANCEL" and str(event(cancel)["uid"]) == f"{second.uid}@mentorat"

        # 6. The binôme ends early; Alice records both closing interviews ...
        login(alice, live_server, "alice@asso.example.org")
        alice.goto(f"{live_server.url}/coordination/{association.slug}/binomes/{binome.pk}/")
        alice.get_by_label("Pourquoi arrêter ?").select_option(label="Le binôme ne fonctionnait pas")
        alice.get_by_role("button", name="Clore le binôme").click()
        expect(alice.get_by_text("Clôture à faire")).to_be_visible()
        # The closing page scores every mentor for Inès (the engine: its first import is slow on a loaded machine).
        alice.get_by_role("link", name="Entretiens de clôture, bilan et nouveau binôme").click(timeout=120_000)
        for name, reason in (("Inès", "Éloignement progressif, moins de contacts"), ("Yanis", "Insatisfaction du mentor")):
            section = alice.locator("section", has=alice.get_by_role("heading", name=re.compile(f"Entretien avec {name}")))
            section.get_by_label(reason).check()
            section.get_by_label("Note (réservée à l'équipe)").fill("Entretien téléphonique, tout va bien")
            section.get_by_role("button", name="Enregistrer l'entretien").click(timeout=120_000)
            expect(alice.get_by_text("Entretien de clôture enregistré.")).to_be_visible()
        expect(alice.locator("h1 .badge.ok", has_text="clôture faite")).to_be_visible()
        assert ClosingInterview.objects.filter(binome=binome).count() == 2

        # ... and proposes a new mentor to Inès the same day, in one click.
        expect(alice.get_by_role("button", name="Proposer Yanis Benali")).to_have_count(0)  # never the same pair
        alice.get_by_role("button", name="Proposer Zoé Martin").click(timeout=120_000)
        expect(alice.get_by_text("Proposition créée")).to_be_visible()
        proposal = Proposal.objects.get(mentee=ines_p, status="proposed")
        assert proposal.mentor.membership.user.first_name == "Zoé" and proposal.created_at.date() == timezone.now().date()
        expect(alice.get_by_role("heading", level=1)).to_contain_text("Inès")

        # Inès never sees the closing notes.
        ines.goto(f"{live_server.url}/mon-espace/binomes/{binome.pk}/")
        expect(ines.get_by_text("Entretien téléphonique")).to_have_count(0)
    finally:
        for c in contexts:
            c.close()
