"""The import writes people in batches (``imports.services.BATCH``) through the sign-up's own code:
the same rows as signing each person up with ``participant_sign_up``, all or nothing across
batches, idempotent, and a number of queries that grows with the batches, not the people."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

import outbox
from accounts.models import User
from associations.models import Membership
from binomes.models import Binome
from imports import services, tasks
from imports.models import ImportJob
from imports.validation import plan_rows, planned_end
from outbox.models import OutboxMessage
from participants.models import Consent, Participant
from participants.services import NewAccount, participant_sign_up
from programmes.models import Cohort
from programmes.selectors import programme_default_for
from safeguarding.models import TextReview
from tests import factories
from tests.imports.conftest import (
    ADULT_MENTOR,
    BAD_LINES,
    CHILD_MENTEE,
    TEEN_MENTEE,
    analysed,
    csv_bytes,
    imported,
)

pytestmark = pytest.mark.django_db

# Two rows beyond the 300-row file: a mentee paired with a mentor the association already has,
# and that mentor's own row (left as it is: "unchanged").
EXISTING_MENTOR = "sara.mentor@exemple.fr"
EXTRA_ROWS = [
    f"Kaci;Lina;01/02/2013;lina.kaci@exemple.fr;93000;Bobigny;mentorée;Nora Kaci;nora.kaci@exemple.fr;;{EXISTING_MENTOR};01/09/2026",
    f"Amrani;Sara;01/02/1999;{EXISTING_MENTOR};93000;Bobigny;mentor;;;;;",
]


def _import_rows_one_by_one(job: ImportJob) -> dict[str, int]:
    """The import as it was before batches (commit bb88159): each person through
    ``participant_sign_up``, each binôme created alone. The reference the batches must match."""
    association, by = job.association, job.confirmed_by
    sheet = services._sheet(job)
    plan = plan_rows(association=association, programme=job.programme, mapping=job.mapping, rows=sheet.rows,
                     skip=set(job.skipped_lines), today=timezone.localdate())
    created = {}
    for row in plan.rows:
        if row.action != "create":
            continue
        participant = participant_sign_up(
            association=association, role=row.role, profile=row.profile, privacy_accepted=False,
            account=NewAccount(email=row.email, password="", first_name=row.first_name, last_name=row.last_name),
            programme=job.programme, invited_by=by,
        )
        created[row.email] = participant
        outbox.emit(tasks.send_import_invitation, participant.pk, key=f"import-invitation:{participant.pk}")
    people = {(p.membership.user.email, p.role): p for p in Participant.objects.filter(association=association).select_related("membership__user")}
    for row in plan.rows:
        if row.binome != "create":
            continue
        started = row.binome_started_on or timezone.localdate()
        Binome.objects.create(association=association, mentor=people[(row.mentor_email, "mentor")], mentee=people[(row.email, "mentee")],
                              started_on=started, planned_end_on=planned_end(job.programme, started), created_by=by)
    return plan.counts()


def _natural_keys() -> dict[type[Model], dict[int, object]]:
    """Each row's identity without its id (ids differ between two imports of the same file)."""
    users = {u.pk: u.email for u in User.objects.all()}
    memberships = {m.pk: (users[m.user_id], m.role) for m in Membership.objects.all()}
    participants = {p.pk: memberships[p.membership_id] for p in Participant.objects.all()}
    consents = {c.pk: (participants[c.participant_id], c.kind) for c in Consent.objects.all()}
    return {User: users, Membership: memberships, Participant: participants, Consent: consents}


def _rows(model: type[Model], keys: dict, **filters) -> list[dict]:
    """Every column of the rows, ids replaced by identities, times by whether they are set."""
    out = []
    for obj in model.objects.filter(**filters):
        row = {}
        for f in model._meta.concrete_fields:
            if f.primary_key:
                continue
            value = getattr(obj, f.attname)
            if isinstance(value, datetime) or f.name in ("token", "password"):
                value = {"password": lambda v: v.startswith("!")}.get(f.name, bool)(value)  # set or not; unusable or not
            elif f.is_relation and f.related_model in keys and value is not None:
                value = keys[f.related_model][value]
            row[f.name] = value
        out.append(row)
    return sorted(out, key=repr)


def _outbox(keys: dict) -> list[tuple]:
    argument_of = {"imports.tasks.send_import_invitation": keys[Participant],
                   "participants.tasks.send_parental_consent_request": keys[Consent]}
    out = []
    for message in OutboxMessage.objects.exclude(task__in=["imports.tasks.analyse_import", "imports.tasks.run_import"]):
        args = [argument_of[message.task][a] for a in message.args]
        natural = message.key.startswith("import-invitation:")
        out.append((message.task, repr(args), message.status, message.key.split(":")[0] if natural else "random"))
    return sorted(out)


def snapshot(association) -> dict:  # noqa: ANN001
    keys = _natural_keys()
    people = Participant.objects.filter(association=association)
    return {
        "users": _rows(User, keys, memberships__association=association, memberships__role__in=["mentor", "mentee"]),
        "addresses": _rows(EmailAddress, keys, user__memberships__association=association, user__memberships__role__in=["mentor", "mentee"]),
        "memberships": _rows(Membership, keys, association=association, role__in=["mentor", "mentee"]),
        "participants": _rows(Participant, keys, association=association),
        "consents": _rows(Consent, keys, participant__in=people),
        "binomes": _rows(Binome, keys, association=association),
        "reviews": _rows(TextReview, keys, association=association),
        "outbox": _outbox(keys),
    }


def _world(association):  # noqa: ANN001, ANN202
    """A cohort the file joins and a mentor the association already has."""
    Cohort.objects.create(programme=programme_default_for(association), name="Janvier 2027", starts_on=date(2027, 1, 4))
    factories.mentor(association=association, status="validated", birth_date=date(1999, 2, 1),
                     user=factories.UserFactory(email=EXISTING_MENTOR, first_name="Sara", last_name="Amrani"))


def test_batches_write_the_same_rows_as_signing_each_person_up(association, alice, file_300, monkeypatch):
    _world(association)
    content = file_300 + ("\r\n".join(EXTRA_ROWS) + "\r\n").encode()
    monkeypatch.setattr(services, "BATCH", 100)  # three batches and a bit
    with transaction.atomic():  # the per-person import, undone once looked at
        with monkeypatch.context() as patched:
            patched.setattr(services, "_import_rows", _import_rows_one_by_one)
            one_by_one = imported(association, alice, content, skip=BAD_LINES)
        expected = snapshot(association)
        transaction.set_rollback(True)
    assert not Participant.objects.filter(membership__user__email="lina.kaci@exemple.fr").exists()

    batched = imported(association, alice, content, skip=BAD_LINES)

    assert batched.status == one_by_one.status == ImportJob.Status.DONE
    got = snapshot(association)
    assert (batched.created_count, batched.unchanged_count, batched.binomes_created_count) == (294, 1, 74)
    assert len(got["participants"]) == 295 and len(got["binomes"]) == 74
    assert sum(1 for c in got["consents"] if c["kind"] == "parent") == 90  # the under-15s' parents are asked
    assert {c["participant"] for c in got["consents"] if c["kind"] == "parent" and c["given_by_email"] == "nora.kaci@exemple.fr"}
    assert {p["cohort"] for p in got["participants"] if p["imported_at"]} == {Cohort.objects.get().pk}
    for table in expected:
        assert got[table] == expected[table], table


def test_a_failure_in_the_last_batch_leaves_nothing(association, alice, file_300, monkeypatch):
    from participants import services as participant_services

    real, saved = participant_services.sign_up_rows_save, []

    def failing_in_the_third_batch(rows):  # noqa: ANN001, ANN202
        saved.append(len(rows))
        if len(saved) == 3:
            raise RuntimeError("the database went away")
        return real(rows)

    monkeypatch.setattr(services, "BATCH", 100)
    monkeypatch.setattr(services, "sign_up_rows_save", failing_in_the_third_batch)
    job = imported(association, alice, file_300, skip=BAD_LINES)

    assert saved == [100, 100, 93]  # two batches were written before the third failed
    assert job.status == ImportJob.Status.FAILED and "rien n'a été enregistré" in job.failure
    assert not Participant.objects.filter(association=association).exists()
    assert not User.objects.filter(email__endswith="@exemple.fr").exists()
    assert not Consent.objects.exists() and not Binome.objects.exists()
    assert not OutboxMessage.objects.filter(task__in=["imports.tasks.send_import_invitation",
                                                      "participants.tasks.send_parental_consent_request"]).exists()


def test_a_failure_writing_the_binomes_leaves_nothing_of_the_people(association, alice, file_300, monkeypatch):
    def failing(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.Binome.objects, "bulk_create", failing)
    job = imported(association, alice, file_300, skip=BAD_LINES)

    assert job.status == ImportJob.Status.FAILED
    assert not Participant.objects.filter(association=association).exists()


def test_re_importing_in_batches_changes_no_row(association, alice, file_300, monkeypatch):
    monkeypatch.setattr(services, "BATCH", 100)
    imported(association, alice, file_300, skip=BAD_LINES)
    before = snapshot(association)

    again = imported(association, alice, file_300, skip=BAD_LINES)

    assert (again.status, again.created_count, again.unchanged_count, again.binomes_created_count) == ("done", 0, 293, 0)
    assert snapshot(association) == before


def test_the_progress_moves_batch_by_batch(association, alice, file_300, monkeypatch):
    reported = []
    monkeypatch.setattr(services, "BATCH", 100)
    monkeypatch.setattr(services, "_progress", lambda job_id: reported.append)

    imported(association, alice, file_300, skip=BAD_LINES)

    # The dry run's end (300 rows read), then the import's: one step per batch written, then the end.
    assert reported[-5:] == [300, 100, 200, 293, 293]


def test_an_address_stored_with_capitals_is_the_same_address(association, alice):
    factories.mentor(association=factories.AssociationFactory(), user=factories.UserFactory(email="x@exemple.fr"))
    User.objects.filter(email="x@exemple.fr").update(email="Awa.Diallo@Exemple.fr")  # an account from before addresses were lower-cased

    job = analysed(association, alice, csv_bytes(ADULT_MENTOR))

    assert job.counts["errors"] == 1
    assert "autre association" in job.error_rows[0]["errors"][0]


def test_the_import_does_a_few_queries_per_batch_not_per_person(association, alice, file_300, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(services, "BATCH", 100)
    small = analysed(association, alice, csv_bytes(ADULT_MENTOR, TEEN_MENTEE, CHILD_MENTEE))
    services.import_confirm(job=small, by=alice, skip_lines=[])
    # 3 people, one batch: the job (read, savepoint, lock, save, release, refresh), the mentors'
    # lock, the plan (the file's addresses: 1; its 2 communes: 2), the cohort (2), one batch
    # (logins, addresses, memberships, participants, consents, the parent's and the invitations'
    # outbox rows: 7), the binôme (1).
    with django_assert_max_num_queries(20) as few:
        services.import_run(job_id=small.pk)
    big = analysed(association, alice, file_300)
    services.import_confirm(job=big, by=alice, skip_lines=BAD_LINES)

    # 293 people: the same, with the file's 6 communes and 3 batches (the first, of mentors only,
    # has no consent to ask: 5 inserts) — 36 queries. One person at a time it was about ten
    # queries per person (some 3,000 here); batches of 500, 10,000 rows take some 150.
    with django_assert_max_num_queries(36) as many:
        services.import_run(job_id=big.pk)
    assert ImportJob.objects.get(pk=big.pk).created_count == 293
    assert len(many.captured_queries) - len(few.captured_queries) <= 2 * 7 + (6 - 2)  # two more batches, four more communes
