"""The dashboards' rollup: figures read from per-day counters are the figures aggregated live,
old days are frozen (a purge cannot move them), a refresh twice changes nothing, and early
endings within three months are highlighted."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from binomes.models import Binome, Meeting, Message
from dashboards.indicators import Scope, _build, _live_inputs, compute
from dashboards.models import DashboardDay
from dashboards.rollup import rollup_refresh
from privacy.retention import retention_apply
from tests import factories
from tests.dashboards.test_indicators import world  # noqa: F401 - the hand-built fixture
from tests.matching.conftest import vetted
from tests.privacy.conftest import at, coordinator_user, three_years  # noqa: F401 - the three-year fixture

pytestmark = pytest.mark.django_db

NOW = "2026-12-01 03:00 +01:00"


def _shown(ind) -> list:  # noqa: ANN001
    """Every figure (as displayed, with what it rests on) and series a user reads (the age split
    aside: see the test below). Durations are whole days on the page, from the rollup too."""
    figures = [ind.funnel, ind.waiting, ind.activity, ind.outcomes, ind.early_endings, ind.reach, ind.cascade]
    return [[[(f.label, f.display, f.n) for f in group] for group in figures], [w.pk for w in ind.longest_waiters],
            ind.health, ind.brought, ind.end_reasons, ind.by_pcs, ind.by_departement, ind.trends]


@pytest.mark.parametrize("period", [(date(2026, 1, 1), date(2026, 11, 20)), (date(2025, 3, 15), date(2026, 6, 10)),
                                    (date(2026, 3, 1), date(2026, 3, 1)), (date(2020, 1, 1), date(2026, 11, 20))])
def test_the_rollup_gives_the_figures_aggregated_live(world, period):  # noqa: F811
    scope = Scope((world["a"].pk,), *period)

    from_rollup = compute(scope)

    assert _shown(from_rollup) == _shown(_build(scope, _live_inputs(scope, longest=10)))


def test_the_operator_scope_reads_every_associations_rollup(world):  # noqa: F811
    scope = Scope(None, date(2025, 1, 1), date(2026, 11, 20))

    assert _shown(compute(scope)) == _shown(_build(scope, _live_inputs(scope, longest=0)))


def test_ages_are_counted_at_sign_up_so_a_past_period_does_not_age(association, time_machine):
    time_machine.move_to("2026-11-20 12:00 +01:00")
    factories.mentee(association=association, created_at=at("2026-01-10 10:00"), birth_date=date(2011, 6, 1))  # 14 then, 15 now
    scope = Scope((association.pk,), date(2026, 1, 1), date(2026, 1, 31))

    ages = dict(compute(scope).by_age.rows)

    assert ages["moins de 15 ans"] == 1 and ages["15–17 ans"] == 0


def _figures(association) -> list:  # noqa: ANN001
    return [_shown(compute(Scope((association.pk,), start, end)))
            for start, end in ((date(2023, 1, 1), date(2026, 11, 30)), (date(2023, 9, 1), date(2024, 8, 31)),
                               (date(2024, 9, 1), date(2025, 8, 31)), (date(2025, 9, 1), date(2026, 11, 30)))]


def test_dashboards_survive_the_retention_purge_of_three_years(three_years, association, time_machine):  # noqa: F811
    time_machine.move_to(NOW)
    before = _figures(association)

    retention_apply(dry_run=False)
    rollup_refresh(association_id=association.pk)

    assert _figures(association) == before


def test_old_days_are_frozen_so_rows_deleted_later_leave_the_figures_unchanged(three_years, association, time_machine):  # noqa: F811
    time_machine.move_to(NOW)
    before = _figures(association)
    assert before[0][-1][2].n == 6  # messages in the three years (the trends, last)

    # Rows removed outright, months after they were written (a purge deleting rather than blanking;
    # the running pair's are from September, within the days whose state is still recounted),
    # then the hourly refresh.
    Message.objects.filter(binome__in=list(three_years.values())).delete()
    rollup_refresh(association_id=association.pk)

    assert _figures(association) == before
    rollup_refresh(association_id=association.pk, full=True)  # what the freeze prevents: a recount
    assert _figures(association)[0][-1][2].n == 0


def test_recent_days_are_recounted_and_a_refresh_twice_changes_nothing(association, time_machine):
    time_machine.move_to("2026-11-20 12:00 +01:00")
    binome = Binome.objects.create(association=association, mentor=vetted(association=association),
                                   mentee=factories.mentee(association=association, status="validated"),
                                   started_on=date(2026, 9, 1), planned_end_on=date(2027, 3, 1))
    rollup_refresh(association_id=association.pk)
    Meeting.objects.create(binome=binome, happened_on=date(2026, 11, 1), duration_minutes=60, format="in_person",
                           logged_by=binome.mentor.membership.user)  # logged late, within the open days
    Meeting.objects.create(binome=binome, happened_on=date(2026, 6, 1) + timedelta(days=1), duration_minutes=60,
                           format="in_person", logged_by=binome.mentor.membership.user)  # months late: that day is closed

    rollup_refresh(association_id=association.pk)
    rows = list(DashboardDay.objects.order_by("day").values_list("day", "facts", "state"))
    rollup_refresh(association_id=association.pk)

    assert list(DashboardDay.objects.order_by("day").values_list("day", "facts", "state")) == rows
    meetings = compute(Scope((association.pk,), date(2026, 1, 1), date(2026, 11, 20))).trends[3]
    assert meetings.n == 1 and ("11/2026", 1) in meetings.rows


def test_the_refresh_costs_the_same_number_of_queries_at_any_size(association, django_assert_num_queries):
    def grow(n: int) -> None:
        for _ in range(n):
            mentee = factories.mentee(association=association, status="validated")
            Binome.objects.create(association=association, mentor=vetted(association=association), mentee=mentee,
                                  started_on=timezone.localdate(), planned_end_on=timezone.localdate() + timedelta(days=180))
            factories.mentee(association=association, status="validated")

    grow(1)
    rollup_refresh(association_id=association.pk)
    grow(1)
    # rollup row 1, savepoint 2, lock 1, the programmes 1 and their rollup rows 1, mentees 2,
    # binômes 3, activity 3 (each grouped by programme and day: one pass whatever the number of
    # programmes), the stored days 1, their upsert 1, now 5 (waiting, longest waiters, health,
    # continued, cascade), saving it 1, the programmes' figures of now 1: 23
    with django_assert_num_queries(23) as small:
        rollup_refresh(association_id=association.pk)
    grow(15)
    with django_assert_num_queries(len(small.captured_queries)):
        rollup_refresh(association_id=association.pk)


# --- Early endings within the first three months (issue 13) -------------------------------------

def _ended(association, *, started: date, ended: date, status: str = "ended_early") -> Binome:  # noqa: ANN001
    return Binome.objects.create(association=association, mentor=vetted(association=association),
                                 mentee=factories.mentee(association=association, status="validated"), status=status,
                                 started_on=started, planned_end_on=started + timedelta(days=182), ended_on=ended,
                                 end_reason_code="moved" if status == "ended_early" else "",
                                 created_at=at(f"{started.isoformat()} 10:00"))


def test_early_endings_within_three_months_are_counted_and_their_share_waits_for_five(association, time_machine):
    time_machine.move_to("2026-11-20 12:00 +01:00")
    _ended(association, started=date(2026, 9, 1), ended=date(2026, 11, 30) - timedelta(days=31))  # 2 months in
    _ended(association, started=date(2026, 3, 1), ended=date(2026, 10, 1))  # 7 months in: early, not within three
    _ended(association, started=date(2026, 3, 1), ended=date(2026, 9, 1), status="completed")
    scope = Scope((association.pk,), date(2026, 1, 1), date(2026, 11, 20))

    count, share = compute(scope).early_endings

    assert count.display == "1" and share.n == 3 and share.display == "—"  # three endings: too few for a share
    _ended(association, started=date(2026, 8, 1), ended=date(2026, 10, 31))  # the last day of the three months: within
    _ended(association, started=date(2026, 8, 1), ended=date(2026, 11, 1))  # three months to the day: not within
    rollup_refresh(association_id=association.pk)
    count, share = compute(scope).early_endings
    assert count.display == "2" and share.display == "40\u202f%"


def test_alice_sees_early_endings_highlighted_with_a_link_and_others_get_404(client, alice, bob, charlie, association, settings,
                                                                             time_machine):
    time_machine.move_to("2026-11-20 12:00 +01:00")
    settings.DASHBOARD_CACHE_SECONDS = 0
    _ended(association, started=date(2026, 9, 1), ended=date(2026, 10, 15))

    client.force_login(alice)
    page = client.get(f"/coordination/{association.slug}/tableau-de-bord/").content.decode()

    assert 'id="early-endings-title">Arrêts dans les trois premiers mois</h3>' in page
    assert 'Arrêtés dans les trois premiers mois</dt><dd><span class="value">1' in page
    assert f'href="/coordination/{association.slug}/binomes/?status=ended_early"' in page
    for other in (bob, charlie.membership.user):
        client.force_login(other)
        assert client.get(f"/coordination/{association.slug}/tableau-de-bord/").status_code == 404


def test_a_stale_rollup_is_read_as_it_is_while_one_job_recounts_it(association, settings, time_machine):
    from outbox.models import OutboxMessage

    settings.DASHBOARD_ROLLUP_SECONDS = 60
    time_machine.move_to("2026-11-20 12:00 +01:00", tick=False)
    scope = Scope((association.pk,), date(2026, 1, 1), date(2026, 11, 20))
    compute(scope)  # the first build, in the request
    factories.mentee(association=association)
    time_machine.shift(timedelta(seconds=61))

    stale = compute(scope).funnel[0].value
    compute(scope)

    assert stale == 0  # no recount in the request
    jobs = OutboxMessage.objects.filter(task="dashboards.tasks.refresh_rollup")
    assert [m.args for m in jobs] == [[association.pk]]  # one job, however many readers
    rollup_refresh(association_id=association.pk)  # what the job does
    assert compute(scope).funnel[0].value == 1
