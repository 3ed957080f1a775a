"""The retention schedule on a fixture spanning three years: dry run, real run, twice, dashboards."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from binomes.models import Message, StaffRead
from dashboards.indicators import Scope, compute
from participants.models import Consent, Participant
from privacy.models import Anonymisation, PrivacyLog, RetentionSetting
from privacy.retention import retention_apply
from tests.privacy.conftest import at

pytestmark = pytest.mark.django_db

NOW = "2026-12-01 03:00 +01:00"


def _figures(association) -> str:
    out = compute(Scope((association.pk,), date(2023, 1, 1), date(2026, 11, 30)))
    return repr([out.funnel, out.waiting, out.activity, out.health, out.outcomes, out.brought, out.end_reasons, out.reach])


def _names(binome) -> tuple[str, str]:
    return (Participant.objects.get(pk=binome.mentor_id).membership.user.first_name,
            Participant.objects.get(pk=binome.mentee_id).membership.user.first_name)


def test_a_dry_run_says_what_goes_and_changes_nothing(three_years, time_machine, capsys):
    time_machine.move_to(NOW)

    call_command("retention", "--dry-run")

    printed = capsys.readouterr().out
    assert "Simulation" in printed
    assert "Profils des participant·es (inscription, profil, comptes) — 24 mois après" in printed
    report = retention_apply(dry_run=True)
    assert report.counts["participants"] == 2  # Karim and Lina
    assert report.counts["messages"] == 4  # the old and the middle pairs'
    assert report.counts["staff_reads"] == 1
    assert not Anonymisation.objects.exists()
    assert Message.objects.filter(body__startswith="Bonjour, c'est").count() == 3


def test_the_real_run_removes_what_is_due_and_keeps_the_figures(three_years, association, time_machine):
    time_machine.move_to(NOW)
    before = _figures(association)

    retention_apply(dry_run=False)

    assert _figures(association) == before  # messages counted per month, outcomes, reach: unchanged
    old, middle, running = three_years["old"], three_years["middle"], three_years["running"]
    assert _names(old) == ("Participant·e supprimé·e", "Participant·e supprimé·e")
    assert _names(middle) == ("Sofia", "Noah") and _names(running) == ("Yasmine", "Adam")
    assert Participant.objects.get(pk=old.mentee_id).goals_text == ""
    assert set(Message.objects.filter(binome__in=[old, middle]).values_list("body", flat=True)) == {"Message supprimé."}
    assert Message.objects.filter(binome=running, body__startswith="Bonjour").exists()
    assert list(StaffRead.objects.values_list("binome", flat=True)) == [running.pk]
    # Proof of consent stays (five years); the rows behind the dashboards stay, anonymised.
    assert Consent.objects.filter(participant=old.mentee_id).exists()
    assert Message.objects.count() == 6
    assert PrivacyLog.objects.filter(kind="retention").count() == 1


def test_a_second_run_finds_nothing_more(three_years, time_machine):
    time_machine.move_to(NOW)
    retention_apply(dry_run=False)

    again = retention_apply(dry_run=False)

    assert again.counts["participants"] == again.counts["messages"] == again.counts["staff_reads"] == 0


def test_an_association_may_keep_messages_for_less_time(three_years, association, time_machine):
    RetentionSetting.objects.create(association=association, category="messages", months=1)
    time_machine.move_to("2026-11-01 03:00 +01:00")
    running = three_years["running"]  # ended in September: past one month on 1 November
    type(running).objects.filter(pk=running.pk).update(status="completed", ended_on=date(2026, 9, 20))

    retention_apply(dry_run=False)

    assert set(Message.objects.filter(binome=running).values_list("body", flat=True)) == {"Message supprimé."}


def test_an_open_binome_keeps_its_people_however_old(three_years, time_machine):
    time_machine.move_to("2029-12-01 03:00 +01:00")
    running = three_years["running"]
    type(running).objects.filter(pk=running.pk).update(last_activity_at=at("2026-11-25 18:00"))

    retention_apply(dry_run=False)

    assert _names(running) == ("Yasmine", "Adam")
