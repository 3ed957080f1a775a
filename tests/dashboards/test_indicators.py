"""Every figure against a hand-computed world: two associations, a cascade, tiny and empty cohorts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from binomes.models import Binome, EndSurvey, Meeting, Message
from dashboards.indicators import Scope, compute
from tests import factories
from tests.matching.conftest import vetted

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.get_fixed_timezone(60))  # Paris, winter
PERIOD = (date(2026, 1, 1), date(2026, 11, 20))


def aware(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, datetime.min.time()))


@pytest.fixture
def world(association, other_association, time_machine):
    """Association A (``association``), hand-built:

    mentees signed up in the period: m1 (paired, QPV+boursier, PCS 6, 16 y), m2 (waiting since 10
    days, boursier, 13 y), m3 (pending, 19 y), m5 (waiting since 30 days, 17 y);
    m4 signed up before the period, binôme b2 completed in the period, both answered the survey,
    then became mentor t3 (cascade), whose mentee m6 (binôme b3) became mentor t4: a chain of 2.
    Association B has one more mentee and one binôme, never counted in A's figures.
    """
    time_machine.move_to(NOW)
    a = association
    in_period = aware(date(2026, 3, 1))

    def mentee(name, **kw):
        kw.setdefault("created_at", in_period)
        return factories.mentee(association=a, user=factories.UserFactory(first_name=name), **kw)

    m1 = mentee("M1", status="validated", validated_at=aware(date(2026, 3, 5)), qpv_resident=True, boursier=True, parents_pcs="6",
                birth_date=factories.years_ago(16), first_generation=True)
    mentee("M2", status="validated", validated_at=timezone.now() - timedelta(days=10), boursier=True, parents_pcs="5",
                birth_date=factories.years_ago(13), parent_name="P", parent_email="p@example.org")
    mentee("M3", birth_date=factories.years_ago(19), education="bac_1_2")
    mentee("M5", status="validated", validated_at=timezone.now() - timedelta(days=30), birth_date=factories.years_ago(17))
    m4 = mentee("M4", status="validated", validated_at=aware(date(2025, 6, 1)), created_at=aware(date(2025, 5, 1)), birth_date=factories.years_ago(19))
    t1 = vetted(association=a, capacity=2, birth_date=factories.years_ago(24))
    t2 = vetted(association=a, birth_date=factories.years_ago(25))
    b1 = Binome.objects.create(association=a, mentor=t1, mentee=m1, started_on=date(2026, 4, 1), planned_end_on=date(2026, 10, 1),
                               created_at=aware(date(2026, 4, 1)), last_activity_at=timezone.now() - timedelta(days=2))
    b2 = Binome.objects.create(association=a, mentor=t2, mentee=m4, started_on=date(2025, 9, 1), planned_end_on=date(2026, 3, 1),
                               status="completed", ended_on=date(2026, 3, 1), created_at=aware(date(2025, 9, 1)))
    EndSurvey.objects.create(binome=b2, user=t2.membership.user, role="mentor", horizon=b2.planned_end_on, satisfaction=5, would_recommend=10, wish_to_continue=False)
    EndSurvey.objects.create(binome=b2, user=m4.membership.user, role="mentee", horizon=b2.planned_end_on, satisfaction=3, would_recommend=6,
                             confidence_before=2, confidence_now=4, brought=["orientation", "network"], wish_to_continue=False)
    t3 = vetted(association=a, user=m4.membership.user, came_from_binome=b2, birth_date=factories.years_ago(19), created_at=aware(date(2026, 4, 1)))
    m6 = mentee("M6", status="validated", validated_at=aware(date(2026, 4, 2)), birth_date=factories.years_ago(14))
    b3 = Binome.objects.create(association=a, mentor=t3, mentee=m6, started_on=date(2026, 4, 10), planned_end_on=date(2026, 10, 10),
                               status="ended_early", end_reason_code="moved", ended_on=date(2026, 6, 1), created_at=aware(date(2026, 4, 10)))
    vetted(association=a, user=m6.membership.user, came_from_binome=b3, birth_date=factories.years_ago(15) - timedelta(days=200))
    for i in range(3):
        Message.objects.create(binome=b1, association=a, sender=t1.membership.user, body=f"message {i}", created_at=aware(date(2026, 5, 1 + i)))
    Meeting.objects.create(binome=b1, logged_by=t1.membership.user, happened_on=date(2026, 5, 3), duration_minutes=60, format="in_person")
    # Association B: must never leak into A's figures.
    other_mentee = factories.mentee(association=other_association, status="validated", validated_at=in_period, created_at=in_period, qpv_resident=True)
    other_mentor = vetted(association=other_association)
    Binome.objects.create(association=other_association, mentor=other_mentor, mentee=other_mentee, started_on=date(2026, 5, 1),
                          planned_end_on=date(2026, 11, 1), created_at=aware(date(2026, 5, 1)))
    return {"a": a, "b": other_association}


def by_label(figures):
    return {str(f.label): f for f in figures}


def test_funnel_counts_the_association_only(world):
    ind = compute(Scope((world["a"].pk,), *PERIOD))
    funnel = {k: f.value for k, f in by_label(ind.funnel).items()}

    assert funnel["Inscrit·es (mentoré·es)"] == 5  # m1, m2, m3, m5, m6 (m4 signed up before)
    assert funnel["Validé·es"] == 4
    assert funnel["En attente d'un binôme"] == 3  # m2, m5, and m6 whose binôme ended early
    assert funnel["Mis·es en binôme"] == 2  # m1, m6
    assert funnel["Binômes commencés"] == 2  # b1, b3 (b2 started before the period)
    assert (funnel["Binômes en cours"], funnel["Terminés"], funnel["Arrêtés avant la fin"]) == (1, 0, 1)


def test_waiting_times(world):
    waiting = by_label(compute(Scope((world["a"].pk,), *PERIOD)).waiting)

    # Waiting now: m2 (10 d), m5 (30 d) and m6 (ended early: waits again, since 2026-04-02).
    assert waiting["Mentoré·es en attente"].value == 3
    assert round(waiting["Attente médiane"].value) == 30
    assert waiting["Attente du 9e décile (90 %)"].value == pytest.approx((date(2026, 11, 20) - date(2026, 4, 2)).days, abs=1)
    assert waiting["Délai médian validation → binôme"].n == 2  # b1 (27 days), b3 (8 days)
    assert waiting["Délai médian validation → binôme"].display == "—"  # only 2 pairs: too few to say


def test_outcomes_with_too_few_answers_show_a_dash_not_a_percentage(world):
    outcomes = by_label(compute(Scope((world["a"].pk,), *PERIOD)).outcomes)

    satisfied = outcomes["Mentors satisfaits (4 ou 5 sur 5)"]
    assert (satisfied.value, satisfied.n, satisfied.display) == (1.0, 1, "—")
    assert outcomes["Gain de confiance des mentoré·es (sur 5)"].value == 2
    assert outcomes["NPS des mentors"].value == 100 and outcomes["NPS des mentoré·es"].value == -100


def test_outcome_percentages_appear_from_five_answers(association, time_machine):
    time_machine.move_to(NOW)
    for i in range(6):
        mentor = vetted(association=association)
        binome = Binome.objects.create(association=association, mentor=mentor, mentee=factories.mentee(association=association, status="validated"),
                                       started_on=date(2026, 1, 5), planned_end_on=date(2026, 7, 5), status="completed", ended_on=date(2026, 7, 5))
        EndSurvey.objects.create(binome=binome, user=mentor.membership.user, role="mentor", horizon=binome.planned_end_on,
                                 satisfaction=5 if i < 4 else 2, would_recommend=[10, 9, 8, 7, 3, 10][i], wish_to_continue=False)

    outcomes = by_label(compute(Scope((association.pk,), *PERIOD)).outcomes)

    assert outcomes["Mentors satisfaits (4 ou 5 sur 5)"].display == "67\u202f%"  # 4 of 6
    assert outcomes["Mentors qui recommanderaient (9 ou 10 sur 10)"].display == "50\u202f%"  # 3 of 6
    assert outcomes["NPS des mentors"].display == "+33"  # (3 promoters − 1 detractor) / 6


def test_continuation_and_early_end_rates(world):
    outcomes = by_label(compute(Scope((world["a"].pk,), *PERIOD)).outcomes)

    continued = outcomes["Binômes prolongés après la fin prévue"]
    early = outcomes["Binômes arrêtés avant la fin"]
    assert (continued.value, continued.n) == (0, 1)  # b2 reached its end and completed
    assert (early.value, early.n) == (0.5, 2)  # b3 of (b2, b3)


def test_reach_and_distributions(world):
    ind = compute(Scope((world["a"].pk,), *PERIOD))
    reach = by_label(ind.reach)

    assert (reach["Habitant un quartier prioritaire (QPV)"].value, reach["Habitant un quartier prioritaire (QPV)"].n) == (0.2, 5)
    assert reach["Boursier·es"].value == 0.4
    assert reach["QPV ou boursier·es (public prioritaire)"].value == 0.4
    ages = dict(ind.by_age.rows)
    assert (ages["moins de 15 ans"], ages["15–17 ans"], ages["18–25 ans"]) == (2, 2, 1)
    assert dict(ind.by_pcs.rows)["Ouvriers"] == 1


def test_cascade_counts_mentors_who_were_mentees_and_the_longest_chain(world):
    cascade = by_label(compute(Scope((world["a"].pk,), *PERIOD)).cascade)

    assert cascade["Ancien·nes mentoré·es devenu·es mentors"].value == 2
    assert cascade["Plus longue chaîne (générations de mentors issues de la cascade)"].value == 2


def test_activity_and_trends(world):
    ind = compute(Scope((world["a"].pk,), *PERIOD))

    assert dict(ind.health.rows)["tout va bien"] == 1
    trends = {s.title: dict(s.rows) for s in ind.trends}
    # From the first active month to the end of the period, empty months included.
    assert trends["Messages par mois"] == {"05/2026": 3, **{f"{m:02d}/2026": 0 for m in range(6, 12)}}
    assert trends["Binômes commencés par mois"] == {"04/2026": 2, **{f"{m:02d}/2026": 0 for m in range(5, 12)}}


def test_the_operator_scope_adds_every_association(world):
    funnel = {k: f.value for k, f in by_label(compute(Scope(None, *PERIOD)).funnel).items()}

    assert funnel["Inscrit·es (mentoré·es)"] == 6
    assert funnel["Binômes commencés"] == 3


def test_an_empty_association_shows_zeros_and_dashes(association, time_machine):
    time_machine.move_to(NOW)
    ind = compute(Scope((association.pk,), *PERIOD))

    assert all(f.display in ("0", "—") for _, f in ind.all_figures())
    assert ind.longest_waiters == [] and ind.cascade[1].value == 0


def test_cohort_keeps_the_binomes_that_started_in_that_programme_year(world):
    started = {year: by_label(compute(Scope((world["a"].pk,), *PERIOD, cohort=year)).funnel)["Binômes commencés"].value for year in (2024, 2025)}

    assert started == {2024: 0, 2025: 3}  # b2 (September 2025), b1 and b3 (spring 2026)
