"""The attestation d'honorabilité's lifecycle: plausible dates, reminders before the renewal date,
and what its expiry means for proposals and running binômes with minors (nightly, safe twice)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from binomes.models import Binome
from matching.models import MatchRun, Proposal
from participants.services import participant_record_vetting
from programmes.selectors import programme_default_for
from safeguarding import jobs, tasks
from tests import factories

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2027, 3, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2027, 3, 10, 9, 0, tzinfo=PARIS), tick=False):
        yield


def record(mentor, by, issued, verified, expires):
    return participant_record_vetting(participant=mentor, by=by, issued_on=issued, verified_on=verified, expires_on=expires)


@pytest.mark.parametrize(("issued", "verified", "expires", "field", "message"), [
    (date(2027, 3, 11), date(2027, 3, 10), date(2030, 3, 1), "issued_on", "ne peut pas être dans le futur"),
    (date(1, 1, 1), date(2027, 3, 1), date(2030, 3, 1), "issued_on", "semble incorrecte"),
    (date(2026, 9, 1), date(2027, 3, 10), date(2030, 3, 1), "issued_on", "moins de six mois"),
    (date(2027, 3, 1), date(2027, 3, 12), date(2030, 3, 1), "verified_on", "ne peut pas être dans le futur"),
    (date(2027, 3, 5), date(2027, 3, 1), date(2030, 3, 1), "verified_on", "ne peut pas précéder la délivrance"),
    (date(2027, 3, 1), date(2027, 3, 5), date(2027, 3, 5), "expires_on", "postérieure à la date de vérification"),
    (date(2027, 3, 1), date(2027, 3, 5), date(9999, 12, 31), "expires_on", "au plus tard trois ans"),
    (date(2027, 3, 1), date(2027, 3, 5), date(2030, 3, 6), "expires_on", "au plus tard le 05/03/2030"),
    (date(2024, 1, 1), date(2024, 2, 1), date(2027, 1, 1), "expires_on", "déjà passée"),
])
def test_implausible_vetting_dates_are_refused_in_french(association, alice, issued, verified, expires, field, message):
    mentor = factories.mentor(association=association)

    with pytest.raises(ValidationError) as refused:
        record(mentor, alice, issued, verified, expires)

    assert message in " ".join(refused.value.message_dict[field])
    mentor.refresh_from_db()
    assert mentor.vetting_expires_on is None


def test_the_longest_plausible_vetting_is_accepted_and_who_checked_it_is_kept(association, alice):
    # Issued six months before the check (183 days), renewal exactly three years after it.
    mentor = record(factories.mentor(association=association), alice, date(2026, 9, 8), date(2027, 3, 10), date(2030, 3, 10))

    assert (mentor.vetting_issued_on, mentor.vetting_verified_on, mentor.vetting_expires_on) == (
        date(2026, 9, 8), date(2027, 3, 10), date(2030, 3, 10))
    assert mentor.vetting_recorded_by == alice


def test_the_coordinator_page_shows_the_errors_and_keeps_what_was_typed(client, alice, association):
    mentor = factories.mentor(association=association)
    client.force_login(alice)

    response = client.post(f"/coordination/{association.slug}/participants/{mentor.pk}/attestation/",
                           {"issued_on": "2026-01-02", "verified_on": "2027-03-01", "expires_on": "2030-03-01"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "moins de six mois" in page
    assert 'value="2026-01-02"' in page and 'value="2030-03-01"' in page


def test_bob_and_a_member_cannot_record_a_vetting(client, bob, charlie, association):
    mentor = factories.mentor(association=association)
    data = {"issued_on": "2027-03-01", "verified_on": "2027-03-05", "expires_on": "2030-03-01"}
    for user in (bob, charlie.membership.user):
        client.force_login(user)
        assert client.post(f"/coordination/{association.slug}/participants/{mentor.pk}/attestation/", data).status_code == 404
    mentor.refresh_from_db()
    assert mentor.vetting_expires_on is None


# --- Nightly jobs --------------------------------------------------------------------------------


def vetted_mentor(association, expires, **kwargs):
    return factories.mentor(association=association, status="validated", birth_date=date(2004, 1, 1),
                            vetting_issued_on=date(2024, 3, 1), vetting_verified_on=date(2024, 4, 1), vetting_expires_on=expires,
                            user=factories.UserFactory(first_name="Yanis", email="yanis@example.org"), **kwargs)


def run_nightly(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return tasks.run_vetting_jobs()


def test_reminders_go_30_then_7_days_before_to_the_mentor_and_the_coordinators(
        association, alice, mailoutbox, django_capture_on_commit_callbacks):
    vetted_mentor(association, date(2027, 4, 9))  # in 30 days

    run_nightly(django_capture_on_commit_callbacks)
    run_nightly(django_capture_on_commit_callbacks)  # twice the same night: nothing more

    assert sorted(m.to[0] for m in mailoutbox) == ["alice@asso.example.org", "yanis@example.org"]
    assert all("30 jours" in m.subject for m in mailoutbox)
    mailoutbox.clear()
    with time_machine.travel(datetime(2027, 4, 2, 9, 0, tzinfo=PARIS), tick=False):
        run_nightly(django_capture_on_commit_callbacks)
        run_nightly(django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@asso.example.org", "yanis@example.org"]
    assert all("7 jours" in m.subject for m in mailoutbox)


def test_a_mentor_due_in_five_days_gets_one_reminder_not_two(association, alice, mailoutbox, django_capture_on_commit_callbacks):
    vetted_mentor(association, date(2027, 3, 15))

    run_nightly(django_capture_on_commit_callbacks)

    assert [m.to[0] for m in mailoutbox if m.to == ["yanis@example.org"]] == ["yanis@example.org"]


@pytest.fixture
def minor_binome(association):
    mentor = vetted_mentor(association, date(2027, 3, 9))  # expired yesterday
    mentee = factories.mentee(association=association, status="validated", birth_date=date(2013, 6, 1),
                              user=factories.UserFactory(first_name="Inès"))
    return Binome.objects.create(association=association, mentor=mentor, mentee=mentee, started_on=date(2027, 1, 5),
                                 planned_end_on=date(2027, 7, 5))


def test_expiry_during_a_binome_with_a_minor_suspends_it_and_tells_the_coordinators_once(
        association, alice, minor_binome, mailoutbox, django_capture_on_commit_callbacks):
    run_nightly(django_capture_on_commit_callbacks)
    run_nightly(django_capture_on_commit_callbacks)  # a second run changes nothing and sends nothing

    minor_binome.refresh_from_db()
    assert minor_binome.status == "suspended"
    assert "a expiré le 09/03/2027" in minor_binome.suspension_reason
    to_coordinators = [m for m in mailoutbox if m.to == ["alice@asso.example.org"]]
    assert len(to_coordinators) == 1
    assert "attestation" in to_coordinators[0].subject and "suspendu" in to_coordinators[0].body
    # Both members are told their binôme is paused (the usual suspension e-mail), once each.
    assert sorted(m.to[0] for m in mailoutbox if m.to != ["alice@asso.example.org"]) == [
        minor_binome.mentee.membership.user.email, "yanis@example.org"]


def test_expiry_with_an_adult_mentee_leaves_the_binome_running(association, alice, mailoutbox, django_capture_on_commit_callbacks):
    mentor = vetted_mentor(association, date(2027, 3, 9))
    adult = factories.mentee(association=association, status="validated", birth_date=date(2008, 1, 1))
    binome = Binome.objects.create(association=association, mentor=mentor, mentee=adult, started_on=date(2027, 1, 5),
                                   planned_end_on=date(2027, 7, 5))

    run_nightly(django_capture_on_commit_callbacks)

    binome.refresh_from_db()
    assert binome.status == "active"


def test_expiry_supersedes_the_mentors_open_proposals_with_minors(association, alice, django_capture_on_commit_callbacks):
    mentor = vetted_mentor(association, date(2027, 3, 9))
    run = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done")
    minor = factories.mentee(association=association, status="validated", birth_date=date(2013, 6, 1))
    adult = factories.mentee(association=association, status="validated", birth_date=date(2008, 1, 1))
    for mentee in (minor, adult):
        Proposal.objects.create(run=run, association=association, mentee=mentee, mentor=mentor, score=0.5, breakdown={})

    run_nightly(django_capture_on_commit_callbacks)

    assert dict(Proposal.objects.values_list("mentee_id", "status")) == {minor.pk: "superseded", adult.pk: "proposed"}


def test_a_suspended_binome_cannot_resume_before_a_new_vetting(client, association, alice, minor_binome, django_capture_on_commit_callbacks):
    from binomes import lifecycle

    run_nightly(django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="a expiré"):
        lifecycle.binome_resume(binome=minor_binome, by=alice)

    record(minor_binome.mentor, alice, date(2027, 3, 1), date(2027, 3, 10), date(2030, 3, 1))
    assert lifecycle.binome_resume(binome=minor_binome, by=alice).status == "active"


def test_the_nightly_jobs_are_scheduled(settings):
    assert settings.CELERY_BEAT_SCHEDULE["vetting-jobs"]["task"] == "safeguarding.tasks.run_vetting_jobs"
    assert jobs.BATCH > 0
