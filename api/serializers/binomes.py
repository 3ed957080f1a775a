"""Binômes and their life. What a member sees of the other member is only their first name: never
their e-mail address or last name (safeguarding: many mentees are minors)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.common import MAX_ID, AssociationRefSerializer
from binomes import messaging
from binomes.health import LABELS as HEALTH_LABELS
from binomes.models import Binome, CheckIn, EndSurvey, Meeting, Message
from binomes.selectors import Viewer, binome_explanation_for_viewer
from safeguarding.screening import author_notice, displayed_text

MEMBER_ROLES = [("mentor", "mentor"), ("mentee", "mentee")]
STAFF_ROLE = [("coordinator", "coordinator")]


def _role_of(binome: Binome, user_id: int) -> str:
    return binome.member_role(user_id) or "coordinator"


class StaffPersonSerializer(serializers.Serializer):
    """A member as the coordinators see them."""

    id = serializers.IntegerField(read_only=True, help_text="Identifiant de la participation.")
    first_name = serializers.CharField(source="membership.user.first_name", read_only=True)
    last_name = serializers.CharField(source="membership.user.last_name", read_only=True)
    email = serializers.EmailField(source="membership.user.email", read_only=True)
    age = serializers.IntegerField(read_only=True)


class OtherMemberSerializer(serializers.Serializer):
    """The other member, as a mentor or a mentee sees them: first name only."""

    first_name = serializers.CharField(source="membership.user.first_name", read_only=True)
    role = serializers.ChoiceField(choices=MEMBER_ROLES, read_only=True)


class _BinomeBase(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    association = AssociationRefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=Binome.Status.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    started_on = serializers.DateField(read_only=True)
    planned_end_on = serializers.DateField(read_only=True)
    ended_on = serializers.DateField(read_only=True, allow_null=True)
    end_reason_code = serializers.CharField(read_only=True)
    continued_count = serializers.IntegerField(read_only=True)


class BinomeStaffSerializer(_BinomeBase):
    """A binôme as its association's coordinators see it."""

    viewer_role = serializers.ChoiceField(choices=STAFF_ROLE, read_only=True)
    mentor = StaffPersonSerializer(read_only=True)
    mentee = StaffPersonSerializer(read_only=True)
    end_reason = serializers.CharField(read_only=True)
    suspension_reason = serializers.CharField(read_only=True)
    last_activity_at = serializers.DateTimeField(read_only=True)
    health = serializers.ChoiceField(
        choices=[("", "")] + list(HEALTH_LABELS.items()), read_only=True,
        help_text="on_track, needs_attention ou at_risk ; vide pour un binôme suspendu ou clos.",
    )
    open_reports = serializers.IntegerField(source="open_report_count", read_only=True, help_text="Signalements non traités.")

    def to_representation(self, binome: Binome) -> dict:
        data = super().to_representation(binome)
        data["viewer_role"] = "coordinator"
        return data


class BinomeMemberSerializer(_BinomeBase):
    """A binôme as one of its two members sees it."""

    viewer_role = serializers.ChoiceField(choices=MEMBER_ROLES, read_only=True)
    other = serializers.SerializerMethodField()
    why = serializers.SerializerMethodField(
        help_text="Pourquoi vous avez été associés : écart d'âge, objectifs et parcours, distance, disponibilités "
                  "(jamais le milieu social, réservé à l'équipe).")

    def get_why(self, binome: Binome) -> list[str]:
        role = _role_of(binome, self.context["request"].user.pk)
        return binome_explanation_for_viewer(viewer=Viewer(binome, role))

    @extend_schema_field(OtherMemberSerializer)
    def get_other(self, binome: Binome) -> dict:
        role = _role_of(binome, self.context["request"].user.pk)
        other = binome.mentee if role == "mentor" else binome.mentor
        return {"first_name": other.membership.user.first_name, "role": "mentee" if role == "mentor" else "mentor"}

    def to_representation(self, binome: Binome) -> dict:
        data = super().to_representation(binome)
        data["viewer_role"] = _role_of(binome, self.context["request"].user.pk)
        return data


class BinomeFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(required=False, choices=Binome.Status.choices)
    health = serializers.ChoiceField(required=False, choices=list(HEALTH_LABELS.items()))
    reported = serializers.BooleanField(required=False, default=False, help_text="Avec un signalement ouvert.")
    q = serializers.CharField(required=False, max_length=100, allow_blank=True, default="")
    programme = serializers.SlugField(required=False, max_length=80, default="", help_text="L'adresse courte d'un programme (tous ceux que je vois sinon).")


class EndEarlySerializer(serializers.Serializer):
    reason_code = serializers.ChoiceField(choices=Binome.EndReason.choices)
    reason = serializers.CharField(required=False, max_length=2000, allow_blank=True, default="",
                                   help_text="Obligatoire pour « other ».")


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    body = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    sender_role = serializers.ChoiceField(choices=MEMBER_ROLES, read_only=True)
    mine = serializers.BooleanField(read_only=True)
    flagged = serializers.BooleanField(read_only=True, help_text="Contient des coordonnées (vu par l'expéditeur·rice et l'équipe).")
    held = serializers.BooleanField(read_only=True, help_text="Retenu jusqu'à la relecture de l'équipe.")
    notice = serializers.CharField(read_only=True, help_text="Pour l'expéditeur·rice d'un message signalé : pourquoi (et la décision de l'équipe).")
    refused = serializers.BooleanField(read_only=True, help_text="Refusé par l'équipe : jamais montré à l'autre membre.")

    def to_representation(self, message: Message) -> dict:
        viewer: Viewer = self.context["viewer"]
        user_id = self.context["request"].user.pk
        mine = message.sender_id == user_id
        sees_flags = mine or viewer.role == "coordinator"
        return {
            "id": message.pk,
            "body": message.body,
            "created_at": serializers.DateTimeField().to_representation(message.created_at),
            "sender_role": _role_of(viewer.binome, message.sender_id),
            "mine": mine,
            "flagged": message.flagged and sees_flags,
            "held": message.held,
            "notice": messaging.flag_explanation(message) if mine and message.flagged else "",
            "refused": sees_flags and getattr(getattr(message, "review", None), "status", "") == "refused",
        }


class MessageQuerySerializer(serializers.Serializer):
    after = serializers.IntegerField(required=False, min_value=0, max_value=MAX_ID, default=0,
                                     help_text="Curseur : les messages dont l'identifiant est plus grand.")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)


class MessagePageSerializer(serializers.Serializer):
    results = MessageSerializer(many=True)
    next_after = serializers.IntegerField(help_text="À passer en « after » pour la suite (ou pour attendre les nouveaux).")
    has_more = serializers.BooleanField()


class MessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=Message.MAX_LENGTH, allow_blank=True, trim_whitespace=False)


class ReportCreateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)
    message = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID, default=None,
                                       help_text="Le message signalé (sinon : le binôme dans son ensemble).")


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    message = serializers.IntegerField(source="message_id", read_only=True, allow_null=True)
    reason = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    happened_on = serializers.DateField()
    duration_minutes = serializers.IntegerField(min_value=5, max_value=600)
    format = serializers.ChoiceField(choices=Meeting.Format.choices)
    topics = serializers.ListField(child=serializers.ChoiceField(choices=Meeting.Topic.choices), min_length=1,
                                   max_length=len(Meeting.Topic))
    note = serializers.CharField(required=False, max_length=2000, allow_blank=True, default="",
                                 help_text="Lue par l'autre membre, sauf si elle est retenue (coordonnées) ou refusée par l'équipe.")
    notice = serializers.SerializerMethodField(help_text="Pour l'auteur·rice d'une note signalée : pourquoi (et la décision de l'équipe).")
    created_at = serializers.DateTimeField(read_only=True)

    def validate_topics(self, topics: list[str]) -> list[str]:
        return list(dict.fromkeys(topics))

    def to_representation(self, meeting: Meeting) -> dict:
        data = super().to_representation(meeting)
        viewer: Viewer | None = self.context.get("viewer")
        review = getattr(meeting, "review", None)
        if viewer is not None:
            # The other member reads the note only once it is not held or refused.
            data["note"] = displayed_text(text=meeting.note, review=review, author_id=meeting.logged_by_id,
                                          viewer_id=self.context["request"].user.pk, viewer_is_coordinator=viewer.role == "coordinator")
        return data

    def get_notice(self, meeting: Meeting) -> str:
        review = getattr(meeting, "review", None)
        return author_notice(review) if review is not None and meeting.logged_by_id == self.context["request"].user.pk else ""


class CheckInSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    month = serializers.DateField(read_only=True, help_text="Premier jour du mois concerné.")
    role = serializers.SerializerMethodField()
    rating = serializers.ChoiceField(choices=CheckIn.Rating.choices, help_text="1 pas bien, 2 bof, 3 bien, 4 très bien.")
    comment = serializers.CharField(required=False, max_length=1000, allow_blank=True, default="")
    created_at = serializers.DateTimeField(read_only=True)

    def get_role(self, check_in: CheckIn) -> str:
        return _role_of(self.context["viewer"].binome, check_in.user_id)


class EndSurveyAnswerSerializer(serializers.Serializer):
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)
    would_recommend = serializers.IntegerField(min_value=0, max_value=10)
    wish_to_continue = serializers.BooleanField()
    confidence_before = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True,
                                                 help_text="Mentoré·es seulement (obligatoire pour elles et eux).")
    confidence_now = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True,
                                              help_text="Mentoré·es seulement (obligatoire pour elles et eux).")
    brought = serializers.ListField(child=serializers.ChoiceField(choices=EndSurvey.Brought.choices), required=False,
                                    max_length=len(EndSurvey.Brought), help_text="Mentoré·es seulement.")
    wish_to_become_mentor = serializers.BooleanField(required=False, allow_null=True,
                                                     help_text="Mentoré·es seulement (obligatoire pour elles et eux).")
    created_at = serializers.DateTimeField(read_only=True)

    def validate(self, attrs: dict) -> dict:
        # The page's form asks a mentee these three questions and a mentor none of them.
        if self.context["viewer"].role == "mentee":
            missing = [name for name in ("confidence_before", "confidence_now", "wish_to_become_mentor") if attrs.get(name) is None]
            if missing:
                raise serializers.ValidationError({name: [serializers.Field.default_error_messages["required"]] for name in missing})
        else:
            for name in ("confidence_before", "confidence_now", "brought", "wish_to_become_mentor"):
                attrs.pop(name, None)
        if "brought" in attrs:
            attrs["brought"] = list(dict.fromkeys(attrs["brought"]))
        return attrs


class EndSurveyStateSerializer(serializers.Serializer):
    open = serializers.BooleanField(help_text="Le questionnaire ouvre trois semaines avant la fin prévue.")
    planned_end_on = serializers.DateField()
    answer = EndSurveyAnswerSerializer(allow_null=True, help_text="Votre réponse pour cette échéance, si vous l'avez donnée.")
