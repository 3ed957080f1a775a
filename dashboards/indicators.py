"""The programme's figures, computed by the database (aggregates only, no per-row Python), with a
fixed number of queries whatever the size of the association.

Scope: one association (coordinators) or all (the operator, who gets aggregates only).
Period: events (sign-ups, pairings, ends, answers, messages) that happened between two dates.
Cohort: optionally, the binômes that started in one programme year (September to August).
"""

from __future__ import annotations

import math
import time as systime  # ``time`` is datetime's here
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binomes.health import AT_RISK, NEEDS_ATTENTION, ON_TRACK, annotate_health
from binomes.models import Binome, EndSurvey, Meeting, Message
from binomes.selectors import settled_mentee_ids
from dashboards.figures import Figure, Series, count, days, ratio
from matching.models import Proposal
from participants.choices import PCS
from participants.models import Participant
from participants.selectors import AGE_BANDS, birth_date_range_for_ages

S = Binome.Status
ENDED = (S.COMPLETED, S.ENDED_EARLY)


@dataclass(frozen=True)
class Scope:
    association_ids: tuple[int, ...] | None  # None: every association (operator)
    start: date
    end: date
    cohort: int | None = None  # programme year starting in September of this year
    programme_id: int | None = None  # one programme of the (one) association; None: all of them

    def prog(self, path: str) -> Q:
        """The programme's rows (``path``: from the rows to their programme's id)."""
        if self.programme_id is None:
            return Q()
        return Q(**{path: self.programme_id})

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def assoc(self, prefix: str = "") -> Q:
        if self.association_ids is None:
            return Q()
        return Q(**{f"{prefix}association_id__in": self.association_ids})

    def cohort_filter(self, prefix: str = "") -> Q:
        if self.cohort is None:
            return Q()
        return Q(**{f"{prefix}started_on__gte": date(self.cohort, 9, 1), f"{prefix}started_on__lt": date(self.cohort + 1, 9, 1)})


@dataclass
class Indicators:
    funnel: list[Figure] = field(default_factory=list)
    waiting: list[Figure] = field(default_factory=list)
    longest_waiters: list[Participant] = field(default_factory=list)
    activity: list[Figure] = field(default_factory=list)
    health: Series | None = None
    outcomes: list[Figure] = field(default_factory=list)
    brought: Series | None = None
    end_reasons: Series | None = None
    reach: list[Figure] = field(default_factory=list)
    by_pcs: Series | None = None
    by_age: Series | None = None
    by_departement: Series | None = None
    cascade: list[Figure] = field(default_factory=list)
    trends: list[Series] = field(default_factory=list)
    early_endings: list[Figure] = field(default_factory=list)
    # The page's figure blocks, rendered once when the figures are computed for the cache
    # (``_prerender``): rendering them was most of a warm dashboard's CPU (38 ms at 1,000
    # participants, against 1 ms to read the figures from the cache).
    html_key: str = ""
    html_sections: str = ""

    @property
    def key_figures(self) -> list[Figure]:
        """The five figures a coordinator reads first, on top of the dashboard (on a phone, the
        first screen): who waits and for how long, the pairs running, those needing attention,
        and whether mentors are satisfied. Each is also in its own section below."""
        picks = [(self.waiting, 0), (self.waiting, 1), (self.activity, 0), (self.activity, 3), (self.outcomes, 0)]
        return [figures[i] for figures, i in picks if len(figures) > i]

    def all_figures(self) -> list[tuple[str, Figure]]:
        sections = (("Parcours", self.funnel), ("Attente", self.waiting), ("Activité", self.activity),
                    ("Résultats", self.outcomes), ("Arrêts précoces", self.early_endings), ("Public touché", self.reach), ("Cascade", self.cascade))
        return [(section, f) for section, figures in sections for f in figures]


def _percentiles(qs: QuerySet, expression_name: str, ps: tuple[float, ...], n: int) -> list:
    """Percentiles of an annotated column, computed by the database: PostgreSQL's
    percentile_disc (all of them in one query), elsewhere one ORDER BY … OFFSET row each (SQLite
    has no percentile function)."""
    if n == 0:
        return [None] * len(ps)
    if connection.vendor == "postgresql":
        from django.db.models import Aggregate

        def disc(p: float) -> Aggregate:
            class PercentileDisc(Aggregate):
                function = "percentile_disc"
                template = "%(function)s(" + repr(float(p)) + ") WITHIN GROUP (ORDER BY %(expressions)s)"

            return PercentileDisc(expression_name)

        row = qs.aggregate(**{f"p{i}": disc(p) for i, p in enumerate(ps)})
        return [row[f"p{i}"] for i in range(len(ps))]
    # percentile_disc: the first value whose cumulative share reaches p.
    ordered = qs.order_by(expression_name).values_list(expression_name, flat=True)
    return [ordered[min(n - 1, max(0, math.ceil(p * n) - 1))] for p in ps]


@dataclass
class Inputs:
    """What the figures are built from, read from the rollup or (for a cohort) aggregated live."""

    p: dict  # the period's mentee sign-ups (and the all-time waiting_now, cascade); signups_<month>
    b: dict  # the period's binômes: started (and where they stand), ended, why; started_<month>
    sv: dict  # end surveys answered in the period
    messages: dict  # m_<month>
    meetings: dict  # m_<month>
    health: dict  # running binômes by health, now
    waiting_median: float | None
    waiting_p90: float | None
    pairing_median: float | None
    longest_waiters: list
    deps: list  # (label, count), at most 15, most first
    chain: int


def compute(scope: Scope, *, longest: int = 10) -> Indicators:
    """All the figures of ``scope``. Without a cohort (every dashboard by default), read from the
    rollup (``dashboards.rollup``): 3 queries (the rollup, the period's days, the longest
    waiters) whatever the size and age of the association, and unchanged by retention purges.
    A cohort (binômes started in one programme year, with their messages, meetings and surveys)
    cuts across the days, so it is aggregated live (``_live_inputs``, 13 queries)."""
    inputs = _live_inputs(scope, longest=longest) if scope.cohort is not None else _rollup_inputs(scope, longest=longest)
    return _build(scope, inputs)


def _rollup_inputs(scope: Scope, *, longest: int) -> Inputs:
    from associations.models import Association
    from dashboards import rollup

    ids = list(scope.association_ids) if scope.association_ids is not None else list(Association.objects.values_list("pk", flat=True))
    months = _month_starts(scope)
    # The operator's view adds every association: their rollups are kept by beat (hourly) and
    # by their own dashboards; a request refreshes only those never built.
    t = rollup.totals_read(association_ids=ids, start=scope.start, end=scope.end, months=months,
                           max_age=None if scope.association_ids is not None else rollup.OPERATOR_MAX_AGE,
                           programme_id=scope.programme_id)
    f, s = t.facts, t.state
    p = {
        "signed": f["signed"], "validated": s["validated"], "waiting": s["waiting"], "proposed": s["proposed"], "paired": s["paired"],
        "n_qpv": f["n_qpv"], "n_boursier": f["n_boursier"], "n_first": f["n_first"], "n_priority": f["n_priority"],
        **{f"age_{code}": f[f"age_{code}"] for code in AGE_BANDS}, **{f"pcs_{code}": f[f"pcs_{code}"] for code in PCS.values},
        **{f"signups_{i}": t.by_month["signed"][i] for i in range(len(months))},
        "waiting_now": f["waiting_now"], "cascade": t.cascade,
    }
    b = {
        "total": f["started"], "active": s["b_active"], "completed": s["b_completed"], "continued": s["b_continued"], "early": s["b_early"],
        "paired_after_validation": f["paired_after_validation"], "reached": f["reached"] + t.ends_continued,
        "ends_continued": t.ends_continued, "ends_early": f["ends_early"], "early_3m": f["early_3m"],
        **{f"reason_{code}": f[f"reason_{code}"] for code in Binome.EndReason.values},
        **{f"started_{i}": t.by_month["started"][i] for i in range(len(months))},
    }
    sv_keys = ("mentors", "mentees", "mentors_satisfied", "mentees_satisfied", "mentors_promoters", "mentors_detractors",
               "mentees_promoters", "mentees_detractors")
    sv = {key: f[key] for key in sv_keys}
    sv["confidence_gain"] = f["confidence_sum"] / f["confidence_n"] if f["confidence_n"] else None
    sv.update({f"brought_{c.value}": f[f"brought_{c.value}"] for c in EndSurvey.Brought})
    median, p90 = rollup.histogram_percentiles(t.waited, (0.5, 0.9))
    waiters = []
    if scope.association_ids is not None and longest and t.longest:  # 1 query, in the rollup's order
        found = Participant.objects.select_related("membership__user", "association").in_bulk(t.longest[:longest])
        waiters = [found[pk] for pk in t.longest[:longest] if pk in found]
    return Inputs(
        p=p, b=b, sv=sv,
        messages={f"m_{i}": t.by_month["messages"][i] for i in range(len(months))},
        meetings={f"m_{i}": t.by_month["meetings"][i] for i in range(len(months))},
        health=dict(t.health), waiting_median=median, waiting_p90=p90,
        pairing_median=rollup.histogram_percentiles(t.took, (0.5,))[0], longest_waiters=waiters,
        deps=t.deps.most_common(15), chain=t.chain,
    )


def _live_inputs(scope: Scope, *, longest: int) -> Inputs:
    """The figures' inputs aggregated from the rows, in 13 queries: one aggregate over
    participants, one over binômes, one each over messages, meetings and surveys, a per-month
    grouping each for sign-ups and started binômes, plus the health grouping, waiting-time
    percentiles, the départements, the longest waiters and the cascade chain.

    JIT stays off for these aggregates too (the connection's setting, ``DB_JIT``, see
    mentorat/settings.py): ``benchmarks/dashboard_cold.py --jit on`` at 10k participants, same
    run, cold compute median 638 ms against 553 ms with it off (load 12 on 2 cores); their costs
    stay far below what compiling repays."""
    from dashboards.rollup import early_end_q

    today = min(timezone.localdate(), scope.end)
    months = _month_starts(scope)
    # A programme's figures: its participants, its mentees' binômes and their activity (the
    # membership subqueries below may stay association-wide: they only test these rows).
    participants = Participant.objects.filter(scope.assoc()).filter(scope.prog("programme_id"))
    binomes = Binome.objects.filter(scope.assoc()).filter(scope.prog("mentee__programme_id")).filter(scope.cohort_filter())
    # Membership tests as "id IN (subquery)": PostgreSQL hashes each subquery once instead of
    # probing it for every participant (three EXISTS per row cost 30 ms at 10,000 people).
    settled_ids = settled_mentee_ids(scope.assoc())
    paired_ids = Binome.objects.filter(scope.assoc()).values("mentee_id")
    proposed_ids = Proposal.objects.filter(scope.assoc(), status=Proposal.Status.PROPOSED).values("mentee_id")
    mentee_in = Q(role="mentee", created_at__gte=scope.since, created_at__lt=scope.until)
    waiting_q = Q(role="mentee", status="validated") & ~Q(pk__in=settled_ids)
    bands = {code: birth_date_range_for_ages(low, high, today) for code, (low, high) in AGE_BANDS.items()}

    # 1 query — every figure about the mentees who signed up in the period (the period is the
    # WHERE clause, so each count below tests only its own condition).
    p = participants.filter(mentee_in).aggregate(
        signed=Count("pk"),
        validated=Count("pk", filter=Q(validated_at__isnull=False)),
        waiting=Count("pk", filter=waiting_q),
        proposed=Count("pk", filter=Q(pk__in=proposed_ids)),
        paired=Count("pk", filter=Q(pk__in=paired_ids)),
        n_qpv=Count("pk", filter=Q(qpv_resident=True)),
        n_boursier=Count("pk", filter=Q(boursier=True)),
        n_first=Count("pk", filter=Q(first_generation=True)),
        n_priority=Count("pk", filter=Q(qpv_resident=True) | Q(boursier=True)),
        **{f"age_{code}": Count("pk", filter=Q(birth_date__gte=lo, birth_date__lte=hi)) for code, (lo, hi) in bands.items()},
        **{f"pcs_{code}": Count("pk", filter=Q(parents_pcs=code)) for code in PCS.values},
    )
    # 1 query — sign-ups per month: one GROUP BY (a bucket per row) rather than a FILTER per month.
    p.update(_month_buckets(participants.filter(mentee_in), "created_at", months, prefix="signups"))
    # 1 query — all-time counts: who waits now, and former mentees now mentoring (the cascade).
    p.update(participants.aggregate(
        waiting_now=Count("pk", filter=waiting_q),
        cascade=Count("pk", filter=Q(role="mentor", came_from_binome__isnull=False)),
    ))
    # 1 query — every figure about binômes: started in the period (or the cohort), ended in it, why.
    started_q = Q(created_at__gte=scope.since, created_at__lt=scope.until) if scope.cohort is None else Q()
    ended_early_q = Q(status=S.ENDED_EARLY, ended_on__gte=scope.start, ended_on__lte=scope.end)
    continued_q = Q(status=S.CONTINUED, continued_count__gte=1, planned_end_on__gte=scope.start)
    b = binomes.aggregate(
        total=Count("pk", filter=started_q),
        active=Count("pk", filter=started_q & Q(status__in=[S.ACTIVE, S.CONTINUED, S.SUSPENDED])),
        completed=Count("pk", filter=started_q & Q(status=S.COMPLETED)),
        continued=Count("pk", filter=started_q & Q(status=S.CONTINUED)),
        early=Count("pk", filter=started_q & Q(status=S.ENDED_EARLY)),
        paired_after_validation=Count("pk", filter=started_q & Q(mentee__validated_at__isnull=False)),
        reached=Count("pk", filter=Q(status=S.COMPLETED, ended_on__gte=scope.start, ended_on__lte=scope.end) | continued_q),
        ends_continued=Count("pk", filter=continued_q),
        ends_early=Count("pk", filter=ended_early_q),
        **{f"reason_{code}": Count("pk", filter=ended_early_q & Q(end_reason_code=code)) for code in Binome.EndReason.values},
        early_3m=Count("pk", filter=ended_early_q & early_end_q()),
    )
    # 1 query — binômes started per month (the cohort's, or the period's).
    b.update(_month_buckets(binomes.filter(created_at__gte=scope.since, created_at__lt=scope.until), "created_at", months, prefix="started"))
    # Waiting now (validated mentees without an open or completed binôme), whatever their sign-up.
    n_waiting = p["waiting_now"]
    waiting_now = participants.filter(waiting_q).annotate(
        waited=ExpressionWrapper(timezone.now() - F("validated_at"), output_field=DurationField()))
    median, p90 = _percentiles(waiting_now, "waited", (0.5, 0.9), n_waiting)  # 1 query (2 on SQLite)
    pairing = binomes.filter(started_q).annotate(
        took=ExpressionWrapper(F("created_at") - F("mentee__validated_at"), output_field=DurationField())).filter(took__isnull=False)
    pairing_median = _percentiles(pairing, "took", (0.5,), b["paired_after_validation"])[0]  # 1 query
    # 1 query — the longest waiters, by name, for the coordinator to act (never for the operator).
    waiters = []
    if scope.association_ids is not None and longest:
        waiters = list(waiting_now.select_related("membership__user", "association").order_by("validated_at")[:longest])
    # 1 query — running binômes by health.
    running = annotate_health(Binome.objects.filter(scope.assoc()).filter(scope.prog("mentee__programme_id")).filter(scope.cohort_filter())
                              .filter(status__in=Binome.RUNNING_STATUSES))
    health_counts = dict(running.values_list("live_health").annotate(n=Count("pk")).values_list("live_health", "n"))
    # 2 queries — messages and meetings per month; the period's totals are their sums.
    messages = _month_buckets(Message.objects.filter(scope.assoc()).filter(scope.prog("binome__mentee__programme_id"))
                              .filter(scope.cohort_filter("binome__"))
                              .filter(created_at__gte=scope.since, created_at__lt=scope.until), "created_at", months, prefix="m")
    meetings = _month_buckets(Meeting.objects.filter(scope.assoc("binome__")).filter(scope.prog("binome__mentee__programme_id"))
                              .filter(scope.cohort_filter("binome__"))
                              .filter(happened_on__gte=scope.start, happened_on__lte=scope.end), "happened_on", months, prefix="m", dates=True)
    # 1 query — end surveys answered in the period, by role.
    surveys = (EndSurvey.objects.filter(scope.assoc("binome__")).filter(scope.prog("binome__mentee__programme_id"))
               .filter(scope.cohort_filter("binome__")).filter(created_at__gte=scope.since, created_at__lt=scope.until))
    text = Cast("brought", TextField())
    sv = surveys.annotate(brought_text=text).aggregate(
        mentors=Count("pk", filter=Q(role="mentor")), mentees=Count("pk", filter=Q(role="mentee")),
        mentors_satisfied=Count("pk", filter=Q(role="mentor", satisfaction__gte=4)),
        mentees_satisfied=Count("pk", filter=Q(role="mentee", satisfaction__gte=4)),
        mentors_promoters=Count("pk", filter=Q(role="mentor", would_recommend__gte=9)),
        mentors_detractors=Count("pk", filter=Q(role="mentor", would_recommend__lte=6)),
        mentees_promoters=Count("pk", filter=Q(role="mentee", would_recommend__gte=9)),
        mentees_detractors=Count("pk", filter=Q(role="mentee", would_recommend__lte=6)),
        confidence_gain=Avg(ExpressionWrapper(F("confidence_now") - F("confidence_before"), output_field=FloatField()), filter=Q(role="mentee")),
        **{f"brought_{c.value}": Count("pk", filter=Q(role="mentee", brought_text__contains=f'"{c.value}"')) for c in EndSurvey.Brought},
    )
    deps = participants.filter(mentee_in).values_list("commune__departement_id", "commune__departement__name").annotate(c=Count("pk")).order_by("-c")[:15]  # 1 query
    return Inputs(p=p, b=b, sv=sv, messages=messages, meetings=meetings, health=health_counts, waiting_median=median, waiting_p90=p90,
                  pairing_median=pairing_median, longest_waiters=waiters, deps=[(f"{code} – {name}", c) for code, name, c in deps],
                  chain=longest_chain(scope.association_ids, programme_id=scope.programme_id) if p["cascade"] else 0)  # 1 recursive query


def _build(scope: Scope, inputs: Inputs) -> Indicators:
    """The figures, their labels and their honest displays, whichever way their inputs came."""
    out = Indicators()
    months = _month_starts(scope)
    p, b, sv, health_counts = inputs.p, inputs.b, inputs.sv, inputs.health
    out.funnel = [
        count(_("Inscrit·es (mentoré·es)"), p["signed"]), count(_("Validé·es"), p["validated"]),
        count(_("En attente d'un binôme"), p["waiting"]), count(_("Binôme proposé"), p["proposed"]),
        count(_("Mis·es en binôme"), p["paired"]), count(_("Binômes commencés"), b["total"]),
        count(_("Binômes en cours"), b["active"]), count(_("Terminés"), b["completed"]),
        count(_("Prolongés"), b["continued"]), count(_("Arrêtés avant la fin"), b["early"]),
    ]
    n_waiting, n_pairing = p["waiting_now"], b["paired_after_validation"]
    out.waiting = [
        count(_("Mentoré·es en attente"), n_waiting),
        days(_("Attente médiane"), inputs.waiting_median, n_waiting), days(_("Attente du 9e décile (90 %)"), inputs.waiting_p90, n_waiting),
        days(_("Délai médian validation → binôme"), inputs.pairing_median, n_pairing),
    ]
    out.longest_waiters = inputs.longest_waiters
    n_running = sum(health_counts.values())
    out.health = Series(str(_("Binômes en cours par état de santé")), [
        (str(_("tout va bien")), health_counts.get(ON_TRACK, 0)), (str(_("à surveiller")), health_counts.get(NEEDS_ATTENTION, 0)),
        (str(_("en difficulté")), health_counts.get(AT_RISK, 0))], n_running)
    out.trends = [
        _series(_("Inscriptions de mentoré·es par mois"), months, p, "signups"),
        _series(_("Binômes commencés par mois"), months, b, "started"),
        _series(_("Messages par mois"), months, inputs.messages, "m"),
        _series(_("Rencontres par mois"), months, inputs.meetings, "m"),
    ]
    n_messages, n_meetings = out.trends[2].n, out.trends[3].n
    span = max(1.0, (scope.end - scope.start).days / 30.44)
    out.activity = [
        count(_("Binômes en cours"), n_running),
        Figure(str(_("Rencontres par binôme et par mois")), n_meetings / n_running / span if n_running else None, n_running, "score"),
        Figure(str(_("Messages par mois")), n_messages / span, n_running, "score"),
        ratio(_("Binômes à surveiller ou en difficulté"), health_counts.get(NEEDS_ATTENTION, 0) + health_counts.get(AT_RISK, 0), n_running),
    ]
    n_ended = b["reached"] + b["ends_early"]
    out.outcomes = [
        ratio(_("Mentors satisfaits (4 ou 5 sur 5)"), sv["mentors_satisfied"], sv["mentors"]),
        ratio(_("Mentors qui recommanderaient (9 ou 10 sur 10)"), sv["mentors_promoters"], sv["mentors"]),
        Figure(str(_("NPS des mentors")), _nps(sv["mentors_promoters"], sv["mentors_detractors"], sv["mentors"]), sv["mentors"], "nps"),
        ratio(_("Mentoré·es satisfait·es (4 ou 5 sur 5)"), sv["mentees_satisfied"], sv["mentees"]),
        ratio(_("Mentoré·es qui recommanderaient (9 ou 10 sur 10)"), sv["mentees_promoters"], sv["mentees"]),
        Figure(str(_("NPS des mentoré·es")), _nps(sv["mentees_promoters"], sv["mentees_detractors"], sv["mentees"]), sv["mentees"], "nps"),
        Figure(str(_("Gain de confiance des mentoré·es (sur 5)")), sv["confidence_gain"], sv["mentees"], "score"),
        ratio(_("Binômes prolongés après la fin prévue"), b["ends_continued"], b["reached"]),
        ratio(_("Binômes arrêtés avant la fin"), b["ends_early"], n_ended),
    ]
    # Issue 13: early endings within the first three months, highlighted (their own block on
    # the page, with a link to the ended-early binômes); the share is of the binômes that ended
    # in the period, like the line above, and shows "—" below five.
    out.early_endings = [
        count(_("Arrêtés dans les trois premiers mois"), b["early_3m"]),
        ratio(_("Part des fins de binôme survenues dans les trois premiers mois"), b["early_3m"], n_ended),
    ]
    brought_keys = list(EndSurvey.Brought)
    out.brought = Series(str(_("Ce que le mentorat a apporté (mentoré·es)")), [(str(c.label), sv[f"brought_{c.value}"]) for c in brought_keys], sv["mentees"])
    out.end_reasons = Series(str(_("Raisons des arrêts avant la fin")), [(str(label), b[f"reason_{code}"]) for code, label in Binome.EndReason.choices], b["ends_early"])

    # Reach: mentees who signed up in the period.
    out.reach = [
        ratio(_("Habitant un quartier prioritaire (QPV)"), p["n_qpv"], p["signed"]), ratio(_("Boursier·es"), p["n_boursier"], p["signed"]),
        ratio(_("Première génération dans le supérieur"), p["n_first"], p["signed"]),
        ratio(_("QPV ou boursier·es (public prioritaire)"), p["n_priority"], p["signed"]),
    ]
    out.by_pcs = Series(str(_("Catégorie professionnelle des parents")), [(str(label), p[f"pcs_{code}"]) for code, label in PCS.choices], p["signed"])
    age_labels = {"under_15": _("moins de 15 ans"), "15_17": _("15–17 ans"), "18_25": _("18–25 ans"), "26_plus": _("26 ans et plus")}
    out.by_age = Series(str(_("Âge")), [(str(age_labels[code]), p[f"age_{code}"]) for code in AGE_BANDS], p["signed"])
    out.by_departement = Series(str(_("Département")), list(inputs.deps), p["signed"])

    # Cascade: mentors who were mentees, and the longest chain.
    out.cascade = [
        count(_("Ancien·nes mentoré·es devenu·es mentors"), p["cascade"]),
        Figure(str(_("Plus longue chaîne (générations de mentors issues de la cascade)")), inputs.chain, p["cascade"], "count"),
    ]
    return out


def _nps(promoters: int, detractors: int, n: int) -> float | None:
    return 100 * (promoters - detractors) / n if n else None


def _month_starts(scope: Scope) -> list[date]:
    first = scope.start.replace(day=1)
    months, current = [], first
    while current <= scope.end:
        months.append(current)
        current = _next_month(current)
    return months


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _month_buckets(qs: QuerySet, column: str, months: list[date], *, prefix: str, dates: bool = False) -> dict[str, int]:
    """Counts per calendar month (Paris time) for one table: one GROUP BY of each row's month.
    The month boundaries are computed here once, so the database only compares values
    (converting every row's timestamp to Paris time cost 20 ms on 40,000 messages). On
    PostgreSQL the month is ``width_bucket(column, <month ends>)``, one binary search per row;
    it replaced a CASE of one comparison per month (35 % of this query at 42,000 messages) and,
    for sign-ups and binômes, a FILTERed count per month inside the big aggregates (every row
    tested against each month). Elsewhere (SQLite), the CASE."""

    def edge(day: date):  # noqa: ANN202
        return day if dates else timezone.make_aware(datetime.combine(day, time.min))

    ends = [edge(_next_month(m)) for m in months]
    if connection.vendor == "postgresql":
        bucket = Func(F(column), Value(ends, output_field=ArrayField(DateField() if dates else DateTimeField())),
                      function="width_bucket", output_field=IntegerField())
    else:
        bucket = Case(*[When(**{f"{column}__lt": end}, then=Value(i)) for i, end in enumerate(ends)],
                      default=Value(len(months)), output_field=IntegerField())
    rows = dict(qs.annotate(month_index=bucket).values_list("month_index").annotate(c=Count("pk")).values_list("month_index", "c"))
    return {f"{prefix}_{i}": rows.get(i, 0) for i in range(len(months))}


def _series(title: str, months: list[date], counts: dict, prefix: str) -> Series:
    rows = [(m.strftime("%m/%Y"), counts[f"{prefix}_{i}"]) for i, m in enumerate(months)]
    while rows and rows[0][1] == 0:  # months before any activity say nothing
        rows.pop(0)
    return Series(str(title), rows, sum(c for _, c in rows), unit="total")


def longest_chain(association_ids: tuple[int, ...] | None, *, programme_id: int | None = None) -> int:
    """Generations in the longest cascade chain: a mentee who became a mentor is generation 1; if
    one of their mentees became a mentor, generation 2; and so on (of the chains that start in
    ``programme_id`` when given). One recursive query (standard SQL, PostgreSQL and SQLite alike)."""
    p, b = Participant._meta.db_table, Binome._meta.db_table
    where, params = "", []
    if association_ids is not None:
        if not association_ids:
            return 0
        where = f" AND association_id IN ({', '.join(['%s'] * len(association_ids))})"
        params = list(association_ids)
    if programme_id is not None:
        where += " AND programme_id = %s"
        params.append(programme_id)
    sql = f"""
        WITH RECURSIVE chain(participant_id, depth) AS (
            SELECT id, 1 FROM {p} WHERE came_from_binome_id IS NOT NULL{where}
            UNION ALL
            SELECT child.id, chain.depth + 1
            FROM chain
            JOIN {b} AS mentored ON mentored.mentor_id = chain.participant_id
            JOIN {p} AS child ON child.came_from_binome_id = mentored.id
            WHERE chain.depth < 50
        )
        SELECT COALESCE(MAX(depth), 0) FROM chain
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


# The last figures are kept this many times their freshness, to be served while one request
# recomputes them; the lock outlives a cold computation (seconds at 10k), and frees itself if
# its holder dies; a request with no figures at all waits this long for the one computing.
STALE_KEPT_FOR = 10
RECOMPUTE_LOCK_SECONDS = 60
COLD_WAIT_SECONDS = 10.0


def compute_cached(scope: Scope) -> Indicators:
    """``compute`` behind a short cache (``DASHBOARD_CACHE_SECONDS``, 120 s by default; 0 turns
    it off): a coordinator clicking around the dashboard or changing a filter back does not make
    the database recount ten thousand people each time, and figures are at most two minutes old.
    The language is part of the key: some labels are translated when computed.

    One recomputation at a time (no stampede when the figures expire under load): the request
    that takes the lock (``cache.add``) recomputes, the others serve the last figures meanwhile,
    or, if there are none yet, wait for them. While Redis is down ``mentorat.cache`` falls back
    to a per-process cache, and so does the lock: at most one recomputation per process."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils.translation import get_language

    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 120)
    if not seconds:
        return compute(scope)
    key = _cache_key(scope, get_language())
    entry = cache.get(key)  # (computed at, figures)
    if entry is not None and entry[0] > timezone.now() - timedelta(seconds=seconds):
        return entry[1]
    lock = f"{key}:computing"
    if cache.add(lock, 1, RECOMPUTE_LOCK_SECONDS):
        try:
            result = compute_rendered(scope)
            cache.set(key, (timezone.now(), result), seconds * STALE_KEPT_FOR)
        finally:
            cache.delete(lock)
        return result
    if entry is not None:
        return entry[1]
    deadline = systime.monotonic() + COLD_WAIT_SECONDS
    while systime.monotonic() < deadline:
        systime.sleep(0.05)
        entry = cache.get(key)
        if entry is not None:
            return entry[1]
    return compute(scope)  # the one computing did not finish in time: answer rather than wait on


def compute_rendered(scope: Scope) -> Indicators:
    """``compute``, with the page's figure blocks rendered into the result (in the active
    language), for the cache."""
    return _prerender(scope, compute(scope))


def _prerender(scope: Scope, ind: Indicators) -> Indicators:
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from associations.models import Association
    from programmes.models import Programme

    slug = programme_slug = None
    if scope.association_ids is not None and len(scope.association_ids) == 1:
        slug = Association.objects.filter(pk=scope.association_ids[0]).values_list("slug", flat=True).first()
    if scope.programme_id is not None:  # links to the lists keep the dashboard's programme
        programme_slug = Programme.objects.filter(pk=scope.programme_id).values_list("slug", flat=True).first()
    ind.html_key = mark_safe(render_to_string("dashboards/_key_figures.html", {"ind": ind}))  # noqa: S308 - our own template
    ind.html_sections = mark_safe(render_to_string(  # noqa: S308
        "dashboards/_sections.html", {"ind": ind, "slug": slug, "programme_slug": programme_slug}))
    return ind


def _cache_key(scope: Scope, language: str) -> str:
    ids = "all" if scope.association_ids is None else "-".join(map(str, scope.association_ids))
    return f"dashboard:v3:{ids}:{scope.programme_id or ''}:{scope.start}:{scope.end}:{scope.cohort}:{language}"


def compute_refresh(scope: Scope) -> bool:
    """Recompute ``scope``'s figures now, in the active language, ahead of any request (the beat
    job in ``dashboards.refresh``), unless a request or another job is already at it (the same
    lock as ``compute_cached``). Returns whether it recomputed."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils.translation import get_language

    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 120)
    if not seconds:
        return False
    key = _cache_key(scope, get_language())
    if not cache.add(f"{key}:computing", 1, RECOMPUTE_LOCK_SECONDS):
        return False
    try:
        cache.set(key, (timezone.now(), compute_rendered(scope)), seconds * STALE_KEPT_FOR)
    finally:
        cache.delete(f"{key}:computing")
    return True
