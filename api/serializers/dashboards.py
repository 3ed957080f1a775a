"""The dashboard's figures as JSON: each figure with how many people it rests on, and no value
when there are too few (the page shows "—")."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from dashboards import periods
from dashboards.figures import Figure, Series
from dashboards.indicators import Indicators, Scope


class IndicatorQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="Début de la période (par défaut : un an avant la fin ; "
                                                            "pas avant le 1er janvier 2000).")
    end = serializers.DateField(required=False, help_text="Fin de la période (par défaut : aujourd'hui ; au plus dix ans "
                                                          "après le début et cinq ans dans le futur).")
    cohort = serializers.IntegerField(required=False, min_value=2000, max_value=2100,
                                      help_text="Année de programme : les binômes commencés de septembre de cette année à août suivant.")
    programme = serializers.SlugField(
        required=False, max_length=80, allow_blank=True, default="",
        help_text=("L'adresse courte d'un programme : ses seuls chiffres. Sans programme : toute l'association, ou, pour "
                   "un·e coordinateur·rice restreint·e à certains programmes, le premier des siens. Un programme inconnu "
                   "ou que je ne vois pas : 404."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = periods.period_errors(attrs.get("start"), attrs.get("end"))
        if errors:
            raise serializers.ValidationError(errors)
        attrs["start"], attrs["end"] = periods.period_resolve(attrs.get("start"), attrs.get("end"))
        return attrs


class FigureSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="Vide quand trop peu de personnes pour un chiffre fiable.")
    n = serializers.IntegerField(help_text="Nombre de personnes (ou binômes, ou réponses) sur lesquelles repose le chiffre.")
    kind = serializers.ChoiceField(choices=["count", "ratio", "days", "score", "nps"])
    display = serializers.CharField(help_text="Le chiffre tel que la page l'affiche (« — » si trop peu de données).")

    def to_representation(self, figure: Figure) -> dict[str, Any]:
        return {"label": str(figure.label), "value": figure.value if figure.enough else None, "n": figure.n,
                "kind": figure.kind, "display": figure.display}


class SeriesRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.IntegerField()


class SeriesSerializer(serializers.Serializer):
    title = serializers.CharField()
    n = serializers.IntegerField()
    rows = SeriesRowSerializer(many=True)

    def to_representation(self, series: Series) -> dict[str, Any]:
        return {"title": series.title, "n": series.n, "rows": [{"label": label, "value": value} for label, value in series.rows]}


class SectionSerializer(serializers.Serializer):
    section = serializers.CharField()
    figures = FigureSerializer(many=True)


class WaiterSerializer(serializers.Serializer):
    participant_id = serializers.IntegerField()
    name = serializers.CharField()
    waiting_since = serializers.DateTimeField()


class ScopeSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    cohort = serializers.IntegerField(allow_null=True)


class IndicatorsSerializer(serializers.Serializer):
    scope = ScopeSerializer()
    sections = SectionSerializer(many=True)
    series = SeriesSerializer(many=True)
    longest_waiters = WaiterSerializer(many=True, help_text="Pour les coordinateur·rices seulement ; vide pour l'opérateur.")

    def to_representation(self, pair: tuple[Scope, Indicators]) -> dict[str, Any]:
        scope, ind = pair
        sections: dict[str, list[Figure]] = {}
        for section, figure in ind.all_figures():
            sections.setdefault(section, []).append(figure)
        series = [ind.health, ind.brought, ind.end_reasons, ind.by_pcs, ind.by_age, ind.by_departement, *ind.trends]
        return {
            "scope": {"start": scope.start, "end": scope.end, "cohort": scope.cohort},
            "sections": [{"section": name, "figures": [FigureSerializer(f).data for f in figures]} for name, figures in sections.items()],
            "series": [SeriesSerializer(s).data for s in series if s is not None],
            "longest_waiters": [
                {"participant_id": p.pk, "name": p.display_name, "waiting_since": p.validated_at} for p in ind.longest_waiters
            ],
        }
