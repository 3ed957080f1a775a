"""Simulated binôme life for the demo and the benchmarks: a matching run, approved pairs that
started over the past months, and their messages, meetings, check-ins and end surveys.

Rows are bulk-inserted (tens of thousands of messages in seconds); nothing here is used by the
product itself.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from associations.models import Association
from binomes.attention import association_attention_refresh
from binomes.models import Binome, CheckIn, EndSurvey, Meeting, Message
from binomes.safeguarding import detect_contact_details
from matching.engine import explain_pairs, match_pool
from matching.models import MatchRun, Proposal
from matching.pool import pool_for_association
from matching.selectors import settings_for
from matching.services import add_months, params_for_pool
from participants.models import Participant
from programmes.models import Programme

LINES = [
    "Bonjour ! Ravi·e de faire ta connaissance, tu es dispo quand pour une première rencontre ?",
    "Samedi après-midi à la médiathèque, ça te va ?",
    "J'ai regardé les formations dont tu m'as parlé, on en discute ?",
    "Merci pour tes conseils sur Parcoursup, j'ai avancé sur mes vœux.",
    "Tu as pu relire ma lettre de motivation ?",
    "Oui, je t'ai mis quelques remarques, c'est déjà très bien !",
    "J'ai eu 15/20 au contrôle de maths, la méthode a marché 😊",
    "Je passe un entretien pour le stage mardi, je suis stressé·e.",
    "Tu vas assurer. Prépare deux exemples de ce que tu as fait au lycée.",
    "On se voit à 14h30 devant le CDI ?",
    "Désolé·e, je suis malade cette semaine, on décale ?",
    "Pas de souci, reprends des forces !",
    "J'ai été pris·e en BTS !!",
    "Bravo, tu l'as bien mérité.",
    "Ajoute moi sur insta c'est plus simple : nina.k93",
    "Tu connais l'ONISEP ? Il y a des fiches métiers très claires.",
]
TOPICS = [t.value for t in Meeting.Topic]


def _moment(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(9, 21), rng.randint(0, 59))))


def simulate_binome_life(*, association: Association, rng: random.Random, share: float = 0.8, rounds: int = 1) -> int:
    """Match the association's pool and give the chosen pairs a plausible history, in ``rounds``
    successive matchings spread over the past year (the first ones are over by now, which frees
    mentors for the next). Returns the number of binômes created."""
    created = 0
    programmes = list(Programme.objects.filter(association=association).order_by("-is_default", "pk"))
    for index in range(rounds):
        oldest = 330 - index * (330 // rounds)
        # One matching per programme, as the product runs it: a pair never crosses programmes,
        # and each programme's own settings and duration apply.
        for programme in programmes:
            created += _simulate_round(association=association, programme=programme, rng=rng, share=share,
                                       window=(max(5, oldest - 330 // rounds), oldest))
    return created


@transaction.atomic
def _simulate_round(*, association: Association, programme: Programme, rng: random.Random, share: float,
                    window: tuple[int, int]) -> int:
    now = timezone.now()
    today = timezone.localdate()
    snapshot = pool_for_association(association=association, programme=programme, now=now)
    if not snapshot.mentee_ids or not snapshot.mentor_ids:
        return 0
    settings_row = settings_for(programme)
    result = match_pool(snapshot.mentees, snapshot.mentors, params_for_pool(settings_row, snapshot))
    explanations = explain_pairs(result.scorer, result.pairs)
    run = MatchRun.objects.create(association=association, programme=programme, status=MatchRun.Status.DONE, stage="terminé", progress=100,
                                  started_at=now, finished_at=now, n_mentees=len(snapshot.mentee_ids), n_mentors=len(snapshot.mentor_ids),
                                  n_proposals=len(explanations), quality={"objective": result.report.objective, "upper_bound": result.report.upper_bound,
                                                                          "gap_pct": result.report.gap_pct, "certified_optimal": result.report.certified_optimal})
    duration = programme.duration_months
    binomes, proposals = [], []
    validated = dict(Participant.objects.filter(pk__in=snapshot.mentee_ids + snapshot.mentor_ids).values_list("pk", "validated_at"))
    for e in explanations:
        if rng.random() > share:
            continue
        mentee_id, mentor_id = snapshot.mentee_ids[int(e["mentee"])], snapshot.mentor_ids[int(e["mentor"])]
        # A pair starts after both were validated, within a few weeks typically.
        ready = timezone.localdate(max(validated[mentee_id], validated[mentor_id]))
        started = min(today, max(ready + timedelta(days=rng.randint(3, 30)), today - timedelta(days=rng.randint(*window))))
        planned_end = add_months(started, duration)
        status, ended_on, reason_code, continued = Binome.Status.ACTIVE, None, "", 0
        if rng.random() < 0.12:  # ended early, some weeks in
            status, reason_code = Binome.Status.ENDED_EARLY, rng.choice(["no_time", "moved", "mismatch", "no_contact"])
            ended_on = min(today, started + timedelta(days=rng.randint(20, 120)))
        elif planned_end <= today:
            if rng.random() < 0.25:
                status, continued, planned_end = Binome.Status.CONTINUED, 1, add_months(planned_end, duration)
                if planned_end <= today:
                    status, ended_on = Binome.Status.COMPLETED, planned_end
            else:
                status, ended_on = Binome.Status.COMPLETED, planned_end
        binomes.append(Binome(association=association, mentee_id=mentee_id, mentor_id=mentor_id, status=status, started_on=started,
                              planned_end_on=planned_end, ended_on=ended_on, end_reason_code=reason_code, continued_count=continued,
                              created_at=_moment(started, rng)))
        proposals.append(Proposal(run=run, association=association, mentee_id=mentee_id, mentor_id=mentor_id,
                                  score=min(max(float(e["score"]), 0.0), 1.0), priority=float(e["priority"]),
                                  breakdown={"criteria": e["criteria"], "facts": e["facts"]}, status=Proposal.Status.APPROVED,
                                  decided_at=_moment(started, rng)))
    first_new_pk = (Binome.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    Binome.objects.bulk_create(binomes, batch_size=1000)
    Proposal.objects.bulk_create(proposals, batch_size=1000)
    saved = list(Binome.objects.filter(association=association, pk__gte=first_new_pk).select_related("mentor__membership", "mentee__membership").order_by("pk"))
    messages, meetings, check_ins, surveys = [], [], [], []
    for b in saved:
        until = min(today, b.ended_on or today)
        users = (b.mentor.membership.user_id, b.mentee.membership.user_id)
        lively = rng.random()  # some pairs talk a lot, some fade away
        last = _moment(b.started_on, rng)
        day = b.started_on
        while day < until:
            day += timedelta(days=rng.randint(1, 12 if lively > 0.3 else 40))
            if day >= until:
                break
            body = rng.choice(LINES)
            flagged = bool(detect_contact_details(body))
            moment = _moment(day, rng)
            messages.append(Message(binome=b, association_id=b.association_id, sender_id=rng.choice(users), body=body, created_at=moment, flagged=flagged,
                                    flag_kinds=["social"] if flagged else [], held=False, digest_sent_at=moment))
            last = max(last, moment)
            if rng.random() < 0.35:
                meetings.append(Meeting(binome=b, logged_by_id=rng.choice(users), happened_on=day, duration_minutes=rng.choice([45, 60, 90, 120]),
                                        format=rng.choice(["in_person", "in_person", "remote"]), topics=rng.sample(TOPICS, k=rng.randint(1, 3))))
        month = b.started_on.replace(day=1)
        while month < until.replace(day=1):
            month = add_months(month, 1)
            for user_id in users:
                if rng.random() < 0.6:
                    check_ins.append(CheckIn(binome=b, user_id=user_id, month=month, rating=rng.choices([1, 2, 3, 4], weights=[1, 2, 5, 5])[0]))
        if b.status in (Binome.Status.COMPLETED, Binome.Status.CONTINUED):
            horizon = b.planned_end_on if b.status == Binome.Status.COMPLETED else add_months(b.planned_end_on, -duration)
            keep_going = b.status == Binome.Status.CONTINUED
            for role, user_id in (("mentor", users[0]), ("mentee", users[1])):
                survey = EndSurvey(binome=b, user_id=user_id, role=role, horizon=horizon, satisfaction=rng.choices([2, 3, 4, 5], weights=[1, 2, 5, 5])[0],
                                   would_recommend=rng.choices(range(11), weights=[1, 0, 0, 1, 1, 2, 3, 5, 6, 6, 7])[0],
                                   wish_to_continue=keep_going or rng.random() < 0.3)
                if role == "mentee":
                    before = rng.randint(1, 3)
                    survey.confidence_before, survey.confidence_now = before, min(5, before + rng.randint(0, 3))
                    survey.brought = rng.sample([c.value for c in EndSurvey.Brought], k=rng.randint(1, 3))
                    survey.wish_to_become_mentor = rng.random() < 0.4
                surveys.append(survey)
        b.last_activity_at = last
    Binome.objects.bulk_update(saved, ["last_activity_at"], batch_size=1000)
    Message.objects.bulk_create(messages, batch_size=2000)
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    CheckIn.objects.bulk_create(check_ins, batch_size=2000, ignore_conflicts=True)
    EndSurvey.objects.bulk_create(surveys, batch_size=2000, ignore_conflicts=True)
    association_attention_refresh(association_id=association.pk)  # bulk inserts bypass the services
    return len(binomes)
