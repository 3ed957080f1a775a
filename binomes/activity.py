"""Writes of the members' activity: meetings, monthly check-ins, the end-of-programme survey."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from binomes import lifecycle
from binomes.attention import binome_attention_refresh
from binomes.models import Binome, CheckIn, EndSurvey, Meeting
from safeguarding import policy
from safeguarding.models import TextReview
from safeguarding.screening import screen_text
from safeguarding.services import text_review_open

# The end survey opens this long before the planned end (and stays open after it).
SURVEY_OPENS_BEFORE_END = timedelta(days=21)


def _require_running_member(binome: Binome, user: User) -> str:
    role = binome.member_role(user.pk)
    if role is None:
        raise PermissionDenied
    if binome.status not in Binome.RUNNING_STATUSES:
        raise ValidationError(_("Ce binôme n'est plus en cours (%(status)s).") % {"status": binome.get_status_display()})
    return role


@transaction.atomic
def meeting_log(*, binome: Binome, by: User, happened_on: date, duration_minutes: int, format: str,  # noqa: A002
                topics: list[str], note: str = "") -> Meeting:
    _require_running_member(binome, by)
    fresh = (Binome.objects.select_related("mentor__membership__user", "mentee__membership__user")
             .prefetch_related("mentor__consents", "mentee__consents").get(pk=binome.pk))
    refusal = policy.messaging_refusal(user=by, binome=fresh, on=timezone.localdate())
    if refusal:  # a meeting log is writing to the other member too: the same rule as messages
        raise ValidationError(refusal, code="safeguarding")
    errors: dict[str, list[str]] = {}
    if happened_on > timezone.localdate():
        errors["happened_on"] = [_("La rencontre ne peut pas être dans le futur.")]
    elif happened_on < binome.started_on:
        errors["happened_on"] = [_("La rencontre est antérieure au début du binôme (%(d)s).") % {"d": binome.started_on.strftime("%d/%m/%Y")}]
    if not 5 <= duration_minutes <= 600:
        errors["duration_minutes"] = [_("Indique une durée entre 5 minutes et 10 heures.")]
    if errors:
        raise ValidationError(errors)
    note = (note or "").strip()
    meeting = Meeting.objects.create(binome=binome, logged_by=by, happened_on=happened_on, duration_minutes=duration_minutes,
                                     format=format, topics=topics, note=note)
    # The other member reads the note (API): screened like every text written for them.
    text_review_open(kind=TextReview.Kind.MEETING_NOTE, author=by, association=binome.association, text=note,
                     screening=screen_text(text=note, association=binome.association), meeting=meeting)
    # The meeting counts as activity from the day it happened (never moves activity backwards).
    moment = timezone.make_aware(timezone.datetime.combine(happened_on, timezone.datetime.min.time()))
    Binome.objects.filter(pk=binome.pk, last_activity_at__lt=moment).update(last_activity_at=moment)
    binome_attention_refresh(binome_id=binome.pk)
    return meeting


def current_month(today: date | None = None) -> date:
    return (today or timezone.localdate()).replace(day=1)


def check_in_answer(*, binome: Binome, by: User, rating: int, comment: str = "") -> CheckIn:
    _require_running_member(binome, by)
    if rating not in CheckIn.Rating.values:
        raise ValidationError({"rating": _("Choisis une réponse.")})
    try:
        with transaction.atomic():
            answer = CheckIn.objects.create(binome=binome, user=by, month=current_month(), rating=rating, comment=(comment or "").strip())
            binome_attention_refresh(binome_id=binome.pk)  # a poor answer changes the health
            return answer
    except IntegrityError:  # the unique (binome, user, month) index
        raise ValidationError(_("Tu as déjà répondu ce mois-ci : merci !")) from None


def check_in_due(*, binome: Binome, user: User) -> bool:
    return binome.status in Binome.RUNNING_STATUSES and not CheckIn.objects.filter(binome=binome, user=user, month=current_month()).exists()


def end_survey_open(binome: Binome, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return binome.status in Binome.RUNNING_STATUSES and today >= binome.planned_end_on - SURVEY_OPENS_BEFORE_END


@transaction.atomic
def end_survey_answer(*, binome: Binome, by: User, answers: dict[str, Any]) -> EndSurvey:
    """Record one member's end survey; when both have answered, the binôme continues (both wish
    to) or completes."""
    role = _require_running_member(binome, by)
    if not end_survey_open(binome):
        raise ValidationError(_("Le questionnaire de fin ouvre trois semaines avant la fin prévue (%(d)s).") % {
            "d": binome.planned_end_on.strftime("%d/%m/%Y")})
    fields = {
        "satisfaction": answers["satisfaction"], "would_recommend": answers["would_recommend"],
        "wish_to_continue": bool(answers["wish_to_continue"]),
    }
    if role == "mentee":
        fields.update(confidence_before=answers["confidence_before"], confidence_now=answers["confidence_now"],
                      brought=list(answers.get("brought") or []), wish_to_become_mentor=answers.get("wish_to_become_mentor"))
    try:
        with transaction.atomic():
            survey = EndSurvey.objects.create(binome=binome, user=by, role=role, horizon=binome.planned_end_on, **fields)
    except IntegrityError:
        raise ValidationError(_("Tu as déjà répondu au questionnaire de fin : merci !")) from None
    surveys = list(EndSurvey.objects.filter(binome=binome, horizon=binome.planned_end_on))
    if len({s.role for s in surveys}) == 2:
        if all(s.wish_to_continue for s in surveys):
            lifecycle.binome_continue(binome=binome, by=by)
        else:
            lifecycle.binome_complete(binome=binome, by=by)
    return survey
