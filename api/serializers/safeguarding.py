"""Held texts: flagged texts of the association as the coordinators review them."""

from __future__ import annotations

from rest_framework import serializers

from safeguarding.models import TextReview


class HeldTextSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=TextReview.Kind.choices, read_only=True)
    status = serializers.ChoiceField(choices=TextReview.Status.choices, read_only=True)
    held = serializers.BooleanField(read_only=True, help_text="Pas montré à l'autre membre tant qu'il n'est pas transmis.")
    text = serializers.CharField(read_only=True)
    flag_kinds = serializers.ListField(child=serializers.CharField(), read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="Ce qui a été détecté, en français.")
    author_id = serializers.IntegerField(read_only=True)
    author_first_name = serializers.CharField(source="author.first_name", read_only=True)
    binome = serializers.SerializerMethodField(help_text="Le binôme d'un message ou d'une note de rencontre.")
    participant = serializers.IntegerField(source="participant_id", read_only=True, allow_null=True,
                                           help_text="La participation d'un texte de profil.")
    created_at = serializers.DateTimeField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    refusal_reason = serializers.CharField(read_only=True)

    def get_binome(self, review: TextReview) -> int | None:
        if review.message_id:
            return review.message.binome_id
        if review.meeting_id:
            return review.meeting.binome_id
        return None


class RefuseTextSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, allow_blank=True, help_text="Transmise à l'auteur·rice du texte.")
