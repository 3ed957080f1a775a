from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.models import Proposal
from matching.proposals_selectors import ProposalQuery


class ProposalListForm(forms.Form):
    """Filters and sort of the proposals page (GET). An invalid value falls back to the default."""

    sort = forms.ChoiceField(label=_("Trier par"), required=False, choices=[
        ("score", _("meilleur score")), ("wait", _("attente la plus longue")),
        ("distance", _("distance la plus courte")), ("minors", _("mineur·es d'abord")),
    ])
    status = forms.ChoiceField(label=_("Statut"), required=False, choices=Proposal.Status.choices, initial=Proposal.Status.PROPOSED)
    min_score = forms.TypedChoiceField(
        label=_("Score minimum"), required=False, coerce=float, empty_value=None,
        choices=[("", _("tous")), ("0.5", "50 %"), ("0.6", "60 %"), ("0.7", "70 %")],
    )
    minors = forms.BooleanField(label=_("Mentoré·es mineur·es seulement"), required=False)
    remote = forms.BooleanField(label=_("À distance seulement"), required=False)
    q = forms.CharField(label=_("Nom"), required=False, max_length=100)

    def to_query(self) -> ProposalQuery:
        if not self.is_valid():
            return ProposalQuery()
        d = self.cleaned_data
        return ProposalQuery(
            status=d["status"] or Proposal.Status.PROPOSED, min_score=d["min_score"], minors_only=d["minors"],
            remote_only=d["remote"], search=d["q"].strip(), sort=d["sort"] or "score",
        )


class SwapMentorForm(forms.Form):
    mentor = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": _("Choisissez un mentor.")})
