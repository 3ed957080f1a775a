"""A new run and the proposals still waiting: warned first, kept on request; the demo's thread."""

from __future__ import annotations

import pytest

from matching import services, tasks
from matching.models import MatchRun, Proposal
from programmes.selectors import programme_default_for

pytestmark = pytest.mark.django_db


def run_now(association, by, capture, **options):
    with capture(execute=True):
        run = services.match_run_request(association=association, by=by, **options)
    run.refresh_from_db()
    return run


def test_by_default_a_new_run_supersedes_the_waiting_proposals(association, alice, small_pool, django_capture_on_commit_callbacks):
    first = run_now(association, alice, django_capture_on_commit_callbacks)
    waiting = set(Proposal.objects.filter(run=first).values_list("pk", flat=True))

    run_now(association, alice, django_capture_on_commit_callbacks)

    assert set(Proposal.objects.filter(pk__in=waiting).values_list("status", flat=True)) == {"superseded"}


def test_keep_pending_leaves_the_waiting_proposals_and_pairs_only_the_free_people(association, alice, small_pool, django_capture_on_commit_callbacks):
    mentees, mentors = small_pool
    first = run_now(association, alice, django_capture_on_commit_callbacks)
    kept = {p.pk: (p.mentee_id, p.mentor_id) for p in Proposal.objects.filter(run=first)}
    assert len(kept) == 2  # two mentors of capacity 1: one mentee is left waiting

    second = run_now(association, alice, django_capture_on_commit_callbacks, keep_pending=True)

    assert second.status == "done" and second.params["keep_pending"] is True
    assert {p.pk: (p.mentee_id, p.mentor_id) for p in Proposal.objects.filter(status="proposed", run=first)} == kept
    # the only free mentee remains, but both mentors' places are held by the kept proposals
    assert (second.n_mentees, second.capacity_total, second.n_proposals) == (1, 0, 0)


def test_keep_pending_survives_a_retry(association, alice, small_pool, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "match_pool", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("panne")))
    failed = run_now(association, alice, django_capture_on_commit_callbacks, keep_pending=True)
    assert failed.status == "failed"

    retry = services.match_run_retry(run=failed, by=alice)

    assert retry.params["keep_pending"] is True


def test_the_launch_page_warns_before_superseding_and_offers_to_keep(client, association, alice, small_pool, django_capture_on_commit_callbacks):
    run_now(association, alice, django_capture_on_commit_callbacks)
    client.force_login(alice)

    page = client.get(f"/coordination/{association.slug}/appariement/").content.decode()

    assert "2 propositions attendent une décision" in page
    assert 'name="pending" value="keep"' in page and 'name="pending" value="replace"' in page


def test_the_launch_message_says_the_runs_real_state(association):
    from matching.views import launch_message

    done = MatchRun(association=association, programme=programme_default_for(association), status="done", n_proposals=2)
    queued = MatchRun(association=association, programme=programme_default_for(association), status="queued")

    assert launch_message(done) == "Appariement terminé : 2 binômes proposés."
    assert launch_message(queued) == "Appariement lancé : suivez son avancement ci-dessous, la page se met à jour seule."


def test_the_launch_page_never_promises_seconds(client, association, alice, small_pool, django_capture_on_commit_callbacks):
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/coordination/{association.slug}/appariement/lancer/", {"pending": "keep"})
    page = client.get(response.url).content.decode()

    assert "suivez son avancement" in page and "quelques secondes" not in page
    assert MatchRun.objects.get().params["keep_pending"] is True


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_run_goes_to_a_thread_and_the_request_returns_at_once(association, alice, small_pool, settings, monkeypatch):
    settings.MATCH_RUN_IN_THREAD = True
    started = []
    real = tasks.start_in_thread
    monkeypatch.setattr(tasks, "start_in_thread", lambda run_id: started.append(real(run_id)) or started[-1])

    run = services.match_run_request(association=association, by=alice)  # autocommit: relayed at once

    assert len(started) == 1
    started[0].join(timeout=60)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE and run.n_proposals == 2
