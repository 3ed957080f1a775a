from django.contrib import admin

from participants.models import Consent, Participant


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("__str__", "association", "role", "status", "created_at")
    list_filter = ("role", "status")
    search_fields = ("membership__user__email",)
    raw_id_fields = ("membership", "association", "commune", "reviewed_by", "vetting_recorded_by")


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ("user", "participant", "kind", "notice_version", "accepted_at")
    raw_id_fields = ("participant", "user")
