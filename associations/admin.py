"""Associations in the operator's admin: the status changes only through the services (approval on
the operator's pages, suspension and reactivation as actions here); memberships only end."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin import ReadOnlyAdmin
from associations import services
from associations.models import Association, CoordinatorInvitation, Membership


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "rna_number", "siren", "address_commune", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "rna_number", "siren", "contact_email")
    raw_id_fields = ("address_commune", "reviewed_by")
    filter_horizontal = ("departements",)
    readonly_fields = ("status", "reviewed_at", "reviewed_by", "refusal_reason", "created_at")
    actions = ["suspend", "reactivate"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # associations register on the public form and are approved by the operator

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def _apply(self, request: HttpRequest, queryset: QuerySet[Association], service, done: str) -> None:  # noqa: ANN001
        for association in queryset:
            try:
                service(association=association, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{association} : {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, done % {"name": association.name}, messages.SUCCESS)

    @admin.action(description=_("Suspendre (plus personne n'agit pour elle)"))
    def suspend(self, request: HttpRequest, queryset: QuerySet[Association]) -> None:
        self._apply(request, queryset, services.association_suspend, _("%(name)s est suspendue."))

    @admin.action(description=_("Réactiver"))
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Association]) -> None:
        self._apply(request, queryset, services.association_reactivate, _("%(name)s est réactivée."))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "association", "role", "started_at", "ended_at")
    list_filter = ("role",)
    search_fields = ("user__email", "association__name")
    fields = ("user", "association", "role", "started_at", "ended_at")
    readonly_fields = ("user", "association", "role", "started_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> tuple[str, ...]:
        # Only a coordinator's rights are ended here; a participant leaves through the association.
        if obj is not None and obj.role != Membership.Role.COORDINATOR:
            return (*self.readonly_fields, "ended_at")
        return self.readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # memberships come from sign-ups and invitations

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CoordinatorInvitation)
class CoordinatorInvitationAdmin(ReadOnlyAdmin):
    """Invitations are sent by coordinators and on approval (services), never written by hand."""

    list_display = ("email", "association", "created_at", "expires_at", "accepted_at")
    fields = ("email", "association", "invited_by", "created_at", "expires_at", "accepted_at", "accepted_by")  # never the token
    readonly_fields = fields

    def label(self, obj: CoordinatorInvitation) -> str:
        return str(obj)
