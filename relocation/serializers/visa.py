"""API representations of visa referrals: what the mission's decision needs, the queue's
filters, the requester's referral and the mission's decision."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organisation
from hrdcase.dates import ApiDateField
from relocation.models import VisaReferral
from relocation.serializers.referral import pseudonym_field, reason_field


class VisaReferralSerializer(serializers.ModelSerializer):
    """What the mission's visa decision needs, and the decision."""

    pseudonym = pseudonym_field()
    referred_by = serializers.CharField(source="organisation.name", read_only=True)
    mission_name = serializers.CharField(source="mission.name", read_only=True)
    family_members = serializers.IntegerField(source="request.family_members", read_only=True)
    nationality = serializers.CharField(read_only=True)
    #: the request's urgency; ``due_at``: the deadline of the addressee's answer (issue 20).
    urgency = serializers.CharField(source="request.urgency", read_only=True)

    class Meta:
        model = VisaReferral
        fields = [
            "id",
            "pseudonym",
            "referred_by",
            "mission",
            "mission_name",
            "visa_type",
            "nationality",
            "family_members",
            "requested_on",
            "deadline",
            "note_for_mission",
            "status",
            "urgency",
            "due_at",
            "decision_reason",
            "decided_at",
            "valid_from",
            "valid_until",
            "multiple_entries",
            "entries_until",
        ]
        read_only_fields = fields


class VisaListFiltersSerializer(serializers.Serializer):
    """The visa list's query parameters: an unknown value, or a NUL character (which
    PostgreSQL refuses: a 500), is a 400 naming the parameter."""

    side = serializers.ChoiceField(
        choices=[("queue", "queue")],
        required=False,
        allow_blank=True,
        help_text="queue: the referrals addressed to your mission (default: all yours)",
    )
    status = serializers.ChoiceField(
        choices=VisaReferral.Status.choices,
        required=False,
        allow_blank=True,
        help_text="with side=queue: this status only (default pending; empty: every status)",
    )


class VisaReferralCreateSerializer(serializers.Serializer):
    request = serializers.UUIDField()
    mission = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.MISSION)
    )
    visa_type = serializers.ChoiceField(choices=VisaReferral.VisaType.choices)
    requested_on = ApiDateField(required=False, allow_null=True)
    nationality = serializers.CharField(required=False, allow_blank=True, max_length=2)
    note_for_mission = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class VisaDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["granted", "refused"])
    reason = reason_field()
    valid_from = ApiDateField(required=False, allow_null=True)
    valid_until = ApiDateField(required=False, allow_null=True)
    multiple_entries = serializers.BooleanField(required=False, default=True)
    entries_until = ApiDateField(
        required=False,
        allow_null=True,
        help_text="multiple entries only; default three years from valid_from",
    )
