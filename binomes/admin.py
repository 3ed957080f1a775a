"""Binômes in the operator's admin: read-only (the state machine is binomes/lifecycle.py), no
names and no free text (see accounts/admin.py for what and why)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin import ReadOnlyAdmin
from binomes.models import Binome


@admin.register(Binome)
class BinomeAdmin(ReadOnlyAdmin):
    def label(self, obj) -> str:  # noqa: ANN001
        return str(_("Binôme n°%(n)s") % {"n": obj.pk})

    list_display = ("number", "association", "status", "started_on", "planned_end_on")
    list_filter = ("status",)
    fields = ("number", "association", "mentor_number", "mentee_number", "status", "started_on", "planned_end_on",
              "continued_count", "ended_on", "end_reason_code", "created_at")
    readonly_fields = fields

    @admin.display(description=_("binôme"))
    def number(self, obj: Binome) -> str:
        return _("Binôme n°%(n)s") % {"n": obj.pk}

    @admin.display(description=_("mentor"))
    def mentor_number(self, obj: Binome) -> str:
        return _("Participant n°%(n)s") % {"n": obj.mentor_id}

    @admin.display(description=_("mentoré·e"))
    def mentee_number(self, obj: Binome) -> str:
        return _("Participant n°%(n)s") % {"n": obj.mentee_id}
