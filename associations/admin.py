from django.contrib import admin

from associations.models import Association, CoordinatorInvitation, Membership


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "rna_number", "siren", "address_commune", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "rna_number", "siren", "contact_email")
    raw_id_fields = ("address_commune", "reviewed_by")
    filter_horizontal = ("departements",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "association", "role", "started_at", "ended_at")
    list_filter = ("role",)
    search_fields = ("user__email", "association__name")
    raw_id_fields = ("user", "association")


@admin.register(CoordinatorInvitation)
class CoordinatorInvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "association", "created_at", "expires_at", "accepted_at")
    raw_id_fields = ("association", "invited_by", "accepted_by")
    exclude = ("token",)
