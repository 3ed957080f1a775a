"""The retention schedule: one period per data category, in one place, and the job that applies it.

Defaults follow the CNIL's reference framework for social and medico-social support
("référentiel relatif aux traitements de données à caractère personnel mis en œuvre dans le cadre
de l'accompagnement social et médico-social", 2021): data of the support are kept while it lasts
and up to two years after the last contact with the person, then deleted or anonymised; what proves
a consent or a legal check is kept as long as it may have to be proven (civil limitation period of
five years, Code civil art. 2224); access logs six months to a year. An association may choose
*shorter* periods for messages and reports (``RetentionSetting``), never longer ones.

Rows that feed the dashboards and funder figures are anonymised (texts blanked, identity removed),
never deleted, so that aggregates survive a purge. ``manage.py retention --dry-run`` prints what a
run would do; the nightly job (``privacy.tasks.run_retention``) is safe to run twice: each step
selects only what is still to be done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import DateTimeField, Exists, F, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from agenda.models import CalendarFeed, PlannedMeeting
from associations.models import Association
from binomes.models import Binome, Message, Report, StaffRead
from participants.models import Consent, Participant
from privacy.models import Anonymisation, PrivacyLog, RetentionSetting


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    months: int  # the platform's period
    action: str  # "anonymise", "delete" or "keep"
    starts: str  # from when the period runs
    basis: str  # why this period
    shortenable: bool = False  # an association may choose a shorter one


SCHEDULE: tuple[Category, ...] = (
    Category("participants", "Profils des participant·es (inscription, profil, comptes)", 24, "anonymise",
             "le dernier contact (dernière connexion, dernière activité ou fin du dernier binôme)",
             "CNIL, référentiel accompagnement social : 2 ans après le dernier contact"),
    Category("messages", "Messages des binômes", 12, "anonymise", "la fin du binôme",
             "Utiles au suivi et à la sécurité du binôme ; texte effacé, ligne gardée pour les statistiques", shortenable=True),
    Category("reports", "Signalements traités", 24, "anonymise", "le traitement du signalement",
             "Protection des mineur·es et défense des droits ; texte effacé, ligne gardée", shortenable=True),
    Category("planned_meetings", "Rendez-vous planifiés", 12, "delete", "la date du rendez-vous",
             "Organisation des rencontres ; la rencontre elle-même reste dans le journal des rencontres"),
    Category("staff_reads", "Journal des lectures de conversations par l'équipe", 12, "delete", "la lecture",
             "CNIL : journaux d'accès de 6 mois à 1 an"),
    Category("consents", "Preuves du consentement (et accord parental)", 60, "delete",
             "l'anonymisation du profil", "Preuve du consentement (RGPD art. 7.1), prescription de 5 ans (C. civ. art. 2224)"),
    Category("vetting", "Dates de vérification de l'attestation d'honorabilité", 60, "keep", "l'anonymisation du profil",
             "Preuve du contrôle légal (loi du 7 février 2022) ; seules des dates sont conservées, jamais le document"),
    Category("calendar_feeds", "Liens d'agenda désactivés", 1, "delete", "la désactivation", "Plus aucune utilité"),
    Category("privacy_logs", "Journal des exports, effacements et purges", 60, "delete", "l'événement",
             "Preuve du respect des droits (accountability, RGPD art. 5.2)"),
)
BY_CODE = {c.code: c for c in SCHEDULE}


def months_ago(now: datetime, months: int) -> datetime:
    return now - timedelta(days=round(months * 30.44))


def period_for(*, association_id: int | None, category: str, settings_map: dict[tuple[int, str], int]) -> int:
    default = BY_CODE[category].months
    chosen = settings_map.get((association_id, category)) if association_id else None
    return min(default, chosen) if chosen else default


@dataclass
class RetentionReport:
    dry_run: bool
    now: datetime
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, code: str, n: int) -> None:
        self.counts[code] = self.counts.get(code, 0) + n

    def as_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "at": self.now.isoformat(), "counts": dict(self.counts)}

    def lines(self) -> list[str]:
        out = []
        for category in SCHEDULE:
            n = self.counts.get(category.code, 0)
            verb = {"anonymise": "à anonymiser" if self.dry_run else "anonymisé(s)",
                    "delete": "à supprimer" if self.dry_run else "supprimé(s)", "keep": "conservé(s)"}[category.action]
            out.append(f"{category.label} — {category.months} mois après {category.starts} : {n} {verb}")
        return out


def _last_contact() -> Any:
    """A participant's last contact: the latest of sign-up, last login, binôme activity and end."""
    epoch = datetime(2000, 1, 1, tzinfo=timezone.get_current_timezone())
    last_activity = Binome.objects.filter(Q(mentor=OuterRef("pk")) | Q(mentee=OuterRef("pk"))).values("association")\
        .annotate(m=Max("last_activity_at")).values("m")[:1]
    return Greatest(
        F("created_at"),
        Coalesce(F("membership__user__last_login"), epoch, output_field=DateTimeField()),
        Coalesce(last_activity, epoch, output_field=DateTimeField()),
    )


def participants_due(now: datetime) -> QuerySet[Participant]:
    """Profiles whose last contact is older than their association's period and with no open binôme."""
    open_binome = Binome.objects.filter(Q(mentor=OuterRef("pk")) | Q(mentee=OuterRef("pk")), status__in=Binome.OPEN_STATUSES)
    ended_recently = Binome.objects.filter(Q(mentor=OuterRef("pk")) | Q(mentee=OuterRef("pk")),
                                           ended_on__gte=months_ago(now, BY_CODE["participants"].months).date())
    return (Participant.objects.filter(anonymisation__isnull=True).annotate(last_contact=_last_contact())
            .filter(last_contact__lt=months_ago(now, BY_CODE["participants"].months))
            .exclude(Exists(open_binome)).exclude(Exists(ended_recently)))


def _per_association(now: datetime, category: str, settings_map: dict[tuple[int, str], int]) -> dict[int, date]:
    """For each association, the day before which the category's rows are due."""
    return {pk: months_ago(now, period_for(association_id=pk, category=category, settings_map=settings_map)).date()
            for pk in Association.objects.values_list("pk", flat=True)}


def messages_due(now: datetime, settings_map: dict[tuple[int, str], int]) -> QuerySet[Message]:
    q = Q(pk__in=[])
    for association_id, before in _per_association(now, "messages", settings_map).items():
        q |= Q(association_id=association_id, binome__ended_on__lt=before)
    from privacy.anonymise import erased_message

    return Message.objects.filter(q).exclude(body=erased_message())


def reports_due(now: datetime, settings_map: dict[tuple[int, str], int]) -> QuerySet[Report]:
    q = Q(pk__in=[])
    for association_id, before in _per_association(now, "reports", settings_map).items():
        q |= Q(binome__association_id=association_id, handled_at__date__lt=before)
    return Report.objects.filter(q).exclude(reason=ANONYMISED_REPORT)


ANONYMISED_REPORT = "—"


def retention_apply(*, dry_run: bool, now: datetime | None = None) -> RetentionReport:
    """Apply (or, with ``dry_run``, count) the schedule. Each step re-selects what is still due, so a
    second run finds nothing more to do."""
    from privacy.anonymise import erased_message, participant_anonymise
    from safeguarding.models import TextReview

    now = now or timezone.now()
    report = RetentionReport(dry_run=dry_run, now=now)
    settings_map = {(s.association_id, s.category): s.months for s in RetentionSetting.objects.all()}

    messages = messages_due(now, settings_map)
    report.add("messages", messages.count())
    reports = reports_due(now, settings_map)
    report.add("reports", reports.count())
    planned = PlannedMeeting.objects.filter(starts_at__lt=months_ago(now, BY_CODE["planned_meetings"].months))
    report.add("planned_meetings", planned.count())
    reads = StaffRead.objects.filter(read_at__lt=months_ago(now, BY_CODE["staff_reads"].months))
    report.add("staff_reads", reads.count())
    feeds = CalendarFeed.objects.filter(revoked_at__lt=months_ago(now, BY_CODE["calendar_feeds"].months))
    report.add("calendar_feeds", feeds.count())
    consents = Consent.objects.filter(participant__anonymisation__at__lt=months_ago(now, BY_CODE["consents"].months))
    report.add("consents", consents.count())
    logs = PrivacyLog.objects.filter(at__lt=months_ago(now, BY_CODE["privacy_logs"].months))
    report.add("privacy_logs", logs.count())
    people = list(participants_due(now).values_list("pk", flat=True))
    report.add("participants", len(people))
    report.add("vetting", Participant.objects.filter(anonymisation__isnull=False, vetting_verified_on__isnull=False).count())
    if dry_run:
        return report

    # The dashboards' rollup counts every day not yet frozen before rows are blanked or removed
    # (beat does it hourly; this covers a beat that was down): figures survive the purge.
    from dashboards.rollup import rollups_refresh_all

    rollups_refresh_all()
    with transaction.atomic():
        TextReview.objects.filter(message__in=messages).update(text=erased_message())
        messages.update(body=erased_message(), flag_kinds=[])
        reports.update(reason=ANONYMISED_REPORT, outcome="")
        planned.delete()
        reads.delete()
        feeds.delete()
        consents.delete()
        logs.delete()
    for pk in people:
        participant_anonymise(participant=Participant(pk=pk), reason=Anonymisation.Reason.RETENTION)
    PrivacyLog.objects.create(kind=PrivacyLog.Kind.RETENTION, details=report.as_dict())
    return report
