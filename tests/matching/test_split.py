"""A match run split by territory, through Celery (eager here; see test_worker_killed for real
workers): one run row, one set of proposals, figures of the whole."""

from __future__ import annotations

import pytest

from matching import services, split
from matching.models import MatchRun, Proposal, UnmatchedMentee
from participants.models import Participant
from tests import factories
from tests.matching.conftest import vetted

CITIES = ("93008", "13201", "59350")  # Bobigny, Marseille 1er, Lille


@pytest.fixture
def three_cities(association):
    """Four validated mentees and two vetted mentors in each of three cities."""
    for code in CITIES:
        commune = factories.commune(code)
        for years in (15, 16, 17, 19):
            factories.mentee(association=association, status="validated", birth_date=factories.years_ago(years), commune=commune)
        for years in (22, 24):
            vetted(association=association, birth_date=factories.years_ago(years), commune=commune)


@pytest.fixture
def split_everything(settings):
    settings.MATCH_SPLIT_ABOVE_PAIRS = 1
    settings.MATCH_SPLIT_PARTS = 3


def run_now(association, by, capture):  # noqa: ANN001
    with capture(execute=True):
        run = services.match_run_request(association=association, by=by)
    run.refresh_from_db()
    return run


def test_a_large_pool_is_split_and_written_as_one_run(association, alice, three_cities, split_everything,
                                                      django_capture_on_commit_callbacks):
    run = run_now(association, alice, django_capture_on_commit_callbacks)
    assert run.status == MatchRun.Status.DONE, run.error
    assert run.progress == 100
    assert run.quality["method"] == "split" and run.quality["split"]["parts"] == 3
    proposals = Proposal.objects.filter(run=run, status="proposed")
    assert proposals.count() == run.n_proposals == 6  # two mentors of capacity 1 in each city
    assert run.quality["upper_bound"] >= run.quality["objective"] > 0
    assert MatchRun.objects.filter(association=association).count() == 1


def test_the_split_run_proposes_what_the_run_in_one_piece_proposes(association, alice, three_cities, settings,
                                                                   django_capture_on_commit_callbacks):
    whole = run_now(association, alice, django_capture_on_commit_callbacks)
    settings.MATCH_SPLIT_ABOVE_PAIRS, settings.MATCH_SPLIT_PARTS = 1, 3
    parts = run_now(association, alice, django_capture_on_commit_callbacks)
    assert parts.quality["method"] == "split"
    assert parts.quality["objective"] == pytest.approx(whole.quality["objective"], abs=1e-6)
    pairs = set(Proposal.objects.filter(run=parts).values_list("mentee_id", "mentor_id"))
    assert pairs == set(Proposal.objects.filter(run=whole).values_list("mentee_id", "mentor_id"))


def test_a_step_delivered_again_after_the_end_changes_nothing(association, alice, three_cities, split_everything,
                                                              django_capture_on_commit_callbacks):
    run = run_now(association, alice, django_capture_on_commit_callbacks)
    before = list(Proposal.objects.filter(run=run).values_list("pk", "status"))
    with django_capture_on_commit_callbacks(execute=True):
        for phase, part in (("part", 0), ("border", 1), ("finish", 0), ("reasons", 2), ("record", 0)):
            split.match_split_step(run_id=run.pk, worker=run.worker, phase=phase, part=part)
    assert list(Proposal.objects.filter(run=run).values_list("pk", "status")) == before
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE


def test_a_step_whose_data_is_gone_fails_the_run_with_its_reason(association, alice, three_cities, split_everything,
                                                                 monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(split, "_emit", lambda *args: None)  # the territories are never sent
    run = run_now(association, alice, django_capture_on_commit_callbacks)
    assert run.status == MatchRun.Status.RUNNING and run.progress == 30
    split._cleanup(split._prefix(run.pk, run.worker))  # e.g. expired in Redis
    split.match_split_step(run_id=run.pk, worker=run.worker, phase="part", part=0)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED and run.error.startswith("Interrompu : les calculs intermédiaires")
    assert not Proposal.objects.filter(run=run).exists()


@pytest.fixture
def people_left_over(association, three_cities):
    """Beside the three cities (two mentees of each left over: all mentors taken), a minor in Lyon
    who can only meet in person, near an unvetted mentor only, and a mentee who speaks only Arabic."""
    commune = factories.commune("93008")
    lyon = factories.commune("69381")
    minor = factories.mentee(association=association, status="validated", meeting_format="in_person",
                             birth_date=factories.years_ago(14), commune=lyon)
    factories.mentor(association=association, status="validated", meeting_format="in_person",
                     birth_date=factories.years_ago(23), commune=lyon)  # no attestation
    arabic = factories.mentee(association=association, status="validated", languages=["ar"], commune=commune)
    return minor, arabic


def unmatched_rows(run):  # noqa: ANN001, ANN201
    return set(UnmatchedMentee.objects.filter(run=run).values_list("mentee_id", "kind", "constraint", "n_possible"))


def test_every_mentee_a_split_run_leaves_without_a_proposal_has_the_reason_of_a_run_in_one_piece(
    association, alice, people_left_over, settings, django_capture_on_commit_callbacks
):
    whole = run_now(association, alice, django_capture_on_commit_callbacks)
    settings.MATCH_SPLIT_ABOVE_PAIRS, settings.MATCH_SPLIT_PARTS = 1, 3
    parts = run_now(association, alice, django_capture_on_commit_callbacks)

    assert parts.status == MatchRun.Status.DONE and parts.quality["method"] == "split", parts.error
    proposed = set(Proposal.objects.filter(run=parts).values_list("mentee_id", flat=True))
    unmatched = set(UnmatchedMentee.objects.filter(run=parts).values_list("mentee_id", flat=True))
    mentees = set(Participant.objects.filter(association=association, role="mentee").values_list("pk", flat=True))
    assert proposed | unmatched == mentees and not proposed & unmatched
    assert unmatched_rows(parts) == unmatched_rows(whole)
    minor, arabic = people_left_over
    reasons = {u.mentee_id: u for u in UnmatchedMentee.objects.filter(run=parts)}
    assert (reasons[minor.pk].kind, reasons[minor.pk].constraint) == ("no_admissible", "vetting_distance")
    assert (reasons[arabic.pk].kind, reasons[arabic.pk].constraint) == ("no_admissible", "language")
    assert parts.report["unmatched"] == {"no_mentor": 0, "no_admissible": 2, "all_taken": 6, "not_retained": 0}
    # in the territories' tasks: the minor's reason names the vetted mentors far away in other parts


def test_a_split_run_has_the_report_and_explanations_of_a_run_in_one_piece(
    association, alice, people_left_over, settings, django_capture_on_commit_callbacks
):
    whole = run_now(association, alice, django_capture_on_commit_callbacks)
    settings.MATCH_SPLIT_ABOVE_PAIRS, settings.MATCH_SPLIT_PARTS = 1, 3
    parts = run_now(association, alice, django_capture_on_commit_callbacks)

    assert parts.report == whole.report  # remote share and distances, equity rates, unmatched kinds
    assert parts.report["equity"]["pool"]["n_matched"] == parts.n_proposals == 6
    facts = {(p.mentee_id, p.mentor_id): p.breakdown["facts"] for p in Proposal.objects.filter(run=whole)}
    for proposal in Proposal.objects.filter(run=parts):
        # whole years from the birth dates, words as written: the same sentences as in one piece
        assert proposal.breakdown["facts"] == facts[(proposal.mentee_id, proposal.mentor_id)]


def test_a_split_run_says_a_pair_is_shorter_than_the_programme_as_a_run_in_one_piece_does(
    association, alice, three_cities, settings, django_capture_on_commit_callbacks
):
    """Issue 13's horizon on the split door: with shorter pairs allowed, a mentor available until
    before the programme's end is proposed and the explanation says so, in a split run too."""
    from datetime import timedelta

    from django.utils import timezone

    from matching.explanations import explanation_lines
    from matching.pool import pair_planned_end
    from programmes.selectors import programme_default_for

    services.matching_settings_update(association=association, by=alice, allow_shorter_pairs=True)
    until = pair_planned_end(programme_default_for(association), timezone.localdate()) - timedelta(days=20)
    Participant.objects.filter(association=association, role="mentor").update(available_until=until, available_until_reason="exam")
    settings.MATCH_SPLIT_ABOVE_PAIRS, settings.MATCH_SPLIT_PARTS = 1, 3

    parts = run_now(association, alice, django_capture_on_commit_callbacks)

    assert parts.quality["method"] == "split" and parts.n_proposals == 6
    for proposal in Proposal.objects.filter(run=parts):
        assert proposal.breakdown["facts"]["short_horizon"] == {"until": until.isoformat(), "months": 6}
        assert explanation_lines(proposal.breakdown)[0].startswith(f"disponible jusqu'au {until.day} ")


def test_the_pairs_are_explained_by_the_territories_tasks_not_all_by_the_last_step(
    association, alice, three_cities, split_everything, monkeypatch, django_capture_on_commit_callbacks
):
    explained = []
    explain = split._explain

    def spy(shared, snapshot, pairs):  # noqa: ANN001, ANN202
        explained.append(set(shared.split.mentee_part[pairs[:, 0]].tolist()))
        return explain(shared, snapshot, pairs)

    monkeypatch.setattr(split, "_explain", spy)
    run = run_now(association, alice, django_capture_on_commit_callbacks)

    assert run.status == MatchRun.Status.DONE, run.error
    # one call per territory with pairs (two workers share them), each on its own territory's pairs
    assert sorted(min(parts) for parts in explained) == [0, 1, 2]
    assert all(len(parts) == 1 for parts in explained)
    assert Proposal.objects.filter(run=run).count() == 6
    assert all(p.breakdown["facts"]["age_gap_years"] > 0 for p in Proposal.objects.filter(run=run))
