"""Participants: the coordinator's view of a sign-up, and a participant's own profile."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.common import AssociationRefSerializer, CommuneSerializer
from geo.models import Commune
from participants import choices
from participants.models import Participant
from participants.selectors import AGE_BANDS, WAITING_DAYS


def _waiting_days(participant: Participant) -> int | None:
    if participant.status != Participant.Status.VALIDATED or participant.validated_at is None:
        return None
    return (timezone.localdate() - timezone.localdate(participant.validated_at)).days


class ParticipantSummarySerializer(serializers.Serializer):
    """One row of the coordinator's list (the same columns as the page)."""

    id = serializers.IntegerField(read_only=True)
    role = serializers.ChoiceField(choices=Participant.Role.choices, read_only=True)
    status = serializers.ChoiceField(choices=Participant.Status.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    first_name = serializers.CharField(source="membership.user.first_name", read_only=True)
    last_name = serializers.CharField(source="membership.user.last_name", read_only=True)
    email = serializers.EmailField(source="membership.user.email", read_only=True)
    age = serializers.IntegerField(read_only=True)
    commune = CommuneSerializer(read_only=True)
    education = serializers.ChoiceField(choices=choices.Education.choices, read_only=True)
    field = serializers.ChoiceField(choices=choices.Field.choices, read_only=True)
    qpv_resident = serializers.BooleanField(read_only=True)
    boursier = serializers.BooleanField(read_only=True)
    first_generation = serializers.BooleanField(read_only=True)
    capacity = serializers.IntegerField(read_only=True, allow_null=True)
    vetting_valid = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    validated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    waiting_days = serializers.SerializerMethodField(help_text="Jours d'attente depuis la validation (validé·es seulement).")

    def get_waiting_days(self, participant: Participant) -> int | None:
        return _waiting_days(participant)


class AnswerShownSerializer(serializers.Serializer):
    """An answer to one of the programme's sign-up questions, as the coordinators read it."""

    question_id = serializers.IntegerField()
    question = serializers.CharField(source="label")
    answer = serializers.CharField(source="text", help_text="La réponse telle qu'on la lit (choix séparés par des virgules ; vide : sans réponse).")
    active = serializers.BooleanField(help_text="Faux pour une question retirée depuis.")


class AnswerOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class AnswerSerializer(serializers.Serializer):
    """One of the programme's questions asked to me and my answer: ``text`` for a text question,
    ``choice_ids`` (among ``options``) for a choice question."""

    question_id = serializers.IntegerField()
    question = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True, help_text="short_text, long_text, single_choice, multiple_choice ou yes_no.")
    required = serializers.BooleanField(read_only=True)
    options = AnswerOptionSerializer(many=True, read_only=True)
    text = serializers.CharField(max_length=2000, allow_blank=True, required=False, trim_whitespace=True)
    choice_ids = serializers.ListField(child=serializers.IntegerField(), max_length=30, required=False)


class ParticipantDetailSerializer(ParticipantSummarySerializer):
    """Everything the coordinator's detail page shows (vetting: dates only, never the document)."""

    birth_date = serializers.DateField(read_only=True)
    gender = serializers.CharField(read_only=True)
    parents_pcs = serializers.CharField(read_only=True)
    goals = serializers.ListField(child=serializers.CharField(), read_only=True)
    goals_text = serializers.CharField(read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    availability = serializers.ListField(child=serializers.CharField(), read_only=True)
    meeting_format = serializers.CharField(read_only=True)
    prefers_same_gender = serializers.BooleanField(read_only=True)
    help_with = serializers.ListField(child=serializers.CharField(), read_only=True)
    path_text = serializers.CharField(read_only=True)
    available_until = serializers.DateField(read_only=True, allow_null=True, help_text="Mentors : disponible jusqu'à cette date.")
    available_until_reason = serializers.CharField(read_only=True)
    matching_paused_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="Mentors : plus proposé·e depuis la fin anticipée d'un binôme (jusqu'à ce que la coordination le décide).")
    parent_name = serializers.CharField(read_only=True)
    parent_email = serializers.CharField(read_only=True)
    decline_reason = serializers.CharField(read_only=True)
    vetting_issued_on = serializers.DateField(read_only=True, allow_null=True, help_text="Date de délivrance de l'attestation.")
    vetting_verified_on = serializers.DateField(read_only=True, allow_null=True, help_text="Date de la vérification en ligne.")
    vetting_expires_on = serializers.DateField(read_only=True, allow_null=True, help_text="Vérification à renouveler avant cette date.")
    vetting_recorded_by = serializers.CharField(source="vetting_recorded_by.get_full_name", read_only=True, allow_null=True,
                                                default=None, help_text="Qui a vérifié l'attestation.")
    safeguarding_refusal = serializers.SerializerMethodField(
        help_text="Pourquoi la personne ne peut pas être mise en binôme ni échanger aujourd'hui (null : elle le peut).")
    came_from_binome = serializers.IntegerField(source="came_from_binome_id", read_only=True, allow_null=True)
    answers = serializers.SerializerMethodField(help_text="Les réponses aux questions d'inscription du programme.")

    def get_safeguarding_refusal(self, participant: Participant) -> str | None:
        return _refusal(participant)

    @extend_schema_field(AnswerShownSerializer(many=True))
    def get_answers(self, participant: Participant) -> list[dict]:
        from programmes.questions import answers_shown

        return AnswerShownSerializer(answers_shown(participant=participant), many=True).data


def _refusal(participant: Participant) -> str | None:
    from participants.selectors import participant_safeguarding_refusal

    return participant_safeguarding_refusal(participant=participant)


class ParticipantFilterSerializer(serializers.Serializer):
    """The filters of the coordinator's participant list (same meaning as the page's)."""

    q = serializers.CharField(required=False, max_length=100, allow_blank=True, help_text="Nom, prénom ou e-mail.")
    programme = serializers.SlugField(required=False, max_length=80, default="", help_text="L'adresse courte d'un programme (tous ceux que je vois sinon).")
    role = serializers.ChoiceField(required=False, choices=Participant.Role.choices[1:])
    status = serializers.ChoiceField(required=False, choices=Participant.Status.choices)
    waiting = serializers.ChoiceField(required=False, choices=[(d, d) for d in WAITING_DAYS],
                                      help_text="Validé·es qui attendent depuis plus de N jours.")
    qpv = serializers.BooleanField(required=False, allow_null=True, default=None)
    boursier = serializers.BooleanField(required=False, allow_null=True, default=None)
    departement = serializers.CharField(required=False, max_length=3, allow_blank=True)
    age = serializers.ChoiceField(required=False, choices=list(AGE_BANDS))


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, allow_blank=True)


class VettingSerializer(serializers.Serializer):
    """An attestation d'honorabilité checked online: its dates only, never the document."""

    issued_on = serializers.DateField(help_text="Date de délivrance (moins de six mois avant la vérification).")
    verified_on = serializers.DateField(help_text="Date de la vérification en ligne par l'association.")
    expires_on = serializers.DateField(help_text="Vérification à renouveler avant cette date (au plus trois ans après).")


class ProfileSerializer(serializers.Serializer):
    """A participant's own profile. Only these fields can be changed: the association, the role,
    the status and the account are set by the platform and ignored if sent."""

    id = serializers.IntegerField(read_only=True)
    association = AssociationRefSerializer(read_only=True)
    role = serializers.ChoiceField(choices=Participant.Role.choices, read_only=True)
    status = serializers.ChoiceField(choices=Participant.Status.choices, read_only=True)
    birth_date = serializers.DateField()
    gender = serializers.ChoiceField(choices=choices.Gender.choices, allow_blank=True)
    commune = serializers.PrimaryKeyRelatedField(queryset=Commune.objects.all(), help_text="Code INSEE de la commune.")
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    education = serializers.ChoiceField(choices=choices.Education.choices)
    field = serializers.ChoiceField(choices=choices.Field.choices)
    qpv_resident = serializers.BooleanField()
    boursier = serializers.BooleanField()
    first_generation = serializers.BooleanField()
    parents_pcs = serializers.ChoiceField(choices=choices.PCS.choices)
    goals = serializers.ListField(child=serializers.ChoiceField(choices=choices.Goal.choices), max_length=len(choices.Goal))
    goals_text = serializers.CharField(max_length=1000, allow_blank=True)
    languages = serializers.ListField(child=serializers.ChoiceField(choices=choices.Language.choices), min_length=1,
                                      max_length=len(choices.Language))
    availability = serializers.ListField(child=serializers.ChoiceField(choices=choices.Slot.choices), min_length=1,
                                         max_length=len(choices.Slot))
    meeting_format = serializers.ChoiceField(choices=choices.MeetingFormat.choices)
    prefers_same_gender = serializers.BooleanField()
    parent_name = serializers.CharField(max_length=150, allow_blank=True)
    parent_email = serializers.EmailField(allow_blank=True)
    capacity = serializers.IntegerField(min_value=1, max_value=3, allow_null=True, help_text="Mentors seulement.")
    help_with = serializers.ListField(child=serializers.ChoiceField(choices=choices.Goal.choices), max_length=len(choices.Goal),
                                      help_text="Mentors seulement.")
    path_text = serializers.CharField(max_length=1500, allow_blank=True, help_text="Mentors seulement.")
    available_until = serializers.DateField(
        allow_null=True, required=False,
        help_text="Mentors seulement : disponible jusqu'à cette date (un binôme qui ne peut pas durer tout le programme n'est pas proposé, sauf si l'association l'accepte).")
    available_until_reason = serializers.ChoiceField(choices=choices.AvailabilityEnd.choices, allow_blank=True, required=False,
                                                     help_text="Mentors seulement : abroad, exam, moving ou other.")
    text_notices = serializers.SerializerMethodField(
        help_text="Pour un texte (objectifs, parcours) où des coordonnées ont été détectées : pourquoi il est retenu, ou la décision de l'équipe.")
    answers = AnswerSerializer(
        many=True, required=False, source="api_answers",
        help_text="Les questions de mon programme et mes réponses. En écriture, seules les questions envoyées changent "
                  "(mêmes règles que sur la page : une question obligatoire ne se vide pas).")

    def to_representation(self, instance: Participant) -> dict:
        from programmes.questions import answers_for_api

        instance.api_answers = answers_for_api(participant=instance)
        return super().to_representation(instance)

    def get_text_notices(self, participant: Participant) -> list[str]:
        from safeguarding.selectors import profile_text_notices

        return profile_text_notices(participant=participant)

    def validate(self, attrs: dict) -> dict:
        # Lists are sets of codes: keep each code once, in the order given.
        for name in ("goals", "languages", "availability", "help_with"):
            if name in attrs:
                attrs[name] = list(dict.fromkeys(attrs[name]))
        return attrs


class ParticipationSerializer(serializers.Serializer):
    """One of the acting user's participations, with where it stands."""

    id = serializers.IntegerField(read_only=True)
    association = AssociationRefSerializer(read_only=True)
    role = serializers.ChoiceField(choices=Participant.Role.choices, read_only=True)
    status = serializers.ChoiceField(choices=Participant.Status.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    validated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    waiting_days = serializers.SerializerMethodField()
    decline_reason = serializers.CharField(read_only=True)

    def get_waiting_days(self, participant: Participant) -> int | None:
        return _waiting_days(participant)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    coordinates = AssociationRefSerializer(many=True, read_only=True, help_text="Associations que vous coordonnez.")
    participations = ParticipationSerializer(many=True, read_only=True)
