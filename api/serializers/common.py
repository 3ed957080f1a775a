from __future__ import annotations

from rest_framework import serializers

# Ids are BigAutoFields: a bigger number can only be a mistake, refused before the database sees it.
MAX_ID = 999_999_999_999_999_999


class ErrorSerializer(serializers.Serializer):
    """Every error of the API has this body (see api.exceptions)."""

    detail = serializers.CharField(help_text="Ce qui ne va pas, en français.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text="Pour des données invalides : les messages par champ (« non_field_errors » pour l'ensemble).",
    )


class AssociationRefSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class CommuneSerializer(serializers.Serializer):
    code_insee = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    departement = serializers.CharField(source="departement_id", read_only=True)


class ReasonSerializer(serializers.Serializer):
    """A decision that needs a reason (declining a sign-up, rejecting a proposal, suspending)."""

    reason = serializers.CharField(max_length=2000, allow_blank=True, trim_whitespace=True)


class EmptySerializer(serializers.Serializer):
    """No body is needed: anything sent is ignored."""
