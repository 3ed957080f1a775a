"""Writes of the matching: settings, runs (requested here, executed by a Celery task), decisions.

Approval is the one place where a binôme is born. Its invariants — a mentee has at most one open
binôme, a mentor at most ``capacity`` — hold under concurrency: the participants' rows are locked in
primary-key order (no deadlock between two coordinators), the mentee rule is also a partial unique
index, and the loser of a race gets a clear message.
"""

from __future__ import annotations

import calendar
import logging
import os
import socket
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

import outbox
from accounts.models import User
from associations.models import Association
from associations.services import is_coordinator
from binomes import tasks as binome_tasks
from binomes.models import Binome
from matching import run_options, selectors, split, tasks
from matching.engine import MatchingParams, explain_pairs, match_pool
from matching.engine.unmatched import unmatched_reasons
from matching.heartbeat import Heartbeat
from matching.models import MatchingSettings, MatchRun, Proposal, UnmatchedMentee
from matching.pool import (
    CustomCriterion,
    PoolSnapshot,
    custom_criteria_of,
    pair_planned_end,
    params_with_custom,
    pool_for_association,
)
from matching.run_report import equity_summary, remote_summary
from participants.models import Participant, age_on
from programmes.models import Programme
from programmes.selectors import programme_default_for, programme_visible
from safeguarding import policy

logger = logging.getLogger(__name__)

SETTINGS_FIELDS = (
    "weight_generational", "weight_social", "weight_goals", "weight_geography", "weight_availability",
    "ideal_age_gap", "min_age_gap", "max_age_gap", "max_distance_km", "allow_minor_mentors_for_minors", "periodic_runs",
    "proximity_first", "priority_strength", "allow_shorter_pairs",
)
RUN_ALREADY_ACTIVE = _("Un appariement est déjà en cours pour cette association : attendez qu'il se termine.")
RUN_LOST = _("Interrompu : le serveur de calcul s'est arrêté pendant l'appariement, même après une relance automatique. "
             "Relancez-le ; si cela se reproduit, prévenez l'opérateur de la plateforme.")
RUN_NEVER_STARTED = _("Jamais démarré : aucun serveur de calcul n'a pris en charge cet appariement. Relancez-le.")


def _require_coordinator(user: User | None, association: Association) -> None:
    if user is None or not is_coordinator(user=user, association=association):
        raise PermissionDenied


@transaction.atomic
def matching_settings_update(
    *, association: Association, by: User, programme: Programme | None = None, **values: object,
) -> MatchingSettings:
    """Change the matching settings of ``programme`` (the association's default programme when
    not given); they serve the programme's next run. Preconditions: ``by`` coordinates the
    association and may see the programme (PermissionDenied otherwise)."""
    _require_coordinator(by, association)
    if programme is None:
        programme = programme_default_for(association)
    if programme.association_id != association.pk:
        raise ValueError("The programme belongs to another association.")
    if not programme_visible(user=by, association=association, programme_id=programme.pk):
        raise PermissionDenied  # a coordinator restricted to other programmes
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Unknown matching settings: {sorted(unknown)}")
    # The row is created with the defaults on the first edit (the unique programme column makes a
    # concurrent first edit wait, then find it), then locked: two edits of one programme queue.
    MatchingSettings.objects.get_or_create(programme=programme, defaults={"association": association})
    row = MatchingSettings.objects.select_for_update().get(programme=programme)
    for name, value in values.items():
        setattr(row, name, value)
    errors = {}
    if not any(getattr(row, f"weight_{c}") > 0 for c in ("generational", "social", "goals", "geography", "availability")):
        errors["weight_generational"] = [_("Au moins un critère doit avoir un poids supérieur à zéro.")]
    if not row.min_age_gap <= row.ideal_age_gap <= row.max_age_gap:
        errors["ideal_age_gap"] = [_("L'écart idéal doit être compris entre l'écart minimum et l'écart maximum.")]
    if errors:
        raise ValidationError(errors)
    row.save()
    return row


def params_from_settings(row: MatchingSettings, forbidden_pairs: object = ()) -> MatchingParams:
    return MatchingParams(
        weight_generational=row.weight_generational,
        weight_social=row.weight_social,
        weight_goals=row.weight_goals,
        weight_geography=row.weight_geography,
        weight_availability=row.weight_availability,
        ideal_age_gap=float(row.ideal_age_gap),
        min_age_gap=float(row.min_age_gap),
        max_age_gap=float(row.max_age_gap),
        max_distance_km=float(row.max_distance_km),
        allow_minor_mentors_for_minors=row.allow_minor_mentors_for_minors,
        proximity_first=row.proximity_first,
        priority_strength=MatchingSettings.PRIORITY_FACTORS[row.priority_strength],
        forbidden_pairs=forbidden_pairs,
    )


def params_for_pool(row: MatchingSettings, snapshot: PoolSnapshot) -> MatchingParams:
    """The engine's parameters for a pool: the settings, the pairs never to propose again and the
    programme's sign-up questions used by matching (a run and the demo's rounds build them here)."""
    return params_with_custom(params_from_settings(row, snapshot.forbidden_pairs), snapshot.custom_criteria)


def match_run_request(
    *, association: Association, by: User | None, trigger: str = "manual", retry_of: MatchRun | None = None,
    keep_pending: bool = False, programme: Programme | None = None,
) -> MatchRun:
    """Queue a run for ``association``; the task is sent after commit. ``by`` is None for the
    nightly runs. Refused while another run of the association is queued or running (a run whose
    worker died is recovered first, so it never blocks the association). ``keep_pending``: the
    proposals waiting for a decision stay, the run pairs only the people they leave free
    (``matching.run_options``); otherwise the new run supersedes them. ``programme``: whose
    participants the run pairs (the association's default programme when not given)."""
    if trigger != "periodic":
        _require_coordinator(by, association)
    if programme is None:
        programme = programme_default_for(association)
    if programme.association_id != association.pk:
        raise ValueError("The programme belongs to another association.")
    if by is not None and trigger != "periodic" and not programme_visible(user=by, association=association, programme_id=programme.pk):
        raise PermissionDenied
    match_runs_recover(association=association)
    settings_row = selectors.settings_for(programme)  # the run's own programme's settings
    snapshot = {name: getattr(settings_row, name) for name in SETTINGS_FIELDS if name != "periodic_runs"}
    snapshot[run_options.CUSTOM_CRITERIA] = [c.as_json() for c in custom_criteria_of(programme)]
    if keep_pending:
        snapshot[run_options.KEEP_PENDING] = True
    elif retry_of is not None and run_options.keeps_pending(retry_of):
        snapshot[run_options.KEEP_PENDING] = True  # a retry does what the failed run was asked
    try:
        with transaction.atomic():
            run = MatchRun.objects.create(
                association=association, programme=programme, requested_by=by, trigger=trigger, retry_of=retry_of, params=snapshot,
                stage=_("en file d'attente"),
            )
            outbox.emit(tasks.run_match, run.pk, key=f"match-run:{run.pk}")
    except IntegrityError:  # the partial unique index: one active run per programme
        raise ValidationError(RUN_ALREADY_ACTIVE) from None
    return run


def match_run_retry(*, run: MatchRun, by: User) -> MatchRun:
    if run.status != MatchRun.Status.FAILED:
        raise ValidationError(_("Seul un appariement en échec peut être relancé."))
    return match_run_request(association=run.association, by=by, trigger="retry", retry_of=run, programme=run.programme)


# --- Self-healing -------------------------------------------------------------------------------
# A running run names the execution that holds it (``worker``) and beats (``heartbeat_at``) every
# MATCH_RUN_HEARTBEAT_SECONDS, from a thread, also while the engine computes. Staleness is measured
# from the last beat, never from the start: a run that keeps beating is never declared dead, however
# long it takes. Every state change below is one conditional UPDATE, so a live worker's beat and the
# recovery job can never both win: PostgreSQL re-reads the row's WHERE clause after a lock wait.


def _silent_since(cutoff: datetime) -> Q:
    """Runs whose last sign of life (beat, else start, else creation) is older than ``cutoff``."""
    return (
        Q(heartbeat_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__isnull=True, created_at__lt=cutoff)
    )


def _heartbeat_cutoff(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.MATCH_RUN_HEARTBEAT_TIMEOUT)


def _worker_identity() -> str:
    """Host and process (what an operator looks for in the logs), plus a random part: two
    executions in one process (a redelivery after a restart reused the pid) never share it."""
    return f"{socket.gethostname()[:120]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


@dataclass
class RecoveryOutcome:
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def match_runs_recover(*, association: Association | None = None) -> RecoveryOutcome:
    """Recover the runs whose worker died (every association, or one): a running run silent for
    more than MATCH_RUN_HEARTBEAT_TIMEOUT is re-queued (its task sent again after commit) if it has
    not used its MATCH_RUN_MAX_ATTEMPTS, failed with its reason otherwise; a run queued for more
    than MATCH_RUN_QUEUED_TIMEOUT that no worker took is failed. Run every minute by Celery beat and
    before each new run; safe to run twice and alongside live workers (each change is conditional)."""
    now = timezone.now()
    runs = MatchRun.objects.all() if association is None else MatchRun.objects.filter(association=association)
    outcome = RecoveryOutcome()
    silent = runs.filter(_silent_since(_heartbeat_cutoff(now)), status=MatchRun.Status.RUNNING)
    for run_id in silent.filter(attempts__lt=settings.MATCH_RUN_MAX_ATTEMPTS).values_list("pk", flat=True):
        with transaction.atomic():
            requeued = silent.filter(pk=run_id, attempts__lt=settings.MATCH_RUN_MAX_ATTEMPTS).update(
                status=MatchRun.Status.QUEUED, worker="", heartbeat_at=now, progress=0, stage=_("relancé automatiquement")
            )
            if requeued:
                logger.warning("Match run %s lost its worker: queued again", run_id)
                # In the outbox with the re-queue: a broker that refuses the send neither stops the
                # recovery of the others nor loses this one (relayed when the broker answers).
                outbox.emit(tasks.run_match, run_id)
                outcome.requeued.append(run_id)
    for run_id in silent.values_list("pk", flat=True):
        if silent.filter(pk=run_id).update(status=MatchRun.Status.FAILED, finished_at=now, stage=_("échec"), worker="", error=RUN_LOST):
            logger.error("Match run %s lost its worker again: failed", run_id)
            outcome.failed.append(run_id)
    queued_cutoff = now - timedelta(seconds=settings.MATCH_RUN_QUEUED_TIMEOUT)
    never_started = runs.filter(status=MatchRun.Status.QUEUED).filter(
        Q(heartbeat_at__lt=queued_cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=queued_cutoff)
    )
    for run_id in never_started.values_list("pk", flat=True):
        if never_started.filter(pk=run_id).update(status=MatchRun.Status.FAILED, finished_at=now, stage=_("échec"), error=RUN_NEVER_STARTED):
            outcome.failed.append(run_id)
    return outcome


def match_run_heartbeat(*, run_id: int, worker: str) -> bool:
    """The execution ``worker`` is alive. False when the run is no longer its own (finished,
    failed, or given to another worker by the recovery job)."""
    return bool(
        MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING, worker=worker).update(heartbeat_at=timezone.now())
    )


def _claim(run_id: int, worker: str) -> bool:
    """Take the run for ``worker``: a queued run, or — a task redelivered after its worker died —
    a running run whose heartbeat stopped and which may still be retried. A running run whose
    worker is alive (its heartbeat is recent) is left alone: the redelivered task does nothing."""
    now = timezone.now()
    fields = {
        "status": MatchRun.Status.RUNNING, "worker": worker, "heartbeat_at": now, "started_at": now,
        "attempts": F("attempts") + 1, "stage": _("lecture du vivier"), "progress": 5,
    }
    if MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.QUEUED).update(**fields):
        return True
    return bool(
        MatchRun.objects.filter(_silent_since(_heartbeat_cutoff(now)), pk=run_id, status=MatchRun.Status.RUNNING,
                                attempts__lt=settings.MATCH_RUN_MAX_ATTEMPTS).update(**fields)
    )


def _progress(run_id: int, worker: str, stage: str, progress: int) -> None:
    MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING, worker=worker).update(
        stage=stage, progress=progress, heartbeat_at=timezone.now()
    )


def match_run_execute(*, run_id: int) -> MatchRun | None:
    """Run a queued match run (or resume one whose worker died). Safe to call twice: only the call
    that claims the run does the work, and it writes its proposals only if the run is still its
    own; any failure is recorded on the run with its reason."""
    worker = _worker_identity()
    if not _claim(run_id, worker):
        return None
    run = MatchRun.objects.select_related("association").get(pk=run_id)
    try:
        with Heartbeat(lambda: match_run_heartbeat(run_id=run_id, worker=worker), every=settings.MATCH_RUN_HEARTBEAT_SECONDS):
            _execute(run, worker)
    except SoftTimeLimitExceeded:
        logger.error("Match run %s exceeded its time limit", run_id)
        _fail(run_id, worker, _("Abandonné : le calcul a dépassé la durée maximale de %(minutes)s minutes. "
                                "Relancez-le ; si cela se reproduit, prévenez l'opérateur de la plateforme.")
              % {"minutes": settings.MATCH_RUN_SOFT_TIME_LIMIT // 60})
    except Exception as exc:  # noqa: BLE001 - any failure must end up on the run, visible to staff
        logger.exception("Match run %s failed", run_id)
        _fail(run_id, worker, f"{type(exc).__name__}: {exc}"[:2000] or type(exc).__name__)
    return MatchRun.objects.get(pk=run_id)


def _fail(run_id: int, worker: str, reason: str) -> None:
    MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING, worker=worker).update(
        status=MatchRun.Status.FAILED, error=reason, finished_at=timezone.now(), stage=_("échec")
    )


def _execute(run: MatchRun, worker: str) -> None:
    started = timezone.now()
    # Runs requested before the questions were snapshotted read them now (criteria=None).
    criteria = ([CustomCriterion.from_json(c) for c in run.params[run_options.CUSTOM_CRITERIA]]
                if run_options.CUSTOM_CRITERIA in run.params else None)
    snapshot = pool_for_association(association=run.association, programme=run.programme, now=started,
                                    allow_shorter=bool(run.params.get("allow_shorter_pairs", False)), criteria=criteria)
    if run_options.keeps_pending(run):
        snapshot = run_options.without_pending(snapshot, association_id=run.association_id)
    settings_row = MatchingSettings(association=run.association, **run_options.settings_part(run.params))
    params = params_for_pool(settings_row, snapshot)
    if split.should_split(n_mentees=len(snapshot.mentee_ids), n_mentors=len(snapshot.mentor_ids)):
        # A large pool: its territories go to parallel tasks; the last step writes the proposals.
        split.match_split_start(run=run, worker=worker, snapshot=snapshot, params=params)
        return
    _progress(run.pk, worker, _("calcul des proximités et optimisation"), 30)
    result = match_pool(snapshot.mentees, snapshot.mentors, params)
    _progress(run.pk, worker, _("enregistrement des propositions"), 80)
    explanations = explain_pairs(result.scorer, result.pairs)
    _facts_from_profiles(explanations, snapshot)
    reasons_started = time.perf_counter()
    unmatched = unmatched_reasons(result.scorer, result.pairs)
    reasons_seconds = time.perf_counter() - reasons_started
    run_report = run_report_build(mentees=snapshot.mentees, pairs=result.pairs, explanations=explanations,
                                  unmatched=unmatched)
    report = result.report.as_dict()
    quality = {
        key: report[key]
        for key in ("method", "solver", "objective", "score_total", "priority_total", "upper_bound", "gap_pct",
                    "certified_optimal", "n_admissible", "n_candidates", "rounds")
        if key in report
    }
    quality["timings"] = {"scoring": round(result.scoring_seconds, 3), **{k: round(v, 3) for k, v in report.get("timings", {}).items()},
                          "unmatched_reasons": round(reasons_seconds, 3)}
    _record(
        run_id=run.pk, worker=worker, mentee_ids=snapshot.mentee_ids, mentor_ids=snapshot.mentor_ids,
        capacity_total=int(snapshot.mentors.capacity.sum()) if len(snapshot.mentor_ids) else 0,
        explanations=explanations, quality=quality, unmatched=unmatched, run_report=run_report,
    )


def run_report_build(*, mentees: object, pairs: object, explanations: list[dict], unmatched: list[dict]) -> dict:
    """The run report a coordinator reads (``MatchRun.report``): remote share and distances, match
    rates by group, mentees without a proposal by kind. One function for a run in one piece and a
    split run (``matching.split``)."""
    return {
        "remote": remote_summary([e["facts"] for e in explanations]),
        "equity": equity_summary(mentees, np.asarray(pairs, dtype=np.int64).reshape(-1, 2)[:, 0]),  # type: ignore[arg-type]
        "unmatched": {kind: sum(1 for u in unmatched if u["kind"] == kind) for kind in UnmatchedMentee.Kind.values},
    }


def _record(
    *, run_id: int, worker: str, mentee_ids: list[int], mentor_ids: list[int], capacity_total: int,
    explanations: list[dict], quality: dict, unmatched: list[dict] | None = None, run_report: dict | None = None,
) -> None:
    """Write a run's proposals, its mentees without a proposal and its figures, if the run is still
    ``worker``'s (one path for a run in one piece and for the last step of a split run)."""
    # All or nothing: the old proposals are superseded and the new ones written in one transaction,
    # so a failure half-way (or a worker killed mid-write) leaves the previous proposals intact.
    with transaction.atomic():
        locked = MatchRun.objects.select_for_update(of=("self",)).select_related("association").get(pk=run_id)
        if locked.status != MatchRun.Status.RUNNING or locked.worker != worker:
            return  # the recovery job gave the run to another worker meanwhile: its result wins
        association = locked.association
        # A new run replaces every proposal of its programme still waiting for a decision (unless
        # asked to keep them); the other programmes' proposals stay.
        if not run_options.keeps_pending(locked):
            Proposal.objects.filter(association=association, mentee__programme_id=locked.programme_id, status=Proposal.Status.PROPOSED).update(
                status=Proposal.Status.SUPERSEDED
            )
        Proposal.objects.bulk_create(
            [
                Proposal(
                    run=locked, association=association,
                    mentee_id=mentee_ids[int(e["mentee"])], mentor_id=mentor_ids[int(e["mentor"])],
                    score=min(max(float(e["score"]), 0.0), 1.0), priority=float(e["priority"]),
                    breakdown={"criteria": e["criteria"], "facts": e["facts"]},
                )
                for e in explanations
            ],
            batch_size=1000,
        )
        UnmatchedMentee.objects.bulk_create(
            [
                UnmatchedMentee(
                    run=locked, association=association, mentee_id=mentee_ids[u["mentee"]], kind=u["kind"],
                    constraint=u["constraint"] or "", n_possible=u["n_possible"],
                    details={k: u[k] for k in ("n_free", "removed", "sole", "nearest_km", "max_distance_km")},
                )
                for u in unmatched or ()
            ],
            batch_size=1000,
        )
        locked.report = run_report or {}
        locked.status = MatchRun.Status.DONE
        locked.finished_at = timezone.now()
        locked.heartbeat_at = locked.finished_at
        locked.stage = _("terminé")
        locked.progress = 100
        locked.n_mentees = len(mentee_ids)
        locked.n_mentors = len(mentor_ids)
        locked.capacity_total = capacity_total
        locked.n_proposals = len(explanations)
        locked.quality = quality
        locked.save()

def _facts_from_profiles(explanations: list[dict], snapshot: PoolSnapshot) -> None:
    """Facts the engine can only approximate, recounted from the profiles: the age gap in whole
    years between the two birth dates, as people count it (the mentor's age on the day the mentee
    was born), and whether a distance rests on an estimated position ("environ")."""
    for e in explanations:
        i, j = int(e["mentee"]), int(e["mentor"])
        facts = e["facts"]
        if snapshot.mentee_birth_dates and snapshot.mentor_birth_dates:
            older, younger = snapshot.mentor_birth_dates[j], snapshot.mentee_birth_dates[i]
            facts["age_gap_years"] = age_on(older, younger) if older <= younger else -age_on(younger, older)
        if snapshot.mentee_place_estimated.size and snapshot.mentor_place_estimated.size:
            facts["distance_estimated"] = bool(snapshot.mentee_place_estimated[i] or snapshot.mentor_place_estimated[j])
        if snapshot.mentor_short_horizons and snapshot.mentor_short_horizons[j]:
            facts["short_horizon"] = snapshot.mentor_short_horizons[j]  # a shorter pair the association allows
        # the answers to the questions used by matching, with their labels as they read today
        codes = facts.pop("custom", None) or []
        if not snapshot.custom_criteria:
            continue
        facts["custom"] = [
            {"question_id": c.question_id, "label": c.label, "criterion": c.criterion,
             "mentee": c.choice_labels[x] if x >= 0 else None, "mentor": c.choice_labels[y] if y >= 0 else None,
             "match": None if x < 0 or y < 0 else bool(c.accept[x, y])}
            for c, (x, y) in zip(snapshot.custom_criteria, codes, strict=True)
        ]


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _check_pair_under_locks(*, mentee: Participant, mentor: Participant, on: date) -> int:
    """Raise the reason this pair may not be born now; return the mentor's open binômes.

    The one list of checks of approval and of a mentor swap. Precondition: both participants'
    rows are locked (``select_for_update``) by the caller, so a vetting recorded, a consent
    withdrawn or a birth date edited waits for the caller's transaction (they lock the same rows),
    and an attestation that lapsed since the run is seen here."""
    refusal = policy.pairing_refusal(mentee=mentee, mentor=mentor, on=on)
    if refusal:
        raise ValidationError(refusal, code="safeguarding")
    if Binome.objects.filter(mentee=mentee, status__in=Binome.OPEN_STATUSES).exists():
        raise ValidationError(_("%(name)s a déjà un binôme en cours.") % {"name": mentee.display_name})
    load = Binome.objects.filter(mentor=mentor, status__in=Binome.OPEN_STATUSES).count()
    if load >= (mentor.capacity or 0):
        raise ValidationError(
            _("%(name)s accompagne déjà %(n)s personne(s), sa capacité est atteinte.") % {"name": mentor.display_name, "n": load}
        )
    return load


@transaction.atomic
def proposal_approve(*, proposal: Proposal, by: User) -> Binome:
    """Approve a proposal: the binôme is created, or a clear error says why it cannot be.

    Lock order, the same for every approval: the two participants' rows (primary-key order), then
    the proposal. Approvals that share a mentor or a mentee therefore queue on the participant
    rows, and the one that comes second sees the first one's binôme (or its proposal superseded).
    Only the rows themselves are locked (``of=("self",)``), never the association they join.
    """
    _require_coordinator(by, proposal.association)
    people = {
        p.pk: p
        for p in Participant.objects.select_for_update(of=("self",))
        .select_related("membership__user", "programme")
        .prefetch_related("consents")
        .filter(pk__in=[proposal.mentee_id, proposal.mentor_id])
        .order_by("pk")
    }
    locked = Proposal.objects.select_for_update(of=("self",)).select_related("association").get(pk=proposal.pk)
    if locked.status != Proposal.Status.PROPOSED:
        raise ValidationError(_("Cette proposition a déjà été traitée (%(status)s).") % {"status": locked.get_status_display()})
    mentee, mentor = people[locked.mentee_id], people[locked.mentor_id]
    if not programme_visible(user=by, association=locked.association, programme_id=mentee.programme_id):
        raise PermissionDenied  # a coordinator restricted to other programmes
    today = timezone.localdate()
    load = _check_pair_under_locks(mentee=mentee, mentor=mentor, on=today)
    try:
        with transaction.atomic():
            binome = Binome.objects.create(
                association=locked.association, mentor=mentor, mentee=mentee, started_on=today,
                planned_end_on=pair_planned_end(mentee.programme, today), created_by=by,
            )
    except IntegrityError:  # the partial unique index, should a path without the locks ever exist
        raise ValidationError(_("%(name)s a déjà un binôme en cours.") % {"name": mentee.display_name}) from None
    locked.status = Proposal.Status.APPROVED
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    if load + 1 >= (mentor.capacity or 0):
        # The mentor is now full: their other waiting proposals can no longer be approved.
        Proposal.objects.filter(mentor=mentor, status=Proposal.Status.PROPOSED).update(status=Proposal.Status.SUPERSEDED)
    outbox.emit(binome_tasks.send_introduction, binome.pk, key=f"binome-introduction:{binome.pk}")
    return binome


@transaction.atomic
def proposal_swap_mentor(*, proposal: Proposal, mentor: Participant, by: User) -> Proposal:
    """Give this waiting proposal another mentor, after every rule an approval checks.

    Preconditions: ``by`` coordinates the proposal's association, ``mentor`` is one of its
    validated mentors. Locks, in the same order as an approval: the participants' rows (the
    mentee, the old and the new mentor, primary-key order), then the proposal. Under those locks
    the pair is checked as an approval would (safeguarding policy, the mentee's open binôme, the
    mentor's capacity), then by the engine's hard constraints (age gap, languages, format and
    distance, same-gender wish, a pair refused or ended before). The proposal keeps its run and
    priority; its score and explanation become the new pair's, and the swap is recorded in it.
    """
    from matching.alternatives import CONSTRAINT_LABELS, score_mentors

    _require_coordinator(by, proposal.association)
    if not programme_visible(user=by, association=proposal.association, programme_id=proposal.mentee.programme_id):
        raise PermissionDenied  # a coordinator restricted to other programmes
    if mentor.association_id != proposal.association_id or mentor.role != Participant.Role.MENTOR:
        raise ValidationError(_("Choisissez un mentor de l'association."))
    if mentor.programme_id != proposal.mentee.programme_id:
        raise ValidationError(_("Choisissez un mentor du même programme."))
    people = {
        p.pk: p
        for p in Participant.objects.select_for_update(of=("self",))
        .select_related("membership__user", "commune", "association")
        .prefetch_related("consents")
        .filter(pk__in=[proposal.mentee_id, proposal.mentor_id, mentor.pk])
        .order_by("pk")
    }
    locked = Proposal.objects.select_for_update(of=("self",)).select_related("association").get(pk=proposal.pk)
    if locked.status != Proposal.Status.PROPOSED:
        raise ValidationError(_("Cette proposition a déjà été traitée (%(status)s).") % {"status": locked.get_status_display()})
    if locked.mentor_id == mentor.pk:
        raise ValidationError(_("%(name)s est déjà le mentor de cette proposition.") % {"name": mentor.display_name})
    mentee, new_mentor = people[locked.mentee_id], people[mentor.pk]
    _check_pair_under_locks(mentee=mentee, mentor=new_mentor, on=timezone.localdate())
    (candidate,) = score_mentors(mentee=mentee, mentors=[new_mentor])
    broken = candidate.explanation["violations"]
    if broken:
        raise ValidationError(
            _("Binôme impossible : %(reasons)s.") % {"reasons": "; ".join(str(CONSTRAINT_LABELS.get(v, v)) for v in broken)},
            code="constraint",
        )
    if candidate.refusal:  # the pool's mentor rule (paused after an early end, available too short)
        raise ValidationError(candidate.refusal, code="constraint")
    previous = locked.mentor_id
    locked.mentor = new_mentor
    locked.score = candidate.score
    locked.breakdown = {
        **candidate.breakdown,
        "swap": {"from_mentor": previous, "by": by.pk, "at": timezone.now().isoformat()},
    }
    locked.save(update_fields=["mentor", "score", "breakdown"])
    return locked


def proposals_supersede_with_minors(*, mentor: Participant, on: date) -> int:
    """The mentor's open proposals with a minor mentee can no longer be approved as computed (their
    vetting was recorded again, or lapsed): they are superseded; a new run proposes again."""
    from safeguarding.policy import MAJORITY, latest_birth_date_aged

    return Proposal.objects.filter(
        mentor=mentor, status=Proposal.Status.PROPOSED, mentee__birth_date__gt=latest_birth_date_aged(MAJORITY, on)
    ).update(status=Proposal.Status.SUPERSEDED)


@transaction.atomic
def proposal_reject(*, proposal: Proposal, by: User, reason: str) -> Proposal:
    """Reject a proposal; this pair is never proposed again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez la raison du refus : elle évite de reproposer ce binôme.")})
    _require_coordinator(by, proposal.association)
    if not programme_visible(user=by, association=proposal.association, programme_id=proposal.mentee.programme_id):
        raise PermissionDenied  # a coordinator restricted to other programmes
    locked = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
    if locked.status != Proposal.Status.PROPOSED:
        raise ValidationError(_("Cette proposition a déjà été traitée (%(status)s).") % {"status": locked.get_status_display()})
    locked.status = Proposal.Status.REJECTED
    locked.rejection_reason = reason
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.save(update_fields=["status", "rejection_reason", "decided_at", "decided_by"])
    return locked


@dataclass
class BulkOutcome:
    done: list[Proposal] = field(default_factory=list)
    errors: list[tuple[Proposal, str]] = field(default_factory=list)


def proposal_bulk_decide(*, proposals: Iterable[Proposal], by: User, approve: bool, reason: str = "") -> BulkOutcome:
    """Approve or reject several proposals, each in its own transaction: one conflict does not
    undo the others, and each failure comes back with its reason. Best scores first."""
    if not approve and not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez la raison du refus : elle évite de reproposer ces binômes.")})
    outcome = BulkOutcome()
    for proposal in sorted(proposals, key=lambda p: (-p.score, p.pk)):
        try:
            if approve:
                proposal_approve(proposal=proposal, by=by)
            else:
                proposal_reject(proposal=proposal, by=by, reason=reason)
        except ValidationError as exc:
            outcome.errors.append((proposal, " ".join(exc.messages)))
        else:
            outcome.done.append(proposal)
    return outcome


def periodic_match_runs_request() -> int:
    """Queue a run for every programme (of an active association) whose settings switch periodic
    runs on; returns how many.
    Runs whose worker died are recovered first: a stuck run is re-queued or failed, so it never
    makes the nightly job skip its association for ever."""
    match_runs_recover()
    queued = 0
    programmes = Programme.objects.filter(
        association__status=Association.Status.ACTIVE, matching_settings__periodic_runs=True
    ).exclude(match_runs__status__in=MatchRun.ACTIVE_STATUSES).select_related("association")
    for programme in programmes:
        try:
            match_run_request(association=programme.association, by=None, trigger="periodic", programme=programme)
        except ValidationError:
            continue  # a coordinator started one in between
        queued += 1
    return queued
