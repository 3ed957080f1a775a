from django.contrib import admin

from binomes.models import Binome


@admin.register(Binome)
class BinomeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "association", "status", "started_on", "planned_end_on")
    list_filter = ("status",)
    raw_id_fields = ("association", "mentor", "mentee", "created_by")
