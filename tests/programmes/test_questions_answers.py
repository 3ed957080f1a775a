"""Answers to a programme's sign-up questions: asked at sign-up to the right role (required ones
enforced in French, nothing typed lost), editable on the profile and through the API with the
same service, shown to the coordinators (participant page, CSV export, API), never to the other
member of a binôme."""

from __future__ import annotations

import re

import pytest

from participants.models import Participant
from programmes.models import ParticipantAnswer, SignupQuestionChoice
from programmes.questions import answers_save, questions_for, signup_question_create
from programmes.selectors import programme_default_for
from tests.binomes.conftest import binome  # noqa: F401 - fixture
from tests.participants.test_profile_edit import profile_data
from tests.participants.test_sign_up import mentee_form, mentor_form

pytestmark = pytest.mark.django_db

REQUIRED = "Réponds à cette question : elle est obligatoire pour ce programme."


@pytest.fixture
def sport(association, alice):  # noqa: ANN001
    return signup_question_create(programme=programme_default_for(association), by=alice, label="Sport préféré",
                                  kind="single_choice", audience="both", required=True, choices=["football", "tennis"])


@pytest.fixture
def dream(association, alice):  # noqa: ANN001
    return signup_question_create(programme=programme_default_for(association), by=alice, label="Ton rêve de métier",
                                  kind="long_text", audience="mentees", required=False)


def choice(question, label):  # noqa: ANN001, ANN201
    return SignupQuestionChoice.objects.get(question=question, label=label)


def give(participant, question, value):  # noqa: ANN001, ANN201
    answers_save(participant=participant, questions=questions_for(programme=participant.programme, role=participant.role),
                 answers={question.pk: value})


def test_a_required_question_is_enforced_in_french_and_nothing_typed_is_lost(client, association, sport, dream):
    url = f"/a/{association.slug}/inscription/mentore/"

    refused = client.post(url, mentee_form(**{f"question_{dream.pk}": "Sage-femme"}))

    page = refused.content.decode()
    assert REQUIRED in page
    assert 'value="Inès"' in page and "Sage-femme" in page
    assert not Participant.objects.exists()

    done = client.post(url, mentee_form(**{f"question_{dream.pk}": "Sage-femme", f"question_{sport.pk}": str(choice(sport, "tennis").pk)}))

    assert done.status_code == 302
    participant = Participant.objects.get()
    answers = {a.question_id: a for a in ParticipantAnswer.objects.filter(participant=participant)}
    assert answers[dream.pk].text == "Sage-femme"
    assert [c.label for c in answers[sport.pk].choices.all()] == ["tennis"]


def test_a_mentor_never_sees_a_mentee_only_question(client, association, sport, dream):
    # the whole form at once (an empty submission shows every field with its error)
    mentor_page = client.post(f"/a/{association.slug}/inscription/mentor/", {}).content.decode()
    mentee_page = client.post(f"/a/{association.slug}/inscription/mentore/", {}).content.decode()

    assert "Ton rêve de métier" in mentee_page and "Sport préféré" in mentee_page
    assert "Sport préféré" in mentor_page and "Ton rêve de métier" not in mentor_page


def test_a_mentor_signs_up_with_the_question_asked_to_both(client, association, sport, dream):
    response = client.post(f"/a/{association.slug}/inscription/mentor/",
                           mentor_form(**{f"question_{sport.pk}": str(choice(sport, "football").pk),
                                          f"question_{dream.pk}": "ignored: not asked to mentors"}))

    assert response.status_code == 302
    mentor = Participant.objects.get(role="mentor")
    assert list(ParticipantAnswer.objects.filter(participant=mentor).values_list("question_id", flat=True)) == [sport.pk]


def test_the_step_by_step_sign_up_asks_the_questions_with_the_goals(client, association, sport):
    from tests.participants.test_sign_up_steps import STEP_FIELDS, post_step

    data = mentee_form()
    for index in range(3):
        post_step(client, association, index, data)

    page = client.get(f"/a/{association.slug}/inscription/mentore/?etape=4").content.decode()
    refused = post_step(client, association, 3, data)
    step = {k: v for k, v in data.items() if k in STEP_FIELDS[3]}
    accepted = client.post(f"/a/{association.slug}/inscription/mentore/",
                           {"step": 3, **step, f"question_{sport.pk}": str(choice(sport, "tennis").pk)})
    finished = post_step(client, association, 4, data)

    assert "Sport préféré" in page
    assert refused.status_code == 400 and REQUIRED in refused.content.decode()
    assert accepted.status_code == 302 and finished.status_code == 302
    answer = ParticipantAnswer.objects.get(question=sport)
    assert [c.label for c in answer.choices.all()] == ["tennis"]


def test_the_participant_edits_their_answers_on_their_profile(client, association, charlie, sport, dream):
    give(charlie, sport, [choice(sport, "football").pk])
    client.force_login(charlie.membership.user)
    url = f"/mon-espace/profil/{charlie.pk}/"

    page = client.get(url).content.decode()
    form = profile_data(charlie, **{f"question_{dream.pk}": "Pilote de ligne"})
    emptied = client.post(url, form)
    saved = client.post(url, {**form, f"question_{sport.pk}": str(choice(sport, "tennis").pk)})

    assert "Les questions du programme" in page
    assert re.search(rf'value="{choice(sport, "football").pk}"[^>]*checked', page)
    assert REQUIRED in emptied.content.decode()
    assert saved.status_code == 302
    assert [c.label for c in ParticipantAnswer.objects.get(participant=charlie, question=sport).choices.all()] == ["tennis"]
    assert ParticipantAnswer.objects.get(participant=charlie, question=dream).text == "Pilote de ligne"


def test_the_coordinator_reads_the_answers_on_the_participant_page(client, association, alice, bob, charlie, sport):
    give(charlie, sport, [choice(sport, "tennis").pk])
    url = f"/coordination/{association.slug}/participants/{charlie.pk}/"
    client.force_login(alice)

    page = client.get(url).content.decode()

    assert "Réponses aux questions du programme" in page
    assert "Sport préféré" in page.split("Réponses aux questions du programme")[1]
    assert "tennis" in page.split("Réponses aux questions du programme")[1]
    client.force_login(bob)
    assert client.get(url).status_code == 404


def test_the_other_member_of_a_binome_never_reads_the_answers(client, association, alice, binome):  # noqa: F811
    question = signup_question_create(programme=programme_default_for(association), by=alice, label="Ta plus grande peur",
                                      kind="short_text", audience="both")
    give(binome.mentee, question, "Rater mon bac")

    client.force_login(binome.mentor.membership.user)
    page = client.get(f"/mon-espace/binomes/{binome.pk}/").content.decode()

    assert page and "Rater mon bac" not in page and "Ta plus grande peur" not in page


def test_the_csv_export_has_a_column_per_question_and_neutralises_formulas(client, association, alice, charlie, sport, dream):
    give(charlie, sport, [choice(sport, "football").pk])
    give(charlie, dream, "=HYPERLINK(\"http://evil\")")
    client.force_login(alice)

    response = client.get(f"/coordination/{association.slug}/programmes/principal/participants.csv")

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = body.splitlines()[:2]
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert header.endswith("Sport préféré,Ton rêve de métier")
    assert row.startswith(f"{charlie.pk},Charlie,") and "football" in row
    assert "'=HYPERLINK" in row


def test_the_csv_export_is_404_for_bob_charlie_and_dora_outside_her_programme(client, association, bob, charlie, dora, world):
    for user in (bob, charlie.membership.user, dora):
        client.force_login(user)
        assert client.get(f"/coordination/{association.slug}/programmes/principal/participants.csv").status_code == 404
    lyon = world["lyon"].programme.slug
    assert client.get(f"/coordination/{association.slug}/programmes/{lyon}/participants.csv").status_code == 200


def test_the_api_shows_answers_to_the_coordinator_and_lets_the_participant_edit_theirs(association, alice, charlie, sport, dream):
    from tests.api.conftest import token_client

    give(charlie, sport, [choice(sport, "football").pk])
    detail = token_client(alice, association).get(f"/api/v1/associations/{association.slug}/participants/{charlie.pk}/").json()
    assert {"question_id": sport.pk, "question": "Sport préféré", "answer": "football", "active": True} in detail["answers"]

    from rest_framework.test import APIClient

    me = APIClient()
    me.force_authenticate(charlie.membership.user)
    url = f"/api/v1/me/profiles/{charlie.pk}/"
    mine = me.get(url).json()["answers"]
    assert [a["question"] for a in mine] == ["Sport préféré", "Ton rêve de métier"]
    assert mine[0]["choice_ids"] == [choice(sport, "football").pk] and len(mine[0]["options"]) == 2

    ok = me.patch(url, {"answers": [{"question_id": dream.pk, "text": "Vétérinaire"},
                                    {"question_id": sport.pk, "choice_ids": [choice(sport, "tennis").pk]}]}, format="json")
    emptied = me.patch(url, {"answers": [{"question_id": sport.pk, "choice_ids": []}]}, format="json")
    foreign = me.patch(url, {"answers": [{"question_id": sport.pk, "choice_ids": [999999]}]}, format="json")

    assert ok.status_code == 200, ok.json()
    assert {a["question_id"]: (a["text"], a["choice_ids"]) for a in ok.json()["answers"]} == {
        sport.pk: ("", [choice(sport, "tennis").pk]), dream.pk: ("Vétérinaire", [])}
    assert emptied.status_code == 400 and REQUIRED in str(emptied.json())
    assert foreign.status_code == 400 and "Choisis parmi les réponses proposées" in str(foreign.json())
    assert [c.label for c in ParticipantAnswer.objects.get(participant=charlie, question=sport).choices.all()] == ["tennis"]


def test_an_answer_to_a_question_of_another_programme_is_refused(association, alice, charlie):
    from rest_framework.test import APIClient

    from programmes.services import programme_create

    lyon = programme_create(association=association, by=alice, name="Lyon")
    elsewhere = signup_question_create(programme=lyon, by=alice, label="Ville", kind="short_text", audience="both")
    me = APIClient()
    me.force_authenticate(charlie.membership.user)

    response = me.patch(f"/api/v1/me/profiles/{charlie.pk}/", {"answers": [{"question_id": elsewhere.pk, "text": "Lyon"}]},
                        format="json")

    assert response.status_code == 400 and "pas posée dans ton programme" in str(response.json())
    assert not ParticipantAnswer.objects.exists()


def test_the_csv_export_reads_a_fixed_number_of_queries(client, association, alice, charlie, sport, dream,
                                                        django_assert_max_num_queries):
    from tests import factories

    give(charlie, sport, [choice(sport, "football").pk])
    client.force_login(alice)
    url = f"/coordination/{association.slug}/programmes/principal/participants.csv"
    # session and user, the association and the role check, the programme (scoped), its
    # questions, the participants with their accounts, the answers and their choices, the log row
    with django_assert_max_num_queries(12) as few:
        b"".join(client.get(url).streaming_content)
    for _ in range(5):
        give(factories.mentee(association=association), dream, "Infirmière")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    assert body.count("Infirmière") == 5
