"""Integration tokens in the operator's admin: seen, and revoked through the service; never created,
edited (an association or creator changed by hand would hand the token to someone else) nor
deleted (the list is the record of who had access)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin import ReadOnlyAdmin
from api import services
from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "prefix", "association", "created_by", "created_at", "last_used_at", "revoked_at")
    list_filter = ("association",)
    fields = ("name", "prefix", "association", "created_by", "created_at", "last_used_at", "revoked_at", "revoked_by")
    readonly_fields = fields
    search_fields = ("name", "prefix", "association__name")
    actions = ["revoke"]

    def label(self, obj: ApiToken) -> str:
        return str(obj)

    @admin.action(description=_("Révoquer"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.select_related("association"):
            try:
                services.api_token_revoke(token=token, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{token} : {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("%(name)s est révoqué.") % {"name": token.name}, messages.SUCCESS)
