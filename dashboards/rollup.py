"""The dashboards' rollup: per association and per day, the counters the figures are read from.

Why a rollup, and why by day: the figures of a period used to be aggregated from the
association's whole history on every cold computation (13 passes; 0.57 s at 10,000 participants,
6.8 times the 1,000 figure at 50,000), and a purge that blanks or deletes old rows could move
them. Reading them from one row per day of the period costs the same whatever the size of the
association (a year is at most 366 rows), and a period may start and end on any day (the
default one, the last twelve months, starts mid-month; month rows could not answer it exactly).
Counters kept in step by every event in its own transaction would have meant a call in each of
a dozen services of other apps (messages, meetings, surveys, six status changes, validation,
proposals...), each one a place to forget; recomputing the recent days idempotently from the rows
themselves keeps one rule in one place, here, and is safe to run twice.

What is recomputed (``rollup_refresh``): the facts of the last ``FACTS_OPEN_DAYS`` days and the
state of the sign-ups and binômes of the last ``STATE_OPEN_DAYS`` days (see
``DashboardDay``), and the figures of *now* (``DashboardRollup.now``). Older days are frozen.
The first refresh builds the whole history. One refresh at a time per association (its
``DashboardRollup`` row is locked meanwhile; a second one returns at once).

Who refreshes: beat (``dashboards.tasks.refresh_rollups``: every association, hourly; and the
dashboards opened in the last hour with their figures, ``dashboards.refresh``), the retention job
before it purges (so the days about to be blanked are counted first), and a worker asked by a
request that found the rollup older than ``DASHBOARD_ROLLUP_SECONDS`` (the request reads the last
one meanwhile: no request pays a recount, except the very first build of an association).

Programme dimension (issue 12): every query below groups its rows by programme as well as by day
(one pass whatever the number of programmes, not one per programme), and the refresh stores each
programme's rows under ``scope="programme:<id>"`` (``programme_scope``) and their sum under
``scope=""``, the whole association (every row belongs to exactly one programme: a participant's
own, a binôme's mentee's, a message's or meeting's or survey's binôme's). A programme never built
(created since the last refresh, or an association built before programmes had rows) makes the
next refresh rebuild the whole history.
"""

from __future__ import annotations

import math
import time as time_module
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Sum,
    TextField,
    Window,
)
from django.db.models.functions import Cast, RowNumber, TruncDate
from django.utils import timezone

from binomes.health import AT_RISK, NEEDS_ATTENTION, ON_TRACK, annotate_health
from binomes.models import Binome, EndSurvey, Meeting, Message
from binomes.selectors import settled_mentee_ids
from dashboards.models import DashboardDay, DashboardRollup
from matching.models import Proposal
from participants.choices import PCS
from participants.models import Participant
from participants.selectors import AGE_BANDS

S = Binome.Status
# A meeting may be logged a few weeks after it happened, an end survey answered late: the facts
# of a day are recomputed for this long, then frozen (purges blank rows months later, never
# within a month: the shortest retention an association may choose is longer, see
# privacy.retention; the job also refreshes the rollup before it purges).
FACTS_OPEN_DAYS = 35
# Where a day's sign-ups and binômes stand moves while programmes run (six months, some a school
# year, continuations): recomputed for a bit more than a year, then frozen.
STATE_OPEN_DAYS = 400
EARLY_END_MONTHS = 3  # "ended early within the first three months" (issue 13)
LONGEST_WAITERS = 10
# The operator's view reads every association's rollup as beat left it (hourly) rather than
# refreshing them all in one request.
OPERATOR_MAX_AGE = 3600
EPOCH = date(2000, 1, 1)  # dashboards.periods.EARLIEST: nothing older is ever asked for


def rollup_seconds() -> int:
    return getattr(settings, "DASHBOARD_ROLLUP_SECONDS", 60)


# --- SQL helpers (PostgreSQL, and SQLite for the local demo) -----------------------------------

class AgeAt(Func):
    """Whole years between a birth date and a day (the age on that day)."""

    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):  # noqa: ANN001, ANN003, ANN201
        return self.as_sql(compiler, connection, template="date_part('year', age(%(expressions)s))::int", arg_joiner=", ", **extra)

    def as_sqlite(self, compiler, connection, **extra):  # noqa: ANN001, ANN003, ANN201
        (day, day_params), (birth, birth_params) = (compiler.compile(e) for e in self.get_source_expressions())
        sql = (f"(CAST(strftime('%%Y', {day}) AS INTEGER) - CAST(strftime('%%Y', {birth}) AS INTEGER)"
               f" - (strftime('%%m-%%d', {day}) < strftime('%%m-%%d', {birth})))")
        return sql, (*day_params, *birth_params, *day_params, *birth_params)


class PlusMonths(Func):
    """A date plus a number of calendar months."""

    output_field = DateField()

    def __init__(self, expression: Any, months: int, **extra: Any) -> None:
        self.months = int(months)
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler, connection, **extra):  # noqa: ANN001, ANN003, ANN201
        return self.as_sql(compiler, connection, template=f"(%(expressions)s + interval '{self.months} months')::date", **extra)

    def as_sqlite(self, compiler, connection, **extra):  # noqa: ANN001, ANN003, ANN201
        return self.as_sql(compiler, connection, template=f"date(%(expressions)s, '+{self.months} months')", **extra)


class RoundedDays(Func):
    """A duration in whole days, rounded (the figures show whole days)."""

    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):  # noqa: ANN001, ANN003, ANN201
        return self.as_sql(compiler, connection, template="round(extract(epoch from (%(expressions)s)) / 86400)::int", **extra)

    def as_sqlite(self, compiler, connection, **extra):  # noqa: ANN001, ANN003, ANN201
        return self.as_sql(compiler, connection, template="CAST(round((%(expressions)s) / 86400000000.0) AS INTEGER)", **extra)


def early_end_q(prefix: str = "") -> Q:
    """Ended early within the first three months of its start (issue 13: highlighted)."""
    return Q(**{f"{prefix}status": S.ENDED_EARLY, f"{prefix}ended_on__lt": PlusMonths(F(f"{prefix}started_on"), EARLY_END_MONTHS)})


def _since(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _until(day: date) -> datetime:
    return _since(day + timedelta(days=1))


def _scoped(model: type, association_id: int, prefix: str = "") -> Any:
    return model.objects.filter(**{f"{prefix}association_id": association_id}).order_by()


def programme_scope(programme_id: int | None) -> str:
    """The ``scope`` of a programme's rows ("" for the whole association)."""
    return "" if programme_id is None else f"programme:{programme_id}"


# Each model's path to its programme (the rows are grouped by it: the key ``prog``).
PARTICIPANT_PROGRAMME = F("programme_id")
BINOME_PROGRAMME = F("mentee__programme_id")
ACTIVITY_PROGRAMME = F("binome__mentee__programme_id")

# (programme id, day) -> counters
Keyed = dict[tuple[int, date], dict]


def _add(into: dict, row: dict) -> dict:
    """``into`` plus ``row``, counter by counter (nested counters too; None is no figure)."""
    for key, value in row.items():
        if isinstance(value, dict):
            into[key] = _add(dict(into.get(key) or {}), value)
        elif value is not None:
            into[key] = (into.get(key) or 0) + value
        else:
            into.setdefault(key, None)
    return into


def _by_scope(keyed: Keyed) -> dict[str, dict[date, dict]]:
    """Each programme's days, and their sums as the whole association's (scope "")."""
    out: dict[str, dict[date, dict]] = {"": {}}
    for (programme_id, d), row in keyed.items():
        out.setdefault(programme_scope(programme_id), {})[d] = row
        out[""][d] = _add(out[""].get(d, {}), row)
    return out


# --- Computing days -----------------------------------------------------------------------------

def _mentee_days(association_id: int, first: date, last: date) -> tuple[Keyed, Keyed]:
    """Facts and state of the mentees who signed up each day, per programme (2 queries)."""
    mentees = _scoped(Participant, association_id).filter(role="mentee", created_at__gte=_since(first), created_at__lt=_until(last))
    settled = settled_mentee_ids(Q(association_id=association_id))
    waiting_q = Q(status="validated") & ~Q(pk__in=settled)
    paired = _scoped(Binome, association_id).values("mentee_id")
    proposed = _scoped(Proposal, association_id).filter(status=Proposal.Status.PROPOSED).values("mentee_id")
    day = TruncDate("created_at")
    rows = mentees.annotate(day=day, age=AgeAt(day, F("birth_date")), prog=PARTICIPANT_PROGRAMME).values("day", "prog").annotate(
        signed=Count("pk"),
        n_qpv=Count("pk", filter=Q(qpv_resident=True)), n_boursier=Count("pk", filter=Q(boursier=True)),
        n_first=Count("pk", filter=Q(first_generation=True)), n_priority=Count("pk", filter=Q(qpv_resident=True) | Q(boursier=True)),
        **{f"age_{code}": Count("pk", filter=Q(age__gte=low, age__lte=high)) for code, (low, high) in AGE_BANDS.items()},
        **{f"pcs_{code}": Count("pk", filter=Q(parents_pcs=code)) for code in PCS.values},
        s_validated=Count("pk", filter=Q(validated_at__isnull=False)), s_waiting=Count("pk", filter=waiting_q),
        s_proposed=Count("pk", filter=Q(pk__in=proposed)), s_paired=Count("pk", filter=Q(pk__in=paired)),
    )
    facts: Keyed = {}
    state: Keyed = {}
    for row in rows:
        key = (row.pop("prog"), row.pop("day"))
        state[key] = {k[2:]: row.pop(k) for k in list(row) if k.startswith("s_")}
        facts[key] = row
    deps = mentees.annotate(day=day, prog=PARTICIPANT_PROGRAMME).values_list(
        "prog", "day", "commune__departement_id", "commune__departement__name").annotate(c=Count("pk"))
    for prog, d, code, name, c in deps:  # one row per programme, day and département
        facts.setdefault((prog, d), {}).setdefault("deps", {})[f"{code} – {name}"] = c
    return facts, state


def _binome_days(association_id: int, first: date, last: date) -> tuple[Keyed, Keyed]:
    """Binômes started each day (facts and where they stand) and ended each day, per programme
    (3 queries)."""
    started = _scoped(Binome, association_id).filter(created_at__gte=_since(first), created_at__lt=_until(last))
    day = TruncDate("created_at")
    facts: Keyed = {}
    state: Keyed = {}
    for row in started.annotate(day=day, prog=BINOME_PROGRAMME).values("day", "prog").annotate(
            started=Count("pk"), paired_after_validation=Count("pk", filter=Q(mentee__validated_at__isnull=False)),
            s_active=Count("pk", filter=Q(status__in=Binome.OPEN_STATUSES)), s_completed=Count("pk", filter=Q(status=S.COMPLETED)),
            s_continued=Count("pk", filter=Q(status=S.CONTINUED)), s_early=Count("pk", filter=Q(status=S.ENDED_EARLY))):
        key = (row.pop("prog"), row.pop("day"))
        state[key] = {k[2:]: row.pop(k) for k in list(row) if k.startswith("s_")}
        facts[key] = row
    took = started.filter(mentee__validated_at__isnull=False).annotate(
        day=day, prog=BINOME_PROGRAMME,
        took=RoundedDays(ExpressionWrapper(F("created_at") - F("mentee__validated_at"), output_field=DurationField())))
    for prog, d, days, c in took.values_list("prog", "day", "took").annotate(c=Count("pk")):
        facts.setdefault((prog, d), {}).setdefault("took", {})[str(days)] = c
    ended = _scoped(Binome, association_id).filter(status__in=(S.COMPLETED, S.ENDED_EARLY), ended_on__gte=first, ended_on__lte=last)
    early = Q(status=S.ENDED_EARLY)
    for row in ended.annotate(prog=BINOME_PROGRAMME).values("prog", "ended_on").annotate(
            reached=Count("pk", filter=Q(status=S.COMPLETED)), ends_early=Count("pk", filter=early),
            early_3m=Count("pk", filter=early_end_q()),
            **{f"reason_{code}": Count("pk", filter=early & Q(end_reason_code=code)) for code in Binome.EndReason.values}):
        facts.setdefault((row.pop("prog"), row.pop("ended_on")), {}).update(row)
    return facts, state


def _activity_days(association_id: int, first: date, last: date) -> Keyed:
    """Messages, meetings and end surveys of each day, per programme (3 queries)."""
    facts: Keyed = {}
    messages = _scoped(Message, association_id).filter(created_at__gte=_since(first), created_at__lt=_until(last))
    for prog, d, c in (messages.annotate(day=TruncDate("created_at"), prog=ACTIVITY_PROGRAMME).values_list("prog", "day")
                       .annotate(c=Count("pk")).values_list("prog", "day", "c")):
        facts.setdefault((prog, d), {})["messages"] = c
    meetings = _scoped(Meeting, association_id, "binome__").filter(happened_on__gte=first, happened_on__lte=last)
    for prog, d, c in (meetings.annotate(prog=ACTIVITY_PROGRAMME).values_list("prog", "happened_on")
                       .annotate(c=Count("pk")).values_list("prog", "happened_on", "c")):
        facts.setdefault((prog, d), {})["meetings"] = c
    surveys = _scoped(EndSurvey, association_id, "binome__").filter(created_at__gte=_since(first), created_at__lt=_until(last))
    gain = ExpressionWrapper(F("confidence_now") - F("confidence_before"), output_field=FloatField())
    mentee = Q(role="mentee")
    for row in surveys.annotate(day=TruncDate("created_at"), prog=ACTIVITY_PROGRAMME,
                                brought_text=Cast("brought", TextField())).values("day", "prog").annotate(
            mentors=Count("pk", filter=Q(role="mentor")), mentees=Count("pk", filter=mentee),
            mentors_satisfied=Count("pk", filter=Q(role="mentor", satisfaction__gte=4)),
            mentees_satisfied=Count("pk", filter=Q(role="mentee", satisfaction__gte=4)),
            mentors_promoters=Count("pk", filter=Q(role="mentor", would_recommend__gte=9)),
            mentors_detractors=Count("pk", filter=Q(role="mentor", would_recommend__lte=6)),
            mentees_promoters=Count("pk", filter=Q(role="mentee", would_recommend__gte=9)),
            mentees_detractors=Count("pk", filter=Q(role="mentee", would_recommend__lte=6)),
            confidence_sum=Sum(gain, filter=mentee), confidence_n=Count(gain, filter=mentee),
            **{f"brought_{c.value}": Count("pk", filter=mentee & Q(brought_text__contains=f'"{c.value}"')) for c in EndSurvey.Brought}):
        facts.setdefault((row.pop("prog"), row.pop("day")), {}).update(row)
    return facts


def _now_figures(association_id: int, programme_ids: list[int]) -> dict[str, dict]:
    """What describes the association now, and each of its programmes (scope -> figures): 5
    queries whatever the number of programmes, one more for a cascade, and one more per programme
    with a cascade (its longest chain)."""
    now = timezone.now()

    def blank() -> dict:
        return {"waited": {}, "longest": [], "health": {}, "continued": {}, "cascade": 0, "chain": 0}

    out: dict[str, dict] = {key: blank() for key in ["", *(programme_scope(pk) for pk in programme_ids)]}

    def add(programme_id: int, name: str, key: str, value: int) -> None:
        for scope_key in ("", programme_scope(programme_id)):
            figures = out.setdefault(scope_key, blank())[name]
            figures[key] = figures.get(key, 0) + value

    settled = settled_mentee_ids(Q(association_id=association_id))
    waiting = _scoped(Participant, association_id).filter(role="mentee", status="validated").exclude(pk__in=settled)
    waited = waiting.annotate(waited=RoundedDays(ExpressionWrapper(now - F("validated_at"), output_field=DurationField())))
    for prog, d, c in waited.values_list("programme_id", "waited").annotate(c=Count("pk")).values_list("programme_id", "waited", "c"):
        add(prog, "waited", str(d), c)
    # The longest waiters of each programme (a window: one query); the association's are the
    # longest of those.
    ranked = waiting.annotate(rank=Window(RowNumber(), partition_by=[F("programme_id")], order_by=[F("validated_at").asc(), F("pk").asc()]))
    longest = sorted(ranked.filter(rank__lte=LONGEST_WAITERS).values_list("programme_id", "validated_at", "pk"),
                     key=lambda row: (row[1] is None, row[1] or now, row[2]))
    for prog, _validated, pk in longest:
        out.setdefault(programme_scope(prog), blank())["longest"].append(pk)
    out[""]["longest"] = [pk for _prog, _validated, pk in longest[:LONGEST_WAITERS]]
    running = annotate_health(_scoped(Binome, association_id).filter(status__in=Binome.RUNNING_STATUSES))
    for prog, health, n in running.annotate(prog=BINOME_PROGRAMME).values_list("prog", "live_health").annotate(n=Count("pk")).values_list(
            "prog", "live_health", "n"):
        add(prog, "health", health, n)
    continued = _scoped(Binome, association_id).filter(status=S.CONTINUED, continued_count__gte=1)
    for prog, d, c in continued.annotate(prog=BINOME_PROGRAMME).values_list("prog", "planned_end_on").annotate(c=Count("pk")).values_list(
            "prog", "planned_end_on", "c"):
        add(prog, "continued", d.isoformat(), c)
    cascade = dict(_scoped(Participant, association_id).filter(role="mentor", came_from_binome__isnull=False)
                   .values_list("programme_id").annotate(c=Count("pk")).values_list("programme_id", "c"))
    from dashboards.indicators import longest_chain

    for figures in out.values():
        figures["health"] = {key: figures["health"].get(key, 0) for key in (ON_TRACK, NEEDS_ATTENTION, AT_RISK)}
    out[""]["cascade"] = sum(cascade.values())
    out[""]["chain"] = longest_chain((association_id,)) if cascade else 0
    for prog, c in cascade.items():
        key = programme_scope(prog)
        if key in out:
            out[key]["cascade"] = c
            out[key]["chain"] = longest_chain((association_id,), programme_id=prog)
    return out


# --- Refreshing -----------------------------------------------------------------------------------

def rollup_refresh(*, association_id: int, full: bool = False) -> bool:
    """Recompute the open days and the figures of now for one association (its whole history the
    first time, or with ``full``). Returns False without waiting when another refresh of the
    same association holds the lock (it is doing this very work). Safe to run twice: each day's
    row is rewritten from the rows themselves."""
    from programmes.models import Programme

    rollup = _rollup_row(association_id)
    with transaction.atomic():
        locked = DashboardRollup.objects.select_for_update(skip_locked=True).filter(pk=rollup.pk).first()
        if locked is None:
            return False
        today = timezone.localdate()
        programme_ids = list(Programme.objects.filter(association_id=association_id).order_by("pk").values_list("pk", flat=True))
        programme_rollups = {r.scope: r for r in DashboardRollup.objects.filter(
            association_id=association_id, scope__in=[programme_scope(pk) for pk in programme_ids])}
        # a programme never built (new, or built before programmes had rows): the whole history again
        built = locked.refreshed_at is not None and not full and len(programme_rollups) == len(programme_ids)
        # From the last refresh's own window on: days it left open are closed now, even after a
        # gap longer than the window (beat stopped for weeks).
        since = min(today, timezone.localdate(locked.refreshed_at)) if built else EPOCH
        facts_from = max(EPOCH, since - timedelta(days=FACTS_OPEN_DAYS)) if built else EPOCH
        state_from = max(EPOCH, since - timedelta(days=STATE_OPEN_DAYS)) if built else EPOCH
        last = today + timedelta(days=1)  # a survey or meeting dated tomorrow by a clock a little ahead
        mentee_facts, mentee_state = _mentee_days(association_id, state_from, last)
        binome_facts, binome_state = _binome_days(association_id, state_from, last)
        facts = _by_scope(_merge_days(mentee_facts, binome_facts, _activity_days(association_id, facts_from, last)))
        state = _by_scope(_merge_days(mentee_state, {k: {f"b_{n}": v for n, v in row.items()} for k, row in binome_state.items()}))
        scopes = ["", *(programme_scope(pk) for pk in programme_ids)]
        existing: dict[str, dict[date, DashboardDay]] = {key: {} for key in scopes}
        for row in DashboardDay.objects.filter(association_id=association_id, day__gte=state_from, scope__in=scopes):
            existing[row.scope][row.day] = row
        changed = []
        for key in scopes:
            scope_facts, scope_state, scope_rows = facts.get(key, {}), state.get(key, {}), existing[key]
            for d in sorted(set(scope_rows) | set(scope_facts) | set(scope_state)):
                row = scope_rows.get(d) or DashboardDay(association_id=association_id, scope=key, day=d)
                new_facts = scope_facts.get(d, {}) if d >= facts_from else row.facts
                new_state = scope_state.get(d, {})
                if row.pk is None or new_facts != row.facts or new_state != row.state:
                    row.facts, row.state = new_facts, new_state
                    changed.append(row)
        DashboardDay.objects.bulk_create(changed, update_conflicts=True, unique_fields=["association", "scope", "day"],
                                         update_fields=["facts", "state"], batch_size=500)
        now_figures, refreshed_at = _now_figures(association_id, programme_ids), timezone.now()
        locked.now, locked.refreshed_at = now_figures[""], refreshed_at
        locked.save(update_fields=["now", "refreshed_at"])
        # the programmes' figures of now: one upsert (their rows are never locked: this one is)
        DashboardRollup.objects.bulk_create(
            [DashboardRollup(association_id=association_id, scope=programme_scope(pk), now=now_figures[programme_scope(pk)],
                             refreshed_at=refreshed_at) for pk in programme_ids],
            update_conflicts=True, unique_fields=["association", "scope"], update_fields=["now", "refreshed_at"])
    return True


def rollups_refresh_all() -> int:
    """Refresh every association's rollup (beat, hourly; the retention job before it purges).
    Returns how many were refreshed (one being refreshed elsewhere is left to it)."""
    from associations.models import Association

    return sum(rollup_refresh(association_id=pk) for pk in Association.objects.order_by("pk").values_list("pk", flat=True))


def _rollup_row(association_id: int) -> DashboardRollup:
    try:
        return DashboardRollup.objects.get_or_create(association_id=association_id, scope="")[0]
    except IntegrityError:  # two first refreshes at once: the other one created it
        return DashboardRollup.objects.get(association_id=association_id, scope="")


def _merge_days(*parts: Keyed) -> Keyed:
    out: Keyed = {}
    for part in parts:
        for d, row in part.items():
            out.setdefault(d, {}).update(row)
    return out


def rollups_ensure(association_ids: Iterable[int], *, max_age: int | None = None) -> dict[int, DashboardRollup]:
    """The rollups of these associations. One older than ``DASHBOARD_ROLLUP_SECONDS`` is read as
    it is while a worker refreshes it (one job per association and interval, through the
    outbox): no request waits for a recount. One never built is built now (or, being built by
    another request, waited for). With ``DASHBOARD_ROLLUP_SECONDS = 0`` every read recounts
    first, in the request (tests, and a demo without a worker)."""
    ids = list(association_ids)
    seconds = rollup_seconds() if max_age is None else max_age
    rollups = {r.association_id: r for r in DashboardRollup.objects.filter(association_id__in=ids, scope="")}
    fresh_after = timezone.now() - timedelta(seconds=seconds)
    for association_id in ids:
        rollup = rollups.get(association_id)
        built = rollup is not None and rollup.refreshed_at is not None
        if built and rollup.refreshed_at > fresh_after:
            continue
        if built and seconds:
            _queue_refresh(association_id, seconds)
            continue
        if not rollup_refresh(association_id=association_id) and not built:
            with transaction.atomic():  # being built by another request: wait for it (its lock)
                DashboardRollup.objects.select_for_update().filter(association_id=association_id, scope="").first()
        rollups[association_id] = DashboardRollup.objects.get(association_id=association_id, scope="")
    return rollups


def _queue_refresh(association_id: int, seconds: int) -> None:
    """At most one refresh job per association and interval (the cache remembers it was asked;
    the outbox key holds even without the cache)."""
    from django.core.cache import cache

    import outbox
    from dashboards import tasks

    if cache.add(f"dashboard:rollup-queued:{association_id}", 1, seconds):
        outbox.emit(tasks.refresh_rollup, association_id, key=f"rollup-refresh:{association_id}:{int(time_module.time()) // seconds}")


# --- Reading --------------------------------------------------------------------------------------

@dataclass
class Totals:
    """The sums of a period's days (and the figures of now), as ``dashboards.indicators`` uses them."""

    facts: Counter = field(default_factory=Counter)  # sign-ups, started, ended, surveys...
    state: Counter = field(default_factory=Counter)
    deps: Counter = field(default_factory=Counter)
    took: Counter = field(default_factory=Counter)  # days from validation to binôme -> binômes
    by_month: dict[str, Counter] = field(default_factory=dict)  # "signed" | "started" | "messages" | "meetings"
    waited: Counter = field(default_factory=Counter)
    health: Counter = field(default_factory=Counter)
    ends_continued: int = 0
    cascade: int = 0
    chain: int = 0
    longest: list[int] = field(default_factory=list)


MONTHLY = ("signed", "started", "messages", "meetings")


def totals_read(*, association_ids: list[int], start: date, end: date, months: list[date], max_age: int | None = None,
                programme_id: int | None = None) -> Totals:
    """The period's figures from the rollup (of one programme when ``programme_id`` is given): one
    query for the rollups, one for the days, and one for the programme's figures of now."""
    rollups = rollups_ensure(association_ids, max_age=max_age)
    key = programme_scope(programme_id)
    if programme_id is not None:
        rollups = {r.association_id: r for r in DashboardRollup.objects.filter(association_id__in=association_ids, scope=key)}
        if not rollups:  # a programme created since the last refresh: built now (its history with it)
            for association_id in association_ids:
                rollup_refresh(association_id=association_id)
            rollups = {r.association_id: r for r in DashboardRollup.objects.filter(association_id__in=association_ids, scope=key)}
    out = Totals()
    month_index = {(m.year, m.month): i for i, m in enumerate(months)}
    days = DashboardDay.objects.filter(association_id__in=association_ids, scope=key, day__gte=start, day__lte=end)
    # Plain dicts and one pass per row (Counter.update was a third of this function's CPU).
    facts: dict[str, int] = {}
    state: dict[str, int] = {}
    monthly = {key: [0] * len(months) for key in MONTHLY}
    for d, day_facts, day_state in days.values_list("day", "facts", "state"):  # at most 366 rows a year: one fetch
        i = month_index[(d.year, d.month)]
        for key, value in day_facts.items():
            if key == "deps":
                out.deps.update(value)
            elif key == "took":
                for k, v in value.items():
                    out.took[int(k)] += v
            else:
                facts[key] = facts.get(key, 0) + (value or 0)
                if key in monthly:
                    monthly[key][i] += value or 0
        for key, value in day_state.items():
            state[key] = state.get(key, 0) + value
    out.facts.update(facts)
    out.state.update(state)
    out.by_month = {key: Counter(dict(enumerate(values))) for key, values in monthly.items()}
    for rollup in rollups.values():
        now = rollup.now
        out.waited.update({int(k): v for k, v in now.get("waited", {}).items() if k != "None"})
        out.facts["waiting_now"] += sum(now.get("waited", {}).values())
        out.health.update(now.get("health", {}))
        out.ends_continued += sum(c for d, c in now.get("continued", {}).items() if d >= start.isoformat())
        out.cascade += now.get("cascade", 0)
        out.chain = max(out.chain, now.get("chain", 0))
        out.longest = now.get("longest", []) if len(rollups) == 1 else []
    return out


def histogram_percentiles(histogram: Counter, ps: tuple[float, ...]) -> list[int | None]:
    """percentile_disc over a histogram {value: count}: the first value whose cumulative share
    reaches p (as the database computes it over the rows)."""
    n = sum(histogram.values())
    if not n:
        return [None] * len(ps)
    out = []
    for p in ps:
        rank, cumulative = max(1, math.ceil(p * n)), 0
        for value in sorted(histogram):
            cumulative += histogram[value]
            if cumulative >= rank:
                out.append(value)
                break
    return out
