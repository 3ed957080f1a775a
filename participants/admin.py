"""Participants and consents in the operator's admin: read-only, an allow-list of fields, no
birth date, parent, background or free text (see accounts/admin.py for what and why)."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.admin import ReadOnlyAdmin
from participants.models import Consent, Participant


def age_band(participant: Participant) -> str:
    """What the operator needs of an age: which legal regime applies (parental consent under 15,
    minor, adult), never the date."""
    age = participant.age
    if age < 15:
        return str(_("moins de 15 ans"))
    if age < 18:
        return str(_("15 à 17 ans"))
    if age < 26:
        return str(_("18 à 25 ans"))
    return str(_("26 ans et plus"))


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    def label(self, obj) -> str:  # noqa: ANN001
        return str(_("Participant n°%(n)s") % {"n": obj.pk})

    list_display = ("number", "association", "role", "status", "age_band", "created_at")
    list_filter = ("role", "status")
    search_fields = ("=membership__user__email",)  # support: the exact address, never a listing by name
    fields = ("number", "association", "role", "status", "age_band", "departement", "created_at", "validated_at",
              "parental_consent", "vetting")
    readonly_fields = fields

    def get_queryset(self, request):  # noqa: ANN001, ANN201
        return super().get_queryset(request).select_related("association", "commune__departement")

    @admin.display(description=_("participant"))
    def number(self, obj: Participant) -> str:
        return _("Participant n°%(n)s") % {"n": obj.pk}

    @admin.display(description=_("âge"))
    def age_band(self, obj: Participant) -> str:
        return age_band(obj)

    @admin.display(description=_("département"))
    def departement(self, obj: Participant) -> str:
        return str(obj.commune.departement)

    @admin.display(description=_("accord parental"))
    def parental_consent(self, obj: Participant) -> str:
        consent = obj.consents.filter(kind=Consent.Kind.PARENT).order_by("-accepted_at").first()
        if consent is None:
            return "—"
        if consent.withdrawn_at:
            return _("retiré le %(d)s") % {"d": timezone.localtime(consent.withdrawn_at).strftime("%d/%m/%Y")}
        if consent.refused_at:
            return _("refusé le %(d)s") % {"d": timezone.localtime(consent.refused_at).strftime("%d/%m/%Y")}
        if consent.confirmed_at:
            return _("confirmé le %(d)s") % {"d": timezone.localtime(consent.confirmed_at).strftime("%d/%m/%Y")}
        return _("demandé, pas encore confirmé")

    @admin.display(description=_("attestation d'honorabilité"))
    def vetting(self, obj: Participant) -> str:
        if not obj.is_mentor:
            return "—"
        if not obj.vetting_expires_on:
            return _("non enregistrée")
        state = _("valable") if obj.vetting_valid else _("expirée")
        return _("%(state)s (jusqu'au %(d)s)") % {"state": state, "d": obj.vetting_expires_on.strftime("%d/%m/%Y")}


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    def label(self, obj) -> str:  # noqa: ANN001
        return str(_("Consentement n°%(n)s") % {"n": obj.pk})

    list_display = ("participant_number", "kind", "notice_version", "accepted_at", "confirmed_at", "refused_at", "withdrawn_at")
    list_filter = ("kind", "notice_version")
    fields = ("participant_number", "kind", "notice_version", "accepted_at", "confirmed_at", "refused_at", "withdrawn_at")
    readonly_fields = fields

    @admin.display(description=_("participant"))
    def participant_number(self, obj: Consent) -> str:
        return _("Participant n°%(n)s") % {"n": obj.participant_id}
