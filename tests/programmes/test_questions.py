"""The sign-up questions editor: alice adds, edits, reorders and takes out a programme's questions
and sets a matching criterion; bob (another association) and charlie (a mentee) get 404; dora
(restricted to Lyon) edits Lyon's questions only. The database holds the invariants."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from programmes.models import (
    ParticipantAnswer,
    SignupQuestion,
    SignupQuestionChoice,
    SignupQuestionMapping,
)
from programmes.questions import answers_save, questions_for, signup_question_create
from programmes.selectors import programme_default_for
from tests import factories

pytestmark = pytest.mark.django_db

NEW = {"label": "Sport préféré", "help_text": "", "kind": "single_choice", "audience": "both", "required": "on",
       "new_choices": "football\ntennis\n\nnatation", "criterion": "same_answer", "criterion_weight": "0,15"}


def base(association, programme=None) -> str:  # noqa: ANN001
    programme = programme or programme_default_for(association)
    return f"/coordination/{association.slug}/programmes/{programme.slug}/questions/"


def make(association, by, programme=None, **fields):  # noqa: ANN001, ANN201, ANN003
    values = {"label": "Sport préféré", "kind": "single_choice", "audience": "both", "choices": ["football", "tennis"], **fields}
    return signup_question_create(programme=programme or programme_default_for(association), by=by, **values)


def test_alice_adds_a_choice_question_used_by_matching(client, association, alice):
    client.force_login(alice)

    response = client.post(base(association) + "nouvelle/", NEW)

    assert response.status_code == 302 and response["Location"].endswith("#questions")
    question = SignupQuestion.objects.get()
    assert (question.label, question.kind, question.required, question.criterion) == ("Sport préféré", "single_choice", True, "same_answer")
    assert question.criterion_weight == pytest.approx(0.15) and question.is_criterion
    assert list(question.choices.values_list("label", flat=True)) == ["football", "tennis", "natation"]
    page = client.get(f"/coordination/{association.slug}/programmes/principal/").content.decode()
    assert "Sport préféré" in page and "appariement : même réponse, poids 0,15" in page


def test_a_criterion_on_a_multiple_choice_or_one_sided_question_is_refused_in_french(client, association, alice):
    client.force_login(alice)

    multiple = client.post(base(association) + "nouvelle/", {**NEW, "kind": "multiple_choice"})
    one_side = client.post(base(association) + "nouvelle/", {**NEW, "audience": "mentees"})
    no_choices = client.post(base(association) + "nouvelle/", {**NEW, "criterion": "none", "new_choices": "football"})

    assert "Seule une question à choix unique ou oui / non peut servir" in multiple.content.decode()
    assert "posée aux mentors et aux mentoré·es" in one_side.content.decode()
    assert "Proposez au moins deux choix" in no_choices.content.decode()
    assert multiple.status_code == one_side.status_code == 400
    assert not SignupQuestion.objects.exists()


def test_a_yes_no_question_gets_its_two_choices(association, alice):
    question = make(association, alice, kind="yes_no", choices=[])
    assert list(question.choices.values_list("label", flat=True)) == ["Oui", "Non"]


def test_editing_a_choice_label_keeps_the_answers_pointing_at_it(client, association, alice, charlie):
    question = make(association, alice)
    football = question.choices.get(label="football")
    answers_save(participant=charlie, questions=questions_for(programme=charlie.programme, role="mentee"),
                 answers={question.pk: [football.pk]})
    client.force_login(alice)
    tennis = question.choices.get(label="tennis")

    response = client.post(base(association) + f"{question.pk}/", {
        "question": "1", **{k: v for k, v in NEW.items() if k != "new_choices"}, "criterion": "none", "criterion_weight": "0",
        f"choice_{football.pk}": "Football", f"choice_{tennis.pk}": "", "new_choices": "rugby",
    })

    assert response.status_code == 302
    answer = ParticipantAnswer.objects.get(participant=charlie)
    assert [c.label for c in answer.choices.all()] == ["Football"]
    assert list(question.choices.filter(active=True).values_list("label", flat=True)) == ["Football", "rugby"]
    assert not SignupQuestionChoice.objects.filter(label="tennis").exists()  # nobody chose it: deleted


def test_questions_are_reordered_and_taken_out(client, association, alice, charlie):
    first = make(association, alice, label="Première")
    second = make(association, alice, label="Deuxième")
    answers_save(participant=charlie, questions=questions_for(programme=charlie.programme, role="mentee"),
                 answers={second.pk: [second.choices.first().pk]})
    client.force_login(alice)

    client.post(base(association) + f"{second.pk}/monter/")
    order = [q.label for q in questions_for(programme=programme_default_for(association), role="mentee")]
    client.post(base(association) + f"{first.pk}/retirer/")
    client.post(base(association) + f"{second.pk}/retirer/")

    assert order == ["Deuxième", "Première"]
    assert not SignupQuestion.objects.filter(pk=first.pk).exists()  # nobody answered: deleted
    second.refresh_from_db()
    assert second.active is False  # answered: switched off, the answer stays
    assert ParticipantAnswer.objects.filter(question=second).exists()
    assert questions_for(programme=programme_default_for(association), role="mentee") == []


def test_alice_sets_a_mapping_between_mentee_and_mentor_answers(client, association, alice):
    question = make(association, alice, criterion="mapping", criterion_weight=0.2, choices=["débutant", "avancé"])
    beginner, advanced = question.choices.order_by("position")
    client.force_login(alice)

    page = client.get(base(association) + f"{question.pk}/").content.decode()
    client.post(base(association) + f"{question.pk}/", {"mapping": "1", f"mapping_{beginner.pk}": [str(advanced.pk)]})

    assert "Correspondances pour l'appariement" in page
    assert list(SignupQuestionMapping.objects.values_list("mentee_choice", "mentor_choice")) == [(beginner.pk, advanced.pk)]


def test_bob_and_charlie_get_404_on_the_questions(client, association, alice, bob, charlie):
    question = make(association, alice)
    for user in (bob, charlie.membership.user):
        client.force_login(user)
        assert client.post(base(association) + "nouvelle/", {**NEW, "label": "Intrus"}).status_code == 404
        assert client.get(base(association) + f"{question.pk}/").status_code == 404
        assert client.post(base(association) + f"{question.pk}/", {"question": "1", **NEW, "label": "Intrus"}).status_code == 404
        assert client.post(base(association) + f"{question.pk}/retirer/").status_code == 404
    assert list(SignupQuestion.objects.values_list("label", "active")) == [("Sport préféré", True)]


def test_dora_edits_her_programmes_questions_only(client, association, alice, dora, world):
    lyon = world["lyon"].programme
    principal_question = make(association, alice)
    client.force_login(dora)

    own = client.post(base(association, lyon) + "nouvelle/", {**NEW, "label": "Ville d'études"})
    other = client.post(base(association) + "nouvelle/", {**NEW, "label": "Intrus"})
    # a question of the other programme through her programme's address is missing too
    crossed = client.get(base(association, lyon) + f"{principal_question.pk}/")

    assert own.status_code == 302 and SignupQuestion.objects.filter(programme=lyon, label="Ville d'études").exists()
    assert other.status_code == 404 and crossed.status_code == 404
    assert client.post(base(association) + f"{principal_question.pk}/retirer/").status_code == 404


def test_the_database_refuses_a_criterion_on_a_text_question_and_an_out_of_range_weight(association):
    programme = programme_default_for(association)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignupQuestion.objects.create(programme=programme, label="Texte", kind="short_text", position=1, criterion="same_answer")
    with pytest.raises(IntegrityError), transaction.atomic():
        SignupQuestion.objects.create(programme=programme, label="Poids", kind="yes_no", position=2, criterion="same_answer",
                                      criterion_weight=1.5)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignupQuestion.objects.create(programme=programme, label="Un côté", kind="yes_no", position=3, audience="mentees",
                                      criterion="same_answer", criterion_weight=0.1)
    SignupQuestion.objects.create(programme=programme, label="Double", kind="short_text", position=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignupQuestion.objects.create(programme=programme, label="Double", kind="short_text", position=5)


def test_an_answer_is_unique_per_participant_and_question(association, alice):
    question = make(association, alice)
    mentee = factories.mentee(association=association)
    ParticipantAnswer.objects.create(participant=mentee, question=question)
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantAnswer.objects.create(participant=mentee, question=question)


def test_a_question_someone_answered_cannot_be_deleted_from_under_its_answers(association, alice, charlie):
    from django.db.models import ProtectedError

    question = make(association, alice)
    answers_save(participant=charlie, questions=questions_for(programme=charlie.programme, role="mentee"),
                 answers={question.pk: [question.choices.first().pk]})
    with pytest.raises(ProtectedError):
        question.delete()


def test_the_questions_api_lists_creates_and_updates_with_the_pages_rules(association, alice):
    from tests.api.conftest import token_client

    api = token_client(alice, association)
    url = f"/api/v1/associations/{association.slug}/programmes/principal/questions/"

    created = api.post(url, {"label": "Sport préféré", "kind": "single_choice", "new_choices": ["football", "tennis"],
                             "criterion": "same_answer", "criterion_weight": 0.2}, format="json")
    refused = api.post(url, {"label": "Texte", "kind": "short_text", "criterion": "same_answer", "criterion_weight": 0.2},
                       format="json")
    question_id = created.json()["id"]
    patched = api.patch(f"{url}{question_id}/", {"required": True, "new_choices": ["natation"]}, format="json")
    listed = api.get(url).json()["results"]

    assert created.status_code == 201, created.json()
    assert [c["label"] for c in created.json()["choices"]] == ["football", "tennis"]
    assert refused.status_code == 400 and "choix unique" in str(refused.json())
    assert patched.status_code == 200 and patched.json()["required"] is True
    assert [c["label"] for c in listed[0]["choices"]] == ["football", "tennis", "natation"]


def test_the_questions_api_is_404_for_bob_and_for_dora_outside_her_programme(association, alice, bob, other_association,
                                                                              dora, world):
    from rest_framework.test import APIClient

    from tests.api.conftest import token_client

    question = make(association, alice)
    url = f"/api/v1/associations/{association.slug}/programmes/principal/questions/"
    as_bob = token_client(bob, other_association)
    as_dora = APIClient()
    as_dora.force_authenticate(dora)
    for client in (as_bob, as_dora):
        assert client.get(url).status_code == 404
        assert client.post(url, {"label": "Intrus", "kind": "short_text"}, format="json").status_code == 404
        assert client.patch(f"{url}{question.pk}/", {"label": "Intrus"}, format="json").status_code == 404
    assert as_dora.get(f"/api/v1/associations/{association.slug}/programmes/{world['lyon'].programme.slug}/questions/").status_code == 200
    assert list(SignupQuestion.objects.values_list("label", flat=True)) == ["Sport préféré"]


def test_the_services_refuse_a_coordinator_outside_the_programme(association, alice, dora, world):
    from django.core.exceptions import PermissionDenied

    from programmes.questions import signup_question_deactivate, signup_question_update

    question = make(association, alice)
    with pytest.raises(PermissionDenied):
        make(association, dora, label="Intrus")
    with pytest.raises(PermissionDenied):
        signup_question_update(question=question, by=dora, label="Intrus")
    with pytest.raises(PermissionDenied):
        signup_question_deactivate(question=question, by=dora)
    assert list(SignupQuestion.objects.values_list("label", "active")) == [("Sport préféré", True)]
