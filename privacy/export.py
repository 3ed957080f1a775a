"""A person's data (RGPD art. 15 and 20), scoped to them: their account, each of their profiles,
consents, binômes (the partner's first name only), their own messages (never the partner's),
meetings, planned meetings, check-ins, end surveys and reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Q

from accounts.models import User
from agenda.models import PlannedMeeting
from binomes.models import CheckIn, EndSurvey, Meeting, Message, Report
from participants.models import Consent, Participant
from programmes.questions import answers_shown
from reporting.models import TargetPublic

PROFILE_FIELDS = (
    "role", "status", "created_at", "validated_at", "birth_date", "gender", "commune_id", "education", "field",
    "qpv_resident", "boursier", "first_generation", "parents_pcs", "goals", "goals_text", "languages", "availability",
    "meeting_format", "prefers_same_gender", "capacity", "help_with", "path_text", "vetting_issued_on",
    "vetting_verified_on", "vetting_expires_on", "parent_name", "parent_email",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _participant(participant: Participant, user: User) -> dict[str, Any]:
    binome_q = Q(binome__mentor=participant) | Q(binome__mentee=participant)
    binomes = [*participant.binomes_as_mentor.select_related("mentee__membership__user"),
               *participant.binomes_as_mentee.select_related("mentor__membership__user")]
    return {
        "association": participant.association.name,
        "profile": {name: _plain(getattr(participant, name)) for name in PROFILE_FIELDS},
        "consents": [{"kind": c.kind, "notice_version": c.notice_version, "accepted_at": _plain(c.accepted_at),
                      "given_by_name": c.given_by_name, "confirmed_at": _plain(c.confirmed_at),
                      "refused_at": _plain(c.refused_at), "withdrawn_at": _plain(c.withdrawn_at)}
                     for c in Consent.objects.filter(participant=participant).order_by("accepted_at")],
        # The optional funder answers are the person's own (a coordinator never exports them).
        "funder_answers": [{"ase": t.ase, "disability": t.disability, "updated_at": _plain(t.updated_at)}
                           for t in TargetPublic.objects.filter(participant=participant, consent__isnull=False)],
        # their answers to the programme's own sign-up questions (issue 12)
        "programme_answers": [{"question": a.label, "answer": a.text} for a in answers_shown(participant=participant)],
        "binomes": [{"id": b.pk, "partner_first_name": (b.mentee if b.mentor_id == participant.pk else b.mentor).membership.user.first_name,
                     "my_role": "mentor" if b.mentor_id == participant.pk else "mentee", "status": b.status,
                     "started_on": _plain(b.started_on), "planned_end_on": _plain(b.planned_end_on), "ended_on": _plain(b.ended_on)}
                    for b in binomes],
        "my_messages": [{"binome": m.binome_id, "sent_at": _plain(m.created_at), "body": m.body}
                        for m in Message.objects.filter(binome_q, sender=user).order_by("created_at")],
        "meetings": [{"binome": m.binome_id, "date": _plain(m.happened_on), "duration_minutes": m.duration_minutes,
                      "format": m.format, "topics": m.topics, "note": m.note if m.logged_by_id == user.pk else "",
                      "logged_by_me": m.logged_by_id == user.pk}
                     for m in Meeting.objects.filter(binome_q).order_by("happened_on")],
        "planned_meetings": [{"binome": p.binome_id, "starts_at": _plain(p.starts_at), "duration_minutes": p.duration_minutes,
                              "where": p.where, "topic": p.topic, "status": p.status}
                             for p in PlannedMeeting.objects.filter(binome_q).select_related("place").order_by("starts_at")],
        "check_ins": [{"binome": c.binome_id, "month": _plain(c.month), "rating": c.rating, "comment": c.comment}
                      for c in CheckIn.objects.filter(binome_q, user=user).order_by("month")],
        "end_surveys": [{"binome": s.binome_id, "horizon": _plain(s.horizon), "satisfaction": s.satisfaction,
                         "would_recommend": s.would_recommend, "confidence_before": s.confidence_before,
                         "confidence_now": s.confidence_now, "brought": s.brought, "wish_to_continue": s.wish_to_continue,
                         "wish_to_become_mentor": s.wish_to_become_mentor}
                        for s in EndSurvey.objects.filter(binome_q, user=user)],
        "my_reports": [{"binome": r.binome_id, "at": _plain(r.created_at), "reason": r.reason}
                       for r in Report.objects.filter(binome_q, reporter=user)],
    }


def person_data(*, user: User, participants: list[Participant] | None = None) -> dict[str, Any]:
    """Everything about ``user`` (or only the given profiles, for a parent's request)."""
    if participants is None:
        participants = list(Participant.objects.filter(membership__user=user).select_related("association"))
    return {
        "account": {"email": user.email, "first_name": user.first_name, "last_name": user.last_name,
                    "date_joined": _plain(user.date_joined), "last_login": _plain(user.last_login), "language": user.language},
        "profiles": [_participant(p, user) for p in participants],
    }
