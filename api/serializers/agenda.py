"""Planned meetings of a binôme (issue 13): what both members and the coordinators see. Of the
people, only roles: the binôme's own serializers say who they are."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agenda.models import PlannedMeeting
from binomes.selectors import Viewer

ROLES = [("mentor", "mentor"), ("mentee", "mentee"), ("coordinator", "coordinator")]


class PlaceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    address = serializers.CharField(read_only=True)


class PlannedMeetingActionsSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="Je peux accepter ce moment (membre qui n'a pas encore dit oui).")
    reschedule = serializers.BooleanField(help_text="Je peux proposer un autre moment (membre, avant qu'il ait eu lieu).")
    cancel = serializers.BooleanField(help_text="Je peux l'annuler (avant le rendez-vous).")
    outcome = serializers.BooleanField(help_text="Je peux dire s'il a eu lieu (membre, rendez-vous confirmé et commencé).")


class PlannedMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    uid = serializers.UUIDField(read_only=True, help_text="L'UID de l'invitation .ics : le même à chaque mise à jour.")
    status = serializers.ChoiceField(choices=PlannedMeeting.Status.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    starts_at = serializers.DateTimeField(read_only=True)
    duration_minutes = serializers.IntegerField(read_only=True)
    format = serializers.ChoiceField(choices=PlannedMeeting.Format.choices, read_only=True)
    place = PlaceRefSerializer(read_only=True, allow_null=True)
    place_text = serializers.CharField(read_only=True)
    topic = serializers.CharField(read_only=True)
    proposed_by_role = serializers.SerializerMethodField(help_text="mentor, mentee ou coordinator.")
    mentor_accepted = serializers.BooleanField(read_only=True)
    mentee_accepted = serializers.BooleanField(read_only=True)
    sequence = serializers.IntegerField(read_only=True, help_text="Le SEQUENCE de l'invitation .ics.")
    meeting_id = serializers.IntegerField(read_only=True, allow_null=True, help_text="La rencontre notée, s'il a eu lieu.")
    may = serializers.SerializerMethodField(help_text="Ce que je peux faire de ce rendez-vous.")

    @extend_schema_field(serializers.ChoiceField(choices=ROLES))
    def get_proposed_by_role(self, planned: PlannedMeeting) -> str:
        return planned.binome.member_role(planned.proposed_by_id) or "coordinator"

    @extend_schema_field(PlannedMeetingActionsSerializer)
    def get_may(self, planned: PlannedMeeting) -> dict[str, bool]:
        # What the page offers the same viewer (agenda.views._page); the services decide.
        viewer: Viewer = self.context["viewer"]
        open_ = planned.status in (PlannedMeeting.Status.PROPOSED, PlannedMeeting.Status.ACCEPTED)
        now = timezone.now()
        return {
            "accept": viewer.is_member and planned.status == PlannedMeeting.Status.PROPOSED and not planned.accepted_by(viewer.role),
            "reschedule": viewer.is_member and open_,
            "cancel": open_ and planned.starts_at > now,
            "outcome": viewer.is_member and planned.status == PlannedMeeting.Status.ACCEPTED and planned.starts_at <= now,
        }


class PlannedMeetingWriteSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(help_text="Date et heure, avec fuseau (heure de Paris si absent).")
    duration_minutes = serializers.IntegerField(min_value=PlannedMeeting.MIN_MINUTES, max_value=PlannedMeeting.MAX_MINUTES, default=60)
    format = serializers.ChoiceField(choices=PlannedMeeting.Format.choices)
    place = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                     help_text="Un lieu public de la liste de l'association.")
    place_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                       help_text="Ou un autre lieu public ; jamais une adresse personnelle ni un numéro.")
    topic = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class PlannedMeetingOutcomeSerializer(serializers.Serializer):
    took_place = serializers.BooleanField(help_text="Oui : la rencontre est notée dans le journal des rencontres.")
