from django.contrib import admin

from geo.models import Commune, Departement


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region_name")


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("code_insee", "name", "departement", "postal_codes", "population")
    search_fields = ("name", "code_insee", "postal_codes")
    list_filter = ("kind",)
