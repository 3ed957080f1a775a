"""Writes of the imports: upload, column mapping, dry run, confirmation, the import itself.

The import is one transaction (all or nothing: the rows the coordinator chose to skip are left
out, every other row is imported or none is), keyed by e-mail (a person already in the
association with the same role is left as it is: importing the same file twice changes nothing).
Each person is signed up by the sign-up's own code (``participants.services.sign_up_check`` and
``sign_up_rows``, which ``participant_sign_up`` calls: its rules, screening, and parental-consent
request under 15), in batches of ``BATCH`` written by a few inserts, as ``invitation_pending``:
the policy keeps them out of pairing and messaging until they set their password and consent.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import outbox
from accounts.models import User
from associations.models import Association, Membership
from associations.services import is_coordinator
from binomes.models import Binome
from imports import columns, reader, tasks
from imports.models import ImportJob, ImportMapping
from imports.selectors import progress_key
from imports.validation import CHUNK, Plan, RowPlan, plan_rows, planned_end
from participants.models import Participant
from participants.services import NewAccount, sign_up_check, sign_up_rows, sign_up_rows_save
from programmes.models import Programme
from programmes.selectors import cohort_current, programme_default_for, programmes_for_coordinator

logger = logging.getLogger(__name__)

# An upload left unconfirmed (or failed) keeps its file this long, then only its report stays.
CONTENT_KEPT = timedelta(hours=24)
# The import writes this many rows' people at a time: about seven inserts per batch (logins,
# addresses, memberships, participants, consents, the parents' and the invitations' e-mails), so
# 10,000 rows take about 140 inserts instead of 100,000 queries one person at a time.
BATCH = 500


def _require_coordinator(by: User, association: Association) -> None:
    if not is_coordinator(user=by, association=association):
        raise PermissionDenied


def _sheet(job: ImportJob) -> reader.Sheet:
    return reader.read_sheet(name=job.file_name, content=bytes(job.content))


def _remembered(association: Association) -> dict[str, str]:
    saved = ImportMapping.objects.filter(association=association).first()
    return saved.columns if saved else {}


def import_upload(*, association: Association, by: User, file_name: str, content: bytes,
                  programme: Programme | None = None, mapping: list[str] | None = None) -> ImportJob:
    """Store an uploaded spreadsheet and suggest its column mapping (the association's last
    choices, then the usual headers). The people join ``programme`` (one the coordinator may see;
    the association's default when not given). With ``mapping`` (the API) the dry run starts at once."""
    _require_coordinator(by, association)
    if programme is None:
        programme = programme_default_for(association)
    elif not programmes_for_coordinator(user=by, association=association).filter(pk=programme.pk).exists():
        raise ValidationError({"programme": _("Choisissez un programme de l'association.")})
    try:
        sheet = reader.read_sheet(name=file_name, content=content)
    except reader.UnreadableFile as exc:
        raise ValidationError({"file": str(exc)}) from None
    job = ImportJob.objects.create(
        association=association, programme=programme, uploaded_by=by, file_name=(file_name or "import")[-200:],
        file_format=reader.file_format(file_name, content), content=content,
        content_sha256=hashlib.sha256(content).hexdigest(), headers=sheet.headers, rows_total=len(sheet.rows),
        mapping=columns.suggest_mapping(sheet.headers, _remembered(association)),
    )
    if mapping is not None:
        job = import_map(job=job, by=by, mapping=mapping)
    return job


def mapping_errors(*, headers: list[str], mapping: list[str]) -> list[str]:
    if len(mapping) != len(headers):
        return [_("Choisissez une colonne pour chacune des %(n)s colonnes du fichier.") % {"n": len(headers)}]
    errors = []
    unknown = [name for name in mapping if name and name not in columns.BY_NAME]
    if unknown:
        errors.append(_("Colonnes inconnues : %(names)s.") % {"names": ", ".join(unknown)})
    used = [name for name in mapping if name]
    twice = sorted({str(columns.BY_NAME[n].label) for n in used if used.count(n) > 1 and n in columns.BY_NAME})
    if twice:
        errors.append(_("Chaque information ne peut venir que d'une colonne : %(names)s.") % {"names": ", ".join(twice)})
    missing = [str(columns.BY_NAME[n].label) for n in columns.REQUIRED if n not in used]
    if "commune" not in used and "postal_code" not in used:
        missing.append(str(columns.BY_NAME["commune"].label))
    if missing:
        errors.append(_("Associez une colonne du fichier à : %(names)s.") % {"names": ", ".join(missing)})
    return errors


@transaction.atomic
def import_map(*, job: ImportJob, by: User, mapping: list[str]) -> ImportJob:
    """The coordinator confirms which column holds what; it is remembered for the association's
    next files, and the dry run starts (a worker; nothing is written but the report)."""
    _require_coordinator(by, job.association)
    locked = ImportJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
    if locked.status not in (ImportJob.Status.UPLOADED, ImportJob.Status.ANALYSED, ImportJob.Status.FAILED) or not locked.content:
        raise ValidationError(_("Cet import ne peut plus être modifié (%(status)s).") % {"status": locked.get_status_display()})
    mapping = [name or "" for name in mapping]
    errors = mapping_errors(headers=locked.headers, mapping=mapping)
    if errors:
        raise ValidationError({"mapping": errors})
    remembered, _created = ImportMapping.objects.select_for_update().get_or_create(association_id=locked.association_id)
    remembered.columns = {**remembered.columns, **{columns.header_key(h): name for h, name in zip(locked.headers, mapping, strict=True)}}
    remembered.save(update_fields=["columns", "updated_at"])
    locked.mapping = mapping
    locked.status = ImportJob.Status.ANALYSING
    locked.report, locked.failure, locked.analysed_at = {}, "", None
    locked.save(update_fields=["mapping", "status", "report", "failure", "analysed_at"])
    cache.delete(progress_key(locked.pk))
    outbox.emit(tasks.analyse_import, locked.pk)
    return locked


def _progress(job_id: int):  # noqa: ANN202 - a callback
    def report(done: int) -> None:
        cache.set(progress_key(job_id), done, timeout=6 * 3600)
    return report


def _plan(job: ImportJob, *, skip: set[int]) -> Plan:
    sheet = _sheet(job)
    return plan_rows(association=job.association, programme=job.programme, mapping=job.mapping, rows=sheet.rows, skip=skip,
                     today=timezone.localdate(), progress=_progress(job.pk))


def import_analyse(*, job_id: int) -> ImportJob | None:
    """The dry run (a worker): every row is checked, nothing but the report is written. Safe to
    run twice: a job no longer being analysed is left alone."""
    job = ImportJob.objects.select_related("association").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.ANALYSING:
        return job
    try:
        report = _plan(job, skip=set()).report()
    except (ValidationError, reader.UnreadableFile) as exc:
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.ANALYSING).update(
            status=ImportJob.Status.FAILED, failure=" ".join(getattr(exc, "messages", [str(exc)])))
    except Exception:
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.ANALYSING).update(
            status=ImportJob.Status.FAILED, failure=_("L'analyse a échoué. Réessayez ; si cela se reproduit, prévenez l'équipe de la plateforme."))
        raise
    else:
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.ANALYSING).update(
            status=ImportJob.Status.ANALYSED, report=report, analysed_at=timezone.now())
    job.refresh_from_db()
    return job


@transaction.atomic
def import_confirm(*, job: ImportJob, by: User, skip_lines: list[int]) -> ImportJob:
    """The coordinator confirms the dry run, leaving out ``skip_lines``: every row with an error
    must be among them (the import is all or nothing). A worker imports; the page shows progress."""
    _require_coordinator(by, job.association)
    locked = ImportJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
    if locked.status != ImportJob.Status.ANALYSED:
        raise ValidationError(_("Cet import n'attend pas de confirmation (%(status)s).") % {"status": locked.get_status_display()})
    skip = sorted({int(line) for line in skip_lines})
    not_skipped = [row["line"] for row in locked.error_rows if row["line"] not in skip]
    if not_skipped:
        shown = ", ".join(str(line) for line in not_skipped[:20]) + ("…" if len(not_skipped) > 20 else "")
        raise ValidationError(ngettext(
            "La ligne %(lines)s a une erreur : corrigez le fichier, ou choisissez de l'ignorer.",
            "Les lignes %(lines)s ont une erreur : corrigez le fichier, ou choisissez de les ignorer.", len(not_skipped))
            % {"lines": shown})
    locked.status = ImportJob.Status.IMPORTING
    locked.skipped_lines = skip
    locked.confirmed_by, locked.confirmed_at, locked.failure = by, timezone.now(), ""
    try:
        with transaction.atomic():
            locked.save(update_fields=["status", "skipped_lines", "confirmed_by", "confirmed_at", "failure"])
    except IntegrityError:  # import_job_one_running
        raise ValidationError(_("Un autre import de l'association est en cours : attendez qu'il soit fini.")) from None
    cache.delete(progress_key(locked.pk))
    outbox.emit(tasks.run_import, locked.pk, key=f"import-run:{locked.pk}")
    return locked


class _PlanChanged(Exception):
    def __init__(self, plan: Plan) -> None:
        super().__init__("plan changed")
        self.plan = plan


def import_run(*, job_id: int) -> ImportJob | None:
    """Import a confirmed file (a worker), in one transaction. The rows are planned again under
    it (someone may have signed up meanwhile with an address of the file): if a row not skipped
    now has an error, nothing is written and the job goes back to the coordinator with the new
    report. Safe to run twice: a job no longer importing is left alone."""
    job = ImportJob.objects.select_related("association", "programme", "confirmed_by").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.IMPORTING:
        return job
    try:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update(of=("self",)).select_related("association", "programme", "confirmed_by").get(
                pk=job.pk)
            if locked.status != ImportJob.Status.IMPORTING:
                return locked
            counts = _import_rows(locked)
            locked.status = ImportJob.Status.DONE
            locked.finished_at = timezone.now()
            locked.created_count, locked.unchanged_count = counts["create"], counts["unchanged"]
            locked.skipped_count, locked.binomes_created_count = counts["skipped"], counts["binomes_create"]
            locked.content = b""  # the file's personal data leaves with the import: only the counts stay
            locked.save(update_fields=["status", "finished_at", "created_count", "unchanged_count", "skipped_count",
                                       "binomes_created_count", "content"])
    except _PlanChanged as changed:
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.IMPORTING).update(
            status=ImportJob.Status.ANALYSED, report=changed.plan.report(), analysed_at=timezone.now(),
            failure=_("Rien n'a été importé : des lignes ont changé depuis l'analyse (par exemple une inscription avec "
                      "le même courriel). Voici l'analyse à jour."))
    except Exception:
        logger.exception("Import %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.IMPORTING).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(),
            failure=_("L'import a échoué et rien n'a été enregistré. Réessayez ; si cela se reproduit, prévenez l'équipe de la plateforme."))
    job.refresh_from_db()
    return job


def _import_rows(job: ImportJob) -> dict[str, int]:
    association, by = job.association, job.confirmed_by
    assert by is not None
    sheet = _sheet(job)
    skip = set(job.skipped_lines)
    # The association's mentors the file pairs with: their rows locked first (primary-key order, as
    # an approval takes them), so that their load cannot change between the plan and the binômes.
    mentor_index = job.mapping.index("mentor_email") if "mentor_email" in job.mapping else None
    if mentor_index is not None:
        mentor_emails = {cells[mentor_index].strip().lower() for line, cells in sheet.rows if line not in skip} - {""}
        # One query (not chunks): the locks are taken in primary-key order across all of them.
        list(Participant.objects.select_for_update(of=("self",)).alias(email=Lower("membership__user__email")).filter(
            association=association, role=Membership.Role.MENTOR, email__in=mentor_emails).order_by("pk").values_list("pk"))
    plan = plan_rows(association=association, programme=job.programme, mapping=job.mapping, rows=sheet.rows, skip=skip, today=timezone.localdate())
    if any(row.errors for row in plan.rows):
        raise _PlanChanged(plan)
    report = _progress(job.pk)
    created = _people_create(job=job, by=by, rows=plan.rows, report=report)
    pairs = [row for row in plan.rows if row.binome == "create"]
    if pairs:
        _create_binomes(association=association, programme=job.programme, by=by, pairs=pairs, created=created)
    report(len(plan.rows))
    return plan.counts()


def _people_create(*, job: ImportJob, by: User, rows: list[RowPlan], report: Callable[[int], None]) -> dict[str, Participant]:
    """Sign up the people of the rows to create, ``BATCH`` rows at a time: each person's rows are
    built by the sign-up's own code (``participants.services.sign_up_check`` and ``sign_up_rows``,
    which ``participant_sign_up`` calls too), then a batch is written in a few inserts
    (``sign_up_rows_save``) with its invitations. Returns the participants by e-mail."""
    association, programme = job.association, job.programme
    today, now = timezone.localdate(), timezone.now()
    cohort = cohort_current(programme=programme, today=today)  # the one intake the whole file joins
    created: dict[str, Participant] = {}
    for start in range(0, len(rows), BATCH):
        batch = [row for row in rows[start:start + BATCH] if row.action == "create"]
        people = []
        for row in batch:
            sign_up_check(association=association, programme=programme, role=row.role, profile=row.profile, privacy_accepted=False,
                          invited_by=by, today=today)
            people.append(sign_up_rows(
                association=association, programme=programme, cohort=cohort, role=row.role, profile=row.profile, now=now, invited_by=by,
                account=NewAccount(email=row.email, password="", first_name=row.first_name, last_name=row.last_name),
            ))
        sign_up_rows_save(people)
        outbox.emit_many(tasks.send_import_invitation, [[p.participant.pk] for p in people],
                         keys=[f"import-invitation:{p.participant.pk}" for p in people])
        created.update((row.email, p.participant) for row, p in zip(batch, people, strict=True))
        report(min(start + BATCH, len(rows)))  # the rows gone through (the page's progress bar)
    return created


def _create_binomes(*, association: Association, programme: Programme, by: User, pairs: list[RowPlan],
                    created: dict[str, Participant]) -> None:
    """The binômes the file records, as they already run (no introduction: the two know each
    other), ``BATCH`` per insert. Their members cannot message before accepting their invitation
    (the policy)."""
    wanted = {row.email for row in pairs} | {row.mentor_email for row in pairs}
    missing = sorted(wanted - set(created))
    existing: dict[tuple[str, str], Participant] = {}
    for start in range(0, len(missing), CHUNK):
        for p in Participant.objects.alias(email=Lower("membership__user__email")).filter(
                association=association, email__in=missing[start:start + CHUNK]).select_related("membership__user"):
            existing[(p.membership.user.email.lower(), p.role)] = p

    def person(email: str, role: str) -> Participant:
        return created.get(email) or existing[(email, role)]

    today = timezone.localdate()
    binomes = []
    for row in pairs:
        started = row.binome_started_on or today
        binomes.append(Binome(
            association=association, mentor=person(row.mentor_email, Membership.Role.MENTOR), mentee=person(row.email, Membership.Role.MENTEE),
            started_on=started, planned_end_on=planned_end(programme, started), created_by=by,
        ))
    Binome.objects.bulk_create(binomes, batch_size=BATCH)


@transaction.atomic
def import_invitations_resend(*, association: Association, by: User) -> int:
    """Send the invitation again to every imported person of the association who has not answered
    yet (a fresh link: the previous one may have expired). Returns how many; e-mails after commit."""
    _require_coordinator(by, association)
    waiting = list(Participant.objects.filter(association=association, invitation_pending=True).values_list("pk", flat=True))
    for participant_id in waiting:
        outbox.emit(tasks.send_import_invitation, participant_id)
    return len(waiting)


@transaction.atomic
def import_abandon(*, job: ImportJob, by: User) -> ImportJob:
    """The coordinator drops an upload they will not import: its file is deleted at once."""
    _require_coordinator(by, job.association)
    locked = ImportJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
    if locked.status in (ImportJob.Status.IMPORTING, ImportJob.Status.DONE, ImportJob.Status.ABANDONED):
        raise ValidationError(_("Cet import ne peut plus être abandonné (%(status)s).") % {"status": locked.get_status_display()})
    locked.status, locked.content, locked.finished_at = ImportJob.Status.ABANDONED, b"", timezone.now()
    locked.save(update_fields=["status", "content", "finished_at"])
    return locked


def import_content_purge(*, now: datetime | None = None) -> int:
    """Drop the files of uploads left unconfirmed or failed for ``CONTENT_KEPT`` (beat, hourly):
    the spreadsheet holds minors' personal data. Safe to run twice."""
    now = now or timezone.now()
    stale = ImportJob.objects.filter(created_at__lte=now - CONTENT_KEPT).exclude(content=b"").exclude(status__in=ImportJob.WORKING)
    return stale.update(content=b"", status=ImportJob.Status.ABANDONED, finished_at=now)
