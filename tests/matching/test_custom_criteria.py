"""A programme's sign-up question used by matching (issue 12): the run's pool carries the answers,
the engine prefers the pair that answered alike, and the coordinator's explanation says so (the
members' does not)."""

from __future__ import annotations

import pytest

from matching import services
from matching.explanations import explanation_lines, member_explanation_lines
from matching.models import Proposal
from matching.pool import pool_for_association
from programmes.models import SignupQuestionChoice
from programmes.questions import (
    answers_save,
    questions_for,
    signup_question_create,
    signup_question_mapping_set,
)
from programmes.selectors import programme_default_for
from tests import factories
from tests.matching.conftest import vetted

pytestmark = pytest.mark.django_db


@pytest.fixture
def sport(association, alice):  # noqa: ANN001
    return signup_question_create(programme=programme_default_for(association), by=alice, label="Sport préféré",
                                  kind="single_choice", audience="both", criterion="same_answer", criterion_weight=0.3,
                                  choices=["football", "tennis", "natation"])


def answer(participant, question, label):  # noqa: ANN001, ANN201
    choice = SignupQuestionChoice.objects.get(question=question, label=label)
    answers_save(participant=participant, questions=questions_for(programme=participant.programme, role=participant.role),
                 answers={question.pk: [choice.pk]})


def run(association, alice, django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    with django_capture_on_commit_callbacks(execute=True):
        match_run = services.match_run_request(association=association, by=alice)
    match_run.refresh_from_db()
    return match_run


def _people(association):  # noqa: ANN001, ANN202
    mentee = factories.mentee(association=association, status="validated", user=factories.UserFactory(first_name="Inès"))
    alike = vetted(association=association, user=factories.UserFactory(first_name="Yanis"))
    other = vetted(association=association, user=factories.UserFactory(first_name="Zoé"))
    return mentee, alike, other


def test_the_pool_carries_each_persons_answer_code(association, sport):
    mentee, alike, other = _people(association)
    answer(mentee, sport, "tennis")
    answer(alike, sport, "tennis")

    snapshot = pool_for_association(association=association, programme=programme_default_for(association))

    assert [c.label for c in snapshot.custom_criteria] == ["Sport préféré"]
    assert snapshot.mentees.custom_codes.tolist() == [[1]]
    assert sorted(snapshot.mentors.custom_codes.ravel().tolist()) == [-1, 1]  # Zoé did not answer


def test_the_mentor_with_the_same_answer_gets_the_proposal_and_it_says_why(association, alice, sport,
                                                                             django_capture_on_commit_callbacks):
    mentee, alike, other = _people(association)
    for person, label in ((mentee, "football"), (alike, "football"), (other, "tennis")):
        answer(person, sport, label)

    match_run = run(association, alice, django_capture_on_commit_callbacks)

    proposal = Proposal.objects.get(run=match_run)
    assert proposal.mentor == alike
    assert "même réponse à « Sport préféré » : football" in explanation_lines(proposal.breakdown)
    assert proposal.breakdown["criteria"]["custom_0"] == 1.0
    # members never read each other's answers
    assert not any("Sport" in line for line in member_explanation_lines(proposal.breakdown))


def test_a_mapping_pairs_the_answers_the_coordinator_chose(association, alice, django_capture_on_commit_callbacks):
    level = signup_question_create(programme=programme_default_for(association), by=alice, label="Niveau en maths",
                                   kind="single_choice", audience="both", criterion="mapping", criterion_weight=0.5,
                                   choices=["débutant", "avancé"])
    beginner, advanced = SignupQuestionChoice.objects.filter(question=level).order_by("position")
    signup_question_mapping_set(question=level, by=alice, pairs=[(beginner.pk, advanced.pk)])
    mentee, alike, other = _people(association)
    for person, label in ((mentee, "débutant"), (alike, "débutant"), (other, "avancé")):
        answer(person, level, label)

    match_run = run(association, alice, django_capture_on_commit_callbacks)

    proposal = Proposal.objects.get(run=match_run)
    assert proposal.mentor == other
    assert "réponses compatibles à « Niveau en maths » : débutant ↔ avancé" in explanation_lines(proposal.breakdown)


def test_without_answers_the_criterion_is_neutral_and_silent(association, alice, sport, django_capture_on_commit_callbacks):
    _people(association)

    match_run = run(association, alice, django_capture_on_commit_callbacks)

    proposal = Proposal.objects.get(run=match_run)
    assert proposal.breakdown["criteria"]["custom_0"] == 0.5
    assert not any("Sport" in line for line in explanation_lines(proposal.breakdown))


def test_a_switched_off_question_no_longer_counts(association, alice, sport, django_capture_on_commit_callbacks):
    from programmes.questions import signup_question_deactivate

    mentee, alike, other = _people(association)
    answer(mentee, sport, "football")
    signup_question_deactivate(question=sport, by=alice)  # answered: switched off, not deleted

    snapshot = pool_for_association(association=association, programme=programme_default_for(association))

    assert snapshot.custom_criteria == [] and snapshot.mentees.custom_codes.shape == (1, 0)


def test_a_split_run_uses_and_explains_the_criterion_like_a_run_in_one_piece(association, alice, sport, settings,
                                                                              django_capture_on_commit_callbacks):
    # given the three cities of the split tests, everyone answering, with one answer per city's mentors
    from participants.models import Participant
    from tests.matching.test_split import CITIES

    for k, code in enumerate(CITIES):
        commune = factories.commune(code)
        for years in (15, 16, 17, 19):
            person = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(years),
                                      commune=commune)
            answer(person, sport, ("football", "tennis")[years % 2])
        for years in (22, 24):
            person = vetted(association=association, birth_date=factories.years_ago(years), commune=commune)
            answer(person, sport, ("football", "tennis", "natation")[(k + years) % 3])
    whole = run(association, alice, django_capture_on_commit_callbacks)
    settings.MATCH_SPLIT_ABOVE_PAIRS, settings.MATCH_SPLIT_PARTS = 1, 3

    parts = run(association, alice, django_capture_on_commit_callbacks)

    assert parts.quality["method"] == "split", parts.error
    assert parts.quality["objective"] == pytest.approx(whole.quality["objective"], abs=1e-6)
    def answers(match_run):  # noqa: ANN001, ANN202 - each pair and what its breakdown says of the question
        return sorted((p.mentee_id, p.mentor_id, str(p.breakdown["facts"]["custom"]), p.breakdown["criteria"]["custom_0"])
                      for p in Proposal.objects.filter(run=match_run))

    assert answers(parts) == answers(whole)
    assert any("même réponse à « Sport préféré »" in line
               for p in Proposal.objects.filter(run=parts) for line in explanation_lines(p.breakdown))
    assert Participant.objects.count() == 18


def test_a_demo_run_of_the_lyon_programme_explains_pairs_with_its_question(django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from accounts.models import User
    from participants.management.commands.demo_data import DEMO_CRITERION_LABEL, DEMO_SLUG
    from programmes.models import Programme

    call_command("demo_data", mentees=80, mentors=50, seed=3, verbosity=0, no_activity=True)
    lyon = Programme.objects.get(association__slug=DEMO_SLUG, name="Étudiants boursiers — Lyon")
    coordinator = User.objects.get(email="coordination@demo.mentorat.fr")

    with django_capture_on_commit_callbacks(execute=True):
        match_run = services.match_run_request(association=lyon.association, by=coordinator, programme=lyon)

    lines = [line for p in Proposal.objects.filter(run=match_run) for line in explanation_lines(p.breakdown)]
    assert any(line.startswith(f"même réponse à « {DEMO_CRITERION_LABEL} » : ") for line in lines), lines[:20]


def test_the_other_mentors_offered_for_a_mentee_weigh_the_question_too(association, sport):
    """The proposals page's « autres mentors possibles » and a mentor swap score as the run does."""
    from matching.alternatives import score_mentors

    mentee, alike, other = _people(association)
    for person, label in ((mentee, "natation"), (alike, "natation"), (other, "football")):
        answer(person, sport, label)

    candidates = score_mentors(mentee=mentee, mentors=[other, alike])

    assert candidates[0].mentor == alike and candidates[0].score > candidates[1].score
    assert candidates[0].explanation["criteria"]["custom_0"] == 1.0
    assert candidates[1].explanation["criteria"]["custom_0"] == 0.0


def test_a_run_weighs_the_questions_as_they_were_when_it_was_requested(association, alice, sport,
                                                                        django_capture_on_commit_callbacks):
    """Like its settings: a question switched off while the run waits in the queue still counts."""
    from programmes.questions import signup_question_deactivate

    mentee, alike, other = _people(association)
    for person, label in ((mentee, "football"), (alike, "football"), (other, "tennis")):
        answer(person, sport, label)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        match_run = services.match_run_request(association=association, by=alice)
    signup_question_deactivate(question=sport, by=alice)
    for callback in callbacks:
        callback()

    match_run.refresh_from_db()
    proposal = Proposal.objects.get(run=match_run)
    assert [c["label"] for c in match_run.params["custom_criteria"]] == ["Sport préféré"]
    assert proposal.breakdown["criteria"]["custom_0"] == 1.0
