"""Programmes and cohorts in the operator's admin: read-only (see accounts/admin.py).

A programme is made and changed by its association's coordinators through
``programmes.services`` (its age bounds within the platform's, one default per association, a
coordinator restricted to programmes who may not create one...); the operator looks them up for
support, never edits them here. A programme's name is not personal data: pages name it."""

from __future__ import annotations

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from programmes.models import Cohort, Programme


class _Named(ReadOnlyAdmin):
    def label(self, obj: object) -> str:
        return str(obj)


@admin.register(Programme)
class ProgrammeAdmin(_Named):
    list_display = ("name", "association", "is_default", "signup_open", "intake", "duration_months", "created_at")
    list_filter = ("is_default", "signup_open", "intake")
    search_fields = ("name", "slug", "association__name")
    list_select_related = ("association",)
    # an allow-list: a field added to the model later stays hidden until someone decides the operator needs it
    fields = ("association", "name", "slug", "is_default", "signup_open", "intake", "opens_on", "closes_on", "starts_on",
              "ends_on", "duration_months", "mentee_min_age", "mentee_max_age", "mentor_min_age", "mentor_max_age", "created_at")
    readonly_fields = fields


@admin.register(Cohort)
class CohortAdmin(_Named):
    list_display = ("name", "programme", "starts_on", "created_at")
    search_fields = ("name", "programme__name", "programme__association__name")
    list_select_related = ("programme__association",)
    fields = ("programme", "name", "starts_on", "created_at")
    readonly_fields = fields
