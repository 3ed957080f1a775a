"""Issue 13, "une bonne fin": the approach of the planned end, and the closing step of every ending.

* Thirty days before the planned end of a running binôme, both members are invited (an e-mail
  through the outbox, and a notice on their binôme page) to plan a last meeting (the agenda's
  propose form) and to write a goodbye message. One invitation per binôme and horizon
  (``EndingInvitation``): the nightly job is safe twice, a continued binôme is invited again.
* Every binôme that ended (completed or ended early; a continued one when it finally ends) has a
  closing step: the coordinator records a closing interview with each member (date, by whom, a
  structured reason, a note; one per member, a database constraint), and the end survey the
  members answer (``EndSurvey``, shown here, not rebuilt). Until both interviews are recorded the
  binôme is "Clôture à faire" for the coordinators. The members never see the interviews.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

import outbox
from accounts.models import User
from associations.models import Association
from associations.services import is_coordinator
from binomes import tasks
from binomes.models import Binome, ClosingInterview, EndingInvitation, EndSurvey

ENDING_NOTICE_BEFORE = timedelta(days=30)  # a month to plan a last meeting and say goodbye
BATCH = 500
CLOSED = (Binome.Status.COMPLETED, Binome.Status.ENDED_EARLY)


# --- The approach of the planned end -----------------------------------------------------------


def ending_is_near(*, binome: Binome, today: date | None = None) -> bool:
    """True for a running binôme whose planned end is at most a month away (the member's notice)."""
    today = today or timezone.localdate()
    return binome.status in Binome.RUNNING_STATUSES and binome.planned_end_on - today <= ENDING_NOTICE_BEFORE


@transaction.atomic
def ending_invitations(now=None) -> int:  # noqa: ANN001
    """The nightly job: invite both members of each running binôme a month before its planned end,
    once per horizon. The invitation row and the e-mail (outbox) are written together; a second
    run finds every due binôme already invited (the unique constraint decides a race)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = list(
        Binome.objects.filter(status__in=Binome.RUNNING_STATUSES, planned_end_on__lte=today + ENDING_NOTICE_BEFORE,
                              planned_end_on__gte=today)
        .exclude(Exists(EndingInvitation.objects.filter(binome=OuterRef("pk"), horizon=OuterRef("planned_end_on"))))
        .values_list("pk", "planned_end_on")[:BATCH]
    )
    sent = 0
    for binome_id, horizon in due:
        try:
            with transaction.atomic():
                EndingInvitation.objects.create(binome_id=binome_id, horizon=horizon, sent_at=now)
        except IntegrityError:
            continue  # another run invited it meanwhile
        outbox.emit(tasks.send_ending_invitation, binome_id, key=f"ending-invitation:{binome_id}:{horizon.isoformat()}")
        sent += 1
    return sent


# --- The closing step ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClosingStep:
    binome: Binome
    interviews: dict[str, ClosingInterview]  # role -> interview
    surveys: dict[str, EndSurvey]  # role -> the member's end survey (latest horizon answered)

    @property
    def needed(self) -> bool:
        return self.binome.status in CLOSED

    @property
    def missing(self) -> list[str]:
        return [role for role in ("mentor", "mentee") if role not in self.interviews]

    @property
    def done(self) -> bool:
        return self.needed and not self.missing


def _require_coordinator(user: User, association: Association) -> None:
    if not is_coordinator(user=user, association=association):
        raise PermissionDenied


def closing_binome_get(*, user: User, association: Association, binome_id: int) -> Binome:
    """A binôme of ``association`` for one of its coordinators who may see its programme (Http404
    for anyone else)."""
    if not is_coordinator(user=user, association=association):
        raise Http404
    from programmes.selectors import scope

    binome = (scope(Binome.objects.filter(pk=binome_id, association=association), user=user, association=association,
                    via="mentee__programme")
              .select_related("association", "mentor__membership__user", "mentee__membership__user").first())
    if binome is None:
        raise Http404
    return binome


def closing_step_for(*, binome: Binome) -> ClosingStep:
    """The binôme's closing step (two queries). Callers have checked the coordinator."""
    interviews = {i.role: i for i in ClosingInterview.objects.filter(binome=binome).select_related("held_by")}
    surveys: dict[str, EndSurvey] = {}
    for survey in EndSurvey.objects.filter(binome=binome).order_by("horizon", "pk"):
        surveys[survey.role] = survey  # the latest horizon wins
    return ClosingStep(binome=binome, interviews=interviews, surveys=surveys)


def _interviewed(role: str) -> Exists:
    return Exists(ClosingInterview.objects.filter(binome=OuterRef("pk"), role=role))


#: an ended binôme whose closing step is incomplete: an interview missing with either member
CLOSING_TO_DO = Q(status__in=CLOSED) & (~_interviewed("mentor") | ~_interviewed("mentee"))


def closing_todo(*, user: User, association: Association) -> QuerySet[Binome]:
    """"Clôture à faire": the association's ended binômes without both closing interviews, the
    oldest ending first, of the programmes ``user`` may see. One query (two EXISTS on the interviews'
    unique index)."""
    from programmes.selectors import scope

    _require_coordinator(user, association)
    return (
        scope(Binome.objects.filter(CLOSING_TO_DO, association=association), user=user, association=association,
              via="mentee__programme")
        .select_related("mentor__membership__user", "mentee__membership__user")
        .order_by("ended_on", "pk")
    )


def closing_todo_count(*, association: Association) -> int:
    return Binome.objects.filter(CLOSING_TO_DO, association=association).count()


@transaction.atomic
def closing_interview_record(*, binome: Binome, by: User, role: str, held_on: date, held_by: User | None = None,
                             reason: str, note: str = "") -> ClosingInterview:
    """Record the closing interview with one member of an ended binôme. Preconditions: ``by``
    coordinates the binôme's association; ``held_by`` (default ``by``) too. Refused before the end,
    in the future, before the binôme started, or a second time for the same member (the
    constraint ``closing_interview_once_per_member`` decides a race)."""
    locked = Binome.objects.select_for_update(of=("self",)).select_related("association").get(pk=binome.pk)
    _require_coordinator(by, locked.association)
    held_by = held_by or by
    errors: dict[str, list[str]] = {}
    if locked.status not in CLOSED:
        raise ValidationError(_("L'entretien de clôture se fait une fois le binôme terminé ou arrêté."))
    if role not in ClosingInterview.Role.values:
        errors["role"] = [_("Choisissez le mentor ou le ou la mentoré·e.")]
    if not is_coordinator(user=held_by, association=locked.association):
        errors["held_by"] = [_("Choisissez une personne de la coordination de l'association.")]
    if reason not in ClosingInterview.Reason.values:
        errors["reason"] = [_("Choisissez une raison dans la liste.")]
    note = (note or "").strip()
    if reason == ClosingInterview.Reason.OTHER and not note:
        errors["note"] = [_("Précisez la raison dans la note.")]
    if held_on > timezone.localdate():
        errors["held_on"] = [_("La date de l'entretien ne peut pas être dans le futur.")]
    elif held_on < locked.started_on:
        errors["held_on"] = [_("La date de l'entretien ne peut pas précéder le début du binôme.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return ClosingInterview.objects.create(binome=locked, role=role, held_on=held_on, held_by=held_by, reason=reason,
                                                   note=note, recorded_by=by)
    except IntegrityError:
        raise ValidationError(_("L'entretien de clôture avec cette personne est déjà enregistré.")) from None
