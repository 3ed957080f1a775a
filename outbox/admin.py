"""The operator sees every message still pending or given up, and may send a given-up one again.
Read-only otherwise: a row is written by the state change that called for it, never by hand."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import ReadOnlyAdmin
from outbox.models import Delivery, OutboxMessage
from outbox.services import message_retry


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ("template", "recipient", "claimed_at", "sent_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "task", "args", "status", "attempts", "next_attempt_at", "sent_at", "last_error")
    list_filter = ("status", "task")
    search_fields = ("key", "task")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    inlines = [DeliveryInline]
    actions = ["retry"]

    @admin.action(description=_("Renvoyer les envois abandonnés sélectionnés"), permissions=["view"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        failed = list(queryset.filter(status=OutboxMessage.Status.FAILED))
        for message in failed:
            message_retry(message=message)
        self.message_user(
            request,
            ngettext("%(n)s envoi remis en file.", "%(n)s envois remis en file.", len(failed)) % {"n": len(failed)},
            messages.SUCCESS,
        )
