"""A run says why every mentee it left without a proposal got none, on crafted pools."""

from __future__ import annotations

import pytest

from matching import services
from matching.explanations import unmatched_line
from matching.models import Proposal, UnmatchedMentee
from tests import factories
from tests.matching.conftest import vetted

pytestmark = pytest.mark.django_db


def run_now(association, by, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_request(association=association, by=by)
    run.refresh_from_db()
    assert run.status == "done", run.error
    return run


def reason_of(run, participant) -> str:
    u = UnmatchedMentee.objects.get(run=run, mentee=participant)
    return unmatched_line(kind=u.kind, constraint=u.constraint, n_possible=u.n_possible, details=u.details)


def test_every_unmatched_mentee_of_a_run_has_a_reason(association, alice, small_pool, django_capture_on_commit_callbacks):
    run = run_now(association, alice, django_capture_on_commit_callbacks)

    proposed = set(Proposal.objects.filter(run=run).values_list("mentee_id", flat=True))
    unmatched = set(UnmatchedMentee.objects.filter(run=run).values_list("mentee_id", flat=True))
    assert proposed | unmatched == {m.pk for m in small_pool[0]} and not proposed & unmatched
    assert run.report["unmatched"]["all_taken"] == 1
    (left,) = [m for m in small_pool[0] if m.pk in unmatched]
    assert reason_of(run, left) == "2 mentors possibles, tous attribués à des mentoré·es au score ou à la priorité plus élevés"


def test_a_minor_with_no_vetted_mentor_within_30_km(association, alice, django_capture_on_commit_callbacks):
    minor = factories.mentee(association=association, status="validated", meeting_format="in_person")
    factories.mentor(association=association, status="validated")  # nearby, no attestation
    vetted(association=association, commune=factories.commune("13202"))  # vetted, in Marseille

    run = run_now(association, alice, django_capture_on_commit_callbacks)

    assert run.n_proposals == 0
    assert reason_of(run, minor) == "aucun mentor vérifié à moins de 30 km"


def test_no_shared_language(association, alice, django_capture_on_commit_callbacks):
    mentee = factories.mentee(association=association, status="validated", languages=["ar"])
    vetted(association=association, languages=["fr", "en"])

    run = run_now(association, alice, django_capture_on_commit_callbacks)

    assert reason_of(run, mentee) == "aucune langue commune avec les mentors disponibles"


def test_an_in_person_only_mentee_in_marseille_3e_is_paired_with_a_neighbour(association, alice, django_capture_on_commit_callbacks):
    # Marseille 3e has no town-hall position in the source: geo's migration estimates one.
    mentee = factories.mentee(association=association, status="validated", meeting_format="in_person",
                              commune=factories.commune("13203"))
    mentor = vetted(association=association, meeting_format="in_person", commune=factories.commune("13202"))

    run = run_now(association, alice, django_capture_on_commit_callbacks)

    proposal = Proposal.objects.get(run=run)
    assert (proposal.mentee, proposal.mentor) == (mentee, mentor)
    assert proposal.breakdown["facts"]["distance_estimated"] is True
    assert proposal.breakdown["facts"]["distance_km"] < 5


def test_a_commune_without_any_position_falls_back_to_its_departement_and_is_never_forbidden(
    association, alice, django_capture_on_commit_callbacks
):
    from geo.models import Commune

    Commune.objects.filter(pk="93010").update(latitude=None, longitude=None, coordinates_estimated=False)  # Bondy
    mentee = factories.mentee(association=association, status="validated", meeting_format="in_person",
                              commune=factories.commune("93010"))
    vetted(association=association, meeting_format="in_person")  # Bobigny, same département

    run = run_now(association, alice, django_capture_on_commit_callbacks)

    proposal = Proposal.objects.get(run=run)
    assert proposal.mentee == mentee
    assert proposal.breakdown["facts"]["distance_estimated"] is True
