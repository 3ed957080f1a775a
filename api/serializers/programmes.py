"""A programme's sign-up questions, for its coordinators."""

from __future__ import annotations

from rest_framework import serializers

from programmes.models import CRITERION_WEIGHT_MAX, SignupQuestion


class QuestionChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True)


class QuestionSerializer(serializers.Serializer):
    """A sign-up question of the programme. ``new_choices``: labels added at the end (a choice
    question needs two at least; yes/no gets « Oui » and « Non »)."""

    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(max_length=200)
    help_text = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    kind = serializers.ChoiceField(choices=SignupQuestion.Kind.choices)
    required = serializers.BooleanField(required=False, default=False)
    audience = serializers.ChoiceField(choices=SignupQuestion.Audience.choices, required=False, default=SignupQuestion.Audience.BOTH)
    criterion = serializers.ChoiceField(choices=SignupQuestion.Criterion.choices, required=False, default=SignupQuestion.Criterion.NONE,
                                        help_text="Choix unique ou oui / non posée aux deux seulement.")
    criterion_weight = serializers.FloatField(min_value=0.0, max_value=CRITERION_WEIGHT_MAX, required=False, default=0.0)
    position = serializers.IntegerField(read_only=True)
    active = serializers.BooleanField(read_only=True)
    choices = QuestionChoiceSerializer(many=True, read_only=True, source="active_choices")
    new_choices = serializers.ListField(child=serializers.CharField(max_length=150), max_length=30, required=False,
                                        write_only=True, default=list)
