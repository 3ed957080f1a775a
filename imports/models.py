from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import Association


class ImportJob(models.Model):
    """One uploaded spreadsheet of an association, from its upload to its import: the log of who
    imported what, when, and with which counts.

    uploaded → (mapping chosen) analysing → analysed (the dry run's report: nothing written) →
    (confirmed) importing → done, or failed (nothing written: the import is one transaction).
    The file's bytes are kept server-side until the import is done or abandoned, then dropped:
    only the counts and the row errors stay (``imports.services.import_content_purge``)."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("colonnes à vérifier")
        ANALYSING = "analysing", _("analyse en cours")
        ANALYSED = "analysed", _("analysé, à confirmer")
        IMPORTING = "importing", _("import en cours")
        DONE = "done", _("importé")
        FAILED = "failed", _("échoué")
        ABANDONED = "abandoned", _("abandonné")

    WORKING = (Status.ANALYSING, Status.IMPORTING)

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The programme (of ``association``) the people of the file join; its duration sets the
    # imported binômes' planned end.
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    file_format = models.CharField(max_length=4)  # csv | xlsx
    content = models.BinaryField(blank=True, default=b"")
    content_sha256 = models.CharField(max_length=64)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=list)  # one column name (or "") per header
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    rows_total = models.PositiveIntegerField(default=0)
    # The dry run's report: {"counts": {...}, "rows": [{"line", "email", "name", "errors"}]} (rows
    # with errors only), and the lines the coordinator chose to leave out.
    report = models.JSONField(default=dict)
    skipped_lines = models.JSONField(default=list)
    created_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    binomes_created_count = models.PositiveIntegerField(default=0)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    analysed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["association", "-created_at"], name="import_job_list")]
        constraints = [
            models.CheckConstraint(condition=~Q(status="done") | Q(finished_at__isnull=False, confirmed_at__isnull=False),
                                   name="import_job_done_was_confirmed"),
            # One import at a time per association: two at once could both create the same person.
            models.UniqueConstraint(fields=["association"], condition=Q(status="importing"), name="import_job_one_running"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def error_rows(self) -> list[dict]:
        return self.report.get("rows", [])

    @property
    def counts(self) -> dict:
        return self.report.get("counts", {})


class ImportMapping(models.Model):
    """The association's last choice of column for each header it imported (folded header →
    column name): the next file with the same headers is mapped the same way."""

    association = models.OneToOneField(Association, on_delete=models.CASCADE, related_name="+")
    columns = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"mapping of {self.association_id}"
