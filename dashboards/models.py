from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import Association


class ExportLog(models.Model):
    """Every export: who downloaded what, when (exports leave the platform)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    association = models.ForeignKey(Association, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20)  # indicators | binomes
    parameters = models.JSONField(default=dict)
    rows = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user_id} at {self.created_at:%Y-%m-%d %H:%M}"


class ExportFile(models.Model):
    """A large export built by a worker into a private file (``settings.EXPORTS_ROOT``, never
    ``static/``), downloaded by a coordinator of its association, deleted after
    ``EXPORT_FILE_HOURS`` by ``dashboards.tasks.expire_export_files``.

    Small exports are streamed by the request itself; this is for those beyond
    ``EXPORT_STREAM_MAX_ROWS`` rows (see ``dashboards.export_files``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en préparation")
        READY = "ready", _("prêt")
        FAILED = "failed", _("échoué")
        EXPIRED = "expired", _("expiré")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)  # binomes
    semicolon = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    filename = models.CharField(max_length=120)  # what the browser saves it as
    path = models.CharField(max_length=80, blank=True)  # inside EXPORTS_ROOT, set when ready
    rows = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    # The programme whose binômes the file lists (the dashboard's selector); null: the whole
    # association's, which only an unrestricted coordinator may download.
    programme = models.ForeignKey("programmes.Programme", null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(status="ready") | ~models.Q(path=""), name="export_file_ready_has_path"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="export_file_expiry")]

    def __str__(self) -> str:
        return f"{self.kind} export {self.pk} ({self.status})"


class DashboardDay(models.Model):
    """One association's dashboard counters for one day (Paris time): the rollup the figures are
    read from (``dashboards.rollup``), so that a dashboard costs the same whatever the size and
    age of the association, and survives retention purges.

    ``facts`` are what happened that day (sign-ups and their attributes at sign-up, binômes
    started, ended, messages, meetings, end surveys): recomputed while the day is recent
    (``rollup.FACTS_OPEN_DAYS``: a meeting may be logged late), then frozen: a purge that later
    removes or blanks the rows cannot move them. ``state`` is where that day's sign-ups and
    binômes stand now (validated, waiting, paired; running, completed, ended early): recomputed
    while they may still move (``rollup.STATE_OPEN_DAYS``), then frozen too.

    ``scope`` is the extension point for a programme dimension: "" is the whole association;
    a programme's own rows would use ``"programme:<id>"`` (computed by the same queries with one
    more filter), so the key and the reads need no migration beyond the programme's own."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=40, blank=True, default="")
    day = models.DateField()
    facts = models.JSONField(default=dict)
    state = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["association", "scope", "day"], name="dashboard_day_key")]

    def __str__(self) -> str:
        return f"{self.association_id}/{self.scope or '*'} {self.day}"


class DashboardRollup(models.Model):
    """One association's rollup: when it was last refreshed (one refresh at a time: its row is
    locked meanwhile) and the figures that describe *now* (who waits and since when, the
    running binômes' health, the cascade), taken at that refresh."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=40, blank=True, default="")
    refreshed_at = models.DateTimeField(null=True, blank=True)  # null: never built
    now = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["association", "scope"], name="dashboard_rollup_key")]

    def __str__(self) -> str:
        return f"rollup {self.association_id}/{self.scope or '*'} at {self.refreshed_at}"
