"""A hand-built year of association A (``association``), and one pair of association B that
must never reach A's report. Every expected figure in the tests is computed by hand from this
docstring.

Period: 1 January – 30 June 2026. Today: 15 July 2026. All in Bobigny (93).

pair  mentee (at 30 June)                     started     end / status                  days in period
b1    m1 F 16 QPV boursier ASE                2025-10-01  ended early 2026-02-15 no_time   46
b2    m2 F 16 QPV lycée pro ASE               2026-01-10  completed 2026-06-20            162
b3    m3 M 17 boursier ASE                    2026-02-01  active                          150
b4    m4 F 17 QPV ASE                         2025-12-01  continued (once)                181
b5    m5 M 14 QPV (parent consent)            2026-03-01  ended early 2026-04-15 mismatch  46
b6    m6 F 18                                 2025-06-01  completed 2026-01-05              5
b9    m9 M 15 boursier ASE, disability        2026-01-05  ended early 2026-03-05 moved      60
b7    m7 F 16                                 2026-07-01  active (after the period)         —
b8    m8 F 16                                 2025-01-01  completed 2025-07-01 (before)     —

Durations of the pairs ended in the period: b1 137, b2 161, b5 45, b6 218, b9 59 days: median
137; ended before six months: b1, b2, b5, b9 (b6 lasted seven months).
Meetings in the period: b4 10, b3 5, b2 3 (18); plus b4 one in December 2025 and b7 one in July.
Check-ins by mentees in the period: 4, 4, 3, 2, 1, 4 (plus one by a mentor, one in December 2025).
Mentors: t1–t5 signed up and validated in February 2026, t6–t9 in 2025; t1 and t2 trained in
March 2026, t3 in November 2025.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from binomes.models import Binome, CheckIn, EndSurvey, Meeting
from reporting import services
from reporting.models import MentorTraining
from tests import factories

NOW = datetime(2026, 7, 15, 12, 0, tzinfo=timezone.get_fixed_timezone(120))  # Paris, summer
PERIOD = (date(2026, 1, 1), date(2026, 6, 30))
END = PERIOD[1]


def aware(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, datetime.min.time()))


def born(years: int) -> date:
    """Aged ``years`` on 30 June 2026 (and on 15 July)."""
    return date(END.year - years, 3, 1)


@pytest.fixture
def world(association, other_association, time_machine):
    time_machine.move_to(NOW)
    a = association
    signed = aware(date(2025, 5, 1))

    def mentee(name, years, **kw):
        return factories.mentee(association=a, user=factories.UserFactory(first_name=name), status="validated",
                                validated_at=signed, created_at=signed, birth_date=born(years), **kw)

    m = {
        1: mentee("M1", 16, gender="female", qpv_resident=True, boursier=True),
        2: mentee("M2", 16, gender="female", qpv_resident=True, education="lycee_pro"),
        3: mentee("M3", 17, gender="male", boursier=True),
        4: mentee("M4", 17, gender="female", qpv_resident=True),
        5: mentee("M5", 14, gender="male", qpv_resident=True),
        6: mentee("M6", 18, gender="female"),
        7: mentee("M7", 16, gender="female"),
        8: mentee("M8", 16, gender="female"),
        9: mentee("M9", 15, gender="male", boursier=True),
    }
    recruited, old = aware(date(2026, 2, 1)), aware(date(2025, 3, 1))
    t = {i: factories.mentor(association=a, status="validated", created_at=recruited if i <= 5 else old,
                             validated_at=recruited if i <= 5 else old, user=factories.UserFactory(first_name=f"T{i}"))
         for i in (1, 2, 3, 4, 5, 6, 7, 8, 9)}
    MentorTraining.objects.create(participant=t[1], completed_on=date(2026, 3, 1))
    MentorTraining.objects.create(participant=t[2], completed_on=date(2026, 3, 1))
    MentorTraining.objects.create(participant=t[3], completed_on=date(2025, 11, 1))

    def pair(i, started, status="active", ended=None, reason="", **kw):
        return Binome.objects.create(association=a, mentor=t[i], mentee=m[i], started_on=started, status=status, ended_on=ended,
                                     planned_end_on=started + timedelta(days=183), end_reason_code=reason, **kw)

    b = {
        1: pair(1, date(2025, 10, 1), "ended_early", date(2026, 2, 15), "no_time"),
        2: pair(2, date(2026, 1, 10), "completed", date(2026, 6, 20)),
        3: pair(3, date(2026, 2, 1)),
        4: pair(4, date(2025, 12, 1), "continued", continued_count=1),
        5: pair(5, date(2026, 3, 1), "ended_early", date(2026, 4, 15), "mismatch"),
        6: pair(6, date(2025, 6, 1), "completed", date(2026, 1, 5)),
        7: pair(7, date(2026, 7, 1)),
        8: pair(8, date(2025, 1, 1), "completed", date(2025, 7, 1)),
        9: pair(9, date(2026, 1, 5), "ended_early", date(2026, 3, 5), "moved"),
    }

    def meet(i, day):
        Meeting.objects.create(binome=b[i], logged_by=t[i].membership.user, happened_on=day, duration_minutes=60, format="in_person")

    for k in range(10):
        meet(4, date(2026, 1 + k // 2, 3 + k))
    for k in range(5):
        meet(3, date(2026, 2 + k, 10))
    for k in range(3):
        meet(2, date(2026, 2 + k, 12))
    meet(4, date(2025, 12, 15))
    meet(7, date(2026, 7, 5))

    def check_in(i, month, rating, user=None):
        CheckIn.objects.create(binome=b[i], user=user or m[i].membership.user, month=month, rating=rating)

    for (i, month), rating in zip([(1, date(2026, 1, 1)), (2, date(2026, 2, 1)), (3, date(2026, 3, 1)), (4, date(2026, 4, 1)),
                                   (4, date(2026, 5, 1)), (9, date(2026, 2, 1))], [4, 4, 3, 2, 1, 4], strict=True):
        check_in(i, month, rating)
    check_in(3, date(2026, 3, 1), 1, user=t[3].membership.user)  # a mentor's: not in the young people's table
    check_in(4, date(2025, 12, 1), 1)  # before the period
    for i in (2, 6):
        EndSurvey.objects.create(binome=b[i], user=m[i].membership.user, role="mentee", horizon=b[i].planned_end_on,
                                 satisfaction=5, would_recommend=10, confidence_before=2, confidence_now=4, wish_to_continue=False,
                                 created_at=aware(date(2026, 6, 25)))

    for i in (1, 2, 3, 4):
        services.target_public_save(participant=m[i], by=m[i].membership.user, ase=True, disability=None)
    services.target_public_save(participant=m[9], by=m[9].membership.user, ase=True, disability=True)

    # Association B: one pair in the period, an ASE mentee; never in A's report.
    other = factories.mentee(association=other_association, status="validated", validated_at=signed, birth_date=born(16))
    services.target_public_save(participant=other, by=other.membership.user, ase=True, disability=None)
    Binome.objects.create(association=other_association, mentor=factories.mentor(association=other_association, status="validated"),
                          mentee=other, started_on=date(2026, 2, 1), planned_end_on=date(2026, 8, 1))
    return {"a": a, "b": other_association, "m": m, "t": t, "binomes": b}
