from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    """The log, read-only and without the file nor its rows (people's names and addresses, many
    of them minors): an import goes through its pages or the API."""

    list_display = ("label", "association", "status", "rows_total", "created_count", "unchanged_count", "skipped_count", "created_at")
    list_filter = ("status",)
    fields = ("association", "uploaded_by", "status", "rows_total", "created_count", "unchanged_count", "skipped_count",
              "binomes_created_count", "created_at", "confirmed_by", "confirmed_at", "finished_at")
