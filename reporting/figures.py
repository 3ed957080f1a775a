"""The funder report's tables, counted by the database (aggregates only, never a row per person).

Each table has a line for everyone ("Ensemble") and, below, one line per group of each target
public: QPV, ASE, disability, lycée professionnel, boursier, age band, gender, département. The
groups are those of the young person (the mentee) for the tables about pairs, of the mentor for the
mentors' table, of the person who answered for satisfaction.

Small numbers are suppressed with the dashboards' own rule (``dashboards.figures``): a ratio, a
median or a mean resting on fewer than ``MIN_PEOPLE`` people is not shown. In the breakdowns a
count between 1 and ``MIN_PEOPLE - 1`` is not shown either: there a count crosses a trait of a
person (possibly a sensitive one) with an event the coordinator knows of (a pair that ended for
safeguarding…), and a "1" would point at someone. For the sensitive publics (ASE, disability) only
the "yes" line is given, so that no line subtracted from the total reveals a suppressed one.

"Rural commune" is not in the report: no official classification of communes (INSEE's grille
communale de densité, zonage en aires d'attraction des villes) can be installed from the package
registries the platform uses, and the reference data has populations but no areas; a rule of our
own would not be the State's (see reporting/README.md).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DateField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from binomes.models import Binome, CheckIn, EndSurvey, Meeting
from dashboards.figures import MIN_PEOPLE, Figure, count, days, ratio
from geo.models import Departement
from participants.choices import Education, Gender
from participants.models import Participant
from participants.selectors import AGE_BANDS, birth_date_range_for_ages

S = Binome.Status
CLOSED = (S.COMPLETED, S.ENDED_EARLY)
MONTH_DAYS = 30.44  # the dashboards' month (dashboards.indicators: meetings per pair per month)
SUPPRESSED = "s"  # INSEE's mark for a figure withheld by statistical secrecy


@dataclass(frozen=True)
class ReportScope:
    """Who and when: the associations (None: all, for the operator), the period (inclusive), and
    the programmes (None: every programme of those associations)."""

    association_ids: tuple[int, ...] | None
    start: date
    end: date
    programme_ids: tuple[int, ...] | None = None

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def people(self, prefix: str = "") -> Q:
        """The participants (at ``prefix``) in scope."""
        q = Q()
        if self.association_ids is not None:
            q &= Q(**{f"{prefix}association_id__in": self.association_ids})
        if self.programme_ids is not None:
            q &= Q(**{f"{prefix}programme_id__in": self.programme_ids})
        return q


# --- database expressions ---------------------------------------------------------------------


class _DaysBetween(Func):
    """Whole days from ``start`` to ``end`` (two dates), as an integer."""

    output_field = IntegerField()

    def __init__(self, end, start) -> None:  # noqa: ANN001
        super().__init__(end, start)

    def as_postgresql(self, compiler, connection, **extra):  # noqa: ANN001, ANN003, ANN201
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):  # noqa: ANN001, ANN003, ANN201
        return self.as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)",
                           arg_joiner=") - julianday(", **extra)


class _AddMonths(Func):
    """A date plus ``months`` calendar months (31 March + 6 months: 30 September)."""

    output_field = DateField()

    def __init__(self, expression, months: int) -> None:  # noqa: ANN001
        self.months = int(months)
        super().__init__(expression)

    def as_postgresql(self, compiler, connection, **extra):  # noqa: ANN001, ANN003, ANN201
        return self.as_sql(compiler, connection, template=f"CAST(%(expressions)s + interval '{self.months} months' AS date)", **extra)

    def as_sqlite(self, compiler, connection, **extra):  # noqa: ANN001, ANN003, ANN201
        return self.as_sql(compiler, connection, template=f"date(%(expressions)s, '+{self.months} months')", **extra)


class _Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _date(day: date) -> Value:
    return Value(day, output_field=DateField())


# --- the target publics -----------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    code: str
    title: str
    expression: Callable[[str], object]  # prefix -> expression naming the group
    labels: dict[str, str]
    only: tuple[str, ...] | None = None  # groups shown (the sensitive ones: "yes" only)
    sensitive: bool = False


def _yes_no(condition: Callable[[str], Q]) -> Callable[[str], Case]:
    return lambda prefix: Case(When(condition(prefix), then=Value("oui")), default=Value("non"), output_field=CharField())


def dimensions(day: date) -> list[Dimension]:
    """The target publics, ages counted on ``day`` (the end of the period)."""
    yes_no = {"oui": _("oui"), "non": _("non")}
    age_labels = {"under_15": _("moins de 15 ans"), "15_17": _("15–17 ans"), "18_25": _("18–25 ans"), "26_plus": _("26 ans et plus")}
    bands = {code: birth_date_range_for_ages(low, high, day) for code, (low, high) in AGE_BANDS.items()}

    def age(prefix: str) -> Case:
        return Case(*[When(**{f"{prefix}birth_date__gte": lo, f"{prefix}birth_date__lte": hi}, then=Value(code))
                      for code, (lo, hi) in bands.items()], default=Value(""), output_field=CharField())

    def consented(prefix: str, name: str) -> Q:
        # Counted only under a standing consent (the withdrawal also erases the answer).
        return Q(**{f"{prefix}target_public__{name}": True, f"{prefix}target_public__consent__withdrawn_at__isnull": True,
                    f"{prefix}target_public__consent__isnull": False})

    return [
        Dimension("qpv", _("Quartier prioritaire (QPV)"), _yes_no(lambda p: Q(**{f"{p}qpv_resident": True})), yes_no),
        Dimension("ase", _("Aide sociale à l'enfance (ASE)"), _yes_no(lambda p: consented(p, "ase")), yes_no, ("oui",), True),
        Dimension("disability", _("Situation de handicap"), _yes_no(lambda p: consented(p, "disability")), yes_no, ("oui",), True),
        Dimension("lycee_pro", _("Lycée professionnel"), _yes_no(lambda p: Q(**{f"{p}education": Education.LYCEE_PRO})), yes_no),
        Dimension("boursier", _("Boursier·e"), _yes_no(lambda p: Q(**{f"{p}boursier": True})), yes_no),
        Dimension("age", _("Âge (à la fin de la période)"), age, {**age_labels, "": _("non renseigné")}),
        Dimension("gender", _("Genre"), lambda p: F(f"{p}gender"), {**{c: str(label) for c, label in Gender.choices}, "": _("non renseigné")}),
        Dimension("departement", _("Département"), lambda p: F(f"{p}departement_code"), {}),
    ]


# --- tables -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "count"  # count | ratio | days | score


@dataclass
class Row:
    public: str  # "Ensemble" or the target public's title
    group: str  # the group's label ("oui", "15–17 ans", "93 – Seine-Saint-Denis"…)
    cells: list[Figure]
    breakdown: bool = True

    def values(self) -> list[float | int | str | None]:
        """The cells as a spreadsheet holds them: numbers, ``SUPPRESSED`` where the rule withholds
        one, None where there is nothing to say (no one to count)."""
        return [cell_value(f, breakdown=self.breakdown) for f in self.cells]


@dataclass
class Table:
    slug: str
    title: str
    description: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)


def cell_value(figure: Figure, *, breakdown: bool) -> float | int | str | None:
    if figure.kind == "count":
        value = int(figure.value or 0)
        return SUPPRESSED if breakdown and 0 < value < MIN_PEOPLE else value
    if figure.value is None:
        return None if figure.n == 0 else SUPPRESSED
    if not figure.enough:
        return SUPPRESSED
    return round(figure.value, 4) if figure.kind == "ratio" else round(figure.value, 1)


@dataclass(frozen=True)
class Source:
    """One aggregate query of a table: a queryset, where its person is (``prefix``), its measures."""

    queryset: QuerySet
    prefix: str
    measures: dict[str, Aggregate]


def _cube(source: Source, dims: list[Dimension]) -> dict[str | None, dict[str, dict]]:
    """The source's measures for everyone (key None) and per group of each dimension, from ONE
    query grouped by every dimension at once: each row is one combination of groups (a few
    hundred at most), and a group's figure is the sum of its combinations' (the measures are
    counts and sums, which add up). One query per dimension instead cost 103 queries and 11 s at
    10,000 participants (benchmarks/report_bench.py)."""
    columns = {f"g_{d.code}": d.expression(source.prefix) for d in dims}
    rows = list(source.queryset.order_by().annotate(**columns).values(*columns).annotate(**source.measures))
    names = list(source.measures)
    out: dict[str | None, dict[str, dict]] = {None: {"": dict.fromkeys(names, 0)}, **{d.code: {} for d in dims}}

    def add(target: dict, row: dict) -> None:
        for name in names:
            target[name] = target.get(name, 0) + (row[name] or 0)

    for row in rows:
        add(out[None][""], row)
        for d in dims:
            add(out[d.code].setdefault(row[f"g_{d.code}"] or "", {}), row)
    return out


def _build(table: Table, sources: list[Source], dims: list[Dimension], cells: Callable[[dict], list[Figure]],
           departements: dict[str, str], *, extra: dict[str | None, dict[str, dict]] | None = None) -> Table:
    """The "Ensemble" line, then each dimension's groups: one query per source.
    ``extra``: values computed apart (medians), by dimension code (None: everyone) and group."""
    for source in sources:
        assert all(isinstance(m, Count | Sum) for m in source.measures.values()), "only measures that add up"  # noqa: S101
    defaults = {name: 0 for source in sources for name in source.measures}
    cubes = [_cube(source, dims) for source in sources]

    def merged(dim: Dimension | None) -> dict[str, dict]:
        key = dim.code if dim else None
        out: dict[str, dict] = {}
        for cube in cubes:
            for group, values in cube[key].items():
                out.setdefault(group, dict(defaults)).update(values)
        for group, values in ((extra or {}).get(key) or {}).items():
            out.setdefault(group, dict(defaults)).update(values)
        return out

    total = merged(None)[""]
    table.rows.append(Row(_("Ensemble"), _("tous"), cells(total), breakdown=False))
    for dim in dims:
        groups = merged(dim)
        if dim.code == "departement":
            keys = sorted(groups)
            labels = {code: f"{code} – {departements.get(code, '')}".rstrip(" –") for code in keys}
        else:
            # Every group, 0 included (a funder's table has fixed lines); "not said" only when someone is.
            keys = [k for k in dim.labels if (k != "" or k in groups) and (dim.only is None or k in dim.only)]
            labels = dim.labels
        for key in keys:
            table.rows.append(Row(dim.title, str(labels.get(key, key)), cells(groups.get(key, dict(defaults)))))
    return table


def _mean(label: str, value: float | None, n: int) -> Figure:
    return Figure(label, value, n, "score")


def _median(qs: QuerySet, prefix: str, dims: list[Dimension], expression: object) -> dict[str | None, dict[str, dict]]:
    """Medians of ``expression`` overall (key None) and per group of each dimension. PostgreSQL
    computes them (percentile_cont); SQLite, which has no percentile function, returns the values
    of the group to Python (the local demo only)."""
    qs = qs.order_by().annotate(report_value=expression)
    out: dict[str | None, dict[str, float | None]] = {}
    if connection.vendor == "postgresql":
        out[None] = {"": {"median": qs.aggregate(m=_Median("report_value"))["m"]}}
        for dim in dims:
            rows = qs.annotate(report_group=dim.expression(prefix)).values("report_group").annotate(m=_Median("report_value"))
            out[dim.code] = {row["report_group"] or "": {"median": row["m"]} for row in rows}
        return out
    out[None] = {"": {"median": _py_median(qs.values_list("report_value", flat=True))}}
    for dim in dims:
        grouped: dict[str, list[float]] = {}
        for group, value in qs.annotate(report_group=dim.expression(prefix)).values_list("report_group", "report_value"):
            grouped.setdefault(group or "", []).append(value)
        out[dim.code] = {group: {"median": _py_median(vs)} for group, vs in grouped.items()}
    return out


def _py_median(values: Iterable[float]) -> float | None:
    values = list(values)
    return float(statistics.median(values)) if values else None


def compute(scope: ReportScope) -> list[Table]:
    """Every table of the report for ``scope``, in a fixed number of aggregate queries whatever the
    size: one per table and source (grouped by every target public at once), the medians one per
    target public, and the départements' names."""
    dims = dimensions(scope.end)
    mentor_dims = [d for d in dims if not d.sensitive]  # only mentees are asked the sensitive questions
    departements = dict(Departement.objects.values_list("code", "name"))
    start, end = scope.start, scope.end
    binomes = Binome.objects.filter(scope.people("mentee__"))
    overlapping = binomes.filter(started_on__lte=end).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    ended = binomes.filter(status__in=CLOSED, ended_on__gte=start, ended_on__lte=end)
    in_period = Q(started_on__gte=start, started_on__lte=end)
    tables: list[Table] = []

    # 1. Young people mentored: those with a binôme running at some point of the period.
    young = Participant.objects.filter(scope.people(), role=Participant.Role.MENTEE, pk__in=overlapping.values("mentee_id"))
    tables.append(_build(
        Table("jeunes", _("Jeunes accompagné·es"), _("Mentoré·es dont un binôme a été en cours pendant la période."),
              [Column(_("Jeunes accompagné·es"))]),
        [Source(young, "", {"n": Count("pk")})], dims, lambda r: [count("", r["n"])], departements))

    # 2. Pairs: created, running, completed, continued, ended early.
    tables.append(_build(
        Table("binomes", _("Binômes"), _("Binômes en cours pendant la période (par le public du ou de la jeune) : commencés, "
                                          "terminés ou arrêtés dans la période ; prolongés au-delà de la fin prévue."),
              [Column(_("Binômes en cours sur la période")), Column(_("Créés dans la période")), Column(_("Terminés")),
               Column(_("Prolongés")), Column(_("Arrêtés avant la fin"))]),
        [Source(overlapping, "mentee__", {
            "active": Count("pk"), "created": Count("pk", filter=in_period),
            "completed": Count("pk", filter=Q(status=S.COMPLETED, ended_on__gte=start, ended_on__lte=end)),
            "continued": Count("pk", filter=Q(continued_count__gte=1)),
            "early": Count("pk", filter=Q(status=S.ENDED_EARLY, ended_on__gte=start, ended_on__lte=end))})],
        dims, lambda r: [count("", r["active"]), count("", r["created"]), count("", r["completed"]), count("", r["continued"]),
                         count("", r["early"])], departements))

    # 3. Ended before six months, and why (the reason the coordinator recorded at the end).
    short = Q(ended_on__lt=_AddMonths(F("started_on"), 6))
    reasons = list(Binome.EndReason.choices)
    tables.append(_build(
        Table("arrets", _("Arrêts avant six mois"), _("Binômes finis dans la période (terminés ou arrêtés) moins de six mois "
                                                      "après leur début, et pourquoi."),
              [Column(_("Binômes finis dans la période")), Column(_("Finis avant six mois")), Column(_("Part finie avant six mois"), "ratio"),
               *[Column(str(label)) for _code, label in reasons], Column(_("Raison non précisée"))]),
        [Source(ended, "mentee__", {
            "ended": Count("pk"), "short": Count("pk", filter=short),
            **{f"r_{code}": Count("pk", filter=short & Q(end_reason_code=code)) for code, _label in reasons},
            "r_none": Count("pk", filter=short & Q(end_reason_code=""))})],
        dims, lambda r: [count("", r["ended"]), count("", r["short"]), ratio("", r["short"], r["ended"]),
                         *[count("", r[f"r_{code}"]) for code, _label in reasons], count("", r["r_none"])], departements))

    # 4. Duration of the pairs that ended in the period.
    medians = _median(ended, "mentee__", dims, _DaysBetween(F("ended_on"), F("started_on")))
    tables.append(_build(
        Table("duree", _("Durée des binômes"), _("Binômes finis dans la période : durée médiane, du début à la fin, en jours."),
              [Column(_("Binômes finis dans la période")), Column(_("Durée médiane (jours)"), "days")]),
        [Source(ended, "mentee__", {"n": Count("pk")})], dims,
        lambda r: [count("", r["n"]), days("", r.get("median"), r["n"])], departements, extra=medians))

    # 5. Meetings per pair per month: meetings logged in the period over the months each pair ran in it.
    overlap_days = _DaysBetween(Least(Coalesce(F("ended_on"), _date(end)), _date(end)), Greatest(F("started_on"), _date(start))) + 1
    meetings = Meeting.objects.filter(binome__in=overlapping, happened_on__gte=start, happened_on__lte=end)
    tables.append(_build(
        Table("rencontres", _("Rencontres"), _("Rencontres notées dans la période, par binôme et par mois de binôme en cours "
                                               "(un mois : 30,44 jours)."),
              [Column(_("Binômes en cours sur la période")), Column(_("Rencontres")), Column(_("Rencontres par binôme et par mois"), "score")]),
        [Source(overlapping, "mentee__", {"pairs": Count("pk"), "pair_days": Sum(overlap_days)}),
         Source(meetings, "binome__mentee__", {"meetings": Count("pk")})],
        dims, lambda r: [count("", r["pairs"]), count("", r["meetings"]),
                         _mean("", r["meetings"] / (r["pair_days"] / MONTH_DAYS) if r["pair_days"] else None, r["pairs"])], departements))

    # 6. Mentors recruited (validated in the period) and trained.
    from reporting.models import MentorTraining

    trained_ids = MentorTraining.objects.filter(completed_on__gte=start, completed_on__lte=end).values("participant_id")
    signed_q = Q(created_at__gte=scope.since, created_at__lt=scope.until)
    validated_q = Q(validated_at__gte=scope.since, validated_at__lt=scope.until)
    trained_q = Q(pk__in=trained_ids)
    mentors = Participant.objects.filter(scope.people(), role=Participant.Role.MENTOR).filter(signed_q | validated_q | trained_q)
    tables.append(_build(
        Table("mentors", _("Mentors"), _("Mentors inscrit·es et recruté·es (validé·es) dans la période ; formé·es : une formation "
                                         "enregistrée par l'association dans la période."),
              [Column(_("Mentors inscrit·es")), Column(_("Mentors recruté·es (validé·es)")), Column(_("Mentors formé·es"))]),
        [Source(mentors, "", {"signed": Count("pk", filter=signed_q), "validated": Count("pk", filter=validated_q),
                              "trained": Count("pk", filter=trained_q)})],
        mentor_dims, lambda r: [count("", r["signed"]), count("", r["validated"]), count("", r["trained"])], departements))

    # 7-8. Satisfaction: monthly check-ins and end-of-programme surveys answered in the period.
    for role, prefix, slug, title, role_dims in (
        ("mentee", "binome__mentee__", "satisfaction_jeunes", _("Satisfaction des jeunes"), dims),
        ("mentor", "binome__mentor__", "satisfaction_mentors", _("Satisfaction des mentors"), mentor_dims),
    ):
        respondent = Q(user_id=F(f"{prefix}membership__user_id"))
        check_ins = CheckIn.objects.filter(scope.people(prefix), respondent, month__gte=start.replace(day=1), month__lte=end)
        surveys = EndSurvey.objects.filter(scope.people(prefix), role=role, created_at__gte=scope.since, created_at__lt=scope.until)
        tables.append(_build(
            Table(slug, title, _("Points mensuels « Comment ça se passe ? » (note sur 4) et bilans de fin (satisfaction sur 5, "
                                 "recommandation sur 10) répondus dans la période."),
                  [Column(_("Points mensuels")), Column(_("Points « Bien » ou « Très bien »"), "ratio"), Column(_("Note moyenne (sur 4)"), "score"),
                   Column(_("Bilans de fin")), Column(_("Satisfait·es (4 ou 5 sur 5)"), "ratio"),
                   Column(_("Recommanderaient (9 ou 10 sur 10)"), "ratio")]),
            [Source(check_ins, prefix, {"ci": Count("pk"), "ci_good": Count("pk", filter=Q(rating__gte=CheckIn.Rating.GOOD)),
                                        "ci_sum": Sum("rating")}),
             Source(surveys, prefix, {"sv": Count("pk"), "sv_ok": Count("pk", filter=Q(satisfaction__gte=4)),
                                      "sv_rec": Count("pk", filter=Q(would_recommend__gte=9))})],
            role_dims, lambda r: [count("", r["ci"]), ratio("", r["ci_good"], r["ci"]), _mean("", r["ci_sum"] / r["ci"] if r["ci"] else None, r["ci"]),
                                  count("", r["sv"]), ratio("", r["sv_ok"], r["sv"]), ratio("", r["sv_rec"], r["sv"])], departements))
    return tables
